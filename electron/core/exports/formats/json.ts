import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CHUNK_CHARS, EXPORT_FORMAT_ID, metaRecord, pickEvent, pickEvidence, type ExportEvidenceItem, type ExportMeta } from './types.js';

/**
 * One JSON document, `{"format":"custos-export/1","meta":{…},"events":[…]}`, written as a
 * prefix, the events (one per line, so the file diffs and greps well) and a suffix; it is
 * never held whole in memory. A file cut short is not valid JSON, which is the point.
 *
 * With the evidence register (`evidence` given) the document gains a member after the events,
 * `"evidence":[…]`, one item per line (ExportEvidenceItem: the item, its holds and its custody
 * chain); `events` keeps its place and form, and is `[]` when the audit trail was not asked for.
 */
export async function* jsonChunks(
  rows: AsyncIterable<readonly LedgerEvent[]>,
  meta: ExportMeta,
  evidence?: AsyncIterable<ExportEvidenceItem>,
): AsyncGenerator<string> {
  let buf = `{"format":${JSON.stringify(EXPORT_FORMAT_ID)},"meta":${JSON.stringify(metaRecord(meta))},"events":[`;
  let first = true;
  for await (const batch of rows) {
    for (const e of batch) {
      buf += `${first ? '\n' : ',\n'}${JSON.stringify(pickEvent(e))}`;
      first = false;
    }
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  buf += `${first ? '' : '\n'}]`;
  if (evidence) {
    buf += ',"evidence":[';
    first = true;
    for await (const item of evidence) {
      buf += `${first ? '\n' : ',\n'}${JSON.stringify(pickEvidence(item))}`;
      first = false;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    buf += `${first ? '' : '\n'}]`;
  }
  yield `${buf}}\n`;
}
