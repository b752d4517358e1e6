import { calendarDate } from '../../../shared/day-count.js';
import type { Accounting, Disclosure, DisclosureBasis } from '../../../shared/contract/disclosures.js';
import { deadlinePolicy, subtractYears, toUtcIso } from '../domain/deadlines.js';
import { CustosError } from '../errors.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import type { PageQuery } from '../db/list-page.js';
import { yearlyId } from '../domain/ids.js';
import { getSubject, recordsOfSubject } from '../domain/subject-rows.js';
import { now as clockNow } from '../clock.js';
import { opTime, type Op } from '../domain/op.js';
import { assertConsentCovers } from '../consents/consents.js';
import { assertDirectoryInformation, otherBasisRefusal, productionRefusal } from '../ferpa/ferpa-policy.js';
import {
  addDisclosureRecord,
  addDisclosureStatement,
  disclosureRowsOfSubjectBetween,
  disclosureRowsPage,
  type DisclosureRow,
  findDisclosureRow,
  insertDisclosureRow,
  noticesOfDisclosure,
  recordsOfDisclosure,
  statementsOfDisclosure,
  statementsOnRecordsBy,
} from './disclosures-store.js';

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
  consentId?: string;
}

/**
 * The statements of disagreement on file for these records when the disclosure happened: 99.21(c)
 * makes the institution disclose the statement with every later disclosure of the contested record.
 */
export function statementsFor(ws: Workspace, recordIds: readonly string[], at: string): { id: string; recordId: string }[] {
  if (recordIds.length === 0) return [];
  return statementsOnRecordsBy(ws.db, recordIds, at);
}

/** Inserts a disclosure with its records and, automatically, their statements. Call inside `ws.tx`. */
export function insertDisclosure(ws: Workspace, op: Op, d: NewDisclosure): { id: string; statementIds: string[] } {
  const { actor } = op;
  const now = opTime(op);
  const id = yearlyId(ws, 'DIS', now);
  insertDisclosureRow(ws.db, {
    id,
    subject_id: d.subjectId,
    case_id: d.caseId,
    disclosed_at: d.disclosedAt,
    recipient: d.recipient,
    basis: d.basis,
    basis_detail: d.basisDetail,
    purpose: d.purpose,
    disclosed_by: d.disclosedBy,
    recorded_by: actor,
    recorded_at: now.toISOString(),
    subpoena_id: d.subpoenaId ?? null,
    production_id: d.productionId ?? null,
    file_sha256: d.fileSha256 ?? null,
    subject_visible: d.withhold ? 0 : 1,
    withheld_until: d.withhold?.until ?? null,
    withholding_basis: d.withhold?.basis ?? null,
    consent_id: d.consentId ?? null,
  });
  for (const r of new Set(d.recordIds)) addDisclosureRecord(ws.db, id, r);
  const statements = statementsFor(ws, [...new Set(d.recordIds)], d.disclosedAt);
  for (const s of statements) addDisclosureStatement(ws.db, id, s.id);
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
  consentId?: string;
}

/**
 * `disclosures.record`: checks the subject, the records and the rules of its basis (directory
 * opt-out and what directory information may carry; the covering consent; the institution's rule on
 * subpoenas), then writes the entry and its event.
 */
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
  if (input.basis === 'directory_information') assertDirectoryInformation(subject.id, records);
  if (input.basis === 'consent') {
    assertConsentCovers(ws, input.consentId, { subjectId: subject.id, records, recipient: input.recipient, at: disclosedAt });
  } else if (input.consentId) {
    throw new CustosError('validation', 'Name a consent only for a disclosure on the ground of consent.');
  }
  // By calendar day in the workspace's zone (a disclosure dated by its day counts from the day's start).
  const zone = workspaceTimeZone(ws).timeZone;
  const dependentSince = subject.dependentRecordedAt === null ? null : calendarDate(new Date(subject.dependentRecordedAt), zone);
  if (input.basis === 'dependent_parent' && !(subject.dependent === true && dependentSince !== null && dependentSince <= calendarDate(disclosedAt, zone))) {
    const recorded =
      subject.dependent === null ? 'has no dependent status recorded' : subject.dependent ? `is recorded as a dependent only since ${dependentSince ?? ''}, after the disclosure` : 'is recorded as not a dependent';
    throw new CustosError(
      'conflict',
      `${subject.id} ${recorded}: parents receive education records without the student's written consent only for a dependent student (34 CFR 99.31(a)(8); seed 002: dependency by IRS tax rules). Record the student's dependent status on the subject, or rely on the student's written consent.`,
      { resourceType: 'subject', resourceId: subject.id, rule: 'dependent_parent' },
    );
  }
  if (input.basis === 'other') {
    const refusal = otherBasisRefusal(ws);
    if (refusal) throw new CustosError('conflict', refusal, { resourceType: 'subject', resourceId: subject.id, rule: 'other_basis' });
  }
  if (input.basis === 'subpoena') {
    const refusal = productionRefusal(ws, 'lawful_subpoena');
    if (refusal) throw new CustosError('conflict', refusal, { resourceType: 'subject', resourceId: subject.id, rule: 'court_order' });
  }
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
        ...(input.consentId ? { consentId: input.consentId } : {}),
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
        ...(input.consentId ? { consent_id: input.consentId } : {}),
      },
    }, now);
    return made.id;
  });
  return getDisclosure(ws, id, now);
}

/** Whether the subject may see the entry at `at`: withheld entries stay hidden until their order lapses. */
function visibleAt(row: DisclosureRow, at: string): boolean {
  return row.subject_visible === 1 || (row.withheld_until !== null && row.withheld_until <= at);
}

function toDisclosure(ws: Workspace, row: DisclosureRow, now: Date): Disclosure {
  const records = recordsOfDisclosure(ws.db, row.id);
  const statements = statementsOfDisclosure(ws.db, row.id);
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
    consentId: row.consent_id,
    notices: noticesOfDisclosure(ws.db, row.id),
  };
}

export function getDisclosure(ws: Workspace, id: string, now: Date = clockNow()): Disclosure {
  const row = findDisclosureRow(ws.db, id);
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

/** A page of the record of disclosures (newest first by default), filtered by subject, basis, dates or free text, and the total. */
export function listDisclosures(ws: Workspace, f: DisclosureFilter & PageQuery, now: Date = clockNow()): { items: Disclosure[]; total: number } {
  const page = disclosureRowsPage(ws.db, {
    ...f,
    from: f.from ? toUtcIso(f.from) : undefined,
    to: f.to ? endOfDay(f.to) : undefined,
  });
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
  const rows = disclosureRowsOfSubjectBetween(ws.db, subject.id, from, asOf);
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
