import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { CustosError } from '../errors.js';
import { syncDir } from '../fs/atomic.js';
import { EVIDENCE_DIR, type Workspace } from '../workspace.js';
import { evidenceKey, HEADER_BYTES, makeHeader, openChunk, parseHeader, sealChunk, TAG_BYTES } from '../files/blob-crypto.js';
import { presentBlobNames } from './evidence-store.js';

const FINAL_EXT = '.cev';
const PARTIAL_EXT = '.partial';

/** Partial files being written right now by this process; the sweep leaves them alone. */
const inProgress = new Set<string>();

export function evidenceDir(ws: Workspace): string {
  return join(ws.dir, EVIDENCE_DIR);
}

export function blobPath(ws: Workspace, blobName: string): string {
  return join(evidenceDir(ws), `${blobName}${FINAL_EXT}`);
}

export interface WrittenBlob {
  blobName: string;
  salt: Buffer;
  sizeBytes: number;
  sha256: string;
  partialPath: string;
}


/**
 * Turns plaintext pieces into sealed chunks (blob-crypto.ts) and hashes the plaintext on the way.
 * A full chunk is held back until more data arrives, because only then is it known not to be the
 * final one. Plaintext lives only in memory, one chunk at a time.
 */
class ChunkSealer {
  private parts: Buffer[] = [];
  private partsLen = 0;
  private pending: Buffer | null = null;
  private index = 0;
  private readonly hash = createHash('sha256');
  size = 0;

  constructor(
    private readonly key: Buffer,
    readonly header: Buffer,
    private readonly blobName: string,
    private readonly chunkBytes: number,
  ) {}

  private seal(plain: Buffer, final: boolean): Buffer {
    const sealed = sealChunk(this.key, this.header, this.blobName, this.index, final, plain);
    this.index += 1;
    return sealed;
  }

  /** Sealed chunks that can be written now. */
  push(data: Buffer): Buffer[] {
    this.hash.update(data);
    this.size += data.length;
    this.parts.push(data);
    this.partsLen += data.length;
    const out: Buffer[] = [];
    while (this.partsLen >= this.chunkBytes) {
      const all = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
      const rest = all.subarray(this.chunkBytes);
      if (this.pending) out.push(this.seal(this.pending, false));
      this.pending = all.subarray(0, this.chunkBytes);
      this.parts = rest.length > 0 ? [rest] : [];
      this.partsLen = rest.length;
    }
    return out;
  }

  /** The last sealed chunks (an empty input becomes one empty final chunk) and the plaintext's SHA-256. */
  finish(): { chunks: Buffer[]; sha256: string } {
    const chunks: Buffer[] = [];
    if (this.partsLen > 0) {
      if (this.pending) chunks.push(this.seal(this.pending, false));
      chunks.push(this.seal(Buffer.concat(this.parts), true));
    } else {
      chunks.push(this.seal(this.pending ?? Buffer.alloc(0), true));
    }
    this.key.fill(0);
    return { chunks, sha256: this.hash.digest('hex') };
  }

  /** Wipes the key when the write is abandoned. */
  abandon(): void {
    this.key.fill(0);
  }
}

function startBlob(ws: Workspace, chunkBytes: number): { blobName: string; salt: Buffer; partialPath: string; sealer: ChunkSealer } {
  const blobName = randomUUID();
  const salt = randomBytes(32);
  const partialPath = join(evidenceDir(ws), `${blobName}${PARTIAL_EXT}`);
  // The file root, not the database key: files must stay readable across re-keys.
  const dbKey = ws.fileKey();
  const key = evidenceKey(dbKey, salt, blobName);
  dbKey.fill(0);
  return { blobName, salt, partialPath, sealer: new ChunkSealer(key, makeHeader(chunkBytes), blobName, chunkBytes) };
}

/**
 * Streams plaintext into a new encrypted partial file, hashing it on the way; only ciphertext
 * reaches the disk. The caller makes the file final with `commitBlob` in the same tick as the
 * database insert, or discards it with `discardPartial`.
 */
export async function writeEncryptedBlob(
  ws: Workspace,
  source: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  opts: { chunkBytes: number; signal?: AbortSignal; onProgress?: (bytes: number) => void },
): Promise<WrittenBlob> {
  const { blobName, salt, partialPath, sealer } = startBlob(ws, opts.chunkBytes);
  inProgress.add(partialPath);
  let fh: Awaited<ReturnType<typeof open>> | null = null;
  try {
    fh = await open(partialPath, 'wx', 0o600);
    await fh.write(sealer.header);
    for await (const piece of source) {
      if (opts.signal?.aborted) throw new CustosError('cancelled', 'The ingest was cancelled; nothing was stored.');
      for (const sealed of sealer.push(typeof piece === 'string' ? Buffer.from(piece) : piece)) await fh.write(sealed);
      opts.onProgress?.(sealer.size);
    }
    const { chunks, sha256 } = sealer.finish();
    for (const sealed of chunks) await fh.write(sealed);
    await fh.sync();
    await fh.close();
    return { blobName, salt, sizeBytes: sealer.size, sha256, partialPath };
  } catch (err) {
    sealer.abandon();
    await fh?.close().catch(() => undefined);
    discardPartial(partialPath);
    throw err;
  }
}

/** The same as writeEncryptedBlob for an in-memory buffer, synchronously (the demo seeder runs synchronously). */
export function writeEncryptedBlobSync(ws: Workspace, data: Buffer, chunkBytes: number): WrittenBlob {
  const { blobName, salt, partialPath, sealer } = startBlob(ws, chunkBytes);
  inProgress.add(partialPath);
  let fd: number | null = null;
  try {
    fd = openSync(partialPath, 'wx', 0o600);
    writeSync(fd, sealer.header);
    for (const sealed of sealer.push(data)) writeSync(fd, sealed);
    const { chunks, sha256 } = sealer.finish();
    for (const sealed of chunks) writeSync(fd, sealed);
    fsyncSync(fd);
    closeSync(fd);
    return { blobName, salt, sizeBytes: sealer.size, sha256, partialPath };
  } catch (err) {
    sealer.abandon();
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    discardPartial(partialPath);
    throw err;
  }
}

/** Makes a written partial file final (synchronous, so it runs in the same tick as the database insert). */
export function commitBlob(ws: Workspace, blob: WrittenBlob): void {
  renameSync(blob.partialPath, blobPath(ws, blob.blobName));
  inProgress.delete(blob.partialPath);
  syncDir(evidenceDir(ws));
}

/** Deletes a partial file that will not be committed. */
export function discardPartial(partialPath: string): void {
  try {
    if (existsSync(partialPath)) shredFile(partialPath);
  } finally {
    inProgress.delete(partialPath);
  }
}

/**
 * Overwrites a file with random bytes, syncs, and unlinks it. The content was ciphertext under a key
 * whose salt is already gone, so this is defence in depth rather than the only protection.
 */
export function shredFile(path: string): void {
  const { size } = statSync(path);
  const fd = openSync(path, 'r+');
  try {
    const block = 1024 * 1024;
    for (let pos = 0; pos < size; pos += block) {
      const n = Math.min(block, size - pos);
      writeSync(fd, randomBytes(n), 0, n, pos);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}

async function readExact(fh: Awaited<ReturnType<typeof open>>, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new CustosError('integrity', 'The evidence file ended early; it is truncated.');
    got += bytesRead;
  }
  return buf;
}

/**
 * Decrypts an evidence file chunk by chunk, yielding plaintext only after each chunk's tag checks out.
 * Throws `integrity` on any alteration, truncation, extension or reordering, and when the file is missing.
 */
export async function* decryptBlob(ws: Workspace, itemId: string, blobName: string, salt: Buffer): AsyncGenerator<Buffer> {
  const path = blobPath(ws, blobName);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch {
    throw new CustosError('integrity', `The encrypted file of ${itemId} is missing from the evidence folder.`, { resourceType: 'evidence', resourceId: itemId });
  }
  // The file root, not the database key: files must stay readable across re-keys.
  const dbKey = ws.fileKey();
  const key = evidenceKey(dbKey, salt, blobName);
  dbKey.fill(0);
  try {
    const { size } = await fh.stat();
    if (size < HEADER_BYTES + TAG_BYTES) throw new CustosError('integrity', `The encrypted file of ${itemId} is truncated.`);
    const header = await readExact(fh, HEADER_BYTES, 0);
    const { chunkBytes } = parseHeader(header);
    const segment = chunkBytes + TAG_BYTES;
    const body = size - HEADER_BYTES;
    const count = Math.ceil(body / segment);
    for (let i = 0; i < count; i++) {
      const last = i === count - 1;
      const length = last ? body - segment * (count - 1) : segment;
      const sealed = await readExact(fh, length, HEADER_BYTES + i * segment);
      yield openChunk(key, header, blobName, i, last, sealed);
    }
  } finally {
    key.fill(0);
    await fh.close();
  }
}

/**
 * Removes what the database no longer vouches for: committed files with no live evidence row (a
 * crash between writing and committing, or between a disposal's commit and its file deletion) and
 * partial files no ingest is writing. Returns the number of files removed.
 */
export function sweepEvidenceFolder(ws: Workspace): number {
  const dir = evidenceDir(ws);
  if (!existsSync(dir)) return 0;
  const live = new Set(presentBlobNames(ws.db));
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const orphan =
      (name.endsWith(FINAL_EXT) && !live.has(name.slice(0, -FINAL_EXT.length))) || (name.endsWith(PARTIAL_EXT) && !inProgress.has(path));
    if (!orphan) continue;
    try {
      shredFile(path);
      removed += 1;
    } catch {
      // Left for the next sweep (e.g. a file another process holds open on Windows).
    }
  }
  return removed;
}
