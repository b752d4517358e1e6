import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { addMonths, extendedDue, responseDue } from '../../electron/core/privacy/privacy-policy.js';
import { auditGroup } from '../../electron/core/privacy/subject-audit-pdf.js';
import { nodeHash } from '../../electron/core/ledger/merkle.js';
import { createTempWorkspace, removeTempDirs, type Staff, type TempWorkspace } from './helpers/workspace.js';
import { exportedPath } from './helpers/outputs.js';

// Issue 12 item 4: GDPR and CCPA privacy-rights requests with their legal deadlines (policy data),
// one extension, outcomes, erasure through the one erase path (kept by law, held records), and the
// subject-rights audit PDF anchored to a signed checkpoint.

type Detail = ResponseOf<'privacyRequests.get'>;
type One = ResponseOf<'privacyRequests.create'>;

let t: TempWorkspace;
let staff: Staff;

beforeAll(async () => {
  t = await createTempWorkspace();
  staff = await t.addStaff();
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

async function subject(name: string): Promise<string> {
  const r = await t.call<{ subject: { id: string } }>('subjects.create', { kind: 'student', displayName: name }, staff.officer);
  return r.subject.id;
}

/** A record dated `recordDate`; by default a month ago, inside every category's period whenever the test runs. */
async function record(subjectId: string, category: string, title: string, recordDate = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)): Promise<string> {
  const r = await t.call<{ record: { id: string } }>('records.create', { subjectId, category, title, content: `${title} content`, recordDate }, staff.officer);
  return r.record.id;
}

async function create(subjectId: string, regime: 'gdpr' | 'ccpa', right: string, receivedAt?: string): Promise<One['request']> {
  const r = await t.call<One>(
    'privacyRequests.create',
    { subjectId, regime, right, requester: 'The student', description: 'Written request by email.', ...(receivedAt ? { receivedAt } : {}) },
    staff.officer,
  );
  return r.request;
}

/** Calls a channel that must be refused: exactly one event is added (the refusal) and no row changes. */
async function refused(channel: Parameters<TempWorkspace['result']>[0], input: unknown, code: string): Promise<string> {
  const before = t.app.ws.ledger.head().size;
  const rows = JSON.stringify(t.app.ws.db.prepare('SELECT * FROM privacy_requests ORDER BY id').all());
  const items = JSON.stringify(t.app.ws.db.prepare('SELECT * FROM privacy_request_items ORDER BY request_id, record_id').all());
  const records = JSON.stringify(t.app.ws.db.prepare('SELECT id, status, content FROM records ORDER BY id').all());
  const r = await t.result(channel, input, staff.officer);
  expect(r).toMatchObject({ ok: false, error: { code } });
  const added = t.eventsAfter(before);
  expect(added).toHaveLength(1);
  expect(added[0]).toMatchObject({ action: channel });
  expect(added[0]!.outcome).not.toBe('success');
  expect(JSON.stringify(t.app.ws.db.prepare('SELECT * FROM privacy_requests ORDER BY id').all())).toBe(rows);
  expect(JSON.stringify(t.app.ws.db.prepare('SELECT * FROM privacy_request_items ORDER BY request_id, record_id').all())).toBe(items);
  expect(JSON.stringify(t.app.ws.db.prepare('SELECT id, status, content FROM records ORDER BY id').all())).toBe(records);
  return (r as { error: { message: string } }).error.message;
}

describe('deadlines per regime', () => {
  it('counts GDPR in calendar months: a day the month lacks falls on its last day (non-leap and leap February)', () => {
    expect(addMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths('2024-01-31T10:00:00.000Z', 1)).toBe('2024-02-29T10:00:00.000Z');
    expect(addMonths('2026-03-31T00:00:00.000Z', 1)).toBe('2026-04-30T00:00:00.000Z');
    expect(addMonths('2026-12-15T08:00:00.000Z', 1)).toBe('2027-01-15T08:00:00.000Z');
    expect(addMonths('2026-05-15T08:00:00.000Z', 1)).toBe('2026-06-15T08:00:00.000Z');
    expect(responseDue('gdpr', '2026-01-31T00:00:00.000Z')).toBe('2026-02-28T00:00:00.000Z');
    // The extension counts the three months from receipt: 31 January → 30 April, not 28 April.
    expect(extendedDue('gdpr', '2026-01-31T00:00:00.000Z')).toBe('2026-04-30T00:00:00.000Z');
    expect(extendedDue('gdpr', '2025-11-30T00:00:00.000Z')).toBe('2026-02-28T00:00:00.000Z');
  });

  it('counts CCPA in days: 45, and 90 once extended', () => {
    expect(responseDue('ccpa', '2026-01-31T00:00:00.000Z')).toBe('2026-03-17T00:00:00.000Z');
    expect(extendedDue('ccpa', '2026-01-31T00:00:00.000Z')).toBe('2026-05-01T00:00:00.000Z');
  });

  it('takes the periods from resources/policies/privacy-requests.json', () => {
    const policy = JSON.parse(readFileSync(new URL('../../resources/policies/privacy-requests.json', import.meta.url), 'utf8')) as {
      regimes: Record<string, { response: { months?: number; days?: number }; extension: { months?: number; days?: number } }>;
    };
    expect(policy.regimes.gdpr).toMatchObject({ response: { months: 1 }, extension: { months: 2 } });
    expect(policy.regimes.ccpa).toMatchObject({ response: { days: 45 }, extension: { days: 45 } });
  });

  it('creates a request due per its regime, ledgered, on the Deadlines list as privacy_request; overdue flagged', async () => {
    const s = await subject('Imogen Ashdown-Pryce');
    const g = await create(s, 'gdpr', 'access', '2026-01-31');
    expect(g).toMatchObject({ state: 'open', receivedAt: '2026-01-31T00:00:00.000Z', dueAt: '2026-02-28T00:00:00.000Z', originalDueAt: '2026-02-28T00:00:00.000Z', overdue: true });
    expect(g.id).toMatch(/^PRV-\d{4}-\d{4}$/);
    const c = await create(s, 'ccpa', 'know');
    expect(Date.parse(c.dueAt) - Date.parse(c.receivedAt)).toBe(45 * 86_400_000);
    expect(c).toMatchObject({ overdue: false, daysRemaining: 45 });
    expect(t.lastEvent('privacyRequests.create')).toMatchObject({
      actor: 'maria.chen',
      resource_type: 'privacy_request',
      resource_id: c.id,
      outcome: 'success',
      details: { subject_id: s, regime: 'ccpa', right: 'know', due_at: c.dueAt, to: 'open' },
    });
    const due = (await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['privacy_request'], limit: 500 }, staff.viewer)).items;
    expect(due.find((d) => d.refId === g.id)).toMatchObject({ kind: 'privacy_request', refType: 'privacy_request', overdue: true, subjectId: s });
    expect(due.find((d) => d.refId === c.id)).toMatchObject({ overdue: false, daysRemaining: 45 });
  });

  it('refuses a right the regime does not grant, a future receipt date and an unknown subject, one refusal event each', async () => {
    const s = await subject('Refusal Subject');
    expect(await refused('privacyRequests.create', { subjectId: s, regime: 'ccpa', right: 'portability', requester: 'x', description: 'y' }, 'validation')).toContain('CCPA/CPRA has no right');
    expect(await refused('privacyRequests.create', { subjectId: s, regime: 'gdpr', right: 'access', requester: 'x', description: 'y', receivedAt: '2999-01-01' }, 'validation')).toContain('future');
    await refused('privacyRequests.create', { subjectId: 'SUB-NOPE', regime: 'gdpr', right: 'access', requester: 'x', description: 'y' }, 'not_found');
    await refused('privacyRequests.create', { subjectId: s, regime: 'gdpr', right: 'nope', requester: 'x', description: 'y' }, 'validation');
  });
});

describe('extension', () => {
  it('extends once with a reason (GDPR by two further months from receipt), then refuses a second extension', async () => {
    const s = await subject('Extension Subject');
    const r = await create(s, 'gdpr', 'portability');
    const x = await t.call<One>('privacyRequests.extend', { id: r.id, reason: 'Records held in three systems; requester told on day 10.' }, staff.officer);
    expect(x.request).toMatchObject({ state: 'extended', originalDueAt: r.dueAt, dueAt: extendedDue('gdpr', r.receivedAt), extendedBy: 'maria.chen', extensionReason: 'Records held in three systems; requester told on day 10.' });
    expect(t.lastEvent('privacyRequests.extend')).toMatchObject({ resource_id: r.id, details: { from: 'open', to: 'extended', original_due_at: r.dueAt, due_at: x.request.dueAt } });
    const due = (await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['privacy_request'], limit: 500 }, staff.officer)).items.find((d) => d.refId === r.id);
    expect(due).toMatchObject({ dueAt: x.request.dueAt, state: 'extended' });
    expect(await refused('privacyRequests.extend', { id: r.id, reason: 'Again.' }, 'conflict')).toContain('only once');
  });

  it('extends CCPA by 45 days; refuses once the first deadline has passed (the notice must come within it)', async () => {
    const s = await subject('CCPA Extension Subject');
    const r = await create(s, 'ccpa', 'delete');
    const x = await t.call<One>('privacyRequests.extend', { id: r.id, reason: 'Backups must be searched.' }, staff.officer);
    expect(Date.parse(x.request.dueAt) - Date.parse(r.receivedAt)).toBe(90 * 86_400_000);
    const late = await create(s, 'ccpa', 'know', '2026-01-05');
    expect(await refused('privacyRequests.extend', { id: late.id, reason: 'Too late.' }, 'conflict')).toContain('has passed');
    expect((await t.call<Detail>('privacyRequests.get', { id: late.id }, staff.officer)).canExtend).toBe(false);
  });
});

describe('outcomes and erasure', () => {
  it('erases through records.erase: erasable categories go, categories kept by law stay, each listed with its reason', async () => {
    const s = await subject('Erasure Subject');
    // Communications go once their 2 years have run (seed 002: "Communication logs (after retention)"); a recent thread stays.
    const email = await record(s, 'communications', 'Advisor email thread', '2024-03-01');
    const recent = await record(s, 'communications', 'Recent email thread');
    const grades = await record(s, 'grades', 'Fall grades');
    const attendance = await record(s, 'attendance', 'Attendance 2026');
    const discipline = await record(s, 'disciplinary', 'Conduct file');
    const r = await create(s, 'gdpr', 'erasure');
    expect((await t.call<Detail>('privacyRequests.get', { id: r.id }, staff.officer)).erases).toBe(true);
    const before = t.app.ws.ledger.head().size;
    const d = await t.call<Detail>('privacyRequests.complete', { id: r.id, outcome: 'Erased what the law allows; told the student what is kept and why.' }, staff.officer);
    expect(d.request).toMatchObject({ state: 'completed', resolvedBy: 'maria.chen', late: false });
    const by = new Map(d.items.map((i) => [i.recordId, i]));
    expect(by.get(email)).toMatchObject({ result: 'erased', keptBecause: null, category: 'communications' });
    expect(by.get(recent)).toMatchObject({ result: 'kept', keptBecause: 'law', category: 'communications' });
    expect(by.get(recent)!.reason).toMatch(/must be kept until \d{4}-\d{2}-\d{2} .*cannot be erased on request/);
    for (const id of [grades, attendance, discipline]) {
      expect(by.get(id)).toMatchObject({ result: 'kept', keptBecause: 'law' });
      expect(by.get(id)!.reason).toMatch(/must be kept .*cannot be erased on request/);
    }
    expect(by.get(grades)!.reason).toContain('Records schedule');
    const rows = t.app.ws.db.prepare('SELECT id, status, content FROM records WHERE subject_id = ? ORDER BY id').all(s) as { id: string; status: string; content: string | null }[];
    expect(rows.find((x) => x.id === email)).toMatchObject({ status: 'erased', content: null });
    expect(rows.filter((x) => x.status === 'active').map((x) => x.id).sort()).toEqual([recent, grades, attendance, discipline].sort());
    const added = t.eventsAfter(before);
    expect(added.filter((e) => e.action === 'records.erase').map((e) => e.resource_id)).toEqual([email]);
    expect(added.filter((e) => e.outcome !== 'success')).toEqual([]);
    expect(t.lastEvent('privacyRequests.complete')).toMatchObject({
      resource_id: r.id,
      details: { subject_id: s, from: 'open', to: 'completed', erased: 1, kept: 4, kept_categories: ['attendance', 'communications', 'disciplinary', 'grades'], held_records: [] },
    });
  });

  it('keeps records under a legal hold (holds win), naming the hold', async () => {
    const s = await subject('Held Subject');
    // Past its 2 years, so only the hold keeps it.
    const email = await record(s, 'communications', 'Held email', '2024-03-01');
    const kase = await t.call<{ case: { id: string } }>('cases.create', { title: 'Hold for erasure test', type: 'investigation' }, staff.counsel);
    const { hold } = await t.call<{ hold: { id: string } }>('holds.create', { caseId: kase.case.id, title: 'Preserve', scope: { subjectIds: [s] } }, staff.counsel);
    await t.call('holds.activate', { id: hold.id }, staff.counsel);
    const r = await create(s, 'ccpa', 'delete');
    const d = await t.call<Detail>('privacyRequests.complete', { id: r.id, outcome: 'Deletion deferred for held records.' }, staff.officer);
    expect(d.items).toEqual([expect.objectContaining({ recordId: email, result: 'kept', keptBecause: 'hold' })]);
    expect(d.items[0]!.reason).toContain(hold.id);
    expect((t.app.ws.db.prepare('SELECT status FROM records WHERE id = ?').get(email) as { status: string }).status).toBe('active');
    expect(t.lastEvent('privacyRequests.complete')).toMatchObject({ details: { erased: 0, kept: 1, held_records: [email] } });
  });

  it('completes a non-erasing request without touching records; a late completion is flagged', async () => {
    const s = await subject('Access Subject');
    const rec = await record(s, 'communications', 'Kept email');
    const r = await create(s, 'gdpr', 'access', '2026-01-31');
    const d = await t.call<Detail>('privacyRequests.complete', { id: r.id, outcome: 'Copy sent by post.' }, staff.officer);
    expect(d).toMatchObject({ erases: false, items: [], request: { state: 'completed', late: true, outcome: 'Copy sent by post.', daysRemaining: null, overdue: false } });
    expect((t.app.ws.db.prepare('SELECT status FROM records WHERE id = ?').get(rec) as { status: string }).status).toBe('active');
    expect(t.lastEvent('privacyRequests.complete')!.details).toMatchObject({ late: true });
    expect(t.lastEvent('privacyRequests.complete')!.details).not.toHaveProperty('erased');
  });

  it('rejects with a reason; a final request takes no more work (one refusal each); a viewer cannot act', async () => {
    const s = await subject('Reject Subject');
    const r = await create(s, 'ccpa', 'opt_out');
    const x = await t.call<One>('privacyRequests.reject', { id: r.id, reason: 'Identity could not be verified.' }, staff.officer);
    expect(x.request).toMatchObject({ state: 'rejected', outcome: 'Identity could not be verified.' });
    expect(t.lastEvent('privacyRequests.reject')).toMatchObject({ resource_id: r.id, details: { from: 'open', to: 'rejected' } });
    await refused('privacyRequests.complete', { id: r.id, outcome: 'Done.' }, 'conflict');
    await refused('privacyRequests.reject', { id: r.id, reason: 'Again.' }, 'conflict');
    await refused('privacyRequests.extend', { id: r.id, reason: 'Later.' }, 'conflict');
    await refused('privacyRequests.complete', { id: 'PRV-1999-0001', outcome: 'Done.' }, 'not_found');
    const before = t.app.ws.ledger.head().size;
    expect(await t.result('privacyRequests.create', { subjectId: s, regime: 'gdpr', right: 'access', requester: 'x', description: 'y' }, staff.viewer)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(t.eventsAfter(before)).toHaveLength(1);
  });

  it('lists requests filtered by state, regime and subject', async () => {
    const s = await subject('List Subject');
    const a = await create(s, 'gdpr', 'objection');
    const b = await create(s, 'ccpa', 'correct');
    await t.call('privacyRequests.reject', { id: b.id, reason: 'Not a consumer of ours.' }, staff.officer);
    const list = (q: Record<string, unknown>) => t.call<ResponseOf<'privacyRequests.list'>>('privacyRequests.list', { subjectId: s, ...q }, staff.officer);
    expect((await list({})).items.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect((await list({ state: 'rejected' })).items.map((x) => x.id)).toEqual([b.id]);
    expect((await list({ regime: 'gdpr' })).items.map((x) => x.id)).toEqual([a.id]);
    expect((await list({ search: 'List Subject', subjectId: undefined })).total).toBe(2);
  });
});

describe('the subject-rights audit', () => {
  it('groups actions as viewed, exported, disclosed, deleted', () => {
    expect(auditGroup('records.view')).toBe('viewed');
    expect(auditGroup('records.erase')).toBe('deleted');
    expect(auditGroup('retention.sweep')).toBe('deleted');
    expect(auditGroup('disclosures.record')).toBe('disclosed');
    expect(auditGroup('privacyRequests.subjectAudit')).toBe('exported');
    expect(auditGroup('privacyRequests.create')).toBe('other');
  });

  it('is a PDF of who viewed, exported, disclosed or deleted the subject’s data, anchored to a signed checkpoint whose root the ledger recomputes', async () => {
    const s = await subject('Audit Subject Orrinwood');
    const other = await subject('Someone Else');
    const email = await record(s, 'communications', 'Audit email', '2024-03-01');
    await record(other, 'communications', 'Other email');
    await t.call('records.get', { id: email, purpose: 'Answering the access request.' }, staff.counsel);
    const r = await create(s, 'gdpr', 'erasure');
    await t.call('privacyRequests.complete', { id: r.id, outcome: 'Erased.' }, staff.officer);
    const before = t.app.ws.ledger.head().size;
    const a = await t.call<ResponseOf<'privacyRequests.subjectAudit'>>('privacyRequests.subjectAudit', { subjectId: s }, staff.officer);
    expect(a.checkpoint.size).toBe(before);
    const stored = t.app.ws.db.prepare('SELECT size, root, reason FROM checkpoints ORDER BY id DESC LIMIT 1').get() as { size: number; root: string; reason: string };
    expect(stored).toEqual({ size: a.checkpoint.size, root: a.checkpoint.root, reason: `subject-audit:${s}` });
    // The root is the RFC 6962 root over the leaf hashes of the ledger's first `size` events, recomputed here.
    const leaves = (t.app.ws.db.prepare('SELECT leaf_hash FROM events WHERE seq <= ? ORDER BY seq').all(a.checkpoint.size) as { leaf_hash: Buffer }[]).map((r) => r.leaf_hash);
    const root = (xs: Buffer[]): Buffer => {
      if (xs.length === 1) return xs[0]!;
      let k = 1;
      while (k * 2 < xs.length) k *= 2;
      return nodeHash(root(xs.slice(0, k)), root(xs.slice(k)));
    };
    expect(root(leaves).toString('hex')).toBe(a.checkpoint.root);

    const path = exportedPath(t, a.fileName);
    const bytes = readFileSync(path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
    expect(t.lastEvent('privacyRequests.subjectAudit')).toMatchObject({
      resource_type: 'subject',
      resource_id: s,
      details: { sha256: a.sha256, bytes: bytes.length, through_seq: before, root: a.checkpoint.root, file_name: a.fileName, events: a.events },
    });
    expect(spawnSync('qpdf', ['--check', path], { encoding: 'utf8' }).status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Subject-rights audit ${s}`);
    expect(flat).toContain('Audit Subject Orrinwood');
    expect(flat).toContain('records.view');
    expect(flat).toContain('david.okafor');
    expect(flat).toContain('records.erase');
    expect(flat).toContain('privacyRequests.complete');
    expect(flat).toContain(r.id);
    expect(text.replace(/\s+/g, '')).toContain(a.checkpoint.root);
    // Only this subject's events: the other subject's record is not listed.
    const ledger = t.events().filter((e) => e.seq <= before);
    const otherRecord = ledger.find((e) => e.action === 'records.create' && (e.details as { subject?: string }).subject === other)!;
    expect(flat).not.toContain(`record ${otherRecord.resource_id}`);
    const mine = ledger.filter((e) => (e.resource_type === 'subject' && e.resource_id === s) || Object.values(e.details as Record<string, unknown>).includes(s));
    expect(a.events).toBe(mine.length);
  });

  it('refuses an unknown subject before signing anything', async () => {
    const checkpoints = (t.app.ws.db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
    await refused('privacyRequests.subjectAudit', { subjectId: 'SUB-NOPE' }, 'not_found');
    expect((t.app.ws.db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n).toBe(checkpoints);
  });
});

describe('the GDPR and CCPA request reports', () => {
  it('count the Requests register of their regime, each request against its own due date as extended', async () => {
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
    const s = await subject('Report Subject');
    // GDPR: answered within the month; answered after it; extended and answered within the extension;
    // left open past its due date; rejected on time. CCPA: one open within its 45 days.
    const quick = await create(s, 'gdpr', 'access', ago(5));
    await t.call('privacyRequests.complete', { id: quick.id, outcome: 'Copy sent.' }, staff.officer);
    const late = await create(s, 'gdpr', 'portability', ago(40));
    await t.call('privacyRequests.complete', { id: late.id, outcome: 'Export sent.' }, staff.officer);
    const extended = await create(s, 'gdpr', 'access', ago(25));
    await t.call('privacyRequests.extend', { id: extended.id, reason: 'Records in three systems; requester told.' }, staff.officer);
    // Answered ten days on: after the first month, within the extension.
    await withSimulatedClock(new Date(Date.now() + 10 * day), 1, () => t.call('privacyRequests.complete', { id: extended.id, outcome: 'Copy sent.' }, staff.officer));
    await create(s, 'gdpr', 'rectification', ago(45));
    const rejected = await create(s, 'gdpr', 'objection', ago(3));
    await t.call('privacyRequests.reject', { id: rejected.id, reason: 'Processing is required by law.' }, staff.officer);
    await create(s, 'ccpa', 'know', ago(10));
    // Due today at the very start of the day (UTC), answered now, later that day: on time, as the register counts days.
    const today = new Date().toISOString().slice(0, 10);
    const dueToday = [...Array(10).keys()].map((k) => `${new Date(Date.now() - (26 + k) * day).toISOString().slice(0, 10)}T00:00:00.000Z`).find((at) => responseDue('gdpr', at).slice(0, 10) === today)!;
    const sameDay = await create(s, 'gdpr', 'access', dueToday);
    const answered = await t.call<Detail>('privacyRequests.complete', { id: sameDay.id, outcome: 'Copy sent.' }, staff.officer);
    const pdfText = async (kind: 'gdpr-dsr' | 'ccpa-requests') => {
      const { report } = await t.call<ResponseOf<'reports.generate'>>('reports.generate', { kind }, staff.officer);
      return execFileSync('pdftotext', ['-layout', exportedPath(t, report.fileName), '-'], { encoding: 'utf8' });
    };
    const figure = (text: string, label: string) => text.match(new RegExp(`^\\s*${label}\\s+(\\S+)\\s*$`, 'm'))?.[1];
    // Requests made by earlier tests in this file count too: compare with the register itself.
    const register = (regime: string, where: string) =>
      (t.app.ws.db.prepare(`SELECT count(*) AS n FROM privacy_requests WHERE regime = ? AND (${where})`).get(regime) as { n: number }).n;
    const gdpr = await pdfText('gdpr-dsr');
    expect(figure(gdpr, 'Requests received')).toBe(String(register('gdpr', '1')));
    expect(figure(gdpr, 'Rejected')).toBe(String(register('gdpr', "state = 'rejected'")));
    expect(figure(gdpr, 'Extended')).toBe(String(register('gdpr', 'extended_at IS NOT NULL')));
    // Lateness as the register itself judges it (calendar days in the workspace's zone): the report must agree.
    const listed = (await t.call<ResponseOf<'privacyRequests.list'>>('privacyRequests.list', { regime: 'gdpr', limit: 500 }, staff.officer)).items;
    const resolved = listed.filter((r) => r.state === 'completed' || r.state === 'rejected');
    expect(figure(gdpr, 'Answered after their due date')).toBe(String(resolved.filter((r) => r.late).length));
    expect(figure(gdpr, 'Answered by their due date')).toBe(String(resolved.filter((r) => !r.late).length));
    expect(figure(gdpr, 'Open past their due date at generation')).toBe(String(listed.filter((r) => (r.state === 'open' || r.state === 'extended') && r.overdue).length));
    // The ones made here land where they should: the late portability answer is late, the extended one and the one answered on its due day are not.
    expect(listed.find((r) => r.id === late.id)?.late).toBe(true);
    expect(listed.find((r) => r.id === extended.id)?.late).toBe(false);
    expect(register('gdpr', `id = '${extended.id}' AND resolved_at > original_due_at AND resolved_at <= due_at`)).toBe(1);
    expect(answered.request.late).toBe(false);
    expect(register('gdpr', `id = '${sameDay.id}' AND resolved_at > due_at`)).toBe(1);
    for (const id of [quick.id, late.id, extended.id, rejected.id]) expect(gdpr).toContain(id);
    expect(gdpr).not.toContain('access-request register');
    expect(gdpr).toMatch(/^\s*Portability \(Art\. 20\)\s+\d+\s+\d+\s+\d+\s+\d+\s+[1-9]\d*\s+\d+\s*$/m);
    const ccpa = await pdfText('ccpa-requests');
    expect(figure(ccpa, 'Requests received')).toBe(String(register('ccpa', '1')));
    expect(ccpa).not.toContain(quick.id);
    expect(ccpa).toMatch(/^\s*Right to know\s+[1-9]/m);
  });
});
