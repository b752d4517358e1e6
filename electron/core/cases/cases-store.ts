import type { CaseStatus, CaseType, LinkItemType } from '../../../shared/contract/cases.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import { likePattern } from '../domain/like.js';
import type { EventRow } from '../ledger/ledger.js';

// The SQL of cases, their notes and links, and the reads of other tables a case shows (its holds,
// the linked items' labels, its ledger timeline). Each statement is prepared once per connection.

/** A case row with the counts a list row shows. */
export interface CaseRow {
  id: string;
  title: string;
  type: CaseType;
  description: string;
  status: CaseStatus;
  assignee: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  active_holds: number;
  n_record: number;
  n_evidence: number;
  n_subject: number;
}

/** A case_notes row as stored. */
export interface NoteRow {
  id: string;
  case_id: string;
  author: string;
  body: string;
  created_at: string;
}

/** A link of a case with its item's label and status. */
export interface LinkRow {
  item_id: string;
  linked_by: string;
  linked_at: string;
  label: string;
  status: string;
}

/** Case columns plus the counts a list row shows. */
const SELECT_CASE = `
  SELECT c.*,
    (SELECT count(*) FROM legal_holds h WHERE h.case_id = c.id AND h.status = 'active') AS active_holds,
    (SELECT count(*) FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'record') AS n_record,
    (SELECT count(*) FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'evidence') AS n_evidence,
    (SELECT count(*) FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'subject') AS n_subject
  FROM cases c`;

// ---- cases

/** The case row with its counts, or undefined. */
export function findCaseRow(db: Db, id: string): CaseRow | undefined {
  return prepared<[string], CaseRow>(db, `${SELECT_CASE} WHERE c.id = ?`).get(id);
}

/** Inserts an open case. */
export function insertOpenCase(
  db: Db,
  c: { id: string; title: string; type: CaseType; description: string; assignee: string | null; createdBy: string; at: string },
): void {
  prepared<[string, string, string, string, string | null, string, string, string]>(
    db,
    `INSERT INTO cases (id, title, type, description, status, assignee, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
  ).run(c.id, c.title, c.type, c.description, c.assignee, c.createdBy, c.at, c.at);
}

/** Sets a case's title, type and description. */
export function setCaseText(db: Db, id: string, title: string, type: CaseType, description: string, updatedAt: string): void {
  prepared<[string, string, string, string, string]>(db, 'UPDATE cases SET title = ?, type = ?, description = ?, updated_at = ? WHERE id = ?').run(
    title,
    type,
    description,
    updatedAt,
    id,
  );
}

/** Sets (or clears) a case's assignee. */
export function setCaseAssignee(db: Db, id: string, assignee: string | null, updatedAt: string): void {
  prepared<[string | null, string, string]>(db, 'UPDATE cases SET assignee = ?, updated_at = ? WHERE id = ?').run(assignee, updatedAt, id);
}

/** Sets a case's status and its closing time (null unless closed). */
export function setCaseStatusRow(db: Db, id: string, status: CaseStatus, updatedAt: string, closedAt: string | null): void {
  prepared<[string, string, string | null, string]>(db, 'UPDATE cases SET status = ?, updated_at = ?, closed_at = ? WHERE id = ?').run(status, updatedAt, closedAt, id);
}

/** Marks a case changed now. */
export function touchCase(db: Db, id: string, updatedAt: string): void {
  prepared<[string, string]>(db, 'UPDATE cases SET updated_at = ? WHERE id = ?').run(updatedAt, id);
}

const CASE_LIST: ListSource = {
  select: SELECT_CASE,
  from: 'FROM cases c',
  sorts: {
  id: 'c.id',
  title: 'c.title COLLATE NOCASE',
  type: 'c.type',
  status: 'c.status',
  assignee: 'c.assignee',
  created_at: 'c.created_at',
  updated_at: 'c.updated_at',
},
  tiebreak: 'c.id',
};

/** The search, filters, sort and page of a case list. */
export interface CaseQuery {
  search?: string | undefined;
  status?: readonly CaseStatus[] | undefined;
  type?: readonly CaseType[] | undefined;
  assignee?: string | undefined;
  sort: string;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** A page of case rows with search, filters and sort, plus the total. */
export function caseRowsPage(
  db: Db,
  q: CaseQuery,
): { rows: CaseRow[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    const like = likePattern(q.search);
    where.push("(c.id LIKE ? ESCAPE '\\' OR c.title LIKE ? ESCAPE '\\' OR c.description LIKE ? ESCAPE '\\' OR c.assignee LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  if (q.status?.length) {
    where.push(`c.status IN (${q.status.map(() => '?').join(', ')})`);
    params.push(...q.status);
  }
  if (q.type?.length) {
    where.push(`c.type IN (${q.type.map(() => '?').join(', ')})`);
    params.push(...q.type);
  }
  if (q.assignee) {
    where.push('c.assignee = ?');
    params.push(q.assignee);
  }
  return listPage<CaseRow>(db, CASE_LIST, { conds: where, params }, q);
}

// ---- legal holds of a case

/** The active holds of a case, by id. */
export function activeHoldRefsOfCase(db: Db, caseId: string): { id: string; title: string; caseId: string }[] {
  return prepared<[string], { id: string; title: string; caseId: string }>(
    db,
    "SELECT id, title, case_id AS caseId FROM legal_holds WHERE case_id = ? AND status = 'active' ORDER BY id",
  ).all(caseId);
}

/** The ids of the active holds of a case, by id. */
export function activeHoldIdsOfCase(db: Db, caseId: string): string[] {
  return prepared<[string], { id: string }>(db, "SELECT id FROM legal_holds WHERE case_id = ? AND status = 'active' ORDER BY id")
    .all(caseId)
    .map((r) => r.id);
}

/** The ids of every hold of a case, whatever its status. */
export function holdIdsOfCase(db: Db, caseId: string): string[] {
  return prepared<[string], { id: string }>(db, 'SELECT id FROM legal_holds WHERE case_id = ?')
    .all(caseId)
    .map((r) => r.id);
}

// ---- case_links

const ITEM_TABLE: Record<LinkItemType, { table: string; label: string; status: string }> = {
  record: { table: 'records', label: "CASE WHEN t.status = 'active' THEN t.title ELSE '(' || t.status || ' record)' END", status: 't.status' },
  evidence: { table: 'evidence', label: 't.title', status: 't.status' },
  subject: { table: 'subjects', label: 't.display_name', status: "'subject'" },
};

/** True when a record, evidence item or subject of this id exists. */
export function linkableItemExists(db: Db, type: LinkItemType, id: string): boolean {
  return prepared<[string]>(db, `SELECT 1 FROM ${ITEM_TABLE[type].table} WHERE id = ?`).get(id) !== undefined;
}

/** Links an item to a case; false when it was linked already. */
export function insertCaseLink(db: Db, l: { caseId: string; type: LinkItemType; itemId: string; linkedBy: string; linkedAt: string }): boolean {
  return (
    prepared<[string, string, string, string, string]>(db, 'INSERT OR IGNORE INTO case_links (case_id, item_type, item_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)').run(
      l.caseId,
      l.type,
      l.itemId,
      l.linkedBy,
      l.linkedAt,
    ).changes > 0
  );
}

/** True when the item is linked to the case. */
export function caseLinkExists(db: Db, caseId: string, type: LinkItemType, itemId: string): boolean {
  return prepared<[string, string, string]>(db, 'SELECT 1 FROM case_links WHERE case_id = ? AND item_type = ? AND item_id = ?').get(caseId, type, itemId) !== undefined;
}

/** Removes the link of an item to a case. */
export function deleteCaseLink(db: Db, caseId: string, type: LinkItemType, itemId: string): void {
  prepared<[string, string, string]>(db, 'DELETE FROM case_links WHERE case_id = ? AND item_type = ? AND item_id = ?').run(caseId, type, itemId);
}

/** The items of one type linked to a case, with a label and status for display, in the order they were linked. */
export function linkRowsOfCase(db: Db, caseId: string, type: LinkItemType): LinkRow[] {
  const t = ITEM_TABLE[type];
  return prepared<[string, string], LinkRow>(
    db,
    `SELECT l.item_id, l.linked_by, l.linked_at, ${t.label} AS label, ${t.status} AS status
     FROM case_links l JOIN ${t.table} t ON t.id = l.item_id
     WHERE l.case_id = ? AND l.item_type = ? ORDER BY l.linked_at, l.item_id`,
  ).all(caseId, type);
}

/** Every item linked to a case. */
export function linkedItemsOfCase(db: Db, caseId: string): { item_type: string; item_id: string }[] {
  return prepared<[string], { item_type: string; item_id: string }>(db, 'SELECT item_type, item_id FROM case_links WHERE case_id = ?').all(caseId);
}

/** The ids of the cases an item is linked to, by id. */
export function caseIdsLinkingItem(db: Db, type: LinkItemType, itemId: string): string[] {
  return prepared<[string, string], { case_id: string }>(db, 'SELECT case_id FROM case_links WHERE item_type = ? AND item_id = ? ORDER BY case_id')
    .all(type, itemId)
    .map((r) => r.case_id);
}

// ---- case_notes

/** Appends one note. */
export function insertNoteRow(db: Db, n: NoteRow): void {
  prepared<[string, string, string, string, string]>(db, 'INSERT INTO case_notes (id, case_id, author, body, created_at) VALUES (?, ?, ?, ?, ?)').run(
    n.id,
    n.case_id,
    n.author,
    n.body,
    n.created_at,
  );
}

/** The notes of a case, oldest first. */
export function noteRowsOfCase(db: Db, caseId: string): NoteRow[] {
  return prepared<[string], NoteRow>(db, 'SELECT * FROM case_notes WHERE case_id = ? ORDER BY created_at, rowid').all(caseId);
}

// ---- the ledger, seen from a case

/** A page of ledger events matching a condition over `events`, newest first, with the total. */
export function eventRowsPage(db: Db, condition: { sql: string; params: (string | number)[] }, offset: number, limit: number): { rows: EventRow[]; total: number } {
  const where = `WHERE ${condition.sql}`;
  const rows = prepared<(string | number)[], EventRow>(db, `SELECT * FROM events ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...condition.params, limit, offset);
  const total = prepared<(string | number)[], { n: number }>(db, `SELECT count(*) AS n FROM events ${where}`).get(...condition.params)?.n ?? 0;
  return { rows, total };
}
