import { afterAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// Issue 9 §1: the core clock is the only clock any service reads, so a row and the ledger event
// that records it carry the same instant — also under the simulated clock `custos demo` runs on,
// where a wall-clock stamp would be months away from its event.

afterAll(removeTempDirs);

describe('one clock', () => {
  it('users, export requests, decisions and runs are stamped with the instant of their ledger events', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('olga.officer', 'compliance_officer');
    // Ahead of the real clock: ledger timestamps never go back, so a past instant would be moved forward.
    const start = new Date('2027-03-01T09:00:00.000Z');
    await withSimulatedClock(start, 60_000, async () => {
      await t.call('users.create', { username: 'sim.user', displayName: 'Sim User', role: 'viewer', passphrase: 'correct horse battery staple' }, t.admin);
      const req = await t.call<{ request: { id: string } }>(
        'exports.request',
        { title: 'Audit extract', type: 'AUDIT', format: 'csv', purpose: 'Annual audit', recipient: 'External auditor', masking: 'pseudonymize-people' },
        officer,
      );
      await t.call('exports.approve', { id: req.request.id, note: 'Approved.' }, t.admin);
      await t.call('exports.execute', { id: req.request.id }, officer);
    });
    const db = t.app.ws.db;
    const events = t.events();
    const at = (action: string, id: string) => events.find((e) => e.action === action && e.resource_id === id && e.outcome === 'success')?.ts;

    const user = db.prepare("SELECT created_at FROM users WHERE username = 'sim.user'").get() as { created_at: string };
    expect(user.created_at.startsWith('2027-03-01')).toBe(true);
    expect(user.created_at).toBe(at('users.create', 'sim.user'));

    const exp = db.prepare('SELECT id, requested_at, decided_at, executed_at FROM export_requests').get() as { id: string; requested_at: string; decided_at: string; executed_at: string };
    expect(exp.id).toMatch(/^EXP-2027-\d{4}$/);
    expect(exp.requested_at).toBe(at('exports.request', exp.id));
    expect(exp.decided_at).toBe(at('exports.approve', exp.id));
    expect(exp.executed_at).toBe(at('exports.execute', exp.id));
  });

  it('export ids continue after requests made before the shared id allocator', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('olga.officer', 'compliance_officer');
    const year = new Date().getUTCFullYear();
    // A request numbered the old way (count + 1), with no counter row for its year.
    const first = await t.call<{ request: { id: string } }>('exports.request', { title: 'One', type: 'AUDIT', format: 'csv', purpose: 'Audit', recipient: 'Auditor' }, officer);
    expect(first.request.id).toBe(`EXP-${year}-0001`);
    t.app.ws.db.prepare('DELETE FROM id_counters WHERE prefix = ?').run(`EXP-${year}`);
    const second = await t.call<{ request: { id: string } }>('exports.request', { title: 'Two', type: 'AUDIT', format: 'csv', purpose: 'Audit', recipient: 'Auditor' }, officer);
    expect(second.request.id).toBe(`EXP-${year}-0002`);
  });
});
