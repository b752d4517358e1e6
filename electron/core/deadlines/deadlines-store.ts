import type { AccessRequest } from '../../../shared/contract/deadlines.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of the due list (what it reads of amendments, subpoenas, access requests and the workspace's
// key rotation) and of requests to inspect records. Each statement is prepared once per connection
// (db/statements.ts).

// ---- the due list

/** An amendment request whose decision or hearing is still due, with its subject's name. */
export interface OpenAmendmentDueRow {
  id: string;
  subject_id: string;
  state: string;
  due_at: string;
  hearing_due_at: string | null;
  hearing_at: string | null;
  name: string;
}

/** Every amendment request awaiting a decision or a hearing. */
export function openAmendmentDueRows(db: Db): OpenAmendmentDueRow[] {
  return prepared<[], OpenAmendmentDueRow>(
    db,
    `SELECT a.id, a.subject_id, a.state, a.due_at, a.hearing_due_at, a.hearing_at, s.display_name AS name FROM amendment_requests a
       JOIN subjects s ON s.id = a.subject_id
       WHERE a.state IN ('received','under_review','hearing_requested','hearing_scheduled')`,
  ).all();
}

/** A subpoena whose notice or response is still due, with its subject's name. */
export interface OpenSubpoenaDueRow {
  id: string;
  subject_id: string;
  state: string;
  issuer: string;
  due_at: string;
  notice_due_at: string;
  name: string;
}

/** Every subpoena not yet produced or ended. */
export function openSubpoenaDueRows(db: Db): OpenSubpoenaDueRow[] {
  return prepared<[], OpenSubpoenaDueRow>(
    db,
    `SELECT p.id, p.subject_id, p.state, p.issuer, p.due_at, p.notice_due_at, s.display_name AS name FROM subpoenas p
       JOIN subjects s ON s.id = p.subject_id WHERE p.state IN ('received','verified','notice_sent','notice_exempt','scoped')`,
  ).all();
}

/** Every open access request with its subject's name. */
export function openAccessDueRows(db: Db): { id: string; subject_id: string; due_at: string; name: string }[] {
  return prepared<[], { id: string; subject_id: string; due_at: string; name: string }>(
    db,
    `SELECT a.id, a.subject_id, a.due_at, s.display_name AS name FROM access_requests a JOIN subjects s ON s.id = a.subject_id
       WHERE a.state = 'open'`,
  ).all();
}

/** When the database was last re-keyed and when the workspace was created (either may be absent). */
export function keyRotationMeta(db: Db): { key: string; value: string }[] {
  return prepared<[], { key: string; value: string }>(db, "SELECT key, value FROM meta WHERE key IN ('key_rotated_at', 'created_at')").all();
}

// ---- access_requests

/** An access_requests row with its subject's name. */
export interface AccessRequestRow {
  id: string;
  subject_id: string;
  subject_name: string;
  case_id: string | null;
  requester: string;
  description: string;
  state: AccessRequest['state'];
  requested_at: string;
  due_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  created_by: string;
}

const SELECT = 'SELECT a.*, s.display_name AS subject_name FROM access_requests a JOIN subjects s ON s.id = a.subject_id';

/** The access request with its subject's name, or undefined. */
export function findAccessRequestRow(db: Db, id: string): AccessRequestRow | undefined {
  return prepared<[string], AccessRequestRow>(db, `${SELECT} WHERE a.id = ?`).get(id);
}

const ACCESS_REQUEST_LIST: ListSource = {
  select: SELECT,
  from: 'FROM access_requests a JOIN subjects s ON s.id = a.subject_id',
  sorts: { requested_at: 'a.requested_at', due_at: 'a.due_at', id: 'a.id', state: 'a.state' },
  tiebreak: 'a.id',
};

/** The filters, sort and page of an access request list. */
export type AccessRequestQuery = PageQuery & { state?: AccessRequest['state'] | undefined; subjectId?: string | undefined; search?: string | undefined };

/** A page of access request rows with the total. */
export function accessRequestRowsPage(db: Db, f: AccessRequestQuery): { rows: AccessRequestRow[]; total: number } {
  const where = namedWhere(
    [
      ['a.state = @state', 'state', f.state],
      ['a.subject_id = @subject', 'subject', f.subjectId],
    ],
    { text: f.search, columns: ['a.id', 'a.requester', 'a.description', 's.display_name'] },
  );
  return listPage<AccessRequestRow>(db, ACCESS_REQUEST_LIST, where, f);
}

/** Inserts an open access request. */
export function insertOpenAccessRequest(
  db: Db,
  a: { id: string; subjectId: string; caseId: string | null; requester: string; description: string; requestedAt: string; dueAt: string; createdBy: string; at: string },
): void {
  prepared(
    db,
    `INSERT INTO access_requests (id, subject_id, case_id, requester, description, state, requested_at, due_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
  ).run(a.id, a.subjectId, a.caseId, a.requester, a.description, a.requestedAt, a.dueAt, a.createdBy, a.at, a.at);
}

/** open → fulfilled or withdrawn, with who resolved it, when, and how. */
export function setAccessRequestResolved(
  db: Db,
  id: string,
  r: { state: 'fulfilled' | 'withdrawn'; resolvedAt: string; resolvedBy: string; resolution: string; updatedAt: string },
): void {
  prepared<[string, string, string, string, string, string]>(
    db,
    'UPDATE access_requests SET state = ?, resolved_at = ?, resolved_by = ?, resolution = ?, updated_at = ? WHERE id = ?',
  ).run(r.state, r.resolvedAt, r.resolvedBy, r.resolution, r.updatedAt, id);
}
