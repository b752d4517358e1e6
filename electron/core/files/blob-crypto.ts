import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CustosError } from '../errors.js';

/**
 * The evidence file format (one file per item in <workspace>/evidence/):
 *
 *   header  = "CUSTOSE1" (8) | version 0x01 (1) | chunk size, u32 BE (4) | nonce prefix (7)     = 20 bytes
 *   chunk i = AES-256-GCM(plaintext[i]) (≤ chunk size) | tag (16)
 *
 * Each chunk's nonce is prefix (7) | i as u32 BE (4) | final flag (1), and its additional data is the
 * header plus the blob name, so a chunk cannot be moved, reordered, dropped, or taken from another
 * file, and a file cut at a chunk boundary fails because its new last chunk was not sealed as final
 * (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár). Every chunk but the last is
 * full; an empty file is one empty final chunk.
 *
 * The key is HKDF-SHA256(workspace database key, per-item random salt, "custos/evidence/v1/" + blob
 * name): the database key never touches the file, each item has its own key, and wiping the salt
 * from the database makes the file undecryptable (crypto-shredding at disposal).
 */
export const MAGIC = Buffer.from('CUSTOSE1', 'latin1');
export const HEADER_BYTES = 20;
export const TAG_BYTES = 16;
const VERSION = 1;

/** The per-item file key. */
export function evidenceKey(dbKey: Buffer, salt: Buffer, blobName: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dbKey, salt, `custos/evidence/v1/${blobName}`, 32));
}

export function makeHeader(chunkBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt8(VERSION, 8);
  h.writeUInt32BE(chunkBytes, 9);
  randomBytes(7).copy(h, 13);
  return h;
}

export function parseHeader(h: Buffer): { chunkBytes: number } {
  if (h.length !== HEADER_BYTES || !h.subarray(0, 8).equals(MAGIC) || h.readUInt8(8) !== VERSION) {
    throw new CustosError('integrity', 'The evidence file does not start with a Custos evidence header; it is damaged or not an evidence file.');
  }
  const chunkBytes = h.readUInt32BE(9);
  if (chunkBytes < 1024 || chunkBytes > 16 * 1024 * 1024) {
    throw new CustosError('integrity', 'The evidence file header names an impossible chunk size; the file is damaged.');
  }
  return { chunkBytes };
}

function nonce(header: Buffer, index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  header.copy(n, 0, 13, 20);
  n.writeUInt32BE(index, 7);
  n.writeUInt8(final ? 1 : 0, 11);
  return n;
}

function aad(header: Buffer, blobName: string): Buffer {
  return Buffer.concat([header, Buffer.from(blobName, 'utf8')]);
}

/** Encrypts chunk `index` (ciphertext followed by its tag). */
export function sealChunk(key: Buffer, header: Buffer, blobName: string, index: number, final: boolean, plain: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce(header, index, final));
  c.setAAD(aad(header, blobName));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([body, c.getAuthTag()]);
}

/** Decrypts and authenticates chunk `index`; throws `integrity` when anything about it is wrong. */
export function openChunk(key: Buffer, header: Buffer, blobName: string, index: number, final: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG_BYTES) throw new CustosError('integrity', `Chunk ${index} of the evidence file is truncated.`);
  const d = createDecipheriv('aes-256-gcm', key, nonce(header, index, final));
  d.setAAD(aad(header, blobName));
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG_BYTES)), d.final()]);
  } catch {
    throw new CustosError('integrity', `Chunk ${index} of the evidence file failed authentication: the file was altered, truncated or reordered.`, { chunk: index });
  }
}
