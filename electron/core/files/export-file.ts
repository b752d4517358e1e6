import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { now as clockNow } from '../clock.js';
import { CustosError } from '../errors.js';
import { createTempFile, discardTemp, publishFile, writeTempFileSync } from '../fs/atomic.js';
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

/**
 * Writes `data` as a new file `stem…ext` in the exports folder and publishes it inside the
 * transaction that runs `record(fileName, sha256)` (which appends its ledger event): if either
 * fails, neither is left. The one way a report (a PDF made in memory) reaches the exports folder.
 */
export function publishExport(ws: Workspace, stem: string, ext: string, data: Buffer, record: (fileName: string, sha256: string) => void): ExportedFile {
  const sha256 = sha256Of(data);
  const dir = exportsDir(ws);
  const fileName = freeName(dir, stem, ext);
  const path = join(dir, fileName);
  let tmp: string | undefined = writeTempFileSync(dir, data);
  let published = false;
  try {
    ws.tx(() => {
      record(fileName, sha256);
      // Last in the transaction: once published, nothing after it can roll the event back.
      publishFile(tmp!, path);
      tmp = undefined;
      published = true;
    });
  } catch (err) {
    // A commit that fails after the publish takes the file back with the event.
    if (published) rmSync(path, { force: true });
    throw err;
  } finally {
    discardTemp(tmp);
  }
  return { path, fileName, sha256, bytes: data.length };
}

/** Hex SHA-256 of bytes. */
export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

