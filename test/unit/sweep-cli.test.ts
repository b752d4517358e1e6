import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASE, removeTempDirs, tempDir } from './helpers/workspace.js';

// `custos sweep` as a user runs it (bin/custos.js → dist/, built by `npm run build:node`), on a demo workspace.

afterAll(removeTempDirs);

const CLI = resolve('bin/custos.js');

function custos(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE, CUSTOS_SCRYPT_N: '16384' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface DryRun {
  dry_run: boolean;
  candidates: { id: string; category: string; action: 'archive' | 'delete' }[];
  held: { id: string; hold: string }[];
}
interface Run extends DryRun {
  archived: string[];
  deleted: string[];
}

let ws: string;

beforeAll(() => {
  ws = join(tempDir('custos-sweep-cli-'), 'demo');
  const r = custos(['demo', ws, '--events', '800']);
  expect(r.status, r.stderr).toBe(0);
});

describe('custos sweep', () => {
  it('dry run lists candidates and held skips; the run does exactly those; held records survive; verify stays VALID; a second dry run finds nothing', () => {
    const dry = custos(['sweep', ws, '--dry-run', '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as DryRun;
    expect(plan.dry_run).toBe(true);
    expect(plan.candidates.length).toBeGreaterThan(0);
    expect(new Set(plan.candidates.map((c) => c.action))).toEqual(new Set(['archive', 'delete']));
    expect(plan.held.length).toBeGreaterThan(0);
    for (const h of plan.held) expect(h.hold).toMatch(/^HOLD-\d{4}-\d{4}$/);

    const run = custos(['sweep', ws, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const done = JSON.parse(run.stdout) as Run;
    expect([...done.archived, ...done.deleted].sort()).toEqual(plan.candidates.map((c) => c.id).sort());
    expect(done.archived.sort()).toEqual(plan.candidates.filter((c) => c.action === 'archive').map((c) => c.id).sort());
    expect(done.held.map((h) => h.id).sort()).toEqual(plan.held.map((h) => h.id).sort());

    const verify = custos(['verify', ws]);
    expect(verify.status, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^VALID: /m);

    const again = JSON.parse(custos(['sweep', ws, '--dry-run', '--json']).stdout) as DryRun;
    expect(again.candidates).toEqual([]);
    // The held records are still there, still held.
    expect(again.held.map((h) => h.id).sort()).toEqual(plan.held.map((h) => h.id).sort());

    const text = custos(['sweep', ws, '--dry-run']);
    expect(text.stdout).toMatch(/^Dry run as of \d{4}-\d{2}-\d{2}: 0 to archive, 0 to delete, \d+ kept under legal hold\.$/m);
  });

  it('says what audit-log pruning would do: under the shipped seven years, nothing of a months-old demo', () => {
    const dry = JSON.parse(custos(['sweep', ws, '--dry-run', '--json']).stdout) as { ledger: { policy: string; count: number; summary: string } };
    expect(dry.ledger).toMatchObject({ policy: 'P7Y', count: 0 });
    const text = custos(['sweep', ws, '--dry-run']);
    expect(text.stdout).toMatch(/^Audit log: No audit-log events are older than \d{4}-\d{2}-\d{2}\.$/m);
    const run = custos(['sweep', ws]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Audit log: No audit-log events are older than/m);
  });
});
