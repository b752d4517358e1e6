import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { createTempWorkspace, PASSPHRASE, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// `custos run-due` (issues 11 and 12: scheduled work where no app or host stays open), as cron
// would run it: bin/custos.js → dist/ (built by `npm run build:node`).

afterAll(removeTempDirs);

const CLI = resolve('bin/custos.js');
const DAY = 86_400_000;

function custos(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let t: TempWorkspace;

beforeAll(async () => {
  // A workspace created three days ago and not opened since: its daily sweep was missed.
  t = await withSimulatedClock(new Date(Date.now() - 3 * DAY), 1, async () => {
    const made = await createTempWorkspace();
    await made.addUser('sam.wright', 'viewer');
    await made.call('workspace.setTimeZone', { timeZone: 'UTC' }, made.admin);
    // A daily scheduled export half an hour before now's time of day: three runs missed since.
    const timeOfDay = new Date(Date.now() + 3 * DAY - 30 * 60_000).toISOString().slice(11, 16);
    await made.call(
      'schedules.create',
      { name: 'Daily access extract', type: 'INTERNAL', format: 'json', masking: 'pseudonymize-people', purpose: 'Daily review', recipient: 'Compliance office', cadence: 'daily', timeOfDay },
      made.admin,
    );
    return made;
  });
  t.app.shutdown();
});

describe('custos run-due', () => {
  it('runs the missed retention sweep once, as the system, and says so; a second run finds nothing due', () => {
    const first = custos(['run-due', t.dir, '--json']);
    expect(first.status, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout) as {
      workflows_started: string[];
      sweep: { id: string; trigger: string; archived: number; deleted: number; held: number } | null;
      schedules: { schedule: string; status: string; skipped: number; request: string; file: string; sha256: string; error: string | null }[];
      alerts: { evaluated: number; fired: number; through: number };
    };
    expect(out.workflows_started).toEqual([]);
    expect(out.sweep).toMatchObject({ trigger: 'schedule', archived: 0, deleted: 0, held: 0 });
    // The alert rules read every event up to the sign-in and the sweep's own (none of them is a burst).
    expect(out.alerts.evaluated).toBeGreaterThan(0);
    expect(out.alerts.fired).toBe(0);
    // The scheduled export ran once for its latest missed occurrence; the two before it were skipped.
    expect(out.schedules).toHaveLength(1);
    expect(out.schedules[0]).toMatchObject({ schedule: 'SCH-0001', status: 'executed', skipped: 2, error: null });
    expect(out.schedules[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.schedules[0]!.file).toMatch(new RegExp(`^${out.schedules[0]!.request}-[0-9a-f]{16}\\.json$`));

    const second = custos(['run-due', t.dir]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('No scheduled workflow was due.');
    expect(second.stdout).toContain('The retention sweep was not due');
    expect(second.stdout).toContain('No scheduled export was due.');
    expect(second.stdout).toMatch(/Alert rules: \d+ event\(s\) evaluated, 0 alert\(s\) fired/);

    // The sweep deletes records: a viewer may not run it (and nothing is run).
    const viewer = custos(['run-due', t.dir, '--user', 'sam.wright']);
    expect(viewer.status).not.toBe(0);
    expect(viewer.stderr).toContain('needs an administrator or compliance officer');

    const verify = custos(['verify', t.dir, '--json']);
    expect(verify.status, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ valid: true });
  });
});
