import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deadline } from '../../shared/contract/deadlines.js';
import { eventsOf, ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';
import { RESTRICTED } from '../../shared/data-classes.js';

let f: FerpaFixture;
const ids = { amendment: '', subpoena: '', access: '' };

/** All fixtures are dated in January 2026; the list is read "as of" chosen days, so nothing depends on today. */
beforeAll(async () => {
  f = await ferpaFixture();
  f.addSubject({ id: 'STU-5001', name: 'Lena Fischer' });
  f.addRecord({ id: 'REC-51', subjectId: 'STU-5001', category: 'grades', title: 'Transcript' });
  f.addCase('CASE-H1');
  // Days are counted on the workspace's calendar (test/unit/day-count.test.ts); these dates are read in UTC.
  await f.call('workspace.setTimeZone', { timeZone: 'UTC' });

  ids.amendment = (await f.call('amendments.receive', { recordId: 'REC-51', matter: 'clerical_error', requestedChange: 'Fix the grade.', reason: 'Error.', receivedAt: '2026-01-02' })).amendment.id;
  ids.subpoena = (
    await f.call('subpoenas.receive', {
      subjectId: 'STU-5001', issuer: 'County Attorney', type: 'civil', requestedRecords: 'Transcript.', servedAt: '2026-01-10', dueAt: '2026-01-31',
    })
  ).subpoena.id;
  ids.access = (await f.call('accessRequests.create', { subjectId: 'STU-5001', requester: 'Lena Fischer', description: 'Inspect my file.', requestedAt: '2026-01-05' })).request.id;

  // A legal hold with one custodian who got the notice on 3 January and never acknowledged (tables of migration 002).
  const db = f.ws().db;
  db.prepare(`INSERT INTO legal_holds (id, case_id, title, status, created_by, created_at, updated_at, activated_at)
              VALUES ('HOLD-1', 'CASE-H1', 'Grade dispute', 'active', 'admin', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run();
  db.prepare(`INSERT INTO hold_custodians (id, hold_id, name, notice_status, sent_at, last_notice_at, added_by, added_at)
              VALUES ('CUS-1', 'HOLD-1', 'Prof. Ames', 'sent', '2026-01-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z', 'admin', '2026-01-01T00:00:00.000Z')`).run();
  db.prepare(`INSERT INTO hold_custodians (id, hold_id, name, notice_status, sent_at, last_notice_at, acknowledged_at, added_by, added_at)
              VALUES ('CUS-2', 'HOLD-1', 'Dr. Acked', 'acknowledged', '2026-01-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z', 'admin', '2026-01-01T00:00:00.000Z')`).run();
});
afterAll(() => f.close());

function byKind(items: Deadline[]): Record<string, Deadline> {
  return Object.fromEntries(items.map((d) => [d.kind, d]));
}

describe('deadlines: one due list', () => {
  it('lists every open deadline with its due date from policy, days remaining and overdue flag', async () => {
    const { asOf, items } = await f.call('deadlines.list', { asOf: '2026-01-12T00:00:00.000Z' }, 'auditor');
    expect(asOf).toBe('2026-01-12T00:00:00.000Z');
    // A viewer gets the same list; the titles name subjects and custodians, so they read as restricted.
    const seen = await f.call('deadlines.list', { asOf: '2026-01-12T00:00:00.000Z' }, 'viewer');
    expect(seen.items.map((d) => [d.kind, d.refId, d.dueAt, d.title])).toEqual(items.map((d) => [d.kind, d.refId, d.dueAt, RESTRICTED]));
    const k = byKind(items);
    expect(k.amendment_decision).toMatchObject({ refId: ids.amendment, dueAt: '2026-02-01T00:00:00.000Z', daysRemaining: 20, overdue: false, dueSoon: false });
    expect(k.subpoena_notice).toMatchObject({ refId: ids.subpoena, dueAt: '2026-01-13T00:00:00.000Z', daysRemaining: 1, overdue: false, dueSoon: true });
    expect(k.subpoena_response).toMatchObject({ dueAt: '2026-01-31T00:00:00.000Z', daysRemaining: 19 });
    expect(k.access_request).toMatchObject({ refId: ids.access, dueAt: '2026-02-19T00:00:00.000Z', daysRemaining: 38 });
    // Hold reminders and escalations come from the holds area (resources/policies/holds.json): the custodian who
    // has not acknowledged is due a reminder 3 days after the last notice and an escalation 10 days after the first;
    // the one who acknowledged gets only the periodic reminder (90 days).
    const ames = items.filter((d) => d.title.includes('Prof. Ames'));
    expect(ames.map((d) => [d.kind, d.dueAt, d.daysRemaining, d.overdue])).toEqual([
      ['hold_reminder', '2026-01-06T00:00:00.000Z', -6, true],
      ['hold_escalation', '2026-01-13T00:00:00.000Z', 1, false],
    ]);
    const acked = items.filter((d) => d.title.includes('Dr. Acked'));
    expect(acked.map((d) => [d.kind, d.refId, d.dueAt])).toEqual([['hold_reminder', 'HOLD-1', '2026-04-04T00:00:00.000Z']]);
    // Soonest first.
    expect(items.map((d) => d.dueAt)).toEqual([...items.map((d) => d.dueAt)].sort());
  });

  it('flags overdue items with negative days remaining', async () => {
    const { items } = await f.call('deadlines.list', { asOf: '2026-01-20T12:00:00.000Z' });
    const k = byKind(items);
    expect(k.subpoena_notice).toMatchObject({ overdue: true, daysRemaining: -7, dueSoon: false });
    expect(k.subpoena_response).toMatchObject({ overdue: false, daysRemaining: 11 });
    const later = await f.call('deadlines.list', { asOf: '2026-03-01' });
    // The database key rotation (administrators only, 90 days from the workspace's creation) is not yet due either.
    expect(later.items.filter((d) => !d.overdue && d.kind !== 'key_rotation').map((d) => d.title)).toEqual([expect.stringContaining('Dr. Acked')]);
  });

  it('filters by kind and by horizon (overdue items always stay)', async () => {
    const only = await f.call('deadlines.list', { asOf: '2026-01-12', kinds: ['access_request'] });
    expect(only.items.map((d) => d.kind)).toEqual(['access_request']);
    const soon = await f.call('deadlines.list', { asOf: '2026-01-20', withinDays: 12 });
    expect(soon.items.map((d) => d.kind).sort()).toEqual(['amendment_decision', 'hold_escalation', 'hold_reminder', 'subpoena_notice', 'subpoena_response']);
  });

  it('drops deadlines once they are met, and follows the amendment through its hearing', async () => {
    await f.call('subpoenas.verify', { id: ids.subpoena, note: 'ok' }, 'legal_counsel');
    await f.call('subpoenas.sendNotice', { id: ids.subpoena, method: 'Letter' });
    await f.call('accessRequests.fulfill', { id: ids.access, note: 'Inspected in the registrar office.' });
    await f.call('amendments.startReview', { id: ids.amendment });
    await f.call('amendments.decide', { id: ids.amendment, decision: 'deny', reason: 'Accurate.' });
    await f.call('amendments.requestHearing', { id: ids.amendment, requestedAt: '2026-01-15' });
    let k = byKind((await f.call('deadlines.list', { asOf: '2026-01-16' })).items);
    expect(k.subpoena_notice).toBeUndefined();
    expect(k.access_request).toBeUndefined();
    expect(k.amendment_decision).toBeUndefined();
    expect(k.amendment_hearing).toMatchObject({ dueAt: '2026-02-14T00:00:00.000Z' });

    await f.call('amendments.scheduleHearing', { id: ids.amendment, hearingAt: '2026-01-20T15:00:00Z', location: 'Room 2', officer: 'Neutral Officer' });
    k = byKind((await f.call('deadlines.list', { asOf: '2026-01-16' })).items);
    expect(k.amendment_hearing).toMatchObject({ dueAt: '2026-01-20T15:00:00.000Z' });
    k = byKind((await f.call('deadlines.list', { asOf: '2026-01-21' })).items);
    expect(k.amendment_hearing).toBeUndefined();
    // After the hearing, its written decision is due (14 days, policy).
    expect(k.amendment_hearing_decision).toMatchObject({ dueAt: '2026-02-03T15:00:00.000Z' });
  });
});

describe('access requests (99.10)', () => {
  it('creates, fulfils and withdraws, refusing anything after a final state', async () => {
    const { request } = await f.call('accessRequests.create', { subjectId: 'STU-5001', requester: 'Parent of Lena', description: 'Copy of attendance.' }, 'legal_counsel');
    expect(request.state).toBe('open');
    expect(eventsOf(f.ws(), 'accessRequests.create').at(-1)?.resource_id).toBe(request.id);
    const w = await f.call('accessRequests.withdraw', { id: request.id, note: 'No longer needed.' });
    expect(w.request.state).toBe('withdrawn');
    const again = await f.result('accessRequests.fulfill', { id: request.id, note: 'x' });
    expect(!again.ok && again.error.code).toBe('conflict');
    const viewer = await f.result('accessRequests.create', { subjectId: 'STU-5001', requester: 'x', description: 'y' }, 'viewer');
    expect(!viewer.ok && viewer.error.code).toBe('forbidden');
    const list = await f.call('accessRequests.list', { subjectId: 'STU-5001' }, 'auditor');
    expect(list.items.length).toBe(2);
  });
});
