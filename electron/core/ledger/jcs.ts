import { hash as oneShotHash } from 'node:crypto';
import canonicalizeImport from 'canonicalize';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { CustosError } from '../errors.js';
import { leafHash } from './merkle.js';

type Serialize = (input: unknown) => string | undefined;

// The package ships `module.exports = fn` but declares an ES default export, so under NodeNext
// TypeScript sees a namespace where Node hands us the function. Accept either shape.
const canonicalize: Serialize =
  typeof canonicalizeImport === 'function' ? canonicalizeImport : canonicalizeImport.default;

/** RFC 8785 (JCS) serialization of a JSON value, as UTF-8 bytes. */
export function canonicalBytes(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    // canonicalize refuses NaN and Infinity; JSON.stringify refuses BigInt and cycles.
    const reason = err instanceof Error ? err.message : String(err);
    throw new CustosError('validation', `This value cannot be written as canonical JSON (${reason}).`);
  }
  if (text === undefined) {
    throw new CustosError('validation', 'This value cannot be written as canonical JSON because it is not a JSON value.');
  }
  return Buffer.from(text, 'utf8');
}

/**
 * C(e) of DESIGN §4: the JCS bytes of the event without `hash` (with `prev_hash`).
 * The fields are picked by name, so extra properties a caller carries (a row's leaf hash,
 * say) can never slip into what is hashed.
 */
export function eventCanonicalBytes(e: Omit<LedgerEvent, 'hash'> | LedgerEvent): Buffer {
  return canonicalBytes({
    seq: e.seq,
    ts: e.ts,
    actor: e.actor,
    action: e.action,
    resource_type: e.resource_type,
    resource_id: e.resource_id,
    outcome: e.outcome,
    details: e.details,
    prev_hash: e.prev_hash,
  });
}

/** Hex SHA-256 of any bytes. */
export function sha256Hex(bytes: Buffer): string {
  return oneShotHash('sha256', bytes, 'hex');
}

/** The event's chain hash: hex SHA-256 of C(e). */
export function eventHash(e: Omit<LedgerEvent, 'hash'> | LedgerEvent): string {
  return sha256Hex(eventCanonicalBytes(e));
}

/** C(e), its chain hash and its Merkle leaf hash, serializing the event once. */
export function eventDigests(e: Omit<LedgerEvent, 'hash'> | LedgerEvent): {
  bytes: Buffer;
  hash: string;
  leafHash: Buffer;
} {
  const bytes = eventCanonicalBytes(e);
  return { bytes, hash: sha256Hex(bytes), leafHash: leafHash(bytes) };
}
