import { createPublicKey, hash as oneShotHash, type KeyObject } from 'node:crypto';
import { signBytes, verifyBytes, type SigningKey } from './signing.js';

/*
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys: the format transparency-log tools
 * and witnesses read. A note is a text ending in a newline, a blank line, then signature lines
 * "— <key name> <base64(4-byte key ID || signature)>". The key ID is the first four bytes of
 * SHA-256(key name || 0x0A || 0x01 || 32-byte public key); a verifier key is written
 * "<name>+<hex key ID>+<base64(0x01 || public key)>".
 */

/** Signature type byte of Ed25519 note signatures. */
const ED25519_TYPE = 0x01;
const EM_DASH_SPACE = '\u2014 ';
/** A note of a verifiable log carries a handful of signatures; the spec asks readers to accept at least 16. */
const MAX_SIGNATURES = 100;
/** Ceiling on a note's size, far above a checkpoint with 100 signatures. */
export const MAX_NOTE_BYTES = 64 * 1024;

/** A public key as a note verifier knows it. */
export interface NoteVerifier {
  name: string;
  /** The 4-byte key ID. */
  keyId: Buffer;
  publicKey: KeyObject;
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: Buffer;
  /** The base64 text after the name (key ID and signature). */
  base64: string;
}

export type OpenedNote =
  | { ok: true; text: string; verified: NoteSignature[]; unverified: NoteSignature[] }
  | { ok: false; kind: 'malformed' | 'bad-signature'; reason: string };

/** True for a key name the spec allows: non-empty, no Unicode space, no plus sign, no control character. */
export function validKeyName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f]/u.test(name);
}

/** The raw 32-byte Ed25519 public key (RFC 8032 encoding). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('Signed notes need an Ed25519 key.');
  return Buffer.from(jwk.x, 'base64url');
}

/** An Ed25519 public key from its raw 32 bytes. */
export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** Key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export function noteKeyId(name: string, publicKey: KeyObject): Buffer {
  const material = Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([ED25519_TYPE]), rawPublicKey(publicKey)]);
  return oneShotHash('sha256', material, 'buffer').subarray(0, 4);
}

/** The verifier key string `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  const encoded = Buffer.concat([Buffer.from([ED25519_TYPE]), rawPublicKey(publicKey)]).toString('base64');
  return `${name}+${noteKeyId(name, publicKey).toString('hex')}+${encoded}`;
}

/** Parses a verifier key string; null unless it is a well-formed Ed25519 key whose key ID matches. */
export function parseVerifierKey(vkey: string): NoteVerifier | null {
  // The base64 key may itself hold plus signs: only the first two separate.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const keyB64 = vkey.slice(second + 1);
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex)) return null;
  const key = strictBase64(keyB64);
  if (!key || key.length !== 33 || key[0] !== ED25519_TYPE) return null;
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromRaw(key.subarray(1));
  } catch {
    return null;
  }
  const keyId = noteKeyId(name, publicKey);
  return keyId.toString('hex') === idHex ? { name, keyId, publicKey } : null;
}

/** Why a note text cannot be signed (null when it can): empty, not ending in a newline, or holding control characters. */
function textProblem(text: string): string | null {
  if (!text.endsWith('\n')) return 'does not end with a newline';
  if (text.includes('\n\n') || text.startsWith('\n')) return 'holds a blank line';
  // eslint-disable-next-line no-control-regex -- the spec forbids every control character but newline
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return 'holds a control character';
  return null;
}

/** Signs `text` (which must end in a newline) as a note with one Ed25519 signature by `name`. */
export function signNote(text: string, name: string, key: SigningKey): string {
  const problem = textProblem(text);
  if (problem) throw new Error(`A note text that ${problem} cannot be signed.`);
  if (!validKeyName(name)) throw new Error('A note key name must be non-empty and hold no space or plus sign.');
  const signature = signBytes(key, Buffer.from(text, 'utf8'));
  const encoded = Buffer.concat([noteKeyId(name, key.publicKey), signature]).toString('base64');
  return `${text}\n${EM_DASH_SPACE}${name} ${encoded}\n`;
}

/**
 * Opens a note the way the spec says a client must: the text runs up to the last blank line, every
 * line after it is a signature line; a signature whose name and key ID match a known key must
 * verify (else the note is refused); signatures of unknown keys are kept as unverified; at least
 * one known key must have signed.
 */
export function openNote(bytes: Buffer, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (bytes.length > MAX_NOTE_BYTES) return { ok: false, kind: 'malformed', reason: `is larger than ${MAX_NOTE_BYTES} bytes` };
  const note = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let all: string;
  try {
    all = note.decode(bytes);
  } catch {
    return { ok: false, kind: 'malformed', reason: 'is not UTF-8 text' };
  }
  // eslint-disable-next-line no-control-regex -- the spec forbids every control character but newline
  if (/[\u0000-\u0009\u000b-\u001f]/.test(all)) return { ok: false, kind: 'malformed', reason: 'holds a control character' };
  const split = all.lastIndexOf('\n\n');
  if (split < 0 || !all.endsWith('\n')) return { ok: false, kind: 'malformed', reason: 'has no blank line before its signatures' };
  const text = all.slice(0, split + 1);
  const lines = all.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return { ok: false, kind: 'malformed', reason: `carries more than ${MAX_SIGNATURES} signatures` };
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const line of lines) {
    const sig = parseSignatureLine(line);
    if (!sig) return { ok: false, kind: 'malformed', reason: 'has a line after the blank line that is not a signature line' };
    const raw = Buffer.from(sig.base64, 'base64');
    const known = verifiers.filter((v) => v.name === sig.name && v.keyId.equals(sig.keyId));
    if (known.length === 0) {
      unverified.push(sig);
      continue;
    }
    if (!verifyBytes(known[0]!.publicKey, Buffer.from(text, 'utf8'), raw.subarray(4))) {
      return { ok: false, kind: 'bad-signature', reason: `carries a signature by ${sig.name}+${sig.keyId.toString('hex')} that does not verify` };
    }
    if (!verified.some((v) => v.name === sig.name && v.keyId.equals(sig.keyId))) verified.push(sig);
  }
  if (verified.length === 0) return { ok: false, kind: 'bad-signature', reason: 'carries no signature by the expected key' };
  return { ok: true, text, verified, unverified };
}

function parseSignatureLine(line: string): NoteSignature | null {
  if (!line.startsWith(EM_DASH_SPACE)) return null;
  const rest = line.slice(EM_DASH_SPACE.length);
  const space = rest.indexOf(' ');
  if (space <= 0) return null;
  const name = rest.slice(0, space);
  const base64 = rest.slice(space + 1);
  const raw = strictBase64(base64);
  if (!validKeyName(name) || !raw || raw.length < 5) return null;
  return { name, keyId: raw.subarray(0, 4), base64 };
}

/** Decodes standard base64 with padding; null for anything that does not re-encode to itself. */
export function strictBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
