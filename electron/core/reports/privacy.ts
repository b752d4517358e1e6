import { DISCLOSURE_BASIS_LABELS, type DisclosureBasis } from '../../../shared/contract/disclosures.js';
import { cell } from '../pdf/layout.js';
import { countCell, dateCell, type Figure, type ReportSection, type ReportTable } from './report-kit.js';
import { reportPolicy, requestTiming, type KindBuilder, type ReportInput } from './report-input.js';
import {
  accessRequestsIn,
  countsOfActions,
  checkpointsIn,
  directoryOptOuts,
  disclosuresIn,
  ledgerSpan,
  recordsDestroyedIn,
  recordsPerCategory,
  subjectsPerKind,
  type AccessRequestRow,
} from './reports-store.js';

/*
 * The privacy-law reports: GDPR's record of processing and data-subject requests, CCPA's consumer
 * requests. The workspace has no GDPR/CCPA request register of its own: requests to access are its
 * access requests (FERPA's register), erasures are records erased on request, objections and
 * opt-outs are directory-information opt-outs. Each report says so in its sources.
 */

function requestSource(what: string): string {
  return `${what} are the access-request register (Deadlines, FERPA 34 CFR 99.10): this workspace keeps no separate GDPR or CCPA request register.`;
}
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

function requestRows(rows: readonly AccessRequestRow[]): ReportTable {
  return {
    title: 'Requests received in the period',
    columns: [
      { header: 'Request', width: 80 },
      { header: 'Subject', width: 70 },
      { header: 'Received', width: 60 },
      { header: 'Due', width: 60 },
      { header: 'State', width: 60 },
      { header: 'Answered', width: '*' },
    ],
    rows: rows.map((r) => [cell(r.id), cell(r.subject_id), dateCell(r.requested_at), dateCell(r.due_at), cell(r.state), dateCell(r.resolved_at)]),
    empty: 'No request was received in the period.',
  };
}

/** The requests section of a privacy report, measured against `days`. */
function requestsSection(input: ReportInput, days: number, what: string): ReportSection {
  const rows = accessRequestsIn(input.db, input.period);
  const t = requestTiming(rows, days, input.now);
  const figures: Figure[] = [
    { label: `${what} received`, value: t.received },
    { label: `${what} answered`, value: t.fulfilled },
    { label: `Answered within ${days} days`, value: t.onTime },
    { label: `Answered after ${days} days`, value: t.late },
    { label: 'Median days to answer', value: t.medianDays },
    { label: 'Withdrawn', value: t.withdrawn },
    { label: 'Still open', value: t.open },
    { label: `Open past ${days} days at generation`, value: t.openOverdue },
  ];
  return { title: what, intro: `Measured against ${days} calendar days from receipt.`, figures, tables: [requestRows(rows)] };
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

export const gdprRequests: KindBuilder = (input) => {
  const days = reportPolicy().gdprResponseDays;
  return {
    sources: [requestSource('Access requests'), ERASURE_SOURCE, OPT_OUT_SOURCE, 'Open requests are judged overdue at the time the report is generated.'],
    sections: [requestsSection(input, days, 'Access requests (Art. 15)'), erasureSection(input), optOutSection(input, 'Objections to directory information (Art. 21)')],
  };
};

export const ccpaRequests: KindBuilder = (input) => {
  const days = reportPolicy().ccpaResponseDays;
  return {
    sources: [requestSource('Requests to know'), ERASURE_SOURCE, OPT_OUT_SOURCE, 'Open requests are judged overdue at the time the report is generated.'],
    sections: [requestsSection(input, days, 'Requests to know'), erasureSection(input), optOutSection(input, 'Opt-outs of sharing (directory information)')],
  };
};
