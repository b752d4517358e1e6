import { now as clockNow } from '../clock.js';
import { advanceWorkflow, cancelWorkflow, scheduleTemplate, startWorkflow } from '../workflows/workflows.js';
import type { DemoSeeder } from './seed-demo.js';
import { firstOpenCaseId, pendingStepIds, workflowInstanceCount } from './demo-store.js';

const DAY = 86_400_000;

/**
 * `custos demo`, first of all the casework: a data-subject request received when the casework began,
 * its identity check done and its scoping overdue by the time the demo opens. A step gets at least a
 * day and due lists count calendar days, so it must start over two days before the demo's end to be
 * overdue at any hour (seed-demo.ts starts the casework that early). Dated from the core clock.
 */
export const seedOverdueRequestDemo: DemoSeeder = (ws, ctx) => {
  const start = ws.ledger.head().size;
  if (workflowInstanceCount(ws.db, 'gdpr-data-subject-request') > 0) return 0;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const counsel = ctx.users.find((u) => u.role === 'legal_counsel')?.username ?? ctx.admin;
  const by = (actor: string) => ({ actor, at: clockNow() });
  const caseId = firstOpenCaseId(ws.db);
  const dsr = startWorkflow(ws, by(officer), {
    templateId: 'gdpr-data-subject-request',
    title: 'Access request from an exchange student (Art. 15)',
    owner: officer,
    stakeholders: [counsel],
    dueAt: new Date(clockNow().getTime() + 20 * DAY).toISOString(),
    ...(caseId ? { caseId } : {}),
  });
  advanceWorkflow(ws, by(officer), { id: dsr.id, stepId: 'verify-identity', outcome: 'done', data: { method: 'Passport checked at the registrar desk' } });

  return ws.ledger.head().size - start;
};

/**
 * `custos demo`: the records office runs the quarterly checklist, the monthly tasks and the year-end
 * review on their schedules (the current periods' instances are created at once, some steps of the
 * quarter already recorded), has completed an access review and cancelled a duplicate request.
 * Dated from the core clock.
 */
export const seedWorkflowsDemo: DemoSeeder = (ws, ctx) => {
  const start = ws.ledger.head().size;
  if (workflowInstanceCount(ws.db, 'quarterly-audit-checklist') > 0) return 0;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const counsel = ctx.users.find((u) => u.role === 'legal_counsel')?.username ?? ctx.admin;
  const by = (actor: string) => ({ actor, at: clockNow() });

  const quarter = scheduleTemplate(ws, by(officer), { templateId: 'quarterly-audit-checklist', scheduled: true }).started[0];
  scheduleTemplate(ws, by(officer), { templateId: 'monthly-compliance-tasks', scheduled: true });
  scheduleTemplate(ws, by(officer), { templateId: 'year-end-retention-review', scheduled: true });
  if (quarter) {
    advanceWorkflow(ws, by(officer), { id: quarter, stepId: 'key-rotation', outcome: 'done', data: { 'rekeyed-on': clockNow().toISOString().slice(0, 10) }, note: 'Re-keyed after the departure of a registrar clerk.' });
    const ids = pendingStepIds(ws.db, quarter);
    // A quarter's first item that asks for counts: recorded with them.
    const counted = ids.find((id) => ['rbac-access-logs', 'teacher-access', 'admin-access', 'anomaly-review'].includes(id));
    if (counted === 'rbac-access-logs') advanceWorkflow(ws, by(officer), { id: quarter, stepId: counted, outcome: 'done', data: { 'denied-reviewed': 41, unexplained: 2 }, note: 'Two refusals by a viewer account followed up with IT.' });
    if (counted === 'teacher-access') advanceWorkflow(ws, by(officer), { id: quarter, stepId: counted, outcome: 'done', data: { 'views-sampled': 60 } });
    if (counted === 'admin-access') advanceWorkflow(ws, by(officer), { id: quarter, stepId: counted, outcome: 'done', data: { 'actions-reviewed': 118 } });
    if (counted === 'anomaly-review') advanceWorkflow(ws, by(officer), { id: quarter, stepId: counted, outcome: 'done', data: { anomalies: 1 }, note: 'Bulk record views on one evening; explained by the subpoena production.' });
  }

  // An access review, done from start to finish.
  const review = startWorkflow(ws, by(officer), { templateId: 'access-review', title: 'Autumn user access review', owner: officer, stakeholders: [ctx.admin], dueAt: new Date(clockNow().getTime() + 10 * DAY).toISOString() });
  advanceWorkflow(ws, by(officer), { id: review.id, stepId: 'list-users', outcome: 'done', data: { accounts: ctx.users.length + 1 } });
  advanceWorkflow(ws, by(counsel), { id: review.id, stepId: 'confirm-roles', outcome: 'done', data: { changes: 0 }, note: 'Every manager confirmed the roles as they stand.' });
  advanceWorkflow(ws, by(officer), { id: review.id, stepId: 'remove-access', outcome: 'skipped', data: {}, note: 'No account to disable this time.' });
  advanceWorkflow(ws, by(officer), { id: review.id, stepId: 'sign-off', outcome: 'done', data: {} });

  // The same request entered twice: the duplicate cancelled.
  const dup = startWorkflow(ws, by(officer), { templateId: 'gdpr-data-subject-request', title: 'Erasure request, alumni mailing list', owner: counsel, stakeholders: [] });
  cancelWorkflow(ws, by(officer), { id: dup.id, reason: 'Entered twice; handled under the earlier request.' });
  return ws.ledger.head().size - start;
};
