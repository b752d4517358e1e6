import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result.js';
import { inspectBundle } from '../../electron/core/bundle/verify-bundle.js';
import { startLoopbackServer } from '../../electron/server.js';
import { seedEvents } from './helpers/bundles.js';
import { createTempWorkspace, removeTempDirs, tempDir, waitFor, type TempWorkspace } from './helpers/workspace.js';

// Issue 5: jobs cannot hold the workspace open. A session can no longer name /dev/zero (the report's
// endless input): the long job here is a verification of a large ledger, which keeps a core busy for
// seconds and yields between chunks, as every long job does. The size limit on endless input is
// checked directly on the bundle reader the CLI uses with its own paths.

afterAll(removeTempDirs);

const ENDLESS = '/dev/zero';
/** Enough events that verifying them takes seconds on this machine (the tests cancel it long before). */
const LONG_LEDGER = 250_000;

/** A workspace whose ledger takes a while to verify. */
async function longLedger(opts: { login?: boolean } = {}): Promise<TempWorkspace> {
  const t = await createTempWorkspace();
  seedEvents(t, LONG_LEDGER, 'long');
  if (opts.login === false) t.lock();
  return t;
}
const savedIdle = process.env.CUSTOS_IDLE_LOCK_MINUTES;

afterEach(() => {
  if (savedIdle === undefined) delete process.env.CUSTOS_IDLE_LOCK_MINUTES;
  else process.env.CUSTOS_IDLE_LOCK_MINUTES = savedIdle;
});

/** The ledger events of the workspace, read after signing in again when it was locked. */
async function eventsAfterUnlock(t: TempWorkspace) {
  if (!t.app.unlocked) await t.login();
  return t.events();
}

describe.skipIf(process.platform === 'win32')('jobs', () => {
  it('the idle lock fires while a job runs: it cancels the job, ledgers the cancellation, then locks', async () => {
    const t = await longLedger({ login: false });
    // 0.01 minutes = 600 ms; read when the session starts its idle timer.
    process.env.CUSTOS_IDLE_LOCK_MINUTES = '0.01';
    t.admin = await t.login();
    const running = t.result('ledger.verify', { jobId: 'job-endless-idle' }, t.admin);
    await waitFor(() => !t.app.unlocked, 5_000, 'the idle lock');
    const r = await running;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['cancelled', 'locked']).toContain(r.error.code);

    const events = await eventsAfterUnlock(t);
    const cancelled = events.filter((e) => e.action === 'jobs.cancelled');
    expect(cancelled).toMatchObject([{ resource_type: 'job', resource_id: 'job-endless-idle', details: { reason: 'idle-lock', channel: 'ledger.verify', owner: 'admin' } }]);
    const lock = events.find((e) => e.action === 'workspace.lock' && e.details.reason === 'idle');
    expect(lock, 'the idle lock is ledgered').toBeDefined();
    expect(cancelled[0]!.seq).toBeLessThan(lock!.seq);
  });

  it('a job ends when its session ends (logout), and the cancellation is ledgered', async () => {
    const t = await longLedger();
    const other = await t.addUser('maria.chen', 'compliance_officer');
    const running = t.result('ledger.verify', { jobId: 'job-endless-logout' }, other);
    await new Promise((r) => setTimeout(r, 100));
    await t.call('session.logout', {}, other);
    const r = await running;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    expect(t.app.unlocked, 'the workspace stays open for the administrator').toBe(true);
    const cancelled = t.events().filter((e) => e.action === 'jobs.cancelled');
    expect(cancelled).toMatchObject([{ actor: 'system', resource_id: 'job-endless-logout', details: { reason: 'logout', owner: 'maria.chen' } }]);
  });

  it('an HTTP client that disconnects before its answer cancels its job (over a real loopback host)', async () => {
    const t = await longLedger();
    const server = await startLoopbackServer(t.app, t.dispatch, { rendererDir: tempDir() });
    try {
      const body = JSON.stringify({ jobId: 'job-endless-http' });
      const req = httpRequest({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/ledger.verify',
        headers: {
          host: `127.0.0.1:${server.port}`,
          authorization: `Bearer ${server.token}`,
          'x-custos-session': t.admin,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      });
      req.on('error', () => {
        // The client hangs up on purpose.
      });
      // Polls read only the events after this point: reading the whole long ledger every 20 ms starves the job under load.
      const base = t.eventCount();
      req.end(body);
      // Long enough for the request to reach the dispatch and the verify to be reading.
      await new Promise((r) => setTimeout(r, 300));
      req.destroy();
      await waitFor(() => t.eventsAfter(base).some((e) => e.action === 'jobs.cancelled'), 5_000, 'the cancellation');
      const cancelled = t.eventsAfter(base).filter((e) => e.action === 'jobs.cancelled');
      expect(cancelled).toMatchObject([{ resource_id: 'job-endless-http', details: { reason: 'client-gone', channel: 'ledger.verify', owner: 'admin' } }]);
      // The verify stops: its failure (code cancelled) is recorded once the work has noticed.
      await waitFor(() => t.eventsAfter(base).some((e) => e.action === 'ledger.verify' && e.outcome === 'failure'), 5_000, 'the verify to stop');
      expect(t.app.unlocked).toBe(true);
      // An answered call is not cancelled by its connection closing afterwards.
      const me = await fetch(`http://127.0.0.1:${server.port}/api/session.me`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'x-custos-session': t.admin, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(((await me.json()) as Result<unknown>).ok).toBe(true);
      expect(t.eventsAfter(base).filter((e) => e.action === 'jobs.cancelled')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('an endless input stops at the size limit instead of being read forever', async () => {
    const err = await inspectBundle(ENDLESS, { limits: { maxTotalBytes: 1024 * 1024, maxEntries: 16 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'validation' });
    expect((err as Error).message).toMatch(/larger than .* any bundle may hold/);
  });
});

