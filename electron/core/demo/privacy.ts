import { now as clockNow } from '../clock.js';
import type { Op } from '../domain/op.js';
import { completePrivacyRequest, createPrivacyRequest, extendPrivacyRequest, rejectPrivacyRequest } from '../privacy/privacy-requests.js';
import { createRecord } from '../subjects/records.js';
import { createSubject } from '../subjects/subjects.js';
import type { DemoSeeder } from './seed-demo.js';

const DAY = 86_400_000;

/**
 * The demo's privacy-rights requests (issue 12 item 9): one in each state, on two students of their
 * own so an erasure touches no other demo data. An open GDPR access request (due in about three
 * weeks), an overdue CCPA request to know, an extended GDPR portability request, a completed GDPR
 * erasure that erased the communication past its 2 years and kept the recent one, grades, attendance
 * and the disciplinary file by law, and a rejected CCPA opt-out.
 */
export const seedPrivacyDemo: DemoSeeder = (ws, { users }) => {
  const start = ws.ledger.head().size;
  const officer: Op = { actor: users.find((u) => u.role === 'compliance_officer')?.username ?? 'admin' };
  const now = clockNow().getTime();
  const ago = (days: number) => new Date(now - days * DAY).toISOString();
  const lena = createSubject(ws, officer, { externalId: 'STU-771204', kind: 'student', displayName: 'Lena Duarte', email: 'l.duarte@students.example.edu', directoryOptOut: false });
  const tomas = createSubject(ws, officer, { externalId: 'STU-771388', kind: 'student', displayName: 'Tomás Whitfield', email: 't.whitfield@students.example.edu', directoryOptOut: false });
  const records: [string, string, string][] = [
    ['communications', 'Advisor e-mail thread about course load', 'Messages between Lena and her advisor, spring term.'],
    ['communications', 'Support ticket: portal password reset', 'Ticket and replies.'],
    ['grades', 'Fall term grades', 'MATH 201 B+, HIST 110 A-, CHEM 105 B.'],
    ['attendance', 'Attendance record, fall term', '2 absences, both excused.'],
    ['disciplinary', 'Conduct office file: late library returns', 'Warning letter, closed.'],
  ];
  for (const [category, title, content] of records) {
    // The advisor thread is past the 2 years communications are kept, so an erasure request reaches it; the ticket is not.
    const days = title.startsWith('Advisor') ? 900 : 200;
    createRecord(ws, officer, { subjectId: lena.id, category, title, content, source: 'Student information system', recordDate: ago(days).slice(0, 10) });
  }
  createRecord(ws, officer, { subjectId: tomas.id, category: 'communications', title: 'Newsletter subscription', content: 'Subscribed 2025.', source: 'Mailing list', recordDate: ago(120).slice(0, 10) });

  createPrivacyRequest(ws, officer, {
    subjectId: lena.id,
    regime: 'gdpr',
    right: 'access',
    requester: 'Lena Duarte (by e-mail)',
    description: 'Asks for a copy of all personal data the university holds about her, and the purposes of processing.',
    receivedAt: ago(9),
  });
  createPrivacyRequest(ws, officer, {
    subjectId: tomas.id,
    regime: 'ccpa',
    right: 'know',
    requester: 'Tomás Whitfield (web form)',
    description: 'Asks which categories of personal information were collected and with whom they were shared.',
    receivedAt: ago(50),
  });
  const portability = createPrivacyRequest(ws, officer, {
    subjectId: lena.id,
    regime: 'gdpr',
    right: 'portability',
    requester: 'Lena Duarte (by letter)',
    description: 'Asks for her course submissions in a machine-readable format to take to another university.',
    receivedAt: ago(20),
  });
  extendPrivacyRequest(ws, officer, {
    id: portability.id,
    reason: 'Submissions are spread over three learning systems; Lena was told on day 12 that we need two more months.',
  });
  const erasure = createPrivacyRequest(ws, officer, {
    subjectId: lena.id,
    regime: 'gdpr',
    right: 'erasure',
    requester: 'Lena Duarte (by e-mail)',
    description: 'Asks that everything the university holds about her be erased after she transfers.',
    receivedAt: ago(16),
  });
  completePrivacyRequest(ws, officer, {
    id: erasure.id,
    outcome: 'The advisor e-mail thread, past its 2 years, erased. The recent support ticket (2 years minimum), grades, attendance and the disciplinary file are kept as the law requires; Lena was told what is kept and why.',
  });
  const optOut = createPrivacyRequest(ws, officer, {
    subjectId: tomas.id,
    regime: 'ccpa',
    right: 'opt_out',
    requester: 'Someone writing as Tomás Whitfield',
    description: 'Opt out of the sale of personal information.',
    receivedAt: ago(12),
  });
  rejectPrivacyRequest(ws, officer, { id: optOut.id, reason: 'The university does not sell or share personal information; the requester was told so and how to make a request to know.' });
  return ws.ledger.head().size - start;
};
