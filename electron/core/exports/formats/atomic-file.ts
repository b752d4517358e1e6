import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What was written: byte count and hex SHA-256 of exactly those bytes. */
export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** The file name an export is written to before it is complete. */
export function partialPath(outPath: string): string {
  return `${outPath}.partial`;
}

/**
 * Streams `source` into `outPath` so that the file either appears whole or not at all:
 * bytes go to `outPath.partial` (hashed on the way), which is fsynced and then renamed.
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
  // 0o600: an export holds the records it was asked for; others on the machine need not read it.
  const fh = await open(partial, 'w', 0o600);
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
    await rename(partial, outPath);
    await syncDir(dirname(outPath));
    return { bytes, sha256: hash.digest('hex') };
  } catch (err) {
    // The stream closes the handle when it ends or is destroyed; this covers a failure before that.
    await fh.close().catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    throw err;
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
