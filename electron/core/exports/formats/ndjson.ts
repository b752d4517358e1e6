import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { canonicalize } from '../../ledger/canonicalize.js';
import { CHUNK_CHARS, pickEvent } from './types.js';

/**
 * One event per line as RFC 8785 canonical JSON (with `hash`), each line ending in `\n`:
 * the same form as a bundle's `events.ndjson`, so a line minus its `hash` member is exactly
 * the bytes the ledger hashed (DESIGN §4) and can be checked line by line.
 */
export async function* ndjsonChunks(rows: AsyncIterable<LedgerEvent>): AsyncGenerator<string> {
  let buf = '';
  for await (const e of rows) {
    const line = canonicalize(pickEvent(e));
    if (line === undefined) throw new Error(`Event ${e.seq} cannot be serialized as JSON.`);
    buf += `${line}\n`;
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}
