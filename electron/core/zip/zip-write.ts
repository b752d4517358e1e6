import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yazl from 'yazl';
import { CustosError, failureText } from '../errors.js';
import { createTempFile, publishFile } from '../fs/atomic.js';
import { zipDuplicateKey, zipPathProblem } from './zip-read.js';

/** Where an entry's bytes come from: in memory, a file on disk (by path), or a stream made on demand. */
export type ZipWriteSource = Buffer | string | (() => NodeJS.ReadableStream);

export interface ZipWriteEntry {
  /** Relative forward-slash path inside the archive. */
  path: string;
  source: ZipWriteSource;
}

export interface ZipWriteResult {
  /** Size of the finished archive. */
  bytes: number;
  /** Lower-case hex SHA-256 of the finished archive. */
  sha256: string;
}

// Fixed metadata so identical inputs give identical bytes. yazl encodes the DOS timestamp from the
// Date's local fields, so the date is built in local time at each write (the zone may change while
// we run); the Info-ZIP UTC field is left out because it would shift with the writer's time zone.
const FIXED_MTIME_LOCAL = [1980, 0, 1, 0, 0, 0] as const;
const FILE_MODE = 0o100644;
const COMPRESSION_LEVEL = 6;

// @types/yazl describes yazl 2; these are the yazl 3 options and method this file relies on.
interface Yazl3Options {
  mtime: Date;
  mode: number;
  compress: boolean;
  compressionLevel: number;
  forceDosTimestamp: boolean;
}
interface Yazl3ZipFile extends yazl.ZipFile {
  addBuffer(buffer: Buffer, metadataPath: string, options?: Partial<Yazl3Options>): void;
  addReadStreamLazy(
    metadataPath: string,
    options: Partial<Yazl3Options>,
    getReadStream: (callback: (err: Error | null, stream?: NodeJS.ReadableStream) => void) => void,
  ): void;
}

function entryOptions(): Partial<Yazl3Options> {
  return {
    mtime: new Date(...FIXED_MTIME_LOCAL),
    mode: FILE_MODE,
    compress: true,
    compressionLevel: COMPRESSION_LEVEL,
    forceDosTimestamp: true,
  };
}

/**
 * Streams `entries` into a ZIP at `outPath` (via a fresh private temporary file in the same folder,
 * fsynced, then published without replacing anything), so the archive either appears complete or not
 * at all, and no file already there is reused or overwritten; `onProgress` gets the bytes written so far.
 */
export async function writeZip(
  outPath: string,
  entries: ZipWriteEntry[],
  opts: { signal?: AbortSignal; onProgress?: (bytesDone: number) => void; what?: string } = {},
): Promise<ZipWriteResult> {
  checkEntryPaths(entries);
  const { signal, onProgress } = opts;
  const what = opts.what ?? 'bundle';
  if (signal?.aborted) throw cancelled(what);

  let partialPath: string | undefined;
  const zip = new yazl.ZipFile() as Yazl3ZipFile;
  const output = zip.outputStream as Readable;
  const sources = new Set<NodeJS.ReadableStream>();
  let settled = false;
  let handle: FileHandle | undefined;

  // yazl reports its own and its inputs' failures on the ZipFile; route them into the pipeline.
  zip.on('error', (err: Error) => output.destroy(err));

  const openSource = (
    make: () => NodeJS.ReadableStream,
  ): ((callback: (err: Error | null, stream?: NodeJS.ReadableStream) => void) => void) => {
    return (callback) => {
      // yazl may ask for the next entry after we gave up; opening it then would leak the stream.
      if (settled) {
        callback(new Error('the archive was abandoned'));
        return;
      }
      try {
        const stream = make();
        sources.add(stream);
        stream.on('error', (err: Error) => zip.emit('error', err));
        callback(null, stream);
      } catch (err) {
        callback(err instanceof Error ? err : new Error(String(err)));
      }
    };
  };

  try {
    // 0o600 and exclusive: the archive holds records, and a leftover file of that name is never reused.
    ({ path: partialPath, handle } = await createTempFile(dirname(outPath)));
    const options = entryOptions();
    for (const { path, source } of entries) {
      if (Buffer.isBuffer(source)) {
        zip.addBuffer(source, path, options);
      } else if (typeof source === 'string') {
        zip.addReadStreamLazy(path, options, openSource(() => createReadStream(source)));
      } else {
        zip.addReadStreamLazy(path, options, openSource(source));
      }
    }
    zip.end();

    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        try {
          onProgress?.(bytes);
          callback(null, chunk);
        } catch (err) {
          callback(err instanceof Error ? err : new Error(String(err)));
        }
      },
    });
    await pipeline(output, meter, fileSink(handle), { signal });
    await handle.sync();
    await handle.close();
    handle = undefined;
    publishFile(partialPath, outPath);
    settled = true;
    return { bytes, sha256: hash.digest('hex') };
  } catch (err) {
    settled = true;
    for (const source of sources) (source as Readable).destroy?.();
    output.destroy();
    await handle?.close().catch(() => undefined);
    if (partialPath) await rm(partialPath, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw cancelled(what);
    if (err instanceof CustosError) throw err;
    const cause = failureText(err);
    throw new CustosError('failure', `The ${what} could not be written to "${basename(outPath)}" (${cause}).`, {
      path: basename(outPath),
      cause,
    });
  }
}

/**
 * Writes into an open handle without closing it, so the caller can fsync before close.
 * (An fs.WriteStream with autoClose off never emits 'close', which stalls pipeline().)
 */
function fileSink(handle: FileHandle): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeAll(handle, chunk).then(() => callback(), callback);
    },
    // yazl emits many small header buffers; batching them saves system calls.
    writev(chunks, callback) {
      const joined = Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer));
      writeAll(handle, joined).then(() => callback(), callback);
    },
  });
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Refuses any path the safe reader would refuse, so Custos never writes a bundle it cannot read back. */
function checkEntryPaths(entries: ZipWriteEntry[]): void {
  const seen = new Map<string, string>();
  for (const { path } of entries) {
    const problem = zipPathProblem(path);
    if (problem) {
      throw new CustosError('validation', `The bundle entry "${path}" ${problem.why}.`, {
        path,
        reason: problem.reason,
      });
    }
    if (path.endsWith('/')) {
      throw new CustosError('validation', `The bundle entry "${path}" names a folder, not a file.`, {
        path,
        reason: 'invalid_name',
      });
    }
    const key = zipDuplicateKey(path);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new CustosError(
        'validation',
        `The bundle entry "${path}" clashes with "${earlier}"; entry names must differ by more than letter case.`,
        { path, otherPath: earlier, reason: 'duplicate_entry' },
      );
    }
    seen.set(key, path);
  }
}

function cancelled(what: string): CustosError {
  return new CustosError('cancelled', `Writing the ${what} was cancelled.`);
}
