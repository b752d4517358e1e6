/**
 * `npm run build:node && node dist/bench/ledger-prune.js [--events N] [--prune P]`: audit-log pruning
 * of a P-event prefix (default 500,000) of an N-event ledger (default 520,000). The workspace is
 * created under a simulated clock in 2015 and the events are appended through the real ledger (hashed,
 * chained, Merkle nodes stored), the first P dated 2015–2018 and the rest in the last weeks, so the
 * seven-year policy of seed 002 covers exactly the first P (plus the few setup events). Prints the
 * database file size before the prune, after it, and after the VACUUM it runs, with the time to prune
 * and to verify before and after. Numbers for notes, not a test.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSimulatedClock } from '../electron/core/clock.js';
import { createCore } from '../electron/core/create-core.js';
import { verifyWorkspaceDb } from '../electron/core/ledger/verify.js';
import { planLedgerPrune, pruneLedger } from '../electron/core/retention/ledger-prune.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--events', 520_000);
const P = arg('--prune', 500_000);

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1e6) * 10) / 10;
}

async function main(): Promise<void> {
  process.env.CUSTOS_SCRYPT_N ??= '16384';
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-prune-'));
  const dbFile = join(dir, 'ws', 'custos.db');
  // The file and its WAL: what the prune gives back shows once the WAL is folded in.
  const fileBytes = () => {
    app.ws.db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(dbFile).size;
  };
  const { app, dispatch } = createCore(join(dir, 'ws'));
  try {
    await withSimulatedClock(new Date('2015-01-01T00:00:00Z'), 1, async () => {
      const init = await dispatch('workspace.init', { workspaceName: 'Prune bench', username: 'admin', displayName: 'Admin', passphrase: 'correct horse battery staple' }, {});
      if (!init.ok) throw new Error(init.error.message);
      const login = await dispatch('session.login', { username: 'admin', passphrase: 'correct horse battery staple' }, {});
      if (!login.ok) throw new Error(login.error.message);
    });
    const ws = app.ws;
    const setup = ws.ledger.head().size;
    // Old events: 2015-01-02 to 2018-12-31, spread evenly; recent ones over the last 30 days.
    const oldStart = Date.parse('2015-01-02T00:00:00Z');
    const oldStep = (Date.parse('2018-12-31T00:00:00Z') - oldStart) / P;
    const recentStart = Date.now() - 30 * 86_400_000;
    const recentStep = (29 * 86_400_000) / Math.max(1, N - P);
    let t0 = process.hrtime.bigint();
    const CHUNK = 10_000;
    for (let i = 0; i < N; i += CHUNK) {
      ws.tx(() => {
        for (let j = i; j < Math.min(N, i + CHUNK); j++) {
          const at = new Date(j < P ? oldStart + j * oldStep : recentStart + (j - P) * recentStep);
          ws.ledger.append(
            {
              actor: j % 3 === 0 ? 'maria.chen' : 'david.okafor',
              action: j % 5 === 0 ? 'records.read' : 'evidence.custody.transfer',
              resource_type: j % 5 === 0 ? 'record' : 'evidence',
              resource_id: `EV-2016-${String(j % 50_000).padStart(5, '0')}`,
              details: { case: `CASE-2016-${String(j % 900).padStart(4, '0')}`, from: 'maria.chen', to: 'evidence locker 3', reason: 'Moved for review by counsel', n: j },
            },
            at,
          );
        }
      });
    }
    ws.tx(() => ws.signCheckpoint('bench'));
    const build = seconds(t0);
    const sizeBefore = fileBytes();
    t0 = process.hrtime.bigint();
    const reportBefore = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    const verifyBefore = seconds(t0);
    t0 = process.hrtime.bigint();
    const plan = planLedgerPrune(ws, new Date());
    const dry = seconds(t0);
    t0 = process.hrtime.bigint();
    const noVacuum = pruneLedger(ws, { actor: 'admin' }, { vacuum: 'never' });
    const prune = seconds(t0);
    const sizeAfterPrune = fileBytes();
    t0 = process.hrtime.bigint();
    ws.db.exec('VACUUM');
    const vacuum = seconds(t0);
    const sizeAfterVacuum = fileBytes();
    t0 = process.hrtime.bigint();
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    const verify = seconds(t0);
    const out = {
      events: ws.ledger.head().size,
      setup_events: setup,
      build_seconds: build,
      dry_run: { seconds: dry, would_prune: plan.count, summary: plan.summary },
      prune: { seconds: prune, pruned_through: noVacuum.pruned?.throughSeq ?? 0, description: noVacuum.description },
      vacuum_seconds: vacuum,
      db_file_mb: { before: mb(sizeBefore), after_prune: mb(sizeAfterPrune), after_vacuum: mb(sizeAfterVacuum) },
      verify_before_prune: { seconds: verifyBefore, valid: reportBefore.valid },
      verify: { seconds: verify, valid: report.valid, summary: report.summary },
      peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    app.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
