import { stringify } from 'csv-stringify/sync';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CHUNK_CHARS } from './types.js';

/** Column order of a CSV export; the first line of the file. */
export const CSV_HEADER = [
  'seq',
  'ts',
  'actor',
  'action',
  'resource_type',
  'resource_id',
  'outcome',
  'details',
  'prev_hash',
  'hash',
] as const;

/*
 * RFC 4180: CRLF between records, fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled. csv-stringify quotes commas and quotes by itself but not a lone LF
 * or CR when the record delimiter is CRLF, so `quoted_match` forces quoting of any field
 * with a line break (a spreadsheet would otherwise split the record).
 *
 * Encoding: UTF-8 without a byte-order mark. RFC 4180 and `text/csv; charset=utf-8` have no
 * BOM, a BOM becomes part of the first header name for most parsers (`\uFEFFseq`), and the
 * SHA-256 recorded in the ledger is of exactly these bytes. Spreadsheet users open the file
 * through their "import text (UTF-8)" dialog.
 */
const STRINGIFY_OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

/*
 * Formula injection (OWASP "CSV Injection"): a cell that starts with = + - @ TAB or CR is
 * read as a formula by spreadsheet programs. A leading single quote makes them show it as
 * text. The full-width forms of = + - @ are included because some spreadsheet programs
 * normalise them to their ASCII twins before deciding.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cell as a spreadsheet will show it literally: a leading ' when it could start a formula. */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The CSV record of one event; every string cell is neutralised, details are JSON text. */
export function csvRecord(e: LedgerEvent): string[] {
  return [
    String(e.seq),
    neutralizeFormula(e.ts),
    neutralizeFormula(e.actor),
    neutralizeFormula(e.action),
    neutralizeFormula(e.resource_type),
    neutralizeFormula(e.resource_id),
    neutralizeFormula(e.outcome),
    neutralizeFormula(JSON.stringify(e.details)),
    neutralizeFormula(e.prev_hash),
    neutralizeFormula(e.hash),
  ];
}

/** CSV text of the events, in chunks: header first, then records, CRLF-terminated. */
export async function* csvChunks(rows: AsyncIterable<LedgerEvent>): AsyncGenerator<string> {
  yield stringify([[...CSV_HEADER]], STRINGIFY_OPTIONS);
  // Records are stringified in batches: one csv-stringify call per row costs more than the row.
  let batch: string[][] = [];
  let batchChars = 0;
  for await (const e of rows) {
    const record = csvRecord(e);
    batch.push(record);
    for (const cell of record) batchChars += cell.length;
    if (batchChars >= CHUNK_CHARS) {
      yield stringify(batch, STRINGIFY_OPTIONS);
      batch = [];
      batchChars = 0;
    }
  }
  if (batch.length > 0) yield stringify(batch, STRINGIFY_OPTIONS);
}
