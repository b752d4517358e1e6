import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract } from '../../shared/contract.js';
import { allSamples } from './helpers/all-samples.js';
import { sampleContext, type MutatingSample } from './helpers/mutating-samples.js';
import { undeclaredDetails } from './helpers/event-shapes.js';
import { openRaw, rawEvents } from './helpers/tamper.js';
import { ADMIN, createTempWorkspace, removeTempDirs, waitFor, type TempWorkspace } from './helpers/workspace.js';

// Issue 4 §2: every mutating channel appends its ledger event in the same transaction as its change.
// For each channel: (1) with the ledger made to refuse that channel's success event, the call fails
// and nothing else changes; (2) without it, the call succeeds and the ledger grows by an event of
// that action. Samples live in helpers/*-samples.ts, one per domain, merged in helpers/all-samples.ts.

afterAll(removeTempDirs);

const MUTATING = CHANNEL_NAMES.filter((c) => contract[c].mutates);

/** Everything but the ledger: every table's rows (events and Merkle nodes excluded) and every file beside the database. */
function stateDigest(t: TempWorkspace): string {
  const db = t.app.ws.db;
  const h = createHash('sha256');
  // The ledger itself (events, Merkle nodes, signed checkpoints) is what the refusal is about; the rest must not move.
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('events', 'merkle_nodes', 'checkpoints') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const name of tables) {
    h.update(`table ${name}\n`);
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()) {
      h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
    }
  }
  const files = readdirSync(t.dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('custos.db') && e.name !== 'checkpoint.json' && e.name !== 'checkpoint.note')
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const f of files) h.update(`file ${f.slice(t.dir.length)}\n`).update(readFileSync(f));
  return h.digest('hex');
}

interface EventLite {
  seq: number;
  action: string;
  outcome: string;
  details: string;
}

function eventsOf(t: TempWorkspace, key: Buffer): EventLite[] {
  if (t.app.unlocked) return t.app.ws.db.prepare('SELECT seq, action, outcome, details FROM events ORDER BY seq').all() as EventLite[];
  const db = openRaw(t.dir, key, { readonly: true });
  try {
    return rawEvents(db).map(({ seq, action, outcome, details }) => ({ seq, action, outcome, details }));
  } finally {
    db.close();
  }
}

const INJECT = 'custos_test_inject';

function injectLedgerFailure(t: TempWorkspace, actions: string[]): void {
  const list = actions.map((a) => `'${a.replace(/'/g, "''")}'`).join(', ');
  t.app.ws.db.exec(
    `CREATE TEMP TRIGGER ${INJECT} BEFORE INSERT ON main.events WHEN NEW.outcome = 'success' AND NEW.action IN (${list})
     BEGIN SELECT RAISE(ABORT, 'injected: the ledger refuses this event'); END`,
  );
}

function removeInjection(t: TempWorkspace): void {
  if (t.app.unlocked) t.app.ws.db.exec(`DROP TRIGGER IF EXISTS temp.${INJECT}`);
}

describe('mutating channels', () => {
  it('every mutating channel of the contract has a sample request', () => {
    expect(MUTATING.length).toBeGreaterThan(5);
    expect(MUTATING.filter((c) => !allSamples[c])).toEqual([]);
  });

  it('samples name only mutating channels of the contract', () => {
    expect(Object.keys(allSamples).filter((c) => !MUTATING.includes(c as never))).toEqual([]);
  });

  it('workspace.init ledgers the creation of the workspace', async () => {
    // createTempWorkspace creates it through the dispatch's workspace.init.
    const t = await createTempWorkspace();
    const init = t.events().filter((e) => e.action === 'workspace.init');
    expect(init).toMatchObject([{ seq: 1, outcome: 'success', resource_id: t.workspaceId }]);
  });

  for (const channel of MUTATING) {
    if (channel === 'workspace.init') continue;
    it(`${channel} appends its event in the same transaction as its change`, async () => {
      const sample: MutatingSample | undefined = allSamples[channel];
      if (!sample) throw new Error(`${channel} mutates but has no sample in test/unit/helpers/*-samples.ts; add one.`);
      const unexpected: unknown[] = [];
      const t = await createTempWorkspace({ log: (err) => unexpected.push(err) });
      const key = await t.dbKey();
      const ctx = await sampleContext(t);
      const session = sample.noSession ? undefined : await ctx.session(sample.as ?? 'admin');
      const actions = sample.actions ?? [channel];
      if (!sample.noInjection) {
        const request = await sample.request(ctx);
        const before = stateDigest(t);
        const size = t.eventCount();
        injectLedgerFailure(t, actions);
        let refused;
        try {
          refused = await t.result(channel, request, session);
        } finally {
          removeInjection(t);
        }
        expect(refused.ok, `${channel} succeeded although its ledger event was refused`).toBe(false);
        expect(t.app.unlocked, 'the workspace stays open').toBe(true);
        if (sample.refusal) await sample.refusal(ctx, request);
        else expect(stateDigest(t), `${channel} changed state although its ledger event was refused`).toBe(before);
        const added = eventsOf(t, key).filter((e) => e.seq > size);
        expect(added.filter((e) => e.outcome === 'success')).toEqual([]);
        unexpected.length = 0;
      }

      // A fresh request: the refused attempt may have used up the prepared state (an export marked failed).
      const request = await sample.request(ctx);
      const size = eventsOf(t, key).length;
      const r = await t.result(channel, request, session);
      expect(r.ok ? null : r.error, `${channel} failed with its sample request`).toBeNull();
      expect(unexpected).toEqual([]);
      if (actions.includes('workspace.lock')) await waitFor(() => !t.app.unlocked, 10_000, 'the lock');
      const added = eventsOf(t, key).filter((e) => e.seq > size);
      expect(added.length).toBeGreaterThanOrEqual(1);
      expect(added.filter((e) => actions.includes(e.action) && e.outcome === 'success').length, `no ${actions.join('/')} event`).toBeGreaterThanOrEqual(1);
      // Issue 9 §6: every details field it wrote is declared in its domain's events.ts (masking reads them).
      expect(undeclaredDetails(added), 'details fields not declared in any events.ts').toEqual([]);
      if (t.app.unlocked) t.lock();
    });
  }

  it('the sample runner really detects a channel that changes state without its event', async () => {
    const t = await createTempWorkspace({ log: () => {} });
    const before = stateDigest(t);
    injectLedgerFailure(t, ['users.update']);
    // A change written outside the ledgered transaction survives the refused event: the digest sees it.
    t.app.ws.db.prepare("UPDATE users SET display_name = 'changed' WHERE username = ?").run(ADMIN);
    const r = await t.result('users.update', { username: ADMIN, displayName: 'x' }, t.admin);
    removeInjection(t);
    expect(r.ok).toBe(false);
    expect(stateDigest(t)).not.toBe(before);
  });
});
