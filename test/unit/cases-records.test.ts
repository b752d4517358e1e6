import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSummary, Subject } from '../../shared/contract/subjects.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { addDuration, retentionUntil } from '../../electron/core/domain/retention-policy.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

let t: TempWorkspace;
let officer: string;
let auditor: string;
let viewer: string;

beforeAll(async () => {
  t = await createTempWorkspace();
  officer = await t.addUser('maria.chen', 'compliance_officer');
  auditor = await t.addUser('priya.raman', 'auditor');
  viewer = await t.addUser('sam.wright', 'viewer');
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

const lastEvent = (action: string): LedgerEvent | undefined => t.lastEvent(action);
const policy = JSON.parse(readFileSync(new URL('../../resources/policies/retention.json', import.meta.url), 'utf8')) as {
  categories: Record<string, { period: string | null; erasable: boolean }>;
};

async function subject(name: string, optOut = false): Promise<Subject> {
  return (await t.call<{ subject: Subject }>('subjects.create', { displayName: name, email: `${name.split(' ')[0]?.toLowerCase()}@example.edu`, directoryOptOut: optOut }, officer)).subject;
}
async function record(subjectId: string, category: string, recordDate: string, title = `${category} record`): Promise<RecordSummary> {
  return (await t.call<{ record: RecordSummary }>('records.create', { subjectId, category, title, content: `Body of ${title}`, recordDate }, officer)).record;
}

describe('retention policy', () => {
  it('reads periods from resources/policies/retention.json, including the seed-002 categories', async () => {
    const { categories } = await t.call<{ categories: { key: string; period: string | null }[] }>('records.categories', {}, viewer);
    const keys = categories.map((c) => c.key);
    for (const k of ['academic', 'attendance', 'communications', 'financial_aid', 'disciplinary', 'health', 'directory', 'assessment']) expect(keys).toContain(k);
    expect(Object.fromEntries(categories.map((c) => [c.key, c.period]))).toEqual(Object.fromEntries(Object.entries(policy.categories).map(([k, v]) => [k, v.period])));
    expect(policy.categories.attendance?.period).toBe('P3Y');
    expect(policy.categories.academic?.period).toBeNull();
  });

  it('adds ISO 8601 durations to dates', () => {
    expect(addDuration('2020-01-15', 'P3Y')).toBe('2023-01-15');
    expect(addDuration('2020-01-31', 'P1M')).toBe('2020-03-02');
    expect(addDuration('2020-12-31', 'P1D')).toBe('2021-01-01');
    expect(addDuration('2019-03-01', 'P7Y6M')).toBe('2026-09-01');
    expect(retentionUntil('academic', '2010-01-01')).toBeNull();
  });
});

describe('subjects and records through the dispatch', () => {
  it('creates subjects with the FERPA 99.37 directory opt-out and ledgers changes without personal data', async () => {
    const s = await subject('Avery Quinn', true);
    expect(s.id).toMatch(/^SUBJ-\d{5}$/);
    expect(s.directoryOptOut).toBe(true);
    expect(s.directoryOptOutAt).not.toBeNull();
    expect(JSON.stringify(lastEvent('subjects.create'))).not.toContain('Avery');
    const back = await t.call<{ subject: Subject }>('subjects.setDirectoryOptOut', { id: s.id, optOut: false }, officer);
    expect(back.subject.directoryOptOut).toBe(false);
    expect(lastEvent('subjects.setDirectoryOptOut')).toMatchObject({ resource_id: s.id, details: { opt_out: false } });
    const optedOut = await t.call<{ items: Subject[] }>('subjects.list', { directoryOptOut: true }, viewer);
    expect(optedOut.items.find((x) => x.id === s.id)).toBeUndefined();
    await expect(t.call('subjects.create', { displayName: 'Dup', externalId: 'S-1' }, officer).then(() => t.call('subjects.create', { displayName: 'Dup 2', externalId: 'S-1' }, officer))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('computes retention_until from the category policy and the record date', async () => {
    const s = await subject('Blake Rivera');
    const academic = await record(s.id, 'academic', '2019-05-20');
    const attendance = await record(s.id, 'attendance', '2019-05-20');
    const comms = await record(s.id, 'communications', '2024-02-29');
    expect(academic.retentionUntil).toBeNull();
    expect(attendance.retentionUntil).toBe('2022-05-20');
    expect(comms.retentionUntil).toBe('2026-03-01');
    expect(lastEvent('records.create')?.details).toMatchObject({ subject: s.id, category: 'communications', retention_until: '2026-03-01' });
    expect(JSON.stringify(lastEvent('records.create'))).not.toContain('Body of');
    await expect(record(s.id, 'gossip', '2020-01-01')).rejects.toMatchObject({ code: 'validation' });
    expect(lastEvent('records.create')).toMatchObject({ outcome: 'failure', details: { code: 'validation' } });
  });

  it('logs every view of a record and hides content from viewers', async () => {
    const s = await subject('Casey Morgan');
    const r = await record(s.id, 'health', '2023-01-01', 'Immunization record');
    const view = await t.call<{ content: string }>('records.get', { id: r.id, purpose: 'audit sample' }, auditor);
    expect(view.content).toBe('Body of Immunization record');
    expect(lastEvent('records.view')).toMatchObject({ actor: 'priya.raman', resource_id: r.id, details: { purpose: 'audit sample', subject: s.id } });
    expect((await t.result('records.get', { id: r.id }, viewer)).ok).toBe(false);
    const listed = await t.call<{ items: RecordSummary[] }>('records.list', { subjectId: s.id }, viewer);
    expect(listed.items.map((x) => x.id)).toEqual([r.id]);
  });

  it('purges expired records, keeps permanent and unexpired ones, and leaves tombstones', async () => {
    const s = await subject('Dana Ellis');
    const oldAttendance = await record(s.id, 'attendance', '2015-09-01');
    const oldComms = await record(s.id, 'communications', '2016-01-10');
    const oldAcademic = await record(s.id, 'academic', '2001-01-01');
    const fresh = await record(s.id, 'attendance', new Date().toISOString().slice(0, 10));
    const expired = await t.call<{ items: RecordSummary[] }>('records.list', { subjectId: s.id, expired: true }, viewer);
    expect(expired.items.map((r) => r.id).sort()).toEqual([oldAttendance.id, oldComms.id].sort());
    await expect(t.call('records.purgeExpired', { ids: [fresh.id] }, officer)).rejects.toMatchObject({ code: 'conflict' });
    const res = await t.call<{ purged: string[]; held: unknown[] }>('records.purgeExpired', {}, officer);
    expect(res.purged).toEqual(expect.arrayContaining([oldAttendance.id, oldComms.id]));
    expect(res.purged).not.toContain(oldAcademic.id);
    expect(res.purged).not.toContain(fresh.id);
    const row = t.app.ws.db.prepare('SELECT content, title, status FROM records WHERE id = ?').get(oldAttendance.id);
    expect(row).toEqual({ content: null, title: '', status: 'purged' });
    expect(t.events().filter((e) => e.action === 'records.purgeExpired' && e.resource_id === oldAttendance.id && e.outcome === 'success')).toHaveLength(1);
    const again = await t.call<{ purged: string[] }>('records.purgeExpired', {}, officer);
    expect(again.purged).toEqual([]);
  });

  it('erases on request only where policy allows, and edits in place', async () => {
    const s = await subject('Emery Stone');
    // Communications are erased on request once their 2 years have run (seed 002: "Communication logs (after retention)").
    const comms = await record(s.id, 'communications', '2024-01-01');
    // Dated from today, so it stays inside its 2 years whenever the test runs.
    const recent = await record(s.id, 'communications', new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10));
    const grades = await record(s.id, 'grades', '2025-01-01');
    await expect(t.call('records.erase', { id: grades.id, reason: 'student request' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('records.erase', { id: recent.id, reason: 'student request' }, officer)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`must be kept until ${recent.retentionUntil} .*cannot be erased on request`)),
    });
    const erased = await t.call<{ record: RecordSummary }>('records.erase', { id: comms.id, reason: 'student request' }, officer);
    expect(erased.record.status).toBe('erased');
    await expect(t.call('records.erase', { id: comms.id, reason: 'again' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    const upd = await t.call<{ record: RecordSummary }>('records.update', { id: grades.id, title: 'Grade report (corrected)', category: 'assessment' }, officer);
    expect(upd.record.retentionUntil).toBe('2033-01-01');
    expect(lastEvent('records.update')?.details).toMatchObject({ changed: ['title', 'category'] });
  });

  it('forbids subject and record mutations to auditors and viewers', async () => {
    const s = await subject('Finley Hart');
    const r = await record(s.id, 'communications', '2010-01-01');
    for (const session of [auditor, viewer]) {
      for (const [channel, input] of [
        ['subjects.create', { displayName: 'X' }],
        ['subjects.update', { id: s.id, displayName: 'Y' }],
        ['subjects.setDirectoryOptOut', { id: s.id, optOut: true }],
        ['records.create', { subjectId: s.id, category: 'academic', title: 'T', recordDate: '2020-01-01' }],
        ['records.update', { id: r.id, title: 'Z' }],
        ['records.erase', { id: r.id, reason: 'because' }],
        ['records.purgeExpired', {}],
      ] as const) {
        const res = await t.result(channel, input, session);
        expect(res.ok ? 'ok' : res.error.code, channel).toBe('forbidden');
        expect(lastEvent(channel)?.outcome).toBe('denied');
      }
    }
    const still = t.app.ws.db.prepare('SELECT status FROM records WHERE id = ?').get(r.id) as { status: string };
    expect(still.status).toBe('active');
  });
});
