import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CHUNK_CHARS, EXPORT_FORMAT_ID, metaRecord, pickEvent, type ExportMeta } from './types.js';

/**
 * One JSON document, `{"format":"custos-export/1","meta":{…},"events":[…]}`, written as a
 * prefix, the events (one per line, so the file diffs and greps well) and a suffix; it is
 * never held whole in memory. A file cut short is not valid JSON, which is the point.
 */
export async function* jsonChunks(rows: AsyncIterable<LedgerEvent>, meta: ExportMeta): AsyncGenerator<string> {
  let buf = `{"format":${JSON.stringify(EXPORT_FORMAT_ID)},"meta":${JSON.stringify(metaRecord(meta))},"events":[`;
  let first = true;
  for await (const e of rows) {
    buf += `${first ? '\n' : ',\n'}${JSON.stringify(pickEvent(e))}`;
    first = false;
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}${first ? '' : '\n'}]}\n`;
}
