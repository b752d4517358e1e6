import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { ReportKind } from '../../../shared/contract/reports.js';
import { cell, dayText, docDefinition, factsTable, hashCell, note, section, subsection, table, titleBlock, utcCellText, utcText, type Column } from '../pdf/layout.js';

/*
 * The one kit of the pre-built reports: a report is its kind, its period, the signed tree head it is
 * anchored to, and sections of figures and tables. Every kind says only what it holds; the title
 * page, the anchor, the footer and the look of figures and tables come from here (and the PDF
 * layout kit under it), so all reports read alike and an auditor knows where to look.
 */

/** One figure: a label and a count (or short value), optionally with a remark. */
export interface Figure {
  label: string;
  value: number | string;
  note?: string;
}

/** A table of a section. `total` is set when only the first rows are listed (the figures still count all). */
export interface ReportTable {
  title?: string;
  note?: string;
  columns: Column[];
  rows: TableCell[][];
  empty: string;
  total?: number;
}

export interface ReportSection {
  title: string;
  /** What the section shows and where its numbers come from. */
  intro?: string;
  figures?: Figure[];
  tables?: ReportTable[];
}

/** What a kind computes: its sections and the sentences naming the data they come from. */
export interface ReportBody {
  sections: ReportSection[];
  sources: string[];
}

/** The signed tree head a report is drawn from. */
export interface ReportAnchor {
  workspaceId: string;
  size: number;
  root: string;
  keyId: string;
  signedAt: string;
}

export interface ReportMeta {
  kind: ReportKind;
  /** First and last day of the period, YYYY-MM-DD (UTC, both included). */
  from: string;
  to: string;
  workspaceName: string;
  generatedAt: string;
  generatedBy: string;
  anchor: ReportAnchor;
}

/** How every count is printed (and how a test that checks the PDF prints the number it expects). */
export function figureText(value: number | string): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : value;
}

/** The most rows a listing table shows; the figures above it always count every row. */
export const LISTING_LIMIT = 2000;

/** The scope line of a report: what it covers, over which slice of the ledger. */
export function scopeText(meta: Pick<ReportMeta, 'anchor' | 'workspaceName'>): string {
  return `The whole workspace "${meta.workspaceName}": ledger events 1 to ${figureText(meta.anchor.size)} (the signed tree head below) and the workspace's records as they stood when that tree head was signed.`;
}

function figuresTable(figures: Figure[]): Content {
  const hasNotes = figures.some((f) => f.note);
  const figuresContent = table({
    columns: [
      { header: 'Figure', width: '*' },
      { header: 'Value', width: 70, align: 'right' },
      ...(hasNotes ? [{ header: 'Remark', width: 170 } as Column] : []),
    ],
    rows: figures.map((f) => [cell(f.label), cell(figureText(f.value), { bold: true }), ...(hasNotes ? [cell(f.note ?? '')] : [])]),
    empty: 'No figures.',
    keepRows: true,
  });
  return { stack: [figuresContent], margin: [0, 0, 0, 6] };
}

function tableContent(t: ReportTable) {
  const shown = t.total !== undefined && t.total > t.rows.length ? [note(`The first ${figureText(t.rows.length)} of ${figureText(t.total)} are listed; the figures count all of them.`)] : [];
  return [
    ...(t.title ? [subsection(t.title)] : []),
    ...(t.note ? [note(t.note)] : []),
    ...shown,
    table({ columns: t.columns, rows: t.rows, empty: t.empty, fontSize: 8 }),
  ];
}

/** The pdfmake document of a report: title page with scope, period and anchor, then its sections. */
export function reportDefinition(meta: ReportMeta, body: ReportBody): TDocumentDefinitions {
  const { kind, anchor } = meta;
  const title = `${kind.framework}: ${kind.title}`;
  return docDefinition({
    title,
    workspace: meta.workspaceName,
    generatedAt: meta.generatedAt,
    reference: `tree head ${anchor.size} root ${anchor.root} key ${anchor.keyId.slice(0, 16)} signed ${utcText(anchor.signedAt)}`,
    subject: `${kind.reference}; period ${meta.from} to ${meta.to}`,
    author: meta.workspaceName,
    content: [
      ...titleBlock({
        title,
        subtitle: `${kind.reference} · ${meta.workspaceName}`,
        facts: [
          ['Report', `${kind.title} (${kind.id})`],
          ['Scope', scopeText(meta)],
          ['Period', `${dayText(meta.from)} to ${dayText(meta.to)} (UTC, both days included)`],
          ['Anchored to', `Signed checkpoint of tree size ${anchor.size}`],
          ['Tree size', String(anchor.size)],
          ['Root hash', hashCell(anchor.root, { fontSize: 8 })],
          ['Signing key', hashCell(anchor.keyId, { fontSize: 8 })],
          ['Checkpoint signed', utcText(anchor.signedAt, { seconds: true })],
          ['Workspace id', anchor.workspaceId],
          ['Generated', `${utcText(meta.generatedAt)} by ${meta.generatedBy}`],
        ],
      }),
      note(
        `${kind.description} To check a figure, take a bundle of this workspace at the same tree head (size ${anchor.size}, root above): ` +
          '`custos verify` on it proves the events, and the same counts over its events.ndjson must give the same numbers. ' +
          "This file's SHA-256 is recorded in the workspace's ledger (action reports.generate).",
        { margin: [0, 12, 0, 4] },
      ),
      subsection('Where the figures come from'),
      ...body.sources.map((s) => note(`• ${s}`, { margin: [0, 0, 0, 2] })),
      ...body.sections.flatMap((s) => [
        section(s.title),
        ...(s.intro ? [note(s.intro)] : []),
        ...(s.figures && s.figures.length > 0 ? [figuresTable(s.figures)] : []),
        ...(s.tables ?? []).flatMap(tableContent),
      ]),
      section('Anchor'),
      factsTable([
        ['Tree size', String(anchor.size)],
        ['Root hash (hex)', hashCell(anchor.root, { fontSize: 8 })],
        ['Key fingerprint', hashCell(anchor.keyId, { fontSize: 8 })],
        ['Signed', utcText(anchor.signedAt, { seconds: true })],
      ]),
      note('The root is the RFC 6962 Merkle tree hash of the first events of the ledger, up to the tree size; the key fingerprint is the SHA-256 of the workspace\'s Ed25519 public key (SPKI DER).', {
        margin: [0, 6, 0, 0],
      }),
    ],
  });
}

/** A date-time cell shortened to the minute (UTC). */
export function whenCell(ts: string | null | undefined): TableCell {
  return cell(utcCellText(ts));
}

/** A date cell (YYYY-MM-DD). */
export function dateCell(ts: string | null | undefined): TableCell {
  return cell(dayText(ts));
}

/** A count cell, printed as figures are. */
export function countCell(n: number): TableCell {
  return cell(figureText(n));
}
