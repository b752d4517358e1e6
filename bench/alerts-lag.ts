/**
 * `npm run build:node && node dist/bench/alerts-lag.js [--events N]`: how far alert evaluation lags
 * the appends (issue 13 item 4's closing figure). Two runs on fresh workspaces, the rules running as
 * in `custos serve` (watchAlerts after each commit, outside the append transaction):
 *   1. live: N demo-like events appended in transactions of 100, the event loop free between them;
 *      for each transaction, the time from its commit until the rules' cursor passed it.
 *   2. demo: `custos demo --events N` (seedDemo, whose routine history is written in blocks of
 *      10,000 without yielding), then how long the rules take to catch up.
 * Numbers for notes, not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSimulatedClock } from '../electron/core/clock.js';
import { createCore } from '../electron/core/create-core.js';
import { seedDemo } from '../electron/core/demo/seed-demo.js';
import type { Workspace } from '../electron/core/workspace.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--events', 100_000);
const PASS = 'correct horse battery staple';
const USERS = ['maria.chen', 'david.okafor', 'priya.raman', 'sam.wright', 'admin'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cursor = (ws: Workspace) => (ws.db.prepare('SELECT seq FROM alert_cursor').get() as { seq: number } | undefined)?.seq ?? 0;

async function open(label: string) {
  const dir = mkdtempSync(join(tmpdir(), `custos-bench-alerts-${label}-`));
  const { app, dispatch } = createCore(join(dir, 'ws'));
  app.runsSchedule = true;
  const init = await dispatch('workspace.init', { workspaceName: 'Alerts bench', username: 'admin', displayName: 'Admin', passphrase: PASS }, {});
  if (!init.ok) throw new Error(init.error.message);
  const login = await dispatch('session.login', { username: 'admin', passphrase: PASS }, {});
  if (!login.ok) throw new Error(login.error.message);
  return { dir, app };
}

/** A demo-like event: mostly record views, some sign-ins, denials and failed sign-ins. */
function event(k: number) {
  const actor = USERS[k % USERS.length]!;
  const roll = k % 50;
  if (roll === 0) return { actor, action: 'session.login', resource_type: 'user', resource_id: actor, outcome: 'failure' as const, details: { reason: 'wrong-passphrase' } };
  if (roll === 1) return { actor, action: 'cases.update', resource_type: 'channel', resource_id: 'cases.update', outcome: 'denied' as const, details: { reason: 'role' } };
  if (roll < 6) return { actor, action: 'session.login', resource_type: 'user', resource_id: actor, details: {} };
  return { actor, action: 'records.view', resource_type: 'record', resource_id: `S-${k % 900}/grades`, details: { subject: `S-${k % 900}`, purpose: 'review' } };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function live(): Promise<void> {
  const { dir, app } = await open('live');
  try {
    const ws = app.ws;
    const pending: { seq: number; at: number }[] = [];
    const lags: number[] = [];
    let maxBehind = 0;
    const settle = () => {
      const c = cursor(ws);
      const now = performance.now();
      while (pending.length && pending[0]!.seq <= c) lags.push(now - pending.shift()!.at);
      maxBehind = Math.max(maxBehind, ws.ledger.head().size - c);
    };
    const t0 = performance.now();
    for (let done = 0; done < N; done += 100) {
      ws.tx(() => {
        for (let i = 0; i < 100; i++) ws.ledger.append(event(done + i));
      });
      pending.push({ seq: ws.ledger.head().size, at: performance.now() });
      await sleep(1);
      settle();
    }
    const appended = performance.now() - t0;
    while (cursor(ws) < ws.ledger.head().size - 1 || pending.length) {
      await sleep(1);
      settle();
    }
    const alerts = (ws.db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
    console.log(
      `live: ${N} events in ${N / 100} transactions over ${(appended / 1000).toFixed(1)} s; commit → evaluated: median ${pct(lags, 50).toFixed(1)} ms, p95 ${pct(lags, 95).toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms; at most ${maxBehind} events behind; ${alerts} alerts`,
    );
  } finally {
    app.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function demo(): Promise<void> {
  // As `custos demo` makes a new workspace: a simulated clock from `days` ago to now, so the history is spread out.
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-alerts-demo-'));
  const { app, dispatch } = createCore(join(dir, 'ws'));
  app.runsSchedule = true;
  try {
    const t0 = performance.now();
    await withSimulatedClock(new Date(Date.now() - 180 * 86_400_000), 1, async (clock) => {
      const init = await dispatch('workspace.init', { workspaceName: 'Alerts bench', username: 'admin', displayName: 'Admin', passphrase: PASS }, {});
      if (!init.ok) throw new Error(init.error.message);
      app.login('admin', PASS);
      await seedDemo(app.ws, { events: N, admin: 'admin', passphrase: PASS, days: 180, clock, secondFactor: true });
    });
    const ws = app.ws;
    const seeded = performance.now();
    const behind = ws.ledger.head().size - cursor(ws);
    while (cursor(ws) < ws.ledger.head().size - 1) await sleep(1);
    const caught = performance.now();
    const alerts = ws.db.prepare('SELECT rule, count(*) AS n FROM alerts GROUP BY rule').all() as { rule: string; n: number }[];
    console.log(
      `demo: seedDemo of ${ws.ledger.head().size} events in ${((seeded - t0) / 1000).toFixed(1)} s; ${behind} events behind when it returned; caught up ${((caught - seeded) / 1000).toFixed(2)} s later (${((caught - t0) / 1000).toFixed(1)} s after the first append); alerts: ${alerts.map((a) => `${a.rule} ${a.n}`).join(', ')}`,
    );
  } finally {
    app.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.env.CUSTOS_SCRYPT_N ??= '16384';
  await live();
  await demo();
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
