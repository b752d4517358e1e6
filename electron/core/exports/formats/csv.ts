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
 * RFC 4180: CRLF after every record; a field is quoted when it holds a comma, a double quote,
 * CR or LF, with quotes doubled inside. That is all the quoting there is, so it is written
 * here: csv-stringify produced the same bytes (the tests compare the two) at a quarter of the
 * speed, which a million-row export (≤ 10 s, DESIGN §7) cannot afford.
 *
 * Encoding: UTF-8 without a byte-order mark. RFC 4180 and `text/csv; charset=utf-8` have no
 * BOM, a BOM becomes part of the first header name for most parsers (`\uFEFFseq`), and the
 * SHA-256 recorded in the ledger is of exactly these bytes. Spreadsheet users open the file
 * through their "import text (UTF-8)" dialog.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** One field as RFC 4180 writes it. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/** One record as RFC 4180 writes it, CRLF included. */
export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : ',') + csvField(fields[i]!);
  return `${line}\r\n`;
}

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
export async function* csvChunks(rows: AsyncIterable<readonly LedgerEvent[]>): AsyncGenerator<string> {
  let buf = csvLine(CSV_HEADER);
  for await (const batch of rows) {
    for (const e of batch) buf += csvLine(csvRecord(e));
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}
