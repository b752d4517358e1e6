import { Readable } from 'node:stream';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CustosError, failureText } from '../../errors.js';
import { writeFileStreaming } from '../../fs/atomic.js';
import { csvChunks } from './csv.js';
import { jsonChunks } from './json.js';
import { ndjsonChunks } from './ndjson.js';
import { DEFAULT_PDF_MAX_ROWS, pdfDocument } from './pdf.js';
import { EXPORT_FORMATS, type ExportEvidenceItem, type ExportFormat, type ExportMeta } from './types.js';
import { xmlChunks } from './xml.js';

export { EVIDENCE_FILES_NOTE, EXPORT_FORMATS, EXPORT_FORMAT_ID, metaRecord } from './types.js';
export type {
  ExportCheckpoint,
  ExportCustodyEntry,
  ExportEvidenceItem,
  ExportFormat,
  ExportHold,
  ExportIncludes,
  ExportMeta,
  ExportMetaRecord,
} from './types.js';
export { NDJSON_EVIDENCE_RECORD } from './ndjson.js';
export { DEFAULT_PDF_MAX_ROWS } from './pdf.js';
export { CSV_HEADER, neutralizeFormula } from './csv.js';

export interface WriteExportOptions {
  /** Aborting removes the partial file; writeExport then throws CustosError('cancelled'). */
  signal?: AbortSignal;
  /** Called with the number of rows read so far, every PROGRESS_EVERY rows and once at the end. */
  onProgress?: (rows: number) => void;
  /** Largest number of events a PDF may hold (default 10,000). */
  pdfMaxRows?: number;
  /** Applied to every event before it is written, e.g. a masker from ../masking.ts. */
  mask?: (e: LedgerEvent) => LedgerEvent;
  /**
   * The evidence register to write after the events (JSON, NDJSON, XML, PDF; CSV refuses it).
   * Absent: the file is exactly what it was before the register existed.
   */
  evidence?: AsyncIterable<ExportEvidenceItem> | Iterable<ExportEvidenceItem>;
  /** Applied to every evidence item before it is written (Masker.evidence). */
  maskEvidence?: (item: ExportEvidenceItem) => ExportEvidenceItem;
}

export interface ExportResult {
  /** Events written. */
  rows: number;
  /** Evidence items written; present when an evidence register was given. */
  evidenceItems?: number;
  bytes: number;
  /** Hex SHA-256 of the file's bytes, computed while writing. */
  sha256: string;
}

export const PROGRESS_EVERY = 1000;

/** Why a CSV export cannot carry the evidence register, and what to do instead. */
export const CSV_EVIDENCE_MESSAGE =
  'A CSV export holds one table, the audit trail, so it cannot carry the evidence register; choose JSON, NDJSON, XML or PDF, or make a signed bundle.';

/**
 * Writes the events to `outPath` in `format`, streaming (except PDF, which is capped): the
 * file appears complete, fsynced and atomically renamed from `outPath.partial`, or not at all.
 */
export async function writeExport(
  format: ExportFormat,
  rows: AsyncIterable<LedgerEvent> | Iterable<LedgerEvent>,
  outPath: string,
  meta: ExportMeta,
  opts: WriteExportOptions = {},
): Promise<ExportResult> {
  if (!EXPORT_FORMATS.includes(format)) {
    throw new CustosError('validation', `"${String(format)}" is not an export format; choose one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  if (format === 'csv' && opts.evidence) throw new CustosError('validation', CSV_EVIDENCE_MESSAGE);
  const counter = { rows: 0, items: 0 };
  const events = prepareRows(rows, counter, opts);
  const evidence = opts.evidence ? prepareEvidence(opts.evidence, counter, opts) : undefined;
  try {
    if (opts.signal?.aborted) throw cancelled();
    let written;
    if (format === 'pdf') {
      const max = opts.pdfMaxRows ?? DEFAULT_PDF_MAX_ROWS;
      const list = await collectCapped(events, max);
      const items = evidence ? await collectEvidenceCapped(evidence, max) : undefined;
      const doc = pdfDocument(list, meta, items);
      // The whole document is laid out by now; end() lets PDFKit flush it into the stream.
      doc.end();
      written = await writeFileStreaming(doc, outPath, opts.signal);
    } else {
      written = await writeFileStreaming(Readable.from(textChunks(format, events, meta, evidence)), outPath, opts.signal);
    }
    opts.onProgress?.(counter.rows);
    return { rows: counter.rows, ...(evidence ? { evidenceItems: counter.items } : {}), bytes: written.bytes, sha256: written.sha256 };
  } catch (err) {
    throw asCustosError(err, opts.signal);
  }
}

function textChunks(
  format: Exclude<ExportFormat, 'pdf'>,
  events: AsyncIterable<readonly LedgerEvent[]>,
  meta: ExportMeta,
  evidence: AsyncIterable<ExportEvidenceItem> | undefined,
): AsyncIterable<string> {
  switch (format) {
    case 'csv':
      return csvChunks(events);
    case 'json':
      return jsonChunks(events, meta, evidence);
    case 'ndjson':
      return ndjsonChunks(events, evidence);
    case 'xml':
      return xmlChunks(events, meta, evidence);
  }
}

/** The evidence items, masked and counted, stopping as soon as the signal aborts. */
async function* prepareEvidence(
  items: AsyncIterable<ExportEvidenceItem> | Iterable<ExportEvidenceItem>,
  counter: { items: number },
  opts: WriteExportOptions,
): AsyncGenerator<ExportEvidenceItem> {
  for await (const item of items) {
    if (opts.signal?.aborted) throw cancelled();
    counter.items++;
    yield opts.maskEvidence ? opts.maskEvidence(item) : item;
  }
}

/**
 * The rows, masked and counted, in batches of PROGRESS_EVERY, stopping as soon as the signal aborts.
 * Batches, because an async step per row (two generators deep) cost more than writing the row did
 * over a million events; a synchronous source (the database reader) is drained without awaiting.
 */
async function* prepareRows(
  rows: AsyncIterable<LedgerEvent> | Iterable<LedgerEvent>,
  counter: { rows: number },
  opts: WriteExportOptions,
): AsyncGenerator<LedgerEvent[]> {
  let batch: LedgerEvent[] = [];
  const take = (e: LedgerEvent): boolean => {
    batch.push(opts.mask ? opts.mask(e) : e);
    counter.rows++;
    return batch.length >= PROGRESS_EVERY;
  };
  const emit = (): LedgerEvent[] => {
    if (opts.signal?.aborted) throw cancelled();
    const full = batch;
    batch = [];
    if (counter.rows % PROGRESS_EVERY === 0) opts.onProgress?.(counter.rows);
    return full;
  };
  if (opts.signal?.aborted) throw cancelled();
  if (Symbol.iterator in rows) {
    for (const e of rows) if (take(e)) yield emit();
  } else {
    for await (const e of rows) if (take(e)) yield emit();
  }
  if (batch.length > 0) yield emit();
}

async function collectCapped(events: AsyncIterable<readonly LedgerEvent[]>, max: number): Promise<LedgerEvent[]> {
  const list: LedgerEvent[] = [];
  for await (const batch of events) {
    if (list.length + batch.length > max) {
      throw new CustosError(
        'validation',
        `A PDF export is limited to ${max.toLocaleString('en-US')} events; narrow the filters or choose CSV.`,
        { limit: max },
      );
    }
    list.push(...batch);
  }
  return list;
}

/** What one evidence item costs a PDF in table rows: its heading and facts, and one per custody entry. */
export function evidencePdfRows(item: { custody: readonly unknown[] }): number {
  return 1 + item.custody.length;
}

async function collectEvidenceCapped(items: AsyncIterable<ExportEvidenceItem>, max: number): Promise<ExportEvidenceItem[]> {
  const list: ExportEvidenceItem[] = [];
  let rows = 0;
  for await (const item of items) {
    rows += evidencePdfRows(item);
    if (rows > max) {
      throw new CustosError(
        'validation',
        `A PDF export is limited to ${max.toLocaleString('en-US')} evidence rows (items and custody entries); narrow the case or dates, or choose JSON, NDJSON or XML.`,
        { limit: max },
      );
    }
    list.push(item);
  }
  return list;
}

function cancelled(): CustosError {
  return new CustosError('cancelled', 'The export was cancelled; no file was written.');
}

function asCustosError(err: unknown, signal: AbortSignal | undefined): CustosError {
  if (signal?.aborted) return cancelled();
  if (err instanceof CustosError) return err;
  return new CustosError('failure', `The export could not be written (${failureText(err)}); no file was left behind.`);
}
