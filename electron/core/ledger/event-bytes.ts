import { canonicalize } from './canonicalize.js';

/** The stored columns an event's canonical bytes are made of (details already canonical JSON text). */
export interface CanonicalParts {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: string;
  details: string;
  prev_hash: string;
}

/** Canonical JSON text of a details object (RFC 8785). */
export function canonicalDetails(details: Record<string, unknown>): string {
  const text = canonicalize(details);
  if (text === undefined) throw new Error('Event details cannot be serialized.');
  return text;
}

/**
 * RFC 8785 bytes of an event without its hash, assembled from columns whose details text is
 * already canonical. Keys appear in JCS order (UTF-16 code unit order); strings are escaped by
 * JSON.stringify, which produces exactly JCS's escaping for well-formed strings. This is the hot
 * path of append and verify; a test proves it equals canonicalize() of the whole object.
 */
export function fastEventBytes(p: CanonicalParts): Buffer {
  const s = JSON.stringify;
  return Buffer.from(
    `{"action":${s(p.action)},"actor":${s(p.actor)},"details":${p.details},"outcome":${s(p.outcome)},` +
      `"prev_hash":${s(p.prev_hash)},"resource_id":${s(p.resource_id)},"resource_type":${s(p.resource_type)},` +
      `"seq":${p.seq},"ts":${s(p.ts)}}`,
    'utf8',
  );
}
