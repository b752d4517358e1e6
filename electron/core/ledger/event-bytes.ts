import { describeValueProblem, isWellFormed, MAX_JSON_DEPTH, valueProblem } from '../unicode.js';
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

/**
 * RFC 8785 text of a plain object whose values are all strings, finite numbers, booleans or null
 * (what almost every event's details are), or undefined for anything else. It is what the general
 * serializer writes for such an object (keys sorted by UTF-16 code units, members serialized by
 * JSON.stringify, undefined members left out) without its per-member closures and re-entry; the
 * property test in ledger-append.test.ts compares the two.
 */
function flatCanonical(o: Record<string, unknown>): string | undefined {
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(o).sort();
  let out = '';
  for (const key of keys) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'boolean' && v !== null && !(typeof v === 'number' && Number.isFinite(v))) return undefined;
    out += `${out.length === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(v)}`;
  }
  return `{${out}}`;
}

/** Canonical JSON text of a details object (RFC 8785). */
export function canonicalDetails(details: Record<string, unknown>): string {
  const flat = typeof details === 'object' && details !== null && !Array.isArray(details) ? flatCanonical(details) : undefined;
  if (flat !== undefined) return flat;
  let text: string | undefined;
  try {
    text = canonicalize(details);
  } catch (err) {
    // Nesting deep enough to exhaust the stack (RangeError), a cycle or a BigInt: not JSON data.
    throw new Error(`Event details cannot be serialized (${err instanceof Error ? err.name : 'error'}).`);
  }
  if (text === undefined) throw new Error('Event details cannot be serialized.');
  return text;
}

const TEXT_COLUMNS = ['ts', 'actor', 'action', 'resource_type', 'resource_id', 'outcome', 'prev_hash'] as const;

/**
 * Why an event's fields would not survive being stored (null when they would): a lone surrogate
 * anywhere, or details nested deeper than a bundle reader accepts. Checked on what a caller hands
 * to append, before anything is serialized; the message names the field, never its text.
 */
export function unstorableEventReason(e: Omit<CanonicalParts, 'details' | 'seq'> & { details: Record<string, unknown> }): string | null {
  for (const column of TEXT_COLUMNS) {
    if (typeof e[column] !== 'string') return `its ${column} is not text`;
    if (!isWellFormed(e[column])) return `its ${column} is not well-formed Unicode text (it holds a lone surrogate)`;
  }
  const problem = valueProblem(e.details, MAX_JSON_DEPTH);
  return problem ? `${describeValueProblem({ ...problem, path: ['details', ...problem.path] }, MAX_JSON_DEPTH)}` : null;
}

/**
 * True when reading the stored columns back gives exactly `fastEventBytes(p)`. SQLite stores text
 * as UTF-8, which round-trips every well-formed string and no ill-formed one, and the details text
 * is stored as the very canonical text that is hashed; so the round trip holds exactly when every
 * text column is well-formed. This is the cheap equivalent of re-serializing what would be stored
 * and comparing bytes (the property test in ledger-unicode.test.ts reads rows back and compares).
 */
export function storedColumnsRoundTrip(p: CanonicalParts): boolean {
  return (
    Number.isSafeInteger(p.seq) &&
    isWellFormed(p.ts) &&
    isWellFormed(p.actor) &&
    isWellFormed(p.action) &&
    isWellFormed(p.resource_type) &&
    isWellFormed(p.resource_id) &&
    isWellFormed(p.outcome) &&
    isWellFormed(p.details) &&
    isWellFormed(p.prev_hash)
  );
}

/**
 * RFC 8785 bytes of an event without its hash, assembled from columns whose details text is
 * already canonical. Keys appear in JCS order (UTF-16 code unit order); strings are escaped by
 * JSON.stringify, which produces exactly JCS's escaping for well-formed strings. This is the hot
 * path of append and verify; a test proves it equals canonicalize() of the whole object.
 */
export function fastEventBytes(p: CanonicalParts): Buffer {
  return Buffer.from(eventText(p), 'utf8');
}

/**
 * 0x00 || C(e): the input of the event's RFC 6962 leaf hash, encoded once. C(e) itself is
 * `subarray(1)`, so append hashes the chain and the leaf from one buffer instead of copying C(e)
 * behind a prefix byte. (U+0000 is the single byte 0x00 in UTF-8.)
 */
export function leafInputBytes(p: CanonicalParts): Buffer {
  return Buffer.from(`\u0000${eventText(p)}`, 'utf8');
}

function eventText(p: CanonicalParts): string {
  const s = JSON.stringify;
  return (
    `{"action":${s(p.action)},"actor":${s(p.actor)},"details":${p.details},"outcome":${s(p.outcome)},` +
    `"prev_hash":${s(p.prev_hash)},"resource_id":${s(p.resource_id)},"resource_type":${s(p.resource_type)},` +
    `"seq":${p.seq},"ts":${s(p.ts)}}`
  );
}
