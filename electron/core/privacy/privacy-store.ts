import type { PrivacyRegime, PrivacyRequestItem, PrivacyRequestState, PrivacyRight } from '../../../shared/contract/privacy.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import type { EventRow } from '../ledger/ledger.js';

// The SQL of privacy-rights requests (migration 016), of the subject's records an erasure walks, and
// of the ledger events that name a subject (the subject-rights audit). Prepared once per connection.

/** A privacy_requests row with its subject's name. */
export interface PrivacyRequestRow {
  id: string;
  subject_id: string;
  subject_name: string;
  case_id: string | null;
  regime: PrivacyRegime;
  right: PrivacyRight;
  requester: string;
  description: string;
  state: PrivacyRequestState;
  received_at: string;
  original_due_at: string;
  due_at: string;
  extended_at: string | null;
  extended_by: string | null;
  extension_reason: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  outcome: string | null;
  created_by: string;
}

const SELECT = 'SELECT p.*, s.display_name AS subject_name FROM privacy_requests p JOIN subjects s ON s.id = p.subject_id';

/** The request with its subject's name, or undefined. */
export function findPrivacyRequestRow(db: Db, id: string): PrivacyRequestRow | undefined {
  return prepared<[string], PrivacyRequestRow>(db, `${SELECT} WHERE p.id = ?`).get(id);
}

const LIST: ListSource = {
  select: SELECT,
  from: 'FROM privacy_requests p JOIN subjects s ON s.id = p.subject_id',
  sorts: { received_at: 'p.received_at', due_at: 'p.due_at', id: 'p.id', state: 'p.state' },
  tiebreak: 'p.id',
};

/** The filters, sort and page of a privacy request list. */
export type PrivacyRequestQuery = PageQuery & {
  state?: PrivacyRequestState | undefined;
  regime?: PrivacyRegime | undefined;
  subjectId?: string | undefined;
  search?: string | undefined;
};

/** A page of request rows with the total. */
export function privacyRequestRowsPage(db: Db, f: PrivacyRequestQuery): { rows: PrivacyRequestRow[]; total: number } {
  const where = namedWhere(
    [
      ['p.state = @state', 'state', f.state],
      ['p.regime = @regime', 'regime', f.regime],
      ['p.subject_id = @subject', 'subject', f.subjectId],
    ],
    { text: f.search, columns: ['p.id', 'p.requester', 'p.description', 's.display_name'] },
  );
  return listPage<PrivacyRequestRow>(db, LIST, where, f);
}

/** Every pending request (open or extended) with its subject's name, for the due list. */
export function pendingPrivacyRequestRows(db: Db): PrivacyRequestRow[] {
  return prepared<[], PrivacyRequestRow>(db, `${SELECT} WHERE p.state IN ('open', 'extended')`).all();
}

/** Inserts an open request. */
export function insertOpenPrivacyRequest(
  db: Db,
  r: {
    id: string;
    subjectId: string;
    caseId: string | null;
    regime: PrivacyRegime;
    right: PrivacyRight;
    requester: string;
    description: string;
    receivedAt: string;
    dueAt: string;
    createdBy: string;
    at: string;
  },
): void {
  prepared(
    db,
    `INSERT INTO privacy_requests (id, subject_id, case_id, regime, right, requester, description, state, received_at, original_due_at, due_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.subjectId, r.caseId, r.regime, r.right, r.requester, r.description, r.receivedAt, r.dueAt, r.dueAt, r.createdBy, r.at, r.at);
}

/** open → extended, with the new deadline, who, when and why. */
export function setPrivacyRequestExtended(db: Db, id: string, e: { dueAt: string; at: string; by: string; reason: string }): void {
  prepared<[string, string, string, string, string, string]>(
    db,
    "UPDATE privacy_requests SET state = 'extended', due_at = ?, extended_at = ?, extended_by = ?, extension_reason = ?, updated_at = ? WHERE id = ?",
  ).run(e.dueAt, e.at, e.by, e.reason, e.at, id);
}

/** Pending → completed or rejected, with who resolved it, when, and the outcome. */
export function setPrivacyRequestResolved(
  db: Db,
  id: string,
  r: { state: 'completed' | 'rejected'; resolvedAt: string; resolvedBy: string; outcome: string; updatedAt: string },
): void {
  prepared<[string, string, string, string, string, string]>(
    db,
    'UPDATE privacy_requests SET state = ?, resolved_at = ?, resolved_by = ?, outcome = ?, updated_at = ? WHERE id = ?',
  ).run(r.state, r.resolvedAt, r.resolvedBy, r.outcome, r.updatedAt, id);
}

/** The subject's records that still hold content (active or archived), oldest first. */
export function liveRecordsOfSubject(db: Db, subjectId: string): { id: string; title: string; category: string }[] {
  return prepared<[string], { id: string; title: string; category: string }>(
    db,
    "SELECT id, title, category FROM records WHERE subject_id = ? AND status = 'active' ORDER BY record_date, id",
  ).all(subjectId);
}

/** Records what an erasure did to one record. */
export function insertPrivacyRequestItem(
  db: Db,
  i: { requestId: string; recordId: string; category: string; result: 'erased' | 'kept'; keptBecause: 'law' | 'hold' | null; reason: string },
): void {
  prepared(db, 'INSERT INTO privacy_request_items (request_id, record_id, category, result, kept_because, reason) VALUES (?, ?, ?, ?, ?, ?)').run(
    i.requestId,
    i.recordId,
    i.category,
    i.result,
    i.keptBecause,
    i.reason,
  );
}

/** What an erasure did, record by record (the title as it is now: an erased record's is wiped). */
export function privacyRequestItemRows(
  db: Db,
  requestId: string,
): { record_id: string; title: string; category: string; result: PrivacyRequestItem['result']; kept_because: PrivacyRequestItem['keptBecause']; reason: string }[] {
  return prepared<[string], { record_id: string; title: string; category: string; result: PrivacyRequestItem['result']; kept_because: PrivacyRequestItem['keptBecause']; reason: string }>(
    db,
    `SELECT i.record_id, r.title, i.category, i.result, i.kept_because, i.reason FROM privacy_request_items i
       JOIN records r ON r.id = i.record_id WHERE i.request_id = ? ORDER BY i.result DESC, i.record_id`,
  ).all(requestId);
}

/** The subject's external identifier, if it has one. */
export function subjectExternalId(db: Db, subjectId: string): string | null {
  return prepared<[string], { external_id: string | null }>(db, 'SELECT external_id FROM subjects WHERE id = ?').get(subjectId)?.external_id ?? null;
}

/**
 * The events of one subject through `throughSeq`: events about the subject itself, and
 * events of `actions` whose details name one of `ids` in one of `fields` (fields declared `subject`).
 */
export function subjectEventRows(db: Db, q: { ids: readonly string[]; actions: readonly string[]; fields: readonly string[]; throughSeq: number }): EventRow[] {
  const idList = q.ids.map(() => '?').join(', ');
  const named = q.fields.map((f) => `json_extract(details, '$.${f.replace(/[^a-z_]/g, '')}') IN (${idList})`).join(' OR ');
  const actionList = q.actions.map(() => '?').join(', ');
  const sql =
    `SELECT * FROM events WHERE seq <= ? AND ((resource_type = 'subject' AND resource_id IN (${idList}))` +
    (q.actions.length && q.fields.length ? ` OR (action IN (${actionList}) AND (${named}))` : '') +
    ') ORDER BY seq';
  const params: (string | number)[] = [q.throughSeq, ...q.ids];
  if (q.actions.length && q.fields.length) {
    params.push(...q.actions);
    for (let i = 0; i < q.fields.length; i++) params.push(...q.ids);
  }
  return prepared<(string | number)[], EventRow>(db, sql).all(...params);
}
