import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { canonicalize } from '../../ledger/canonicalize.js';
import { CHUNK_CHARS, pickEvidence, type ExportEvidenceItem } from './types.js';

/** The `record_type` of an evidence line in NDJSON; event lines have no such member. */
export const NDJSON_EVIDENCE_RECORD = 'evidence';

const str = JSON.stringify;

/**
 * RFC 8785 text of an event with its hash. The top-level members are written in JCS order
 * (sorted by UTF-16 code units) by hand and only details goes through the general
 * canonicalizer: the same bytes, several times faster over a million events. JCS serializes
 * strings exactly as JSON.stringify does, and seq is an integer.
 */
export function canonicalEventLine(e: LedgerEvent): string {
  const details = canonicalize(e.details);
  if (details === undefined || !Number.isSafeInteger(e.seq)) throw new Error(`Event ${e.seq} cannot be serialized as canonical JSON.`);
  return (
    `{"action":${str(e.action)},"actor":${str(e.actor)},"details":${details},"hash":${str(e.hash)},` +
    `"outcome":${str(e.outcome)},"prev_hash":${str(e.prev_hash)},"resource_id":${str(e.resource_id)},` +
    `"resource_type":${str(e.resource_type)},"seq":${e.seq},"ts":${str(e.ts)}}`
  );
}

/** The NDJSON line of an evidence item: `record_type` first, then the item as ExportEvidenceItem. */
export function evidenceLine(item: ExportEvidenceItem): string {
  return JSON.stringify({ record_type: NDJSON_EVIDENCE_RECORD, ...pickEvidence(item) });
}

/**
 * One event per line as RFC 8785 canonical JSON (with `hash`), each line ending in `\n`:
 * the same form as a bundle's `events.ndjson`, so a line minus its `hash` member is exactly
 * the bytes the ledger hashed (DESIGN §4) and can be checked line by line.
 *
 * With the evidence register, one line per item follows the events:
 * `{"record_type":"evidence","id":…,"holds":[…],"custody":[…]}` (ExportEvidenceItem). Event
 * lines are left exactly as they were (no record type, so their bytes still hash); a reader
 * tells the two apart by the `record_type` member, which only evidence lines have.
 */
export async function* ndjsonChunks(rows: AsyncIterable<readonly LedgerEvent[]>, evidence?: AsyncIterable<ExportEvidenceItem>): AsyncGenerator<string> {
  let buf = '';
  for await (const batch of rows) {
    for (const e of batch) buf += `${canonicalEventLine(e)}\n`;
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (evidence) {
    for await (const item of evidence) {
      buf += `${evidenceLine(item)}\n`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf.length > 0) yield buf;
}
