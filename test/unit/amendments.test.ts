import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, eventsOf, ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';

let f: FerpaFixture;

beforeAll(async () => {
  f = await ferpaFixture();
  f.addSubject({ id: 'STU-1001', name: 'Jordan Alvarez' });
  f.addSubject({ id: 'STU-1002', name: 'Mei Tanaka' });
  f.addRecord({ id: 'REC-1', subjectId: 'STU-1001', category: 'grades', title: 'Fall 2025 grade report', content: 'Tax 201: C' });
  f.addRecord({ id: 'REC-2', subjectId: 'STU-1001', category: 'attendance', title: 'Attendance log' });
  f.addRecord({ id: 'REC-3', subjectId: 'STU-1002', category: 'grades', title: 'Spring grade report' });
  f.addRecord({ id: 'REC-GONE', subjectId: 'STU-1002', category: 'communications', status: 'purged' });
});
afterAll(() => f.close());

describe('amendment requests (34 CFR 99.20–22)', () => {
  it('receives a request with the decision deadline from policy (30 days) and ledgers it', async () => {
    const receivedAt = '2026-01-10T09:00:00.000Z';
    const { amendment } = await f.call('amendments.receive', {
      recordId: 'REC-2',
      matter: 'clerical_error',
      requestedChange: 'Mark 3 October as an excused absence.',
      reason: 'I was at a court hearing; letter attached.',
      receivedAt,
    }, 'compliance_officer');
    expect(amendment.state).toBe('received');
    expect(amendment.subjectId).toBe('STU-1001');
    expect(amendment.dueAt).toBe('2026-02-09T09:00:00.000Z');
    const ev = eventsOf(f.ws(), 'amendments.receive').find((e) => e.resource_id === amendment.id);
    expect(ev?.actor).toBe('olivia.officer');
    expect(ev?.details).toMatchObject({ record_id: 'REC-2', due_at: amendment.dueAt, to: 'received' });
  });

  it('walks received → under_review → denied → hearing → decided (upheld) → closed, each step ledgered under its channel', async () => {
    const { amendment: a } = await f.call('amendments.receive', {
      recordId: 'REC-1',
      matter: 'clerical_error',
      requestedChange: 'Change the Tax 201 grade from C to B.',
      reason: 'The final exam was mis-added.',
    });
    const detail0 = await f.call('amendments.get', { id: a.id }, 'viewer');
    expect(detail0.allowedActions).toEqual(['amendments.startReview']);

    await f.call('amendments.startReview', { id: a.id, note: 'Asked the instructor.' }, 'legal_counsel');
    const denied = await f.call('amendments.decide', { id: a.id, decision: 'deny', reason: 'The instructor re-added the exam; C stands.' });
    expect(denied.amendment.state).toBe('denied');
    expect(denied.amendment.outcome).toBe('denied');

    await f.call('amendments.requestHearing', { id: a.id });
    const withDue = await f.call('amendments.get', { id: a.id });
    expect(withDue.amendment.hearingDueAt).not.toBeNull();

    // 99.22(c): the person who decided cannot hear the appeal.
    const conflicted = await f.result('amendments.scheduleHearing', { id: a.id, hearingAt: daysAgo(1), location: 'Room 4', officer: 'admin' });
    expect(conflicted.ok).toBe(false);
    if (!conflicted.ok) expect(conflicted.error.code).toBe('validation');

    await f.call('amendments.scheduleHearing', { id: a.id, hearingAt: daysAgo(1), location: 'Room 4', officer: 'Dean R. Patel' });
    const upheld = await f.call('amendments.recordHearingOutcome', { id: a.id, outcome: 'upheld', reason: 'The grade is accurate.' });
    expect(upheld.amendment.state).toBe('decided');
    expect(upheld.amendment.outcome).toBe('upheld');
    const closed = await f.call('amendments.close', { id: a.id, note: 'Student informed of the right to a statement.' });
    expect(closed.amendment.state).toBe('closed');

    const actions = (f.ws().db.prepare("SELECT action FROM events WHERE resource_type = 'amendment' AND resource_id = ? AND outcome = 'success' ORDER BY seq").all(a.id) as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual([
      'amendments.receive',
      'amendments.startReview',
      'amendments.decide',
      'amendments.requestHearing',
      'amendments.scheduleHearing',
      'amendments.recordHearingOutcome',
      'amendments.close',
    ]);
  });

  it('amending at review records what changed and reaches closed; no statement is possible then', async () => {
    const { amendment: a } = await f.call('amendments.receive', { recordId: 'REC-3', matter: 'clerical_error', requestedChange: 'Fix the misspelled surname.', reason: 'Clerical error.' });
    await f.call('amendments.startReview', { id: a.id });
    const missingText = await f.result('amendments.decide', { id: a.id, decision: 'amend', reason: 'Clerical.' });
    expect(missingText.ok).toBe(false);
    const amended = await f.call('amendments.decide', { id: a.id, decision: 'amend', reason: 'Clerical error confirmed.', amendmentText: 'Surname corrected to Tanaka.' });
    expect(amended.amendment).toMatchObject({ state: 'amended', outcome: 'amended', amendmentText: 'Surname corrected to Tanaka.' });
    const noStatement = await f.result('amendments.fileStatement', { id: a.id, text: 'I disagree.' });
    expect(noStatement.ok).toBe(false);
    if (!noStatement.ok) expect(noStatement.error.code).toBe('conflict');
    await f.call('amendments.close', { id: a.id });
  });

  it('refuses every transition not in the table with conflict, and ledgers the refusal', async () => {
    const { amendment: a } = await f.call('amendments.receive', { recordId: 'REC-2', matter: 'clerical_error', requestedChange: 'Remove the late mark.', reason: 'Bus strike.' });
    const attempts: [string, Record<string, unknown>][] = [
      ['amendments.decide', { id: a.id, decision: 'deny', reason: 'Not yet reviewed.' }],
      ['amendments.requestHearing', { id: a.id }],
      ['amendments.scheduleHearing', { id: a.id, hearingAt: '2026-05-01', location: 'Room 1', officer: 'Someone Neutral' }],
      ['amendments.recordHearingOutcome', { id: a.id, outcome: 'upheld', reason: 'x' }],
      ['amendments.close', { id: a.id }],
      ['amendments.fileStatement', { id: a.id, text: 'I disagree.' }],
    ];
    for (const [channel, input] of attempts) {
      const r = await f.result(channel as 'amendments.decide', input);
      expect(r.ok, channel).toBe(false);
      if (!r.ok) expect(r.error.code, channel).toBe('conflict');
    }
    const refused = eventsOf(f.ws(), 'amendments.close').filter((e) => e.outcome === 'failure' && e.resource_id === a.id);
    expect(refused).toHaveLength(1);
    await f.call('amendments.startReview', { id: a.id });
    const again = await f.result('amendments.startReview', { id: a.id });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('conflict');
    const still = await f.call('amendments.get', { id: a.id });
    expect(still.amendment.state).toBe('under_review');
  });

  it('refuses a hearing outcome before the hearing has taken place', async () => {
    const { amendment: a } = await f.call('amendments.receive', { recordId: 'REC-2', matter: 'clerical_error', requestedChange: 'x change', reason: 'y reason' });
    await f.call('amendments.startReview', { id: a.id });
    await f.call('amendments.decide', { id: a.id, decision: 'deny', reason: 'No.' });
    await f.call('amendments.requestHearing', { id: a.id });
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString();
    await f.call('amendments.scheduleHearing', { id: a.id, hearingAt: future, location: 'Board room', officer: 'Dr. Neutral' });
    const early = await f.result('amendments.recordHearingOutcome', { id: a.id, outcome: 'upheld', reason: 'Too early.' });
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.error.code).toBe('conflict');
  });

  it('refuses a request about a purged record, an unknown record and an unknown case', async () => {
    const purged = await f.result('amendments.receive', { recordId: 'REC-GONE', matter: 'clerical_error', requestedChange: 'x', reason: 'y' });
    expect(!purged.ok && purged.error.code).toBe('conflict');
    const unknown = await f.result('amendments.receive', { recordId: 'REC-NOPE', matter: 'clerical_error', requestedChange: 'x', reason: 'y' });
    expect(!unknown.ok && unknown.error.code).toBe('not_found');
    const noCase = await f.result('amendments.receive', { recordId: 'REC-1', matter: 'clerical_error', requestedChange: 'x', reason: 'y', caseId: 'CASE-NOPE' });
    expect(!noCase.ok && noCase.error.code).toBe('not_found');
  });

  it('lets admin, compliance officer and legal counsel act; auditor and viewer may only read (denials ledgered)', async () => {
    for (const role of ['auditor', 'viewer'] as const) {
      const r = await f.result('amendments.receive', { recordId: 'REC-1', matter: 'clerical_error', requestedChange: 'x', reason: 'y' }, role);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('forbidden');
      const list = await f.call('amendments.list', {}, role);
      expect(list.items.length).toBeGreaterThan(0);
    }
    const denials = f.ws().db.prepare("SELECT count(*) AS n FROM events WHERE action = 'amendments.receive' AND outcome = 'denied'").get() as { n: number };
    expect(denials.n).toBe(2);
  });

  it('lists by state, subject and text', async () => {
    const all = await f.call('amendments.list', {});
    const closed = await f.call('amendments.list', { state: 'closed' });
    expect(closed.items.every((a) => a.state === 'closed')).toBe(true);
    expect(closed.items.length).toBeGreaterThan(0);
    const mei = await f.call('amendments.list', { subjectId: 'STU-1002' });
    expect(mei.items.every((a) => a.subjectId === 'STU-1002')).toBe(true);
    const text = await f.call('amendments.list', { search: 'surname' });
    expect(text.items.map((a) => a.recordId)).toEqual(['REC-3']);
    const pct = await f.call('amendments.list', { search: '%' });
    expect(pct.items).toHaveLength(0);
    expect(all.items.length).toBeGreaterThan(closed.items.length);
  });
});

describe('statement of disagreement (99.21(b)(2), (c))', () => {
  it('is attached automatically to every later disclosure of the record, and to none before it', async () => {
    f.addRecord({ id: 'REC-S', subjectId: 'STU-1001', category: 'disciplinary', title: 'Conduct report', content: 'Disruption in class on 2 Feb.' });
    const before = await f.call('disclosures.record', {
      subjectId: 'STU-1001',
      recordIds: ['REC-S'],
      recipient: 'Riverside College admissions',
      basis: 'other_institution',
      basisDetail: 'Student applied to transfer.',
      disclosedAt: daysAgo(20),
    });
    expect(before.disclosure.statements).toEqual([]);

    const { amendment: a } = await f.call('amendments.receive', { recordId: 'REC-S', matter: 'clerical_error', requestedChange: 'Remove the conduct report.', reason: 'It was another student.', receivedAt: daysAgo(15) });
    await f.call('amendments.startReview', { id: a.id });
    await f.call('amendments.decide', { id: a.id, decision: 'deny', reason: 'Two staff witnessed it.' });
    // A statement may be filed right after the denial, before any hearing.
    const { statement } = await f.call('amendments.fileStatement', { id: a.id, text: 'I was not in the room; the report names the wrong student.' }, 'legal_counsel');
    expect(statement.recordId).toBe('REC-S');
    expect(eventsOf(f.ws(), 'amendments.fileStatement').at(-1)?.details).toMatchObject({ statement_id: statement.id, record_id: 'REC-S' });

    const later = await f.call('disclosures.record', {
      subjectId: 'STU-1001',
      recordIds: ['REC-S', 'REC-2'],
      recipient: 'State scholarship office',
      basis: 'financial_aid',
      basisDetail: 'Eligibility for the state grant.',
    });
    expect(later.disclosure.statements.map((s) => s.id)).toEqual([statement.id]);
    expect(later.disclosure.statements[0]?.text).toContain('wrong student');
    const ev = eventsOf(f.ws(), 'disclosures.record').find((e) => e.resource_id === later.disclosure.id);
    expect(ev?.details.statements).toEqual([statement.id]);

    // A disclosure of only other records carries no statement.
    const other = await f.call('disclosures.record', { subjectId: 'STU-1001', recordIds: ['REC-2'], recipient: 'Coach', basis: 'school_official', basisDetail: 'Eligibility check.' });
    expect(other.disclosure.statements).toEqual([]);

    // The earlier disclosure is unchanged, and the amendment detail lists it as a prior recipient to inform.
    const again = await f.call('disclosures.get', { id: before.disclosure.id });
    expect(again.disclosure.statements).toEqual([]);
    const detail = await f.call('amendments.get', { id: a.id });
    expect(detail.priorDisclosures.map((d) => d.id)).toContain(before.disclosure.id);
    expect(detail.statements.map((s) => s.id)).toEqual([statement.id]);

    // Statements are append-only, like the ledger.
    expect(() => f.ws().db.prepare('DELETE FROM amendment_statements WHERE id = ?').run(statement.id)).toThrow(/append-only/);
  });
});
