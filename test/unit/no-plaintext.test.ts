import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSPHRASE, createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// DESIGN §3: no plaintext of any record appears in custos.db, its WAL, temp files, or the
// evidence folder. The canaries are made at run time so no source or cache file contains them.

afterAll(removeTempDirs);

const CANARY_NAME = `PLAINTEXT-CANARY-NAME-${randomBytes(8).toString('hex')}`;
const CANARY_DETAIL = `PLAINTEXT-CANARY-DETAIL-${randomBytes(8).toString('hex')} \u2028 naïve 😀`;
const NEEDLES = [CANARY_NAME, CANARY_DETAIL.slice(0, 40)].flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);

const MAX_SCAN = 256 * 1024 * 1024;

/** Files under `dir` (recursively, not following links) modified at or after `since`. */
function filesSince(dir: string, since: number, depth = 6): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      if (depth > 0) out.push(...filesSince(path, since, depth - 1));
    } else if (st.isFile() && st.mtimeMs >= since && st.size <= MAX_SCAN) {
      out.push(path);
    }
  }
  return out;
}

/** Files holding a canary (the file names only, never the bytes, so a failure prints nothing secret). */
function filesWithCanary(paths: string[]): string[] {
  const hits: string[] = [];
  for (const p of paths) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(p);
    } catch {
      continue;
    }
    if (NEEDLES.some((n) => bytes.includes(n))) hits.push(p);
  }
  return hits;
}

function allFiles(dir: string): string[] {
  return filesSince(dir, 0, 20);
}

describe('no plaintext at rest', () => {
  it('a display name and an event detail written through the app appear in no file of the workspace or the temp folders', async () => {
    // mtime has a coarse resolution on some file systems: start the window a little early.
    const started = Date.now() - 2000;
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'canary.user', displayName: CANARY_NAME, role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    // users.update puts the new display name into the event's details (changes.displayName.to).
    await t.call('users.update', { username: 'canary.user', displayName: CANARY_DETAIL }, t.admin);
    const viewer = await t.login('canary.user');
    const me = await t.call<{ user: { displayName: string } }>('session.me', {}, viewer);
    expect(me.user.displayName).toBe(CANARY_DETAIL);

    // The canaries are really stored: the decrypted database holds them.
    const stored = t.events().filter((e) => JSON.stringify(e.details).includes(CANARY_DETAIL));
    expect(stored.length).toBeGreaterThan(0);
    // Make the WAL and its index hold many pages, then look while the database is still open.
    for (let i = 0; i < 20; i++) await t.call('users.update', { username: 'canary.user', displayName: `${CANARY_NAME}-${i}` }, t.admin);
    await t.call('users.update', { username: 'canary.user', displayName: CANARY_DETAIL }, t.admin);

    const wal = join(t.dir, 'custos.db-wal');
    expect(existsSync(wal)).toBe(true);
    expect(statSync(wal).size).toBeGreaterThan(0);
    const named = ['custos.db', 'custos.db-wal', 'custos.db-shm', 'keyslots.json', 'checkpoint.json'].map((f) => join(t.dir, f));
    for (const f of named.filter((p) => !p.endsWith('-shm'))) expect(existsSync(f), f).toBe(true);
    const openScan = [...new Set([...named.filter(existsSync), ...allFiles(t.dir)])];
    expect(openScan.length).toBeGreaterThanOrEqual(5);
    expect(filesWithCanary(openScan)).toEqual([]);
    expect(filesWithCanary(filesSince(tmpdir(), started))).toEqual([]);
    expect(filesWithCanary(filesSince('/var/tmp', started))).toEqual([]);

    t.lock();
    const closedScan = allFiles(t.dir);
    expect(closedScan).toContain(join(t.dir, 'custos.db'));
    expect(filesWithCanary(closedScan)).toEqual([]);
    expect(filesWithCanary(filesSince(tmpdir(), started))).toEqual([]);
    expect(filesWithCanary(filesSince('/var/tmp', started))).toEqual([]);
  });

  it('the scan itself finds a canary where one is written (so the test above can fail)', async () => {
    const t = await createTempWorkspace();
    const { writeFileSync } = await import('node:fs');
    const leak = join(t.dir, 'exports', 'leak.txt');
    writeFileSync(leak, `header ${CANARY_NAME} trailer`);
    expect(filesWithCanary(allFiles(t.dir))).toEqual([leak]);
    writeFileSync(leak, Buffer.from(CANARY_DETAIL, 'utf16le'));
    expect(filesWithCanary(filesSince(tmpdir(), Date.now() - 60_000))).toContain(leak);
  });
});
