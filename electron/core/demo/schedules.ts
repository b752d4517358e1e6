import { now as clockNow } from '../clock.js';
import { runDueSchedules } from '../schedules/run-schedules.js';
import { createSchedule } from '../schedules/schedules.js';
import { scheduleRows } from '../schedules/schedules-store.js';
import type { Workspace } from '../workspace.js';
import type { DemoSeeder } from './seed-demo.js';

/**
 * Scheduled exports in the demo (issue 12.9): the compliance officer's daily extract of the
 * disclosure log, defined at the start of the casework (two days back) and not run since (nobody
 * kept the app open), so it missed its runs; at the end of the history it is caught up as the first
 * unlock of the app would (catchUpSchedulesDemo): one run for the latest, the earlier ones recorded
 * as skipped, so the Scheduled tab shows both and opening the demo finds nothing more due. Beside
 * it, counsel's weekly unmasked extract for outside counsel waits for another user's approval.
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

/** The catch-up of the demo's missed scheduled runs at the end of its history (see seedSchedulesDemo). */
export async function catchUpSchedulesDemo(ws: Workspace): Promise<number> {
  return (await runDueSchedules(ws, [], clockNow())).length;
}
