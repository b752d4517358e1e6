import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { now as clockNow } from '../clock.js';
import { CustosError } from '../errors.js';
import { EXPORTS_DIR, type Workspace } from '../workspace.js';

/**
 * Outputs (bundles, reports, evidence copies, productions) are written only here, under names the
 * core chooses: a session never names a server file. Each is written to a private temporary file
 * with a fresh random name, opened exclusively, then published under its final name without ever
 * replacing a file, so nothing already in the folder (a leftover `*.partial` included) is read,
 * reused or overwritten.
 */

/** A file written to the exports folder, as a response reports it (hand it over with `files.download`). */
export interface ExportedFile {
  /** Absolute path on this machine (for the core and the CLI; never sent to a session). */
  path: string;
  /** Its name inside the workspace's exports folder: what `files.download` takes. */
  fileName: string;
  bytes: number;
  sha256: string;
}

/** The workspace's exports folder, created owner-only when missing. */
export function exportsDir(ws: Workspace): string {
  const dir = join(ws.dir, EXPORTS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** One piece of a file name: ASCII letters, digits, dot, dash and underscore; never leading dots; bounded. */
export function namePart(text: string, max = 60): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/_+/g, '_')
    .slice(0, max)
    .replace(/[._-]+$/, '');
  return cleaned || 'file';
}

/** A compact UTC time stamp for file names: 20261202T075118Z. */
export function fileStamp(date: Date = clockNow()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * The first name `stem.ext`, `stem-2.ext`, … not taken in `dir` by anything, a dangling symbolic link
 * included (publishing still never replaces one if the name is taken meanwhile).
 */
export function freeName(dir: string, stem: string, ext: string): string {
  const taken = (name: string) => lstatSync(join(dir, name), { throwIfNoEntry: false }) !== undefined;
  let name = `${stem}${ext}`;
  for (let n = 2; taken(name); n++) name = `${stem}-${n}${ext}`;
  return name;
}

/** A fresh temporary path in `dir`: a dot name (never handed over by `files.download`) with 96 random bits. */
function tempName(dir: string): string {
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

/**
 * Copies a file out of the exports folder to `dest` for the CLI (which runs as the local user and
 * keeps its paths): via a private temporary file beside `dest`, published without replacing anything,
 * and only when the copy's SHA-256 is `sha256` (what was recorded when the file was handed over).
 */
export async function copyOut(source: string, dest: string, sha256: string): Promise<void> {
  const { path: tmp, handle } = await createTempFile(dirname(dest));
  try {
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(source) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        let offset = 0;
        while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (hash.digest('hex') !== sha256) {
      throw new CustosError('integrity', `${basename(source)} changed on disk after it was written, so it was not copied to ${dest}; make it again.`);
    }
    publishFile(tmp, dest);
  } finally {
    discardTemp(tmp);
  }
}

/** Hex SHA-256 of bytes. */
export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function syncDir(dir: string): void {
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
