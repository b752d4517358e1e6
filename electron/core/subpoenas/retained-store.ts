import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';

/** Folder of the workspace that holds retained copies of productions, encrypted, one sub-folder each. */
export const PRODUCTIONS_DIR = 'productions';

// Layout of a sealed file: magic (8) | nonce (12) | tag (16) | ciphertext.
const MAGIC = Buffer.from('CUSTOSP1', 'ascii');
const NONCE = 12;
const TAG = 16;

/**
 * The key of one production's retained files: HKDF-SHA256 over the database key with the production's
 * own random salt. Without the database key (held only while the workspace is unlocked) the files
 * are noise; forgetting the salt would make them undecryptable for good.
 */
export function productionKey(ws: Workspace, salt: Buffer, productionId: string): Buffer {
  // The file root, not the database key: files must stay readable across re-keys.
  const dbKey = ws.fileKey();
  try {
    return Buffer.from(hkdfSync('sha256', dbKey, salt, `custos/production-file/v1/${productionId}`, 32));
  } finally {
    dbKey.fill(0);
  }
}

/** AES-256-GCM with a fresh nonce; `aad` binds the ciphertext to its production and path. */
export function seal(key: Buffer, aad: string, plain: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, nonce, cipher.getAuthTag(), body]);
}

/** Decrypts and authenticates a sealed file; any change to it, or a wrong key or name, is an `integrity` error. */
export function unseal(key: Buffer, aad: string, sealed: Buffer): Buffer {
  if (sealed.length < MAGIC.length + NONCE + TAG || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CustosError('integrity', `The retained copy of ${aad} is damaged: it is not a Custos sealed file.`);
  }
  const nonce = sealed.subarray(MAGIC.length, MAGIC.length + NONCE);
  const tag = sealed.subarray(MAGIC.length + NONCE, MAGIC.length + NONCE + TAG);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + NONCE + TAG)), decipher.final()]);
  } catch {
    throw new CustosError('integrity', `The retained copy of ${aad} failed its authentication check; it was changed or damaged on disk.`);
  }
}
