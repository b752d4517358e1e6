import type { Count, EventGroup } from './reports-store.js';

/*
 * The activity figures of a report, derived from the one pass over its ledger window
 * (reports-store.ts eventGroups): per outcome, per action, per actor, and the unauthorized attempts.
 */

/** True for an unauthorized attempt: a refused call, or a sign-in that did not succeed. */
function isAttempt(g: EventGroup): boolean {
  return g.outcome === 'denied' || (g.action === 'session.login' && g.outcome !== 'success');
}

function sorted(totals: Map<string, number>): Count[] {
  return [...totals.entries()].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
}

/** Events per outcome. */
export function outcomeCounts(groups: readonly EventGroup[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of groups) out.set(g.outcome, (out.get(g.outcome) ?? 0) + g.n);
  return out;
}

export interface ActionCount {
  action: string;
  success: number;
  denied: number;
  failure: number;
  total: number;
}

/** Events per action with their outcomes; most frequent first. */
export function actionCounts(groups: readonly EventGroup[]): ActionCount[] {
  const per = new Map<string, ActionCount>();
  for (const g of groups) {
    const a = per.get(g.action) ?? { action: g.action, success: 0, denied: 0, failure: 0, total: 0 };
    if (g.outcome === 'success' || g.outcome === 'denied' || g.outcome === 'failure') a[g.outcome] += g.n;
    a.total += g.n;
    per.set(g.action, a);
  }
  return [...per.values()].sort((a, b) => b.total - a.total || a.action.localeCompare(b.action));
}

/** Events of the given actions per action (successful ones only when `success`); most first. */
export function actionTotals(groups: readonly EventGroup[], actions: readonly string[], success = false): Count[] {
  const wanted = new Set(actions);
  const totals = new Map<string, number>();
  for (const g of groups) if (wanted.has(g.action) && (!success || g.outcome === 'success')) totals.set(g.action, (totals.get(g.action) ?? 0) + g.n);
  return sorted(totals);
}

/** Events of the given actions per actor; most first. */
export function actorTotals(groups: readonly EventGroup[], actions: readonly string[]): Count[] {
  const wanted = new Set(actions);
  const totals = new Map<string, number>();
  for (const g of groups) if (wanted.has(g.action)) totals.set(g.actor, (totals.get(g.actor) ?? 0) + g.n);
  return sorted(totals);
}

export interface AttemptRow {
  actor: string;
  denied: number;
  failedLogins: number;
  total: number;
  actions: string[];
  firstTs: string;
  lastTs: string;
}

/** The unauthorized attempts per actor (refused calls and failed sign-ins); most first. */
export function attemptsPerActor(groups: readonly EventGroup[]): AttemptRow[] {
  const per = new Map<string, AttemptRow>();
  for (const g of groups.filter(isAttempt)) {
    const a = per.get(g.actor) ?? { actor: g.actor, denied: 0, failedLogins: 0, total: 0, actions: [], firstTs: g.first_ts, lastTs: g.last_ts };
    if (g.action === 'session.login') a.failedLogins += g.n;
    else a.denied += g.n;
    a.total += g.n;
    if (!a.actions.includes(g.action)) a.actions.push(g.action);
    if (g.first_ts < a.firstTs) a.firstTs = g.first_ts;
    if (g.last_ts > a.lastTs) a.lastTs = g.last_ts;
    per.set(g.actor, a);
  }
  return [...per.values()].map((a) => ({ ...a, actions: a.actions.sort() })).sort((a, b) => b.total - a.total || a.actor.localeCompare(b.actor));
}
