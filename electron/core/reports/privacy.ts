import { DISCLOSURE_BASIS_LABELS, type DisclosureBasis } from '../../../shared/contract/disclosures.js';
import { PRIVACY_RIGHT_LABELS, RIGHTS_OF_REGIME, type PrivacyRegime } from '../../../shared/contract/privacy.js';
import { cell } from '../pdf/layout.js';
import { countCell, dateCell, type Figure, type ReportSection, type ReportTable } from './report-kit.js';
import { daysUntil } from '../../../shared/day-count.js';
import { timeZoneOfDb } from '../time-zone.js';
import { daysBetween, medianOf, type KindBuilder, type ReportInput } from './report-input.js';
import {
  countsOfActions,
  checkpointsIn,
  directoryOptOuts,
  disclosuresIn,
  ledgerSpan,
  privacyRequestsIn,
  recordsDestroyedIn,
  recordsPerCategory,
  subjectsPerKind,
  type PrivacyRequestReportRow,
} from './reports-store.js';

/*
 * The privacy-law reports: GDPR's record of processing and data-subject requests, CCPA's consumer
 * requests. Requests are the privacy-rights request register (Requests screen, privacy_requests),
 * each measured against its own due day as privacy-requests.json sets it (and as extended), in calendar
 * days of the workspace's zone as the register counts them;
 * erasures are records erased, objections and opt-outs of directory information are the subjects'
 * own flag. Each report says so in its sources.
 */

const REQUEST_SOURCE: Record<PrivacyRegime, string> = {
  gdpr: 'Requests are the GDPR requests of the privacy-rights register (Requests screen; privacy_requests table) received in the period, each measured against its own due date: one calendar month from receipt (Art. 12(3)), or the date it was extended to, by up to two further months, with the reason recorded.',
  ccpa: 'Requests are the CCPA/CPRA requests of the privacy-rights register (Requests screen; privacy_requests table) received in the period, each measured against its own due date: 45 calendar days from receipt (Cal. Civ. Code 1798.130(a)(2)), or 45 more when extended once within the first period, with the reason recorded.',
};
const ERASURE_SOURCE = 'Erasures are records erased on request (records.erase), from the records table; purges at the end of retention are listed apart.';
const OPT_OUT_SOURCE = 'Objections and opt-outs are the subjects who opted out of directory information (subjects table, directory_opt_out).';

function basisLabel(basis: string): string {
  return Object.hasOwn(DISCLOSURE_BASIS_LABELS, basis) ? DISCLOSURE_BASIS_LABELS[basis as DisclosureBasis] : basis;
}

/** Disclosures in the period per basis, with their distinct recipients. */
export function disclosuresPerBasis(input: ReportInput): { total: number; table: ReportTable } {
  const rows = disclosuresIn(input.db, input.period);
  const per = new Map<string, { n: number; recipients: Set<string> }>();
  for (const d of rows) {
    const b = per.get(d.basis) ?? { n: 0, recipients: new Set<string>() };
    b.n++;
    b.recipients.add(d.recipient);
    per.set(d.basis, b);
  }
  return {
    total: rows.length,
    table: {
      title: 'Disclosures per legal basis',
      columns: [
        { header: 'Legal basis', width: '*' },
        { header: 'Disclosures', width: 60, align: 'right' },
        { header: 'Recipients', width: 60, align: 'right' },
      ],
      rows: [...per.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0])).map(([basis, b]) => [cell(basisLabel(basis)), countCell(b.n), countCell(b.recipients.size)]),
      empty: 'No disclosure was recorded in the period.',
    },
  };
}

const OPEN_STATES = new Set(['open', 'extended']);

/** Median whole days from receipt to answer ('—' when none was answered). */
function medianDays(rows: readonly PrivacyRequestReportRow[]): number | string {
  return medianOf(rows.filter((r) => r.resolved_at).map((r) => daysBetween(r.received_at, r.resolved_at!)));
}

/** Answered (completed or rejected) by its due day, as extended: calendar days in the workspace's zone, as the register and its events count. */
function answeredOnTime(r: PrivacyRequestReportRow, zone: string): boolean {
  return r.resolved_at !== null && daysUntil(r.due_at, new Date(r.resolved_at), zone) >= 0;
}

/**
 * The requests section of a privacy report: what was received, answered and refused, on time or
 * late against each request's own due date, per right (the metrics CCPA Regulations 7102 asks a
 * business to disclose: received, complied with, denied, median days to respond) and request by request.
 */
function requestsSection(input: ReportInput, regime: PrivacyRegime, title: string): ReportSection {
  const rows = privacyRequestsIn(input.db, input.period, regime);
  const answered = rows.filter((r) => r.resolved_at !== null);
  const open = rows.filter((r) => OPEN_STATES.has(r.state));
  const zone = timeZoneOfDb(input.db).timeZone;
  const figures: Figure[] = [
    { label: 'Requests received', value: rows.length },
    { label: 'Completed', value: rows.filter((r) => r.state === 'completed').length },
    { label: 'Rejected', value: rows.filter((r) => r.state === 'rejected').length },
    { label: 'Answered by their due date', value: answered.filter((r) => answeredOnTime(r, zone)).length },
    { label: 'Answered after their due date', value: answered.length - answered.filter((r) => answeredOnTime(r, zone)).length },
    { label: 'Extended', value: rows.filter((r) => r.extended_at !== null).length },
    { label: 'Median days to answer', value: medianDays(answered) },
    { label: 'Still open', value: open.length },
    { label: 'Open past their due date at generation', value: open.filter((r) => daysUntil(r.due_at, input.now, zone) < 0).length },
  ];
  const perRight: ReportTable = {
    title: 'Requests per right',
    columns: [
      { header: 'Right', width: '*' },
      { header: 'Received', width: 50, align: 'right' },
      { header: 'Completed', width: 55, align: 'right' },
      { header: 'Rejected', width: 50, align: 'right' },
      { header: 'Open', width: 40, align: 'right' },
      { header: 'Late', width: 40, align: 'right' },
      { header: 'Median days', width: 55, align: 'right' },
    ],
    rows: RIGHTS_OF_REGIME[regime].map((right) => {
      const of = rows.filter((r) => r.right === right);
      const late = of.filter((r) => (r.resolved_at !== null ? !answeredOnTime(r, zone) : daysUntil(r.due_at, input.now, zone) < 0)).length;
      const median = medianDays(of);
      return [
        cell(PRIVACY_RIGHT_LABELS[right]),
        countCell(of.length),
        countCell(of.filter((r) => r.state === 'completed').length),
        countCell(of.filter((r) => r.state === 'rejected').length),
        countCell(of.filter((r) => OPEN_STATES.has(r.state)).length),
        countCell(late),
        typeof median === 'number' ? countCell(median) : cell(median),
      ];
    }),
    empty: 'No request was received in the period.',
  };
  const list: ReportTable = {
    title: 'Requests received in the period',
    columns: [
      { header: 'Request', width: 70 },
      { header: 'Right', width: '*' },
      { header: 'Subject', width: 65 },
      { header: 'Received', width: 55 },
      { header: 'Due', width: 55 },
      { header: 'Extended', width: 55 },
      { header: 'State', width: 50 },
      { header: 'Answered', width: 55 },
    ],
    rows: rows.map((r) => [
      cell(r.id),
      cell(Object.hasOwn(PRIVACY_RIGHT_LABELS, r.right) ? PRIVACY_RIGHT_LABELS[r.right as keyof typeof PRIVACY_RIGHT_LABELS] : r.right),
      cell(r.subject_id),
      dateCell(r.received_at),
      dateCell(r.due_at),
      dateCell(r.extended_at),
      cell(r.state),
      dateCell(r.resolved_at),
    ]),
    empty: 'No request was received in the period.',
  };
  return {
    title,
    intro: 'Each request is measured against its own due date (as extended, when it was); a request still open is late once that date has passed at generation.',
    figures,
    tables: [perRight, list],
  };
}

function erasureSection(input: ReportInput): ReportSection {
  const destroyed = recordsDestroyedIn(input.db, input.period);
  const erased = destroyed.filter((r) => r.status === 'erased');
  const attempts = countsOfActions(input.db, input.window, ['records.erase'])[0]?.n ?? 0;
  return {
    title: 'Erasure',
    figures: [
      { label: 'Records erased on request', value: erased.length },
      { label: 'Erasure calls recorded (any outcome)', value: attempts, note: 'A call refused because the record must still be kept counts here, not above.' },
      { label: 'Records purged at the end of retention', value: destroyed.length - erased.length },
    ],
    tables: [
      {
        title: 'Records erased or purged in the period',
        columns: [
          { header: 'Record', width: 90 },
          { header: 'Subject', width: 70 },
          { header: 'Category', width: 80 },
          { header: 'How', width: 50 },
          { header: 'When', width: 60 },
          { header: 'By', width: '*' },
        ],
        rows: destroyed.map((r) => [cell(r.id), cell(r.subject_id), cell(r.category), cell(r.status), dateCell(r.destroyed_at), cell(r.destroyed_by ?? '—')]),
        empty: 'No record was erased or purged in the period.',
      },
    ],
  };
}

function optOutSection(input: ReportInput, title: string): ReportSection {
  const all = directoryOptOuts(input.db);
  const inPeriod = all.filter((s) => s.directory_opt_out_at !== null && s.directory_opt_out_at >= input.period.from && s.directory_opt_out_at < input.period.until);
  return {
    title,
    figures: [
      { label: 'Subjects opted out at generation', value: all.length },
      { label: 'Opted out during the period', value: inPeriod.length },
    ],
    tables: [
      {
        title: 'Opt-outs made in the period',
        columns: [
          { header: 'Subject', width: 90 },
          { header: 'Kind', width: 80 },
          { header: 'Opted out', width: '*' },
        ],
        rows: inPeriod.map((s) => [cell(s.id), cell(s.kind), dateCell(s.directory_opt_out_at)]),
        empty: 'Nobody opted out in the period.',
      },
    ],
  };
}

export const gdprArt30: KindBuilder = (input) => {
  const kinds = subjectsPerKind(input.db);
  const categories = recordsPerCategory(input.db);
  const disclosures = disclosuresPerBasis(input);
  const span = ledgerSpan(input.db, input.window.size);
  const verifications = countsOfActions(input.db, input.window, ['ledger.verify'], true)[0]?.n ?? 0;
  const checkpoints = checkpointsIn(input.db, input.window, 0).total;
  return {
    sources: [
      'Categories of data subjects and of personal data: the subjects and records tables as they stood at the tree head.',
      'Recipients: the disclosures recorded with a date in the period (disclosures table).',
      'Security measures: the ledger up to the tree head, its verifications and the checkpoints signed in the period.',
    ],
    sections: [
      {
        title: 'Categories of data subjects (Art. 30(1)(c))',
        figures: [
          { label: 'Data subjects', value: kinds.reduce((n, k) => n + k.subjects, 0) },
          { label: 'Active records', value: categories.reduce((n, c) => n + c.active, 0) },
          { label: 'Record categories', value: categories.length },
        ],
        tables: [
          {
            columns: [
              { header: 'Kind of data subject', width: '*' },
              { header: 'Subjects', width: 60, align: 'right' },
              { header: 'Directory opt-outs', width: 90, align: 'right' },
            ],
            rows: kinds.map((k) => [cell(k.kind), countCell(k.subjects), countCell(k.opted_out)]),
            empty: 'No data subject is recorded.',
          },
        ],
      },
      {
        title: 'Categories of personal data and time limits (Art. 30(1)(c), (f))',
        tables: [
          {
            columns: [
              { header: 'Category', width: '*' },
              { header: 'Active', width: 45, align: 'right' },
              { header: 'Erased/purged', width: 65, align: 'right' },
              { header: 'Subjects', width: 45, align: 'right' },
              { header: 'Earliest end', width: 65 },
              { header: 'Latest end', width: 65 },
            ],
            rows: categories.map((c) => [cell(c.category), countCell(c.active), countCell(c.destroyed), countCell(c.subjects), dateCell(c.earliest_until), dateCell(c.latest_until)]),
            empty: 'No record is held.',
          },
        ],
      },
      {
        title: 'Recipients (Art. 30(1)(d))',
        figures: [{ label: 'Disclosures in the period', value: disclosures.total }],
        tables: [disclosures.table],
      },
      {
        title: 'Technical and organisational security measures (Art. 30(1)(g), Art. 32)',
        intro: 'Records are kept in an encrypted workspace (SQLCipher 4, AES-256); every action is appended to a hash-chained ledger whose Merkle tree heads are signed with Ed25519.',
        figures: [
          { label: 'Ledger events up to the tree head', value: span.events },
          { label: 'Ledger verifications in the period', value: verifications },
          { label: 'Checkpoints signed in the period', value: checkpoints },
        ],
      },
    ],
  };
};

export const gdprRequests: KindBuilder = (input) => ({
  sources: [REQUEST_SOURCE.gdpr, ERASURE_SOURCE, OPT_OUT_SOURCE, 'Open requests are judged overdue at the time the report is generated.'],
  sections: [requestsSection(input, 'gdpr', 'Data-subject requests (Art. 12–22)'), erasureSection(input), optOutSection(input, 'Objections to directory information (Art. 21)')],
});

export const ccpaRequests: KindBuilder = (input) => ({
  sources: [REQUEST_SOURCE.ccpa, ERASURE_SOURCE, OPT_OUT_SOURCE, 'Open requests are judged overdue at the time the report is generated.'],
  sections: [requestsSection(input, 'ccpa', 'Consumer requests (1798.100–130)'), erasureSection(input), optOutSection(input, 'Opt-outs of sharing (directory information)')],
});
