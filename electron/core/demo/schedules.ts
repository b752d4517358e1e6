import { createSchedule } from '../schedules/schedules.js';
import { scheduleRows } from '../schedules/schedules-store.js';
import type { Workspace } from '../workspace.js';
import type { DemoSeeder } from './seed-demo.js';

/**
 * Scheduled exports in the demo (issue 12.9): the compliance officer's daily extract of the
 * disclosure log, defined at the start of the casework (two days back) and never run since (nobody
 * kept the app open), so it has missed runs: the first unlock by the app or `custos serve`, or `custos run-due`,
 * catches it up with one run and records the earlier ones as skipped. Beside it, counsel's weekly
 * unmasked extract for outside counsel waits for another user's approval.
 */
export const seedSchedulesDemo: DemoSeeder = (ws: Workspace, ctx) => {
  if (scheduleRows(ws.db).length > 0) return 0;
  const start = ws.ledger.head().size;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer');
  const counsel = ctx.users.find((u) => u.role === 'legal_counsel');
  createSchedule(
    ws,
    { actor: officer?.username ?? ctx.admin, role: officer?.role ?? 'admin' },
    {
      name: 'Daily disclosure log for the registrar',
      type: 'INTERNAL',
      format: 'csv',
      filters: { action: 'disclosures.*' },
      includeEvidence: false,
      includeAuditTrail: true,
      masking: 'pseudonymize-people',
      purpose: "Daily review of yesterday's disclosures by the registrar's office.",
      recipient: "Registrar's office",
      cadence: 'daily',
      weekday: null,
      monthDay: null,
      timeOfDay: '07:00',
    },
    [],
  );
  createSchedule(
    ws,
    { actor: counsel?.username ?? ctx.admin, role: counsel?.role ?? 'admin' },
    {
      name: 'Weekly subpoena activity for outside counsel',
      type: 'LEGAL',
      format: 'pdf',
      filters: { action: 'subpoenas.*' },
      includeEvidence: false,
      includeAuditTrail: true,
      masking: 'none',
      purpose: 'Weekly report of subpoena handling to outside counsel.',
      recipient: 'Hartley & Moss LLP',
      cadence: 'weekly',
      weekday: 1,
      monthDay: null,
      timeOfDay: '08:00',
    },
    [],
  );
  return ws.ledger.head().size - start;
};
