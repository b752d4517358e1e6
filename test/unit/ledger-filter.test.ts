import { afterAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

afterAll(removeTempDirs);

describe("a filter's time bounds", () => {
  it('mean the same instant however they are written, and a bound that is not a time is refused', async () => {
    const t = await createTempWorkspace();
    // Events an hour apart on 5 Jan 2027, 06:00 to 11:00 UTC.
    await withSimulatedClock(new Date('2027-01-05T06:00:00.000Z'), 3_600_000, async () => {
      for (let i = 0; i < 6; i++) await t.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, t.admin);
    });
    const count = async (f: Record<string, string>) =>
      (await t.call<{ total: number }>('ledger.query', { ...f, action: 'users.update', withTotal: true }, t.admin)).total;
    const utc = await count({ from: '2027-01-05T07:00:00.000Z', to: '2027-01-05T09:00:00.000Z' });
    expect(utc).toBeGreaterThan(0);
    // The same bounds with an offset, without milliseconds, without seconds.
    expect(await count({ from: '2027-01-05T09:00:00+02:00', to: '2027-01-05T04:00:00-05:00' })).toBe(utc);
    expect(await count({ from: '2027-01-05T07:00:00Z', to: '2027-01-05T09:00Z' })).toBe(utc);
    // No offset means UTC.
    expect(await count({ from: '2027-01-05T07:00', to: '2027-01-05T09:00:00' })).toBe(utc);
    // A bare day is the whole day.
    expect(await count({ from: '2027-01-05', to: '2027-01-05' })).toBe(6);
    const before = t.eventCount();
    // What Date.parse would guess at is refused: not a calendar day, a bare number, words, a five-digit year.
    for (const to of ['yesterday-ish', '2026-02-30', '2026-13-01', '12', 'Tue 5', 'foo 2020', '+010000-01-01T00:00:00.000Z', '2026-12-03T25:00Z']) {
      const bad = await t.result('ledger.query', { to }, t.admin);
      expect(bad.ok ? null : bad.error, to).toMatchObject({ code: 'validation', message: expect.stringMatching(/Give a date \(YYYY-MM-DD\) or a date and time/) });
    }
    // A read refused is not recorded; a change refused is, once.
    expect(t.eventCount()).toBe(before);
    const request = await t.result(
      'exports.request',
      { title: 'Access log', type: 'AUDIT', format: 'csv', filters: { to: '31/12/2026' }, masking: 'pseudonymize-people', purpose: 'Annual audit', recipient: 'Auditor' },
      t.admin,
    );
    expect(request.ok ? null : request.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/Give a date/) });
    expect(t.eventCount()).toBe(before + 1);
    expect(t.lastEvent('exports.request')).toMatchObject({ outcome: 'failure' });

    // A request stored before bounds were checked keeps its text and still lists (answers are not re-judged as requests).
    const { request: made } = await t.call<{ request: { id: string } }>(
      'exports.request',
      { title: 'Access log', type: 'AUDIT', format: 'csv', filters: { to: '2026-12-31' }, masking: 'pseudonymize-people', purpose: 'Annual audit', recipient: 'Auditor' },
      t.admin,
    );
    t.app.ws.db.prepare('UPDATE export_requests SET filters = ? WHERE id = ?').run(JSON.stringify({ to: '31/12/2026' }), made.id);
    const listed = await t.call<{ items: { id: string; filters: { to?: string } }[] }>('exports.list', {}, t.admin);
    expect(listed.items.find((r) => r.id === made.id)?.filters).toEqual({ to: '31/12/2026' });
  });
});
