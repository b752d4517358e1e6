import type { BundleSummary, FindingSeverity, ImportSummary } from '../../../shared/contract/bundles.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { LedgerEvent, Outcome, VerificationReport } from '../../../shared/ledger-types.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
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
  const row = prepared<[number], ImportRow>(db, 'SELECT * FROM imports WHERE id = ?').get(id);
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
  return prepared<[], SourceRow>(db, 'SELECT * FROM import_sources ORDER BY workspace_name, workspace_id').all();
}

export function findSource(db: Db, workspaceId: string): SourceRow | undefined {
  return prepared<[string], SourceRow>(db, 'SELECT * FROM import_sources WHERE workspace_id = ?').get(workspaceId);
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
    ? prepared<(string | number)[], EventRow>(db, `SELECT ${COLUMNS} FROM imported_events ${where} AND seq < ? ORDER BY seq DESC LIMIT ?`).all(...params, f.beforeSeq, limit)
    : prepared<(string | number)[], EventRow>(db, `SELECT ${COLUMNS} FROM imported_events ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, limit, f.offset ?? 0);
  let total: number | null = null;
  if (f.withTotal) {
    const unfiltered = where === 'WHERE import_id = ?';
    total = unfiltered ? imp.event_count : (prepared<(string | number)[], { n: number }>(db, `SELECT count(*) AS n FROM imported_events ${where}`).get(...params) as { n: number }).n;
  }
  return { events: rows.map(rowToEvent), total };
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
  const perDay = prepared<(string | number)[], { day: string; success: number; denied: number; failure: number }>(
    db,
    `SELECT substr(ts, 1, 10) AS day,
              sum(outcome = 'success') AS success, sum(outcome = 'denied') AS denied, sum(outcome = 'failure') AS failure
       FROM imported_events ${where} GROUP BY day ORDER BY day`,
  ).all(...params);
  const byActor = prepared<(string | number)[], { actor: string; count: number }>(
    db,
    `SELECT actor, count(*) AS count FROM imported_events ${where} GROUP BY actor ORDER BY count DESC, actor LIMIT ?`,
  ).all(...params, top);
  const byAction = prepared<(string | number)[], { action: string; count: number }>(
    db,
    `SELECT action, count(*) AS count FROM imported_events ${where} GROUP BY action ORDER BY count DESC, action LIMIT ?`,
  ).all(...params, top);
  const byOutcome = prepared<(string | number)[], { outcome: Outcome; count: number }>(
    db,
    `SELECT outcome, count(*) AS count FROM imported_events ${where} GROUP BY outcome ORDER BY outcome`,
  ).all(...params);
  const total = byOutcome.reduce((n, r) => n + r.count, 0);
  return { total, perDay, byActor, byAction, byOutcome };
}

/** Recent rejected imports, from the ledger (a rejection leaves nothing else behind); an import the user cancelled, or one waiting for a person to confirm its key, was not rejected. */
export function recentRejections(db: Db, limit = 20): { seq: number; ts: string; actor: string; fileName: string | null; reason: string }[] {
  const rows = prepared<[number], { seq: number; ts: string; actor: string; details: string }>(
    db,
    `SELECT seq, ts, actor, details FROM events
       WHERE action = 'imports.run' AND outcome = 'failure' AND coalesce(json_extract(details, '$.code'), '') NOT IN ('cancelled', 'confirmation_required')
       ORDER BY seq DESC LIMIT ?`,
  ).all(limit);
  return rows.map((r) => {
    const d = JSON.parse(r.details) as { reason?: unknown; message?: unknown; file_name?: unknown };
    const reason = typeof d.reason === 'string' ? d.reason : typeof d.message === 'string' ? d.message : 'The import did not complete.';
    return { seq: r.seq, ts: r.ts, actor: r.actor, fileName: typeof d.file_name === 'string' ? d.file_name : null, reason };
  });
}

// ---- findings of a review

/** An import_findings row as stored. */
export interface FindingRow {
  id: number;
  import_id: number;
  seq: number | null;
  severity: FindingSeverity;
  title: string;
  note: string;
  created_at: string;
  created_by: string;
}

/** An import's findings, oldest first. */
export function findingRowsOfImport(db: Db, importId: number): FindingRow[] {
  return prepared<[number], FindingRow>(db, 'SELECT * FROM import_findings WHERE import_id = ? ORDER BY id').all(importId);
}

/** One finding (it must exist). */
export function findingRow(db: Db, id: number): FindingRow {
  return prepared<[number], FindingRow>(db, 'SELECT * FROM import_findings WHERE id = ?').get(id) as FindingRow;
}

/** True when the import holds an event with this seq. */
export function importedEventExists(db: Db, importId: number, seq: number): boolean {
  return prepared<[number, number]>(db, 'SELECT 1 FROM imported_events WHERE import_id = ? AND seq = ?').get(importId, seq) !== undefined;
}

/** Inserts a finding; returns its id. */
export function insertFindingRow(db: Db, f: Omit<FindingRow, 'id'>): number {
  const r = prepared<[number, number | null, string, string, string, string, string]>(
    db,
    'INSERT INTO import_findings (import_id, seq, severity, title, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(f.import_id, f.seq, f.severity, f.title, f.note, f.created_at, f.created_by);
  return Number(r.lastInsertRowid);
}

/** The first accepted import of a source with this key recorded at `at` (the one that pinned it), or null. */
export function firstImportWithKeyAt(db: Db, workspaceId: string, keyId: string, at: string): number | null {
  return (
    prepared<[string, string, string], { id: number | null }>(
      db,
      "SELECT min(id) AS id FROM imports WHERE source_workspace_id = ? AND key_id = ? AND imported_at = ? AND status <> 'verifying'",
    ).get(workspaceId, keyId, at) as { id: number | null }
  ).id;
}

// ---- pinned keys and their revocations

/** An import_pin_revocations row as stored. */
export interface RevocationRow extends SourceRow {
  id: number;
  revoked_at: string;
  revoked_by: string;
  reason: string;
}

/** Revoked pins, newest first. */
export function revocationRows(db: Db): RevocationRow[] {
  return prepared<[], RevocationRow>(db, 'SELECT * FROM import_pin_revocations ORDER BY id DESC').all();
}

/** One revocation (it must exist). */
export function revocationRow(db: Db, id: number): RevocationRow {
  return prepared<[number], RevocationRow>(db, 'SELECT * FROM import_pin_revocations WHERE id = ?').get(id) as RevocationRow;
}

/** Records the revocation of a source's pin (the pin itself: `deleteSource`); returns its id. */
export function insertRevocationRow(db: Db, source: SourceRow, revokedAt: string, revokedBy: string, reason: string): number {
  const r = prepared(
    db,
    `INSERT INTO import_pin_revocations (workspace_id, workspace_name, key_id, public_key_pem, pinned_at, pinned_by, revoked_at, revoked_by, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(source.workspace_id, source.workspace_name, source.key_id, source.public_key_pem, source.pinned_at, source.pinned_by, revokedAt, revokedBy, reason);
  return Number(r.lastInsertRowid);
}

/** Removes a source's pinned key. */
export function deleteSource(db: Db, workspaceId: string): void {
  prepared<[string]>(db, 'DELETE FROM import_sources WHERE workspace_id = ?').run(workspaceId);
}

// ---- staging, accepting and reviewing an import

/** Stages an import (status 'verifying', invisible to review) from what its bundle says; returns its id. */
export function insertStagedImport(db: Db, b: BundleSummary, fileName: string, importedAt: string, importedBy: string): number {
  const r = prepared(
    db,
    `INSERT INTO imports (status, source_workspace_id, source_workspace_name, key_id, public_key_pem, file_name, file_sha256, file_bytes,
         manifest, manifest_sig, bundle_created_at, bundle_created_by, scope, complete, tree_size, tree_root, checkpoint_ts, imported_at, imported_by)
       VALUES ('verifying', ?, ?, ?, '', ?, ?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    b.workspaceId,
    b.workspaceName,
    b.keyId,
    fileName,
    b.fileSha256,
    b.fileBytes,
    b.createdAt,
    b.createdBy,
    JSON.stringify({ case: b.caseId, filters: b.filters }),
    b.complete ? 1 : 0,
    b.treeSize,
    b.root,
    b.checkpointTs,
    importedAt,
    importedBy,
  );
  return Number(r.lastInsertRowid);
}

/** Stages one event of an import (`details` already serialised). */
export function insertImportedEvent(db: Db, importId: number, e: Omit<EventRow, 'details'>, details: string): void {
  prepared(
    db,
    `INSERT INTO imported_events (import_id, seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(importId, e.seq, e.ts, e.actor, e.action, e.resource_type, e.resource_id, e.outcome, details, e.prev_hash, e.hash);
}

/** Deletes an import and its events. */
export function deleteImport(db: Db, id: number): void {
  prepared<[number]>(db, 'DELETE FROM imported_events WHERE import_id = ?').run(id);
  prepared<[number]>(db, 'DELETE FROM imports WHERE id = ?').run(id);
}

/** The ids of every staged ('verifying') import. */
export function stagedImportIds(db: Db): number[] {
  return prepared<[], { id: number }>(db, "SELECT id FROM imports WHERE status = 'verifying'")
    .all()
    .map((r) => r.id);
}

/** Pins a source workspace's key. */
export function insertSource(db: Db, s: SourceRow): void {
  prepared(db, 'INSERT INTO import_sources (workspace_id, workspace_name, key_id, public_key_pem, pinned_at, pinned_by) VALUES (?, ?, ?, ?, ?, ?)').run(
    s.workspace_id,
    s.workspace_name,
    s.key_id,
    s.public_key_pem,
    s.pinned_at,
    s.pinned_by,
  );
}

/** verifying → verified, with what verification established. */
export function setImportVerified(
  db: Db,
  id: number,
  v: Pick<ImportRow, 'public_key_pem' | 'manifest' | 'manifest_sig' | 'consistency' | 'event_count' | 'first_ts' | 'last_ts' | 'report' | 'imported_at' | 'warnings'>,
): void {
  prepared(
    db,
    `UPDATE imports SET status = 'verified', public_key_pem = ?, manifest = ?, manifest_sig = ?, consistency = ?,
       event_count = ?, first_ts = ?, last_ts = ?, report = ?, imported_at = ?, warnings = ?
     WHERE id = ?`,
  ).run(v.public_key_pem, v.manifest, v.manifest_sig, v.consistency, v.event_count, v.first_ts, v.last_ts, v.report, v.imported_at, v.warnings, id);
}

/** verified → reviewed. */
export function setImportReviewed(db: Db, id: number, at: string, by: string, note: string | null): void {
  prepared<[string, string, string | null, number]>(db, "UPDATE imports SET status = 'reviewed', reviewed_at = ?, reviewed_by = ?, review_note = ? WHERE id = ?").run(
    at,
    by,
    note,
    id,
  );
}

/** The first accepted import of a file with this SHA-256, or undefined. */
export function acceptedImportOfFile(db: Db, fileSha256: string): { id: number; imported_at: string } | undefined {
  return prepared<[string], { id: number; imported_at: string }>(db, "SELECT id, imported_at FROM imports WHERE file_sha256 = ? AND status <> 'verifying' ORDER BY id LIMIT 1").get(
    fileSha256,
  );
}

/** What an earlier accepted import of a source under a key says of that source's history. */
export interface PriorImportRow {
  id: number;
  tree_size: number;
  tree_root: string;
  imported_at: string;
  consistency: string;
}

/** The accepted imports of a source signed by a key, largest tree head first. */
export function priorImportsOfSource(db: Db, workspaceId: string, keyId: string): PriorImportRow[] {
  return prepared<[string, string], PriorImportRow>(
    db,
    "SELECT id, tree_size, tree_root, imported_at, consistency FROM imports WHERE source_workspace_id = ? AND key_id = ? AND status <> 'verifying' ORDER BY tree_size DESC, id",
  ).all(workspaceId, keyId);
}
