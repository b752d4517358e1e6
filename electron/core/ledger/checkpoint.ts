import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Checkpoint } from '../../../shared/ledger-types.js';
import type { Db } from '../db/open.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { canonicalBytes } from './jcs.js';
import { signBytes, verifyBytes, type SigningKey } from './signing.js';

export const CHECKPOINT_FILE = 'checkpoint.json';

/** The bytes a checkpoint signature covers: JCS of {workspace_id, size, root, ts}. */
export function checkpointSignedBytes(c: Pick<Checkpoint, 'workspace_id' | 'size' | 'root' | 'ts'>): Buffer {
  return canonicalBytes({ workspace_id: c.workspace_id, size: c.size, root: c.root, ts: c.ts });
}

/** Signs a tree head. */
export function signCheckpoint(key: SigningKey, head: { workspace_id: string; size: number; root: string; ts: string }): Checkpoint {
  const signature = signBytes(key, checkpointSignedBytes(head)).toString('base64');
  return { ...head, key_id: key.keyId, signature };
}

/** True when the checkpoint's signature holds under `publicKey`. */
export function checkpointSignatureValid(publicKey: KeyObject, c: Checkpoint): boolean {
  return verifyBytes(publicKey, checkpointSignedBytes(c), Buffer.from(c.signature, 'base64'));
}

/** Stores a checkpoint in the database (append-only table). */
export function insertCheckpoint(db: Db, c: Checkpoint, reason: string): void {
  db.prepare('INSERT INTO checkpoints (size, root, ts, key_id, signature, reason) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.size,
    c.root,
    c.ts,
    c.key_id,
    c.signature,
    reason,
  );
}

/** Every checkpoint stored in the database, oldest first. */
export function listCheckpoints(db: Db, workspaceId: string): Checkpoint[] {
  const rows = db.prepare('SELECT size, root, ts, key_id, signature FROM checkpoints ORDER BY id').all() as Omit<Checkpoint, 'workspace_id'>[];
  return rows.map((r) => ({ workspace_id: workspaceId, ...r }));
}

/** Writes checkpoint.json beside the database (atomic replace). */
export function writeCheckpointFile(dir: string, c: Checkpoint): void {
  writeFileAtomic(join(dir, CHECKPOINT_FILE), `${JSON.stringify(c, null, 2)}\n`);
}

/** Reads checkpoint.json; null when absent, 'malformed' when unreadable. */
export function readCheckpointFile(dir: string): Checkpoint | null | 'malformed' {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    if (typeof c.size !== 'number' || typeof c.root !== 'string' || typeof c.signature !== 'string') return 'malformed';
    return c;
  } catch {
    return 'malformed';
  }
}
