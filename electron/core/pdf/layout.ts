import type { Content, CustomTableLayout, DynamicContent, Margins, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { pdfFontBytes, pdfSafe } from './fonts.js';

/*
 * The one layout of every PDF Custos makes: reports, exports, productions. A generator says what
 * its document holds and calls these; none sets its own frame, footer, page numbers or table look,
 * so a court or an auditor gets the same kind of document from every corner of the app.
 *
 *   docDefinition({ title, workspace, generatedAt, content: [
 *     ...titleBlock({ title, subtitle, facts: [['Workspace', name], ['Generated', at]] }),
 *     section('Events', { newPage: true }),
 *     table({ columns: [{ header: 'Seq', width: 40, align: 'right' }, { header: 'Action', width: '*' }], rows, empty: 'No events.' }),
 *   ] })
 *
 * Every page then ends with the document's identity and "Page N of M" (test/unit/pdf-layout.test.ts
 * checks that of every generator).
 */

/** The colours documents use besides black: one muted grey, rules, zebra stripes, and the two verdict colours. */
export const PDF_COLORS = {
  muted: '#555555',
  rule: '#888888',
  faintRule: '#cccccc',
  zebra: '#f3f3f3',
  ok: '#12703a',
  bad: '#b3261e',
} as const;

/** Type sizes, in points, of the parts of a document (titleBlock, section, subsection, note). */
export const PDF_TYPE = { title: 20, subtitle: 11, section: 14, subsection: 11, note: 8.5, footer: 7 } as const;

export type PdfOrientation = 'portrait' | 'landscape';

/** A4 in both orientations: portrait for reports, landscape for wide tables (exports, accountings). */
const FRAMES: Record<PdfOrientation, { margins: [number, number, number, number]; fontSize: number; lineHeight: number }> = {
  portrait: { margins: [44, 40, 44, 48], fontSize: 9, lineHeight: 1.15 },
  landscape: { margins: [36, 32, 36, 40], fontSize: 7.5, lineHeight: 1 },
};

/** What a document is; `docDefinition` makes the frame, the metadata and the footer from it. */
export interface PdfDocumentSpec {
  /** The PDF's Title, and the first words of every page's footer. */
  title: string;
  /** The workspace the document comes from (footer). */
  workspace: string;
  /** When it was made, RFC 3339 UTC (footer, and the PDF's creation date). */
  generatedAt: string;
  /** More identity for the footer, e.g. the signed tree head or the hash of the bundle reported on. */
  reference?: string;
  /** The PDF's Subject. */
  subject?: string;
  /** The PDF's Author (default Custos). */
  author?: string;
  orientation?: PdfOrientation;
  /** The body text size, in points (default 9 portrait, 7.5 landscape). */
  fontSize?: number;
  /**
   * Only for documents whose pages carry a stamp of their own (the Bates-numbered production): its
   * own margins and footer. The footer must still say pageNumberText(page, pages).
   */
  stamped?: { margins: [number, number, number, number]; footer: DynamicContent; lineHeight: number };
  content: Content[];
}

/** The words every page's footer carries: the walk over every generator looks for them. */
export function pageNumberText(page: number, pages: number): string {
  return `Page ${page} of ${pages}`;
}

/** The identity line of a document's footer: title, workspace, generation time and any reference. */
function footerIdentity(spec: Pick<PdfDocumentSpec, 'title' | 'workspace' | 'generatedAt' | 'reference'>): string {
  return pdfSafe([spec.title, spec.workspace, `generated ${utcText(spec.generatedAt)}`, ...(spec.reference ? [spec.reference] : [])].join(' · '));
}

function creationDate(at: string): Date | undefined {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The pdfmake document: A4, the one font, the default styles and a footer with the document's identity and page numbers. */
export function docDefinition(spec: PdfDocumentSpec): TDocumentDefinitions {
  const frame = FRAMES[spec.orientation ?? 'portrait'];
  const margins = spec.stamped?.margins ?? frame.margins;
  const identity = footerIdentity(spec);
  const footer: DynamicContent =
    spec.stamped?.footer ??
    ((page: number, pages: number) => ({
      columns: [
        { text: identity, alignment: 'left', width: '*' },
        { text: pageNumberText(page, pages), alignment: 'right', width: 70 },
      ],
      columnGap: 12,
      fontSize: PDF_TYPE.footer,
      color: PDF_COLORS.muted,
      margin: [margins[0], 14, margins[2], 0],
    }));
  const created = creationDate(spec.generatedAt);
  return {
    pageSize: 'A4',
    pageOrientation: spec.orientation ?? 'portrait',
    pageMargins: margins,
    info: {
      title: pdfSafe(spec.title),
      author: pdfSafe(spec.author ?? 'Custos'),
      ...(spec.subject ? { subject: pdfSafe(spec.subject) } : {}),
      creator: 'Custos',
      producer: 'Custos',
      ...(created ? { creationDate: created } : {}),
    },
    defaultStyle: { font: pdfFontBytes().family, fontSize: spec.fontSize ?? frame.fontSize, lineHeight: spec.stamped?.lineHeight ?? frame.lineHeight },
    footer,
    content: spec.content,
    pageBreakBefore: headingsKeptWithContent,
  };
}

/**
 * A section or subsection heading that would start in the last eighth of a page goes to the next, so
 * no heading ends a page without what it heads. It looks at the heading's own position only: pdfmake
 * gives a function of more arguments every node after it, which is quadratic in a long table.
 */
function headingsKeptWithContent(node: { headlineLevel?: unknown; startPosition?: { verticalRatio?: number } }): boolean {
  return node.headlineLevel === 1 && (node.startPosition?.verticalRatio ?? 0) > 0.875;
}

// A "word" longer than this cannot wrap at spaces and would spill into the next column.
const LONG_WORD = /\S{40}/;

/**
 * A table cell that wraps and never overflows: control characters dropped, long words broken
 * anywhere. A plain string when nothing more is needed (break-all makes every character its own
 * inline, which is slow on a 10,000-row table).
 */
export function cell(value: string, extra: Record<string, unknown> = {}): TableCell {
  const text = pdfSafe(value);
  const breakAll = LONG_WORD.test(text);
  if (!breakAll && Object.keys(extra).length === 0) return text;
  return { text, ...(breakAll ? { wordBreak: 'break-all' } : {}), ...extra } as TableCell;
}

/** A hash, key or signature: smaller, broken anywhere, so 64 hex digits fit a narrow column. */
export function hashCell(value: string, extra: Record<string, unknown> = {}): TableCell {
  return { text: pdfSafe(value), fontSize: 7, wordBreak: 'break-all', ...extra } as TableCell;
}

/** A label and its value; a string value goes through cell(). */
export type Fact = [label: string, value: string | TableCell];

/** Light rules between rows, none around: for facts and short lists. */
const RULED: CustomTableLayout = {
  hLineWidth: (i, node) => (i === 0 || i === node.table.body.length ? 0 : 0.5),
  vLineWidth: () => 0,
  hLineColor: () => PDF_COLORS.faintRule,
  paddingLeft: (i) => (i === 0 ? 0 : 6),
  paddingRight: () => 4,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

/** Label/value rows: the key facts of a title page or of one item. */
export function factsTable(rows: Fact[], opts: { labelWidth?: number; fontSize?: number } = {}): Content {
  return {
    table: {
      widths: [opts.labelWidth ?? 140, '*'],
      body: rows.map(([label, value]) => [{ text: label, bold: true }, typeof value === 'string' ? cell(value || '—') : value]),
      dontBreakRows: true,
    },
    layout: RULED,
    ...(opts.fontSize ? { fontSize: opts.fontSize } : {}),
  };
}

/** Two label/value pairs a row, for an item with many short facts (an evidence item's register entry). */
export function factsGrid(rows: [Fact, Fact][], opts: { labelWidths?: [number, number] } = {}): Content {
  const [a, b] = opts.labelWidths ?? [80, 80];
  const value = (v: string | TableCell): TableCell => (typeof v === 'string' ? cell(v || '—') : v);
  return {
    table: {
      widths: [a, '*', b, '*'],
      body: rows.map(([[l1, v1], [l2, v2]]) => [{ text: l1, bold: true }, value(v1), { text: l2, bold: true }, value(v2)]),
      dontBreakRows: true,
    },
    layout: RULED,
  };
}

/** The top of a document's first page: its title, a subtitle, and its key facts. */
export function titleBlock(t: { title: string; subtitle?: string; facts?: Fact[] }): Content[] {
  return [
    { text: pdfSafe(t.title), fontSize: PDF_TYPE.title, bold: true, margin: [0, 0, 0, t.subtitle ? 2 : 12] },
    ...(t.subtitle ? [{ text: pdfSafe(t.subtitle), fontSize: PDF_TYPE.subtitle, color: PDF_COLORS.muted, margin: [0, 0, 0, 14] as Margins }] : []),
    ...(t.facts && t.facts.length > 0 ? [factsTable(t.facts)] : []),
  ];
}

/** A section heading; `newPage` starts it on a page of its own. */
export function section(title: string, opts: { newPage?: boolean } = {}): Content {
  return {
    text: pdfSafe(title),
    fontSize: PDF_TYPE.section,
    bold: true,
    margin: [0, opts.newPage ? 0 : 16, 0, 6],
    headlineLevel: 1,
    ...(opts.newPage ? { pageBreak: 'before' as const } : {}),
  };
}

/** A heading inside a section. */
export function subsection(title: string): Content {
  return { text: pdfSafe(title), fontSize: PDF_TYPE.subsection, bold: true, margin: [0, 12, 0, 4], headlineLevel: 1 };
}

/** An explanatory paragraph in the muted colour, e.g. what a table lists or how to check a file. */
export function note(text: string, opts: { fontSize?: number; margin?: Margins } = {}): Content {
  return { text: pdfSafe(text), fontSize: opts.fontSize ?? PDF_TYPE.note, color: PDF_COLORS.muted, margin: opts.margin ?? [0, 0, 0, 6] };
}

/** One column of a table: its header, its width (points, '*' or 'auto'), and how its cells align. */
export interface Column {
  header: string;
  width: number | '*' | 'auto';
  align?: 'left' | 'right';
}

/** A table's columns, its rows, and the sentence it shows when it has none. */
export interface TableSpec {
  columns: Column[];
  rows: TableCell[][];
  empty: string;
  fontSize?: number;
  /** Keep each row on one page (for rows a few lines tall; a row taller than a page is then cut). */
  keepRows?: boolean;
  /** Start the table on a new page. */
  newPage?: boolean;
}

// A rule under the header and zebra stripes: rules between 10,000 rows cost time and add nothing.
const DATA: CustomTableLayout = {
  hLineWidth: (i, node) => (i === 1 ? 0.6 : i === node.table.body.length ? 0.4 : 0),
  vLineWidth: () => 0,
  hLineColor: () => PDF_COLORS.rule,
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
  fillColor: (row) => (row > 0 && row % 2 === 0 ? PDF_COLORS.zebra : null),
};

function aligned(c: TableCell, align: 'left' | 'right' | undefined): TableCell {
  if (align !== 'right') return c;
  if (typeof c === 'string') return { text: c, alignment: 'right' };
  if (typeof c === 'object' && c !== null && !Array.isArray(c) && !('alignment' in c)) return { ...c, alignment: 'right' } as TableCell;
  return c;
}

/** A data table whose header row repeats on every page; with no rows it says `empty`. */
export function table(spec: TableSpec): Content {
  const { columns } = spec;
  const right = columns.some((c) => c.align === 'right');
  const header: TableCell[] = columns.map((c) => ({ text: c.header, bold: true, ...(c.align === 'right' ? { alignment: 'right' } : {}) }) as TableCell);
  const rows: TableCell[][] =
    spec.rows.length === 0
      ? [[{ text: pdfSafe(spec.empty), colSpan: columns.length, color: PDF_COLORS.muted, margin: [0, 2, 0, 2] }, ...columns.slice(1).map(() => '')]]
      : right
        ? spec.rows.map((r) => r.map((c, i) => aligned(c, columns[i]?.align)))
        : spec.rows;
  return {
    // The header row never ends a page alone: it goes over with the first row. pdfmake makes the two one
    // block it cannot split and keeps only what fits one page of it, so only a first row that surely fits.
    table: {
      headerRows: 1,
      ...(rows[0]?.every((c) => cellTextLength(c) <= KEEP_WITH_HEADER_MAX_CHARS) ? { keepWithHeaderRows: 1 } : {}),
      widths: columns.map((c) => c.width),
      body: [header, ...rows],
      ...(spec.keepRows ? { dontBreakRows: true } : {}),
    },
    layout: DATA,
    ...(spec.fontSize ? { fontSize: spec.fontSize } : {}),
    ...(spec.newPage ? { pageBreak: 'before' as const } : {}),
  };
}

/** A first row with no cell longer than this fits a page even in a narrow column (about 40 lines of 10 characters). */
const KEEP_WITH_HEADER_MAX_CHARS = 400;

/** Characters of text in a cell; Infinity when it holds more than plain text (a stack, columns…), whose height is unknown here. */
function cellTextLength(c: TableCell): number {
  if (typeof c === 'string') return c.length;
  if (typeof c === 'number') return String(c).length;
  const text = (c as { text?: unknown }).text;
  return typeof text === 'string' ? text.length : Number.POSITIVE_INFINITY;
}

const DAY_TEXT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const TIME_TEXT = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const TIME_SECONDS_TEXT = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

function parsed(iso: string): Date | null {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A day as every PDF writes it, the screens' format: "3 Dec 2026" (from a YYYY-MM-DD day, or the
 * UTC day of an instant), or "—". ISO dates stay inside hashes, file names and data files.
 */
export function dayText(isoOrDay: string | null | undefined): string {
  if (!isoOrDay) return '—';
  const d = parsed(isoOrDay);
  return d ? DAY_TEXT.format(d) : isoOrDay;
}

/**
 * An instant as every PDF writes it: "3 Dec 2026, 02:14 UTC" (documents leave the machine, so the
 * zone is named), with seconds for ledger events ("3 Dec 2026, 02:14:05 UTC"), or "—".
 */
export function utcText(iso: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const d = parsed(iso);
  if (!d) return iso;
  return `${DAY_TEXT.format(d)}, ${(opts.seconds ? TIME_SECONDS_TEXT : TIME_TEXT).format(d)} UTC`;
}

/**
 * utcText for a narrow table column: the day and the time each stay on one line (no-break spaces), so
 * the cell wraps only after the comma ("3 Dec 2026," then "02:14 UTC"), never leaving "UTC" alone.
 */
export function utcCellText(iso: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  return utcText(iso, opts).replace(/ (?!\d{2}:)/g, '\u00a0');
}

/**
 * The closing "Anchor" section of a document drawn from the ledger: the signed tree head it was
 * made at (size, root, time, key id and signature), for checking against a bundle of the same head.
 */
export function anchorSection(
  what: string,
  workspace: { name: string; id: string },
  anchor: { size: number; root: string; ts: string; key_id: string; signature: string },
): Content[] {
  return [
    section('Anchor'),
    note(
      `This ${what} is drawn from the ledger of workspace ${workspace.name} (${workspace.id}) through event ${anchor.size}, ` +
        `whose signed tree head was written when the ${what} was made. Check it against a bundle or checkpoint of the same tree head.`,
      { margin: [0, 4, 0, 4] },
    ),
    table({
      columns: [
        { header: 'Tree size', width: 60 },
        { header: 'Root (SHA-256)', width: '*' },
        { header: 'Signed at', width: 92 },
      ],
      rows: [[cell(String(anchor.size)), hashCell(anchor.root, { fontSize: 7 }), cell(utcText(anchor.ts))]],
      empty: '',
    }),
    note(`Key id ${anchor.key_id}\nSignature ${anchor.signature}`, { fontSize: 6.5, margin: [0, 4, 0, 0] }),
  ];
}
