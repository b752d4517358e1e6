import type { ChannelName } from '../../shared/contract.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../shared/contract/cases.js';
import type { Evidence } from '../../shared/contract/evidence.js';
import type { Custodian, Hold, HoldDueItem, Notice } from '../../shared/contract/holds.js';
import type { RecordSummary, Subject } from '../../shared/contract/subjects.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';
import { RESTRICTED } from '../../shared/data-classes.js';

let t: TempWorkspace;
let officer: string;
let counsel: string;
let auditor: string;
let viewer: string;

beforeAll(async () => {
  t = await createTempWorkspace();
  ({ officer, counsel, auditor, viewer } = await t.addStaff());
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

const lastEvent = (action: string): LedgerEvent | undefined => t.lastEvent(action);

async function newCase(title: string): Promise<CaseSummary> {
  return (await t.call<{ case: CaseSummary }>('cases.create', { title, type: 'investigation' }, officer)).case;
}
async function evidence(title: string, extra: Record<string, unknown> = {}): Promise<Evidence> {
  return (
    await t.call<{ evidence: Evidence }>(
      'evidence.ingestContent',
      { fileName: `${title}.txt`, contentBase64: randomBytes(200).toString('base64'), title, source: 'Shared drive', ...extra },
      officer,
    )
  ).evidence;
}
async function subject(name: string): Promise<Subject> {
  return (await t.call<{ subject: Subject }>('subjects.create', { displayName: name }, officer)).subject;
}
async function record(subjectId: string, category: string, recordDate: string, title = `${category} record`, content = ''): Promise<RecordSummary> {
  return (await t.call<{ record: RecordSummary }>('records.create', { subjectId, category, title, content, recordDate }, officer)).record;
}
async function hold(caseId: string, extra: Record<string, unknown> = {}): Promise<Hold> {
  return (await t.call<{ hold: Hold }>('holds.create', { caseId, title: `Preserve for ${caseId}`, ...extra }, counsel)).hold;
}
async function activate(id: string): Promise<Hold> {
  return (await t.call<{ hold: Hold }>('holds.activate', { id }, counsel)).hold;
}

describe('legal hold lifecycle', () => {
  it('goes draft → active → released, puts the case on hold and reopens it after the last release', async () => {
    const c = await newCase('Title IX complaint');
    const h = await hold(c.id, { custodians: [{ name: 'Jane Park', email: 'jpark@example.edu' }, { name: 'Omar Haddad', email: 'ohaddad@example.edu' }] });
    expect(h).toMatchObject({ status: 'draft', caseId: c.id, custodianCounts: { pending: 2, sent: 0, acknowledged: 0, escalated: 0 } });
    expect(h.id).toMatch(/^HOLD-\d{4}-\d{4}$/);
    expect(lastEvent('holds.create')).toMatchObject({ resource_type: 'hold', resource_id: h.id, details: { case: c.id, custodians: ['Jane Park', 'Omar Haddad'] } });
    await expect(t.call('holds.issueNotices', { id: h.id }, counsel)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('holds.release', { id: h.id, reason: 'not yet active' }, counsel)).rejects.toMatchObject({ code: 'conflict' });

    await activate(h.id);
    expect((await t.call<{ case: CaseSummary }>('cases.get', { id: c.id }, viewer)).case).toMatchObject({ status: 'on_hold', activeHolds: 1 });
    expect(lastEvent('cases.setStatus')).toMatchObject({ resource_id: c.id, details: { from: 'open', to: 'on_hold', automatic: true, hold: h.id } });
    await expect(t.call('cases.setStatus', { id: c.id, status: 'open' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('holds.activate', { id: h.id }, counsel)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('holds.update', { id: h.id, scope: { keywords: ['narrower'] } }, counsel)).rejects.toMatchObject({ code: 'conflict' });

    const h2 = await hold(c.id);
    await activate(h2.id);
    const r1 = await t.call<{ hold: Hold; notices: Notice[] }>('holds.release', { id: h.id, reason: 'Complaint withdrawn' }, counsel);
    expect(r1.hold).toMatchObject({ status: 'released', releaseReason: 'Complaint withdrawn', releasedBy: 'david.okafor' });
    expect(r1.notices).toEqual([]);
    expect((await t.call<{ case: CaseSummary }>('cases.get', { id: c.id }, viewer)).case.status).toBe('on_hold');
    await t.call('holds.release', { id: h2.id, reason: 'Matter resolved' }, counsel);
    expect((await t.call<{ case: CaseSummary }>('cases.get', { id: c.id }, viewer)).case).toMatchObject({ status: 'open', activeHolds: 0 });
    await expect(t.call('holds.release', { id: h2.id, reason: 'twice' }, counsel)).rejects.toMatchObject({ code: 'conflict' });
    const tl = await t.call<{ events: LedgerEvent[] }>('cases.timeline', { id: c.id, limit: 100 }, viewer);
    expect(tl.events.map((e) => e.action)).toEqual(expect.arrayContaining(['holds.create', 'holds.activate', 'holds.release', 'cases.setStatus']));
  });

  it('issues notices, records acknowledgements, computes reminders from policy, escalates and releases with notices', async () => {
    const c = await newCase('Records dispute');
    const h = await hold(c.id, {
      custodians: [
        { name: 'Jane Park', email: 'jpark@example.edu' },
        { name: 'Omar Haddad', email: 'ohaddad@example.edu' },
        { name: 'Lena Cho', email: '' },
      ],
      scope: { keywords: ['grade appeal'], dateFrom: '2024-01-01', dateTo: '2024-12-31' },
    });
    await activate(h.id);
    const { notices } = await t.call<{ notices: Notice[] }>('holds.issueNotices', { id: h.id }, counsel);
    expect(notices).toHaveLength(3);
    expect(notices[0]?.body).toContain(`LEGAL HOLD NOTICE — ${h.id} (${c.id})`);
    expect(notices[0]?.body).toContain('"grade appeal"');
    expect(notices[0]?.body).toContain('from 2024-01-01 through 2024-12-31');
    expect(t.events().filter((e) => e.action === 'holds.issueNotices' && e.resource_id === h.id)).toHaveLength(3);
    const { custodians } = await t.call<{ custodians: Custodian[] }>('holds.get', { id: h.id }, viewer);
    const [jane, omar, lena] = custodians as [Custodian, Custodian, Custodian];
    expect(jane.noticeStatus).toBe('sent');
    // holds.json: reminder 3 days after the last notice, escalation 10 days after the first.
    expect(Date.parse(jane.reminderDueAt ?? '') - Date.parse(jane.lastNoticeAt ?? '')).toBe(3 * 86_400_000);
    expect(Date.parse(jane.escalationDueAt ?? '') - Date.parse(jane.sentAt ?? '')).toBe(10 * 86_400_000);
    await expect(t.call('holds.issueNotices', { id: h.id, custodianIds: [jane.id] }, counsel)).rejects.toMatchObject({ code: 'conflict' });

    const ack = await t.call<{ custodian: Custodian }>('holds.acknowledge', { id: h.id, custodianId: jane.id, method: 'signed' }, officer);
    expect(ack.custodian).toMatchObject({ noticeStatus: 'acknowledged', ackMethod: 'signed', escalationDueAt: null });
    expect(Date.parse(ack.custodian.reminderDueAt ?? '') - Date.parse(ack.custodian.acknowledgedAt ?? '')).toBe(90 * 86_400_000);
    await expect(t.call('holds.acknowledge', { id: h.id, custodianId: jane.id }, officer)).rejects.toMatchObject({ code: 'conflict' });

    // Nothing is due yet.
    expect((await t.call<{ notices: Notice[] }>('holds.sendReminders', { id: h.id }, counsel)).notices).toEqual([]);
    expect((await t.call<{ notices: Notice[] }>('holds.escalate', { id: h.id }, counsel)).notices).toEqual([]);

    // Eleven days pass without an answer from Omar and Lena.
    const past = new Date(Date.now() - 11 * 86_400_000).toISOString();
    t.app.ws.db.prepare("UPDATE hold_custodians SET sent_at = ?, last_notice_at = ? WHERE hold_id = ? AND notice_status = 'sent'").run(past, past, h.id);
    const due = await t.call<{ items: HoldDueItem[] }>('holds.due', { withinDays: 0 }, auditor);
    // A viewer sees what is due and when, not for whom (custodians are personal data).
    const seen = await t.call<{ items: HoldDueItem[] }>('holds.due', { withinDays: 0 }, viewer);
    expect(seen.items.map((d) => [d.kind, d.holdId, d.dueAt, d.custodianName])).toEqual(due.items.map((d) => [d.kind, d.holdId, d.dueAt, RESTRICTED]));
    const mine = due.items.filter((d) => d.holdId === h.id);
    expect(mine.map((d) => `${d.kind}:${d.custodianName}:${d.overdue}`).sort()).toEqual(
      ['escalation:Lena Cho:true', 'escalation:Omar Haddad:true', 'reminder:Lena Cho:true', 'reminder:Omar Haddad:true'].sort(),
    );
    const reminders = await t.call<{ notices: Notice[] }>('holds.sendReminders', { id: h.id }, counsel);
    expect(reminders.notices.map((n) => n.custodianName).sort()).toEqual(['Lena Cho', 'Omar Haddad']);
    expect(reminders.notices[0]?.body).toContain('not yet acknowledged');
    const esc = await t.call<{ notices: Notice[] }>('holds.escalate', { id: h.id }, counsel);
    expect(esc.notices.map((n) => n.custodianName).sort()).toEqual(['Lena Cho', 'Omar Haddad']);
    expect(esc.notices[0]?.body).toContain('To: General Counsel');
    expect(lastEvent('holds.escalate')).toMatchObject({ resource_id: h.id, details: { escalated_to: 'General Counsel', days_unacknowledged: 11 } });
    const late = await t.call<{ custodian: Custodian }>('holds.acknowledge', { id: h.id, custodianId: omar.id, method: 'email' }, officer);
    expect(late.custodian.noticeStatus).toBe('acknowledged');
    await expect(t.call('holds.escalate', { id: h.id, custodianIds: [jane.id] }, counsel)).rejects.toMatchObject({ code: 'conflict' });

    const added = await t.call<{ custodian: Custodian }>('holds.addCustodian', { id: h.id, custodian: { name: 'New Hire', email: 'new@example.edu' } }, counsel);
    expect(added.custodian.noticeStatus).toBe('pending');

    const rel = await t.call<{ hold: Hold; notices: Notice[] }>('holds.release', { id: h.id, reason: 'Appeal decided; litigation not anticipated.' }, counsel);
    expect(rel.notices.map((n) => n.custodianName).sort()).toEqual(['Jane Park', 'Lena Cho', 'Omar Haddad']);
    expect(rel.notices[0]?.body).toContain('Reason: Appeal decided; litigation not anticipated.');
    const all = await t.call<{ notices: Notice[]; custodians: Custodian[] }>('holds.get', { id: h.id }, viewer);
    expect(all.notices.map((n) => n.kind).sort()).toEqual(['escalation', 'escalation', 'hold', 'hold', 'hold', 'release', 'release', 'release', 'reminder', 'reminder']);
    expect(all.custodians.find((x) => x.id === lena.id)?.releaseNotifiedAt).not.toBeNull();
    expect(all.custodians.every((x) => x.reminderDueAt === null)).toBe(true);
    expect(() => t.app.ws.db.prepare('DELETE FROM hold_notices').run()).toThrow(/append-only/);
  });
});

describe('what a hold protects', () => {
  it('refuses dispose, purge, erase and destructive edits of held items with code held naming the hold, ledgered as denied', async () => {
    const c = await newCase('Litigation: Doe v. District');
    const s = await subject('John Doe');
    const other = await subject('Someone Else');
    const linkedEv = await evidence('Linked email archive');
    const kwEv = await evidence('Board minutes', { description: 'Discussion of the Doe settlement' });
    const custEv = await evidence('Phone backup', { source: 'Phone of Jane Park (jpark@example.edu)', collectedAt: '2015-06-01T10:00:00Z' });
    // Same custodian, collected outside the hold's date range: not covered.
    const custLate = await evidence('Phone backup 2', { source: 'Phone of Jane Park', collectedAt: '2020-06-01T10:00:00Z' });
    const freeEv = await evidence('Unrelated memo');
    const rec = await record(s.id, 'communications', '2015-03-01', 'Email to parent');
    const recOutOfRange = await record(s.id, 'communications', '2012-03-01', 'Old email');
    const recOther = await record(other.id, 'communications', '2015-03-01', 'Email about the Doe matter', 'mentions Doe');
    const recFree = await record(other.id, 'communications', '2015-03-01', 'Cafeteria menu');
    await t.call('cases.link', { id: c.id, itemType: 'evidence', itemId: linkedEv.id }, officer);
    const h = await hold(c.id, {
      custodians: [{ name: 'Jane Park', email: 'jpark@example.edu' }],
      scope: { subjectIds: [s.id], categories: ['communications'], dateFrom: '2014-01-01', dateTo: '2016-12-31' },
    });
    const kw = await hold(c.id, { title: 'Keyword hold', scope: { keywords: ['Doe'] } });
    // A draft protects nothing yet.
    expect((await t.call<{ holds: unknown[] }>('holds.check', { resourceType: 'evidence', id: linkedEv.id }, viewer)).holds).toEqual([]);
    await activate(h.id);
    await activate(kw.id);

    const items = await t.call<{ evidence: { id: string; reason: string }[]; records: { id: string; reason: string }[] }>('holds.heldItems', { id: h.id }, viewer);
    expect(items.evidence.map((e) => e.id).sort()).toEqual([linkedEv.id, custEv.id].sort());
    expect(items.records.map((r) => r.id)).toEqual([rec.id]);
    const kwItems = await t.call<{ evidence: { id: string }[]; records: { id: string }[] }>('holds.heldItems', { id: kw.id }, viewer);
    expect(kwItems.evidence.map((e) => e.id).sort()).toEqual([linkedEv.id, kwEv.id].sort());
    expect(kwItems.records.map((r) => r.id)).toEqual([recOther.id]);

    for (const ev of [linkedEv, custEv, kwEv]) {
      const before = t.eventCount();
      const r = await t.result('evidence.dispose', { id: ev.id, reason: 'cleanup' }, counsel);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('held');
      expect(r.error.message).toMatch(new RegExp(`^${ev.id} is under legal holds? HOLD-`));
      expect(t.eventCount()).toBe(before + 1);
      expect(lastEvent('evidence.dispose')).toMatchObject({ outcome: 'denied', resource_type: 'evidence', resource_id: ev.id, details: { code: 'held' } });
    }
    const both = await t.result('evidence.dispose', { id: linkedEv.id, reason: 'cleanup' }, counsel);
    expect(!both.ok && both.error.message).toBe(`${linkedEv.id} is under legal holds ${h.id} and ${kw.id}; release all of them first.`);
    expect(!both.ok && (both.error.details?.holds as { id: string }[]).map((x) => x.id)).toEqual([h.id, kw.id]);
    expect(readdirSync(join(t.dir, 'evidence')).length).toBeGreaterThanOrEqual(4);

    const refusals: [string, unknown][] = [
      ['records.update', { id: rec.id, content: 'rewritten' }],
      ['records.erase', { id: rec.id, reason: 'student request' }],
      ['records.purgeExpired', { ids: [rec.id] }],
      ['records.erase', { id: recOther.id, reason: 'student request' }],
      ['cases.unlink', { id: c.id, itemType: 'evidence', itemId: linkedEv.id }],
    ];
    for (const [channel, input] of refusals) {
      const r = await t.result(channel as ChannelName, input, counsel);
      expect(r.ok ? 'ok' : r.error.code, channel).toBe('held');
      expect(lastEvent(channel)?.outcome, channel).toBe('denied');
    }
    const purge = await t.call<{ purged: string[]; held: { id: string; holds: { id: string }[] }[] }>('records.purgeExpired', {}, officer);
    expect(purge.purged).toEqual(expect.arrayContaining([recOutOfRange.id, recFree.id]));
    expect(purge.held.map((x) => x.id).sort()).toEqual([rec.id, recOther.id].sort());
    expect(t.events().filter((e) => e.action === 'records.purgeExpired' && e.resource_id === rec.id).at(-1)).toMatchObject({ outcome: 'denied', details: { code: 'held', holds: [h.id] } });
    expect(t.app.ws.db.prepare('SELECT status, content FROM records WHERE id = ?').get(rec.id)).toEqual({ status: 'active', content: '' });
    expect((await t.call<{ holds: { id: string }[] }>('subjects.get', { id: s.id }, viewer)).holds.map((x) => x.id)).toEqual([h.id]);

    await t.call('evidence.dispose', { id: freeEv.id, reason: 'not relevant' }, counsel);
    await t.call('evidence.dispose', { id: custLate.id, reason: 'outside the hold' }, counsel);
    await t.call('holds.release', { id: h.id, reason: 'Settled' }, counsel);
    // Still held by the keyword hold.
    expect((await t.result('evidence.dispose', { id: linkedEv.id, reason: 'cleanup' }, counsel)).ok).toBe(false);
    const custFree = await t.call<{ evidence: Evidence }>('evidence.dispose', { id: custEv.id, reason: 'Hold released' }, counsel);
    expect(custFree.evidence.status).toBe('disposed');
    await t.call('holds.release', { id: kw.id, reason: 'Settled' }, counsel);
    const ok = await t.call<{ evidence: Evidence }>('evidence.dispose', { id: linkedEv.id, reason: 'All holds released' }, counsel);
    expect(ok.evidence.status).toBe('disposed');
    expect((await t.call<{ record: RecordSummary }>('records.erase', { id: rec.id, reason: 'student request' }, officer)).record.status).toBe('erased');
    await t.call('cases.unlink', { id: c.id, itemType: 'evidence', itemId: linkedEv.id }, officer);
  });

  it('validates scope and forbids hold mutations to auditors and viewers', async () => {
    const c = await newCase('Scope validation');
    await expect(hold(c.id, { scope: { subjectIds: ['SUBJ-99999'] } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(hold(c.id, { scope: { categories: ['nonsense'] } })).rejects.toMatchObject({ code: 'validation' });
    await expect(hold(c.id, { scope: { dateFrom: '2025-01-01', dateTo: '2024-01-01' } })).rejects.toMatchObject({ code: 'validation' });
    const h = await hold(c.id, { custodians: [{ name: 'A Person', email: 'a@example.edu' }] });
    const cust = (await t.call<{ custodians: Custodian[] }>('holds.get', { id: h.id }, viewer)).custodians[0] as Custodian;
    for (const session of [auditor, viewer]) {
      for (const [channel, input] of [
        ['holds.create', { caseId: c.id, title: 'x' }],
        ['holds.update', { id: h.id, title: 'y' }],
        ['holds.activate', { id: h.id }],
        ['holds.addCustodian', { id: h.id, custodian: { name: 'B' } }],
        ['holds.issueNotices', { id: h.id }],
        ['holds.acknowledge', { id: h.id, custodianId: cust.id }],
        ['holds.sendReminders', { id: h.id }],
        ['holds.escalate', { id: h.id }],
        ['holds.release', { id: h.id, reason: 'because' }],
      ] as const) {
        const r = await t.result(channel, input, session);
        expect(r.ok ? 'ok' : r.error.code, channel).toBe('forbidden');
        expect(lastEvent(channel)?.outcome).toBe('denied');
      }
    }
    expect((await t.call<{ hold: Hold }>('holds.get', { id: h.id }, auditor)).hold.status).toBe('draft');
    const list = await t.call<{ items: Hold[]; total: number }>('holds.list', { caseId: c.id }, viewer);
    expect(list.total).toBe(1);
    expect(existsSync(t.dir)).toBe(true);
  });
});
