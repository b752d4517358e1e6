import { randomBytes } from 'node:crypto';
import { constants, existsSync, mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { contract } from '../../../shared/contract.js';
import type { GrantPurpose } from '../../../shared/contract/files.js';
import type { Role } from '../../../shared/roles.js';
import { CustosError } from '../errors.js';
import { loadPolicy } from '../policy.js';
import { EXPORTS_DIR } from '../workspace.js';
import type { ZipSource } from '../zip/zip-read.js';
import { readSealedFile, writeSealedFile, type SealedFile } from './sealed-file.js';

/** Where uploads wait, sealed, inside the workspace folder until a channel uses them. */
export const UPLOADS_DIR = 'uploads';

/** resources/policies/uploads.json. */
export interface UploadPolicy {
  evidenceMaxBytes: number;
  bundleMaxBytes: number;
  grantMinutes: number;
}

/** The channels that use a file of each purpose: their roles decide who may upload or pick one. */
const PURPOSE_CHANNELS = {
  evidence: ['evidence.ingestFile'],
  bundle: ['bundles.verify', 'imports.run'],
} as const satisfies Record<GrantPurpose, readonly (keyof typeof contract)[]>;

const PURPOSE_WORDS: Record<GrantPurpose, string> = { evidence: 'ingesting evidence', bundle: 'verifying or importing a bundle' };

/** True when `role` may use files of `purpose` (it may call a channel that consumes them). */
export function mayUseFiles(role: Role, purpose: GrantPurpose): boolean {
  return PURPOSE_CHANNELS[purpose].some((c) => {
    const access = contract[c].access;
    return access !== 'public' && access.includes(role);
  });
}

/** What a caller learns about a grant it was given. */
export interface GrantInfo {
  grant: string;
  fileName: string;
  bytes: number;
}

/** A file a channel took from a grant: readable as a stream or through a path, then gone. */
export interface GrantedFile {
  fileName: string;
  bytes: number;
  /** The content, read once. */
  stream(signal?: AbortSignal): AsyncIterable<Buffer>;
  /** Runs `fn` with the content as a ZIP source (random access): the chosen file in place, or an upload's bytes in memory. */
  withZipSource<T>(fn: (source: ZipSource) => Promise<T>): Promise<T>;
}

type Source = { kind: 'path'; realPath: string; dev: number; ino: number } | { kind: 'upload'; file: SealedFile };

interface Grant extends GrantInfo {
  sessionId: string;
  purpose: GrantPurpose;
  expires: number;
  source: Source;
  timer: NodeJS.Timeout;
}

/** Grants one session may hold at once: enough for a form or two, too few to fill the disk with waiting uploads. */
const MAX_PENDING_PER_SESSION = 8;

/** Roots no input may come from: kernel views and devices, never regular files of a person's. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

function under(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Opens a real path once, for reading, refusing anything that is not a regular file (no device, FIFO, socket, folder). */
async function openRegular(realPath: string): Promise<FileHandle> {
  // O_NONBLOCK: opening a FIFO must not hang waiting for a writer; O_NOFOLLOW: a link swapped in since is refused.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let fh: FileHandle;
  try {
    fh = await open(realPath, flags);
  } catch {
    throw new CustosError('not_found', `${basename(realPath)} could not be opened; check that the file is still there and readable.`);
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new CustosError('validation', `${basename(realPath)} is not a regular file (it is a folder, device, pipe or socket); choose a file.`);
  }
  return fh;
}

/**
 * One-time, short-lived, session-bound tokens that stand for an input file, so no channel ever
 * takes a filesystem path from a session. A grant comes from bytes the browser uploaded (sealed
 * on disk under an in-memory key) or from a path the person chose in the desktop shell's own
 * open dialog (or typed into the CLI, which runs as the local user). Taking one consumes it.
 */
export class FileGrants {
  private readonly grants = new Map<string, Grant>();
  /** Upload files being written now; the sweep of leftovers leaves them alone. */
  private readonly writing = new Set<string>();
  /** Size limits per purpose, from policy (a test may lower them on its own instance). */
  readonly maxBytes: Record<GrantPurpose, number>;
  /** How long a grant stays usable (a test may shorten it on its own instance). */
  ttlMs: number;

  constructor() {
    const p = loadPolicy<UploadPolicy>('uploads');
    this.maxBytes = { evidence: p.evidenceMaxBytes, bundle: p.bundleMaxBytes };
    this.ttlMs = p.grantMinutes * 60_000;
  }

  /**
   * A grant for a file on the local disk, named by the person at the screen (desktop open dialog,
   * CLI argument). The path is resolved with realpath and must be a regular file outside the
   * kernel's views, outside the workspace folder (bundles may come from its exports folder).
   */
  async grantPath(sessionId: string, purpose: GrantPurpose, path: string, workspaceDir: string): Promise<GrantInfo> {
    if (!isAbsolute(path)) throw new CustosError('validation', 'The file must be named by an absolute path.');
    this.assertRoom(sessionId);
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new CustosError('not_found', `There is no file at ${path}.`);
    }
    if (SYSTEM_ROOTS.some((root) => under(root, real))) {
      throw new CustosError('forbidden', `${real} is a system file, not a document; choose a file of your own.`);
    }
    const wsReal = existsSync(workspaceDir) ? realpathSync(workspaceDir) : workspaceDir;
    if (under(wsReal, real) && !(purpose === 'bundle' && under(join(wsReal, EXPORTS_DIR), real))) {
      throw new CustosError('forbidden', 'Files inside the workspace folder cannot be used as input; choose a file from elsewhere.');
    }
    const fh = await openRegular(real);
    try {
      const st = await fh.stat();
      if (st.size > this.maxBytes[purpose]) throw tooLarge(purpose, this.maxBytes[purpose]);
      return this.add(sessionId, purpose, basename(real), st.size, { kind: 'path', realPath: real, dev: st.dev, ino: st.ino });
    } finally {
      await fh.close();
    }
  }

  /** A grant for bytes uploaded by the browser: streamed, sealed under an in-memory key, never plaintext on disk. */
  async grantUpload(
    sessionId: string,
    purpose: GrantPurpose,
    fileName: string,
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    opts: { workspaceDir: string; signal?: AbortSignal },
  ): Promise<GrantInfo> {
    this.assertRoom(sessionId);
    const dir = join(opts.workspaceDir, UPLOADS_DIR);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.sweep(dir);
    const id = randomBytes(16).toString('hex');
    const path = join(dir, `${id}.sealed`);
    this.writing.add(path);
    try {
      const file = await writeSealedFile(path, id, source, { maxBytes: this.maxBytes[purpose], signal: opts.signal });
      return this.add(sessionId, purpose, displayName(fileName), file.bytes, { kind: 'upload', file });
    } catch (err) {
      rmSync(path, { force: true });
      if (err instanceof CustosError && err.details?.tooLarge) throw tooLarge(purpose, this.maxBytes[purpose]);
      throw err;
    } finally {
      this.writing.delete(path);
    }
  }

  /**
   * Consumes a grant for one use by `sessionId` for `purpose` and runs `fn` with its file; an
   * uploaded file is removed afterwards, whatever happens. Refuses a grant that is unknown, used,
   * expired, another session's or for another purpose.
   */
  async use<T>(grant: string, sessionId: string, purpose: GrantPurpose, fn: (file: GrantedFile) => Promise<T>, now = Date.now()): Promise<T> {
    const g = this.grants.get(grant);
    if (!g || g.expires <= now) {
      if (g) this.drop(g);
      throw new CustosError('not_found', 'This file was already used or its hand-over has expired; choose the file again.');
    }
    if (g.sessionId !== sessionId) throw new CustosError('forbidden', 'This file was handed to another session; choose the file again.');
    if (g.purpose !== purpose) {
      throw new CustosError('validation', `This file was chosen for ${PURPOSE_WORDS[g.purpose]}, not for ${PURPOSE_WORDS[purpose]}; choose it again here.`);
    }
    this.grants.delete(grant);
    clearTimeout(g.timer);
    try {
      return await fn(granted(g));
    } finally {
      this.removeUpload(g);
    }
  }

  /** Drops one session's grants (sign-out). */
  endSession(sessionId: string): void {
    for (const g of this.grants.values()) if (g.sessionId === sessionId) this.drop(g);
  }

  /** Drops every grant and its uploaded file (lock); given the workspace folder, also what a crash left in its uploads folder. */
  clear(workspaceDir?: string): void {
    for (const g of this.grants.values()) this.drop(g);
    const dir = workspaceDir === undefined ? null : join(workspaceDir, UPLOADS_DIR);
    if (dir && existsSync(dir)) this.sweep(dir);
  }

  private assertRoom(sessionId: string): void {
    const held = [...this.grants.values()].filter((g) => g.sessionId === sessionId).length;
    if (held >= MAX_PENDING_PER_SESSION) {
      throw new CustosError('rate_limited', `You have ${held} files handed over and not yet used; use or cancel them before adding more.`);
    }
  }

  private add(sessionId: string, purpose: GrantPurpose, fileName: string, bytes: number, source: Source): GrantInfo {
    const grant = randomBytes(24).toString('base64url');
    const timer = setTimeout(() => {
      const g = this.grants.get(grant);
      if (g) this.drop(g);
    }, this.ttlMs);
    timer.unref();
    this.grants.set(grant, { grant, fileName, bytes, sessionId, purpose, expires: Date.now() + this.ttlMs, source, timer });
    return { grant, fileName, bytes };
  }

  private drop(g: Grant): void {
    this.grants.delete(g.grant);
    clearTimeout(g.timer);
    this.removeUpload(g);
  }

  private removeUpload(g: Grant): void {
    if (g.source.kind !== 'upload') return;
    g.source.file.key.fill(0);
    rmSync(g.source.file.path, { force: true });
  }

  /** Removes what a crash or an older run left in the uploads folder: sealed under keys that are gone. */
  private sweep(dir: string): void {
    const live = new Set([...this.grants.values()].flatMap((g) => (g.source.kind === 'upload' ? [g.source.file.path] : [])));
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!live.has(path) && !this.writing.has(path)) rmSync(path, { force: true, recursive: true });
    }
  }
}

function tooLarge(purpose: GrantPurpose, max: number): CustosError {
  return new CustosError('validation', `The file is larger than the ${Math.floor(max / 1024 / 1024)} MiB allowed for ${PURPOSE_WORDS[purpose]}.`, { tooLarge: true, maxBytes: max });
}

/** A file name fit to show and record: its last path part, without control characters. */
export function displayName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? name;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes.
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  return clean || 'upload';
}


function granted(g: Grant): GrantedFile {
  const source = g.source;
  if (source.kind === 'upload') {
    return {
      fileName: g.fileName,
      bytes: g.bytes,
      stream: (signal) => readSealedFile(source.file, signal),
      // Random-access readers (ZIP) get the plaintext in memory for the length of the call only: it is
      // never written to disk (the upload itself stays sealed). Uploads are capped (uploads.json), so
      // this is bounded; larger bundles go through `custos import`, which reads the file in place.
      withZipSource: async (fn) => {
        const chunks: Buffer[] = [];
        for await (const chunk of readSealedFile(source.file)) chunks.push(chunk);
        const buffer = Buffer.concat(chunks);
        for (const c of chunks) c.fill(0);
        try {
          return await fn({ buffer, name: g.fileName });
        } finally {
          buffer.fill(0);
        }
      },
    };
  }
  const reopen = async (): Promise<FileHandle> => {
    const fh = await openRegular(source.realPath);
    const st = await fh.stat();
    if (st.dev !== source.dev || st.ino !== source.ino) {
      await fh.close();
      throw new CustosError('conflict', `${g.fileName} was replaced after it was chosen; choose the file again.`);
    }
    return fh;
  };
  return {
    fileName: g.fileName,
    bytes: g.bytes,
    async *stream(signal) {
      const fh = await reopen();
      try {
        for await (const chunk of fh.createReadStream({ autoClose: false, highWaterMark: 64 * 1024, signal }) as AsyncIterable<Buffer>) yield chunk;
      } finally {
        await fh.close();
      }
    },
    withZipSource: async (fn) => {
      const fh = await reopen();
      try {
        // Linux names the very file opened and checked above; elsewhere its real path (checked just now).
        return await fn(process.platform === 'linux' ? `/proc/self/fd/${fh.fd}` : source.realPath);
      } finally {
        await fh.close();
      }
    },
  };
}

