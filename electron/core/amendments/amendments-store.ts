import type { AmendmentDetail, AmendmentMatter, AmendmentNotice, AmendmentState, AmendmentStatement } from '../../../shared/contract/amendments.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of FERPA amendment requests and the statements of disagreement filed against them.
// Each statement is prepared once per connection (db/statements.ts).

/** An amendment_requests row with its subject's name, its record's title and category, and how many statements it has. */
export interface AmendmentRow {
  id: string;
  subject_id: string;
  subject_name: string;
  record_id: string;
  record_title: string;
  record_category: string;
  case_id: string | null;
  requested_change: string;
  reason: string;
  matter: AmendmentMatter;
  answer: string | null;
  state: AmendmentState;
  received_at: string;
  due_at: string;
  reviewer: string | null;
  review_started_at: string | null;
  decision: 'amended' | 'denied' | null;
  decision_reason: string | null;
  amendment_text: string | null;
  decided_at: string | null;
  decided_by: string | null;
  hearing_requested_at: string | null;
  hearing_due_at: string | null;
  hearing_at: string | null;
  hearing_location: string | null;
  hearing_officer: string | null;
  hearing_outcome: 'amended' | 'upheld' | null;
  hearing_outcome_reason: string | null;
  hearing_decided_at: string | null;
  closed_at: string | null;
  close_note: string | null;
  statement_count: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

const SELECT = `
  SELECT a.*, s.display_name AS subject_name, r.title AS record_title, r.category AS record_category,
    (SELECT count(*) FROM amendment_statements st WHERE st.amendment_id = a.id) AS statement_count
  FROM amendment_requests a JOIN subjects s ON s.id = a.subject_id JOIN records r ON r.id = a.record_id`;

/** The amendment request with what it shows of its subject and record, or undefined. */
export function findAmendmentRow(db: Db, id: string): AmendmentRow | undefined {
  return prepared<[string], AmendmentRow>(db, `${SELECT} WHERE a.id = ?`).get(id);
}

/** The statements of disagreement filed against a request, oldest first. */
export function statementRowsOfAmendment(db: Db, id: string): AmendmentStatement[] {
  return prepared<[string], AmendmentStatement>(
    db,
    `SELECT id, amendment_id AS amendmentId, subject_id AS subjectId, record_id AS recordId, text, filed_at AS filedAt,
         recorded_by AS recordedBy, recorded_at AS recordedAt
       FROM amendment_statements WHERE amendment_id = ? ORDER BY filed_at, id`,
  ).all(id);
}

/** The disclosures of a record, oldest first. */
export function disclosuresOfRecord(db: Db, recordId: string): AmendmentDetail['priorDisclosures'] {
  return prepared<[string], AmendmentDetail['priorDisclosures'][number]>(
    db,
    `SELECT d.id, d.disclosed_at AS disclosedAt, d.recipient FROM disclosures d
       JOIN disclosure_records dr ON dr.disclosure_id = d.id WHERE dr.record_id = ? ORDER BY d.disclosed_at, d.id`,
  ).all(recordId);
}

const AMENDMENT_LIST: ListSource = {
  select: SELECT,
  from: 'FROM amendment_requests a JOIN subjects s ON s.id = a.subject_id JOIN records r ON r.id = a.record_id',
  sorts: { received_at: 'a.received_at', due_at: 'a.due_at', id: 'a.id', state: 'a.state' },
  tiebreak: 'a.id',
};

/** The filters, sort and page of an amendment list. */
export type AmendmentQuery = PageQuery & { state?: AmendmentState | undefined; subjectId?: string | undefined; search?: string | undefined };

/** A page of amendment rows with the total. */
export function amendmentRowsPage(db: Db, f: AmendmentQuery): { rows: AmendmentRow[]; total: number } {
  const where = namedWhere(
    [
      ['a.state = @state', 'state', f.state],
      ['a.subject_id = @subject', 'subject', f.subjectId],
    ],
    { text: f.search, columns: ['a.id', 'a.requested_change', 's.display_name', 'a.subject_id', 'r.title'] },
  );
  return listPage<AmendmentRow>(db, AMENDMENT_LIST, where, f);
}

/** Inserts a request in state `received`, or `closed` with its answer when its matter is not amendable. */
export function insertReceivedAmendment(
  db: Db,
  a: {
    id: string;
    subjectId: string;
    recordId: string;
    caseId: string | null;
    requestedChange: string;
    reason: string;
    matter: AmendmentMatter;
    answer: string | null;
    receivedAt: string;
    dueAt: string;
    createdBy: string;
    at: string;
  },
): void {
  const answered = a.answer !== null;
  prepared(
    db,
    `INSERT INTO amendment_requests (id, subject_id, record_id, case_id, requested_change, reason, matter, answer, state, received_at, due_at,
           closed_at, closed_by, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.id,
    a.subjectId,
    a.recordId,
    a.caseId,
    a.requestedChange,
    a.reason,
    a.matter,
    a.answer,
    answered ? 'closed' : 'received',
    a.receivedAt,
    a.dueAt,
    answered ? a.at : null,
    answered ? a.createdBy : null,
    a.createdBy,
    a.at,
    a.at,
  );
}

/** The disclosures of a record made at or before `at`, oldest first: the recipients an amendment must reach. */
export function disclosuresOfRecordBy(db: Db, recordId: string, at: string): { id: string; recipient: string; disclosedAt: string }[] {
  return prepared<[string, string], { id: string; recipient: string; disclosedAt: string }>(
    db,
    `SELECT d.id, d.recipient, d.disclosed_at AS disclosedAt FROM disclosures d
       JOIN disclosure_records dr ON dr.disclosure_id = d.id WHERE dr.record_id = ? AND d.disclosed_at <= ? ORDER BY d.disclosed_at, d.id`,
  ).all(recordId, at);
}

/** Appends a notice to an earlier recipient. */
export function insertNoticeRow(
  db: Db,
  n: { id: string; amendmentId: string; disclosureId: string; recipient: string; change: string; notifiedAt: string; recordedBy: string },
): void {
  prepared(
    db,
    `INSERT INTO amendment_notices (id, amendment_id, disclosure_id, recipient, change_text, notified_at, recorded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(n.id, n.amendmentId, n.disclosureId, n.recipient, n.change, n.notifiedAt, n.recordedBy);
}

/** The notices recorded after an amendment, oldest first. */
export function noticeRowsOfAmendment(db: Db, id: string): AmendmentNotice[] {
  return prepared<[string], AmendmentNotice>(
    db,
    `SELECT n.id, n.disclosure_id AS disclosureId, n.recipient, d.disclosed_at AS disclosedAt, n.notified_at AS notifiedAt, n.change_text AS change
       FROM amendment_notices n JOIN disclosures d ON d.id = n.disclosure_id WHERE n.amendment_id = ? ORDER BY n.notified_at, n.id`,
  ).all(id);
}

/** Appends a statement of disagreement. */
export function insertStatementRow(
  db: Db,
  s: { id: string; amendmentId: string; subjectId: string; recordId: string; text: string; filedAt: string; recordedBy: string; recordedAt: string },
): void {
  prepared(
    db,
    `INSERT INTO amendment_statements (id, amendment_id, subject_id, record_id, text, filed_at, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.id, s.amendmentId, s.subjectId, s.recordId, s.text, s.filedAt, s.recordedBy, s.recordedAt);
}

/** Marks a request changed now. */
export function touchAmendment(db: Db, id: string, updatedAt: string): void {
  prepared<[string, string]>(db, 'UPDATE amendment_requests SET updated_at = ? WHERE id = ?').run(updatedAt, id);
}
