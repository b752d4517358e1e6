import type { DemoSeeder } from './seed-demo.js';
import {
  closeAmendment,
  decideAmendment,
  fileStatement,
  receiveAmendment,
  recordHearingOutcome,
  requestHearing,
  scheduleHearing,
  startReview,
} from '../amendments/amendments.js';
import { now as clockNow } from '../clock.js';
import { createAccessRequest, resolveAccessRequest } from '../deadlines/access-requests.js';
import { createRecord } from '../subjects/records.js';
import { createSubject } from '../subjects/subjects.js';
import { produceSubpoena } from '../subpoenas/production.js';
import { endSubpoena, exemptNotice, receiveSubpoena, scopeSubpoena, sendNotice, verifySubpoena } from '../subpoenas/subpoenas.js';
import type { Workspace } from '../workspace.js';
import { recordDisclosure } from '../disclosures/disclosures.js';
import { recordConsent, revokeConsent } from '../consents/consents.js';
import { activeRecordsOf, amendmentRequestCount, openSubpoenaCase, subjectsWithRecords } from './demo-store.js';

const DAY = 86_400_000;

interface DemoSubject {
  id: string;
  name: string;
  records: { id: string; category: string; title: string }[];
}

/** Subjects that have at least two active records, from whatever the case-management seeder created. */
function existingSubjects(ws: Workspace): DemoSubject[] {
  return subjectsWithRecords(ws.db).map((s) => ({ ...s, records: activeRecordsOf(ws.db, s.id) }));
}

const OWN: { externalId: string; name: string; optOut: boolean }[] = [
  { externalId: 'STU-F1001', name: 'Jordan Alvarez', optOut: false },
  { externalId: 'STU-F1002', name: 'Mei Tanaka', optOut: true },
  { externalId: 'STU-F1003', name: 'Samuel Osei', optOut: false },
  { externalId: 'STU-F1004', name: 'Ana Lucía Romero', optOut: false },
  { externalId: 'STU-F1005', name: 'Henrik Solberg', optOut: false },
  { externalId: 'STU-F1006', name: 'Grace Okonkwo', optOut: true },
];

/** Categories are keys of resources/policies/retention.json; `createRecord` refuses any other. */
const OWN_RECORDS: { category: string; title: string; content: string }[] = [
  {
    category: 'grades',
    title: 'Grade report, fall 2025',
    content: 'ACC 101 Principles of Accounting: A-\nTAX 201 Individual Income Tax: C+\nBKK 110 Bookkeeping Fundamentals: B\nTerm GPA 2.93',
  },
  {
    category: 'attendance',
    title: 'Attendance record, fall 2025',
    content: 'Sessions scheduled: 42\nSessions attended: 37\nExcused absences: 2 (medical)\nUnexcused absences: 3 (3 Oct, 17 Oct, 5 Nov)',
  },
  {
    category: 'enrollment',
    title: 'Enrollment agreement',
    content: 'Program: Tax Preparer Certificate\nStart date: 2025-08-25\nStatus: enrolled, full time\nFunding: self-pay, payment plan',
  },
  {
    category: 'financial_aid',
    title: 'Tuition payment plan agreement',
    content: 'Payment plan: 6 monthly installments of $425.00\nAutopay: enabled\nBalance: $0.00',
  },
];

/** When no other seeder made subjects with records, a small cohort of our own, through the same services. */
function ownSubjects(ws: Workspace, officer: string): DemoSubject[] {
  for (const s of OWN) {
    const subject = createSubject(ws, { actor: officer }, {
      externalId: s.externalId,
      kind: 'student',
      displayName: s.name,
      email: `${s.externalId.toLowerCase()}@students.example.edu`,
      directoryOptOut: s.optOut,
    });
    for (const r of OWN_RECORDS) {
      createRecord(ws, { actor: officer }, { subjectId: subject.id, category: r.category, title: r.title, content: r.content, source: 'Student information system', recordDate: '2025-12-19' });
    }
  }
  return existingSubjects(ws);
}

/**
 * `custos demo`: amendment requests in every state, subpoenas along the protocol (one produced end to
 * end with Bates numbers and its disclosure entry, one exempt from notice under a grand jury
 * non-disclosure order), a record of disclosures over seven years (one past the six-year lookback,
 * one withheld, some carrying a statement of disagreement) and access requests, dated from the core
 * clock so that the due list shows overdue, due-soon and later items. Returns the events appended.
 */
export const seedFerpaDemo: DemoSeeder = async (ws, ctx) => {
  const start = ws.ledger.head().size;
  if (amendmentRequestCount(ws.db) > 0) return 0;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const counsel = ctx.users.find((u) => u.role === 'legal_counsel')?.username ?? ctx.admin;
  let subjects = existingSubjects(ws);
  if (subjects.length < 4) subjects = ownSubjects(ws, officer);
  if (subjects.length < 4) return ws.ledger.head().size - start;
  // Every date is relative to the core clock (simulated under `custos demo`), which is also what
  // stamps the rows and their ledger events; each service call reads it afresh.
  const now = clockNow().getTime();
  const tick = (): Date => clockNow();
  const ago = (days: number): string => new Date(now - days * DAY).toISOString();
  const ahead = (days: number): string => new Date(now + days * DAY).toISOString();
  const s = (i: number): DemoSubject => subjects[i % subjects.length] as DemoSubject;
  /** The subject's first record in the first of these categories it has (else its first record). */
  const rec = (i: number, ...categories: string[]): string => {
    const records = s(i).records;
    for (const c of categories) {
      const r = records.find((x) => x.category === c);
      if (r) return r.id;
    }
    return (records[0] as { id: string }).id;
  };

  // Amendment requests in every state.
  receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(0, 'grades'), matter: 'grade_calculation', requestedChange: 'Correct the TAX 201 grade from C+ to B-: the midterm was recorded as 62 instead of 72.', reason: 'Clerical error in the gradebook; graded exam attached.', receivedAt: ago(3) });
  const reviewing = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(1, 'enrollment', 'academic'), matter: 'clerical_error', requestedChange: 'Correct the program start date from 25 September to 25 August.', reason: 'The signed enrollment agreement shows 25 August.', receivedAt: ago(24) });
  startReview(ws, { actor: officer, at: tick() }, reviewing.id, 'Asked the instructor for the sign-in sheets.');
  const overdue = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(2, 'grades', 'academic'), matter: 'grade_calculation', requestedChange: 'Remove the late-submission penalty on the final project.', reason: 'The portal was down on the due date.', receivedAt: ago(38) });
  startReview(ws, { actor: counsel, at: tick() }, overdue.id, undefined);
  const amended = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(3, 'enrollment', 'academic'), matter: 'clerical_error', requestedChange: 'Fix the misspelled surname on the enrollment record.', reason: 'Name as on passport.', receivedAt: ago(60) });
  startReview(ws, { actor: officer, at: tick() }, amended.id, undefined);
  decideAmendment(ws, { actor: officer, at: tick() }, { id: amended.id, decision: 'amend', reason: 'Clerical error confirmed against the passport copy.', amendmentText: 'Surname corrected in the enrollment record and the student information system.' });
  closeAmendment(ws, { actor: officer, at: tick() }, amended.id, 'Student notified in writing; earlier recipients informed.');
  // Seed 002: attendance and subjective grades are answered with an explanation, not amended; the student may add an explanation to attendance.
  const attendance = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(0, 'attendance'), matter: 'attendance', requestedChange: 'Delete the unexcused absence of 5 November.', reason: 'I was present but forgot to sign in.', receivedAt: ago(50) });
  fileStatement(ws, { actor: officer, at: tick() }, { id: attendance.id, text: 'I attended the 5 November session and spoke with the instructor after class; I dispute the absence.' });
  receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(3, 'grades', 'academic'), matter: 'subjective_grade', requestedChange: 'Raise the TAX 201 essay grade from C to B.', reason: 'The essay deserved more credit than it was given.', receivedAt: ago(6) });
  const denied = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(0, 'financial_aid', 'enrollment'), matter: 'duplicate_record', requestedChange: 'Remove the second payment plan agreement; it duplicates the first.', reason: 'I signed only one agreement.', receivedAt: ago(50) });
  startReview(ws, { actor: officer, at: tick() }, denied.id, undefined);
  decideAmendment(ws, { actor: officer, at: tick() }, { id: denied.id, decision: 'deny', reason: 'The second agreement replaced the first when the plan changed; both are signed.' });
  fileStatement(ws, { actor: officer, at: tick() }, { id: denied.id, text: 'I never agreed to a changed plan; I ask that this statement accompany the record.' });
  const hearing = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(1, 'grades', 'academic'), matter: 'grade_calculation', requestedChange: 'Change the ACC 101 grade to an A.', reason: 'The rubric was applied inconsistently.', receivedAt: ago(45) });
  startReview(ws, { actor: officer, at: tick() }, hearing.id, undefined);
  decideAmendment(ws, { actor: officer, at: tick() }, { id: hearing.id, decision: 'deny', reason: 'Rubric applied as published.' });
  requestHearing(ws, { actor: officer, at: tick() }, hearing.id, ago(12));
  scheduleHearing(ws, { actor: counsel, at: tick() }, { id: hearing.id, hearingAt: ahead(9), location: 'Administration building, room 204', officer: 'Dr. Helen Brooks, Associate Dean' });
  const upheld = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(2, 'communications', 'attendance'), matter: 'inaccurate_or_misleading', requestedChange: 'Remove the attendance warning of September.', reason: 'It was sent in error.', receivedAt: ago(120) });
  startReview(ws, { actor: officer, at: tick() }, upheld.id, undefined);
  decideAmendment(ws, { actor: officer, at: tick() }, { id: upheld.id, decision: 'deny', reason: 'The warning followed policy.' });
  requestHearing(ws, { actor: officer, at: tick() }, upheld.id, ago(95));
  scheduleHearing(ws, { actor: counsel, at: tick() }, { id: upheld.id, hearingAt: ago(80), location: 'Room 204', officer: 'Prof. Alan Reyes (no part in the decision)' });
  recordHearingOutcome(ws, { actor: counsel, at: tick() }, { id: upheld.id, outcome: 'upheld', reason: 'The warning was issued under the published attendance policy.' });
  fileStatement(ws, { actor: officer, at: tick() }, { id: upheld.id, text: 'The warning ignores my documented medical leave; I ask that this statement accompany the record.' });
  closeAmendment(ws, { actor: officer, at: tick() }, upheld.id, 'Statement placed with the record.');

  // Subpoenas along the protocol. Seed 002 refuses production without a court order: the civil, grand
  // jury and law enforcement subpoenas below show that refusal on their detail. The court order of the case-management seeder's subpoena case (when
  // there is one) is produced end to end: Bates-numbered PDF and page files, retained copy, disclosure entry.
  const subpoenaCase = openSubpoenaCase(ws.db);
  const producedIndex = Math.max(0, subjects.findIndex((x) => x.id === subpoenaCase?.subjectId));
  const served = receiveSubpoena(
    ws,
    { actor: counsel, at: tick() },
    {
      subjectId: s(producedIndex).id,
      issuer: 'Hon. Laura Kessler, District Judge',
      court: 'District Court of Travis County',
      docket: 'D-1-GN-26-000417',
      type: 'court_order',
      requestedRecords: 'Order to produce the grade reports and attendance records of the student for the 2025 fall term.',
      servedAt: ago(12),
      dueAt: ahead(3),
      ...(subpoenaCase ? { caseId: subpoenaCase.caseId } : {}),
    },
  );
  verifySubpoena(ws, { actor: counsel, at: tick() }, served.id, 'Confirmed with the clerk of court; properly served on the custodian of records.');
  sendNotice(ws, { actor: officer, at: tick() }, { id: served.id, method: 'Certified letter and e-mail to the student', sentAt: ago(11) });
  scopeSubpoena(ws, { actor: counsel, at: tick() }, { id: served.id, recordIds: [...new Set([rec(producedIndex, 'grades', 'academic'), rec(producedIndex, 'attendance')])] });
  await produceSubpoena(ws, { actor: counsel, at: tick() }, { id: served.id, batesPrefix: 'NSD' });

  receiveSubpoena(ws, { actor: counsel, at: tick() }, { subjectId: s(0).id, issuer: 'Whitaker Legal Group', court: 'County Court at Law No. 3', docket: 'C-3-CV-26-1459', type: 'civil', requestedRecords: 'Grade reports and attendance for the 2025 fall term.', servedAt: ago(1), dueAt: ahead(20) });
  const lateNotice = receiveSubpoena(ws, { actor: counsel, at: tick() }, { subjectId: s(1).id, issuer: 'Ortiz Family Law PLLC', court: 'County Court at Law No. 2', docket: 'C-2-FM-26-1182', type: 'civil', requestedRecords: 'Enrollment and attendance records.', servedAt: ago(6), dueAt: ahead(8) });
  verifySubpoena(ws, { actor: counsel, at: tick() }, lateNotice.id, 'Confirmed with the clerk; properly served.');
  const scoped = receiveSubpoena(ws, { actor: counsel, at: tick() }, { subjectId: s(2).id, issuer: 'Judge M. Whitfield', court: '345th District Court', docket: 'D-1-DC-26-3310', type: 'court_order', requestedRecords: "The student's grade report for fall 2025.", servedAt: ago(9), dueAt: ahead(5) });
  verifySubpoena(ws, { actor: counsel, at: tick() }, scoped.id, 'Certified copy of the order received.');
  sendNotice(ws, { actor: officer, at: tick() }, { id: scoped.id, method: 'Certified letter and e-mail to the student', sentAt: ago(8) });
  scopeSubpoena(ws, { actor: counsel, at: tick() }, { id: scoped.id, recordIds: [rec(2, 'grades', 'academic')] });
  const grandJury = receiveSubpoena(ws, { actor: counsel, at: tick() }, { subjectId: s(3).id, issuer: 'U.S. Attorney, Western District of Texas', court: 'Federal grand jury', docket: 'GJ-26-0042', type: 'grand_jury', requestedRecords: 'Enrollment and financial records.', servedAt: ago(4), dueAt: ahead(10) });
  verifySubpoena(ws, { actor: counsel, at: tick() }, grandJury.id, 'AUSA confirmed by telephone.');
  exemptNotice(ws, { actor: counsel, at: tick() }, { id: grandJury.id, ground: 'nondisclosure_order', reason: 'The subpoena orders that its existence and contents not be disclosed to the student.', until: ahead(180) });
  scopeSubpoena(ws, { actor: counsel, at: tick() }, { id: grandJury.id, recordIds: [rec(3, 'financial_aid', 'enrollment', 'academic')] });
  const quashed = receiveSubpoena(ws, { actor: counsel, at: tick() }, { subjectId: s(0).id, issuer: 'Austin Police Department', court: '', docket: 'APD-26-55812', type: 'law_enforcement', requestedRecords: 'All records of the student.', servedAt: ago(40), dueAt: ago(20) });
  endSubpoena(ws, { actor: counsel, at: tick() }, quashed.id, 'quashed', 'Overbroad; the court granted the motion to quash.');
  const withdrawn = receiveSubpoena(ws, { actor: counsel, at: tick() }, { subjectId: s(1).id, issuer: 'Keller & Moss LLP', court: 'County Court at Law No. 1', docket: 'C-1-CV-26-0907', type: 'civil', requestedRecords: 'Transcript.', servedAt: ago(30), dueAt: ago(10) });
  verifySubpoena(ws, { actor: counsel, at: tick() }, withdrawn.id, 'Confirmed with the issuing attorney.');
  endSubpoena(ws, { actor: counsel, at: tick() }, withdrawn.id, 'withdrawn', 'The parties settled; the issuer withdrew the subpoena.');

  // The record of disclosures across seven years.
  type Input = Parameters<typeof recordDisclosure>[2];
  // `daysAgo` null: disclosed now, after the statements above, so they travel with it (99.21(c)).
  const disclose = (i: number, recs: string[], recipient: string, basis: Input['basis'], basisDetail: string, daysAgo: number | null, extra: Partial<Input> = {}) =>
    recordDisclosure(ws, { actor: officer, at: tick() }, {
      subjectId: s(i).id,
      recordIds: [...new Set(recs)],
      recipient,
      basis,
      basisDetail,
      purpose: '',
      ...(daysAgo === null ? {} : { disclosedAt: ago(daysAgo) }),
      ...extra,
    });
  disclose(0, [rec(0, 'academic', 'grades')], 'Riverside College, office of admissions', 'other_institution', 'The student applied to transfer; transcript requested by the registrar.', 400);
  disclose(0, [rec(0, 'attendance')], 'State workforce commission', 'audit_evaluation', 'Annual completion and attendance audit of the certificate program.', 2300);
  disclose(1, [rec(1, 'financial_aid'), rec(1, 'academic', 'enrollment')], 'Texas Tuition Assistance Fund', 'financial_aid', 'Eligibility review for the state tuition grant.', 200);
  disclose(2, [rec(2, 'grades', 'academic')], 'Instructor of record, TAX 301', 'school_official', 'Legitimate educational interest: prerequisite check.', 15);
  disclose(3, [rec(3, 'attendance')], 'Travis County Health Department', 'health_safety_emergency', 'Measles exposure tracing; articulable and significant threat.', 900);
  // Written consents (99.30): one live and relied on, one revoked, one expired.
  const acme = 'Employer tuition program, Acme Tax Services';
  const consent = recordConsent(ws, { actor: officer, at: tick() }, { subjectId: s(0).id, givenBy: 'student', signerName: s(0).name, recipient: acme, purpose: 'Tuition reimbursement by the employer for the certificate program.', categories: ['attendance', 'grades'], recordIds: [], signedAt: ago(30), expiresAt: ahead(335) });
  const revoked = recordConsent(ws, { actor: officer, at: tick() }, { subjectId: s(2).id, givenBy: 'student', signerName: s(2).name, recipient: 'Lone Star Scholarship Foundation', purpose: 'Scholarship application review.', categories: ['grades'], recordIds: [], signedAt: ago(200) });
  revokeConsent(ws, { actor: officer, at: tick() }, { id: revoked.id, reason: 'The student withdrew the scholarship application and revoked the consent in writing.', revokedAt: ago(20) });
  recordConsent(ws, { actor: officer, at: tick() }, { subjectId: s(1).id, givenBy: 'parent', signerName: `Parent of ${s(1).name}`, recipient: 'Capital Area Workforce Board', purpose: 'Workforce grant eligibility.', categories: ['enrollment', 'attendance'], recordIds: [], signedAt: ago(500), expiresAt: ago(135) });
  disclose(0, [rec(0, 'attendance')], acme, 'consent', 'Signed consent of the student dated last month.', null, { consentId: consent.id });
  disclose(2, [rec(2, 'disciplinary', 'communications')], 'Austin Police Department', 'court_order', 'Ex parte court order in a law enforcement investigation; the order forbids notice.', 300, {
    withhold: { basis: '34 CFR 99.31(a)(9)(ii)(C): the ex parte order forbids revealing the disclosure.', until: ahead(60) },
  });

  // Requests to inspect records (45 days).
  createAccessRequest(ws, { actor: officer, at: tick() }, { subjectId: s(0).id, requester: s(0).name, description: 'Inspect the complete academic file.', requestedAt: ago(40) });
  createAccessRequest(ws, { actor: officer, at: tick() }, { subjectId: s(2).id, requester: `Parent of ${s(2).name} (dependent student)`, description: 'Copy of the attendance record.', requestedAt: ago(10) });
  const done = createAccessRequest(ws, { actor: officer, at: tick() }, { subjectId: s(1).id, requester: s(1).name, description: 'Review grade records before filing an amendment.', requestedAt: ago(70) });
  resolveAccessRequest(ws, { actor: officer, at: tick() }, { id: done.id, note: 'Reviewed in the registrar office with a staff member.', at: ago(60) }, 'fulfilled');

  // An agreed amendment of a record disclosed before: its earlier recipient is notified (seed 002).
  const corrected = receiveAmendment(ws, { actor: officer, at: tick() }, { recordId: rec(0, 'academic', 'grades'), matter: 'grade_calculation', requestedChange: 'Correct the BKK 110 grade from B to B+: the final exam was added twice as 80 instead of 88.', reason: 'Graded final exam attached.', receivedAt: ago(2) });
  startReview(ws, { actor: officer, at: tick() }, corrected.id, undefined);
  decideAmendment(ws, { actor: officer, at: tick() }, { id: corrected.id, decision: 'amend', reason: 'Calculation error confirmed with the instructor.', amendmentText: 'BKK 110 final grade corrected from B to B+ (final exam 88, not 80).' });

  return ws.ledger.head().size - start;
};
