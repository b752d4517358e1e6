import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { CustosError } from '../errors.js';
import { EXPORTS_DIR, type Workspace } from '../workspace.js';

/** A file handed to the person at the screen, waiting for the host to stream it. */
export interface Download {
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
}

/** How long a download ticket stays redeemable: enough for the page to follow it at once, no more. */
const TICKET_TTL_MS = 120_000;

/**
 * The real path of the regular file `fileName` in the workspace's exports folder, or a clear refusal.
 * Only what Custos wrote there (exports, bundles, reports) leaves through a download, named by its
 * bare name: no path (absolute or relative, with either separator), no symlink out of the folder, no
 * temporary (dot) file of a job still running.
 */
export function exportedFile(ws: Workspace, fileName: string): string {
  if (fileName === '' || /[/\\\0]/.test(fileName) || fileName.startsWith('.') || isAbsolute(fileName)) {
    throw new CustosError('forbidden', "Name a file in the workspace's exports folder by its name alone; paths are not accepted.");
  }
  const root = realpathSync(join(ws.dir, EXPORTS_DIR));
  let real: string;
  try {
    real = realpathSync(join(root, fileName));
  } catch {
    throw new CustosError('not_found', 'There is no such file in the workspace exports folder.');
  }
  if (dirname(real) !== root) {
    throw new CustosError('forbidden', 'Only files Custos wrote to the workspace exports folder can be downloaded.');
  }
  if (!lstatSync(real).isFile()) throw new CustosError('validation', 'Only files can be downloaded, not folders.');
  return real;
}

/** Hashes the file as it is now, so the ledger records exactly what was handed over. */
export async function describeDownload(path: string): Promise<Download> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { path, fileName: basename(path), bytes, sha256: hash.digest('hex') };
}

/** One-time, short-lived tickets: the page redeems one to stream a file, and only once. */
export class DownloadTickets {
  private readonly tickets = new Map<string, Download & { expires: number }>();

  issue(d: Download, now = Date.now()): string {
    for (const [t, v] of this.tickets) if (v.expires <= now) this.tickets.delete(t);
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { ...d, expires: now + TICKET_TTL_MS });
    return ticket;
  }

  redeem(ticket: string, now = Date.now()): Download | null {
    const d = this.tickets.get(ticket);
    if (!d) return null;
    this.tickets.delete(ticket);
    if (d.expires <= now) return null;
    return { path: d.path, fileName: d.fileName, bytes: d.bytes, sha256: d.sha256 };
  }

  clear(): void {
    this.tickets.clear();
  }
}

/** `attachment` with the file's name, ASCII-safe plus RFC 6266's UTF-8 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
