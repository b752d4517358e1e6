import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionPolicy, SweepHeld, SweepRun } from '../../shared/contract/retention.js';
import type { RecordSummary } from '../../shared/contract/subjects.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { canonicalBytes } from '../../electron/core/ledger/jcs.js';
import { latestSlot, nextSlotAfter, nextSweepAt, sweepIfDue } from '../../electron/core/retention/schedule.js';
import { createTempWorkspace, removeTempDirs, type Staff, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

type Plan = { asOf: string; counts: { archive: number; delete: number; held: number }; candidates: { id: string; action: string }[]; held: SweepHeld[]; truncated: boolean };
type Swept = { run: SweepRun; archived: string[]; deleted: string[]; held: SweepHeld[] };

let t: TempWorkspace;
let staff: Staff;

beforeAll(async () => {
  t = await createTempWorkspace();
  staff = await t.addStaff();
});

async function subject(name: string): Promise<string> {
  return (await t.call<{ subject: { id: string } }>('subjects.create', { displayName: name }, staff.officer)).subject.id;
}

async function record(subjectId: string, category: string, recordDate: string, content = `Body of a ${category} record`): Promise<RecordSummary> {
  return (await t.call<{ record: RecordSummary }>('records.create', { subjectId, category, title: `${category} ${recordDate}`, content, recordDate }, staff.officer)).record;
}

async function holdOnSubject(subjectId: string): Promise<string> {
  const kase = await t.call<{ case: { id: string } }>('cases.create', { title: `Hold for ${subjectId}`, type: 'investigation' }, staff.counsel);
  const { hold } = await t.call<{ hold: { id: string } }>('holds.create', { caseId: kase.case.id, title: `Preserve ${subjectId}`, scope: { subjectIds: [subjectId] } }, staff.counsel);
  await t.call('holds.activate', { id: hold.id }, staff.counsel);
  return hold.id;
}

function row(id: string): { status: string; title: string; content: string | null; archived_at: string | null; retention_until: string | null } {
  return t.app.ws.db.prepare('SELECT status, title, content, archived_at, retention_until FROM records WHERE id = ?').get(id) as never;
}

async function policy(category: string): Promise<RetentionPolicy> {
  const { policies } = await t.call<{ policies: RetentionPolicy[] }>('retention.policies', {}, staff.viewer);
  return policies.find((p) => p.category === category) as RetentionPolicy;
}

describe('retention policies', () => {
  it('ship the defaults of retention.json: period, action, classification, and a hold override that is always false', async () => {
    const attendance = await policy('attendance');
    expect(attendance).toMatchObject({ periodValue: 3, periodUnit: 'years', period: 'P3Y', action: 'delete', legalHoldOverride: false, customized: false });
    expect(await policy('academic')).toMatchObject({ periodValue: null, periodUnit: null, action: 'archive' });
    expect(await policy('compliance_audit')).toMatchObject({ period: 'P7Y', action: 'archive' });
  });

  it('are changed by an administrator only, ledgered with before and after, and the records of the category follow', async () => {
    const s = await subject('Policy Person');
    const r = await record(s, 'health', '2020-01-10');
    expect(r.retentionUntil).toBe('2027-01-10');
    const res = await t.call<{ policy: RetentionPolicy; recomputed: number }>(
      'retention.setPolicy',
      { category: 'health', periodValue: 18, periodUnit: 'months', action: 'archive', classification: 'confidential' },
      t.admin,
    );
    expect(res.policy).toMatchObject({ period: 'P18M', action: 'archive', classification: 'confidential', customized: true, updatedBy: 'admin' });
    expect(res.recomputed).toBeGreaterThanOrEqual(1);
    expect(row(r.id).retention_until).toBe('2021-07-10');
    expect(t.lastEvent('retention.setPolicy')).toMatchObject({
      actor: 'admin',
      resource_id: 'health',
      outcome: 'success',
      details: { from: { period: 'P7Y', action: 'delete', classification: 'restricted' }, to: { period: 'P18M', action: 'archive', classification: 'confidential' }, recomputed: res.recomputed },
    });
    // New records follow the changed policy; weeks are days.
    await t.call('retention.setPolicy', { category: 'health', periodValue: 2, periodUnit: 'weeks', action: 'delete', classification: 'restricted' }, t.admin);
    expect((await record(s, 'health', '2026-01-01')).retentionUntil).toBe('2026-01-15');
    // Permanent again: no retention date.
    await t.call('retention.setPolicy', { category: 'health', periodValue: null, periodUnit: null, action: 'delete', classification: 'restricted' }, t.admin);
    expect(row(r.id).retention_until).toBeNull();
    await t.call('retention.setPolicy', { category: 'health', periodValue: 7, periodUnit: 'years', action: 'delete', classification: 'restricted' }, t.admin);
    expect(row(r.id).retention_until).toBe('2027-01-10');
  });

  it('refuse non-administrators, a hold override, half a period and unknown categories: one refusal event each, nothing changed', async () => {
    const before = await policy('communications');
    const cases: [string, unknown, string][] = [
      [staff.officer, { category: 'communications', periodValue: 1, periodUnit: 'days', action: 'delete', classification: 'internal' }, 'forbidden'],
      [staff.auditor, { category: 'communications', periodValue: 1, periodUnit: 'days', action: 'delete', classification: 'internal' }, 'forbidden'],
      [t.admin, { category: 'communications', periodValue: 1, periodUnit: 'days', action: 'delete', classification: 'internal', legalHoldOverride: true }, 'validation'],
      [t.admin, { category: 'communications', periodValue: 1, periodUnit: null, action: 'delete', classification: 'internal' }, 'validation'],
      [t.admin, { category: 'communications', periodValue: 1, periodUnit: 'days', action: 'shred', classification: 'internal' }, 'validation'],
      [t.admin, { category: 'no_such_thing', periodValue: 1, periodUnit: 'days', action: 'delete', classification: 'internal' }, 'validation'],
    ];
    for (const [session, input, code] of cases) {
      const n = t.eventCount();
      const r = await t.result('retention.setPolicy', input, session);
      expect(!r.ok && r.error.code, JSON.stringify(input)).toBe(code);
      const added = t.eventsAfter(n);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ action: 'retention.setPolicy', outcome: code === 'forbidden' ? 'denied' : 'failure' });
    }
    expect(await policy('communications')).toEqual(before);
  });
});

/** Locks and signs everyone in again (the other tests go on with the new sessions). */
async function relock(): Promise<void> {
  t.lock();
  t.admin = await t.login();
  staff.officer = await t.login('maria.chen');
  staff.counsel = await t.login('david.okafor');
  staff.auditor = await t.login('priya.raman');
  staff.viewer = await t.login('sam.wright');
}

describe('the sweep', () => {
  it('archives and deletes exactly what the dry run listed, skips held records, ledgers each item and a closing count, and keeps the content hash', async () => {
    const free = await subject('Free Student');
    const held = await subject('Held Student');
    const oldComms = await record(free, 'communications', '2015-02-01', 'Dear student, your schedule is confirmed.');
    const oldAudit = await record(free, 'compliance_audit', '2012-03-01');
    const permanent = await record(free, 'academic', '2001-01-01');
    const fresh = await record(free, 'attendance', '2026-01-05');
    const heldComms = await record(held, 'communications', '2014-01-01');
    const heldAudit = await record(held, 'compliance_audit', '2011-01-01');
    const holdId = await holdOnSubject(held);
    const contentBefore = t.app.ws.db.prepare('SELECT id, subject_id, category, title, content, source, record_date FROM records WHERE id = ?').get(oldComms.id) as Record<string, string>;
    const expectedHash = createHash('sha256')
      .update(canonicalBytes({ id: oldComms.id, subject: contentBefore.subject_id, category: 'communications', title: contentBefore.title, content: contentBefore.content, source: contentBefore.source, record_date: contentBefore.record_date }))
      .digest('hex');

    const n0 = t.eventCount();
    const plan = await t.call<Plan>('retention.preview', {}, staff.auditor);
    expect(t.eventCount()).toBe(n0); // a dry run changes nothing, not even the ledger
    const planned = new Map(plan.candidates.map((c) => [c.id, c.action]));
    expect(planned.get(oldComms.id)).toBe('delete');
    expect(planned.get(oldAudit.id)).toBe('archive');
    for (const id of [permanent.id, fresh.id, heldComms.id, heldAudit.id]) expect(planned.has(id)).toBe(false);
    expect(plan.held.map((h) => h.id)).toEqual(expect.arrayContaining([heldComms.id, heldAudit.id]));
    expect(plan.held.find((h) => h.id === heldComms.id)?.holds).toEqual([holdId]);

    const n1 = t.eventCount();
    const done = await t.call<Swept>('retention.sweep', {}, staff.officer);
    expect([...done.archived, ...done.deleted].sort()).toEqual([...planned.keys()].sort());
    expect(done.deleted).toContain(oldComms.id);
    expect(done.archived).toContain(oldAudit.id);
    expect(done.held.map((h) => h.id).sort()).toEqual(plan.held.map((h) => h.id).sort());
    expect(done.run).toMatchObject({ trigger: 'manual', actor: 'maria.chen', archived: done.archived.length, deleted: done.deleted.length, held: done.held.length });

    // One event per item, then the closing event with the counts.
    const added = t.eventsAfter(n1);
    const items = added.filter((e) => e.action === 'retention.sweep');
    expect(items).toHaveLength(done.archived.length + done.deleted.length + done.held.length);
    expect(added.at(-1)).toMatchObject({
      action: 'retention.sweep.complete',
      resource_id: done.run.id,
      details: { run: done.run.id, trigger: 'manual', archived: done.archived.length, deleted: done.deleted.length, held: done.held.length },
    });
    expect(items.find((e) => e.resource_id === oldComms.id)).toMatchObject({ outcome: 'success', details: { action: 'delete', content_sha256: expectedHash, run: done.run.id } });
    expect(items.find((e) => e.resource_id === oldAudit.id)).toMatchObject({ outcome: 'success', details: { action: 'archive' } });
    expect(items.find((e) => e.resource_id === heldComms.id)).toMatchObject({ outcome: 'denied', details: { code: 'held', holds: [holdId] } });

    // Deleted: a tombstone. Archived: kept, read-only, out of the default list. Held: untouched.
    expect(row(oldComms.id)).toMatchObject({ status: 'purged', title: '', content: null });
    expect(row(oldAudit.id)).toMatchObject({ status: 'active', content: `Body of a compliance_audit record` });
    expect(row(heldComms.id)).toMatchObject({ status: 'active', archived_at: null, content: 'Body of a communications record' });
    expect(row(heldAudit.id)).toMatchObject({ status: 'active', archived_at: null });
    const got = await t.call<{ record: RecordSummary; content: string }>('records.get', { id: oldAudit.id, purpose: 'audit' }, staff.auditor);
    expect(got.record.status).toBe('archived');
    expect(got.content).toBe('Body of a compliance_audit record');
    const byDefault = await t.call<{ items: RecordSummary[] }>('records.list', { subjectId: free, limit: 100 }, staff.officer);
    expect(byDefault.items.map((r) => r.id)).not.toContain(oldAudit.id);
    const archivedList = await t.call<{ items: RecordSummary[] }>('records.list', { subjectId: free, status: 'archived', limit: 100 }, staff.officer);
    expect(archivedList.items.map((r) => r.id)).toEqual([oldAudit.id]);
    for (const [channel, input] of [
      ['records.update', { id: oldAudit.id, content: 'rewritten' }],
      ['records.erase', { id: oldAudit.id, reason: 'student request' }],
    ] as const) {
      const r = await t.result(channel, input, staff.officer);
      expect(!r.ok && r.error.code).toBe('conflict');
    }

    // A second dry run finds nothing new to do; the held records are still skipped.
    const again = await t.call<Plan>('retention.preview', {}, staff.officer);
    expect(again.candidates).toEqual([]);
    expect(again.counts).toMatchObject({ archive: 0, delete: 0 });

    // An archived record is deleted once its policy says delete; after the hold is released the held ones go too.
    await t.call('retention.setPolicy', { category: 'compliance_audit', periodValue: 7, periodUnit: 'years', action: 'delete', classification: 'internal' }, t.admin);
    await t.call('holds.release', { id: holdId, reason: 'Matter closed' }, staff.counsel);
    const last = await t.call<Swept>('retention.sweep', {}, t.admin);
    expect(last.deleted).toEqual(expect.arrayContaining([oldAudit.id, heldComms.id, heldAudit.id]));
    expect(row(oldAudit.id).status).toBe('purged');
    await t.call('retention.setPolicy', { category: 'compliance_audit', periodValue: 7, periodUnit: 'years', action: 'archive', classification: 'internal' }, t.admin);
  });

  it('may be run by administrators and compliance officers only; the dry run is open to ledger readers', async () => {
    for (const session of [staff.counsel, staff.auditor, staff.viewer]) {
      const r = await t.result('retention.sweep', {}, session);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
    const v = await t.result('retention.preview', {}, staff.viewer);
    expect(!v.ok && v.error.code).toBe('forbidden');
  });

  it('brings record dates written under an earlier policy in line at unlock, before anything reads them: grades kept without a date are archived after 7 years', async () => {
    const s = await subject('Older Grades');
    const old = await record(s, 'grades', '2012-06-30');
    const recent = await record(s, 'grades', '2024-06-30');
    expect(old.retentionUntil).toBe('2019-06-30');
    // As a workspace made before grades were archived after 7 years left them: no date at all.
    t.app.ws.db.prepare('UPDATE records SET retention_until = NULL WHERE id IN (?, ?)').run(old.id, recent.id);
    const n0 = t.eventCount();
    await relock();
    const dates = () => t.app.ws.db.prepare('SELECT id, retention_until, archived_at IS NOT NULL AS archived FROM records WHERE id IN (?, ?) ORDER BY id').all(old.id, recent.id);
    expect(dates()).toEqual([
      { id: old.id, retention_until: '2019-06-30', archived: 0 },
      { id: recent.id, retention_until: '2031-06-30', archived: 0 },
    ]);
    expect(t.eventsAfter(n0).filter((e) => e.action === 'retention.reconcileDates')).toMatchObject([
      { actor: 'system', resource_id: 'grades', outcome: 'success', details: { policy: { period: 'P7Y', action: 'archive' }, recomputed: 2 } },
    ]);
    // The dry run and the sweep now agree: the old grade record is listed, then archived.
    const plan = await t.call<Plan>('retention.preview', {}, staff.officer);
    expect(plan.candidates.find((c) => c.id === old.id)?.action).toBe('archive');
    expect(plan.candidates.some((c) => c.id === recent.id)).toBe(false);
    await t.call('retention.sweep', {}, staff.officer);
    expect(dates()).toEqual([
      { id: old.id, retention_until: '2019-06-30', archived: 1 },
      { id: recent.id, retention_until: '2031-06-30', archived: 0 },
    ]);
    // Once in line, the next unlock changes no date.
    const n1 = t.eventCount();
    await relock();
    expect(t.eventsAfter(n1).filter((e) => e.action === 'retention.reconcileDates')).toEqual([]);
  });

  it('records.purgeExpired goes through the same engine: archive categories are archived, the deletion keeps its hash', async () => {
    const s = await subject('Purge Path');
    const audit = await record(s, 'compliance_audit', '2010-01-01');
    const comms = await record(s, 'communications', '2010-01-01');
    const r = await t.call<{ purged: string[]; archived: string[] }>('records.purgeExpired', { ids: [audit.id, comms.id] }, staff.officer);
    expect(r).toMatchObject({ purged: [comms.id], archived: [audit.id] });
    expect(t.lastEvent('records.purgeExpired')?.details).toMatchObject({ action: 'delete', content_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = await t.result('records.purgeExpired', { ids: [audit.id] }, staff.officer);
    expect(!again.ok && again.error.code).toBe('conflict');
  });
});

describe('the daily schedule', () => {
  // The workspace's zone, not the machine's (UTC here): 02:00 is 02:00 on the workspace's calendar.
  const ZONE = 'America/New_York';
  const hourIn = (d: Date) => Number(new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' }).format(d));

  it('runs once after 02:00 in the workspace time zone (as the system), catches up a missed run once at unlock, and not again until the next 02:00', async () => {
    const w = await createTempWorkspace();
    w.app.runsSchedule = true;
    const ws = w.app.ws;
    await w.call('workspace.setTimeZone', { timeZone: ZONE }, w.admin);
    const created = new Date(w.events()[0]!.ts);
    expect(hourIn(nextSweepAt(ws, created))).toBe(2);
    expect(nextSweepAt(ws, created).getUTCHours()).not.toBe(2);
    expect(nextSweepAt(ws, created).getTime()).toBe(nextSlotAfter(created, ZONE).getTime());
    // Not due before the first 02:00 after the workspace was created.
    expect(sweepIfDue(ws, 'schedule', new Date(nextSlotAfter(created, ZONE).getTime() - 1000))).toBeNull();
    // Three days later (the app was closed): signing in catches up once.
    const later = new Date(nextSlotAfter(created, ZONE).getTime() + 3 * 86_400_000 + 3_600_000);
    w.lock();
    await withSimulatedClock(later, 0, async () => {
      w.admin = await w.login();
      // A fresh workspace has no sweep before this sign-in.
      const sweeps = w.events().filter((e) => e.action === 'retention.sweep.complete');
      expect(sweeps).toHaveLength(1);
      expect(sweeps[0]).toMatchObject({ actor: 'system', details: { trigger: 'unlock' } });
      // The timer finds nothing more to do today…
      expect(sweepIfDue(w.app.ws, 'schedule', later)).toBeNull();
      const { lastSweep, nextSweepAt: next } = await w.call<{ lastSweep: SweepRun; nextSweepAt: string }>('retention.policies', {}, w.admin);
      expect(lastSweep.trigger).toBe('unlock');
      expect(new Date(next).getTime()).toBe(nextSlotAfter(later, ZONE).getTime());
    });
    // …and runs at the next 02:00.
    const nextDay = new Date(nextSlotAfter(later, ZONE).getTime() + 60_000);
    expect(latestSlot(nextDay, ZONE).getTime()).toBe(nextSlotAfter(later, ZONE).getTime());
    const run = sweepIfDue(w.app.ws, 'schedule', nextDay);
    expect(run).toMatchObject({ trigger: 'schedule', actor: 'system' });
    expect(sweepIfDue(w.app.ws, 'schedule', new Date(nextDay.getTime() + 3_600_000))).toBeNull();
  });
});

describe('held items under random holds, releases, policy changes and clock jumps', () => {
  const CATEGORIES = ['communications', 'compliance_audit'] as const;
  type Step =
    | { op: 'hold'; subject: number }
    | { op: 'release'; idx: number }
    | { op: 'policy'; category: number; days: number; action: 'archive' | 'delete' }
    | { op: 'jump'; days: number }
    | { op: 'sweep' };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('hold' as const), subject: fc.integer({ min: 0, max: 1 }) }),
    fc.record({ op: fc.constant('release' as const), idx: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ op: fc.constant('policy' as const), category: fc.integer({ min: 0, max: 1 }), days: fc.integer({ min: 1, max: 400 }), action: fc.constantFrom('archive' as const, 'delete' as const) }),
    fc.record({ op: fc.constant('jump' as const), days: fc.integer({ min: 0, max: 200 }) }),
    fc.constant({ op: 'sweep' as const }),
  );

  it('never archives or deletes a held record', async () => {
    let run = 0;
    // Ahead of the real clock (ledger timestamps never go back), and moving forward only.
    let clockAt = new Date('2028-01-01T09:00:00.000Z').getTime();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 14 }), async (steps) => {
        run += 1;
        clockAt += 1000 * 86_400_000;
        await withSimulatedClock(new Date(clockAt), 0, async (clock) => {
          const subjects = [await subject(`Prop ${run} A`), await subject(`Prop ${run} B`)];
          const today = new Date(clockAt).toISOString().slice(0, 10);
          const records: { id: string; subject: number }[] = [];
          for (let i = 0; i < 4; i++) {
            const r = await record(subjects[i % 2] as string, CATEGORIES[Math.floor(i / 2)] as string, today);
            records.push({ id: r.id, subject: i % 2 });
          }
          const holds: { id: string; subject: number; active: boolean }[] = [];
          for (const s of steps) {
            if (s.op === 'hold') holds.push({ id: await holdOnSubject(subjects[s.subject] as string), subject: s.subject, active: true });
            else if (s.op === 'release') {
              const h = holds[s.idx];
              if (h?.active) {
                await t.call('holds.release', { id: h.id, reason: 'Property release' }, staff.counsel);
                h.active = false;
              }
            } else if (s.op === 'policy') {
              await t.call('retention.setPolicy', { category: CATEGORIES[s.category], periodValue: s.days, periodUnit: 'days', action: s.action, classification: 'internal' }, t.admin);
            } else if (s.op === 'jump') {
              clockAt += s.days * 86_400_000;
              clock.set(new Date(clockAt));
            } else {
              const heldNow = new Set(records.filter((r) => holds.some((h) => h.active && h.subject === r.subject)).map((r) => r.id));
              const before = new Map(records.map((r) => [r.id, row(r.id)]));
              const n = t.eventCount();
              const done = await t.call<Swept>('retention.sweep', {}, t.admin);
              for (const id of heldNow) {
                expect(row(id), `held ${id}`).toEqual(before.get(id));
                expect(done.archived).not.toContain(id);
                expect(done.deleted).not.toContain(id);
                expect(t.eventsAfter(n).filter((e) => e.resource_id === id && e.outcome === 'success')).toEqual([]);
              }
            }
          }
          for (const h of holds.filter((x) => x.active)) await t.call('holds.release', { id: h.id, reason: 'Property cleanup' }, staff.counsel);
        });
        // Put the shipped defaults back for the next run.
        await t.call('retention.setPolicy', { category: 'communications', periodValue: 2, periodUnit: 'years', action: 'delete', classification: 'confidential' }, t.admin);
        await t.call('retention.setPolicy', { category: 'compliance_audit', periodValue: 7, periodUnit: 'years', action: 'archive', classification: 'internal' }, t.admin);
      }),
      { numRuns: 25 },
    );
  });
});
