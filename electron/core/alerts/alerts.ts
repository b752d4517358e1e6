import { calendarDate } from '../../../shared/day-count.js';
import { ALERT_RULE_LABELS, ALERT_RULES, type Alert, type AlertEvent, type AlertRule, type RiskScore } from '../../../shared/contract/alerts.js';
import type { INCIDENT_SEVERITIES } from '../../../shared/contract/incidents.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import { createIncident } from '../incidents/incidents.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { alertPolicy } from './alert-policy.js';
import {
  actorEventsBetween,
  alertRowsPage,
  alertsSince,
  counterLastSeq,
  counterSumsSince,
  cursorSeq,
  findAlertRow,
  setHandled,
  type AlertQuery,
  type AlertRow,
} from './alerts-store.js';
import { ruleHits, workingHoursTest } from './rules.js';

const DAY_MS = 86_400_000;
/** How many of the counted events an alert's detail lists. */
const DETAIL_EVENTS = 50;

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    rule: r.rule as AlertRule,
    subject: r.subject,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    severity: r.severity as Alert['severity'],
    summary: r.summary,
    count: r.count,
    threshold: r.threshold,
    baseline: r.baseline,
    firstSeq: r.first_seq,
    triggerSeq: r.trigger_seq,
    firedAt: r.fired_at,
    status: r.status,
    handledBy: r.handled_by,
    handledAt: r.handled_at,
    note: r.note,
    incidentId: r.incident_id,
  };
}

function alertRow(ws: Workspace, id: string): AlertRow {
  const row = findAlertRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no alert ${id}.`, { resourceType: 'alert', resourceId: id });
  return row;
}

/** An alert about someone is handled by someone else: nobody acknowledges or escalates their own. */
function assertNotAbout(row: AlertRow, op: Op): void {
  if (row.subject === op.actor) {
    throw new CustosError('forbidden', `Alert ${row.id} is about you; another administrator or compliance officer handles it.`, { resourceType: 'alert', resourceId: row.id });
  }
}

function assertOpen(row: AlertRow): void {
  if (row.status === 'acknowledged') {
    throw new CustosError('conflict', `Alert ${row.id} was acknowledged by ${row.handled_by ?? 'someone'} at ${row.handled_at ?? ''}; it takes no more handling.`, {
      resourceType: 'alert',
      resourceId: row.id,
    });
  }
  if (row.status === 'escalated') {
    throw new CustosError('conflict', `Alert ${row.id} was escalated into incident ${row.incident_id ?? ''}; work it there.`, { resourceType: 'alert', resourceId: row.id });
  }
}

/** A page of alerts, with how far the rules have read the ledger. */
export function listAlerts(ws: Workspace, q: AlertQuery): { items: Alert[]; total: number; evaluatedThrough: number; head: number } {
  const { rows, total } = alertRowsPage(ws.db, q);
  return { items: rows.map(toAlert), total, evaluatedThrough: cursorSeq(ws.db), head: ws.ledger.head().size };
}

/** One alert with the events its rule counted in the window (the first DETAIL_EVENTS). */
export function alertDetail(ws: Workspace, id: string): { alert: Alert; events: AlertEvent[]; more: boolean } {
  const row = alertRow(ws, id);
  const policy = alertPolicy();
  const working = workingHoursTest(policy, workspaceTimeZone(ws).timeZone);
  const start = Date.parse(row.window_start);
  const end = Date.parse(row.window_end);
  // Every rule's subject is the actor of what it counted (a failed sign-in is recorded as its own user's).
  const actor = row.subject;
  // Everything the rule counted in the window, also after the event that crossed the line.
  const last = Math.max(row.trigger_seq, counterLastSeq(ws.db, row.rule, row.subject, row.window_start) ?? 0);
  const events: AlertEvent[] = [];
  let more = false;
  for (let from = row.first_seq; from <= last && !more; ) {
    const batch = actorEventsBetween(ws.db, actor, from, last, 1000);
    if (batch.length === 0) break;
    for (const e of batch) {
      const counted = ruleHits(e, policy, working).some((h) => h.rule === row.rule && h.subject === row.subject && h.at >= start && h.at < end);
      if (!counted) continue;
      if (events.length === DETAIL_EVENTS) {
        more = true;
        break;
      }
      events.push({ seq: e.seq, ts: e.ts, action: e.action, outcome: e.outcome, resourceType: e.resource_type, resourceId: e.resource_id });
    }
    from = batch[batch.length - 1]!.seq + 1;
  }
  return { alert: toAlert(row), events, more };
}

/** Acknowledges an open alert with a note (handled alerts are refused: conflict). */
export function acknowledgeAlert(ws: Workspace, op: Op, input: { id: string; note: string }): Alert {
  const at = opTime(op);
  return ws.tx(() => {
    const row = alertRow(ws, input.id);
    assertOpen(row);
    assertNotAbout(row, op);
    setHandled(ws.db, row.id, 'acknowledged', op.actor, at.toISOString(), input.note, null);
    ws.ledger.append({ actor: op.actor, action: 'alerts.acknowledge', resource_type: 'alert', resource_id: row.id, details: { rule: row.rule, subject: row.subject, note: input.note } }, at);
    return toAlert(alertRow(ws, row.id));
  });
}

/**
 * Escalates an open alert into a security incident (classified unauthorized access, discovered when
 * the alert fired, with the alert's severity unless another is given) and links the two; the
 * incident, the alert's change and both events are one transaction.
 */
export function escalateAlert(
  ws: Workspace,
  op: Op,
  input: { id: string; note: string; title?: string | undefined; severity?: (typeof INCIDENT_SEVERITIES)[number] | undefined },
): { alert: Alert; incidentId: string } {
  const at = opTime(op);
  const fixed: Op = { ...op, at };
  return ws.tx(() => {
    const row = alertRow(ws, input.id);
    assertOpen(row);
    assertNotAbout(row, op);
    const label = ALERT_RULE_LABELS[row.rule as AlertRule] ?? row.rule;
    const incident = createIncident(ws, fixed, {
      title: input.title ?? `${label}: ${row.subject}`,
      classification: 'unauthorized_access',
      severity: input.severity ?? (row.severity as Alert['severity']),
      discoveredAt: row.fired_at < at.toISOString() ? row.fired_at : undefined,
      description: `Escalated from alert ${row.id}. ${row.summary}\n\n${input.note}`,
      systemsAffected: ['Custos workspace'],
      ssnExposed: false,
    });
    setHandled(ws.db, row.id, 'escalated', op.actor, at.toISOString(), input.note, incident.id);
    ws.ledger.append(
      { actor: op.actor, action: 'alerts.escalate', resource_type: 'alert', resource_id: row.id, details: { rule: row.rule, subject: row.subject, incident: incident.id, note: input.note } },
      at,
    );
    return { alert: toAlert(alertRow(ws, row.id)), incidentId: incident.id };
  });
}

/**
 * Each user's risk score over the policy's last `riskDays`: the weights of their alerts by severity,
 * plus weights per denied call and per failed sign-in (from the rules' own counters), highest first.
 */
export function riskScores(ws: Workspace, now: Date): { days: number; since: string; items: RiskScore[] } {
  const policy = alertPolicy();
  const since = new Date(now.getTime() - policy.riskDays * DAY_MS).toISOString();
  const by = new Map<string, RiskScore>();
  const of = (subject: string): RiskScore => {
    let s = by.get(subject);
    if (!s) {
      s = { subject, score: 0, alerts: 0, denied: 0, failedSignIns: 0, lastAlertAt: null };
      by.set(subject, s);
    }
    return s;
  };
  for (const a of alertsSince(ws.db, since)) {
    const s = of(a.subject);
    s.alerts++;
    s.score += policy.riskWeights.alert[a.severity as Alert['severity']] ?? 0;
    if (!s.lastAlertAt || a.window_start > s.lastAlertAt) s.lastAlertAt = a.window_start;
  }
  for (const c of counterSumsSince(ws.db, 'denied_calls', since)) {
    const s = of(c.subject);
    s.denied = c.n;
    s.score += c.n * policy.riskWeights.denied;
  }
  for (const c of counterSumsSince(ws.db, 'failed_sign_ins', since)) {
    const s = of(c.subject);
    s.failedSignIns = c.n;
    s.score += c.n * policy.riskWeights.failedSignIn;
  }
  const items = [...by.values()].map((s) => ({ ...s, score: Math.round(s.score * 10) / 10 })).filter((s) => s.score > 0);
  items.sort((a, b) => b.score - a.score || a.subject.localeCompare(b.subject));
  return { days: policy.riskDays, since, items };
}

/** Alerts per day by rule over the last `days` days (by the day their window started, in the workspace time zone). */
export function alertsPerDay(ws: Workspace, days: number, now: Date): { days: { date: string; counts: Record<string, number> }[]; total: number } {
  const zone = workspaceTimeZone(ws).timeZone;
  const out: { date: string; counts: Record<string, number> }[] = [];
  const index = new Map<string, Record<string, number>>();
  for (let i = days - 1; i >= 0; i--) {
    const date = calendarDate(new Date(now.getTime() - i * DAY_MS), zone);
    if (index.has(date)) continue;
    const counts = Object.fromEntries(ALERT_RULES.map((r) => [r, 0]));
    index.set(date, counts);
    out.push({ date, counts });
  }
  let total = 0;
  for (const a of alertsSince(ws.db, new Date(now.getTime() - (days + 1) * DAY_MS).toISOString())) {
    const counts = index.get(calendarDate(new Date(a.window_start), zone));
    if (!counts) continue;
    counts[a.rule] = (counts[a.rule] ?? 0) + 1;
    total++;
  }
  return { days: out, total };
}
