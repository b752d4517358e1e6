import type { AlertRule } from '../../../shared/contract/alerts.js';
import type { AlertPolicy } from './alert-policy.js';
import type { RuleEventRow } from './alerts-store.js';

/** What one event adds to one rule's counter. */
export interface RuleHit {
  rule: AlertRule;
  subject: string;
  amount: number;
  /** When it happened (ms): the event's time, or the attempt time of a failed sign-in recorded at the next unlock. */
  at: number;
}

/** Actors that are not people: the rules never count them. */
const NOT_PEOPLE = new Set(['system']);
/** Sign-in failures that are not failures of a person: the first half of a sign-in with a second factor. */
const NOT_FAILURES = new Set(['mfa-required', 'failure-log-full']);

const QUARTER_HOUR = 15 * 60_000;

/**
 * Whether an instant falls in working hours, in the workspace time zone. Offsets of every zone are
 * whole quarter hours, so the answer is the same across a quarter hour and is kept per quarter hour.
 */
export function workingHoursTest(policy: AlertPolicy, timeZone: string): (ms: number) => boolean {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' });
  const days = new Set(policy.workingHours.days);
  const weekday: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
  const cache = new Map<number, boolean>();
  return (ms) => {
    const q = Math.floor(ms / QUARTER_HOUR);
    let inside = cache.get(q);
    if (inside === undefined) {
      const parts = Object.fromEntries(fmt.formatToParts(new Date(q * QUARTER_HOUR)).map((p) => [p.type, p.value]));
      const hour = Number(parts.hour);
      inside = days.has(weekday[parts.weekday ?? ''] ?? 0) && hour >= policy.workingHours.start && hour < policy.workingHours.end;
      if (cache.size > 10_000) cache.clear();
      cache.set(q, inside);
    }
    return inside;
  };
}

function details(e: RuleEventRow): Record<string, unknown> {
  try {
    const d = JSON.parse(e.details) as unknown;
    return d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/** Actions whose `denied` outcome is a record skipped under legal hold by the retention engine. */
const HOLD_SKIPS: ReadonlySet<string> = new Set(['retention.sweep', 'records.purgeExpired']);

/**
 * What one ledger event counts towards each rule (resources/policies/alerts.json). An alert's own
 * events (`alerts.*`) count towards nothing, so firing never feeds the rules.
 */
export function ruleHits(e: RuleEventRow, policy: AlertPolicy, working: (ms: number) => boolean): RuleHit[] {
  if (e.action.startsWith('alerts.') || NOT_PEOPLE.has(e.actor)) return [];
  const at = Date.parse(e.ts);
  const hits: RuleHit[] = [];
  if (e.action === 'session.login' && e.outcome === 'failure' && e.resource_type === 'user') {
    const d = details(e);
    if (!NOT_FAILURES.has(String(d.reason))) {
      const attempted = typeof d.attempted_at === 'string' ? Date.parse(d.attempted_at) : NaN;
      hits.push({ rule: 'failed_sign_ins', subject: e.resource_id, amount: 1, at: Number.isFinite(attempted) ? attempted : at });
    }
  }
  // A record the retention engine skipped because a legal hold covers it is recorded as denied, but
  // it is the engine keeping the law, not the person who ran the sweep trying something.
  if (e.outcome === 'denied' && !HOLD_SKIPS.has(e.action)) hits.push({ rule: 'denied_calls', subject: e.actor, amount: 1, at });
  if (e.outcome !== 'success' || e.actor === 'unknown') return hits;
  // Every export and every bundle is run as an export request, whose exports.execute carries its rows
  // (a bundle's events): counted once there, not again from bundles.written.
  if (e.action === 'exports.execute') {
    const d = details(e);
    const rows = count(d.rows);
    if (rows > 0) hits.push({ rule: 'export_volume', subject: e.actor, amount: rows, at });
  }
  if (e.action === 'records.view') hits.push({ rule: 'bulk_record_views', subject: e.actor, amount: 1, at });
  if (policy.rules.outside_working_hours.actions.includes(e.action) && !working(at)) {
    hits.push({ rule: 'outside_working_hours', subject: e.actor, amount: 1, at });
  }
  return hits;
}
