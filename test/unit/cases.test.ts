import type { ChannelName } from '../../shared/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../shared/contract/cases.js';
import { RESTRICTED } from '../../shared/data-classes.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { CallError, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

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

async function newCase(title: string, type = 'investigation', session = officer): Promise<CaseSummary> {
  return (await t.call<{ case: CaseSummary }>('cases.create', { title, type, description: `About ${title}` }, session)).case;
}

describe('cases through the dispatch', () => {
  it('creates a case with a human-friendly id and ledgers it in the same transaction', async () => {
    const before = t.eventCount();
    const c = await newCase('Grade change complaint');
    const year = new Date().getUTCFullYear();
    expect(c.id).toMatch(new RegExp(`^CASE-${year}-\\d{4}$`));
    expect(c.status).toBe('open');
    expect(t.eventCount()).toBe(before + 1);
    const e = lastEvent('cases.create');
    expect(e).toMatchObject({ actor: 'maria.chen', resource_type: 'case', resource_id: c.id, outcome: 'success' });
    const next = await newCase('Second case');
    expect(Number(next.id.slice(-4))).toBe(Number(c.id.slice(-4)) + 1);
  });

  it('assigns to people who work cases and refuses auditors and unknown users', async () => {
    const c = await newCase('Assignment test');
    const assigned = await t.call<{ case: CaseSummary }>('cases.assign', { id: c.id, assignee: 'david.okafor' }, officer);
    expect(assigned.case.assignee).toBe('david.okafor');
    expect(lastEvent('cases.assign')?.details).toEqual({ from: null, to: 'david.okafor' });
    await expect(t.call('cases.assign', { id: c.id, assignee: 'priya.raman' }, officer)).rejects.toMatchObject({ code: 'validation' });
    await expect(t.call('cases.assign', { id: c.id, assignee: 'nobody' }, officer)).rejects.toMatchObject({ code: 'validation' });
    const un = await t.call<{ case: CaseSummary }>('cases.assign', { id: c.id, assignee: null }, counsel);
    expect(un.case.assignee).toBeNull();
  });

  it('follows open → on_hold ↔ open → closed and refuses anything else with conflict (ledgered)', async () => {
    const c = await newCase('Status test');
    await t.call('cases.setStatus', { id: c.id, status: 'on_hold', reason: 'waiting for records' }, officer);
    await expect(t.call('cases.setStatus', { id: c.id, status: 'closed' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    const refused = lastEvent('cases.setStatus');
    expect(refused).toMatchObject({ outcome: 'failure', resource_type: 'case', resource_id: c.id });
    await t.call('cases.setStatus', { id: c.id, status: 'open' }, officer);
    const closed = await t.call<{ case: CaseSummary }>('cases.setStatus', { id: c.id, status: 'closed' }, officer);
    expect(closed.case.status).toBe('closed');
    expect(closed.case.closedAt).not.toBeNull();
    await expect(t.call('cases.setStatus', { id: c.id, status: 'open' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('cases.link', { id: c.id, itemType: 'subject', itemId: 'SUBJ-00001' }, officer)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps notes append-only and ledgers them without their text', async () => {
    const c = await newCase('Notes test');
    const { note } = await t.call<{ note: { id: string; body: string } }>('cases.addNote', { id: c.id, body: 'Called the registrar; confidential detail.' }, counsel);
    const e = lastEvent('cases.addNote');
    expect(e?.details).toEqual({ note: note.id, length: 'Called the registrar; confidential detail.'.length });
    expect(JSON.stringify(e)).not.toContain('confidential detail');
    const got = await t.call<{ notes: { body: string; author: string }[] }>('cases.get', { id: c.id }, auditor);
    expect(got.notes).toEqual([expect.objectContaining({ body: 'Called the registrar; confidential detail.', author: 'david.okafor' })]);
    // A note tells the matter, often naming students: a viewer sees that it exists, not what it says.
    const asViewer = await t.call<{ notes: { body: string; author: string }[] }>('cases.get', { id: c.id }, viewer);
    expect(asViewer.notes).toEqual([expect.objectContaining({ body: RESTRICTED, author: 'david.okafor' })]);
    expect(() => t.app.ws.db.prepare('UPDATE case_notes SET body = ?').run('x')).toThrow(/append-only/);
  });

  it('links subjects and records and builds the timeline from their ledger events', async () => {
    const c = await newCase('Timeline test');
    const { subject } = await t.call<{ subject: { id: string } }>('subjects.create', { displayName: 'Jordan Lee', externalId: 'S-20001' }, officer);
    const { record } = await t.call<{ record: { id: string } }>(
      'records.create',
      { subjectId: subject.id, category: 'academic', title: 'Transcript 2024', content: 'A, B+, A-', recordDate: '2024-06-01' },
      officer,
    );
    await t.call('cases.link', { id: c.id, itemType: 'subject', itemId: subject.id }, officer);
    await t.call('cases.link', { id: c.id, itemType: 'record', itemId: record.id }, officer);
    await t.call('records.get', { id: record.id, purpose: 'case review' }, auditor);
    const got = await t.call<{ case: CaseSummary; links: { itemType: string; itemId: string; label: string }[] }>('cases.get', { id: c.id }, viewer);
    expect(got.case.linkedCounts).toEqual({ record: 1, evidence: 0, subject: 1 });
    expect(got.links.map((l) => `${l.itemType}:${l.itemId}`).sort()).toEqual([`record:${record.id}`, `subject:${subject.id}`].sort());
    const tl = await t.call<{ events: LedgerEvent[]; total: number }>('cases.timeline', { id: c.id, limit: 50 }, viewer);
    const actions = tl.events.map((e) => `${e.action}:${e.resource_id}`);
    expect(actions).toContain(`cases.create:${c.id}`);
    expect(actions).toContain(`records.create:${record.id}`);
    expect(actions).toContain(`records.view:${record.id}`);
    expect(actions).toContain(`subjects.create:${subject.id}`);
    expect(tl.total).toBe(tl.events.length);
    expect(tl.events.map((e) => e.seq)).toEqual([...tl.events.map((e) => e.seq)].sort((a, b) => b - a));
    const page = await t.call<{ events: LedgerEvent[]; total: number }>('cases.timeline', { id: c.id, offset: 1, limit: 2 }, viewer);
    expect(page.events.map((e) => e.seq)).toEqual(tl.events.slice(1, 3).map((e) => e.seq));
    await expect(t.call('cases.link', { id: c.id, itemType: 'evidence', itemId: 'EV-1999-0001' }, officer)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('puts FERPA work filed under the case on its timeline: subpoenas, amendments, disclosures, access requests', async () => {
    const c = await newCase('Subpoena timeline test', 'subpoena', counsel);
    const { subject } = await t.call<{ subject: { id: string } }>('subjects.create', { displayName: 'Ana Romero', externalId: 'S-20002' }, officer);
    const { record } = await t.call<{ record: { id: string } }>(
      'records.create',
      { subjectId: subject.id, category: 'grades', title: 'Grade report', content: 'TAX 201: B', recordDate: '2025-12-19' },
      officer,
    );
    const day = 86_400_000;
    const { subpoena } = await t.call<{ subpoena: { id: string } }>(
      'subpoenas.receive',
      { subjectId: subject.id, issuer: 'Hall & Brandt LLP', type: 'civil', requestedRecords: 'Grades.', servedAt: new Date(Date.now() - day).toISOString(), dueAt: new Date(Date.now() + 10 * day).toISOString(), caseId: c.id },
      counsel,
    );
    await t.call('subpoenas.verify', { id: subpoena.id, note: 'Confirmed with the clerk.' }, counsel);
    const { amendment } = await t.call<{ amendment: { id: string } }>('amendments.receive', { recordId: record.id, matter: 'clerical_error', requestedChange: 'B+', reason: 'Rubric.', caseId: c.id }, officer);
    const { disclosure } = await t.call<{ disclosure: { id: string } }>(
      'disclosures.record',
      { subjectId: subject.id, recordIds: [record.id], recipient: 'Riverside College', basis: 'other_institution', basisDetail: 'Transfer.', caseId: c.id },
      officer,
    );
    const { request } = await t.call<{ request: { id: string } }>('accessRequests.create', { subjectId: subject.id, requester: 'Ana Romero', description: 'Inspect.', caseId: c.id }, officer);
    const tl = await t.call<{ events: LedgerEvent[] }>('cases.timeline', { id: c.id, limit: 50 }, viewer);
    const actions = tl.events.map((e) => `${e.action}:${e.resource_id}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `subpoenas.receive:${subpoena.id}`,
        `subpoenas.verify:${subpoena.id}`,
        `amendments.receive:${amendment.id}`,
        `disclosures.record:${disclosure.id}`,
        `accessRequests.create:${request.id}`,
      ]),
    );
  });

  it('lists with search, filters, sort and paging, and reports the total', async () => {
    for (let i = 0; i < 12; i++) await newCase(`Paging sample ${String(i).padStart(2, '0')}`, i % 2 ? 'audit' : 'breach');
    const all = await t.call<{ items: CaseSummary[]; total: number }>('cases.list', { search: 'Paging sample', sort: 'title', dir: 'asc', limit: 5 }, auditor);
    expect(all.total).toBe(12);
    expect(all.items.map((c) => c.title)).toEqual(['00', '01', '02', '03', '04'].map((n) => `Paging sample ${n}`));
    const p3 = await t.call<{ items: CaseSummary[]; total: number }>('cases.list', { search: 'Paging sample', sort: 'title', dir: 'asc', offset: 10, limit: 5 }, auditor);
    expect(p3.items.map((c) => c.title)).toEqual(['Paging sample 10', 'Paging sample 11']);
    const audits = await t.call<{ items: CaseSummary[]; total: number }>('cases.list', { search: 'Paging', type: ['audit'] }, auditor);
    expect(audits.total).toBe(6);
    expect(audits.items.every((c) => c.type === 'audit')).toBe(true);
    const closed = await t.call<{ items: CaseSummary[]; total: number }>('cases.list', { status: ['closed'] }, viewer);
    expect(closed.items.every((c) => c.status === 'closed')).toBe(true);
    const literal = await t.call<{ total: number }>('cases.list', { search: '100%_' }, auditor);
    expect(literal.total).toBe(0);
  });

  it('forbids every case mutation to auditors and viewers, ledgering the denial', async () => {
    const c = await newCase('Role test');
    for (const session of [auditor, viewer]) {
      const attempts: [string, unknown][] = [
        ['cases.create', { title: 'Nope', type: 'audit' }],
        ['cases.update', { id: c.id, title: 'Changed' }],
        ['cases.assign', { id: c.id, assignee: 'maria.chen' }],
        ['cases.setStatus', { id: c.id, status: 'closed' }],
        ['cases.addNote', { id: c.id, body: 'note' }],
        ['cases.link', { id: c.id, itemType: 'subject', itemId: 'SUBJ-00001' }],
      ];
      for (const [channel, input] of attempts) {
        const before = t.eventCount();
        const r = await t.result(channel as ChannelName, input, session);
        expect(r.ok, channel).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('forbidden');
        expect(t.eventCount()).toBe(before + 1);
        expect(lastEvent(channel)?.outcome).toBe('denied');
      }
      const read = await t.call<{ case: CaseSummary }>('cases.get', { id: c.id }, session);
      // A case title may name a student (Alvarez v. Northfield): restricted for viewers (shared/roles.ts).
      expect(read.case.title).toBe(session === viewer ? RESTRICTED : 'Role test');
    }
    const unchanged = await t.call<{ case: CaseSummary }>('cases.get', { id: c.id }, officer);
    expect(unchanged.case).toMatchObject({ title: 'Role test', status: 'open', assignee: null });
  });

  it('answers not_found for an unknown case and ledgers the failed mutation against it', async () => {
    const err = await t.call('cases.addNote', { id: 'CASE-1999-0001', body: 'x' }, officer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect((err as CallError).code).toBe('not_found');
    expect(lastEvent('cases.addNote')).toMatchObject({ outcome: 'failure', resource_type: 'case', resource_id: 'CASE-1999-0001' });
  });
});
