import PdfPrinter from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { pdfFontDictionary } from '../../pdf/fonts.js';
import { cell as kitCell, docDefinition, factsGrid, hashCell, note, section, table, titleBlock, type Column, type Fact, utcText } from '../../pdf/layout.js';
import { EVIDENCE_FILES_NOTE, type ExportEvidenceItem, type ExportMeta } from './types.js';

/** A PDF is laid out whole in memory by pdfmake, so it has a row limit; CSV has none. */
export const DEFAULT_PDF_MAX_ROWS = 10_000;

// A cell longer than this is cut: the PDF is the human-readable view, the machine-readable
// formats carry every value whole, and a row taller than a page would break the layout.
const MAX_CELL_CHARS = 300;
/** Text fit for one table cell: control characters as spaces, long values cut. */
function cellText(value: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS - 1)}…` : flat;
}

/** A cell of the events or custody table: one line of text, long values cut, long words broken (the kit's cell). */
function cell(value: string): TableCell {
  return kitCell(cellText(value));
}

function eventRow(e: LedgerEvent): TableCell[] {
  return [
    String(e.seq),
    cell(utcText(e.ts, { seconds: true })),
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

function contentsLine(meta: ExportMeta): string {
  const parts = [meta.includes?.auditTrail === false ? null : 'the audit trail (ledger events)', meta.includes?.evidence ? 'the evidence register in scope, with holds and chains of custody' : null];
  const list = parts.filter((p): p is string => p !== null);
  return `${list.join(', then ')}.`.replace(/^./, (c) => c.toUpperCase());
}

function titlePage(meta: ExportMeta, rows: LedgerEvent[], evidence: ExportEvidenceItem[] | undefined): Content[] {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const cp = meta.checkpoint;
  const auditTrail = meta.includes?.auditTrail !== false;
  const facts: Fact[] = [
    ['Workspace', `${meta.workspaceName} (${meta.workspaceId})`],
    ['Generated', utcText(meta.generatedAt)],
    ['Requested by', meta.requestedBy ?? '—'],
    ['Approved by', meta.approvedBy ?? '—'],
    ['Scope and filters', filterLines(meta.filters)],
    ['Masking', meta.masking ?? 'none'],
    ['Contents', contentsLine(meta)],
    [
      'Events in this document',
      !auditTrail
        ? 'None: the audit trail was not requested for this export.'
        : first && last
          ? `${rows.length.toLocaleString('en-US')} (seq ${first.seq} to ${last.seq})`
          : '0',
    ],
    ...(evidence ? ([['Evidence items in this document', evidence.length.toLocaleString('en-US')]] as Fact[]) : []),
    [
      'Checkpoint',
      cp
        ? { text: `size ${cp.size}\nroot ${cp.root}\nkey id ${cp.key_id}\nsignature ${cp.signature}`, wordBreak: 'break-all' }
        : 'No checkpoint was recorded for this export.',
    ],
  ];
  return [
    ...titleBlock({ title: meta.title, subtitle: 'Custos audit log export', facts }),
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
        ...(evidence ? [{ text: EVIDENCE_FILES_NOTE, margin: [0, 6, 0, 0] as [number, number, number, number] }] : []),
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

const EVENT_COLUMNS: Column[] = [
  { header: 'Seq', width: 42 },
  { header: 'Time', width: 112 },
  { header: 'Actor', width: 150 },
  { header: 'Action', width: 150 },
  { header: 'Resource', width: '*' },
  { header: 'Outcome', width: 48 },
];

const CUSTODY_COLUMNS: Column[] = [
  { header: 'At', width: 100 },
  { header: 'Kind', width: 42 },
  { header: 'From', width: 105 },
  { header: 'To', width: 105 },
  { header: 'Purpose', width: '*' },
  { header: 'Location', width: 95 },
  { header: 'Recorded by', width: 80 },
  { header: 'Seq', width: 36, align: 'right' },
];

/** One evidence item: a heading and its facts kept together, then its chain of custody. */
function evidenceBlock(item: ExportEvidenceItem, index: number): Content[] {
  const holds = item.holds.length === 0 ? 'none' : item.holds.map((h) => `${h.id} (case ${h.case_id}): ${h.title}`).join('\n');
  const facts: [string, string, string, string][] = [
    ['Description', item.description || '—', 'Source', item.source],
    ['File', `${item.original_name} (${item.media_type})`, 'Size', `${item.size_bytes.toLocaleString('en-US')} bytes`],
    ['SHA-256', item.sha256, 'Integrity', item.last_verified_at ? `${item.integrity} (verified ${utcText(item.last_verified_at)})` : item.integrity],
    ['Collected by', item.collected_by, 'Collected at', utcText(item.collected_at)],
    ['Status', item.status, 'Custodian', item.custodian],
    ['Location', item.location || '—', 'Legal holds', holds],
  ];
  return [
    {
      unbreakable: true,
      margin: [0, index === 0 ? 4 : 14, 0, 0],
      stack: [
        { text: `${item.id}: ${cellText(item.title)}`, fontSize: 10, bold: true, margin: [0, 0, 0, 3] },
        factsGrid(facts.map(([a, b, c, d]) => [[a, a === 'SHA-256' ? hashCell(b) : cell(b)], [c, cell(d)]]), { labelWidths: [70, 80] }),
        { text: 'Chain of custody', bold: true, margin: [0, 5, 0, 2] },
      ],
    },
    table({
      columns: CUSTODY_COLUMNS,
      rows: item.custody.map((c) => [cell(utcText(c.at, { seconds: true })), cell(c.kind), cell(c.from ?? '—'), cell(c.to ?? '—'), cell(c.purpose), cell(c.location || '—'), cell(c.recorded_by), String(c.ledger_seq)]),
      empty: 'No custody entries up to the checkpoint.',
    }),
  ];
}

function evidenceSection(evidence: ExportEvidenceItem[]): Content[] {
  return [
    section('Evidence in scope', { newPage: true }),
    note(`${EVIDENCE_FILES_NOTE} Status, custodian and location are as of the checkpoint; integrity and legal holds as at generation time.`),
    ...(evidence.length === 0 ? [{ text: 'No evidence items are in scope.' }] : evidence.flatMap((item, i) => evidenceBlock(item, i))),
  ];
}

/**
 * The pdfmake document of an export: a title page, then the events table (unless the audit
 * trail was left out), then, when `evidence` is given, the evidence register.
 */
export function pdfDefinition(rows: LedgerEvent[], meta: ExportMeta, evidence?: ExportEvidenceItem[]): TDocumentDefinitions {
  const auditTrail = meta.includes?.auditTrail !== false;
  const eventsContent: Content[] = auditTrail ? [table({ columns: EVENT_COLUMNS, rows: rows.map(eventRow), empty: 'No events matched the filters.', newPage: true })] : [];
  return docDefinition({
    title: meta.title,
    workspace: meta.workspaceName,
    generatedAt: meta.generatedAt,
    subject: `Audit log export of ${meta.workspaceName}`,
    orientation: 'landscape',
    content: [...titlePage(meta, rows, evidence), ...eventsContent, ...(evidence ? evidenceSection(evidence) : [])],
  });
}

/** A PDFKit document (a readable stream of PDF bytes, not yet ended) for the events and, if given, the evidence register. */
export function pdfDocument(rows: LedgerEvent[], meta: ExportMeta, evidence?: ExportEvidenceItem[]): PDFKit.PDFDocument {
  const printer = new PdfPrinter(pdfFontDictionary());
  return printer.createPdfKitDocument(pdfDefinition(rows, meta, evidence));
}
