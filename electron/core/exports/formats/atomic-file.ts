import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What was written: byte count and hex SHA-256 of exactly those bytes. */
export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/**
 * A fresh name to write an export to before it is complete: hidden, beside `outPath`, with a random
 * part, so a file or link someone planted at a predictable `*.partial` name is never opened.
 */
export function partialPath(outPath: string): string {
  return join(dirname(outPath), `.${basename(outPath)}.${randomBytes(8).toString('hex')}.partial`);
}

/**
 * Streams `source` into `outPath` so that the file either appears whole or not at all:
 * bytes go to a fresh partial file (created exclusively, owner-only, hashed on the way), which is
 * fsynced and then published under `outPath` without replacing anything already there.
 * `pipeline` pulls from the source only as fast as the disk takes it, so memory stays flat
 * however many rows there are. On error or abort the partial file is removed and the error
 * is rethrown unchanged.
 */
export async function writeFileStreaming(
  source: Readable | AsyncIterable<string | Buffer>,
  outPath: string,
  signal?: AbortSignal,
): Promise<WrittenFile> {
  const partial = partialPath(outPath);
  // wx: never an existing file or link. 0o600: an export holds the records it was asked for; others on the machine need not read it.
  const fh = await open(partial, 'wx', 0o600);
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const readable = source instanceof Readable ? source : Readable.from(source);
    // flush: the stream fsyncs before it closes the handle, so the rename publishes durable bytes.
    const out = fh.createWriteStream({ flush: true });
    await pipeline(readable, meter, out, signal ? { signal } : {});
    await publish(partial, outPath);
    await syncDir(dirname(outPath));
    return { bytes, sha256: hash.digest('hex') };
  } catch (err) {
    // The stream closes the handle when it ends or is destroyed; this covers a failure before that.
    await fh.close().catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Gives the finished file its name, refusing (EEXIST) rather than replacing a file already there. */
async function publish(partial: string, outPath: string): Promise<void> {
  try {
    await link(partial, outPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A file system without hard links: rename, after checking the name is still free.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw err;
    if (await exists(outPath)) throw Object.assign(new Error(`${outPath} already exists`), { code: 'EEXIST' });
    await rename(partial, outPath);
    return;
  }
  await unlink(partial);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}
