import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../shared/contract/exports.js';
import type { ExportSchedule, ScheduleCadence, ScheduleRun } from '../../shared/contract/schedules.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { countOccurrences, latestOccurrence, nextOccurrence, zonedInstant } from '../../electron/core/domain/cadence.js';
import { runDueSchedules } from '../../electron/core/schedules/run-schedules.js';
import { bundleEvents, readEntries } from './helpers/bundles.js';
import { exportedPath } from './helpers/outputs.js';
import { verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { caseEvidenceIds, disclosureIds } from '../../electron/core/bundle/bundle-store.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

const DAY = 86_400_000;
type S = { schedule: ExportSchedule };

const daily = (timeOfDay: string): ScheduleCadence => ({ cadence: 'daily', weekday: null, monthDay: null, timeOfDay });
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('schedule cadence', () => {
  it('reads the time of day on the wall clock of the zone, across both DST changes', () => {
    const berlin = 'Europe/Berlin';
    // Winter (UTC+1) and summer (UTC+2).
    expect(iso(zonedInstant(2026, 1, 15, 6, 30, berlin))).toBe('2026-01-15T05:30:00.000Z');
    expect(iso(zonedInstant(2026, 7, 15, 6, 30, berlin))).toBe('2026-07-15T04:30:00.000Z');
    // 29 March 2026: 02:00 → 03:00. 02:30 does not exist and runs at 03:30 summer time.
    expect(iso(zonedInstant(2026, 3, 29, 2, 30, berlin))).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 03:00 → 02:00. 02:30 happens twice and runs at the first.
    expect(iso(zonedInstant(2026, 10, 25, 2, 30, berlin))).toBe('2026-10-25T00:30:00.000Z');
    // New York: 8 March 2026 spring forward, 1 November fall back.
    expect(iso(zonedInstant(2026, 3, 8, 2, 15, 'America/New_York'))).toBe('2026-03-08T07:15:00.000Z');
    expect(iso(zonedInstant(2026, 11, 1, 1, 30, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('a daily run at 06:00 stays at 06:00 local on both sides of a change, and each day has exactly one run', () => {
    const c = daily('06:00');
    const zone = 'Europe/Berlin';
    expect(iso(nextOccurrence(c, new Date('2026-03-28T06:00:00Z'), zone))).toBe('2026-03-29T04:00:00.000Z');
    expect(iso(nextOccurrence(c, new Date('2026-03-29T04:00:00Z'), zone))).toBe('2026-03-30T04:00:00.000Z');
    // After the autumn change 06:00 is 05:00 UTC: a second before it, the latest run is still the day before's.
    expect(iso(latestOccurrence(c, new Date('2026-10-25T04:59:59Z'), zone))).toBe('2026-10-24T04:00:00.000Z');
    expect(iso(latestOccurrence(c, new Date('2026-10-25T05:00:00Z'), zone))).toBe('2026-10-25T05:00:00.000Z');
    // The week around the autumn change: 7 runs, not 6 or 8.
    expect(countOccurrences(c, new Date('2026-10-21T12:00:00Z'), new Date('2026-10-28T12:00:00Z'), zone)).toBe(7);
  });

  it('weekly on a weekday and monthly on a day (the last day when the month is shorter)', () => {
    const zone = 'UTC';
    const monday: ScheduleCadence = { cadence: 'weekly', weekday: 1, monthDay: null, timeOfDay: '07:00' };
    // Thursday 3 December 2026 → Monday 7 December.
    expect(iso(nextOccurrence(monday, new Date('2026-12-03T10:00:00Z'), zone))).toBe('2026-12-07T07:00:00.000Z');
    expect(iso(latestOccurrence(monday, new Date('2026-12-03T10:00:00Z'), zone))).toBe('2026-11-30T07:00:00.000Z');
    const sunday: ScheduleCadence = { ...monday, weekday: 7 };
    expect(iso(nextOccurrence(sunday, new Date('2026-12-03T10:00:00Z'), zone))).toBe('2026-12-06T07:00:00.000Z');
    const on31: ScheduleCadence = { cadence: 'monthly', weekday: null, monthDay: 31, timeOfDay: '23:30' };
    expect(iso(nextOccurrence(on31, new Date('2027-02-01T00:00:00Z'), zone))).toBe('2027-02-28T23:30:00.000Z');
    expect(iso(nextOccurrence(on31, new Date('2028-02-01T00:00:00Z'), zone))).toBe('2028-02-29T23:30:00.000Z');
    expect(iso(nextOccurrence(on31, new Date('2026-04-01T00:00:00Z'), zone))).toBe('2026-04-30T23:30:00.000Z');
    expect(iso(nextOccurrence(on31, new Date('2026-04-30T23:30:00Z'), zone))).toBe('2026-05-31T23:30:00.000Z');
    // A year of a monthly schedule on the 31st: 12 runs.
    expect(countOccurrences(on31, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), zone)).toBe(12);
    // The day is counted in the zone: 00:30 on the 1st in Auckland is still the previous month in UTC.
    const first: ScheduleCadence = { cadence: 'monthly', weekday: null, monthDay: 1, timeOfDay: '00:30' };
    expect(iso(nextOccurrence(first, new Date('2026-12-15T00:00:00Z'), 'Pacific/Auckland'))).toBe('2026-12-31T11:30:00.000Z');
  });
});

const INTERNAL_MASKED = {
  name: 'Daily access extract',
  type: 'INTERNAL',
  format: 'csv',
  masking: 'pseudonymize-people',
  purpose: 'Daily review of access',
  recipient: 'Compliance office',
  cadence: 'daily',
  timeOfDay: '06:00',
} as const;

/** A workspace (time zone UTC) whose schedules are made `daysAgo` days back, then the clock is real again. */
async function workspaceFrom(daysAgo: number, make: (t: TempWorkspace) => Promise<void>): Promise<TempWorkspace> {
  return withSimulatedClock(new Date(Date.now() - daysAgo * DAY), 1, async () => {
    const t = await createTempWorkspace();
    await t.call('workspace.setTimeZone', { timeZone: 'UTC' }, t.admin);
    await make(t);
    return t;
  });
}

/** HH:MM (UTC) half an hour before now: a daily schedule made N days ago has missed exactly N occurrences. */
function halfHourAgo(): string {
  return new Date(Date.now() - 30 * 60_000).toISOString().slice(11, 16);
}

describe('scheduled exports', () => {
  it('masked INTERNAL content needs no approval; LEGAL or unmasked content is approved once by another approver, and any edit voids it', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const auditor = await t.addUser('priya.raman', 'auditor');
    const free = await t.call<S>('schedules.create', INTERNAL_MASKED, officer);
    expect(free.schedule).toMatchObject({ approval: 'not-required', owner: 'maria.chen', active: true, missedNow: 0, lastRun: null });
    expect(free.schedule.nextRunAt).not.toBeNull();

    const legal = await t.call<S>('schedules.create', { ...INTERNAL_MASKED, name: 'Weekly legal extract', type: 'LEGAL', cadence: 'weekly', weekday: 5 }, officer);
    expect(legal.schedule.approval).toBe('pending');
    expect(legal.schedule.nextRunAt, 'waiting for approval: no next run').toBeNull();
    const unmasked = await t.call<S>('schedules.create', { ...INTERNAL_MASKED, name: 'Unmasked', masking: 'none' }, officer);
    expect(unmasked.schedule.approval).toBe('pending');

    // Not by its owner (denial ledgered), not by an auditor (role), not a schedule needing none.
    const own = await t.result('schedules.approve', { id: legal.schedule.id, updatedAt: legal.schedule.updatedAt }, officer);
    expect(own.ok ? null : own.error.code).toBe('forbidden');
    expect(t.lastEvent('schedules.approve')).toMatchObject({ outcome: 'denied', actor: 'maria.chen' });
    const byAuditor = await t.result('schedules.approve', { id: legal.schedule.id, updatedAt: legal.schedule.updatedAt }, auditor);
    expect(byAuditor.ok ? null : byAuditor.error.code).toBe('forbidden');
    const needless = await t.result('schedules.approve', { id: free.schedule.id, updatedAt: free.schedule.updatedAt }, counsel);
    expect(needless.ok ? null : needless.error.code).toBe('conflict');

    // An edit between reading and approving is refused, not approved unseen (one refusal ledgered).
    const reworked = await t.call<S>('schedules.update', { id: legal.schedule.id, ...INTERNAL_MASKED, name: 'Weekly legal extract', type: 'LEGAL', cadence: 'weekly', weekday: 5, masking: 'none' }, officer);
    const stale = await t.result('schedules.approve', { id: legal.schedule.id, updatedAt: legal.schedule.updatedAt, note: 'Looks fine.' }, counsel);
    expect(stale.ok ? null : stale.error.code).toBe('conflict');
    expect(t.lastEvent('schedules.approve')).toMatchObject({ outcome: 'failure', actor: 'david.okafor' });
    const approved = await t.call<S>('schedules.approve', { id: legal.schedule.id, updatedAt: reworked.schedule.updatedAt, note: 'Weekly to outside counsel is fine.' }, counsel);
    expect(approved.schedule).toMatchObject({ approval: 'approved', approvedBy: 'david.okafor' });
    expect(t.lastEvent('schedules.approve')).toMatchObject({ outcome: 'success', actor: 'david.okafor', resource_id: legal.schedule.id });

    // Only the owner edits; the edit (even of the time alone) needs the approval again.
    const { id: _id, approval: _a, ...rest } = approved.schedule;
    const edit = { id: legal.schedule.id, name: rest.name, type: rest.type, format: rest.format, masking: rest.masking, purpose: rest.purpose, recipient: rest.recipient, cadence: rest.cadence, weekday: rest.weekday, timeOfDay: '08:00' };
    const foreign = await t.result('schedules.update', edit, counsel);
    expect(foreign.ok ? null : foreign.error.code).toBe('forbidden');
    const edited = await t.call<S>('schedules.update', edit, officer);
    expect(edited.schedule).toMatchObject({ approval: 'pending', approvedBy: null, timeOfDay: '08:00' });
    expect(t.lastEvent('schedules.update')?.details).toMatchObject({ approval_voided: true, time_of_day: '08:00' });

    // Refused content changes nothing but the refusal's event.
    const before = t.eventCount();
    const csvEvidence = await t.result('schedules.create', { ...INTERNAL_MASKED, includeEvidence: true }, officer);
    expect(csvEvidence.ok ? null : csvEvidence.error.code).toBe('validation');
    const weeklyNoDay = await t.result('schedules.create', { ...INTERNAL_MASKED, cadence: 'weekly' }, officer);
    expect(weeklyNoDay.ok ? null : weeklyNoDay.error.message).toContain('day of the week');
    const noCase = await t.result('schedules.create', { ...INTERNAL_MASKED, caseId: 'CASE-1999-0001' }, officer);
    expect(noCase.ok ? null : noCase.error.code).toBe('not_found');
    expect(t.eventCount()).toBe(before + 3);
    expect((await t.call<{ items: ExportSchedule[]; total: number }>('schedules.list', {}, auditor)).total).toBe(3);
    const found = await t.call<{ items: ExportSchedule[]; total: number }>('schedules.list', { search: 'unmask' }, auditor);
    expect(found.items.map((s) => s.name)).toEqual(['Unmasked']);
  });

  it('catches up a schedule that missed three runs with ONE run, records the two before it as skipped, and lands the file in exports/ with its SHA-256 ledgered', async () => {
    let scheduleId = '';
    const time = halfHourAgo();
    const t = await workspaceFrom(3, async (w) => {
      scheduleId = (await w.call<S>('schedules.create', { ...INTERNAL_MASKED, timeOfDay: time }, w.admin)).schedule.id;
    });
    const listed = (await t.call<{ items: ExportSchedule[] }>('schedules.list', {}, t.admin)).items[0]!;
    expect(listed.missedNow).toBe(3);

    const results = await runDueSchedules(t.app.ws, t.app.wiring.caseResources);
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r).toMatchObject({ schedule: scheduleId, status: 'executed', skipped: 2, error: null });
    const req = (await t.call<{ items: ExportRequest[] }>('exports.list', {}, t.admin)).items.find((e) => e.id === r.requestId)!;
    expect(req).toMatchObject({ status: 'executed', requestedBy: 'admin', decidedBy: 'policy', executedBy: 'system', format: 'csv' });
    const bytes = readFileSync(exportedPath(t, req.fileName!));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(req.sha256);
    expect(t.lastEvent('exports.execute')).toMatchObject({ actor: 'system', resource_id: req.id, details: { sha256: req.sha256 } });
    expect(t.lastEvent('exports.request')?.details).toMatchObject({ schedule: scheduleId });
    expect(t.lastEvent('schedules.skip')?.details).toMatchObject({ missed: 2, ran_instead: r.occurrence });

    const runs = (await t.call<{ runs: ScheduleRun[] }>('schedules.runs', { id: scheduleId }, t.admin)).runs;
    expect(runs.map((x) => [x.kind, x.missed, x.requestStatus])).toEqual([
      ['run', 0, 'executed'],
      ['skipped', 2, null],
    ]);
    const after = (await t.call<{ items: ExportSchedule[] }>('schedules.list', {}, t.admin)).items[0]!;
    expect(after).toMatchObject({ missedNow: 0, lastRun: { kind: 'run', requestId: req.id, requestStatus: 'executed' } });
    expect(new Date(after.nextRunAt!).getTime()).toBeGreaterThan(Date.now());

    // Nothing is due any more: a second check runs nothing.
    expect(await runDueSchedules(t.app.ws, t.app.wiring.caseResources)).toEqual([]);
  });

  it('never runs a schedule waiting for approval or paused; resuming does not run what passed while paused', async () => {
    const time = halfHourAgo();
    let pending = '';
    let paused = '';
    const t = await workspaceFrom(2, async (w) => {
      pending = (await w.call<S>('schedules.create', { ...INTERNAL_MASKED, type: 'AUDIT', timeOfDay: time }, w.admin)).schedule.id;
      paused = (await w.call<S>('schedules.create', { ...INTERNAL_MASKED, name: 'Paused', timeOfDay: time }, w.admin)).schedule.id;
      await w.call('schedules.setActive', { id: paused, active: false }, w.admin);
    });
    expect(await runDueSchedules(t.app.ws, t.app.wiring.caseResources)).toEqual([]);
    const resumed = await t.call<S>('schedules.setActive', { id: paused, active: true }, t.admin);
    expect(resumed.schedule.missedNow).toBe(0);
    expect(await runDueSchedules(t.app.ws, t.app.wiring.caseResources)).toEqual([]);
    expect((await t.call<{ items: ExportSchedule[] }>('schedules.list', {}, t.admin)).items.find((s) => s.id === pending)?.approval).toBe('pending');
  });

  it('a run that cannot start (its owner may no longer export) is ledgered as a failure, shown as the last run, and not retried on every tick', async () => {
    const time = halfHourAgo();
    let id = '';
    const t = await workspaceFrom(1, async (w) => {
      const officer = await w.addUser('maria.chen', 'compliance_officer');
      id = (await w.call<S>('schedules.create', { ...INTERNAL_MASKED, timeOfDay: time }, officer)).schedule.id;
      await w.call('users.update', { username: 'maria.chen', role: 'viewer' }, w.admin);
    });
    const [r] = await runDueSchedules(t.app.ws, t.app.wiring.caseResources);
    expect(r).toMatchObject({ schedule: id, status: 'failed', requestId: null });
    expect(r!.error).toContain('may no longer request exports');
    expect(t.lastEvent('schedules.run')).toMatchObject({ outcome: 'failure', actor: 'system', resource_id: id });
    const s = (await t.call<{ items: ExportSchedule[] }>('schedules.list', {}, t.admin)).items[0]!;
    expect(s.lastRun).toMatchObject({ kind: 'failed' });
    expect(s.lastRun?.error).toContain('may no longer request exports');
    expect(await runDueSchedules(t.app.ws, t.app.wiring.caseResources)).toEqual([]);
  });

  it('only its owner or an administrator pauses or deletes a schedule; deleting keeps the exports it made', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const { schedule } = await t.call<S>('schedules.create', INTERNAL_MASKED, officer);
    const refused = await t.result('schedules.setActive', { id: schedule.id, active: false }, counsel);
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');
    expect(t.lastEvent('schedules.setActive')).toMatchObject({ outcome: 'denied', actor: 'david.okafor' });
    await t.call('schedules.setActive', { id: schedule.id, active: false }, t.admin);
    const twice = await t.result('schedules.setActive', { id: schedule.id, active: false }, officer);
    expect(twice.ok ? null : twice.error.code).toBe('conflict');
    await t.call('schedules.delete', { id: schedule.id }, officer);
    expect((await t.call<{ items: ExportSchedule[] }>('schedules.list', {}, t.admin)).items).toEqual([]);
    const gone = await t.result('schedules.runs', { id: schedule.id }, t.admin);
    expect(gone.ok ? null : gone.error.code).toBe('not_found');
  });
});

describe('legal hold snapshot', () => {
  it('activating with the snapshot requests a signed bundle of the case in the same transaction, waiting for another approver', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const kase = await t.call<{ case: { id: string } }>('cases.create', { title: 'Grade dispute', type: 'investigation' }, officer);
    const draft = async () => (await t.call<{ hold: { id: string } }>('holds.create', { caseId: kase.case.id, title: 'Preserve grades' }, officer)).hold.id;

    const plain = await t.call<{ snapshotRequestId: string | null }>('holds.activate', { id: await draft() }, officer);
    expect(plain.snapshotRequestId, 'the policy default is off').toBeNull();

    const holdId = await draft();
    const snap = await t.call<{ hold: { status: string }; snapshotRequestId: string }>('holds.activate', { id: holdId, snapshot: true }, officer);
    expect(snap.hold.status).toBe('active');
    const activation = t.lastEvent('holds.activate')!;
    const link = t.lastEvent('bundles.holdSnapshot')!;
    expect(link).toMatchObject({ actor: 'maria.chen', resource_id: holdId, details: { case: kase.case.id, request: snap.snapshotRequestId, status: 'pending' } });
    expect(link.seq).toBeGreaterThan(activation.seq);
    const req = (await t.call<{ items: ExportRequest[] }>('exports.list', {}, t.admin)).items.find((e) => e.id === snap.snapshotRequestId)!;
    expect(req).toMatchObject({ format: 'bundle', type: 'LEGAL', caseId: kase.case.id, status: 'pending', requestedBy: 'maria.chen', includeEvidence: true });

    // The two-person rule holds: the activator cannot approve it; another approver can, and the activator runs it.
    const self = await t.result('exports.approve', { id: req.id }, officer);
    expect(self.ok ? null : self.error.code).toBe('forbidden');
    await t.call('exports.approve', { id: req.id, note: 'Snapshot for the hold file.' }, counsel);
    const ran = await t.call<{ request: ExportRequest }>('exports.execute', { id: req.id }, officer);
    expect(ran.request).toMatchObject({ status: 'executed' });
    expect(ran.request.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the snapshot is cut at the activation: events, evidence, custody and disclosures added while it waits stay out', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const { case: kase } = await t.call<{ case: { id: string } }>('cases.create', { title: 'Grade dispute', type: 'investigation' }, officer);
    const ingest = async (name: string) =>
      (
        await t.call<{ evidence: { id: string } }>(
          'evidence.ingestContent',
          { fileName: name, contentBase64: Buffer.from(`content of ${name}`).toString('base64'), title: name, source: 'Registrar', caseId: kase.id },
          officer,
        )
      ).evidence.id;
    const early = await ingest('early.txt');
    const { subject } = await t.call<{ subject: { id: string } }>('subjects.create', { displayName: 'Jamie Rivera', email: 'jamie@example.edu', directoryOptOut: false }, officer);
    const { categories } = await t.call<{ categories: { key: string }[] }>('records.categories', {}, officer);
    const { record } = await t.call<{ record: { id: string } }>(
      'records.create',
      { subjectId: subject.id, category: categories[0]!.key, title: 'Transcript', content: 'A, B, A', recordDate: '2025-06-01' },
      officer,
    );
    const disclose = async (recipient: string) =>
      (
        await t.call<{ disclosure: { id: string } }>(
          'disclosures.record',
          { subjectId: subject.id, recordIds: [record.id], recipient, basis: 'audit_evaluation', basisDetail: 'Annual audit', caseId: kase.id },
          officer,
        )
      ).disclosure.id;
    const disclosedBefore = await disclose('State auditor');
    // Linked, then unlinked before the hold; it will be linked again after the activation.
    const relinked = await ingest('relinked.txt');
    await t.call('cases.unlink', { id: kase.id, itemType: 'evidence', itemId: relinked }, officer);
    // A disclosure a subpoena production made is recorded by the production's event, not by disclosures.record.
    const produce = (disclosureId: string) =>
      t.app.ws.tx(() => t.app.ws.ledger.append({ actor: 'maria.chen', action: 'subpoenas.produce', resource_type: 'subpoena', resource_id: 'SUB-TEST', details: { disclosure_id: disclosureId } }));
    produce('DISC-PRODUCED-BEFORE');
    const { hold } = await t.call<{ hold: { id: string } }>('holds.create', { caseId: kase.id, title: 'Preserve grades' }, officer);
    const snap = await t.call<{ snapshotRequestId: string }>('holds.activate', { id: hold.id, snapshot: true }, officer);
    const activation = t.lastEvent('holds.activate')!;
    // What follows happens with the machine's clock stepped back an hour and standing still: the rows
    // get earlier times than the activation and the ledger's times stay put, so only seqs tell what came after.
    const { late, disclosedAfter } = await withSimulatedClock(new Date(Date.parse(activation.ts) - 3_600_000), 0, async () => {
      const late = await ingest('late.txt');
      const disclosedAfter = await disclose('Federal auditor');
      await t.call('evidence.transfer', { id: early, to: 'Records vault', purpose: 'Moved after the hold began' }, officer);
      await t.call('cases.update', { id: kase.id, title: 'Grade dispute (renamed later)' }, officer);
      await t.call('cases.link', { id: kase.id, itemType: 'evidence', itemId: relinked }, officer);
      produce('DISC-PRODUCED-AFTER');
      return { late, disclosedAfter };
    });

    await t.call('exports.approve', { id: snap.snapshotRequestId }, counsel);
    const ran = await t.call<{ bundle: { fileName: string } }>('exports.execute', { id: snap.snapshotRequestId }, officer);
    const path = exportedPath(t, ran.bundle.fileName);
    expect((await verifyBundleFile(path)).valid).toBe(true);
    const entries = await readEntries(path);
    const events = bundleEvents(entries);
    expect(events.map((e) => e.action)).toContain('holds.activate');
    // The cut is the activation's transaction: its last event before the request (the case put on hold).
    const req = (await t.call<{ items: ExportRequest[] }>('exports.list', {}, t.admin)).items.find((e) => e.id === snap.snapshotRequestId)!;
    const cut = req.filters.throughSeq!;
    expect(cut).toBeLessThan(t.lastEvent('bundles.holdSnapshot')!.seq);
    expect(cut).toBeGreaterThanOrEqual(activation.seq);
    expect(events.filter((e) => e.seq > cut)).toEqual([]);
    expect(events.some((e) => e.resource_id === late || e.action === 'cases.update' || e.action === 'evidence.transfer')).toBe(false);
    expect(entries.has(`evidence/${early}/custody.json`)).toBe(true);
    expect([...entries.keys()].some((k) => k.startsWith(`evidence/${late}/`))).toBe(false);
    const custody = JSON.parse(entries.get(`evidence/${early}/custody.json`)!.toString('utf8')) as { through_seq: number; chain: { ledgerSeq: number; kind: string }[] };
    expect(custody.through_seq).toBe(cut);
    expect(Date.parse((custody as unknown as { fields_as_of: string }).fields_as_of)).not.toBeNaN();
    const disclosures = JSON.parse(entries.get('disclosures.json')!.toString('utf8')) as { disclosures: { id: string }[] };
    expect(disclosures.disclosures.map((d) => d.id)).toEqual([disclosedBefore]);
    expect(disclosedAfter).not.toBe(disclosedBefore);
    expect(custody.chain.length).toBeGreaterThan(0);
    expect(custody.chain.every((c) => c.ledgerSeq <= custody.through_seq)).toBe(true);
    expect(custody.chain.map((c) => c.kind)).not.toContain('transfer');

    // A link whose event has no body left (pruned, or older than the ledger's cases.link) is judged by its own time.
    const db = t.app.ws.db;
    const link = db.prepare("INSERT INTO case_links (case_id, item_type, item_id, linked_by, linked_at) VALUES (?, 'evidence', ?, 'admin', ?)");
    link.run(kase.id, 'EV-OLD', '2000-01-01T00:00:00.000Z');
    link.run(kase.id, 'EV-FUTURE', '2999-01-01T00:00:00.000Z');
    const linked = caseEvidenceIds(db, kase.id, cut);
    expect(linked).toEqual(expect.arrayContaining([early, 'EV-OLD']));
    expect(linked).not.toContain(late);
    expect(linked).not.toContain('EV-FUTURE');
    expect(linked).not.toContain(relinked);
    expect([...entries.keys()].some((k) => k.startsWith(`evidence/${relinked}/`))).toBe(false);
    expect(caseEvidenceIds(db, kase.id)).toEqual(expect.arrayContaining([early, late, relinked, 'EV-OLD', 'EV-FUTURE']));
    // Production-made disclosures (their rows written with a time long before, as a stepped-back clock would) go by their event.
    const row = db.prepare(
      `INSERT INTO disclosures (id, subject_id, case_id, disclosed_at, recipient, basis, basis_detail, disclosed_by, recorded_by, recorded_at)
       VALUES (?, ?, ?, '2000-01-01', 'Court', 'subpoena', 'Production', 'maria.chen', 'maria.chen', '2000-01-01T00:00:00.000Z')`,
    );
    row.run('DISC-PRODUCED-BEFORE', subject.id, kase.id);
    row.run('DISC-PRODUCED-AFTER', subject.id, kase.id);
    const disclosed = disclosureIds(db, kase.id, cut);
    expect(disclosed).toEqual(expect.arrayContaining([disclosedBefore, 'DISC-PRODUCED-BEFORE']));
    expect(disclosed).not.toContain('DISC-PRODUCED-AFTER');
    expect(disclosed).not.toContain(disclosedAfter);
  });

  it('a snapshot that cannot be requested leaves the hold a draft (one transaction)', async () => {
    const t = await createTempWorkspace({ log: () => {} });
    const kase = await t.call<{ case: { id: string } }>('cases.create', { title: 'Grade dispute', type: 'investigation' }, t.admin);
    const { hold } = await t.call<{ hold: { id: string } }>('holds.create', { caseId: kase.case.id, title: 'Preserve grades' }, t.admin);
    // The snapshot's own event is refused: the activation before it in the same transaction must not stay either.
    const append = t.app.ws.ledger.append.bind(t.app.ws.ledger);
    t.app.ws.ledger.append = ((e: Parameters<typeof append>[0], at?: Date) => {
      if (e.action === 'bundles.holdSnapshot') throw new Error('injected');
      return append(e, at);
    }) as typeof append;
    const r = await t.result('holds.activate', { id: hold.id, snapshot: true }, t.admin);
    t.app.ws.ledger.append = append;
    expect(r.ok).toBe(false);
    const got = await t.call<{ hold: { status: string } }>('holds.get', { id: hold.id }, t.admin);
    expect(got.hold.status).toBe('draft');
    expect((await t.call<{ items: ExportRequest[] }>('exports.list', {}, t.admin)).items).toEqual([]);
  });
});
