import type { Custodian, Notice } from '../../../shared/contract/holds.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import { likePattern } from '../domain/like.js';

// The SQL of legal holds, their custodians and notices, and the reads of other tables a hold's
// scope needs (records, evidence, subjects, case links). Each statement is prepared once per connection.

/** A legal_holds row as stored. */
export interface HoldRow {
  id: string;
  case_id: string;
  title: string;
  description: string;
  status: 'draft' | 'active' | 'released';
  categories: string;
  keywords: string;
  date_from: string | null;
  date_to: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  activated_at: string | null;
  activated_by: string | null;
  released_at: string | null;
  released_by: string | null;
  release_reason: string | null;
}

/** A hold_custodians row as stored. */
export interface CustodianRow {
  id: string;
  hold_id: string;
  name: string;
  email: string;
  notice_status: Custodian['noticeStatus'];
  sent_at: string | null;
  last_notice_at: string | null;
  reminders: number;
  acknowledged_at: string | null;
  ack_method: string | null;
  escalated_at: string | null;
  escalated_to: string | null;
  release_notified_at: string | null;
}

/** A hold_notices row with its custodian's name. */
export interface NoticeRow {
  id: string;
  hold_id: string;
  custodian_id: string;
  custodian_name: string;
  kind: Notice['kind'];
  body: string;
  issued_by: string;
  issued_at: string;
}

/** What the scope matching reads of a record. */
export interface ScopeRecordRow {
  subject_id: string;
  category: string;
  title: string;
  content: string | null;
  record_date: string;
}

/** What the scope matching reads of an evidence item. */
export interface ScopeEvidenceRow {
  title: string;
  description: string;
  original_name: string;
  source: string;
  collected_by: string;
  custodian: string;
  collected_at: string;
}

// ---- legal_holds

/** The hold row, or undefined. */
export function findHoldRow(db: Db, id: string): HoldRow | undefined {
  return prepared<[string], HoldRow>(db, 'SELECT * FROM legal_holds WHERE id = ?').get(id);
}

/** A case's holds, active first, then drafts, then released, each by id. */
export function holdSummariesOfCase(db: Db, caseId: string): { id: string; title: string; caseId: string; status: HoldRow['status'] }[] {
  return prepared<[string], { id: string; title: string; caseId: string; status: HoldRow['status'] }>(
    db,
    "SELECT id, title, case_id AS caseId, status FROM legal_holds WHERE case_id = ? ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, id",
  ).all(caseId);
}

/** Every active hold, by id. */
export function activeHoldRows(db: Db): HoldRow[] {
  return prepared<[], HoldRow>(db, "SELECT * FROM legal_holds WHERE status = 'active' ORDER BY id").all();
}

/** The subjects a hold's scope names, by id. */
export function subjectIdsOfHold(db: Db, holdId: string): string[] {
  return prepared<[string], { subject_id: string }>(db, 'SELECT subject_id FROM hold_subjects WHERE hold_id = ? ORDER BY subject_id')
    .all(holdId)
    .map((r) => r.subject_id);
}

/** Name and email of each custodian of a hold, in the order they were added. */
export function custodianContactsOfHold(db: Db, holdId: string): { name: string; email: string }[] {
  return prepared<[string], { name: string; email: string }>(db, 'SELECT name, email FROM hold_custodians WHERE hold_id = ? ORDER BY added_at, id').all(holdId);
}

/** How many custodians of a hold are in each notice status (statuses with none are absent). */
export function noticeStatusCountsOfHold(db: Db, holdId: string): { s: Custodian['noticeStatus']; n: number }[] {
  return prepared<[string], { s: Custodian['noticeStatus']; n: number }>(
    db,
    'SELECT notice_status AS s, count(*) AS n FROM hold_custodians WHERE hold_id = ? GROUP BY notice_status',
  ).all(holdId);
}

/** The title of a case, or undefined. */
export function caseTitle(db: Db, caseId: string): string | undefined {
  return prepared<[string], { title: string }>(db, 'SELECT title FROM cases WHERE id = ?').get(caseId)?.title;
}

/** Inserts a draft hold (its scope columns keep their defaults until `setHoldScope`). */
export function insertDraftHold(db: Db, h: { id: string; caseId: string; title: string; description: string; createdBy: string; at: string }): void {
  prepared<[string, string, string, string, string, string, string]>(
    db,
    `INSERT INTO legal_holds (id, case_id, title, description, status, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)`,
  ).run(h.id, h.caseId, h.title, h.description, h.createdBy, h.at, h.at);
}

/** Writes a hold's scope: categories and keywords (JSON arrays), date range, and named subjects. */
export function setHoldScope(
  db: Db,
  holdId: string,
  s: { categoriesJson: string; keywordsJson: string; dateFrom: string | null; dateTo: string | null; subjectIds: readonly string[] },
): void {
  prepared<[string, string, string | null, string | null, string]>(db, 'UPDATE legal_holds SET categories = ?, keywords = ?, date_from = ?, date_to = ? WHERE id = ?').run(
    s.categoriesJson,
    s.keywordsJson,
    s.dateFrom,
    s.dateTo,
    holdId,
  );
  prepared<[string]>(db, 'DELETE FROM hold_subjects WHERE hold_id = ?').run(holdId);
  const add = prepared<[string, string]>(db, 'INSERT OR IGNORE INTO hold_subjects (hold_id, subject_id) VALUES (?, ?)');
  for (const subjectId of s.subjectIds) add.run(holdId, subjectId);
}

/** Sets a hold's title and description. */
export function setHoldText(db: Db, id: string, title: string, description: string, updatedAt: string): void {
  prepared<[string, string, string, string]>(db, 'UPDATE legal_holds SET title = ?, description = ?, updated_at = ? WHERE id = ?').run(title, description, updatedAt, id);
}

/** Marks a hold changed now. */
export function touchHold(db: Db, id: string, updatedAt: string): void {
  prepared<[string, string]>(db, 'UPDATE legal_holds SET updated_at = ? WHERE id = ?').run(updatedAt, id);
}

/** draft → active. */
export function setHoldActive(db: Db, id: string, actor: string, at: string): void {
  prepared<[string, string, string, string]>(db, "UPDATE legal_holds SET status = 'active', activated_at = ?, activated_by = ?, updated_at = ? WHERE id = ?").run(
    at,
    actor,
    at,
    id,
  );
}

/** active → released. */
export function setHoldReleased(db: Db, id: string, actor: string, reason: string, at: string): void {
  prepared<[string, string, string, string, string]>(
    db,
    "UPDATE legal_holds SET status = 'released', released_at = ?, released_by = ?, release_reason = ?, updated_at = ? WHERE id = ?",
  ).run(at, actor, reason, at, id);
}

const HOLD_LIST: ListSource = {
  select: 'SELECT h.* FROM legal_holds h',
  from: 'FROM legal_holds h',
  sorts: { id: 'h.id', title: 'h.title COLLATE NOCASE', status: 'h.status', created_at: 'h.created_at', updated_at: 'h.updated_at' },
  tiebreak: 'h.id',
};

/** The search, filters, sort and page of a hold list. */
export interface HoldQuery {
  search?: string | undefined;
  status?: readonly HoldRow['status'][] | undefined;
  caseId?: string | undefined;
  sort: string;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** A page of hold rows with the total. */
export function holdRowsPage(
  db: Db,
  q: HoldQuery,
): { rows: HoldRow[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    const like = likePattern(q.search);
    where.push("(h.id LIKE ? ESCAPE '\\' OR h.title LIKE ? ESCAPE '\\' OR h.case_id LIKE ? ESCAPE '\\' OR h.description LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  if (q.status?.length) {
    where.push(`h.status IN (${q.status.map(() => '?').join(', ')})`);
    params.push(...q.status);
  }
  if (q.caseId) {
    where.push('h.case_id = ?');
    params.push(q.caseId);
  }
  return listPage<HoldRow>(db, HOLD_LIST, { conds: where, params }, q);
}

// ---- hold_custodians

/** The custodians of a hold, in the order they were added. */
export function custodianRowsOfHold(db: Db, holdId: string): CustodianRow[] {
  return prepared<[string], CustodianRow>(db, 'SELECT * FROM hold_custodians WHERE hold_id = ? ORDER BY added_at, rowid').all(holdId);
}

/** One custodian of a hold, or undefined. */
export function custodianRowOfHold(db: Db, holdId: string, id: string): CustodianRow | undefined {
  return prepared<[string, string], CustodianRow>(db, 'SELECT * FROM hold_custodians WHERE id = ? AND hold_id = ?').get(id, holdId);
}

/** True when the hold already has a custodian of this name and email (case-insensitively). */
export function custodianExists(db: Db, holdId: string, name: string, email: string): boolean {
  return (
    prepared<[string, string, string]>(db, 'SELECT id FROM hold_custodians WHERE hold_id = ? AND lower(name) = lower(?) AND lower(email) = lower(?)').get(
      holdId,
      name,
      email,
    ) !== undefined
  );
}

/** Inserts a pending custodian. */
export function insertPendingCustodian(db: Db, c: { id: string; holdId: string; name: string; email: string; addedBy: string; addedAt: string }): void {
  prepared<[string, string, string, string, string, string, string]>(
    db,
    'INSERT INTO hold_custodians (id, hold_id, name, email, notice_status, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(c.id, c.holdId, c.name, c.email, 'pending', c.addedBy, c.addedAt);
}

/** pending → sent. */
export function setCustodianSent(db: Db, id: string, at: string): void {
  prepared<[string, string, string]>(db, "UPDATE hold_custodians SET notice_status = 'sent', sent_at = ?, last_notice_at = ? WHERE id = ?").run(at, at, id);
}

/** sent or escalated → acknowledged. */
export function setCustodianAcknowledged(db: Db, id: string, at: string, method: string): void {
  prepared<[string, string, string]>(db, "UPDATE hold_custodians SET notice_status = 'acknowledged', acknowledged_at = ?, ack_method = ? WHERE id = ?").run(at, method, id);
}

/** Counts one more reminder sent now. */
export function addCustodianReminder(db: Db, id: string, at: string): void {
  prepared<[string, string]>(db, 'UPDATE hold_custodians SET last_notice_at = ?, reminders = reminders + 1 WHERE id = ?').run(at, id);
}

/** sent → escalated. */
export function setCustodianEscalated(db: Db, id: string, at: string, to: string): void {
  prepared<[string, string, string]>(db, "UPDATE hold_custodians SET notice_status = 'escalated', escalated_at = ?, escalated_to = ? WHERE id = ?").run(at, to, id);
}

/** Records the release notice sent now. */
export function setCustodianReleaseNotified(db: Db, id: string, at: string): void {
  prepared<[string, string, string]>(db, 'UPDATE hold_custodians SET release_notified_at = ?, last_notice_at = ? WHERE id = ?').run(at, at, id);
}

// ---- hold_notices

/** Appends one notice. */
export function insertNoticeRow(db: Db, n: { id: string; holdId: string; custodianId: string; kind: Notice['kind']; body: string; issuedBy: string; issuedAt: string }): void {
  prepared<[string, string, string, string, string, string, string]>(
    db,
    'INSERT INTO hold_notices (id, hold_id, custodian_id, kind, body, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(n.id, n.holdId, n.custodianId, n.kind, n.body, n.issuedBy, n.issuedAt);
}

/** Every notice of a hold with its custodian's name, oldest first. */
export function noticeRowsOfHold(db: Db, holdId: string): NoticeRow[] {
  return prepared<[string], NoticeRow>(
    db,
    `SELECT n.*, c.name AS custodian_name FROM hold_notices n JOIN hold_custodians c ON c.id = n.custodian_id
     WHERE n.hold_id = ? ORDER BY n.issued_at, n.rowid`,
  ).all(holdId);
}

// ---- what a hold covers: case links, records, evidence, subjects

/** The cases an item is linked to. */
export function caseIdsLinkingItem(db: Db, type: string, id: string): string[] {
  return prepared<[string, string], { case_id: string }>(db, 'SELECT case_id FROM case_links WHERE item_type = ? AND item_id = ?')
    .all(type, id)
    .map((r) => r.case_id);
}

/** The items of one type linked to a case. */
export function itemIdsLinkedToCase(db: Db, caseId: string, type: string): string[] {
  return prepared<[string, string], { item_id: string }>(db, 'SELECT item_id FROM case_links WHERE case_id = ? AND item_type = ?')
    .all(caseId, type)
    .map((r) => r.item_id);
}

/** What the scope matching reads of one record, or undefined. */
export function scopeRecordRow(db: Db, id: string): ScopeRecordRow | undefined {
  return prepared<[string], ScopeRecordRow>(db, 'SELECT subject_id, category, title, content, record_date FROM records WHERE id = ?').get(id);
}

/** What the scope matching reads of one evidence item, or undefined. */
export function scopeEvidenceRow(db: Db, id: string): ScopeEvidenceRow | undefined {
  return prepared<[string], ScopeEvidenceRow>(db, 'SELECT title, description, original_name, source, collected_by, custodian, collected_at FROM evidence WHERE id = ?').get(
    id,
  );
}

/** The ids of a subject's active records. */
export function activeRecordIdsOfSubject(db: Db, subjectId: string): string[] {
  return prepared<[string], { id: string }>(db, "SELECT id FROM records WHERE subject_id = ? AND status = 'active'")
    .all(subjectId)
    .map((r) => r.id);
}

/** True for evidence that exists and is not disposed. */
export function evidenceRemains(db: Db, id: string): boolean {
  return prepared<[string]>(db, "SELECT 1 FROM evidence WHERE id = ? AND status <> 'disposed'").get(id) !== undefined;
}

/** True for a record that exists and is active (not purged or erased). */
export function recordRemains(db: Db, id: string): boolean {
  return prepared<[string]>(db, "SELECT 1 FROM records WHERE id = ? AND status = 'active'").get(id) !== undefined;
}

/** True for a subject that exists. */
export function subjectExists(db: Db, id: string): boolean {
  return prepared<[string]>(db, 'SELECT 1 FROM subjects WHERE id = ?').get(id) !== undefined;
}

/** Every evidence item not disposed, by id, with what the scope matching reads; iterate to the end or break. */
export function undisposedEvidenceForScope(db: Db): IterableIterator<ScopeEvidenceRow & { id: string; status: string }> {
  return prepared<[], ScopeEvidenceRow & { id: string; status: string }>(
    db,
    "SELECT id, title, description, original_name, source, collected_by, custodian, collected_at, status FROM evidence WHERE status <> 'disposed' ORDER BY id",
  ).iterate();
}

/** Every active record, by id, with what the scope matching reads; iterate to the end or break. */
export function activeRecordsForScope(db: Db): IterableIterator<ScopeRecordRow & { id: string }> {
  return prepared<[], ScopeRecordRow & { id: string }>(db, "SELECT id, subject_id, category, title, content, record_date FROM records WHERE status = 'active' ORDER BY id").iterate();
}
