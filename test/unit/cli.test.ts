import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw } from './helpers/tamper.js';
import { PASSPHRASE, removeTempDirs, tempDir } from './helpers/workspace.js';

// The `custos` command as a user runs it: bin/custos.js → dist/ (built by `npm run build:node`).

afterAll(removeTempDirs);

const CLI = resolve('bin/custos.js');

function custos(args: string[], env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> {
  const merged: NodeJS.ProcessEnv = { ...process.env, CUSTOS_PASSPHRASE: undefined, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  // stdin is not a terminal here, so a missing passphrase cannot fall back to a prompt.
  return spawnSync(process.execPath, [CLI, ...args], { env: merged, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** One clear sentence on stderr, prefixed with the command name. */
function expectOneSentence(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^custos: [A-Z0-9`/].*[.!?]$/);
  expect(lines[0]).not.toMatch(/\bat .*\.js:\d+|Error:|undefined|\[object/);
  return lines[0]!;
}

let ws: string;
let recoveryKey: string;

beforeAll(() => {
  ws = join(tempDir('custos-cli-'), 'ws');
  const r = custos(['init', ws, '--name', 'CLI workspace'], { CUSTOS_PASSPHRASE: PASSPHRASE });
  expect(r.status, r.stderr).toBe(0);
  recoveryKey = /Recovery key \(shown once; store it offline\): (\S+)/.exec(r.stdout)?.[1] ?? '';
});

describe('custos CLI', () => {
  it('--help lists the commands', () => {
    const r = custos(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['init', 'serve', 'db-key', 'verify', 'demo']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    expect(r.stdout).toMatch(/^Usage: custos/m);
    const sub = custos(['init', '--help']);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/--user <name>/);
  });

  it('init with CUSTOS_PASSPHRASE prints the workspace id and a recovery key once', () => {
    expect(recoveryKey).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{1,5}){5,}$/);
    const dir = join(tempDir('custos-cli-'), 'other');
    const r = custos(['init', dir, '--user', 'chief'], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Created workspace [0-9a-f-]{36} at /);
    const other = /Recovery key \(shown once; store it offline\): (\S+)/.exec(r.stdout)?.[1];
    expect(other).toBeDefined();
    expect(other).not.toBe(recoveryKey);
    // The chosen admin can sign in; the default name cannot.
    expect(custos(['db-key', dir, '--user', 'chief'], { CUSTOS_PASSPHRASE: PASSPHRASE }).status).toBe(0);
    expect(custos(['db-key', dir], { CUSTOS_PASSPHRASE: PASSPHRASE }).status).toBe(1);
  });

  it('db-key prints x\'…\' with 64 hex digits for the admin, and that key opens custos.db', () => {
    const r = custos(['db-key', ws], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^x'[0-9a-f]{64}'\n$/);
    const key = Buffer.from(r.stdout.slice(2, 66), 'hex');
    const db = openRaw(ws, key, { readonly: true });
    try {
      const actions = (db.prepare('SELECT action FROM events ORDER BY seq').all() as { action: string }[]).map((e) => e.action);
      // Authenticated and ledgered: unlock, login, the key request itself, lock.
      expect(actions.slice(-4)).toEqual(['workspace.unlock', 'session.login', 'workspace.dbKey', 'workspace.lock']);
    } finally {
      db.close();
    }
  });

  it('db-key is refused for a non-admin with one sentence', () => {
    // Make a viewer through the core, then ask for the key as them.
    const dir = ws;
    const add = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { createCore } = await import(${JSON.stringify(resolve('dist/electron/core/create-core.js'))});
         const { app, dispatch: d } = createCore(${JSON.stringify(dir)});
         const s = await d('session.login', { username: 'admin', passphrase: ${JSON.stringify(PASSPHRASE)} });
         const r = await d('users.create', { username: 'viewer.cli', displayName: 'V', role: 'viewer', passphrase: ${JSON.stringify(PASSPHRASE)} }, { sessionId: s.value.session });
         if (!r.ok) throw new Error(r.error.message);
         app.shutdown();`,
      ],
      { env: process.env, encoding: 'utf8' },
    );
    expect(add.status, add.stderr).toBe(0);
    const r = custos(['db-key', dir, '--user', 'viewer.cli'], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(expectOneSentence(r.stderr)).toBe('custos: Your role (viewer) may not use workspace.dbKey.');
  });

  it('verify on the fresh workspace exits 0 with a VALID summary', () => {
    const r = custos(['verify', ws], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^VALID: \d+ events and \d+ checkpoints verified; root [0-9a-f]{64}\.$/);
  });

  it('init into a non-empty folder: one sentence on stderr, exit non-zero, nothing written', () => {
    const dir = tempDir('custos-cli-full-');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = custos(['init', dir], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(expectOneSentence(r.stderr)).toBe(`custos: The folder ${dir} is not empty; choose a new or empty folder for the workspace.`);
    expect(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.trim()).toBe('notes.txt');
  });

  it('init into an existing workspace: one sentence, exit non-zero', () => {
    const r = custos(['init', ws], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status).not.toBe(0);
    expectOneSentence(r.stderr);
  });

  it('init with a short passphrase: one sentence naming the rule', () => {
    const r = custos(['init', join(tempDir('custos-cli-'), 'short')], { CUSTOS_PASSPHRASE: 'short' });
    expect(r.status).not.toBe(0);
    expect(expectOneSentence(r.stderr)).toMatch(/at least 12 characters/);
  });

  it('verify a nonexistent path: one sentence, exit non-zero', () => {
    const missing = join(tempDir('custos-cli-'), 'does-not-exist');
    const r = custos(['verify', missing], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(expectOneSentence(r.stderr)).toBe(`custos: There is no Custos workspace at ${missing}.`);
  });

  it('a wrong passphrase: one sentence, exit non-zero, and it is counted', () => {
    for (const cmd of ['db-key', 'verify']) {
      const r = custos([cmd, ws], { CUSTOS_PASSPHRASE: 'definitely the wrong one' });
      expect(r.status, cmd).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(expectOneSentence(r.stderr)).toBe('custos: The username or passphrase is not correct.');
    }
    const keyslots = JSON.parse(spawnSync('cat', [join(ws, 'keyslots.json')], { encoding: 'utf8' }).stdout) as { pending: { reason: string }[] };
    expect(keyslots.pending.map((p) => p.reason)).toEqual(['wrong-passphrase', 'wrong-passphrase']);
  });

  it('no passphrase and no terminal: one sentence saying how to give one', () => {
    const r = custos(['db-key', ws]);
    expect(r.status).not.toBe(0);
    expect(expectOneSentence(r.stderr)).toBe('custos: No passphrase given: set CUSTOS_PASSPHRASE or run the command in a terminal.');
  });

  it('an unknown command or option exits non-zero with usage help', () => {
    const r = custos(['frobnicate']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    const o = custos(['verify', ws, '--bogus']);
    expect(o.status).not.toBe(0);
    expect(o.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('serve refuses a path that is a file, with one sentence', () => {
    const dir = tempDir('custos-cli-');
    mkdirSync(join(dir, 'sub'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = custos(['serve', file]);
    expect(r.status).not.toBe(0);
    expect(expectOneSentence(r.stderr)).toBe(`custos: ${file} is not a folder.`);
  });
  it('rekey signs in, gives the database a new key and says what happened; the old key no longer opens it', () => {
    const dir = join(tempDir('custos-cli-'), 'rekeyed');
    expect(custos(['init', dir], { CUSTOS_PASSPHRASE: PASSPHRASE }).status).toBe(0);
    const before = custos(['db-key', dir], { CUSTOS_PASSPHRASE: PASSPHRASE });
    const r = custos(['rekey', dir], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Re-keyed the database: key generation 2 at \S+Z; 2 keyslot\(s\) carried over\.\n$/);
    const after = custos(['db-key', dir], { CUSTOS_PASSPHRASE: PASSPHRASE });
    expect(after.stdout).toMatch(/^x'[0-9a-f]{64}'\n$/);
    expect(after.stdout).not.toBe(before.stdout);
    expect(() => openRaw(dir, Buffer.from(before.stdout.slice(2, 66), 'hex'), { readonly: true })).toThrow();
    openRaw(dir, Buffer.from(after.stdout.slice(2, 66), 'hex'), { readonly: true }).close();
  });

  it('a second process is refused with one sentence naming the one that holds the workspace open', async () => {
    const dir = join(tempDir('custos-cli-'), 'held');
    expect(custos(['init', dir], { CUSTOS_PASSPHRASE: PASSPHRASE }).status).toBe(0);
    // Another Custos process (as `custos serve` with someone signed in) keeps the workspace open until its stdin closes.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { createCore } = await import(${JSON.stringify(resolve('dist/electron/core/create-core.js'))});
         const { setLockHolderName } = await import(${JSON.stringify(resolve('dist/electron/core/db/workspace-lock.js'))});
         setLockHolderName('custos serve');
         const { app } = createCore(${JSON.stringify(dir)});
         app.login('admin', ${JSON.stringify(PASSPHRASE)});
         process.stdout.write('open\\n');
         process.stdin.on('data', () => {});
         process.stdin.on('end', () => { app.shutdown(); process.exit(0); });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((done, fail) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('open') && done());
        holder.once('exit', (code) => fail(new Error(`the holder exited early (${code})`)));
      });
      const r = custos(['db-key', dir], { CUSTOS_PASSPHRASE: PASSPHRASE });
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(expectOneSentence(r.stderr)).toMatch(
        new RegExp(`^custos: This workspace is open in another Custos process \\(custos serve, pid ${holder.pid}, since \\d\\d:\\d\\d UTC\\); close it first\\.$`),
      );
    } finally {
      holder.stdin.end();
      await new Promise((done) => holder.once('exit', done));
    }
    // Once the holder has closed, the same command works.
    expect(custos(['db-key', dir], { CUSTOS_PASSPHRASE: PASSPHRASE }).status).toBe(0);
  });
});
