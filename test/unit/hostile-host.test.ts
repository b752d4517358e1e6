import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract } from '../../shared/contract.js';
import { ROLES, type Role } from '../../shared/roles.js';
import type { Result } from '../../shared/result.js';
import type { VerificationReport } from '../../shared/ledger-types.js';
import { startLoopbackServer, type LoopbackServer } from '../../electron/server.js';
import { createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Issue 10, "Done means": one script of hostile calls over the loopback host — ill-formed strings as
// every role, every field that once took a path, and the CLI beside the running host — leaves the
// ledger VALID, reads and writes nothing outside the workspace, and ledgers every refused mutation.

const CLI = resolve('bin/custos.js');
// Lone surrogates (high and low), an unpaired pair, NUL and noncharacters, paths to server files.
const HOSTILE = ['\ud800', 'x\udc00y', '\udfff\ud800', 'ok\u0000\ufffe\uffff', '/proc/self/environ', '/etc/passwd', '../../../../etc/shadow'];
// Field names requests use for ids, texts and (formerly) paths.
const FIELDS = ['id', 'caseId', 'subjectId', 'title', 'description', 'reason', 'note', 'purpose', 'path', 'out', 'outPath', 'destPath', 'outDir', 'grant', 'fileName', 'username', 'passphrase'];

let t: TempWorkspace;
let server: LoopbackServer;
let outside: string;
const sessions = new Map<Role, string>();

beforeAll(async () => {
  t = await createTempWorkspace({ name: 'Hostile host' });
  sessions.set('admin', t.admin);
  for (const role of ROLES) if (role !== 'admin') sessions.set(role, await t.addUser(`${role.replace('_', '-')}.hostile`, role));
  server = await startLoopbackServer(t.app, t.dispatch, { rendererDir: tempDir() });
  outside = tempDir('custos-hostile-outside-');
}, 120_000);

afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

async function post(channel: string, body: string, session?: string): Promise<{ status: number; json: Result<unknown> | null }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...(session ? { 'x-custos-session': session } : {}) },
    body,
  });
  const text = await res.text();
  let json: Result<unknown> | null = null;
  try {
    json = JSON.parse(text) as Result<unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

/** Every file below `dir` with its size and modification time, to prove nothing there changed. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => {
    const p = join(e.parentPath, e.name);
    const s = statSync(p);
    return `${p}:${s.size}:${s.mtimeMs}`;
  });
}

describe('hostile calls over the loopback host', () => {
  it('as every role, through every channel: no 500, nothing outside the workspace, every refused mutation ledgered, the ledger VALID', { timeout: 600_000 }, async () => {
    const before = listing(outside);
    // These end the caller's own session or take the workspace away from the other callers.
    const skip = new Set(['session.logout', 'session.lock', 'workspace.init', 'workspace.rekey', 'users.changePassphrase', 'session.login', 'session.recover']);
    let refusedMutations = 0;
    const sizeBefore = t.eventCount();
    for (const role of ROLES) {
      const session = sessions.get(role)!;
      for (const channel of CHANNEL_NAMES) {
        if (skip.has(channel)) continue;
        for (const value of HOSTILE) {
          const body = JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, value])));
          const r = await post(channel, body, session);
          expect(r.status, `${channel} as ${role}`).toBeLessThan(500);
          expect(r.json, `${channel} as ${role} answers a Result`).not.toBeNull();
          if (r.json && !r.json.ok && contract[channel].mutates) refusedMutations++;
          // A refused call never quotes a server file back.
          expect(JSON.stringify(r.json)).not.toMatch(/root:x:0:0|PATH=/);
        }
      }
    }
    // Public channels without a session, with ill-formed credentials.
    for (const value of HOSTILE) {
      const r = await post('session.login', JSON.stringify({ username: value, passphrase: `${value}${value}passphrase` }));
      expect(r.status).toBeLessThan(500);
      expect(r.json?.ok).toBe(false);
    }
    expect(listing(outside)).toEqual(before);
    expect(refusedMutations).toBeGreaterThan(100);
    const refusals = t.events().slice(sizeBefore).filter((e) => e.outcome !== 'success');
    // One ledgered refusal (denied or failure) for every refused mutation at least.
    expect(refusals.length).toBeGreaterThanOrEqual(refusedMutations);

    const verified = await post('ledger.verify', '{}', t.admin);
    expect(verified.json).toMatchObject({ ok: true, value: { valid: true } });
    expect((verified.json as { ok: true; value: VerificationReport }).value.problems).toEqual([]);
  });

  it('the CLI beside the running host is refused in one sentence and changes nothing', () => {
    const size = t.eventCount();
    const r = spawnSync(process.execPath, [CLI, 'verify', t.dir], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^custos: This workspace is open in another Custos process \(.+, pid \d+, since \d\d:\d\d UTC\); close it first\.$/);
    expect(t.eventCount()).toBe(size);
    expect(t.app.unlocked).toBe(true);
  });
});
