import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CHUNK_CHARS, EVIDENCE_FILES_NOTE, EXPORT_FORMAT_ID, type ExportEvidenceItem, type ExportMeta } from './types.js';

/*
 * The structure is described by resources/schemas/custos-events.xsd:
 *
 *   <custos-export format="custos-export/1">
 *     <meta> title, workspace, generated_at, requested_by?, approved_by?, masking?,
 *            filters (JSON text), checkpoint?, includes?, evidence_files? </meta>
 *     <events>
 *       <event seq ts actor action resource_type resource_id outcome prev_hash hash>
 *         <details>JSON text</details>
 *       </event> …
 *     </events>
 *     <evidence>                                  (only when the evidence register was asked for)
 *       <item id sha256 size_bytes media_type status integrity last_verified_at?
 *             collected_by collected_at custodian location>
 *         <title/> <description/> <source/> <original_name/>
 *         <hold id case_id>title</hold> …
 *         <transfer ledger_seq kind at from? to? location recorded_by purpose/> …
 *       </item> …
 *     </evidence>
 *   </custos-export>
 *
 * Every entry of an item's chain of custody is a <transfer>, its kind saying which (intake,
 * transfer, seal, release, dispose); `events` is present and empty when the audit trail was
 * not asked for (meta/includes says so).
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
    (meta.includes ? `<includes audit_trail="${meta.includes.auditTrail}" evidence="${meta.includes.evidence}"/>\n` : '') +
    (meta.includes?.evidence ? `${element('evidence_files', EVIDENCE_FILES_NOTE)}\n` : '') +
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

function optionalAttr(name: string, value: string | null): string {
  return value === null ? '' : ` ${name}="${xmlAttr(value)}"`;
}

/** The XML element of one evidence item, with its holds and its chain of custody. */
export function evidenceXml(item: ExportEvidenceItem): string {
  let out =
    `<item id="${xmlAttr(item.id)}" sha256="${xmlAttr(item.sha256)}" size_bytes="${item.size_bytes}" media_type="${xmlAttr(item.media_type)}"` +
    ` status="${xmlAttr(item.status)}" integrity="${xmlAttr(item.integrity)}"${optionalAttr('last_verified_at', item.last_verified_at)}` +
    ` collected_by="${xmlAttr(item.collected_by)}" collected_at="${xmlAttr(item.collected_at)}" custodian="${xmlAttr(item.custodian)}" location="${xmlAttr(item.location)}">\n` +
    `${element('title', item.title)}${element('description', item.description)}${element('source', item.source)}${element('original_name', item.original_name)}\n`;
  for (const h of item.holds) out += `<hold id="${xmlAttr(h.id)}" case_id="${xmlAttr(h.case_id)}">${xmlText(h.title)}</hold>\n`;
  for (const c of item.custody) {
    out +=
      `<transfer ledger_seq="${c.ledger_seq}" kind="${xmlAttr(c.kind)}" at="${xmlAttr(c.at)}"${optionalAttr('from', c.from)}${optionalAttr('to', c.to)}` +
      ` location="${xmlAttr(c.location)}" recorded_by="${xmlAttr(c.recorded_by)}" purpose="${xmlAttr(c.purpose)}"/>\n`;
  }
  return `${out}</item>\n`;
}

/** The XML document of an export, in chunks; `<evidence>` follows the events when `evidence` is given. */
export async function* xmlChunks(rows: AsyncIterable<readonly LedgerEvent[]>, meta: ExportMeta, evidence?: AsyncIterable<ExportEvidenceItem>): AsyncGenerator<string> {
  let buf =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<custos-export format="${EXPORT_FORMAT_ID}">\n` +
    metaXml(meta) +
    '<events>\n';
  for await (const batch of rows) {
    for (const e of batch) buf += eventXml(e);
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  buf += '</events>\n';
  if (evidence) {
    buf += '<evidence>\n';
    for await (const item of evidence) {
      buf += evidenceXml(item);
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    buf += '</evidence>\n';
  }
  yield `${buf}</custos-export>\n`;
}
