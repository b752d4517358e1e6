import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/create-core.js';
import { Workspace } from '../../electron/core/workspace.js';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// Issue item 4: one process per workspace. Opening takes custos.lock; a second opener is refused
// with one sentence naming the holder; a lock left by a dead process is taken over.

afterAll(removeTempDirs);

const SENTENCE = /^This workspace is open in another Custos process \(.+, pid \d+, since \d\d:\d\d UTC\); close it first\.$/;

function lockOf(dir: string): { pid: number; host: string; command: string; since: string } {
  return JSON.parse(readFileSync(join(dir, 'custos.lock'), 'utf8')) as { pid: number; host: string; command: string; since: string };
}

/** The pid of a process that has exited (and so cannot hold anything). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the workspace lock', () => {
  it('is held while unlocked and gone after lock; a second Workspace in the same process is refused with one sentence', async () => {
    const t = await createTempWorkspace();
    expect(lockOf(t.dir)).toMatchObject({ pid: process.pid, host: hostname() });
    const key = await t.dbKey();
    let err: unknown;
    try {
      Workspace.open(t.dir, key).close();
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toMatch(SENTENCE);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    // The refusal touched nothing: the first holder still works and still holds the lock.
    expect((await t.result('users.list', {}, t.admin)).ok).toBe(true);
    expect(lockOf(t.dir).pid).toBe(process.pid);
    t.lock();
    expect(existsSync(join(t.dir, 'custos.lock'))).toBe(false);
  });

  it('refuses a second app (as the CLI next to custos serve would be) with code conflict, naming the holder', async () => {
    const t = await createTempWorkspace();
    const { app: other, dispatch } = createCore(t.dir, { log: () => undefined });
    const r = await dispatch('session.login', { username: ADMIN, passphrase: PASSPHRASE }, {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toMatch(SENTENCE);
    }
    expect(other.unlocked).toBe(false);
    // Refused before the passphrase is even tried: a wrong one does not touch keyslots.json, which the holder owns.
    const keyFile = readFileSync(join(t.dir, 'keyslots.json'), 'utf8');
    const wrong = await dispatch('session.login', { username: ADMIN, passphrase: 'not the passphrase at all' }, {});
    expect(wrong.ok ? null : wrong.error.code).toBe('conflict');
    expect(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).toBe(keyFile);
    // The first app's ledger head is the only one: a checkpoint from it still works.
    expect((await t.result('ledger.checkpoint', {}, t.admin)).ok).toBe(true);
    t.lock();
    // Once the first has closed, the second may open.
    expect((await dispatch('session.login', { username: ADMIN, passphrase: PASSPHRASE }, {})).ok).toBe(true);
    other.shutdown();
  });

  it('is refused while another live process holds it, and taken over once that process is dead', async () => {
    const t = await createTempWorkspace({ login: false });
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const since = '2026-01-01T07:04:00.000Z';
      writeFileSync(join(t.dir, 'custos.lock'), JSON.stringify({ pid: child.pid, host: hostname(), command: 'custos serve', since, token: 'x' }));
      const r = await t.result('session.login', { username: ADMIN, passphrase: PASSPHRASE });
      expect(r.ok ? null : r.error.message).toBe(`This workspace is open in another Custos process (custos serve, pid ${child.pid}, since 07:04 UTC); close it first.`);
    } finally {
      child.kill();
    }
    await new Promise((done) => child.once('exit', done));
    // The holder died without cleaning up: its lock is stale and is taken over.
    await t.login();
    expect(lockOf(t.dir).pid).toBe(process.pid);
    t.lock();
  });

  it('takes over a stale lock of a dead pid, and the unlock event names the process that died holding it', async () => {
    const t = await createTempWorkspace({ login: false });
    const dead = deadPid();
    const since = new Date().toISOString();
    writeFileSync(join(t.dir, 'custos.lock'), JSON.stringify({ pid: dead, host: hostname(), command: 'custos verify', since, token: 'y' }));
    await t.login();
    expect(lockOf(t.dir).pid).toBe(process.pid);
    expect(t.events().filter((e) => e.action === 'workspace.unlock').at(-1)?.details).toMatchObject({ stale_lock: { pid: dead, command: 'custos verify', since } });
    t.lock();
    expect(existsSync(join(t.dir, 'custos.lock'))).toBe(false);
  });
});
