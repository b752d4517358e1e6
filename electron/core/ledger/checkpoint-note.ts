import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { writeFileAtomic } from '../fs/atomic.js';
import { MAX_NOTE_BYTES, noteKeyId, openNote, signNote, strictBase64, validKeyName, verifierKey } from './signed-note.js';
import type { SigningKey } from './signing.js';

/*
 * The signed tree head as a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): a signed note whose
 * text is the origin "custos/<workspace id>", the tree size in decimal and the RFC 6962 root in
 * standard base64, signed with the workspace's Ed25519 key under the origin as key name. It says
 * what checkpoint.json says, in the form transparency-log tools and witnesses read. Ed25519 is
 * deterministic, so the note of a tree head is the same bytes whenever it is signed.
 */

export const CHECKPOINT_NOTE_FILE = 'checkpoint.note';

/** A tree head read from a verified checkpoint note. */
export interface NoteHead {
  origin: string;
  size: number;
  /** Root hash, lower-case hex. */
  root: string;
}

export type CheckedNote = { ok: true; head: NoteHead } | { ok: false; kind: 'malformed' | 'bad-signature'; reason: string };

/** The origin line (and note key name) of a workspace's checkpoints. */
export function checkpointOrigin(workspaceId: string): string {
  return `custos/${workspaceId}`;
}

/** The note text of a tree head: origin, size, base64 root, each ending in a newline. */
export function checkpointNoteText(origin: string, size: number, rootHex: string): string {
  return `${origin}\n${size}\n${Buffer.from(rootHex, 'hex').toString('base64')}\n`;
}

/** The signed checkpoint note of a workspace's tree head. */
export function signCheckpointNote(key: SigningKey, workspaceId: string, head: { size: number; root: string }): string {
  const origin = checkpointOrigin(workspaceId);
  return signNote(checkpointNoteText(origin, head.size, head.root), origin, key);
}

/** The verifier key string of a workspace's checkpoint notes (what a witness is configured with). */
export function checkpointVerifierKey(workspaceId: string, publicKey: KeyObject): string {
  return verifierKey(checkpointOrigin(workspaceId), publicKey);
}

/** Reads a tlog-checkpoint note text: origin, decimal size without leading zeros, base64 of a 32-byte root. */
export function parseCheckpointText(text: string): NoteHead | null {
  const lines = text.split('\n');
  // text ends in a newline: the last element is empty; extension lines may follow the root.
  if (lines.length < 4 || lines.at(-1) !== '') return null;
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '' || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) return null;
  const size = Number(sizeText);
  const root = strictBase64(rootText);
  if (!Number.isSafeInteger(size) || !root || root.length !== 32) return null;
  return { origin, size, root: root.toString('hex') };
}

/**
 * Checks a checkpoint note against the workspace it claims to come from: a signature by the
 * workspace key under the name "custos/<id>" that verifies, and a text that is a checkpoint of
 * that origin. Signatures by other keys (a witness's cosignature) are allowed and ignored.
 */
export function checkCheckpointNote(bytes: Buffer, workspaceId: string, publicKey: KeyObject): CheckedNote {
  const origin = checkpointOrigin(workspaceId);
  if (!validKeyName(origin)) return { ok: false, kind: 'malformed', reason: `cannot be a checkpoint of workspace ${workspaceId}, whose id is not a valid note key name` };
  const opened = openNote(bytes, [{ name: origin, keyId: noteKeyId(origin, publicKey), publicKey }]);
  if (!opened.ok) return opened;
  const head = parseCheckpointText(opened.text);
  if (!head) return { ok: false, kind: 'malformed', reason: 'is not a checkpoint (origin, tree size and base64 root hash, one per line)' };
  if (head.origin !== origin) return { ok: false, kind: 'bad-signature', reason: `is the checkpoint of "${head.origin}", not of ${origin}` };
  return { ok: true, head };
}

/** Writes checkpoint.note beside the database (atomic replace). */
export function writeCheckpointNote(dir: string, note: string): void {
  writeFileAtomic(join(dir, CHECKPOINT_NOTE_FILE), note);
}

/** The bytes of checkpoint.note beside the database; null when absent, 'too-large' past the note size limit. */
export function readCheckpointNote(dir: string): Buffer | null | 'too-large' {
  const path = join(dir, CHECKPOINT_NOTE_FILE);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return null;
  return stat.size > MAX_NOTE_BYTES ? 'too-large' : readFileSync(path);
}
