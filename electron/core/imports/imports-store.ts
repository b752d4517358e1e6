import type { ImportSummary } from '../../../shared/contract/bundles.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { LedgerEvent, Outcome, VerificationReport } from '../../../shared/ledger-types.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import type { Db } from '../db/open.js';
import { likePattern } from '../domain/like.js';
import { CustosError } from '../errors.js';
import { rowToEvent, type EventRow } from '../ledger/ledger.js';
import { filterSql } from '../ledger/query.js';
import type { ConsistencyEntry } from '../bundle/format.js';
import { fingerprint } from '../bundle/format.js';

/** A row of the imports table. */
export interface ImportRow {
  id: number;
  status: 'verifying' | 'verified' | 'reviewed';
  source_workspace_id: string;
  source_workspace_name: string;
  key_id: string;
  public_key_pem: string;
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  manifest: string;
  manifest_sig: string;
  bundle_created_at: string;
  bundle_created_by: string;
  scope: string;
  complete: number;
  tree_size: number;
  tree_root: string;
  checkpoint_ts: string;
  consistency: string;
  event_count: number;
  first_ts: string | null;
  last_ts: string | null;
  report: string | null;
  imported_at: string;
  imported_by: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
  /** JSON array of warnings raised when it arrived. */
  warnings: string;
}

export interface SourceRow {
  workspace_id: string;
  workspace_name: string;
  key_id: string;
  public_key_pem: string;
  pinned_at: string;
  pinned_by: string;
}

/** The API shape of an import. */
export function toImportSummary(r: ImportRow): ImportSummary {
  const scope = JSON.parse(r.scope) as { case: string | null; filters: Record<string, unknown> };
  return {
    id: r.id,
    status: r.status,
    sourceWorkspaceId: r.source_workspace_id,
    sourceWorkspaceName: r.source_workspace_name,
    keyId: r.key_id,
    fingerprint: fingerprint(r.key_id),
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    fileBytes: r.file_bytes,
    bundleCreatedAt: r.bundle_created_at,
    bundleCreatedBy: r.bundle_created_by,
    complete: r.complete === 1,
    caseId: scope.case,
    filters: scope.filters,
    treeSize: r.tree_size,
    root: r.tree_root,
    checkpointTs: r.checkpoint_ts,
    events: r.event_count,
    firstTs: r.first_ts,
    lastTs: r.last_ts,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewed_by,
    reviewNote: r.review_note,
    warnings: JSON.parse(r.warnings ?? '[]') as string[],
  };
}

const IMPORT_LIST: ListSource = {
  select: 'SELECT * FROM imports',
  from: 'FROM imports',
  sorts: { id: 'id', imported_at: 'imported_at', status: 'status' },
  tiebreak: 'id',
};

/**
 * A page of imports (newest first by default) and the total. Staged imports show as 'verifying'
 * only while `running` (their verification in progress) names them; a search matches the source's
 * name, the file name or the source workspace id.
 */
export function listImports(db: Db, q: PageQuery & { search?: string | undefined }, running: readonly number[]): { rows: ImportRow[]; total: number } {
  const conds = [`(status <> 'verifying' OR id IN (${running.map(() => '?').join(', ') || 'NULL'}))`];
  const params: unknown[] = [...running];
  if (q.search) {
    conds.push("(source_workspace_name LIKE ? ESCAPE '\\' OR file_name LIKE ? ESCAPE '\\' OR source_workspace_id LIKE ? ESCAPE '\\')");
    const like = likePattern(q.search);
    params.push(like, like, like);
  }
  return listPage<ImportRow>(db, IMPORT_LIST, { conds, params }, q);
}

/** One import; throws not_found. */
export function getImport(db: Db, id: number): ImportRow {
  const row = db.prepare('SELECT * FROM imports WHERE id = ?').get(id) as ImportRow | undefined;
  if (!row) throw new CustosError('not_found', `There is no imported bundle number ${id}.`, { resourceType: 'import', resourceId: String(id) });
  return row;
}

/** An import whose events may be read: fully verified. */
export function readableImport(db: Db, id: number): ImportRow {
  const row = getImport(db, id);
  if (row.status === 'verifying') {
    throw new CustosError('conflict', `Imported bundle ${id} is still being verified; its events can be read once it is verified.`);
  }
  return row;
}

export function listSources(db: Db): SourceRow[] {
  return db.prepare('SELECT * FROM import_sources ORDER BY workspace_name, workspace_id').all() as SourceRow[];
}

export function findSource(db: Db, workspaceId: string): SourceRow | undefined {
  return db.prepare('SELECT * FROM import_sources WHERE workspace_id = ?').get(workspaceId) as SourceRow | undefined;
}

/** The report stored with an import. */
export function storedReport(r: ImportRow): VerificationReport {
  if (!r.report) throw new CustosError('conflict', `Imported bundle ${r.id} has no verification report yet.`);
  return JSON.parse(r.report) as VerificationReport;
}

export function storedConsistency(r: Pick<ImportRow, 'consistency'>): ConsistencyEntry[] {
  return JSON.parse(r.consistency) as ConsistencyEntry[];
}

const COLUMNS = 'seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash';

/** The ledger filter as a condition on imported_events (same columns as events), ANDed after import_id. */
function importFilter(importId: number, f: LedgerFilter): { where: string; params: (string | number)[] } {
  const { where, params } = filterSql(f);
  return {
    where: `WHERE import_id = ?${where ? ` AND ${where.replace(/^WHERE /, '')}` : ''}`,
    params: [importId, ...params],
  };
}

/** A page of an import's events, newest first, like ledger.query. */
export function queryImportedEvents(
  db: Db,
  importId: number,
  f: LedgerFilter & { beforeSeq?: number; offset?: number; limit: number; withTotal?: boolean },
): { events: LedgerEvent[]; total: number | null } {
  const imp = readableImport(db, importId);
  const limit = Math.min(f.limit, 500);
  const { where, params } = importFilter(importId, f);
  const rows = f.beforeSeq
    ? db.prepare(`SELECT ${COLUMNS} FROM imported_events ${where} AND seq < ? ORDER BY seq DESC LIMIT ?`).all(...params, f.beforeSeq, limit)
    : db.prepare(`SELECT ${COLUMNS} FROM imported_events ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, limit, f.offset ?? 0);
  let total: number | null = null;
  if (f.withTotal) {
    const unfiltered = where === 'WHERE import_id = ?';
    total = unfiltered ? imp.event_count : (db.prepare(`SELECT count(*) AS n FROM imported_events ${where}`).get(...params) as { n: number }).n;
  }
  return { events: (rows as EventRow[]).map(rowToEvent), total };
}

/** Counts for the review charts: per day by outcome, top actors, top actions, per outcome. */
export function importStats(
  db: Db,
  importId: number,
  f: LedgerFilter,
  top: number,
): {
  total: number;
  perDay: { day: string; success: number; denied: number; failure: number }[];
  byActor: { actor: string; count: number }[];
  byAction: { action: string; count: number }[];
  byOutcome: { outcome: Outcome; count: number }[];
} {
  readableImport(db, importId);
  const { where, params } = importFilter(importId, f);
  const perDay = db
    .prepare(
      `SELECT substr(ts, 1, 10) AS day,
              sum(outcome = 'success') AS success, sum(outcome = 'denied') AS denied, sum(outcome = 'failure') AS failure
       FROM imported_events ${where} GROUP BY day ORDER BY day`,
    )
    .all(...params) as { day: string; success: number; denied: number; failure: number }[];
  const byActor = db
    .prepare(`SELECT actor, count(*) AS count FROM imported_events ${where} GROUP BY actor ORDER BY count DESC, actor LIMIT ?`)
    .all(...params, top) as { actor: string; count: number }[];
  const byAction = db
    .prepare(`SELECT action, count(*) AS count FROM imported_events ${where} GROUP BY action ORDER BY count DESC, action LIMIT ?`)
    .all(...params, top) as { action: string; count: number }[];
  const byOutcome = db
    .prepare(`SELECT outcome, count(*) AS count FROM imported_events ${where} GROUP BY outcome ORDER BY outcome`)
    .all(...params) as { outcome: Outcome; count: number }[];
  const total = byOutcome.reduce((n, r) => n + r.count, 0);
  return { total, perDay, byActor, byAction, byOutcome };
}

/** Recent rejected imports, from the ledger (a rejection leaves nothing else behind); an import the user cancelled, or one waiting for a person to confirm its key, was not rejected. */
export function recentRejections(db: Db, limit = 20): { seq: number; ts: string; actor: string; fileName: string | null; reason: string }[] {
  const rows = db
    .prepare(
      `SELECT seq, ts, actor, details FROM events
       WHERE action = 'imports.run' AND outcome = 'failure' AND coalesce(json_extract(details, '$.code'), '') NOT IN ('cancelled', 'confirmation_required')
       ORDER BY seq DESC LIMIT ?`,
    )
    .all(limit) as { seq: number; ts: string; actor: string; details: string }[];
  return rows.map((r) => {
    const d = JSON.parse(r.details) as { reason?: unknown; message?: unknown; file_name?: unknown };
    const reason = typeof d.reason === 'string' ? d.reason : typeof d.message === 'string' ? d.message : 'The import did not complete.';
    return { seq: r.seq, ts: r.ts, actor: r.actor, fileName: typeof d.file_name === 'string' ? d.file_name : null, reason };
  });
}
