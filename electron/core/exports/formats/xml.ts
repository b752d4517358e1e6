import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CHUNK_CHARS, EXPORT_FORMAT_ID, type ExportMeta } from './types.js';

/*
 * The structure is described by resources/schemas/custos-events.xsd:
 *
 *   <custos-export format="custos-export/1">
 *     <meta> title, workspace, generated_at, requested_by?, approved_by?, masking?,
 *            filters (JSON text), checkpoint? </meta>
 *     <events>
 *       <event seq ts actor action resource_type resource_id outcome prev_hash hash>
 *         <details>JSON text</details>
 *       </event> …
 *     </events>
 *   </custos-export>
 *
 * Why not xmlbuilder2: its callback (streaming) serializer leaves text that already looks
 * like an entity (`&amp;`, `&lt;`) unescaped, so a value containing "&lt;" would read back
 * as "<", and it does not replace characters XML 1.0 forbids. An audit export must read back
 * exactly, so the few escapes are written here and the output is checked against the
 * schema with xmllint in the tests.
 */

// Characters XML 1.0 does not allow (§2.2), including lone surrogates (the `u` flag makes a
// lone surrogate a code point of its own). They cannot be escaped either, so they become
// U+FFFD, which shows a reader that something was there. details is JSON text, where
// JSON.stringify has already escaped all of them, so no details value is ever altered.
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Parsers normalise literal tabs and line breaks in attributes to spaces; references survive.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Character data for element content: & < > escaped, CR kept as a reference, illegal characters replaced. */
export function xmlText(value: string): string {
  return value.replace(ILLEGAL_XML_CHARS, '\uFFFD').replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** An attribute value for use inside double quotes: & < > " ' TAB LF CR escaped, illegal characters replaced. */
export function xmlAttr(value: string): string {
  return value.replace(ILLEGAL_XML_CHARS, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

function element(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlText(value)}</${name}>`;
}

function metaXml(meta: ExportMeta): string {
  const cp = meta.checkpoint;
  return (
    '<meta>\n' +
    `${element('title', meta.title)}\n` +
    `<workspace id="${xmlAttr(meta.workspaceId)}">${xmlText(meta.workspaceName)}</workspace>\n` +
    `${element('generated_at', meta.generatedAt)}\n` +
    (meta.requestedBy !== undefined ? `${element('requested_by', meta.requestedBy)}\n` : '') +
    (meta.approvedBy !== undefined ? `${element('approved_by', meta.approvedBy)}\n` : '') +
    (meta.masking !== undefined ? `${element('masking', meta.masking)}\n` : '') +
    `${element('filters', JSON.stringify(meta.filters))}\n` +
    (cp
      ? `<checkpoint size="${cp.size}" root="${xmlAttr(cp.root)}" key_id="${xmlAttr(cp.key_id)}" signature="${xmlAttr(cp.signature)}"/>\n`
      : '') +
    '</meta>\n'
  );
}

/** The XML element of one event. */
export function eventXml(e: LedgerEvent): string {
  return (
    `<event seq="${e.seq}" ts="${xmlAttr(e.ts)}" actor="${xmlAttr(e.actor)}" action="${xmlAttr(e.action)}"` +
    ` resource_type="${xmlAttr(e.resource_type)}" resource_id="${xmlAttr(e.resource_id)}" outcome="${xmlAttr(e.outcome)}"` +
    ` prev_hash="${xmlAttr(e.prev_hash)}" hash="${xmlAttr(e.hash)}">` +
    `<details>${xmlText(JSON.stringify(e.details))}</details></event>\n`
  );
}

/** The XML document of an export, in chunks. */
export async function* xmlChunks(rows: AsyncIterable<LedgerEvent>, meta: ExportMeta): AsyncGenerator<string> {
  let buf =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<custos-export format="${EXPORT_FORMAT_ID}">\n` +
    metaXml(meta) +
    '<events>\n';
  for await (const e of rows) {
    buf += eventXml(e);
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}</events>\n</custos-export>\n`;
}
