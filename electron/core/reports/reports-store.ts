import { listPage, namedWhere, type PageQuery } from '../db/list-page.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

/*
 * Every SQL statement of the pre-built reports. A report reads the ledger only up to the size of the
 * checkpoint it is anchored to (`seq <= @size`), and the period as half-open UTC instants
 * (`@from <= ts < @until`); the workspace's tables are read in the same transaction that signs that
 * checkpoint, so they are the state at that tree head.
 */

/** The slice of the ledger a report covers: events 1..size in [from, until), which are the seqs lo..hi. */
export interface LedgerWindow {
  size: number;
  from: string;
  until: string;
  lo: number;
  hi: number;
}

/** A period over the tables (no ledger size: tables hold the state as of generation). */
export interface Period {
  from: string;
  until: string;
}

// A rowid range: the ledger's ts never decreases along seq (ledger.ts), so the period is one run of
// seqs; `+ts` keeps the time condition exact without letting the planner walk the ts index over
// every row of a long period (a million lookups instead of one range scan).
const IN_WINDOW = 'seq BETWEEN @lo AND @hi AND +ts >= @from AND +ts < @until';

/** The window of events 1..size in [from, until), with its seq range found through the ts index. */
export function ledgerWindow(db: Db, size: number, from: string, until: string): LedgerWindow {
  const lo = prepared<[{ from: string }], { seq: number }>(db, 'SELECT seq FROM events WHERE ts >= @from ORDER BY ts, seq LIMIT 1').get({ from })?.seq;
  const hi = prepared<[{ until: string }], { seq: number }>(db, 'SELECT seq FROM events WHERE ts < @until ORDER BY ts DESC, seq DESC LIMIT 1').get({ until })?.seq;
  // An empty period is the empty range 1..0.
  return lo === undefined || hi === undefined ? { size, from, until, lo: 1, hi: 0 } : { size, from, until, lo, hi: Math.min(hi, size) };
}

// ─── the ledger ──────────────────────────────────────────────────────────────

export interface Count {
  key: string;
  n: number;
}

export interface EventGroup {
  action: string;
  outcome: string;
  actor: string;
  n: number;
  first_ts: string;
  last_ts: string;
}

/**
 * Events in the window per action, outcome and actor, with the first and last time of each: one
 * pass over the window, from which a report derives all its activity figures (window-stats.ts).
 */
export function eventGroups(db: Db, w: LedgerWindow): EventGroup[] {
  return prepared<[LedgerWindow], EventGroup>(
    db,
    `SELECT action, outcome, actor, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM events WHERE ${IN_WINDOW}
      GROUP BY action, outcome, actor`,
  ).all(w);
}

/** Events in the window of the given actions, per action (successful ones only when `success`). */
export function countsOfActions(db: Db, w: LedgerWindow, actions: readonly string[], success = false): Count[] {
  return prepared<[LedgerWindow & { actions: string }], Count>(
    db,
    `SELECT action AS key, count(*) AS n FROM events
      WHERE ${IN_WINDOW} AND action IN (SELECT value FROM json_each(@actions))${success ? " AND outcome = 'success'" : ''}
      GROUP BY action ORDER BY n DESC, action`,
  ).all({ ...w, actions: JSON.stringify(actions) });
}

export interface EventLine {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: string;
  details: string;
}

/** The newest `limit` events in the window of the given actions (newest first). */
export function eventsOfActions(db: Db, w: LedgerWindow, actions: readonly string[], limit: number): EventLine[] {
  return prepared<[LedgerWindow & { actions: string; limit: number }], EventLine>(
    db,
    `SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details FROM events
      WHERE ${IN_WINDOW} AND action IN (SELECT value FROM json_each(@actions)) ORDER BY seq DESC LIMIT @limit`,
  ).all({ ...w, actions: JSON.stringify(actions), limit });
}

export interface LedgerSpan {
  events: number;
  first_ts: string | null;
  last_ts: string | null;
}

/** The whole ledger up to `size`: how many events and the time of the first and the last. */
export function ledgerSpan(db: Db, size: number): LedgerSpan {
  // Over the small ts index (it holds the seq too), not the table with every event's details: a tenth of the reads.
  return prepared<[number], LedgerSpan>(db, 'SELECT count(*) AS events, min(ts) AS first_ts, max(ts) AS last_ts FROM events INDEXED BY events_ts WHERE seq <= ?').get(size)!;
}

export interface CheckpointLine {
  size: number;
  ts: string;
  reason: string;
}

/** Checkpoints signed in the period at sizes up to `size`: how many, and the newest few. */
export function checkpointsIn(db: Db, w: LedgerWindow, limit: number): { total: number; newest: CheckpointLine[] } {
  const where = 'size <= @size AND ts >= @from AND ts < @until';
  const p = { size: w.size, from: w.from, until: w.until };
  const total = prepared<[typeof p], { n: number }>(db, `SELECT count(*) AS n FROM checkpoints WHERE ${where}`).get(p)?.n ?? 0;
  const newest = prepared<[typeof p & { limit: number }], CheckpointLine>(db, `SELECT size, ts, reason FROM checkpoints WHERE ${where} ORDER BY id DESC LIMIT @limit`).all({ ...p, limit });
  return { total, newest };
}

// ─── the workspace's tables, as of generation ───────────────────────────────

export interface SubjectKindRow {
  kind: string;
  subjects: number;
  opted_out: number;
}

/** Data subjects per kind, with how many opted out of directory information. */
export function subjectsPerKind(db: Db): SubjectKindRow[] {
  return prepared<[], SubjectKindRow>(db, 'SELECT kind, count(*) AS subjects, sum(directory_opt_out) AS opted_out FROM subjects GROUP BY kind ORDER BY kind').all();
}

export interface CategoryRow {
  category: string;
  active: number;
  destroyed: number;
  subjects: number;
  earliest_until: string | null;
  latest_until: string | null;
}

/** Records per category: active, purged or erased, the subjects they concern and their retention dates. */
export function recordsPerCategory(db: Db): CategoryRow[] {
  return prepared<[], CategoryRow>(
    db,
    `SELECT category, sum(status = 'active') AS active, sum(status <> 'active') AS destroyed, count(DISTINCT subject_id) AS subjects,
            min(CASE WHEN status = 'active' THEN retention_until END) AS earliest_until, max(CASE WHEN status = 'active' THEN retention_until END) AS latest_until
       FROM records GROUP BY category ORDER BY category`,
  ).all();
}

export interface DisclosureRow {
  id: string;
  subject_id: string;
  disclosed_at: string;
  recipient: string;
  basis: string;
  purpose: string;
  disclosed_by: string;
  records: number;
}

/** Disclosures made in the period, oldest first, with how many records each released. */
export function disclosuresIn(db: Db, p: Period): DisclosureRow[] {
  return prepared<[Period], DisclosureRow>(
    db,
    `SELECT d.id, d.subject_id, d.disclosed_at, d.recipient, d.basis, d.purpose, d.disclosed_by,
            (SELECT count(*) FROM disclosure_records dr WHERE dr.disclosure_id = d.id) AS records
       FROM disclosures d WHERE d.disclosed_at >= @from AND d.disclosed_at < @until ORDER BY d.disclosed_at, d.id`,
  ).all(p);
}

export interface AccessRequestRow {
  id: string;
  subject_id: string;
  state: string;
  requested_at: string;
  due_at: string;
  resolved_at: string | null;
}

/** Access requests received in the period, oldest first. */
export function accessRequestsIn(db: Db, p: Period): AccessRequestRow[] {
  return prepared<[Period], AccessRequestRow>(
    db,
    'SELECT id, subject_id, state, requested_at, due_at, resolved_at FROM access_requests WHERE requested_at >= @from AND requested_at < @until ORDER BY requested_at, id',
  ).all(p);
}

export interface PrivacyRequestReportRow {
  id: string;
  subject_id: string;
  right: string;
  state: string;
  received_at: string;
  original_due_at: string;
  due_at: string;
  extended_at: string | null;
  resolved_at: string | null;
}

/** Privacy-rights requests of one regime received in the period, oldest first (the Requests register). */
export function privacyRequestsIn(db: Db, p: Period, regime: 'gdpr' | 'ccpa'): PrivacyRequestReportRow[] {
  return prepared<[Period & { regime: string }], PrivacyRequestReportRow>(
    db,
    `SELECT id, subject_id, right, state, received_at, original_due_at, due_at, extended_at, resolved_at
       FROM privacy_requests WHERE regime = @regime AND received_at >= @from AND received_at < @until ORDER BY received_at, id`,
  ).all({ ...p, regime });
}

export interface AmendmentRow {
  id: string;
  subject_id: string;
  record_id: string;
  state: string;
  received_at: string;
  due_at: string;
  decided_at: string | null;
  decision: string | null;
  hearing_requested_at: string | null;
  hearing_outcome: string | null;
}

/** Amendment requests received in the period, oldest first. */
export function amendmentsIn(db: Db, p: Period): AmendmentRow[] {
  return prepared<[Period], AmendmentRow>(
    db,
    `SELECT id, subject_id, record_id, state, received_at, due_at, decided_at, decision, hearing_requested_at, hearing_outcome
       FROM amendment_requests WHERE received_at >= @from AND received_at < @until ORDER BY received_at, id`,
  ).all(p);
}

export interface OptOutRow {
  id: string;
  kind: string;
  directory_opt_out_at: string | null;
}

/** Subjects who opted out of directory information (as of generation), in the order they did. */
export function directoryOptOuts(db: Db): OptOutRow[] {
  return prepared<[], OptOutRow>(db, 'SELECT id, kind, directory_opt_out_at FROM subjects WHERE directory_opt_out = 1 ORDER BY directory_opt_out_at, id').all();
}

export interface DestroyedRow {
  id: string;
  subject_id: string;
  category: string;
  status: string;
  destroyed_at: string;
  destroyed_by: string | null;
}

/** Records erased on request or purged at the end of retention in the period. */
export function recordsDestroyedIn(db: Db, p: Period): DestroyedRow[] {
  return prepared<[Period], DestroyedRow>(
    db,
    `SELECT id, subject_id, category, status, destroyed_at, destroyed_by FROM records
      WHERE status <> 'active' AND destroyed_at >= @from AND destroyed_at < @until ORDER BY destroyed_at, id`,
  ).all(p);
}

export interface UserRow {
  username: string;
  display_name: string;
  role: string;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

/** Every user account with its role, as of generation. */
export function usersAndRoles(db: Db): UserRow[] {
  return prepared<[], UserRow>(db, 'SELECT username, display_name, role, disabled, created_at, last_login_at FROM users ORDER BY role, username').all();
}

export interface ExportRow {
  id: string;
  type: string;
  format: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  executed_by: string | null;
  sha256: string | null;
}

/** Export requests made in the period, oldest first. */
export function exportRequestsIn(db: Db, p: Period): ExportRow[] {
  return prepared<[Period], ExportRow>(
    db,
    `SELECT id, type, format, status, requested_by, requested_at, decided_by, executed_by, sha256 FROM export_requests
      WHERE requested_at >= @from AND requested_at < @until ORDER BY requested_at, id`,
  ).all(p);
}

export interface ExpiringRow {
  id: string;
  subject_id: string;
  category: string;
  record_date: string;
  retention_until: string;
  held: number;
}

/** Active records whose retention ends on or before `through` (YYYY-MM-DD), oldest first; `held` when their subject is under an active hold. */
export function recordsExpiring(db: Db, through: string): ExpiringRow[] {
  return prepared<[{ through: string }], ExpiringRow>(
    db,
    `SELECT r.id, r.subject_id, r.category, r.record_date, r.retention_until,
            EXISTS (SELECT 1 FROM hold_subjects hs JOIN legal_holds h ON h.id = hs.hold_id WHERE hs.subject_id = r.subject_id AND h.status = 'active') AS held
       FROM records r WHERE r.status = 'active' AND r.retention_until IS NOT NULL AND r.retention_until <= @through
      ORDER BY r.retention_until, r.id`,
  ).all({ through });
}

// ─── the reports generated ───────────────────────────────────────────────────

export interface ReportEventRow {
  seq: number;
  ts: string;
  actor: string;
  details: string;
}

export interface ReportEventQuery extends PageQuery {
  kind?: string;
  search?: string;
}

const REPORT_EVENTS = {
  select: 'SELECT seq, ts, actor, details FROM events',
  from: 'FROM events',
  sorts: { generated_at: 'seq', kind: "json_extract(details, '$.kind')" },
  tiebreak: 'seq',
};

/** A page of the `reports.generate` events that succeeded, by kind or by text in the title or file name. */
export function reportEventsPage(db: Db, q: ReportEventQuery): { rows: ReportEventRow[]; total: number } {
  const where = namedWhere([["json_extract(details, '$.kind') = @kind", 'kind', q.kind]], {
    text: q.search,
    columns: ["json_extract(details, '$.title')", "json_extract(details, '$.file_name')", "json_extract(details, '$.sha256')"],
  });
  where.conds.unshift("action = 'reports.generate'", "outcome = 'success'");
  return listPage<ReportEventRow>(db, REPORT_EVENTS, where, q);
}

