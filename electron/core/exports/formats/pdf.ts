import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PdfPrinter from 'pdfmake';
import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CustosError } from '../../errors.js';
import { resourcePath } from '../../paths.js';
import { withoutLayoutTables } from './sfnt.js';
import type { ExportMeta } from './types.js';

/** A PDF is laid out whole in memory by pdfmake, so it has a row limit; CSV has none. */
export const DEFAULT_PDF_MAX_ROWS = 10_000;

/** Files (in resources/fonts) of the one font family every PDF uses; see resources/fonts/README.md. */
const FONT_FILES = { normal: 'Roboto-Regular.ttf', bold: 'Roboto-Medium.ttf' } as const;

// A cell longer than this is cut: the PDF is the human-readable view, the machine-readable
// formats carry every value whole, and a row taller than a page would break the layout.
const MAX_CELL_CHARS = 300;
// A "word" longer than this cannot wrap at spaces and would spill into the next column.
const LONG_WORD = /\S{40}/;

export interface PdfOptions {
  /** Folder holding the TTF files; resources/fonts by default. */
  fontDir?: string;
}

// Font bytes by path, read and trimmed once per process rather than once per export.
const fontCache = new Map<string, Buffer>();

function fontBytes(file: string): Buffer {
  let bytes = fontCache.get(file);
  if (!bytes) {
    if (!existsSync(file)) {
      throw new CustosError('failure', `The PDF font ${file} is missing; reinstall Custos or choose another export format.`);
    }
    bytes = withoutLayoutTables(readFileSync(file));
    fontCache.set(file, bytes);
  }
  return bytes;
}

function fontDictionary(fontDir: string): TFontDictionary {
  const normal = fontBytes(join(fontDir, FONT_FILES.normal));
  const bold = fontBytes(join(fontDir, FONT_FILES.bold));
  // pdfmake embeds a subset of each TrueType font it uses, so the PDF renders the same anywhere.
  return { Roboto: { normal, bold, italics: normal, bolditalics: bold } };
}

/** Text fit for one table cell: control characters as spaces, long values cut. */
function cellText(value: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS - 1)}…` : flat;
}

function cell(value: string): TableCell {
  const text = cellText(value);
  // break-all makes every character its own inline, which is slow, so only where needed.
  return LONG_WORD.test(text) ? { text, wordBreak: 'break-all' } : text;
}

function eventRow(e: LedgerEvent): TableCell[] {
  return [
    String(e.seq),
    cell(e.ts),
    cell(e.actor),
    cell(e.action),
    cell(`${e.resource_type}: ${e.resource_id}`),
    cell(e.outcome),
  ];
}

function filterLines(filters: Record<string, unknown>): string {
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return 'All events (no filters).';
  return entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
}

function titlePage(meta: ExportMeta, rows: LedgerEvent[]): Content[] {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const cp = meta.checkpoint;
  const facts: [string, string][] = [
    ['Workspace', `${meta.workspaceName} (${meta.workspaceId})`],
    ['Generated at (UTC)', meta.generatedAt],
    ['Requested by', meta.requestedBy ?? '—'],
    ['Approved by', meta.approvedBy ?? '—'],
    ['Scope and filters', filterLines(meta.filters)],
    ['Masking', meta.masking ?? 'none'],
    [
      'Events in this document',
      first && last ? `${rows.length.toLocaleString('en-US')} (seq ${first.seq} to ${last.seq})` : '0',
    ],
    [
      'Checkpoint',
      cp
        ? `size ${cp.size}\nroot ${cp.root}\nkey id ${cp.key_id}\nsignature ${cp.signature}`
        : 'No checkpoint was recorded for this export.',
    ],
  ];
  return [
    { text: meta.title, fontSize: 20, bold: true, margin: [0, 0, 0, 4] },
    { text: 'Custos audit log export', fontSize: 11, color: '#555555', margin: [0, 0, 0, 16] },
    {
      table: {
        widths: [140, '*'],
        body: facts.map(([k, v]) => [{ text: k, bold: true }, { text: v, wordBreak: LONG_WORD.test(v) ? 'break-all' : 'normal' }]),
      },
      layout: 'lightHorizontalLines',
      fontSize: 9.5,
    },
    {
      margin: [0, 16, 0, 0],
      fontSize: 9,
      stack: [
        // A file cannot contain its own hash; the ledger event that records the export holds it.
        'Integrity: the SHA-256 of this PDF file is recorded in the Custos ledger, in the event that records this export. ' +
          'Compare it with the output of `sha256sum` (or `certutil -hashfile FILE SHA256`) on this file.',
        {
          text:
            'Each event is one link of a hash chain anchored to the checkpoint above. Event hashes, previous hashes and full details ' +
            `are in the machine-readable exports (CSV, JSON, NDJSON, XML); cells here longer than ${MAX_CELL_CHARS} characters are shortened.`,
          margin: [0, 6, 0, 0],
        },
        ...(meta.masking && meta.masking !== 'none'
          ? [
              {
                text:
                  'Masked values appear as pseudonyms (anon-…, the same person has the same pseudonym throughout this export) or as [REDACTED]; ' +
                  'hashes are those of the original events.',
                margin: [0, 6, 0, 0] as [number, number, number, number],
              },
            ]
          : []),
      ],
    },
  ];
}

// Only a rule under the header row: borders on 10,000 rows cost time and add nothing.
const TABLE_LAYOUT: CustomTableLayout = {
  hLineWidth: (i) => (i === 1 ? 0.6 : 0),
  vLineWidth: () => 0,
  hLineColor: () => '#888888',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
  fillColor: (row) => (row > 0 && row % 2 === 0 ? '#f3f3f3' : null),
};

/** The pdfmake document of an export: a title page, then the events table. */
export function pdfDefinition(rows: LedgerEvent[], meta: ExportMeta): TDocumentDefinitions {
  const header: TableCell[] = ['Seq', 'Time (UTC)', 'Actor', 'Action', 'Resource', 'Outcome'].map((t) => ({ text: t, bold: true }));
  const body: TableCell[][] = [header];
  for (const e of rows) body.push(eventRow(e));
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 32, 36, 40],
    info: { title: meta.title, author: 'Custos', subject: `Audit log export of ${meta.workspaceName}`, creator: 'Custos', producer: 'Custos' },
    defaultStyle: { font: 'Roboto', fontSize: 7.5 },
    footer: (currentPage, pageCount) => ({
      columns: [
        { text: `${meta.title} — ${meta.workspaceName}`, alignment: 'left' },
        { text: `Page ${currentPage} of ${pageCount}`, alignment: 'right' },
      ],
      fontSize: 7.5,
      color: '#555555',
      margin: [36, 14, 36, 0],
    }),
    content: [
      ...titlePage(meta, rows),
      rows.length === 0
        ? { text: 'No events matched the filters.', pageBreak: 'before' }
        : {
            pageBreak: 'before',
            table: { headerRows: 1, widths: [42, 112, 150, 150, '*', 48], body },
            layout: TABLE_LAYOUT,
          },
    ],
  };
}

/** A PDFKit document (a readable stream of PDF bytes, not yet ended) for the events. */
export function pdfDocument(rows: LedgerEvent[], meta: ExportMeta, opts: PdfOptions = {}): PDFKit.PDFDocument {
  const printer = new PdfPrinter(fontDictionary(opts.fontDir ?? resourcePath('fonts')));
  return printer.createPdfKitDocument(pdfDefinition(rows, meta));
}
