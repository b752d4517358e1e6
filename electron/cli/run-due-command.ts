import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { evaluateAlerts } from '../core/alerts/evaluate.js';
import { now as clockNow } from '../core/clock.js';
import { nextSweepAt, sweepIfDue } from '../core/retention/schedule.js';
import { runDueSchedules } from '../core/schedules/run-schedules.js';
import { SWEEP_RUNNERS } from '../../shared/contract/retention.js';
import { call, withSession } from '../cli.js';

/**
 * `custos run-due WORKSPACE [--json]`: the scheduled work that is due, for machines where neither
 * the app nor `custos serve` stays open (run it from cron or a task scheduler): the recurring
 * workflows of the current periods (started at the sign-in itself, as every sign-in does), the
 * daily retention sweep when its slot has passed, and the alert rules over the events not yet
 * evaluated. Each piece is ledgered as the `system` user, exactly as the hosts' own schedule would.
 */
export function registerRunDueCommand(program: Command): void {
  program
    .command('run-due')
    .description('Run the scheduled work that is due: recurring workflows of the current periods, the daily retention sweep, scheduled exports and the alert rules.')
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in', 'admin')
    .option('--json', 'print JSON: {"workflows_started": [...], "sweep": {...} | null, "schedules": [...], "alerts": {"evaluated", "fired", "through"}}')
    .action(async (ws: string, o: { user: string; json?: boolean }) => {
      await withSession(resolve(ws), o.user, async ({ app, dispatch, session }) => {
        // The sweep deletes records: only the roles that may run it from the Retention screen run it
        // here, and not from a session that may only enrol its second factor.
        const { user } = await call(dispatch, 'session.me', {}, session);
        if ((await call(dispatch, 'mfa.status', {}, session)).restricted) {
          throw new CustosError('mfa_enrolment_required', `${user.username} must set up a second factor before running scheduled work.`);
        }
        if (!SWEEP_RUNNERS.includes(user.role)) {
          throw new CustosError('forbidden', `custos run-due runs the retention sweep, which needs an administrator or compliance officer; ${user.username} is ${user.role}.`);
        }
        const workflows = app.lastCatchUp.workflowsStarted;
        const sweep = sweepIfDue(app.ws, 'schedule');
        // Still due after running: it failed (the failure is ledgered as retention.sweep.complete).
        if (!sweep && nextSweepAt(app.ws).getTime() <= clockNow().getTime()) {
          throw new CustosError('failure', 'The retention sweep was due but failed; its ledger event (retention.sweep.complete, failure) says why.');
        }
        const schedules = (await runDueSchedules(app.ws, app.wiring.caseResources)).map((r) => ({
          schedule: r.schedule,
          name: r.name,
          occurrence: r.occurrence,
          skipped: r.skipped,
          status: r.status,
          request: r.requestId,
          file: r.fileName,
          sha256: r.sha256,
          error: r.error,
        }));
        const alerts = evaluateAlerts(app.ws);
        if (o.json) {
          const json = { workflows_started: workflows, sweep, schedules, alerts: { evaluated: alerts.evaluated, fired: alerts.fired, through: alerts.through } };
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        process.stdout.write(workflows.length > 0 ? `Started ${workflows.length} scheduled workflow(s): ${workflows.join(', ')}.\n` : 'No scheduled workflow was due.\n');
        process.stdout.write(
          sweep
            ? `Retention sweep ${sweep.id}: ${sweep.archived} archived, ${sweep.deleted} deleted, ${sweep.held} skipped under legal hold.\n`
            : 'The retention sweep was not due (it runs once a day, at 02:00).\n',
        );
        if (schedules.length === 0) process.stdout.write('No scheduled export was due.\n');
        for (const r of schedules) {
          const skipped = r.skipped > 0 ? ` (${r.skipped} missed run(s) before it skipped)` : '';
          process.stdout.write(
            r.status === 'executed'
              ? `Scheduled export ${r.schedule} "${r.name}": ${r.request} written to exports/${r.file}, SHA-256 ${r.sha256}${skipped}.\n`
              : `Scheduled export ${r.schedule} "${r.name}" failed${r.request ? ` (${r.request})` : ''}: ${r.error}${skipped}\n`,
          );
        }
        process.stdout.write(`Alert rules: ${alerts.evaluated} event(s) evaluated, ${alerts.fired} alert(s) fired; evaluated through event ${alerts.through}.\n`);
      });
    });
}
