import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_KINDS } from '../../shared/contract/reports.js';
import { openRaw, rawEvents } from './helpers/tamper.js';
import { PASSPHRASE, removeTempDirs, tempDir } from './helpers/workspace.js';

// `custos report` as a user runs it: bin/custos.js → dist/ (built by `npm run build:node`).

afterAll(removeTempDirs);

const CLI = resolve('bin/custos.js');

function custos(args: string[], env: Record<string, string | undefined> = { CUSTOS_PASSPHRASE: PASSPHRASE }): SpawnSyncReturns<string> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return spawnSync(process.execPath, [CLI, ...args], { env: merged, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let dir: string;
let ws: string;

beforeAll(() => {
  dir = tempDir('custos-report-cli-');
  ws = join(dir, 'ws');
  const r = custos(['demo', ws, '--events', '1200', '--days', '30']);
  expect(r.status, r.stderr).toBe(0);
  // A new demo workspace names its user with a second factor and the key to add to an app.
  expect(r.stdout).toMatch(/david\.okafor also has a second factor: add the key [A-Z2-7]{32} to an authenticator app \(or open otpauth:\/\/totp\//);
}, 300_000);

/** The ledger of the workspace, read with the raw key (`custos db-key`). */
function ledger(): { seq: number; action: string; outcome: string; details: Record<string, unknown> }[] {
  const key = custos(['db-key', ws]).stdout;
  const db = openRaw(ws, Buffer.from(key.slice(2, 66), 'hex'), { readonly: true });
  try {
    return rawEvents(db).map((e) => ({ seq: e.seq, action: e.action, outcome: e.outcome, details: JSON.parse(e.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('custos report', () => {
  it('--list names every kind without a workspace', () => {
    const r = custos(['report', '--list'], {});
    expect(r.status, r.stderr).toBe(0);
    for (const k of REPORT_KINDS) expect(r.stdout).toMatch(new RegExp(`^${k.id}\\s+${k.framework}: `, 'm'));
  });

  it('writes a HIPAA report to --out whose SHA-256, tree size and root match its ledger event, and custos verify agrees', () => {
    const out = join(dir, 'hipaa.pdf');
    const before = ledger().length;
    const r = custos(['report', ws, '--kind', 'hipaa-audit-controls', '--from', '2020-01-01', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
    const [, size, root] = /anchored to tree size (\d+), root ([0-9a-f]{64})/.exec(r.stdout) ?? [];
    expect(r.stdout).toContain(`sha256 ${sha}`);
    const events = ledger();
    const generated = events.slice(before).filter((e) => e.action === 'reports.generate');
    expect(generated).toHaveLength(1);
    expect(generated[0]!.details).toMatchObject({ kind: 'hipaa-audit-controls', sha256: sha, checkpoint_size: Number(size), checkpoint_root: root, from: '2020-01-01' });
    expect(events.find((e) => e.action === 'reports.copy')?.details).toMatchObject({ path: out, sha256: sha });
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toMatch(new RegExp(`Root hash\\s+${root}`));
    expect(text).toMatch(/Period\s+1 Jan 2020 to/);
    // The checkpoint the report names is one custos verify checks (every stored checkpoint's signature and root).
    const verify = custos(['verify', ws, '--json']);
    expect(verify.status, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ valid: true });
    const list = custos(['report', ws, '--list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`hipaa-audit-controls\\s+2020-01-01\\.\\.\\S+\\s+tree ${size}\\s+sha256 ${sha}`));
  });

  it('refuses an existing --out, an unknown kind and a missing --kind with one sentence each, writing nothing', () => {
    const taken = join(dir, 'taken.pdf');
    writeFileSync(taken, 'mine');
    const before = ledger().length;
    for (const [args, message] of [
      [['report', ws, '--kind', 'pci-req10', '--out', taken], /already exists; choose a new file name\.$/],
      [['report', ws, '--kind', 'nonsense', '--out', join(dir, 'n.pdf')], /There is no report kind nonsense; custos report --list names them\.$/],
      [['report', ws, '--out', join(dir, 'k.pdf')], /Choose a report with --kind/],
    ] as const) {
      const r = custos([...args]);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.length > 0);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'n.pdf'))).toBe(false);
    expect(ledger().length).toBe(before + 4); // only the key readings of ledger() itself: unlock, login, dbKey, lock
  });

  it('refuses a backwards period through the channel, ledgered', () => {
    const out = join(dir, 'backwards.pdf');
    const r = custos(['report', ws, '--kind', 'actions-30d', '--from', '2026-05-01', '--to', '2026-04-01', '--out', out]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^custos: The period starts on 2026-05-01, after it ends on 2026-04-01/);
    expect(existsSync(out)).toBe(false);
    expect(ledger().filter((e) => e.action === 'reports.generate' && e.outcome === 'failure')).toHaveLength(1);
  });
});
