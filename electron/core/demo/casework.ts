import { now as clockNow } from '../clock.js';
import type { DemoSeeder } from './seed-demo.js';
import { isCustosError } from '../errors.js';
import { sealOrRelease, transferEvidence } from '../evidence/custody.js';
import { disposeEvidence } from '../evidence/dispose.js';
import { ingestBufferSync } from '../evidence/ingest.js';
import { acknowledge, escalate, issueNotices, listCustodians, sendReminders } from '../holds/custodians.js';
import { holdRow } from '../holds/hold-rows.js';
import { activateHold, createHold, releaseHold } from '../holds/holds.js';
import { createRecord } from '../subjects/records.js';
import { createSubject, setDependency } from '../subjects/subjects.js';
import type { Workspace } from '../workspace.js';
import { setCaseStatus } from '../cases/case-status.js';
import { assignCase, createCase } from '../cases/cases.js';
import { linkItem } from '../cases/links.js';
import { addNote } from '../cases/notes.js';
import type { Op } from '../domain/op.js';
import { caseCount } from './demo-store.js';

const DAY = 86_400_000;

const STUDENTS: { externalId: string; name: string; optOut: boolean; dob: string }[] = [
  { externalId: 'S-10442', name: 'Jordan Alvarez', optOut: false, dob: '2003-04-11' },
  { externalId: 'S-10871', name: 'Mei Tanaka', optOut: true, dob: '2002-09-30' },
  { externalId: 'S-11203', name: 'Samuel Osei', optOut: false, dob: '2004-01-22' },
  { externalId: 'S-11590', name: 'Ana Lucía Romero', optOut: false, dob: '2003-07-05' },
  { externalId: 'S-12007', name: 'Henrik Solberg', optOut: false, dob: '2001-12-14' },
  { externalId: 'S-12318', name: 'Grace Okonkwo', optOut: true, dob: '2004-03-03' },
  { externalId: 'S-12764', name: 'Daniel Whitfield', optOut: false, dob: '2002-06-19' },
  { externalId: 'S-13025', name: 'Priyanka Deshmukh', optOut: false, dob: '2003-10-27' },
];

/** One record template per category; dates chosen so some are past retention (purge candidates) and some not. */
const RECORDS: { category: string; title: string; date: (i: number) => string; content: (name: string) => string }[] = [
  {
    category: 'academic',
    title: 'Official transcript',
    date: (i) => `202${i % 4}-06-1${i % 9}`,
    content: (n) => `Transcript of ${n}\nACC 101 Principles of Accounting: A-\nTAX 201 Individual Income Tax: B+\nBKK 110 Bookkeeping Fundamentals: A\nCumulative GPA: 3.62`,
  },
  {
    category: 'grades',
    title: 'Grade report, fall term',
    date: () => '2025-12-19',
    content: () => 'ACC 101: A- (final 91.5)\nTAX 201: C+ (midterm recorded as 62; final 78)\nBKK 110: B\nTerm GPA 2.93',
  },
  {
    category: 'attendance',
    title: 'Attendance record',
    date: (i) => (i % 2 === 0 ? '2019-05-31' : '2025-12-12'),
    content: () => 'Sessions scheduled: 42\nSessions attended: 37\nExcused absences: 2 (medical)\nUnexcused absences: 3',
  },
  {
    category: 'communications',
    title: 'Advising e-mail thread',
    date: (i) => (i % 3 === 0 ? '2021-02-08' : '2025-09-15'),
    content: (n) => `From: advising@northfield.example.edu\nTo: ${n}\nSubject: Course load for next term\n\nPlease confirm your schedule by Friday.`,
  },
  {
    category: 'financial_aid',
    title: 'Tuition payment plan agreement',
    date: (i) => `201${7 + (i % 3)}-08-20`,
    content: () => 'Payment plan: 6 monthly installments of $425.00\nAutopay: enabled\nBalance: $0.00',
  },
  {
    category: 'disciplinary',
    title: 'Academic integrity referral',
    date: () => '2024-11-04',
    content: () => 'Referral: suspected unauthorized collaboration on the TAX 201 take-home exam.\nOutcome: written warning; no grade penalty.',
  },
];

function file(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * `custos demo`: subjects (students) with records in every category, cases of every type and
 * status, evidence items (small generated files) with custody transfers and seals, legal holds in
 * every state with notices, acknowledgements, a reminder and an escalation, and a refused disposal.
 * Everything goes through the real services, so every row has its ledger event. Returns the number
 * of events appended.
 */
export const seedCaseManagementDemo: DemoSeeder = (ws: Workspace, ctx) => {
  const start = ws.ledger.head().size;
  if (caseCount(ws.db) > 0) return 0;
  const officerName = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const counselName = ctx.users.find((u) => u.role === 'legal_counsel')?.username ?? ctx.admin;
  const officer: Op = { actor: officerName };
  const counsel: Op = { actor: counselName };
  const admin: Op = { actor: ctx.admin };
  const before = (days: number): string => new Date(clockNow().getTime() - days * DAY).toISOString();

  // Students and their records.
  const subjects = STUDENTS.map((s) =>
    createSubject(ws, officer, {
      externalId: s.externalId,
      kind: 'student',
      displayName: s.name,
      email: `${s.externalId.toLowerCase()}@students.northfield.example.edu`,
      dateOfBirth: s.dob,
      directoryOptOut: s.optOut,
    }),
  );
  const records = subjects.map((s, i) =>
    RECORDS.filter((_, j) => (i + j) % 5 !== 4).map((r) =>
      createRecord(ws, officer, { subjectId: s.id, category: r.category, title: r.title, content: r.content(s.displayName), source: 'Student information system', recordDate: r.date(i) }),
    ),
  );
  const sub = (i: number) => subjects[i % subjects.length] as (typeof subjects)[number];
  const rec = (i: number, category: string) => records[i % records.length]?.find((r) => r.category === category);

  // 1. Gradebook tampering investigation: evidence under custody, an active hold, notices in every state.
  const grade = createCase(ws, officer, {
    title: 'Gradebook tampering allegation — TAX 201, fall term',
    type: 'investigation',
    description: 'A student reports that a midterm grade was changed after the grading deadline. Determine who edited the gradebook and when.',
    assignee: officerName,
  });
  linkItem(ws, officer, grade.id, 'subject', sub(0).id);
  const gradeRec = rec(0, 'grades');
  if (gradeRec) linkItem(ws, officer, grade.id, 'record', gradeRec.id);
  const gradebook = ingestBufferSync(
    ws,
    officer,
    file([
      'student_id,course,assessment,score,edited_by,edited_at',
      'S-10442,TAX 201,Midterm,72,r.lindqvist,2025-10-14T16:02:11Z',
      'S-10442,TAX 201,Midterm,62,lms-sync,2025-10-29T03:14:55Z',
      'S-11203,TAX 201,Midterm,88,r.lindqvist,2025-10-14T16:05:40Z',
      'S-12007,TAX 201,Midterm,79,r.lindqvist,2025-10-14T16:07:02Z',
    ]),
    'tax201-gradebook-export.csv',
    {
      title: 'TAX 201 gradebook export',
      description: 'Full gradebook history exported from the LMS by the registrar.',
      source: 'LMS gradebook (registrar export)',
      collectedBy: officerName,
      collectedAt: before(2),
      mediaType: 'text/csv',
      location: 'Registrar office',
      caseId: grade.id,
    },
  );
  const lmsLog = ingestBufferSync(
    ws,
    officer,
    file([
      '2025-10-29T03:14:52Z lms-sync[4411]: session opened for service account lms-sync from 10.20.4.17',
      '2025-10-29T03:14:55Z lms-sync[4411]: UPDATE grade id=88231 course=TAX201 student=S-10442 72 -> 62',
      '2025-10-29T03:15:01Z lms-sync[4411]: session closed',
    ]),
    'lms-audit-2025-10-29.log',
    {
      title: 'LMS audit log, 29 October',
      description: 'Audit log of the night the grade changed; shows the service account edit.',
      source: 'LMS application server lms-prod-02',
      collectedBy: 'IT Security (K. Mensah)',
      collectedAt: before(2),
      mediaType: 'text/plain',
      custodian: 'IT Security (K. Mensah)',
      location: 'IT secure storage',
      caseId: grade.id,
    },
  );
  transferEvidence(ws, officer, { id: lmsLog.id, to: 'Forensics lab (J. Park)', purpose: 'Timeline analysis of the service account', location: 'Forensics lab, room 2' });
  sealOrRelease(ws, officer, 'seal', { id: lmsLog.id, purpose: 'Sealed after analysis, bag 2025-117', location: 'Evidence vault' });
  transferEvidence(ws, officer, { id: gradebook.id, to: counselName, purpose: 'Legal review', location: 'Legal office' });
  addNote(ws, officer, grade.id, 'Registrar confirms the midterm was 72 on the paper exam; the LMS shows 62 after an overnight sync.');
  addNote(ws, counsel, grade.id, 'Preserve the LMS logs and the instructor mailbox until the grade appeal is decided.');
  const gradeHold = createHold(ws, counsel, {
    caseId: grade.id,
    title: 'Preserve LMS and gradebook records, TAX 201',
    description: 'Litigation is reasonably anticipated (grade appeal with counsel).',
    custodians: [
      { name: 'Rita Lindqvist', email: 'r.lindqvist@northfield.example.edu' },
      { name: 'Kwame Mensah', email: 'k.mensah@northfield.example.edu' },
      { name: 'Registrar office', email: 'registrar@northfield.example.edu' },
    ],
    scope: { subjectIds: [sub(0).id], categories: ['grades', 'communications'], dateFrom: '2025-08-01', dateTo: null, keywords: [] },
  });
  activateHold(ws, counsel, gradeHold.id);
  issueNotices(ws, counsel, gradeHold.id);
  const [rita, kwame] = listCustodians(ws, holdRow(ws, gradeHold.id));
  if (kwame) acknowledge(ws, counsel, gradeHold.id, kwame.id, 'signed');
  if (rita) sendReminders(ws, counsel, gradeHold.id, [rita.id]);
  try {
    disposeEvidence(ws, officer, gradebook.id, 'Duplicate of the registrar copy');
  } catch (err) {
    // The same refusal the dispatch would ledger.
    if (!isCustosError(err, 'held')) throw err;
    ws.record({ actor: officerName, action: 'evidence.dispose', resource_type: 'evidence', resource_id: gradebook.id, outcome: 'denied', details: { code: 'held', message: err.message } });
  }

  // 2. Civil subpoena: a hold on the student's records and a sealed production set.
  const subpoena = createCase(ws, counsel, {
    title: 'Subpoena — Alvarez v. Northfield School District',
    type: 'subpoena',
    description: 'Civil subpoena for grade and attendance records of one student; 3-day notice to the student required.',
    assignee: counselName,
  });
  // The plaintiff is the student: Jordan Alvarez, also the subject of the gradebook case (two holds, one student).
  linkItem(ws, counsel, subpoena.id, 'subject', sub(0).id);
  const subpoenaPdf = ingestBufferSync(
    ws,
    counsel,
    file(['SUBPOENA DUCES TECUM', 'District Court of Travis County, Cause No. D-1-GN-26-000417', 'To: Custodian of Records, Northfield School District', 'Produce: grade reports and attendance records of the student for the fall term.']),
    'subpoena-D-1-GN-26-000417.txt',
    { title: 'Served subpoena (scan transcript)', source: 'Process server, hand delivery', collectedBy: counselName, collectedAt: before(1), location: 'Legal office', caseId: subpoena.id },
  );
  sealOrRelease(ws, counsel, 'seal', { id: subpoenaPdf.id, purpose: 'Original service copy sealed', location: 'Legal office safe' });
  const subpoenaHold = createHold(ws, counsel, {
    caseId: subpoena.id,
    title: 'Preserve records of the subpoenaed student',
    description: 'Records responsive to the subpoena must not be purged or altered until production is complete.',
    custodians: [{ name: 'Registrar office', email: 'registrar@northfield.example.edu' }],
    scope: { subjectIds: [sub(0).id], categories: [], dateFrom: null, dateTo: null, keywords: [] },
  });
  activateHold(ws, counsel, subpoenaHold.id);
  issueNotices(ws, counsel, subpoenaHold.id);

  // 3. Phishing incident: evidence moved to the forensics lab, a draft hold awaiting approval.
  const breach = createCase(ws, officer, {
    title: 'Phishing incident — registrar mailbox compromise',
    type: 'breach',
    description: 'A registrar staff mailbox was accessed from abroad after a phishing e-mail; student records may have been exposed.',
    assignee: officerName,
  });
  const phish = ingestBufferSync(
    ws,
    officer,
    file(['From: "IT Helpdesk" <helpdesk@northfie1d-support.example.com>', 'To: registrar-staff@northfield.example.edu', 'Subject: Mailbox quota exceeded — verify now', '', 'Your mailbox will be disabled in 24 hours. Sign in at the link below to keep your messages.']),
    'phishing-original.eml',
    { title: 'Original phishing e-mail', source: 'Mailbox of registrar staff member', collectedBy: 'IT Security (K. Mensah)', collectedAt: before(1), custodian: 'IT Security (K. Mensah)', location: 'IT secure storage', caseId: breach.id },
  );
  const signins = ingestBufferSync(
    ws,
    officer,
    file(['timestamp,user,ip,country,result', '2026-01-06T22:41:09Z,registrar.staff3,203.0.113.77,RO,success', '2026-01-06T22:43:30Z,registrar.staff3,203.0.113.77,RO,success', '2026-01-07T08:02:11Z,registrar.staff3,10.20.1.44,US,success']),
    'signin-log-export.csv',
    { title: 'Mail sign-in log export', source: 'Mail service admin console', collectedBy: 'IT Security (K. Mensah)', collectedAt: before(1), custodian: 'IT Security (K. Mensah)', location: 'IT secure storage', caseId: breach.id },
  );
  for (const e of [phish, signins]) transferEvidence(ws, officer, { id: e.id, to: 'Forensics lab (J. Park)', purpose: 'Incident analysis', location: 'Forensics lab, room 2' });
  addNote(ws, officer, breach.id, '72-hour clock started at discovery; notification letters drafted for 14 students.');
  createHold(ws, officer, {
    caseId: breach.id,
    title: 'Preserve mail and sign-in logs of the incident',
    description: 'Draft: awaiting counsel review before it is put into effect.',
    custodians: [{ name: 'Kwame Mensah', email: 'k.mensah@northfield.example.edu' }],
    scope: { subjectIds: [], categories: [], dateFrom: '2026-01-01', dateTo: null, keywords: ['registrar.staff3', 'phishing'] },
  });

  // 4. Title IX complaint: hold active, one custodian escalated after no acknowledgement.
  const titleNine = createCase(ws, counsel, {
    title: 'Title IX complaint — residence hall incident',
    type: 'investigation',
    description: 'Formal complaint received by the Title IX coordinator; records and communications must be preserved.',
    assignee: counselName,
  });
  linkItem(ws, counsel, titleNine.id, 'subject', sub(5).id);
  linkItem(ws, counsel, titleNine.id, 'subject', sub(6).id);
  const discRec = rec(5, 'disciplinary');
  if (discRec) linkItem(ws, counsel, titleNine.id, 'record', discRec.id);
  const t9Hold = createHold(ws, counsel, {
    caseId: titleNine.id,
    title: 'Preserve residence life records and communications',
    description: 'Includes e-mail, messaging and incident reports of residence life staff.',
    custodians: [
      { name: 'Marcus Bell', email: 'm.bell@northfield.example.edu' },
      { name: 'Residence Life office', email: 'reslife@northfield.example.edu' },
    ],
    scope: { subjectIds: [sub(5).id, sub(6).id], categories: ['disciplinary', 'communications'], dateFrom: '2025-09-01', dateTo: null, keywords: [] },
  });
  activateHold(ws, counsel, t9Hold.id);
  issueNotices(ws, counsel, t9Hold.id);
  const [marcus, reslife] = listCustodians(ws, holdRow(ws, t9Hold.id));
  if (reslife) acknowledge(ws, counsel, t9Hold.id, reslife.id, 'email');
  if (marcus) escalate(ws, counsel, t9Hold.id, [marcus.id]);

  // 5. Parent access dispute: hold released, case closed, duplicate evidence disposed.
  const parent = createCase(ws, officer, {
    title: 'Parent access dispute — dependent student status',
    type: 'investigation',
    description: 'A parent asserts access rights; dependency under IRS rules had to be established before any disclosure.',
    assignee: officerName,
  });
  linkItem(ws, officer, parent.id, 'subject', sub(2).id);
  const taxForm = ingestBufferSync(
    ws,
    officer,
    file(['Dependency verification worksheet', 'Tax year: 2024', 'Student claimed as dependent: yes (Form 1040, line 6c)', 'Verified by: financial aid office']),
    'dependency-worksheet.txt',
    { title: 'Dependency verification worksheet', source: 'Financial aid office', collectedBy: officerName, collectedAt: before(3), location: 'Registrar office', caseId: parent.id },
  );
  const dup = ingestBufferSync(ws, officer, file(['Dependency verification worksheet (scan duplicate)']), 'dependency-worksheet-copy.txt', {
    title: 'Duplicate scan of the worksheet',
    source: 'Financial aid office',
    collectedBy: officerName,
    collectedAt: before(3),
    location: 'Registrar office',
    caseId: parent.id,
  });
  const parentHold = createHold(ws, counsel, {
    caseId: parent.id,
    title: 'Preserve access-dispute records',
    description: 'Until the parent confirms the dispute is resolved.',
    custodians: [{ name: 'Financial aid office', email: 'finaid@northfield.example.edu' }],
    scope: { subjectIds: [sub(2).id], categories: ['financial_aid'], dateFrom: null, dateTo: null, keywords: [] },
  });
  activateHold(ws, counsel, parentHold.id);
  issueNotices(ws, counsel, parentHold.id);
  const [finaid] = listCustodians(ws, holdRow(ws, parentHold.id));
  if (finaid) acknowledge(ws, counsel, parentHold.id, finaid.id, 'portal');
  // The dependency established, it is recorded on the student: parents' access rests on it (34 CFR 99.31(a)(8)).
  if (sub(2).kind === 'student') setDependency(ws, officer, { id: sub(2).id, dependent: true, evidence: 'Dependency verification worksheet, tax year 2024 (Form 1040): claimed as a dependent; verified by the financial aid office.' });
  releaseHold(ws, counsel, parentHold.id, 'Dependency confirmed; the parent received access and withdrew the complaint.');
  disposeEvidence(ws, officer, dup.id, 'Duplicate of the worksheet; the original is retained.');
  sealOrRelease(ws, officer, 'seal', { id: taxForm.id, purpose: 'Case closed; sealed for the record', location: 'Evidence vault' });
  setCaseStatus(ws, officer, parent.id, 'closed', 'Access granted under 34 CFR 99.31(a)(8).');

  // 6. Amendment case, 7. annual audit (closed), 8. retention review.
  const amend = createCase(ws, officer, {
    title: 'FERPA amendment request — attendance record',
    type: 'amendment',
    description: 'Student asks that two absences be recorded as excused (hospital discharge papers provided).',
    assignee: officerName,
  });
  linkItem(ws, officer, amend.id, 'subject', sub(1).id);
  const att = rec(1, 'attendance');
  if (att) linkItem(ws, officer, amend.id, 'record', att.id);
  const audit = createCase(ws, admin, { title: 'Annual FERPA disclosure audit 2025', type: 'audit', description: 'Sample 40 disclosures and check the record of disclosures.', assignee: officerName });
  addNote(ws, officer, audit.id, 'All 40 sampled disclosures had a legal basis on file; two lacked the recipient address and were corrected.');
  setCaseStatus(ws, officer, audit.id, 'closed', 'Audit complete; report filed.');
  const retention = createCase(ws, officer, {
    title: 'Retention review — attendance and communications past retention',
    type: 'audit',
    description: 'Review records past their retention date before the purge; records under legal hold are excluded automatically.',
    assignee: null,
  });
  assignCase(ws, admin, retention.id, officerName);

  return ws.ledger.head().size - start;
};
