import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { CustosError } from '../errors.js';

export const LOCK_FILE = 'custos.lock';
const TAKEOVER_FILE = 'custos.lock.takeover';
/** A takeover marker older than this was left by a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
  token: string;
}

/** Lock files this process holds (path → token), removed on exit even when nobody closed them. */
const held = new Map<string, string>();
let exitHookInstalled = false;
let holderName: string | null = null;

/** Names this process in lock files ("custos serve", "the Custos app"); defaults to the command line. */
export function setLockHolderName(name: string): void {
  holderName = name;
}

function describeSelf(): string {
  if (holderName) return holderName;
  if (process.versions.electron) return 'the Custos app';
  const script = process.argv[1] ? basename(process.argv[1]) : 'node';
  return [script, process.argv[2]].filter(Boolean).join(' ');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readInfo(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string' || typeof v.since !== 'string') return null;
    return { pid: v.pid, host: v.host, command: String(v.command ?? 'another Custos process'), since: v.since, token: String(v.token ?? '') };
  } catch {
    return null;
  }
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
  return true;
}

function refuse(info: LockInfo | null): never {
  if (!info) {
    throw new CustosError('conflict', 'This workspace is being opened by another Custos process right now; try again in a moment.');
  }
  const since = Number.isNaN(Date.parse(info.since)) ? 'an unknown time' : `${new Date(info.since).toISOString().slice(11, 16)} UTC`;
  const where = info.host === hostname() ? '' : ` on ${info.host}`;
  throw new CustosError(
    'conflict',
    `This workspace is open in another Custos process (${info.command}, pid ${info.pid}${where}, since ${since}); close it first.`,
    { pid: info.pid, host: info.host, since: info.since },
  );
}

/** Clears a takeover marker left behind by a process that died halfway through a takeover. */
function clearDeadTakeover(marker: string): void {
  try {
    if (olderThan(marker, TAKEOVER_STALE_MS)) unlinkSync(marker);
  } catch {
    // Gone already.
  }
}

/**
 * Replaces a lock whose process is dead. Only the process that creates the takeover marker may
 * remove the old lock, and it removes it only if it is still the very lock it judged stale; a
 * second opener racing for the same stale lock fails on the marker or on `wx`.
 */
function takeOver(dir: string, path: string, stale: LockInfo | null, mine: LockInfo): boolean {
  const marker = join(dir, TAKEOVER_FILE);
  clearDeadTakeover(marker);
  if (!tryCreate(marker, mine)) return false;
  try {
    const now = readInfo(path);
    const same = stale === null ? now === null : now !== null && now.token === stale.token && now.pid === stale.pid && now.since === stale.since;
    if (same) {
      const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
      renameSync(path, aside);
      unlinkSync(aside);
    }
    return tryCreate(path, mine);
  } finally {
    unlinkSync(marker);
  }
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, token] of held) release(path, token);
  });
}

function release(path: string, token: string): void {
  held.delete(path);
  try {
    // Only our own lock: a lock taken over after ours was judged stale belongs to someone else.
    if (readInfo(path)?.token === token) unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function liveHolder(info: LockInfo | null): boolean {
  // A holder on another host cannot be checked, so it counts as live.
  return info !== null && (info.host !== hostname() || isAlive(info.pid));
}

/**
 * Refuses at once when another process (or another Workspace in this one) holds the folder, so a
 * refused opener does not even touch keyslots.json, which the holder may be rewriting.
 */
export function assertNotHeld(dir: string): void {
  const info = readInfo(join(dir, LOCK_FILE));
  if (liveHolder(info)) refuse(info);
}

/** What is known about the process whose stale lock was taken over, for the unlock event. */
export interface StaleHolder {
  pid: number;
  command: string;
  since: string;
}

/**
 * Takes the exclusive lock of a workspace folder (custos.lock, created with `wx`), so no second
 * process — or a second Workspace in this one — opens the same database. A lock left by a dead
 * process on this host is taken over. Returns the release function.
 */
export function acquireWorkspaceLock(dir: string): { release: () => void; staleHolder: StaleHolder | null } {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), command: describeSelf(), since: new Date().toISOString(), token: randomBytes(16).toString('hex') };
  let staleHolder: StaleHolder | null = null;
  if (!tryCreate(path, mine)) {
    const info = readInfo(path);
    // An unreadable lock is being written by another opener this instant, or is debris of a crash once it is old.
    const stale = info === null ? olderThan(path, TAKEOVER_STALE_MS) : info.host === hostname() && info.pid !== process.pid && !isAlive(info.pid);
    if (!stale || !takeOver(dir, path, info, mine)) refuse(readInfo(path) ?? info);
    staleHolder = info ? { pid: info.pid, command: info.command, since: info.since } : { pid: 0, command: 'unknown', since: 'unknown' };
  }
  held.set(path, mine.token);
  installExitHook();
  let released = false;
  return {
    staleHolder,
    release: () => {
      if (released) return;
      released = true;
      release(path, mine.token);
    },
  };
}
