import type { AlertStatus } from '../../../shared/contract/alerts.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of alerts: the rules' cursor and counters, the alerts that fired, and the events the rules
// read. Each statement is prepared once per connection.

/** An event as the rules read it. */
export interface RuleEventRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: string;
  details: string;
}

/** An alerts row as stored. */
export interface AlertRow {
  id: string;
  rule: string;
  subject: string;
  window_start: string;
  window_end: string;
  severity: string;
  summary: string;
  count: number;
  threshold: number;
  baseline: number | null;
  first_seq: number;
  trigger_seq: number;
  fired_at: string;
  status: AlertStatus;
  handled_by: string | null;
  handled_at: string | null;
  note: string | null;
  incident_id: string | null;
}

const ALERT_COLUMNS =
  'id, rule, subject, window_start, window_end, severity, summary, count, threshold, baseline, first_seq, trigger_seq, fired_at, status, handled_by, handled_at, note, incident_id';

/** The last event seq the rules have read (0 before the first evaluation). */
export function cursorSeq(db: Db): number {
  return prepared<[], { seq: number }>(db, 'SELECT seq FROM alert_cursor WHERE id = 1').get()?.seq ?? 0;
}

/** Moves the cursor to `seq`. */
export function setCursor(db: Db, seq: number, at: string): void {
  prepared<[number, string]>(
    db,
    'INSERT INTO alert_cursor (id, seq, evaluated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, evaluated_at = excluded.evaluated_at',
  ).run(seq, at);
}

/** Up to `limit` events after `seq`, in order. */
export function eventsAfter(db: Db, seq: number, limit: number): RuleEventRow[] {
  return prepared<[number, number], RuleEventRow>(
    db,
    'SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  ).all(seq, limit);
}

/** Events of one actor between two seqs (inclusive), in order: what an alert's rule may have counted. */
export function actorEventsBetween(db: Db, actor: string, from: number, to: number, limit: number): RuleEventRow[] {
  return prepared<[string, number, number, number], RuleEventRow>(
    db,
    'SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details FROM events WHERE actor = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?',
  ).all(actor, from, to, limit);
}

/** Adds `amount` to a rule's counter for a subject and window; returns the new total. */
export function addToCounter(db: Db, rule: string, subject: string, windowStart: string, amount: number, seq: number): { count: number; first_seq: number } {
  return prepared<[string, string, string, number, number, number], { count: number; first_seq: number }>(
    db,
    `INSERT INTO alert_counters (rule, subject, window_start, count, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (rule, subject, window_start) DO UPDATE SET count = count + excluded.count, last_seq = excluded.last_seq
       RETURNING count, first_seq`,
  ).get(rule, subject, windowStart, amount, seq, seq) as { count: number; first_seq: number };
}

/** The sum of a rule's counters for a subject over windows starting in [from, to). */
export function counterSum(db: Db, rule: string, subject: string, from: string, to: string): number {
  return (
    prepared<[string, string, string, string], { n: number | null }>(
      db,
      'SELECT sum(count) AS n FROM alert_counters WHERE rule = ? AND subject = ? AND window_start >= ? AND window_start < ?',
    ).get(rule, subject, from, to)?.n ?? 0
  );
}

/** Per subject, the sum of a rule's counters over windows starting at or after `from`. */
export function counterSumsSince(db: Db, rule: string, from: string): { subject: string; n: number }[] {
  return prepared<[string, string], { subject: string; n: number }>(
    db,
    'SELECT subject, sum(count) AS n FROM alert_counters WHERE rule = ? AND window_start >= ? GROUP BY subject',
  ).all(rule, from);
}

/** The last event a rule counted for a subject in a window (undefined when it counted none). */
export function counterLastSeq(db: Db, rule: string, subject: string, windowStart: string): number | undefined {
  return prepared<[string, string, string], { last_seq: number }>(db, 'SELECT last_seq FROM alert_counters WHERE rule = ? AND subject = ? AND window_start = ?').get(rule, subject, windowStart)
    ?.last_seq;
}

/** True when the rule already fired for this subject and window. */
export function alertExists(db: Db, rule: string, subject: string, windowStart: string): boolean {
  return prepared<[string, string, string], { one: number }>(db, 'SELECT 1 AS one FROM alerts WHERE rule = ? AND subject = ? AND window_start = ?').get(rule, subject, windowStart) !== undefined;
}

/** Stores a fired alert (the UNIQUE index refuses a second one for the same rule, subject and window). */
export function insertAlert(db: Db, r: Omit<AlertRow, 'status' | 'handled_by' | 'handled_at' | 'note' | 'incident_id'>): void {
  prepared<unknown[]>(
    db,
    `INSERT INTO alerts (id, rule, subject, window_start, window_end, severity, summary, count, threshold, baseline, first_seq, trigger_seq, fired_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.rule, r.subject, r.window_start, r.window_end, r.severity, r.summary, r.count, r.threshold, r.baseline, r.first_seq, r.trigger_seq, r.fired_at);
}

/** One alert, or undefined. */
export function findAlertRow(db: Db, id: string): AlertRow | undefined {
  return prepared<[string], AlertRow>(db, `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`).get(id);
}

/** Marks an open alert handled (acknowledged or escalated); false when it was no longer open. */
export function setHandled(db: Db, id: string, status: 'acknowledged' | 'escalated', by: string, at: string, note: string, incidentId: string | null): boolean {
  return (
    prepared<[string, string, string, string, string | null, string]>(
      db,
      "UPDATE alerts SET status = ?, handled_by = ?, handled_at = ?, note = ?, incident_id = ? WHERE id = ? AND status = 'open'",
    ).run(status, by, at, note, incidentId, id).changes === 1
  );
}

export interface AlertQuery extends PageQuery {
  search?: string | undefined;
  status?: AlertStatus | undefined;
  rule?: string | undefined;
}

/** A page of alerts and the total that match. */
export function alertRowsPage(db: Db, q: AlertQuery): { rows: AlertRow[]; total: number } {
  const where = namedWhere(
    [
      ['status = @status', 'status', q.status],
      ['rule = @rule', 'rule', q.rule],
    ],
    { text: q.search, columns: ['id', 'subject', 'summary'] },
  );
  return listPage<AlertRow>(
    db,
    {
      select: `SELECT ${ALERT_COLUMNS} FROM alerts`,
      from: 'FROM alerts',
      sorts: {
        window_start: 'window_start',
        fired_at: 'fired_at',
        severity: "CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END",
        rule: 'rule',
        subject: 'subject',
        status: 'status',
      },
      tiebreak: 'id',
    },
    where,
    q,
  );
}

/** Alerts whose window started at or after `from`: rule, subject, severity, window start (for risk scores and the chart). */
export function alertsSince(db: Db, from: string): { rule: string; subject: string; severity: string; window_start: string }[] {
  return prepared<[string], { rule: string; subject: string; severity: string; window_start: string }>(
    db,
    'SELECT rule, subject, severity, window_start FROM alerts WHERE window_start >= ? ORDER BY window_start',
  ).all(from);
}
