import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { CustosError } from '../errors.js';
import { HEADER_BYTES, makeHeader, openChunk, parseHeader, sealChunk, TAG_BYTES } from './blob-crypto.js';

/**
 * A temporary file sealed with the evidence file format (blob-crypto.ts) under a key that lives
 * only in memory: an upload waiting to be used is ciphertext on disk, and once the key is dropped
 * (use, expiry, lock, crash) the file is unreadable noise.
 */
export interface SealedFile {
  path: string;
  key: Buffer;
  /** Bound into every chunk's additional data, so chunks cannot be moved between temporary files. */
  name: string;
  bytes: number;
}

const CHUNK_BYTES = 64 * 1024;

/** Streams `source` into a new sealed file at `path`; refuses (and removes nothing itself) past `maxBytes`. */
export async function writeSealedFile(
  path: string,
  name: string,
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  opts: { maxBytes: number; signal?: AbortSignal; onBytes?: (bytes: number) => void },
): Promise<SealedFile> {
  const key = randomBytes(32);
  const header = makeHeader(CHUNK_BYTES);
  const fh = await open(path, 'wx', 0o600);
  let index = 0;
  let bytes = 0;
  let parts: Buffer[] = [];
  let held = 0;
  // A full chunk is sealed only when more data follows, because only then is it known not to be the last.
  let pending: Buffer | null = null;
  try {
    await fh.write(header);
    for await (const piece of source) {
      if (opts.signal?.aborted) throw new CustosError('cancelled', 'The upload was cancelled; nothing was kept.');
      bytes += piece.length;
      if (bytes > opts.maxBytes) throw new CustosError('validation', `The file is larger than the ${opts.maxBytes} bytes allowed here.`, { tooLarge: true });
      parts.push(piece);
      held += piece.length;
      while (held >= CHUNK_BYTES) {
        const all = Buffer.concat(parts);
        if (pending) await fh.write(sealChunk(key, header, name, index++, false, pending));
        pending = all.subarray(0, CHUNK_BYTES);
        const rest = all.subarray(CHUNK_BYTES);
        parts = rest.length > 0 ? [rest] : [];
        held = rest.length;
      }
      opts.onBytes?.(bytes);
    }
    if (held > 0) {
      if (pending) await fh.write(sealChunk(key, header, name, index++, false, pending));
      await fh.write(sealChunk(key, header, name, index, true, Buffer.concat(parts)));
    } else {
      await fh.write(sealChunk(key, header, name, index, true, pending ?? Buffer.alloc(0)));
    }
    await fh.sync();
    return { path, key, name, bytes };
  } catch (err) {
    key.fill(0);
    throw err;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Decrypts a sealed file chunk by chunk; throws `integrity` if anything was altered. */
export async function* readSealedFile(file: SealedFile, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const fh = await open(file.path, 'r');
  try {
    const { size } = await fh.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    await fh.read(header, 0, HEADER_BYTES, 0);
    const { chunkBytes } = parseHeader(header);
    const segment = chunkBytes + TAG_BYTES;
    const body = size - HEADER_BYTES;
    const count = Math.max(1, Math.ceil(body / segment));
    for (let i = 0; i < count; i++) {
      if (signal?.aborted) throw new CustosError('cancelled', 'Reading the uploaded file was cancelled.');
      const length = i === count - 1 ? body - segment * (count - 1) : segment;
      const sealed = Buffer.alloc(Math.max(0, length));
      const { bytesRead } = await fh.read(sealed, 0, sealed.length, HEADER_BYTES + i * segment);
      if (bytesRead !== sealed.length) throw new CustosError('integrity', 'The uploaded file was cut short while it waited; upload it again.');
      yield openChunk(file.key, header, file.name, i, i === count - 1, sealed);
    }
  } finally {
    await fh.close();
  }
}
