import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CustosError } from '../errors.js';

/*
 * The core's one way to write files so that they appear whole or not at all. New files (exports,
 * bundles, reports, productions, copies) go to a private temporary file with a fresh random name,
 * opened exclusively and owner-only, and are published under their final name without ever replacing
 * a file (writeFileStreaming, or createTempFile/writeTempFileSync + publishFile). Files that are
 * meant to be replaced (keyslots.json, checkpoint.json) use writeFileAtomic: temp file, fsync, rename.
 */

/** A fresh temporary path in `dir`: a dot name (never handed over by `files.download`) with 96 random bits. */
export function tempName(dir: string): string {
  return join(dir, `.tmp-${randomBytes(12).toString('hex')}`);
}

/** Creates a new private temporary file in `dir` (exclusive: it can never be a file that exists). */
export async function createTempFile(dir: string): Promise<{ path: string; handle: FileHandle }> {
  const path = tempName(dir);
  return { path, handle: await open(path, 'wx', 0o600) };
}

/** Writes `data` to a new private temporary file in `dir`, fsynced; returns its path. */
export function writeTempFileSync(dir: string, data: Buffer): string {
  const path = tempName(dir);
  const fd = openSync(path, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw err;
  }
  closeSync(fd);
  return path;
}

/**
 * Gives the finished temporary file `tmp` its final path without replacing anything: a hard link
 * fails when the name exists (where links are unsupported, a checked rename). Then fsyncs the folder.
 */
export function publishFile(tmp: string, final: string): void {
  try {
    linkSync(tmp, final);
    rmSync(tmp, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new CustosError('conflict', `A file named ${basename(final)} already exists there; Custos never replaces a file. Try again.`);
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // File systems without hard links (FAT, some network shares): rename, after checking the name is free.
    if (lstatSync(final, { throwIfNoEntry: false })) {
      throw new CustosError('conflict', `A file named ${basename(final)} already exists there; Custos never replaces a file. Try again.`);
    }
    renameSync(tmp, final);
  }
  syncDir(dirname(final));
}

/** Removes a temporary file that will not be published (best effort). */
export function discardTemp(tmp: string | undefined): void {
  if (tmp) rmSync(tmp, { force: true });
}

/** Writes a file so readers see either the old or the new content: temp file, fsync, rename, fsync dir. */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const tmp = tempName(dirname(path));
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
  syncDir(dirname(path));
}

/** What was written: byte count and hex SHA-256 of exactly those bytes. */
export interface WrittenFile {
  bytes: number;
  sha256: string;
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
  // wx: never an existing file or link. 0o600: an export holds the records it was asked for; others on the machine need not read it.
  const { path: partial, handle: fh } = await createTempFile(dirname(outPath));
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
    publishFile(partial, outPath);
    return { bytes, sha256: hash.digest('hex') };
  } catch (err) {
    // The stream closes the handle when it ends or is destroyed; this covers a failure before that.
    await fh.close().catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** fsyncs a folder, so a rename or link in it is durable. */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the file is complete and in place.
  }
}
