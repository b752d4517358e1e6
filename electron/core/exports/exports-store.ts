import type { ExportRequest } from '../../../shared/contract/exports.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import type { ExportContentRow } from './export-content.js';
import { escapeLike, likePattern } from '../domain/like.js';
import type { EventRow } from '../ledger/ledger.js';
import { prunedThrough } from '../ledger/prune-point.js';
import { filterSql, upperTimeBound } from '../ledger/query.js';
import type { ExportCustodyEntry, ExportEvidenceItem } from './formats/types.js';

// The SQL of export requests and of what an export covers (events and the evidence register, cut at
// a checkpoint). Each statement is prepared once per connection (db/statements.ts); the scope's
// statements are built from the ledger filters' whitelisted fragments, so each combination of
// filters is compiled once.

// ---- export_requests

/** An export_requests row as stored. */
export interface ExportRequestRow extends ExportContentRow {
  id: string;
  title: string;
  status: ExportRequest['status'];
  due_at: string | null;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  executed_by: string | null;
  executed_at: string | null;
  output_path: string | null;
  sha256: string | null;
  bytes: number | null;
  rows: number | null;
  checkpoint_size: number | null;
  error: string | null;
}

/** The export request row, or undefined. */
export function findExportRequestRow(db: Db, id: string): ExportRequestRow | undefined {
  return prepared<[string], ExportRequestRow>(db, 'SELECT * FROM export_requests WHERE id = ?').get(id);
}

const EXPORT_LIST: ListSource = {
  select: 'SELECT * FROM export_requests',
  from: 'FROM export_requests',
  sorts: { requested_at: 'requested_at', id: 'id', status: 'status' },
  tiebreak: 'id',
};

/** The filters, sort and page of an export request list. */
export type ExportRequestQuery = PageQuery & { status?: ExportRequest['status'] | undefined; search?: string | undefined };

/** A page of export request rows with the total. */
export function exportRequestRowsPage(db: Db, q: ExportRequestQuery): { rows: ExportRequestRow[]; total: number } {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    conds.push('status = ?');
    params.push(q.status);
  }
  if (q.search) {
    const like = likePattern(q.search);
    conds.push("(id LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR recipient LIKE ? ESCAPE '\\' OR purpose LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  return listPage<ExportRequestRow>(db, EXPORT_LIST, { conds, params }, q);
}

/** Starts the id counter of `prefix` after the export requests already numbered under it, unless it has started. */
export function seedExportIdCounter(db: Db, prefix: string): void {
  prepared<[string, string]>(db, "INSERT OR IGNORE INTO id_counters (prefix, next) SELECT ?, count(*) + 1 FROM export_requests WHERE id LIKE ? ESCAPE '\\'").run(
    prefix,
    `${escapeLike(prefix)}-%`,
  );
}

/** Inserts a request as made: pending, or approved by policy at once (decided_by 'policy'). */
export function insertExportRequestRow(
  db: Db,
  r: Pick<
    ExportRequestRow,
    | 'id'
    | 'title'
    | 'type'
    | 'format'
    | 'status'
    | 'filters'
    | 'case_id'
    | 'include_evidence'
    | 'include_audit_trail'
    | 'masking'
    | 'purpose'
    | 'recipient'
    | 'due_at'
    | 'requested_by'
    | 'requested_at'
    | 'decided_by'
    | 'decided_at'
    | 'decision_note'
  >,
): void {
  prepared(
    db,
    `INSERT INTO export_requests (id, title, type, format, status, filters, case_id, include_evidence, include_audit_trail,
          masking, purpose, recipient, due_at, requested_by, requested_at, decided_by, decided_at, decision_note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.title,
    r.type,
    r.format,
    r.status,
    r.filters,
    r.case_id,
    r.include_evidence,
    r.include_audit_trail,
    r.masking,
    r.purpose,
    r.recipient,
    r.due_at,
    r.requested_by,
    r.requested_at,
    r.decided_by,
    r.decided_at,
    r.decision_note,
  );
}

/** pending → approved or rejected. */
export function setExportDecided(db: Db, id: string, status: 'approved' | 'rejected', by: string, at: string, note: string): void {
  prepared<[string, string, string, string, string]>(db, 'UPDATE export_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?').run(
    status,
    by,
    at,
    note,
    id,
  );
}

/** approved → executed, with the file written and the checkpoint it was cut at. */
export function setExportExecuted(
  db: Db,
  id: string,
  e: { by: string; at: string; outputPath: string; sha256: string; bytes: number; rows: number; checkpointSize: number },
): void {
  prepared(
    db,
    `UPDATE export_requests SET status = 'executed', executed_by = ?, executed_at = ?, output_path = ?, sha256 = ?, bytes = ?, rows = ?, checkpoint_size = ?, error = NULL WHERE id = ?`,
  ).run(e.by, e.at, e.outputPath, e.sha256, e.bytes, e.rows, e.checkpointSize, id);
}

/** → failed, with why. */
export function setExportFailed(db: Db, id: string, error: string): void {
  prepared<[string, string]>(db, "UPDATE export_requests SET status = 'failed', error = ? WHERE id = ?").run(error, id);
}

/** The ids of the export requests made for a case. */
export function exportRequestIdsOfCase(db: Db, caseId: string): string[] {
  return prepared<[string], { id: string }>(db, 'SELECT id FROM export_requests WHERE case_id = ?')
    .all(caseId)
    .map((r) => r.id);
}

/** Id, student id, name and email of each subject who opted out of directory information. */
export function optedOutSubjectRows(db: Db): Record<string, string | null>[] {
  return prepared<[], Record<string, string | null>>(db, 'SELECT id, external_id, display_name, email FROM subjects WHERE directory_opt_out = 1').all();
}

// ---- what an export covers

const EVENT_COLUMNS = 'seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash';

/** The scope of an export: its filters, its case (with the case's events as caseScope selects them) and the last ledger seq it may show. */
export interface ExportScope {
  filters: LedgerFilter;
  caseId: string | null;
  caseEvents: Condition | null;
  throughSeq: number;
}

export interface Condition {
  sql: string;
  params: (string | number)[];
}

/**
 * `seqColumn` is '+seq' where the seq bound must not drive the plan: a count bounded only by seq
 * then scans the smallest covering index instead of every (much larger, encrypted) table page.
 */
function eventCondition(db: Db, scope: ExportScope, seqColumn: 'seq' | '+seq' = 'seq'): Condition {
  // Events pruned under the audit-log policy have no body to export.
  const { where, params } = filterSql(scope.filters, prunedThrough(db));
  const clauses = where ? [where.replace(/^WHERE /, '')] : [];
  const all = [...params];
  if (scope.caseEvents) {
    clauses.push(scope.caseEvents.sql);
    all.push(...scope.caseEvents.params);
  }
  clauses.push(`${seqColumn} <= ?`);
  all.push(scope.throughSeq);
  return { sql: clauses.map((c) => `(${c})`).join(' AND '), params: all };
}

/** How many events the scope holds (one COUNT with the same conditions the export reads with). */
export function countEventRowsInScope(db: Db, scope: ExportScope): number {
  const c = eventCondition(db, scope, '+seq');
  return (prepared<(string | number)[], { n: number }>(db, `SELECT count(*) AS n FROM events WHERE ${c.sql}`).get(...c.params) as { n: number }).n;
}

/** A reader of the scope's events in seq order: each call returns up to `limit` rows after seq `after`. */
export function eventRowsInScope(db: Db, scope: ExportScope): (after: number, limit: number) => EventRow[] {
  const c = eventCondition(db, scope);
  const stmt = prepared<(string | number)[], EventRow>(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE ${c.sql} AND seq > ? ORDER BY seq LIMIT ?`);
  return (after, limit) => stmt.all(...c.params, after, limit);
}

function evidenceCondition(scope: ExportScope): Condition {
  const clauses = ["EXISTS (SELECT 1 FROM custody_events i WHERE i.evidence_id = e.id AND i.kind = 'intake' AND i.ledger_seq <= ?)"];
  const params: (string | number)[] = [scope.throughSeq];
  if (scope.caseId) {
    clauses.push("EXISTS (SELECT 1 FROM case_links l WHERE l.case_id = ? AND l.item_type = 'evidence' AND l.item_id = e.id)");
    params.push(scope.caseId);
  }
  const { from, to } = scope.filters;
  if (from || to) {
    const range = (col: string): string => [from ? `${col} >= ?` : null, to ? `${col} <= ?` : null].filter((x) => x !== null).join(' AND ');
    const bounds = [...(from ? [from] : []), ...(to ? [upperTimeBound(to)] : [])];
    clauses.push(
      `((${range('e.collected_at')}) OR EXISTS (SELECT 1 FROM custody_events t WHERE t.evidence_id = e.id AND t.kind = 'transfer' AND t.ledger_seq <= ? AND ${range('t.at')}))`,
    );
    params.push(...bounds, scope.throughSeq, ...bounds);
  }
  return { sql: clauses.join(' AND '), params };
}

/** How many evidence items the scope holds, and how many custody entries they have up to the checkpoint. */
export function countEvidenceRowsInScope(db: Db, scope: ExportScope): { items: number; entries: number } {
  const c = evidenceCondition(scope);
  return prepared<(string | number)[], { items: number; entries: number }>(
    db,
    `SELECT count(*) AS items,
              coalesce(sum((SELECT count(*) FROM custody_events x WHERE x.evidence_id = e.id AND x.ledger_seq <= ?)), 0) AS entries
       FROM evidence e WHERE ${c.sql}`,
  ).get(scope.throughSeq, ...c.params) as { items: number; entries: number };
}

/** What the register shows of an evidence item, as stored (status, custodian and location before replay). */
export interface ScopeEvidenceItemRow {
  id: string;
  title: string;
  description: string;
  source: string;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  collected_by: string;
  collected_at: string;
  status: ExportEvidenceItem['status'];
  integrity: ExportEvidenceItem['integrity'];
  last_verified_at: string | null;
  custodian: string;
  location: string;
}

/** A custody entry as the register shows it. */
export interface ScopeCustodyRow {
  kind: ExportCustodyEntry['kind'];
  from_party: string | null;
  to_party: string | null;
  purpose: string;
  location: string;
  at: string;
  recorded_by: string;
  ledger_seq: number;
}

/** A reader of the scope's evidence items in id order: each call returns up to `limit` items after id `after`. */
export function evidenceRowsInScope(db: Db, scope: ExportScope): (after: string, limit: number) => ScopeEvidenceItemRow[] {
  const c = evidenceCondition(scope);
  const stmt = prepared<(string | number)[], ScopeEvidenceItemRow>(
    db,
    `SELECT id, title, description, source, original_name, media_type, size_bytes, sha256, collected_by, collected_at, status, integrity,
            last_verified_at, custodian, location
     FROM evidence e WHERE ${c.sql} AND e.id > ? ORDER BY e.id LIMIT ?`,
  );
  return (after, limit) => stmt.all(...c.params, after, limit);
}

/** An item's chain of custody up to ledger seq `throughSeq`, in order. */
export function custodyRowsThrough(db: Db, evidenceId: string, throughSeq: number): ScopeCustodyRow[] {
  return prepared<[string, number], ScopeCustodyRow>(
    db,
    'SELECT kind, from_party, to_party, purpose, location, at, recorded_by, ledger_seq FROM custody_events WHERE evidence_id = ? AND ledger_seq <= ? ORDER BY id',
  ).all(evidenceId, throughSeq);
}
