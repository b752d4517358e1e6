import { alertPolicy } from '../alerts/alert-policy.js';
import { escalateAlert, listAlerts } from '../alerts/alerts.js';
import { evaluateAlerts } from '../alerts/evaluate.js';
import { now as clockNow } from '../clock.js';
import type { Workspace } from '../workspace.js';
import type { DemoSeeder } from './seed-demo.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Bursts are machine-fast: a fifth of a second between events. */
const STEP_MS = 200;

/** The zone's offset from UTC (ms) at an instant: local wall-clock time = UTC + offset. */
function offsetAt(ms: number, timeZone: string, fmt: Intl.DateTimeFormat): number {
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * Times for `n` routine events between `from` and `until` (ms), spread evenly over the working hours
 * of the policy (resources/policies/alerts.json) in that stretch, in order: the people of the demo
 * work office hours, so the outside-working-hours rule fires on what the demo stages, not on every
 * routine day. A stretch with little or no working time in it keeps the times it is given.
 */
export function workingTimes(from: number, until: number, n: number, timeZone: string): (i: number, given: Date) => Date {
  const { start, end, days } = alertPolicy().workingHours;
  const open = new Set(days);
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const segments: [number, number][] = [];
  let total = 0;
  if (until > from && end > start) {
    // Day by day in local time: each working day's [start, end) in UTC, cut to [from, until).
    for (let day = from - DAY; day < until + DAY; day += DAY) {
      const offset = offsetAt(day, timeZone, fmt);
      const wall = day + offset;
      const midnight = wall - (wall % DAY);
      const isoDay = ((new Date(midnight).getUTCDay() + 6) % 7) + 1;
      if (!open.has(isoDay)) continue;
      const a = Math.max(from, midnight + start * HOUR - offset);
      const b = Math.min(until, midnight + end * HOUR - offset);
      if (b <= a || (segments.length > 0 && a < segments[segments.length - 1]![1])) continue;
      segments.push([a, b]);
      total += b - a;
    }
  }
  // A stretch with little working time in it (a night, a weekend) keeps its own times: squeezing its
  // events into a few working minutes would stage bursts the demo does not mean.
  const squeezed = total < (until - from) / 4;
  return (i, given) => {
    if (total === 0 || n <= 0 || squeezed) return given;
    let left = (total * (i + 0.5)) / n;
    for (const [a, b] of segments) {
      if (left < b - a) return new Date(Math.floor(a + left));
      left -= b - a;
    }
    return new Date(segments[segments.length - 1]![1] - 1);
  };
}

/** A burst of `n` events STEP_MS apart from `at`. */
function burst(ws: Workspace, n: number, at: number, event: (i: number) => Parameters<Workspace['ledger']['append']>[0]): void {
  ws.tx(() => {
    for (let i = 0; i < n; i++) ws.ledger.append(event(i), new Date(at + i * STEP_MS));
  });
}

/**
 * What the alert rules should catch in the demo (issue 13 item 6): a brute-force burst of failed
 * sign-ins against one account, a bulk export far above its user's habit, and a run of record views.
 * Each burst has one event short of twice the rule's threshold, so wherever a window boundary falls
 * exactly one window of it crosses the line. The rules run at the end of the demo (escalateDemoAlert).
 */
export const seedAlertsDemo: DemoSeeder = (ws, { users }) => {
  const startSize = ws.ledger.head().size;
  const policy = alertPolicy();
  const counsel = users.find((u) => u.role === 'legal_counsel')?.username ?? 'admin';
  const officer = users.find((u) => u.role === 'compliance_officer')?.username ?? 'admin';
  const failures = 2 * policy.rules.failed_sign_ins.threshold - 1;
  const views = 2 * policy.rules.bulk_record_views.threshold - 1;
  let at = clockNow().getTime();
  burst(ws, failures, at, () => ({ actor: counsel, action: 'session.login', resource_type: 'user', resource_id: counsel, outcome: 'failure', details: { reason: 'wrong-passphrase' } }));
  at += failures * STEP_MS;
  const rows = Math.max(25_000, policy.rules.export_volume.minRows * 10);
  burst(ws, 1, at, () => ({
    actor: officer,
    action: 'exports.execute',
    resource_type: 'export',
    resource_id: 'EXP-DEMO-BULK',
    details: { format: 'csv', rows, evidence_items: 0, masking: 'none', filters: {} },
  }));
  at += STEP_MS;
  burst(ws, views, at, (i) => ({
    actor: officer,
    action: 'records.view',
    resource_type: 'record',
    resource_id: `S-1${String(1000 + i)}/grades`,
    details: { subject: `S-1${String(1000 + i)}`, purpose: 'bulk review' },
  }));
  return ws.ledger.head().size - startSize;
};

/**
 * At the end of a new demo's history (the rules read what it staged, at the present): the rules run
 * once, and the administrator escalates the officer's bulk record views into an incident, so the
 * demo has an escalated incident beside the breach with its clock. The brute force and the bulk
 * export stay open for someone to handle.
 */
export function escalateDemoAlert(ws: Workspace, users: readonly { username: string; role: string }[], admin: string): void {
  evaluateAlerts(ws);
  const officer = users.find((u) => u.role === 'compliance_officer')?.username ?? admin;
  const views = listAlerts(ws, { rule: 'bulk_record_views', status: 'open', sort: 'fired_at', dir: 'desc', offset: 0, limit: 10 }).items.find((a) => a.subject === officer);
  if (!views || views.subject === admin) return;
  escalateAlert(ws, { actor: admin }, { id: views.id, note: `${views.summary} No case or request asked for them; reviewing with ${officer}.`, severity: 'medium' });
}
