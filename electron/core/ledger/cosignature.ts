import { hash as oneShotHash, type KeyObject } from 'node:crypto';
import { parseCheckpointText, type NoteHead } from './checkpoint-note.js';
import { MAX_NOTE_BYTES, publicKeyFromRaw, rawPublicKey, strictBase64, validKeyName, type NoteVerifier } from './signed-note.js';
import { signBytes, verifyBytes, type SigningKey } from './signing.js';

/*
 * C2SP tlog-cosignature (c2sp.org/tlog-cosignature), Ed25519 "cosignature/v1": a witness's note
 * signature on a checkpoint, saying that as of its time this is the largest consistent tree head
 * the witness has seen for that origin. The signed message is
 *   "cosignature/v1\n" "time <POSIX seconds>\n" followed by the whole checkpoint text
 * and the signature line is "— <name> base64(key ID || u64 big-endian timestamp || Ed25519 signature)",
 * key ID = SHA-256(name || "\n" || 0x04 || 32-byte public key)[:4]. The type byte 0x04 (not the
 * 0x01 of plain note signatures) and the message prefix keep a cosignature from ever being read as
 * the workspace's own checkpoint signature, though both come from the same workspace key.
 */

/** Signature type byte of Ed25519 cosignature/v1 keys. */
export const COSIGNATURE_V1_TYPE = 0x04;
const EM_DASH_SPACE = '\u2014 ';
const TIMESTAMP_BYTES = 8;
const ED25519_SIGNATURE_BYTES = 64;
/** Lines a cosigned note may carry after its text; a checkpoint with a few witnesses needs far fewer. */
const MAX_SIGNATURE_LINES = 100;

/** Key ID = SHA-256(name || 0x0A || 0x04 || public key)[:4]. */
export function cosignerKeyId(name: string, publicKey: KeyObject): Buffer {
  const material = Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([COSIGNATURE_V1_TYPE]), rawPublicKey(publicKey)]);
  return oneShotHash('sha256', material, 'buffer').subarray(0, 4);
}

/** The cosigner's verifier key string `<name>+<hex key ID>+<base64(0x04 || public key)>`. */
export function cosignerVerifierKey(name: string, publicKey: KeyObject): string {
  const encoded = Buffer.concat([Buffer.from([COSIGNATURE_V1_TYPE]), rawPublicKey(publicKey)]).toString('base64');
  return `${name}+${cosignerKeyId(name, publicKey).toString('hex')}+${encoded}`;
}

/** Parses a cosigner verifier key string; null unless it is a well-formed cosignature/v1 Ed25519 key whose key ID matches. */
export function parseCosignerVerifierKey(vkey: string): NoteVerifier | null {
  if (vkey.length > 400) return null;
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const key = strictBase64(vkey.slice(second + 1));
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex)) return null;
  if (!key || key.length !== 33 || key[0] !== COSIGNATURE_V1_TYPE) return null;
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromRaw(key.subarray(1));
  } catch {
    return null;
  }
  const keyId = cosignerKeyId(name, publicKey);
  return keyId.toString('hex') === idHex ? { name, keyId, publicKey } : null;
}

/** The bytes a cosignature/v1 signs: header line, time line, then the checkpoint text. */
export function cosignedMessage(text: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error('A cosignature time must be a whole number of seconds since 1970.');
}

/** The signature line (with its newline) of a cosignature by `name` on checkpoint `text` at `timestamp` (POSIX seconds). */
export function cosignatureLine(text: string, name: string, key: SigningKey, timestamp: number): string {
  assertTimestamp(timestamp);
  if (!validKeyName(name)) throw new Error('A cosigner name must be non-empty and hold no space or plus sign.');
  if (!parseCheckpointText(text)) throw new Error('Only a checkpoint (origin, size and root, one per line) can be cosigned.');
  const time = Buffer.alloc(TIMESTAMP_BYTES);
  time.writeBigUInt64BE(BigInt(timestamp));
  const signature = signBytes(key, cosignedMessage(text, timestamp));
  return `${EM_DASH_SPACE}${name} ${Buffer.concat([cosignerKeyId(name, key.publicKey), time, signature]).toString('base64')}\n`;
}

/** A checkpoint note carrying only the cosignature: text, blank line, the cosignature line. */
export function cosignCheckpoint(text: string, name: string, key: SigningKey, timestamp: number): string {
  return `${text}\n${cosignatureLine(text, name, key, timestamp)}`;
}

/** A cosignature that verified. */
export interface VerifiedCosignature {
  head: NoteHead;
  /** The checkpoint text it signs. */
  text: string;
  cosigner: string;
  /** POSIX seconds from the cosignature. */
  timestamp: number;
  /** Its signature line, without the newline. */
  line: string;
}

export type CheckedCosignature = { ok: true; cosignature: VerifiedCosignature } | { ok: false; reason: string };

/**
 * Opens a checkpoint note and checks the cosignature of `cosigner` on it: the text must be a
 * checkpoint; every line after the last blank line a signature line; a line with the cosigner's
 * name and key ID must carry a 76-byte timestamped signature that verifies. Signatures of other
 * keys (the log's own) are left alone. `reason` is a phrase that follows "The cosignature …".
 */
export function checkCosignedCheckpoint(bytes: Buffer, cosigner: NoteVerifier): CheckedCosignature {
  if (bytes.length > MAX_NOTE_BYTES) return { ok: false, reason: `is larger than ${MAX_NOTE_BYTES} bytes` };
  let all: string;
  try {
    all = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'is not UTF-8 text' };
  }
  // eslint-disable-next-line no-control-regex -- the spec forbids every control character but newline
  if (/[\u0000-\u0009\u000b-\u001f]/.test(all)) return { ok: false, reason: 'holds a control character' };
  const split = all.lastIndexOf('\n\n');
  if (split < 0 || !all.endsWith('\n')) return { ok: false, reason: 'is not a signed note (no blank line before its signatures)' };
  const text = all.slice(0, split + 1);
  const head = parseCheckpointText(text);
  if (!head) return { ok: false, reason: 'does not sign a checkpoint (origin, tree size and base64 root hash, one per line)' };
  const lines = all.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURE_LINES) return { ok: false, reason: `carries more than ${MAX_SIGNATURE_LINES} signature lines` };
  let found: VerifiedCosignature | null = null;
  for (const line of lines) {
    if (!line.startsWith(EM_DASH_SPACE)) return { ok: false, reason: 'has a line after the blank line that is not a signature line' };
    const rest = line.slice(EM_DASH_SPACE.length);
    const space = rest.indexOf(' ');
    const name = space > 0 ? rest.slice(0, space) : '';
    const raw = space > 0 ? strictBase64(rest.slice(space + 1)) : null;
    if (!validKeyName(name) || !raw || raw.length < 5) return { ok: false, reason: 'has a malformed signature line' };
    if (name !== cosigner.name || !raw.subarray(0, 4).equals(cosigner.keyId)) continue;
    if (raw.length !== 4 + TIMESTAMP_BYTES + ED25519_SIGNATURE_BYTES) return { ok: false, reason: `by ${name} is not a timestamped Ed25519 cosignature (wrong length)` };
    const time = raw.readBigUInt64BE(4);
    if (time > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: `by ${name} carries a time beyond any date Custos can read` };
    const timestamp = Number(time);
    if (!verifyBytes(cosigner.publicKey, cosignedMessage(text, timestamp), raw.subarray(4 + TIMESTAMP_BYTES))) {
      return { ok: false, reason: `by ${name} does not verify under its trusted key: the file was changed or signed by another key` };
    }
    found ??= { head, text, cosigner: name, timestamp, line };
  }
  return found ? { ok: true, cosignature: found } : { ok: false, reason: `carries no signature line by ${cosigner.name} with key ID ${cosigner.keyId.toString('hex')}` };
}
