import { now as clockNow } from '../clock.js';
import type { Op } from '../domain/op.js';
import { addAction, completeTask, createIncident, linkIncident, recordNotification } from '../incidents/incidents.js';
import { caseItemIds, latestBreachCaseId } from '../incidents/incidents-store.js';
import type { DemoSeeder } from './seed-demo.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The demo's security incident (issue 13 item 6): the phishing case's mailbox compromise recorded
 * as a data breach discovered 12 hours before the seeder runs (which is more than a day before the
 * demo's present), so its 1-hour tasks are done, half of its 24-hour tasks are done and the other
 * half overdue when the demo is opened, and its 72-hour tasks are still open.
 * Linked to the breach case, its evidence and its hold; IT security and counsel were told.
 */
export const seedIncidentDemo: DemoSeeder = (ws, { users }) => {
  const start = ws.ledger.head().size;
  const officerName = users.find((u) => u.role === 'compliance_officer')?.username ?? 'admin';
  const officer: Op = { actor: officerName };
  const discovered = new Date(clockNow().getTime() - 12 * HOUR);
  const at = (ms: number) => new Date(discovered.getTime() + ms).toISOString();
  const caseId = latestBreachCaseId(ws.db);
  const incident = createIncident(ws, officer, {
    title: 'Registrar mailbox compromise — student records exposed',
    classification: 'data_breach',
    severity: 'high',
    discoveredAt: discovered.toISOString(),
    description:
      'A registrar staff member entered their password on a phishing page. The mailbox was signed into from abroad and ' +
      'forwarded messages with transcript and financial-aid attachments, some holding Social Security numbers of students.',
    systemsAffected: ['Registrar staff mailbox (registrar.staff3)', 'Mail service tenant', 'Financial-aid attachments in the mailbox'],
    ssnExposed: true,
    ...(caseId ? { caseId } : {}),
  });
  if (caseId) {
    const items = caseItemIds(ws.db, caseId);
    for (const e of items.evidence) linkIncident(ws, officer, { id: incident.id, itemType: 'evidence', itemId: e });
    for (const h of items.holds) linkIncident(ws, officer, { id: incident.id, itemType: 'hold', itemId: h });
  }
  recordNotification(ws, officer, {
    id: incident.id,
    recipientType: 'it_security',
    recipient: 'Kwame Mensah, IT Security',
    method: 'phone',
    notifiedAt: at(10 * MINUTE),
    note: 'Asked to lock the mailbox and pull the sign-in logs.',
  });
  recordNotification(ws, officer, { id: incident.id, recipientType: 'legal_counsel', recipient: 'David Okafor', method: 'email', notifiedAt: at(45 * MINUTE), note: '' });
  addAction(ws, officer, { id: incident.id, text: 'Mailbox session revoked and forwarding rule removed.', at: at(20 * MINUTE) });
  addAction(ws, officer, { id: incident.id, text: 'Sign-in log and the original phishing e-mail collected as evidence and sent to the forensics lab.', at: at(50 * MINUTE) });
  const done: [task: string, after: number, note: string][] = [
    ['isolate', 20 * MINUTE, 'Mailbox disconnected from the tenant; mobile sessions wiped.'],
    ['disable_credentials', 25 * MINUTE, 'Password reset, MFA re-enrolled, app passwords revoked.'],
    ['contact_it', 10 * MINUTE, 'IT Security (K. Mensah) called; incident ticket opened.'],
    ['preserve_evidence', 55 * MINUTE, 'Sign-in log export and the phishing e-mail ingested with chain of custody.'],
    ['scope', 6 * HOUR, 'Forwarded messages reviewed: 31 attachments left the tenant between 22:41 and 08:02.'],
    ['affected_students', 10 * HOUR, '14 students identified from the attachments.'],
  ];
  for (const [task, after, note] of done) completeTask(ws, officer, { id: incident.id, task, note, doneAt: at(after) });
  // Counsel has not reviewed the response yet: the incident report says so.
  return ws.ledger.head().size - start;
};
