import type { NoticeExemptionGround, ProductionFile, SubpoenaState, SubpoenaType } from '../../../shared/contract/subpoenas.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of subpoenas, their scope, and their productions (with the Bates counters and what a
// production reads of amendments and disclosures). Each statement is prepared once per connection
// (db/statements.ts). The retained copies of productions are files: retained-store.ts.

/** A subpoenas row with its subject's name. */
export interface SubpoenaRow {
  id: string;
  case_id: string | null;
  subject_id: string;
  subject_name: string;
  issuer: string;
  court: string;
  docket: string;
  type: SubpoenaType;
  requested_records: string;
  state: SubpoenaState;
  served_at: string;
  due_at: string;
  notice_due_at: string;
  received_at: string;
  received_by: string;
  verified_at: string | null;
  verified_by: string | null;
  verified_with: string | null;
  verification_note: string | null;
  notice_sent_at: string | null;
  notice_method: string | null;
  notice_note: string | null;
  notice_exempt_ground: NoticeExemptionGround | null;
  notice_exempt_reason: string | null;
  nondisclosure_until: string | null;
  scoped_at: string | null;
  scoped_by: string | null;
  produced_at: string | null;
  production_id: string | null;
  closed_at: string | null;
  closed_by: string | null;
  end_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A productions row as stored. */
export interface ProductionRow {
  id: string;
  subpoena_id: string;
  folder: string;
  key_salt: Buffer;
  bates_prefix: string;
  bates_first: number;
  bates_last: number;
  bates_digits: number;
  page_count: number;
  pdf_sha256: string;
  manifest_sha256: string;
  page_hash_definition: string;
  produced_at: string;
  produced_by: string;
}

/** A production_files row as read back. */
export interface ProductionFileRow {
  path: string;
  role: ProductionFile['role'];
  blob_name: string;
  sha256: string;
  bytes: number;
  page: number | null;
  bates: string | null;
  record_id: string | null;
}

const SELECT_SUBPOENA = `SELECT p.*, s.display_name AS subject_name FROM subpoenas p JOIN subjects s ON s.id = p.subject_id`;

// ---- subpoenas

/** The subpoena with its subject's name, or undefined. */
export function findSubpoenaRow(db: Db, id: string): SubpoenaRow | undefined {
  return prepared<[string], SubpoenaRow>(db, `${SELECT_SUBPOENA} WHERE p.id = ?`).get(id);
}

/** The records a subpoena's scope names, in scope order. */
export function scopeRecordsOfSubpoena(db: Db, id: string): { id: string; title: string; category: string }[] {
  return prepared<[string], { id: string; title: string; category: string }>(
    db,
    `SELECT r.id, r.title, r.category FROM subpoena_scope sc JOIN records r ON r.id = sc.record_id
       WHERE sc.subpoena_id = ? ORDER BY sc.position`,
  ).all(id);
}

/** Replaces a subpoena's scope with these records, in this order. */
export function setSubpoenaScope(db: Db, id: string, recordIds: readonly string[]): void {
  prepared<[string]>(db, 'DELETE FROM subpoena_scope WHERE subpoena_id = ?').run(id);
  const add = prepared<[string, string, number]>(db, 'INSERT INTO subpoena_scope (subpoena_id, record_id, position) VALUES (?, ?, ?)');
  recordIds.forEach((recordId, i) => add.run(id, recordId, i));
}

const SUBPOENA_LIST: ListSource = {
  select: SELECT_SUBPOENA,
  from: 'FROM subpoenas p JOIN subjects s ON s.id = p.subject_id',
  sorts: { served_at: 'p.served_at', due_at: 'p.due_at', id: 'p.id', state: 'p.state' },
  tiebreak: 'p.id',
};

/** The filters, sort and page of a subpoena list. */
export type SubpoenaQuery = PageQuery & { state?: SubpoenaState | undefined; type?: SubpoenaType | undefined; subjectId?: string | undefined; search?: string | undefined };

/** A page of subpoena rows with the total. */
export function subpoenaRowsPage(db: Db, f: SubpoenaQuery): { rows: SubpoenaRow[]; total: number } {
  const where = namedWhere(
    [
      ['p.state = @state', 'state', f.state],
      ['p.type = @type', 'type', f.type],
      ['p.subject_id = @subject', 'subject', f.subjectId],
    ],
    { text: f.search, columns: ['p.id', 'p.issuer', 'p.court', 'p.docket', 's.display_name', 'p.subject_id'] },
  );
  return listPage<SubpoenaRow>(db, SUBPOENA_LIST, where, f);
}

/** Inserts a subpoena in state `received`. */
export function insertReceivedSubpoena(
  db: Db,
  s: {
    id: string;
    caseId: string | null;
    subjectId: string;
    issuer: string;
    court: string;
    docket: string;
    type: SubpoenaType;
    requestedRecords: string;
    servedAt: string;
    dueAt: string;
    noticeDueAt: string;
    actor: string;
    at: string;
  },
): void {
  prepared(
    db,
    `INSERT INTO subpoenas (id, case_id, subject_id, issuer, court, docket, type, requested_records, state, served_at, due_at,
           notice_due_at, received_at, received_by, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.id, s.caseId, s.subjectId, s.issuer, s.court, s.docket, s.type, s.requestedRecords, s.servedAt, s.dueAt, s.noticeDueAt, s.at, s.actor, s.actor, s.at, s.at);
}

/** scoped → produced, naming the production. */
export function setSubpoenaProduced(db: Db, id: string, productionId: string, at: string): void {
  prepared<[string, string, string, string]>(db, "UPDATE subpoenas SET state = 'produced', produced_at = ?, production_id = ?, updated_at = ? WHERE id = ?").run(
    at,
    productionId,
    at,
    id,
  );
}

// ---- Bates counters

/** The next Bates number under a prefix, or undefined when the prefix was never used. */
export function nextBatesNumber(db: Db, prefix: string): number | undefined {
  return prepared<[string], { next: number }>(db, 'SELECT next FROM bates_counters WHERE prefix = ?').get(prefix)?.next;
}

/** Moves a prefix's counter from `from` to `to`; false when it had moved already (another production took those numbers). */
export function advanceBatesCounter(db: Db, prefix: string, from: number, to: number): boolean {
  const moved = prepared<[string, number, number]>(
    db,
    'INSERT INTO bates_counters (prefix, next) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET next = excluded.next WHERE next = ?',
  ).run(prefix, to, from);
  return moved.changes === 1;
}

// ---- productions and their files

/** Inserts a production. */
export function insertProductionRow(db: Db, p: ProductionRow): void {
  prepared(
    db,
    `INSERT INTO productions (id, subpoena_id, folder, key_salt, bates_prefix, bates_first, bates_last, bates_digits, page_count,
               pdf_sha256, manifest_sha256, page_hash_definition, produced_at, produced_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.id,
    p.subpoena_id,
    p.folder,
    p.key_salt,
    p.bates_prefix,
    p.bates_first,
    p.bates_last,
    p.bates_digits,
    p.page_count,
    p.pdf_sha256,
    p.manifest_sha256,
    p.page_hash_definition,
    p.produced_at,
    p.produced_by,
  );
}

/** Inserts one file of a production. */
export function insertProductionFileRow(db: Db, productionId: string, f: Omit<ProductionFileRow, 'blob_name'> & { blob_name: string | undefined }): void {
  prepared(
    db,
    `INSERT INTO production_files (production_id, path, role, blob_name, sha256, bytes, page, bates, record_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(productionId, f.path, f.role, f.blob_name, f.sha256, f.bytes, f.page, f.bates, f.record_id);
}

/** The production row, or undefined. */
export function findProductionRow(db: Db, id: string): ProductionRow | undefined {
  return prepared<[string], ProductionRow>(db, 'SELECT * FROM productions WHERE id = ?').get(id);
}

/** The files of a production: the combined PDF, the pages in order, the manifest, then the rest by path. */
export function fileRowsOfProduction(db: Db, id: string): ProductionFileRow[] {
  return prepared<[string], ProductionFileRow>(
    db,
    `SELECT path, role, blob_name, sha256, bytes, page, bates, record_id FROM production_files WHERE production_id = ?
       ORDER BY CASE role WHEN 'combined' THEN 0 WHEN 'page' THEN 1 WHEN 'manifest' THEN 2 ELSE 3 END, page, path`,
  ).all(id);
}

/** The id of the disclosure a production made, or undefined. */
export function disclosureIdOfProduction(db: Db, productionId: string): string | undefined {
  return prepared<[string], { id: string }>(db, 'SELECT id FROM disclosures WHERE production_id = ? ORDER BY id LIMIT 1').get(productionId)?.id;
}

// ---- what a production reads of amendments

/** A statement of disagreement's date and text. */
export function statementTextRow(db: Db, id: string): { id: string; filedAt: string; text: string } {
  return prepared<[string], { id: string; filedAt: string; text: string }>(db, 'SELECT id, filed_at AS filedAt, text FROM amendment_statements WHERE id = ?').get(
    id,
  ) as { id: string; filedAt: string; text: string };
}

/** The amendments that stand on a record (decided to amend, by decision or hearing), oldest first. */
export function standingAmendmentsOfRecord(db: Db, recordId: string): { id: string; decidedAt: string; text: string }[] {
  return prepared<[string], { id: string; decidedAt: string; text: string }>(
    db,
    `SELECT id, COALESCE(hearing_decided_at, decided_at) AS decidedAt, amendment_text AS text FROM amendment_requests
       WHERE record_id = ? AND amendment_text IS NOT NULL AND (hearing_outcome = 'amended' OR (decision = 'amended' AND hearing_outcome IS NULL))
       ORDER BY decidedAt, id`,
  ).all(recordId);
}
