/**
 * `npm run build:node && node dist/bench/retention-sweep.js [--records N]`: the retention sweep over
 * N records (default 100,000), half of them past retention, a few dozen under legal hold. Prints the
 * time of the dry run, of the sweep (one ledger event per record, one transaction) and of verifying
 * the ledger afterwards. Numbers for notes, not a test. The records are inserted directly (setup),
 * the sweep runs through the real engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../electron/core/create-core.js';
import { createCase } from '../electron/core/cases/cases.js';
import { activateHold, createHold } from '../electron/core/holds/holds.js';
import { verifyWorkspaceDb } from '../electron/core/ledger/verify.js';
import { planSweep, runSweep } from '../electron/core/retention/sweep.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--records', 100_000);
const SUBJECTS = Math.max(10, Math.floor(N / 100));

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function main(): Promise<void> {
  process.env.CUSTOS_SCRYPT_N ??= '16384';
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-sweep-'));
  try {
    const { app, dispatch } = createCore(join(dir, 'ws'));
    const init = await dispatch('workspace.init', { workspaceName: 'Sweep bench', username: 'admin', displayName: 'Admin', passphrase: 'correct horse battery staple' }, {});
    if (!init.ok) throw new Error(init.error.message);
    const login = await dispatch('session.login', { username: 'admin', passphrase: 'correct horse battery staple' }, {});
    if (!login.ok) throw new Error(login.error.message);
    const ws = app.ws;
    const now = new Date().toISOString();
    ws.tx(() => {
      const subj = ws.db.prepare("INSERT INTO subjects (id, kind, display_name, created_by, created_at, updated_at) VALUES (?, 'student', ?, 'admin', ?, ?)");
      for (let s = 0; s < SUBJECTS; s++) subj.run(`STU-B-${s}`, `Student ${s}`, now, now);
      const rec = ws.db.prepare(
        "INSERT INTO records (id, subject_id, category, title, content, source, record_date, retention_until, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, 'active', 'admin', ?, ?)",
      );
      for (let i = 0; i < N; i++) {
        // Half expired (attendance 2015 → delete, compliance audit 2010 → archive), half kept.
        const kind = i % 4;
        const [category, date, until] =
          kind === 0 ? ['attendance', '2015-03-01', '2018-03-01'] : kind === 1 ? ['compliance_audit', '2010-03-01', '2017-03-01'] : kind === 2 ? ['academic', '2015-03-01', null] : ['attendance', '2026-01-01', '2029-01-01'];
        rec.run(`REC-B-${String(i).padStart(7, '0')}`, `STU-B-${i % SUBJECTS}`, category, `Record ${i}`, `Content of record ${i}, some words to hash.`, date, until, now, now);
      }
    });
    // Two active holds on two students: their expired records are skipped.
    for (const s of [4, 5]) {
      const c = createCase(ws, { actor: 'admin' }, { title: `Matter ${s}`, type: 'investigation', description: '' });
      const h = createHold(ws, { actor: 'admin' }, { caseId: c.id, title: `Hold ${s}`, description: '', custodians: [], scope: { subjectIds: [`STU-B-${s}`], categories: [], dateFrom: null, dateTo: null, keywords: [] } });
      activateHold(ws, { actor: 'admin' }, h.id);
    }
    const before = ws.ledger.head().size;
    let t0 = process.hrtime.bigint();
    const plan = planSweep(ws, new Date());
    const dry = seconds(t0);
    t0 = process.hrtime.bigint();
    const run = runSweep(ws, { actor: 'admin' }, 'cli');
    const sweep = seconds(t0);
    const events = ws.ledger.head().size - before;
    t0 = process.hrtime.bigint();
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    const verify = seconds(t0);
    const out = {
      records: N,
      dry_run: { seconds: dry, ...plan.counts },
      sweep: { seconds: sweep, archived: run.run.archived, deleted: run.run.deleted, held: run.run.held, events, per_record_ms: (sweep * 1000) / Math.max(1, events) },
      verify: { seconds: verify, valid: report.valid, events: ws.ledger.head().size },
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    app.shutdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
