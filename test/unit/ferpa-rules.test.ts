import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../shared/contract.js';
import type { Role } from '../../shared/roles.js';
import { calendarDate, machineTimeZone } from '../../shared/day-count.js';
import { daysAgo, eventsOf, ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';

// FERPA as seed 002 states it (issue 12, item 6) and written consents (item 5). Each of the issue's
// three reproductions is a test here: before this work, each call below was accepted.

let f: FerpaFixture;

const TABLES = ['disclosures', 'disclosure_records', 'consents', 'consent_scope', 'amendment_requests', 'amendment_notices', 'productions', 'ferpa_settings'];

function counts(): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, (f.ws().db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
}

function lastEvent(): { seq: number; action: string; outcome: string; details: Record<string, unknown> } {
  const e = f.ws().db.prepare('SELECT seq, action, outcome, details FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; action: string; outcome: string; details: string };
  return { ...e, details: JSON.parse(e.details) as Record<string, unknown> };
}

/** Calls a channel that must be refused with `code`: nothing changes but one refusal event of that channel. */
async function refused(channel: ChannelName, input: unknown, code: string, as: Role = 'compliance_officer'): Promise<string> {
  const before = counts();
  const size = f.ws().ledger.head().size;
  const r = await f.result(channel, input, as);
  expect(r.ok).toBe(false);
  if (r.ok) return '';
  expect(r.error.code).toBe(code);
  expect(counts()).toEqual(before);
  expect(f.ws().ledger.head().size).toBe(size + 1);
  const e = lastEvent();
  expect(e.action).toBe(channel);
  expect(e.outcome).toBe('failure');
  expect(e.details.message).toBe(r.error.message);
  return r.error.message;
}

beforeAll(async () => {
  f = await ferpaFixture();
  f.addSubject({ id: 'STU-5001', name: 'Nadia Haddad' });
  f.addSubject({ id: 'STU-5002', name: 'Owen Price' });
  f.addRecord({ id: 'REC-GR', subjectId: 'STU-5001', category: 'grades', title: 'Grade report 2025' });
  f.addRecord({ id: 'REC-AT', subjectId: 'STU-5001', category: 'attendance', title: 'Attendance 2025' });
  f.addRecord({ id: 'REC-TR', subjectId: 'STU-5001', category: 'academic', title: 'Transcript' });
  f.addRecord({ id: 'REC-DIR', subjectId: 'STU-5001', category: 'directory', title: 'Directory entry' });
  f.addRecord({ id: 'REC-EN', subjectId: 'STU-5001', category: 'enrollment', title: 'Enrollment agreement' });
  f.addRecord({ id: 'REC-OG', subjectId: 'STU-5002', category: 'grades', title: 'Grade report 2025' });
});
afterAll(() => f.close());

describe('directory information (34 CFR 99.3, 99.37; seed 002)', () => {
  it('refuses a directory-information disclosure of grades and attendance, naming the rule, with nothing changed but the refusal', async () => {
    const message = await refused('disclosures.record', {
      subjectId: 'STU-5001',
      recordIds: ['REC-GR', 'REC-AT'],
      recipient: 'Local newspaper',
      basis: 'directory_information',
      basisDetail: 'Honor roll list.',
    }, 'conflict');
    expect(message).toMatch(/Directory information \(34 CFR 99\.3, 99\.37\)/);
    expect(message).toMatch(/never includes grades, attendance, GPA or transcripts/);
    expect(message).toContain('REC-GR (grades)');
    expect(message).toContain('REC-AT (attendance)');
    expect(message).not.toMatch(/seed/i);
  });

  it('refuses transcripts too, and accepts the designated directory entry or none', async () => {
    await refused('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-TR'], recipient: 'Yearbook', basis: 'directory_information', basisDetail: 'Transcript.' }, 'conflict');
    await refused('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-DIR', 'REC-GR'], recipient: 'Yearbook', basis: 'directory_information', basisDetail: 'Mixed.' }, 'conflict');
    const ok = await f.call('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-DIR'], recipient: 'Yearbook', basis: 'directory_information', basisDetail: 'Name and enrollment status.' });
    expect(ok.disclosure.records.map((r) => r.id)).toEqual(['REC-DIR']);
    const bare = await f.call('disclosures.record', { subjectId: 'STU-5001', recipient: 'Yearbook', basis: 'directory_information', basisDetail: 'Name only.' });
    expect(bare.disclosure.records).toEqual([]);
  });
});

describe('subpoenas need a court order (seed 002), unless the institution chooses lawful subpoenas', () => {
  async function scopedSubpoena(type: 'civil' | 'court_order' | 'grand_jury'): Promise<string> {
    const { subpoena } = await f.call('subpoenas.receive', {
      subjectId: 'STU-5001', issuer: 'Hall & Brandt LLP', court: 'District Court', docket: `D-${type}`, type,
      requestedRecords: 'Grade report 2025.', servedAt: daysAgo(2), dueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    }, 'legal_counsel');
    await f.call('subpoenas.verify', { id: subpoena.id, note: 'Counsel confirmed it with the clerk.' }, 'legal_counsel');
    await f.call('subpoenas.sendNotice', { id: subpoena.id, method: 'Letter to the student' });
    await f.call('subpoenas.scope', { id: subpoena.id, recordIds: ['REC-GR'] }, 'legal_counsel');
    return subpoena.id;
  }

  it('ships the seed rule as the default policy', async () => {
    const { policy } = await f.call('ferpa.policy', {}, 'viewer');
    expect(policy).toMatchObject({ productionRequires: 'court_order', productionRequiresIsDefault: true, changedBy: null, directoryCategories: ['directory'] });
    expect(policy.otherBasis).toEqual({ rule: 'refuse', isDefault: true, changedAt: null, changedBy: null });
  });

  it('refuses to produce a verified civil subpoena, explains why, and ledgers the refusal with nothing produced', async () => {
    const id = await scopedSubpoena('civil');
    const detail = await f.call('subpoenas.get', { id });
    expect(detail.allowedActions).not.toContain('subpoenas.produce');
    expect(detail.productionRefusal).toMatch(/court order/);
    const message = await refused('subpoenas.produce', { id, batesPrefix: 'REF' }, 'conflict', 'legal_counsel');
    expect(message).toMatch(/civil subpoena, not a court order/);
    expect(message).toMatch(/34 CFR 99\.31\(a\)\(9\)/);
    expect((await f.call('subpoenas.get', { id })).subpoena.state).toBe('scoped');
    // A manual disclosure on the ground of a subpoena is refused by the same rule.
    await refused('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-GR'], recipient: 'Hall & Brandt LLP', basis: 'subpoena', basisDetail: 'Civil subpoena.' }, 'conflict');
  });

  it('produces on a court order under the default policy', async () => {
    const id = await scopedSubpoena('court_order');
    const out = await f.call('subpoenas.produce', { id, batesPrefix: 'ORD' }, 'legal_counsel');
    expect(out.subpoena.state).toBe('produced');
  });

  it('lets only an administrator allow lawful subpoenas, ledgered with the value replaced; production then goes ahead', async () => {
    const id = await scopedSubpoena('grand_jury');
    for (const role of ['compliance_officer', 'legal_counsel', 'auditor'] as const) {
      const r = await f.result('ferpa.setPolicy', { productionRequires: 'court_order_or_lawful_subpoena', reason: 'x' }, role);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
    const { policy } = await f.call('ferpa.setPolicy', { productionRequires: 'court_order_or_lawful_subpoena', reason: 'Board resolution 2026-04.' });
    expect(policy).toMatchObject({ productionRequires: 'court_order_or_lawful_subpoena', productionRequiresIsDefault: false, changedBy: 'admin' });
    const ev = eventsOf(f.ws(), 'ferpa.setPolicy').filter((e) => e.outcome === 'success').at(-1);
    expect(ev?.details).toEqual({ setting: 'subpoenas.productionRequires', from: 'court_order', to: 'court_order_or_lawful_subpoena', reason: 'Board resolution 2026-04.' });
    expect((await f.call('subpoenas.get', { id })).allowedActions).toContain('subpoenas.produce');
    const out = await f.call('subpoenas.produce', { id, batesPrefix: 'GJY' }, 'legal_counsel');
    expect(out.subpoena.state).toBe('produced');
    await f.call('ferpa.setPolicy', { productionRequires: 'court_order', reason: 'Back to the seed rule.' });
    expect((await f.call('ferpa.policy', {})).policy.productionRequires).toBe('court_order');
  });
});

describe('amendment requests: subjective grades and attendance are answered, not heard (seed 002)', () => {
  it('answers a request about a subjective grade with an explanation and no hearing', async () => {
    const { amendment } = await f.call('amendments.receive', {
      recordId: 'REC-GR', matter: 'subjective_grade', requestedChange: 'Raise the essay grade from C to B.', reason: 'It deserved more credit.',
    }, 'compliance_officer');
    expect(amendment.state).toBe('closed');
    expect(amendment.outcome).toBe('not_amendable');
    expect(amendment.answer).toMatch(/grade appeal process/);
    const detail = await f.call('amendments.get', { id: amendment.id });
    expect(detail.allowedActions).toEqual([]);
    for (const channel of ['amendments.startReview', 'amendments.requestHearing'] as const) {
      await refused(channel, { id: amendment.id }, 'conflict');
    }
    const ev = eventsOf(f.ws(), 'amendments.receive').find((e) => e.resource_id === amendment.id);
    expect(ev?.details).toMatchObject({ matter: 'subjective_grade', to: 'closed', answered: 'not_amendable' });
  });

  it('lets the student add an explanation to an attendance entry it will not amend, with the institution’s own answer', async () => {
    const { amendment } = await f.call('amendments.receive', {
      recordId: 'REC-AT', matter: 'attendance', requestedChange: 'Delete the absence of 5 November.', reason: 'I forgot to sign in.',
      answer: 'Attendance entries are not amended; your explanation will be kept with the record.',
    });
    expect(amendment.answer).toBe('Attendance entries are not amended; your explanation will be kept with the record.');
    const detail = await f.call('amendments.get', { id: amendment.id });
    expect(detail.allowedActions).toEqual(['amendments.fileStatement']);
    const filed = await f.call('amendments.fileStatement', { id: amendment.id, text: 'I was present; the instructor can confirm.' });
    expect(filed.statement.recordId).toBe('REC-AT');
  });

  it('refuses an answer to an amendable request: that one is reviewed and decided', async () => {
    await refused('amendments.receive', { recordId: 'REC-GR', matter: 'grade_calculation', requestedChange: 'x', reason: 'y', answer: 'No.' }, 'validation');
  });
});

describe('an agreed amendment notifies everyone who received the record before (seed 002)', () => {
  it('records one notice per earlier disclosure, in the amendment’s transaction, shown on both sides', async () => {
    const first = await f.call('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-EN'], recipient: 'Riverside College', basis: 'other_institution', basisDetail: 'Transfer.', disclosedAt: daysAgo(30) });
    const second = await f.call('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-EN', 'REC-GR'], recipient: 'State grant office', basis: 'financial_aid', basisDetail: 'Grant.', disclosedAt: daysAgo(10) });
    const { amendment } = await f.call('amendments.receive', { recordId: 'REC-EN', matter: 'clerical_error', requestedChange: 'Fix the start date.', reason: 'Typo.' });
    await f.call('amendments.startReview', { id: amendment.id });
    const size = f.ws().ledger.head().size;
    await f.call('amendments.decide', { id: amendment.id, decision: 'amend', reason: 'Agreed.', amendmentText: 'Start date corrected to 2025-08-25.' });
    // The decision and one notice event per recipient, nothing else.
    expect(f.ws().ledger.head().size).toBe(size + 3);
    const detail = await f.call('amendments.get', { id: amendment.id });
    expect(detail.notices.map((n) => [n.disclosureId, n.recipient, n.change])).toEqual([
      [first.disclosure.id, 'Riverside College', 'Start date corrected to 2025-08-25.'],
      [second.disclosure.id, 'State grant office', 'Start date corrected to 2025-08-25.'],
    ]);
    const events = eventsOf(f.ws(), 'amendments.notifyRecipient').filter((e) => e.details.amendment_id === amendment.id);
    expect(events.map((e) => e.resource_id)).toEqual([first.disclosure.id, second.disclosure.id]);
    const shown = await f.call('disclosures.get', { id: second.disclosure.id });
    expect(shown.disclosure.notices).toEqual([expect.objectContaining({ amendmentId: amendment.id, change: 'Start date corrected to 2025-08-25.' })]);
    // A later disclosure carries the amended record; it needs no notice.
    const later = await f.call('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-EN'], recipient: 'State auditor', basis: 'audit_evaluation', basisDetail: 'Audit.' });
    expect(later.disclosure.notices).toEqual([]);
    expect(() => f.ws().db.prepare('DELETE FROM amendment_notices').run()).toThrow(/append-only/);
  });

  it('records notices when a hearing decides to amend', async () => {
    const d = await f.call('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-TR'], recipient: 'Scholarship board', basis: 'audit_evaluation', basisDetail: 'Audit.', disclosedAt: daysAgo(5) });
    const { amendment } = await f.call('amendments.receive', { recordId: 'REC-TR', matter: 'duplicate_record', requestedChange: 'Remove the duplicate course line.', reason: 'Listed twice.' });
    await f.call('amendments.startReview', { id: amendment.id });
    await f.call('amendments.decide', { id: amendment.id, decision: 'deny', reason: 'Not a duplicate.' });
    await f.call('amendments.requestHearing', { id: amendment.id });
    await f.call('amendments.scheduleHearing', { id: amendment.id, hearingAt: new Date(Date.now() - 1000).toISOString(), location: 'Room 1', officer: 'Dean Hale' });
    await f.call('amendments.recordHearingOutcome', { id: amendment.id, outcome: 'amended', reason: 'It was listed twice.', amendmentText: 'Duplicate TAX 201 line removed.' });
    const detail = await f.call('amendments.get', { id: amendment.id });
    expect(detail.notices.map((n) => n.disclosureId)).toEqual([d.disclosure.id]);
  });
});

describe('written consent (34 CFR 99.30)', () => {
  const RECIPIENT = 'Acme Tax Services, tuition program';
  let live: string;

  it('records who consented, to what, for which records, when; viewers see none of the personal text', async () => {
    const { consent } = await f.call('consents.record', {
      subjectId: 'STU-5001', givenBy: 'student', signerName: 'Nadia Haddad', recipient: RECIPIENT, purpose: 'Tuition reimbursement.',
      categories: ['attendance'], recordIds: ['REC-GR'], signedAt: daysAgo(20), expiresAt: new Date(Date.now() + 300 * 86_400_000).toISOString(),
    }, 'compliance_officer');
    live = consent.id;
    expect(consent).toMatchObject({ subjectId: 'STU-5001', givenBy: 'student', categories: ['attendance'], state: 'live', revokedAt: null });
    expect(consent.records.map((r) => r.id)).toEqual(['REC-GR']);
    const ev = eventsOf(f.ws(), 'consents.record').at(-1);
    expect(ev?.details).toMatchObject({ subject_id: 'STU-5001', categories: ['attendance'], records: ['REC-GR'] });
    const seen = await f.call('consents.list', { subjectId: 'STU-5001' }, 'viewer');
    expect(JSON.stringify(seen)).not.toContain('Nadia');
    expect(JSON.stringify(seen)).not.toContain('Acme');
    await refused('consents.record', { subjectId: 'STU-5001', givenBy: 'student', signerName: 'N', recipient: 'X', purpose: 'Y', signedAt: daysAgo(1) }, 'validation');
    await refused('consents.record', { subjectId: 'STU-5001', givenBy: 'student', signerName: 'N', recipient: 'X', purpose: 'Y', recordIds: ['REC-OG'], signedAt: daysAgo(1) }, 'validation');
  });

  it('accepts a consent-based disclosure only under a live consent that covers the records and the recipient', async () => {
    const base = { subjectId: 'STU-5001', recipient: RECIPIENT, basis: 'consent', basisDetail: 'Signed consent.' } as const;
    const { consent: revoked } = await f.call('consents.record', { subjectId: 'STU-5001', givenBy: 'parent', signerName: 'Parent', recipient: RECIPIENT, purpose: 'P', categories: ['attendance', 'grades'], signedAt: daysAgo(40) });
    const revokedNow = await f.call('consents.revoke', { id: revoked.id, reason: 'Withdrawn in writing.', revokedAt: daysAgo(15) });
    expect(revokedNow.consent.state).toBe('revoked');
    const { consent: expired } = await f.call('consents.record', { subjectId: 'STU-5001', givenBy: 'student', signerName: 'N', recipient: RECIPIENT, purpose: 'P', categories: ['attendance'], signedAt: daysAgo(90), expiresAt: daysAgo(30) });
    expect(expired.state).toBe('expired');
    const { consent: other } = await f.call('consents.record', { subjectId: 'STU-5002', givenBy: 'student', signerName: 'Owen', recipient: RECIPIENT, purpose: 'P', categories: ['grades'], signedAt: daysAgo(10) });

    const matrix: [string, Record<string, unknown>, RegExp][] = [
      ['no consent named', { recordIds: ['REC-AT'] }, /name the consent/],
      ['revoked', { recordIds: ['REC-AT'], consentId: revoked.id }, /was revoked on/],
      ['expired', { recordIds: ['REC-AT'], consentId: expired.id }, /expired on/],
      ['other subject', { recordIds: ['REC-AT'], consentId: other.id }, /is not a consent of STU-5001/],
      ['other records', { recordIds: ['REC-AT', 'REC-TR'], consentId: live }, /does not cover REC-TR \(academic\)/],
      ['other recipient', { recordIds: ['REC-AT'], consentId: live, recipient: 'Another employer' }, /not to Another employer/],
      ['before it was signed', { recordIds: ['REC-AT'], consentId: live, disclosedAt: daysAgo(25) }, /after the disclosure/],
    ];
    for (const [, input, why] of matrix) {
      const message = await refused('disclosures.record', { ...base, ...input }, 'conflict');
      expect(message).toMatch(/34 CFR 99\.30/);
      expect(message).toMatch(why);
    }
    // Covered by category (attendance) and by record (REC-GR); the recipient's spacing and case do not matter.
    const ok = await f.call('disclosures.record', { ...base, recipient: '  acme tax services,  tuition program ', recordIds: ['REC-AT', 'REC-GR'], consentId: live });
    expect(ok.disclosure.consentId).toBe(live);
    expect(eventsOf(f.ws(), 'disclosures.record').at(-1)?.details.consent_id).toBe(live);
    // While it was live, the revoked consent covered a disclosure; that one stands.
    const before = await f.call('disclosures.record', { ...base, recordIds: ['REC-AT'], consentId: revoked.id, disclosedAt: daysAgo(20) });
    expect(before.disclosure.consentId).toBe(revoked.id);
    // A consent is named only for the consent basis.
    await refused('disclosures.record', { ...base, basis: 'school_official', recordIds: ['REC-AT'], consentId: live }, 'validation');
  });

  it('revokes once; the terms never change', async () => {
    const { consent } = await f.call('consents.revoke', { id: live, reason: 'The student revoked it by e-mail.' });
    expect(consent).toMatchObject({ state: 'revoked', revokedBy: 'admin', revocationReason: 'The student revoked it by e-mail.', disclosureCount: 1 });
    await refused('consents.revoke', { id: live, reason: 'Again.' }, 'conflict');
    await refused('disclosures.record', { subjectId: 'STU-5001', recordIds: ['REC-AT'], recipient: RECIPIENT, basis: 'consent', basisDetail: 'x', consentId: live }, 'conflict');
    expect(() => f.ws().db.prepare('UPDATE consents SET recipient = ? WHERE id = ?').run('Someone', live)).toThrow(/append-only/);
    expect(() => f.ws().db.prepare('UPDATE consents SET revoked_at = NULL WHERE id = ?').run(live)).toThrow(/revoked once/);
    const list = await f.call('consents.list', { subjectId: 'STU-5001' });
    expect(list.items.find((c) => c.id === live)?.state).toBe('revoked');
  });
});

describe('no disclosure without consent except the listed exceptions (seed 002), unless the institution allows another basis', () => {
  const other = { subjectId: 'STU-5001', recordIds: ['REC-EN'], recipient: 'Employer', basis: 'other' as const, basisDetail: 'A state law, in words.' };

  it('refuses "Other legal basis" by default, saying what to do, with nothing changed but the refusal', async () => {
    const message = await refused('disclosures.record', other, 'conflict');
    expect(message).toMatch(/listed \(34 CFR 99\.30, 99\.31\).*Settings › FERPA rules/);
  });

  it('lets only an administrator allow it, one event per setting changed; then the disclosure is recorded; setting it back refuses again', async () => {
    for (const role of ['compliance_officer', 'legal_counsel', 'auditor'] as const) {
      const r = await f.result('ferpa.setPolicy', { otherBasis: 'allow', reason: 'x' }, role);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
    // Nothing to change, or no setting named: refused, nothing stored.
    await refused('ferpa.setPolicy', { otherBasis: 'refuse', reason: 'Already so.' }, 'conflict', 'admin');
    expect(((await f.result('ferpa.setPolicy', { reason: 'Which?' })) as { ok: boolean; error?: { code: string } }).error?.code).toBe('validation');
    const size = f.ws().ledger.head().size;
    const { policy } = await f.call('ferpa.setPolicy', { otherBasis: 'allow', productionRequires: 'court_order', reason: 'Board resolution 2026-07: juvenile justice exception.' });
    expect(policy.otherBasis).toMatchObject({ rule: 'allow', isDefault: false, changedBy: 'admin' });
    // productionRequires was already court_order: one event, for the setting that changed.
    expect(f.ws().ledger.head().size).toBe(size + 1);
    expect(eventsOf(f.ws(), 'ferpa.setPolicy').at(-1)).toMatchObject({ resource_id: 'disclosures.otherBasis', outcome: 'success', details: { setting: 'disclosures.otherBasis', from: 'refuse', to: 'allow', reason: 'Board resolution 2026-07: juvenile justice exception.' } });
    const made = await f.call('disclosures.record', other);
    expect(made.disclosure.basis).toBe('other');
    // Both at once: two events in one call.
    const before = f.ws().ledger.head().size;
    await f.call('ferpa.setPolicy', { otherBasis: 'refuse', productionRequires: 'court_order_or_lawful_subpoena', reason: 'Both.' });
    expect(eventsOf(f.ws(), 'ferpa.setPolicy').slice(-2).map((e) => [e.resource_id, e.details.to])).toEqual([
      ['subpoenas.productionRequires', 'court_order_or_lawful_subpoena'],
      ['disclosures.otherBasis', 'refuse'],
    ]);
    expect(f.ws().ledger.head().size).toBe(before + 2);
    await refused('disclosures.record', other, 'conflict');
    await f.call('ferpa.setPolicy', { productionRequires: 'court_order', reason: 'Back to the seed rule.' });
  });
});

describe('parents of dependent students (seed 002: dependency by IRS tax rules; 34 CFR 99.31(a)(8))', () => {
  const toParent = (disclosedAt?: string) => ({
    subjectId: 'STU-7001',
    recordIds: ['REC-7001'],
    recipient: 'Ana Ruiz (mother)',
    basis: 'dependent_parent' as const,
    basisDetail: 'Parent of a dependent student.',
    ...(disclosedAt ? { disclosedAt } : {}),
  });

  beforeAll(() => {
    f.addSubject({ id: 'STU-7001', name: 'Leo Ruiz' });
    f.addRecord({ id: 'REC-7001', subjectId: 'STU-7001', category: 'grades' });
  });

  it('refuses a disclosure to a parent while no dependent status is recorded, saying what to do; nothing changes but the refusal', async () => {
    const message = await refused('disclosures.record', toParent(), 'conflict');
    expect(message).toMatch(/^STU-7001 has no dependent status recorded: parents receive education records without the student's written consent only for a dependent student \(34 CFR 99\.31\(a\)\(8\)/);
    expect((await f.call('subjects.get', { id: 'STU-7001' })).subject.dependency).toBeNull();
  });

  it('records the status with its evidence (case workers only, ledgered); a parent then receives records, but not for a date before the status was recorded', async () => {
    for (const role of ['auditor', 'viewer'] as const) {
      const r = await f.result('subjects.setDependency', { id: 'STU-7001', dependent: true, evidence: 'x' }, role);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
    const { subject } = await f.call('subjects.setDependency', { id: 'STU-7001', dependent: true, evidence: 'Claimed on the parents’ 2025 federal return (copy on file).' }, 'compliance_officer');
    expect(subject.dependency).toMatchObject({ dependent: true, evidence: 'Claimed on the parents’ 2025 federal return (copy on file).' });
    expect(eventsOf(f.ws(), 'subjects.setDependency').at(-1)).toMatchObject({
      resource_id: 'STU-7001',
      outcome: 'success',
      details: { dependent: true, from: null, evidence: 'Claimed on the parents’ 2025 federal return (copy on file).' },
    });
    expect(await refused('disclosures.record', toParent(daysAgo(3)), 'conflict')).toMatch(/is recorded as a dependent only since \d{4}-\d{2}-\d{2}, after the disclosure/);
    const made = await f.call('disclosures.record', toParent());
    expect(made.disclosure.basis).toBe('dependent_parent');
    // A disclosure dated by its day (the day's start) on the day the status was recorded counts as after it.
    const today = calendarDate(new Date(), machineTimeZone());
    expect((await f.call('disclosures.record', toParent(today))).disclosure.basis).toBe('dependent_parent');
    // The same status recorded again (next year's return) keeps the day it holds since; the evidence is the latest.
    const again = await f.call('subjects.setDependency', { id: 'STU-7001', dependent: true, evidence: 'Claimed again on the 2026 return.' });
    expect(again.subject.dependency).toEqual({ dependent: true, since: (subject.dependency as { since: string }).since, evidence: 'Claimed again on the 2026 return.' });
    // A viewer does not see the status or its evidence.
    expect((await f.call('subjects.get', { id: 'STU-7001' }, 'viewer')).subject.dependency).toBe('[restricted]');
  });

  it('refuses again once the student is recorded as not a dependent; a non-student has no dependent status', async () => {
    await f.call('subjects.setDependency', { id: 'STU-7001', dependent: false, evidence: 'Files own return from 2026.' });
    expect(eventsOf(f.ws(), 'subjects.setDependency').at(-1)?.details).toMatchObject({ dependent: false, from: true });
    expect(await refused('disclosures.record', toParent(), 'conflict')).toMatch(/^STU-7001 is recorded as not a dependent:/);
    const { subject } = await f.call('subjects.create', { kind: 'parent', displayName: 'Ana Ruiz' });
    const r = await f.result('subjects.setDependency', { id: subject.id, dependent: true, evidence: 'x' });
    expect(!r.ok && r.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/is not a student/) });
  });
});
