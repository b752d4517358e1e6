import { ALERT_RULE_LABELS, type AlertRule } from '../../../shared/contract/alerts.js';
import { now as clockNow } from '../clock.js';
import { yearlyId } from '../domain/ids.js';
import { CustosError, failureSentence } from '../errors.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { alertPolicy, windowMs, type AlertPolicy } from './alert-policy.js';
import { addToCounter, alertExists, counterSum, cursorSeq, eventsAfter, insertAlert, setCursor } from './alerts-store.js';
import { ruleHits, workingHoursTest, type RuleHit } from './rules.js';

const DAY_MS = 86_400_000;

export interface EvaluationRun {
  /** Events read by this run. */
  evaluated: number;
  /** Alerts fired by this run. */
  fired: number;
  /** The cursor after the run: every event up to this seq has been evaluated. */
  through: number;
  /** True when events remain after the cursor (the run stopped at maxBatches). */
  more: boolean;
}

function minutes(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS === 1 ? 'one day' : `${ms / DAY_MS} days`}` : `${ms / 60_000} minutes`;
}

function summaryOf(rule: AlertRule, subject: string, n: number, win: number, baseline: number | null): string {
  const count = n.toLocaleString('en-US');
  switch (rule) {
    case 'failed_sign_ins':
      return `${count} failed sign-ins as ${subject} within ${minutes(win)}.`;
    case 'denied_calls':
      return `${count} calls by ${subject} were denied within ${minutes(win)}.`;
    case 'export_volume':
      return `${subject} exported ${count} rows within ${minutes(win)}; their own average is ${Math.round(baseline ?? 0).toLocaleString('en-US')}.`;
    case 'bulk_record_views':
      return `${subject} viewed ${count} records within ${minutes(win)}.`;
    case 'outside_working_hours':
      return `${subject} was active outside working hours (${count} ${n === 1 ? 'action' : 'actions'} in ${minutes(win)}).`;
  }
}

/** Whether a counter that just grew to `count` crosses the rule's line; with the export baseline it compared against. */
function crosses(ws: Workspace, policy: AlertPolicy, hit: RuleHit, windowStart: number, count: number): { threshold: number; baseline: number | null } | null {
  if (hit.rule !== 'export_volume') {
    const threshold = policy.rules[hit.rule].threshold;
    return count >= threshold ? { threshold, baseline: null } : null;
  }
  const r = policy.rules.export_volume;
  if (count < r.minRows) return null;
  const win = windowMs(policy, 'export_volume');
  const span = r.baselineDays * DAY_MS;
  const before = counterSum(ws.db, 'export_volume', hit.subject, new Date(windowStart - span).toISOString(), new Date(windowStart).toISOString());
  const baseline = before / Math.max(1, span / win);
  const threshold = Math.max(r.minRows, Math.floor(r.factor * baseline) + 1);
  return count >= threshold ? { threshold, baseline: Math.round(baseline * 100) / 100 } : null;
}

/**
 * Runs the alert rules over the events after the cursor, one transaction per batch (never inside
 * the transaction of the events it reads): counts, fires what crossed a line (one alert per rule,
 * subject and window, ledgered as `alerts.fire` in the same transaction), moves the cursor.
 * Idempotent: a batch that rolls back is read again by the next run. `maxBatches` bounds one call.
 */
export function evaluateAlerts(ws: Workspace, opts: { maxBatches?: number } = {}): EvaluationRun {
  const policy = alertPolicy();
  const working = workingHoursTest(policy, workspaceTimeZone(ws).timeZone);
  const run: EvaluationRun = { evaluated: 0, fired: 0, through: cursorSeq(ws.db), more: false };
  for (let batch = 0; ; batch++) {
    if (!ws.isOpen || ws.db.inTransaction) return { ...run, more: true };
    const rows = eventsAfter(ws.db, run.through, policy.batchSize);
    if (rows.length === 0) return run;
    if (opts.maxBatches !== undefined && batch >= opts.maxBatches) return { ...run, more: true };
    const at = clockNow();
    const firedAt = at.toISOString();
    run.fired += ws.tx(() => {
      let fired = 0;
      for (const e of rows) {
        for (const hit of ruleHits(e, policy, working)) {
          const win = windowMs(policy, hit.rule);
          const start = Math.floor(hit.at / win) * win;
          const windowStart = new Date(start).toISOString();
          const c = addToCounter(ws.db, hit.rule, hit.subject, windowStart, hit.amount, e.seq);
          const line = crosses(ws, policy, hit, start, c.count);
          if (!line || alertExists(ws.db, hit.rule, hit.subject, windowStart)) continue;
          const id = yearlyId(ws, 'ALR', at);
          const severity = policy.rules[hit.rule].severity;
          const windowEnd = new Date(start + win).toISOString();
          const summary = summaryOf(hit.rule, hit.subject, c.count, win, line.baseline);
          insertAlert(ws.db, {
            id,
            rule: hit.rule,
            subject: hit.subject,
            window_start: windowStart,
            window_end: windowEnd,
            severity,
            summary,
            count: c.count,
            threshold: line.threshold,
            baseline: line.baseline,
            first_seq: c.first_seq,
            trigger_seq: e.seq,
            fired_at: firedAt,
          });
          ws.ledger.append(
            {
              actor: 'system',
              action: 'alerts.fire',
              resource_type: 'alert',
              resource_id: id,
              details: {
                rule: hit.rule,
                title: ALERT_RULE_LABELS[hit.rule],
                subject: hit.subject,
                severity,
                window_start: windowStart,
                window_end: windowEnd,
                count: c.count,
                threshold: line.threshold,
                ...(line.baseline !== null ? { baseline: line.baseline } : {}),
                first_seq: c.first_seq,
                trigger_seq: e.seq,
              },
            },
            at,
          );
          fired++;
        }
      }
      setCursor(ws.db, rows[rows.length - 1]!.seq, firedAt);
      return fired;
    });
    run.evaluated += rows.length;
    run.through = rows[rows.length - 1]!.seq;
  }
}

// A failed evaluation is retried after a minute, not on every append (one failure event per attempt).
const RETRY_MS = 60_000;
const kicks = new WeakMap<Workspace, () => void>();

/**
 * Runs the rules as events are appended, outside the append transaction: each commit schedules a
 * run on a timer, and a run evaluates one batch and schedules the next while events remain, so a
 * long catch-up (the first unlock after a big import or demo) never blocks the app. Starts with a
 * catch-up. Returns the function that stops it (at lock).
 */
export function watchAlerts(ws: Workspace): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failedAt = -Infinity;
  const run = () => {
    timer = null;
    if (stopped || !ws.isOpen || Date.now() - failedAt < RETRY_MS) return;
    if (ws.db.inTransaction) return schedule();
    try {
      if (evaluateAlerts(ws, { maxBatches: 1 }).more) schedule();
    } catch (err) {
      failedAt = Date.now();
      try {
        if (!ws.isOpen) return;
        const code = err instanceof CustosError ? err.code : 'failure';
        ws.record({ actor: 'system', action: 'alerts.evaluate', resource_type: 'alert_rules', resource_id: 'schedule', outcome: 'failure', details: { code, message: failureSentence('The alert rules were not evaluated', err) } });
      } catch {
        // Nothing more a timer can do; the next append after the retry time tries again.
      }
    }
  };
  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(run, 10);
    timer.unref();
  };
  const unsubscribe = ws.ledger.onAppend(schedule);
  kicks.set(ws, schedule);
  schedule();
  return () => {
    stopped = true;
    unsubscribe();
    kicks.delete(ws);
    if (timer) clearTimeout(timer);
  };
}

/** Schedules a run of the rules now (sign-in, the schedule's tick), when a watcher runs for this workspace. */
export function kickAlerts(ws: Workspace): void {
  kicks.get(ws)?.();
}
