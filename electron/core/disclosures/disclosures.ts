import type { Accounting, Disclosure, DisclosureBasis } from '../../../shared/contract/disclosures.js';
import { deadlinePolicy, subtractYears, toUtcIso } from '../domain/deadlines.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import { likePattern } from '../domain/like.js';
import { yearlyId } from '../domain/ids.js';
import { getSubject, recordsOfSubject } from '../domain/subject-rows.js';
import { now as clockNow } from '../clock.js';
import { opTime, type Op } from '../domain/op.js';

/** What a new disclosure says; written by `disclosures.record` and, automatically, by `subpoenas.produce`. */
export interface NewDisclosure {
  subjectId: string;
  recordIds: readonly string[];
  recipient: string;
  basis: DisclosureBasis;
  basisDetail: string;
  purpose: string;
  disclosedAt: string;
  disclosedBy: string;
  caseId: string | null;
  subpoenaId?: string;
  productionId?: string;
  fileSha256?: string;
  withhold?: { basis: string; until: string | null };
}

interface DisclosureRow {
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
}

/**
 * The statements of disagreement on file for these records when the disclosure happened: 99.21(c)
 * makes the institution disclose the statement with every later disclosure of the contested record.
 */
export function statementsFor(ws: Workspace, recordIds: readonly string[], at: string): { id: string; recordId: string }[] {
  if (recordIds.length === 0) return [];
  const marks = recordIds.map(() => '?').join(',');
  return ws.db
    .prepare(`SELECT id, record_id AS recordId FROM amendment_statements WHERE record_id IN (${marks}) AND filed_at <= ? ORDER BY filed_at, id`)
    .all(...recordIds, at) as { id: string; recordId: string }[];
}

/** Inserts a disclosure with its records and, automatically, their statements. Call inside `ws.tx`. */
export function insertDisclosure(ws: Workspace, op: Op, d: NewDisclosure): { id: string; statementIds: string[] } {
  const { actor } = op;
  const now = opTime(op);
  const id = yearlyId(ws, 'DIS', now);
  ws.db
    .prepare(
      `INSERT INTO disclosures (id, subject_id, case_id, disclosed_at, recipient, basis, basis_detail, purpose, disclosed_by,
         recorded_by, recorded_at, subpoena_id, production_id, file_sha256, subject_visible, withheld_until, withholding_basis)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      d.subjectId,
      d.caseId,
      d.disclosedAt,
      d.recipient,
      d.basis,
      d.basisDetail,
      d.purpose,
      d.disclosedBy,
      actor,
      now.toISOString(),
      d.subpoenaId ?? null,
      d.productionId ?? null,
      d.fileSha256 ?? null,
      d.withhold ? 0 : 1,
      d.withhold?.until ?? null,
      d.withhold?.basis ?? null,
    );
  const addRecord = ws.db.prepare('INSERT INTO disclosure_records (disclosure_id, record_id) VALUES (?, ?)');
  for (const r of new Set(d.recordIds)) addRecord.run(id, r);
  const statements = statementsFor(ws, [...new Set(d.recordIds)], d.disclosedAt);
  const addStatement = ws.db.prepare('INSERT INTO disclosure_statements (disclosure_id, statement_id) VALUES (?, ?)');
  for (const s of statements) addStatement.run(id, s.id);
  return { id, statementIds: statements.map((s) => s.id) };
}

export interface RecordDisclosureInput {
  subjectId: string;
  recordIds: string[];
  recipient: string;
  basis: DisclosureBasis;
  basisDetail: string;
  purpose: string;
  disclosedAt?: string;
  disclosedBy?: string;
  caseId?: string;
  withhold?: { basis: string; until?: string };
}

/** `disclosures.record`: checks the subject, records and directory opt-out, then writes the entry and its event. */
export function recordDisclosure(ws: Workspace, op: Op, input: RecordDisclosureInput): Disclosure {
  const { actor } = op;
  const now = opTime(op);
  const subject = getSubject(ws, input.subjectId);
  const disclosedAt = input.disclosedAt ? toUtcIso(input.disclosedAt) : now.toISOString();
  if (disclosedAt > now.toISOString()) {
    throw new CustosError('validation', 'A disclosure is recorded after it happens; its date cannot be in the future.');
  }
  if (input.recordIds.length === 0 && input.basis !== 'directory_information') {
    throw new CustosError('validation', 'Name at least one record that was disclosed (only directory information may be disclosed without one).');
  }
  if (input.basis === 'directory_information' && subject.directoryOptOut && (!subject.directoryOptOutAt || subject.directoryOptOutAt <= disclosedAt)) {
    throw new CustosError(
      'conflict',
      `${subject.id} opted out of directory information, so nothing about them may be disclosed as directory information (34 CFR 99.37); use their written consent or another legal basis.`,
      { resourceType: 'subject', resourceId: subject.id },
    );
  }
  const records = recordsOfSubject(ws, subject.id, input.recordIds);
  if (input.caseId) assertCaseOpen(ws, input.caseId, 'recording a disclosure');
  const withhold = input.withhold ? { basis: input.withhold.basis, until: input.withhold.until ? toUtcIso(input.withhold.until) : null } : undefined;
  const id = ws.tx(() => {
    const made = insertDisclosure(
      ws,
      { ...op, at: now },
      {
        subjectId: subject.id,
        recordIds: records.map((r) => r.id),
        recipient: input.recipient,
        basis: input.basis,
        basisDetail: input.basisDetail,
        purpose: input.purpose,
        disclosedAt,
        disclosedBy: input.disclosedBy ?? actor,
        caseId: input.caseId ?? null,
        ...(withhold ? { withhold } : {}),
      },
    );
    ws.ledger.append({
      actor,
      action: 'disclosures.record',
      resource_type: 'disclosure',
      resource_id: made.id,
      details: {
        subject_id: subject.id,
        records: records.map((r) => r.id),
        basis: input.basis,
        disclosed_at: disclosedAt,
        statements: made.statementIds,
        withheld_from_subject: withhold !== undefined,
        ...(input.caseId ? { case_id: input.caseId } : {}),
      },
    }, now);
    return made.id;
  });
  return getDisclosure(ws, id, now);
}

const SELECT = `SELECT d.*, s.display_name AS subject_name FROM disclosures d JOIN subjects s ON s.id = d.subject_id`;

/** Whether the subject may see the entry at `at`: withheld entries stay hidden until their order lapses. */
function visibleAt(row: DisclosureRow, at: string): boolean {
  return row.subject_visible === 1 || (row.withheld_until !== null && row.withheld_until <= at);
}

function toDisclosure(ws: Workspace, row: DisclosureRow, now: Date): Disclosure {
  const records = ws.db
    .prepare(
      `SELECT r.id, r.title, r.category FROM disclosure_records dr JOIN records r ON r.id = dr.record_id
       WHERE dr.disclosure_id = ? ORDER BY r.id`,
    )
    .all(row.id) as { id: string; title: string; category: string }[];
  const statements = ws.db
    .prepare(
      `SELECT st.id, st.amendment_id AS amendmentId, st.record_id AS recordId, st.filed_at AS filedAt, st.text
       FROM disclosure_statements ds JOIN amendment_statements st ON st.id = ds.statement_id
       WHERE ds.disclosure_id = ? ORDER BY st.filed_at, st.id`,
    )
    .all(row.id) as Disclosure['statements'];
  return {
    id: row.id,
    subjectId: row.subject_id,
    subjectName: row.subject_name,
    disclosedAt: row.disclosed_at,
    recipient: row.recipient,
    basis: row.basis,
    basisDetail: row.basis_detail,
    purpose: row.purpose,
    disclosedBy: row.disclosed_by,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    records,
    subpoenaId: row.subpoena_id,
    productionId: row.production_id,
    fileSha256: row.file_sha256,
    statements,
    subjectVisible: visibleAt(row, now.toISOString()),
    withheldUntil: row.withheld_until,
    withholdingBasis: row.withholding_basis,
    caseId: row.case_id,
  };
}

export function getDisclosure(ws: Workspace, id: string, now: Date = clockNow()): Disclosure {
  const row = ws.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DisclosureRow | undefined;
  if (!row) throw new CustosError('not_found', `There is no disclosure ${id}.`, { resourceType: 'disclosure', resourceId: id });
  return toDisclosure(ws, row, now);
}

export interface DisclosureFilter {
  subjectId?: string | undefined;
  basis?: DisclosureBasis | undefined;
  from?: string | undefined;
  to?: string | undefined;
  search?: string | undefined;
}

const DISCLOSURE_LIST: ListSource = {
  select: SELECT,
  from: 'FROM disclosures d JOIN subjects s ON s.id = d.subject_id',
  sorts: { disclosed_at: 'd.disclosed_at', id: 'd.id', recipient: 'd.recipient COLLATE NOCASE', basis: 'd.basis' },
  tiebreak: 'd.id',
};

/** A page of the record of disclosures (newest first by default), filtered by subject, basis, dates or free text, and the total. */
export function listDisclosures(ws: Workspace, f: DisclosureFilter & PageQuery, now: Date = clockNow()): { items: Disclosure[]; total: number } {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (f.subjectId) {
    where.push('d.subject_id = @subject');
    params.subject = f.subjectId;
  }
  if (f.basis) {
    where.push('d.basis = @basis');
    params.basis = f.basis;
  }
  if (f.from) {
    where.push('d.disclosed_at >= @from');
    params.from = toUtcIso(f.from);
  }
  if (f.to) {
    where.push('d.disclosed_at <= @to');
    params.to = endOfDay(f.to);
  }
  if (f.search) {
    where.push(
      "(d.id LIKE @text ESCAPE '\\' OR d.recipient LIKE @text ESCAPE '\\' OR d.basis_detail LIKE @text ESCAPE '\\' OR d.purpose LIKE @text ESCAPE '\\' OR s.display_name LIKE @text ESCAPE '\\' OR d.subject_id LIKE @text ESCAPE '\\')",
    );
    params.text = likePattern(f.search);
  }
  const page = listPage<DisclosureRow>(ws.db, DISCLOSURE_LIST, { conds: where, params }, f);
  return { items: page.rows.map((r) => toDisclosure(ws, r, now)), total: page.total };
}


/**
 * The accounting for one subject (FERPA 99.32, HIPAA 164.528): entries from `asOf` minus the lookback
 * of policy up to `asOf`, oldest first. For the subject's own copy, entries withheld under an order
 * that has not lapsed are left out without a trace (the order forbids revealing them, even by count).
 */
export function accountingFor(
  ws: Workspace,
  subjectId: string,
  audience: 'subject' | 'internal',
  asOfInput: string | undefined,
  now: Date = clockNow(),
): Accounting {
  const subject = getSubject(ws, subjectId);
  const asOf = asOfInput ? endOfDay(asOfInput) : now.toISOString();
  const lookbackYears = deadlinePolicy().accounting.lookbackYears;
  const from = subtractYears(asOf, lookbackYears);
  const rows = ws.db
    .prepare(`${SELECT} WHERE d.subject_id = ? AND d.disclosed_at >= ? AND d.disclosed_at <= ? ORDER BY d.disclosed_at, d.id`)
    .all(subject.id, from, asOf) as DisclosureRow[];
  const entries = rows
    .filter((r) => audience === 'internal' || visibleAt(r, asOf))
    .map((r) => toDisclosure(ws, r, new Date(asOf)));
  return {
    subjectId: subject.id,
    subjectName: subject.directoryOptOut ? null : subject.displayName,
    directoryOptOut: subject.directoryOptOut,
    audience,
    asOf,
    from,
    lookbackYears,
    entries,
  };
}

/** A calendar date means the whole day; an instant stays as given. */
function endOfDay(input: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(input) ? `${input}T23:59:59.999Z` : toUtcIso(input);
}
