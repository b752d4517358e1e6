import type { Disclosure, DisclosureBasis } from '../../../shared/contract/disclosures.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of the record of disclosures: disclosures, the records and statements of disagreement
// each carried, and the FERPA items a case's timeline lists. Each statement is prepared once per
// connection (db/statements.ts).

/** A disclosures row with its subject's name. */
export interface DisclosureRow {
  id: string;
  subject_id: string;
  subject_name: string;
  case_id: string | null;
  disclosed_at: string;
  recipient: string;
  basis: DisclosureBasis;
  basis_detail: string;
  purpose: string;
  disclosed_by: string;
  recorded_by: string;
  recorded_at: string;
  subpoena_id: string | null;
  production_id: string | null;
  file_sha256: string | null;
  subject_visible: number;
  withheld_until: string | null;
  withholding_basis: string | null;
  consent_id: string | null;
}

const SELECT = `SELECT d.*, s.display_name AS subject_name FROM disclosures d JOIN subjects s ON s.id = d.subject_id`;

/** The disclosure with its subject's name, or undefined. */
export function findDisclosureRow(db: Db, id: string): DisclosureRow | undefined {
  return prepared<[string], DisclosureRow>(db, `${SELECT} WHERE d.id = ?`).get(id);
}

/** A subject's disclosures from `from` to `to` (inclusive), oldest first. */
export function disclosureRowsOfSubjectBetween(db: Db, subjectId: string, from: string, to: string): DisclosureRow[] {
  return prepared<[string, string, string], DisclosureRow>(
    db,
    `${SELECT} WHERE d.subject_id = ? AND d.disclosed_at >= ? AND d.disclosed_at <= ? ORDER BY d.disclosed_at, d.id`,
  ).all(subjectId, from, to);
}

/** The records a disclosure carried, by id. */
export function recordsOfDisclosure(db: Db, id: string): { id: string; title: string; category: string }[] {
  return prepared<[string], { id: string; title: string; category: string }>(
    db,
    `SELECT r.id, r.title, r.category FROM disclosure_records dr JOIN records r ON r.id = dr.record_id
       WHERE dr.disclosure_id = ? ORDER BY r.id`,
  ).all(id);
}

/** The statements of disagreement a disclosure carried, oldest first. */
export function statementsOfDisclosure(db: Db, id: string): Disclosure['statements'] {
  return prepared<[string], Disclosure['statements'][number]>(
    db,
    `SELECT st.id, st.amendment_id AS amendmentId, st.record_id AS recordId, st.filed_at AS filedAt, st.text
       FROM disclosure_statements ds JOIN amendment_statements st ON st.id = ds.statement_id
       WHERE ds.disclosure_id = ? ORDER BY st.filed_at, st.id`,
  ).all(id);
}

/** The statements of disagreement filed on these records by `at`, oldest first (`recordIds` not empty). */
export function statementsOnRecordsBy(db: Db, recordIds: readonly string[], at: string): { id: string; recordId: string }[] {
  const marks = recordIds.map(() => '?').join(',');
  return prepared<string[], { id: string; recordId: string }>(
    db,
    `SELECT id, record_id AS recordId FROM amendment_statements WHERE record_id IN (${marks}) AND filed_at <= ? ORDER BY filed_at, id`,
  ).all(...recordIds, at);
}

/** Inserts a disclosure (its records and statements: `addDisclosureRecord`, `addDisclosureStatement`). */
export function insertDisclosureRow(db: Db, d: Omit<DisclosureRow, 'subject_name'>): void {
  prepared(
    db,
    `INSERT INTO disclosures (id, subject_id, case_id, disclosed_at, recipient, basis, basis_detail, purpose, disclosed_by,
         recorded_by, recorded_at, subpoena_id, production_id, file_sha256, subject_visible, withheld_until, withholding_basis, consent_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    d.id,
    d.subject_id,
    d.case_id,
    d.disclosed_at,
    d.recipient,
    d.basis,
    d.basis_detail,
    d.purpose,
    d.disclosed_by,
    d.recorded_by,
    d.recorded_at,
    d.subpoena_id,
    d.production_id,
    d.file_sha256,
    d.subject_visible,
    d.withheld_until,
    d.withholding_basis,
    d.consent_id,
  );
}

/** The notices sent to a disclosure's recipient after amendments of the records it carried, oldest first. */
export function noticesOfDisclosure(db: Db, id: string): Disclosure['notices'] {
  return prepared<[string], Disclosure['notices'][number]>(
    db,
    `SELECT id, amendment_id AS amendmentId, notified_at AS notifiedAt, change_text AS change
       FROM amendment_notices WHERE disclosure_id = ? ORDER BY notified_at, id`,
  ).all(id);
}

/** Notes one record a disclosure carried. */
export function addDisclosureRecord(db: Db, disclosureId: string, recordId: string): void {
  prepared<[string, string]>(db, 'INSERT INTO disclosure_records (disclosure_id, record_id) VALUES (?, ?)').run(disclosureId, recordId);
}

/** Notes one statement of disagreement a disclosure carried. */
export function addDisclosureStatement(db: Db, disclosureId: string, statementId: string): void {
  prepared<[string, string]>(db, 'INSERT INTO disclosure_statements (disclosure_id, statement_id) VALUES (?, ?)').run(disclosureId, statementId);
}

const DISCLOSURE_LIST: ListSource = {
  select: SELECT,
  from: 'FROM disclosures d JOIN subjects s ON s.id = d.subject_id',
  sorts: { disclosed_at: 'd.disclosed_at', id: 'd.id', recipient: 'd.recipient COLLATE NOCASE', basis: 'd.basis' },
  tiebreak: 'd.id',
};

/** The filters of a disclosure list as SQL wants them: dates already normalised to UTC instants. */
export interface DisclosureQuery extends PageQuery {
  subjectId?: string | undefined;
  basis?: DisclosureBasis | undefined;
  from?: string | undefined;
  to?: string | undefined;
  search?: string | undefined;
}

/** A page of disclosure rows with the total. */
export function disclosureRowsPage(db: Db, f: DisclosureQuery): { rows: DisclosureRow[]; total: number } {
  const where = namedWhere(
    [
      ['d.subject_id = @subject', 'subject', f.subjectId],
      ['d.basis = @basis', 'basis', f.basis],
      ['d.disclosed_at >= @from', 'from', f.from],
      ['d.disclosed_at <= @to', 'to', f.to],
    ],
    { text: f.search, columns: ['d.id', 'd.recipient', 'd.basis_detail', 'd.purpose', 's.display_name', 'd.subject_id'] },
  );
  return listPage<DisclosureRow>(db, DISCLOSURE_LIST, where, f);
}

// ---- a case's FERPA timeline

const FERPA_ITEMS_OF_CASE: readonly { resourceType: string; sql: string }[] = [
  { resourceType: 'amendment', sql: 'SELECT id FROM amendment_requests WHERE case_id = ?' },
  { resourceType: 'subpoena', sql: 'SELECT id FROM subpoenas WHERE case_id = ?' },
  { resourceType: 'production', sql: 'SELECT p.id FROM productions p JOIN subpoenas s ON s.id = p.subpoena_id WHERE s.case_id = ?' },
  { resourceType: 'disclosure', sql: 'SELECT id FROM disclosures WHERE case_id = ?' },
  { resourceType: 'access_request', sql: 'SELECT id FROM access_requests WHERE case_id = ?' },
];

/** The ids of the amendment requests, subpoenas, productions, disclosures and access requests filed under a case. */
export function ferpaItemIdsOfCase(db: Db, caseId: string): { resourceType: string; ids: string[] }[] {
  return FERPA_ITEMS_OF_CASE.map(({ resourceType, sql }) => ({
    resourceType,
    ids: prepared<[string], { id: string }>(db, sql).all(caseId).map((r) => r.id),
  }));
}
