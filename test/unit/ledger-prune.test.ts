import { createPrivateKey, createPublicKey } from 'node:crypto';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { createBundle } from '../../electron/core/bundle/create-bundle.js';
import { verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { caseScope } from '../../electron/core/cases/case-scope.js';
import { loadSigningKey } from '../../electron/core/ledger/signing.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { auditLogPolicy, decideAuditLogPolicy, planLedgerPrune, pruneLedger, setAuditLogPolicy, shortens } from '../../electron/core/retention/ledger-prune.js';
import type { VerificationReport } from '../../shared/ledger-types.js';
import { bundleEvents, bundleKeyId, readEntries, resign, writeEntries } from './helpers/bundles.js';
import { undeclaredDetails } from './helpers/event-shapes.js';
import { pathGrant } from './helpers/grants.js';
import { makeBundle } from './helpers/outputs.js';
import { openRaw, tamper, type RawDb } from './helpers/tamper.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Issue 12 item 3: audit-log retention. Events older than the audit-log policy keep seq, ts and their
// hashes; bodies go. Verification proves the rest and reports the pruned prefix; tampering in and
// after the pruned range is still found; the triggers admit the pruning update and nothing else.

afterAll(removeTempDirs);

const DAY = 86_400_000;
/** The prune runs "ten days from now" under a one-day policy, so every event written so far is older. */
const LATER = new Date(Date.now() + 10 * DAY);

/** The audit-log period shortened to one day under the two-person rule: asked by the administrator, approved by a compliance officer. */
async function shortenToOneDay(w: TempWorkspace): Promise<void> {
  await w.addUser('second.person', 'compliance_officer');
  const asked = setAuditLogPolicy(w.app.ws, { actor: 'admin' }, { periodValue: 1, periodUnit: 'days' });
  decideAuditLogPolicy(w.app.ws, { actor: 'second.person' }, { requestId: asked.pending!.id, approve: true });
}

let t: TempWorkspace;
let key: Buffer;
/** The template: pruned through `through`, then more events, then locked. */
let template: string;
let through: number;
let hashesBefore: { seq: number; hash: string; leaf: string; prev: string; ts: string }[];

function keptColumns(db: RawDb, upTo: number) {
  return (db.prepare('SELECT seq, hash, lower(hex(leaf_hash)) AS leaf, prev_hash AS prev, ts FROM events WHERE seq <= ? ORDER BY seq').all(upTo) as typeof hashesBefore);
}

async function verifyDir(dir: string): Promise<VerificationReport> {
  const db = openRaw(dir, key, { readonly: true });
  try {
    const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const publicKey = createPublicKey(createPrivateKey({ key: Buffer.from(meta.get('signing_key_pkcs8')!, 'base64'), format: 'der', type: 'pkcs8' }));
    const ws = { id: meta.get('workspace_id')!, publicKey };
    const report = await verifyWorkspaceDb(db, dir, ws);
    // Batched in a worker thread and on this thread, with small batches: the same report every way.
    expect(await verifyWorkspaceDb(db, dir, ws, { batch: 16, threads: 1 })).toEqual(report);
    expect(await verifyWorkspaceDb(db, dir, ws, { batch: 8, threads: 0 })).toEqual(report);
    return report;
  } finally {
    db.close();
  }
}

function copy(fn?: (db: RawDb) => void): string {
  const dir = join(tempDir('custos-prune-case-'), 'ws');
  cpSync(template, dir, { recursive: true });
  if (fn) tamper(dir, key, fn);
  return dir;
}

beforeAll(async () => {
  t = await createTempWorkspace({ dir: join(tempDir('custos-prune-'), 'template') });
  key = await t.dbKey();
  await t.call('users.create', { username: 'co.cleo', displayName: 'Cleo', role: 'compliance_officer', passphrase: 'correct horse battery staple' }, t.admin);
  for (let i = 0; i < 40; i++) await t.call('users.update', { username: 'co.cleo', displayName: `Cleo ${i}` }, t.admin);
  t.lock();
  t.admin = await t.login();
  for (let i = 0; i < 12; i++) await t.call('users.update', { username: 'co.cleo', displayName: `Cleo again ${i}` }, t.admin);
});

describe('audit-log policy', () => {
  it('ships seven years (seed 002) and is changed by an administrator, ledgered with before and after', () => {
    const ws = t.app.ws;
    expect(auditLogPolicy(ws)).toMatchObject({ periodValue: 7, periodUnit: 'years', period: 'P7Y', customized: false });
    // Under seven years nothing written today is old enough.
    expect(planLedgerPrune(ws, LATER)).toMatchObject({ count: 0, policy: 'P7Y' });
    // Shorter: only asked for; the period in force stays until a second person approves.
    const asked = setAuditLogPolicy(ws, { actor: 'admin' }, { periodValue: 1, periodUnit: 'days' });
    expect(asked).toMatchObject({ period: 'P7Y', customized: false, pending: { period: 'P1D', requestedBy: 'admin' } });
    expect(t.lastEvent('ledger.setRetention.request')?.details).toEqual({ request_id: asked.pending!.id, from: { period: 'P7Y' }, to: { period: 'P1D' }, replaces: null });
    expect(planLedgerPrune(ws, LATER)).toMatchObject({ count: 0, policy: 'P7Y' });
    const requestId = asked.pending!.id;
    expect(() => decideAuditLogPolicy(ws, { actor: 'admin' }, { requestId, approve: true })).toThrow(/needs a second person: you asked for 1 day/);
    expect(auditLogPolicy(ws).pending).toEqual(asked.pending);
    const after = decideAuditLogPolicy(ws, { actor: 'co.cleo' }, { requestId, approve: true });
    expect(after).toMatchObject({ period: 'P1D', customized: true, updatedBy: 'co.cleo', pending: null });
    expect(t.lastEvent('ledger.setRetention')?.details).toEqual({ from: { period: 'P7Y' }, to: { period: 'P1D' }, request_id: asked.pending!.id, requested_by: 'admin' });
    expect(() => decideAuditLogPolicy(ws, { actor: 'co.cleo' }, { requestId, approve: true })).toThrow(/No change of the audit-log period is waiting/);
    expect(() => setAuditLogPolicy(ws, { actor: 'admin' }, { periodValue: 3, periodUnit: null })).toThrow(/both a period and its unit/);
  });
});

describe('which change shortens the audit-log period (and so needs a second person)', () => {
  it.each([
    // [before, after, shortens]
    ['P7Y', 'P10Y', false],
    ['P7Y', 'P6Y', true],
    ['P7Y', 'P84M', false],
    ['P7Y', 'P83M', true],
    ['P30D', 'P28D', true],
    ['P28D', 'P30D', false],
    // Mixed units: shorter unless the new period's fewest days reach the old one's most.
    ['P1Y', 'P365D', true],
    ['P1Y', 'P366D', false],
    ['P1M', 'P28D', true],
    ['P1M', 'P31D', false],
    ['P30D', 'P1M', true],
    ['P28D', 'P1M', false],
    [null, 'P100Y', true],
    ['P1D', null, false],
    [null, null, false],
  ] as const)('%s → %s: %s', (before, after, expected) => {
    expect(shortens(before, after)).toBe(expected);
  });
});

describe('pruning', () => {
  it('refuses every update and delete of events before a prune point exists', () => {
    const db = t.app.ws.db;
    expect(() => db.prepare("UPDATE events SET actor = '', action = '', resource_type = '', resource_id = '', outcome = '', details = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
    // A prune point without a checkpoint of its size is refused by its own trigger.
    expect(() =>
      db.prepare("INSERT INTO ledger_prunes (from_seq, through_seq, pruned_at, actor, policy, cutoff, checkpoint_root, checkpoint_ts) VALUES (1, 5, 'x', 'x', 'P1D', 'x', 'x', 'x')").run(),
    ).toThrow(/signed checkpoint/);
  });

  it('a dry run counts what would be pruned and changes nothing', () => {
    const ws = t.app.ws;
    const size = ws.ledger.head().size;
    const plan = planLedgerPrune(ws, LATER);
    // Everything is older than the cutoff except the newest event, which always stays whole.
    expect(plan).toMatchObject({ count: size - 1, fromSeq: 1, throughSeq: size - 1, prunedThrough: 0, holds: [] });
    expect(plan.summary).toMatch(new RegExp(`^${size - 1} audit-log events \\(1–${size - 1}\\) are older than`));
    expect(ws.ledger.head().size).toBe(size);
  });

  it('is suspended while a legal hold is active: nothing pruned, one denied event naming the hold', async () => {
    const ws = t.app.ws;
    const kase = await t.call<{ case: { id: string } }>('cases.create', { title: 'Matter', type: 'investigation' }, t.admin);
    const { hold } = await t.call<{ hold: { id: string } }>('holds.create', { caseId: kase.case.id, title: 'Preserve', scope: { subjectIds: [], keywords: ['matter'] } }, t.admin);
    await t.call('holds.activate', { id: hold.id }, t.admin);
    const size = ws.ledger.head().size;
    const res = pruneLedger(ws, { actor: 'admin', at: LATER });
    expect(res.pruned).toBeNull();
    expect(res.plan.holds).toEqual([hold.id]);
    expect(ws.ledger.head().size).toBe(size + 1);
    const denied = t.lastEvent('ledger.prune')!;
    expect(denied).toMatchObject({ outcome: 'denied', details: { code: 'held', holds: [hold.id] } });
    expect(ws.db.prepare('SELECT count(*) AS n FROM ledger_prunes').get()).toEqual({ n: 0 });
    expect(ws.db.prepare("SELECT count(*) AS n FROM events WHERE action = ''").get()).toEqual({ n: 0 });
    await t.call('holds.release', { id: hold.id, reason: 'Matter closed' }, t.admin);
  });

  it('keeps seq, ts and every hash, blanks the bodies, stores a checkpoint at the prune point and ledgers the range', async () => {
    const ws = t.app.ws;
    const size = ws.ledger.head().size;
    hashesBefore = keptColumns(ws.db as unknown as RawDb, size);
    const rootBefore = ws.ledger.root();
    // The events since the denied prune (dated at it, clock never steps back) are not older than the cutoff.
    const plan = planLedgerPrune(ws, LATER);
    expect(plan.throughSeq).toBe((t.lastEvent('ledger.prune')?.seq ?? 0) - 1);
    const res = pruneLedger(ws, { actor: 'admin', at: LATER }, { vacuum: 'always' });
    through = plan.throughSeq;
    expect(res.pruned).toMatchObject({ throughSeq: through, policy: 'P1D', actor: 'admin' });
    expect(res.description).toBe(`events 1–${through} pruned on ${LATER.toISOString().slice(0, 10)} under policy 1 day (P1D)`);
    expect(res.vacuumed).toBe(true);
    // Hashes, leaves, links and times unchanged; the bodies blank.
    expect(keptColumns(ws.db as unknown as RawDb, size)).toEqual(hashesBefore);
    expect(ws.db.prepare("SELECT count(*) AS n FROM events WHERE seq <= ? AND actor = '' AND action = '' AND resource_id = '' AND outcome = '' AND details = '{}'").get(through)).toEqual({ n: through });
    expect(ws.db.prepare("SELECT count(*) AS n FROM events WHERE seq > ? AND action = ''").get(through)).toEqual({ n: 0 });
    const cp = ws.db.prepare('SELECT size, root, reason FROM checkpoints WHERE reason = ?').get(`prune:${through}`) as { size: number; root: string };
    expect(cp.size).toBe(through);
    expect(cp.root).toBe(res.pruned!.checkpointRoot);
    // Pruning appends its event; the tree over the old leaves is the same tree.
    expect(ws.ledger.head().size).toBe(size + 1);
    expect(rootBefore).not.toBe(ws.ledger.root());
    const ev = t.lastEvent('ledger.prune')!;
    expect(ev).toMatchObject({ outcome: 'success', resource_type: 'ledger' });
    expect(ev.details).toMatchObject({ from_seq: 1, through_seq: through, events: through, policy: 'P1D', checkpoint_size: through, checkpoint_root: cp.root });
    // The head after the prune event is signed too: the latest checkpoint covers it.
    expect(ws.latestCheckpoint()?.size).toBe(size + 1);
    // A second prune at the same instant has nothing left to do.
    expect(planLedgerPrune(ws, LATER)).toMatchObject({ count: 0, prunedThrough: through });
  });

  it('then admits no other update: not a body written back, not a hash, not a body past the prune point, no delete', () => {
    const db = t.app.ws.db;
    expect(() => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE events SET hash = '00' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE events SET leaf_hash = zeroblob(32) WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE events SET ts = '2000-01-01T00:00:00.000Z' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE events SET actor = '', action = '', resource_type = '', resource_id = '', outcome = '', details = '{}' WHERE seq = ?").run(through + 1)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE ledger_prunes SET through_seq = through_seq + 5").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger_prunes').run()).toThrow(/append-only/);
    // A prune point that skips ahead, or one past the end of the ledger, is refused.
    expect(() =>
      db.prepare("INSERT INTO ledger_prunes (from_seq, through_seq, pruned_at, actor, policy, cutoff, checkpoint_root, checkpoint_ts) VALUES (?, ?, 'x', 'x', 'P1D', 'x', 'x', 'x')").run(through + 1, through + 1000),
    ).toThrow(/signed checkpoint/);
  });

  it('verifies VALID, reporting the pruned prefix by range, date and policy, also after more events and a lock', async () => {
    for (let i = 0; i < 30; i++) await t.call('users.update', { username: 'co.cleo', displayName: `Cleo later ${i}` }, t.admin);
    const live = await t.call<VerificationReport>('ledger.verify', {}, t.admin);
    expect(live.valid).toBe(true);
    t.lock();
    template = t.dir;
    const report = await verifyDir(template);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.pruned).toMatchObject({ through_seq: through, policy: 'P1D' });
    expect(report.summary).toMatch(new RegExp(`^VALID: Events 1–${through} pruned on \\d{4}-\\d\\d-\\d\\d under policy 1 day \\(P1D\\)`));
  });
});

describe('pruning while the ledger is being read', () => {
  it('is postponed while a bundle reads events page by page: one failure says so, the bundle verifies whole, and the next prune goes ahead', async () => {
    const w = await createTempWorkspace();
    for (let i = 0; i < 30; i++) await w.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, w.admin);
    await shortenToOneDay(w);
    const ws = w.app.ws;
    // Started, not awaited: it has signed its tree head and is reading its events when the prune comes.
    const making = createBundle(ws, {
      actor: 'admin',
      filters: { action: 'users.*' },
      parts: w.app.wiring.bundleParts,
      caseScope: (x, caseId) => caseScope(x, caseId, w.app.wiring.caseResources),
    });
    expect(ws.ledgerReadersRunning).toBe(1);
    const size = ws.ledger.head().size;
    const res = pruneLedger(ws, { actor: 'admin', at: LATER });
    expect(res.pruned).toBeNull();
    expect(res.postponed).toMatch(/^Nothing was pruned: a bundle, export or verification is reading the ledger/);
    expect(ws.ledger.head().size).toBe(size + 1);
    expect(w.lastEvent('ledger.prune')).toMatchObject({ outcome: 'failure', details: { code: 'conflict', message: res.postponed } });
    expect(ws.db.prepare("SELECT count(*) AS n FROM events WHERE action = ''").get()).toEqual({ n: 0 });
    const made = await making;
    expect(ws.ledgerReadersRunning).toBe(0);
    const report = await verifyBundleFile(made.path);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(pruneLedger(ws, { actor: 'admin', at: LATER }).pruned?.throughSeq).toBeGreaterThan(30);
  });

  it('is postponed while a verification runs, which then reports the ledger valid', async () => {
    const w = await createTempWorkspace();
    for (let i = 0; i < 10; i++) await w.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, w.admin);
    await shortenToOneDay(w);
    const verifying = w.call<VerificationReport>('ledger.verify', {}, w.admin);
    // Let the call reach the verifier, then prune while it reads.
    let settled = false;
    void verifying.finally(() => (settled = true));
    while (w.app.ws.ledgerReadersRunning === 0 && !settled) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(pruneLedger(w.app.ws, { actor: 'admin', at: LATER }).postponed).toBeDefined();
    expect((await verifying).valid).toBe(true);
  });
});

describe('pruning while an export reads the ledger', () => {
  it('is postponed while an export writes its events, and the export holds every event whole', async () => {
    const w = await createTempWorkspace();
    for (let i = 0; i < 30; i++) await w.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, w.admin);
    await shortenToOneDay(w);
    // Masked internal exports need no second approval (resources/policies/exports.json).
    const { request } = await w.call<{ request: { id: string; status: string } }>(
      'exports.request',
      { title: 'Whole ledger, masked', type: 'INTERNAL', format: 'csv', masking: 'pseudonymize-people', purpose: 'Internal review.', recipient: 'Internal audit' },
      w.admin,
    );
    expect(request.status).toBe('approved');
    const running = w.call<{ request: { status: string; sha256: string } }>('exports.execute', { id: request.id }, w.admin);
    let settled = false;
    void running.finally(() => (settled = true));
    while (w.app.ws.ledgerReadersRunning === 0 && !settled) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(pruneLedger(w.app.ws, { actor: 'admin', at: LATER }).postponed).toMatch(/^Nothing was pruned/);
    const done = await running;
    expect(done.request.status).toBe('executed');
    expect(w.app.ws.db.prepare("SELECT count(*) AS n FROM events WHERE action = ''").get()).toEqual({ n: 0 });
  });
});

describe('pruning never launders a tampered event', () => {
  it('a body changed before the prune is found: nothing is blanked, one failure names the event, and verification still reports it', async () => {
    const w = await createTempWorkspace();
    for (let i = 0; i < 12; i++) await w.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, w.admin);
    await shortenToOneDay(w);
    const wkey = await w.dbKey();
    w.lock();
    // Only the body changes: its stored hash and leaf hash still name the original.
    tamper(w.dir, wkey, (db) => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = 5").run());
    w.admin = await w.login();
    const ws = w.app.ws;
    const res = pruneLedger(ws, { actor: 'admin', at: LATER });
    expect(res.pruned).toBeNull();
    expect(w.lastEvent('ledger.prune')).toMatchObject({ outcome: 'failure', details: { code: 'integrity', seqs: [5] } });
    expect(ws.db.prepare("SELECT count(*) AS n FROM events WHERE action = ''").get()).toEqual({ n: 0 });
    expect(ws.db.prepare('SELECT count(*) AS n FROM ledger_prunes').get()).toEqual({ n: 0 });
    const report = await w.call<VerificationReport>('ledger.verify', {}, w.admin);
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: 5, kind: 'hash-mismatch' }));
  });
});

describe('tampering with a pruned ledger', () => {
  it('a body changed after the prune point is a hash mismatch at its seq', async () => {
    const at = through + 5;
    const report = await verifyDir(copy((db) => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = ?").run(at)));
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: at, kind: 'hash-mismatch' }));
  });

  it('a leaf hash changed inside the pruned range is caught by the checkpoint signed at the prune point', async () => {
    const report = await verifyDir(copy((db) => db.prepare('UPDATE events SET leaf_hash = randomblob(32) WHERE seq = 7').run()));
    expect(report.valid).toBe(false);
    // Every signed head over seq 7 says so: the lock's, and the one signed at the prune point.
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: through, kind: 'root-mismatch' }));
    expect(report.problems.every((p) => p.kind === 'root-mismatch')).toBe(true);
  });

  it('a chain hash changed inside the pruned range breaks the link of the next event', async () => {
    const report = await verifyDir(copy((db) => db.prepare("UPDATE events SET hash = ? WHERE seq = 9").run('ab'.repeat(32))));
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: 10, kind: 'broken-link' }));
  });

  it('the last pruned hash rewritten with the next link is a hash mismatch of the first whole event', async () => {
    const forged = 'cd'.repeat(32);
    const report = await verifyDir(
      copy((db) => {
        db.prepare('UPDATE events SET hash = ? WHERE seq = ?').run(forged, through);
        db.prepare('UPDATE events SET prev_hash = ? WHERE seq = ?').run(forged, through + 1);
      }),
    );
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: through + 1, kind: 'hash-mismatch' }));
  });

  it('a prune point moved past what the ledger records is reported, not taken as proof', async () => {
    const report = await verifyDir(
      copy((db) => {
        db.prepare("UPDATE events SET actor = '', action = '', resource_type = '', resource_id = '', outcome = '', details = '{}' WHERE seq BETWEEN ? AND ?").run(through + 1, through + 10);
        db.prepare('UPDATE ledger_prunes SET through_seq = ?').run(through + 10);
      }),
    );
    expect(report.valid).toBe(false);
    const kinds = report.problems.map((p) => p.kind);
    expect(kinds).toContain('bad-signature');
    expect(kinds).toContain('malformed');
  });

  it('a deleted pruned event is a gap', async () => {
    const report = await verifyDir(copy((db) => db.prepare('DELETE FROM events WHERE seq = 3').run()));
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'gap' }));
  });
});

describe('through the channels: the setting, the dry run and the sweep', () => {
  let w: TempWorkspace;
  let officer: string;

  beforeAll(async () => {
    w = await createTempWorkspace();
    officer = await w.addUser('co.olga', 'compliance_officer');
    for (let i = 0; i < 20; i++) await w.call('users.update', { username: 'co.olga', displayName: `Olga ${i}` }, w.admin);
  });

  it('shows the audit-log policy with the retention policies; only an administrator changes it, a denial is ledgered', async () => {
    const { auditLog } = await w.call<{ auditLog: { period: string; periodValue: number; periodUnit: string } }>('retention.policies', {}, officer);
    expect(auditLog).toMatchObject({ period: 'P7Y', periodValue: 7, periodUnit: 'years' });
    const refused = await w.result('retention.setAuditLogPolicy', { periodValue: 1, periodUnit: 'days' }, officer);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
    expect(w.lastEvent('retention.setAuditLogPolicy')).toMatchObject({ outcome: 'denied', actor: 'co.olga' });
    const bad = await w.result('retention.setAuditLogPolicy', { periodValue: 1, periodUnit: null }, w.admin);
    expect(!bad.ok && bad.error.code).toBe('validation');
    expect(auditLogPolicy(w.app.ws).customized).toBe(false);
    // A longer period applies at once.
    const longer = await w.call<{ policy: { period: string; pending: null } }>('retention.setAuditLogPolicy', { periodValue: 10, periodUnit: 'years' }, w.admin);
    expect(longer.policy).toMatchObject({ period: 'P10Y', pending: null });
    expect(w.lastEvent('ledger.setRetention')).toMatchObject({ actor: 'admin', details: { from: { period: 'P7Y' }, to: { period: 'P10Y' } } });
    // A shorter one waits for a second person; the one who asked cannot approve it (the refusal ledgered).
    type Asked = { policy: { period: string; pending: { id: number; period: string; requestedBy: string } } };
    const asked = await w.call<Asked>('retention.setAuditLogPolicy', { periodValue: 1, periodUnit: 'days' }, w.admin);
    expect(asked.policy).toMatchObject({ period: 'P10Y', pending: { period: 'P1D', requestedBy: 'admin' } });
    const requestId = asked.policy.pending.id;
    const self = await w.result('retention.decideAuditLogPolicy', { requestId, approve: true }, w.admin);
    expect(!self.ok && self.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^Shortening the audit log needs a second person/) });
    expect(w.lastEvent('retention.decideAuditLogPolicy')).toMatchObject({ outcome: 'denied', actor: 'admin' });
    // Rejected, nothing changes; asked again and approved by the compliance officer, it applies.
    const rejected = await w.call<{ policy: { period: string; pending: null } }>('retention.decideAuditLogPolicy', { requestId, approve: false }, officer);
    expect(rejected.policy).toMatchObject({ period: 'P10Y', pending: null });
    expect(w.lastEvent('ledger.setRetention.reject')).toMatchObject({ actor: 'co.olga', details: { to: { period: 'P1D' }, requested_by: 'admin' } });
    // A request replaced before the decision is not decided unseen: the approver is told what is asked now.
    const first = await w.call<Asked>('retention.setAuditLogPolicy', { periodValue: 2, periodUnit: 'years' }, w.admin);
    const second = await w.call<Asked>('retention.setAuditLogPolicy', { periodValue: 1, periodUnit: 'days' }, w.admin);
    expect(w.lastEvent('ledger.setRetention.request')?.details).toMatchObject({ replaces: first.policy.pending.id, to: { period: 'P1D' } });
    const stale = await w.result('retention.decideAuditLogPolicy', { requestId: first.policy.pending.id, approve: true }, officer);
    expect(!stale.ok && stale.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^The request you decided was replaced: admin now asks for 1 day/) });
    expect(auditLogPolicy(w.app.ws)).toMatchObject({ period: 'P10Y', pending: { id: second.policy.pending.id } });
    // Only a person who held an approver's role when it was asked decides: not one created, or promoted, since.
    const fresh = await w.addUser('co.fresh', 'compliance_officer');
    const late = await w.result('retention.decideAuditLogPolicy', { requestId: second.policy.pending.id, approve: true }, fresh);
    expect(!late.ok && late.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/co\.fresh was created or given a new role since admin asked/) });
    const viewer = await w.addUser('vic.viewer', 'viewer');
    expect((await w.result('retention.decideAuditLogPolicy', { requestId: second.policy.pending.id, approve: true }, viewer)).ok).toBe(false);
    const { policy } = await w.call<{ policy: { period: string; pending: null } }>('retention.decideAuditLogPolicy', { requestId: second.policy.pending.id, approve: true }, officer);
    expect(policy).toMatchObject({ period: 'P1D', pending: null });
    expect(w.lastEvent('ledger.setRetention')).toMatchObject({ actor: 'co.olga', details: { from: { period: 'P10Y' }, to: { period: 'P1D' }, requested_by: 'admin' } });
  });

  it('a longer period applied while a shortening waits withdraws it: no one approves a request weighed against another policy', async () => {
    const x = await createTempWorkspace();
    const second = await x.addUser('co.quinn', 'compliance_officer');
    const asked = await x.call<{ policy: { pending: { id: number } } }>('retention.setAuditLogPolicy', { periodValue: 1, periodUnit: 'years' }, x.admin);
    const id = asked.policy.pending.id;
    // Saving the period in force again changes nothing: the request still waits.
    const same = await x.call<{ policy: { period: string; pending: { id: number } | null } }>('retention.setAuditLogPolicy', { periodValue: 7, periodUnit: 'years' }, x.admin);
    expect(same.policy).toMatchObject({ period: 'P7Y', pending: { id } });
    const longer = await x.call<{ policy: { period: string; pending: null } }>('retention.setAuditLogPolicy', { periodValue: 10, periodUnit: 'years' }, x.admin);
    expect(longer.policy).toMatchObject({ period: 'P10Y', pending: null });
    expect(x.lastEvent('ledger.setRetention')?.details).toEqual({ from: { period: 'P7Y' }, to: { period: 'P10Y' }, withdraws: id });
    const size = x.eventCount();
    const late = await x.result('retention.decideAuditLogPolicy', { requestId: id, approve: true }, second);
    expect(!late.ok && late.error).toMatchObject({ code: 'not_found' });
    expect(x.eventCount()).toBe(size + 1);
    expect(auditLogPolicy(x.app.ws)).toMatchObject({ period: 'P10Y', pending: null });
    // Every field these events carry is declared (masking and the event catalogue rely on it).
    expect(undeclaredDetails(x.events())).toEqual([]);
  });

  it('the dry run says how many events would be pruned; the sweep prunes them and says so; the ledger verifies', async () => {
    const size = w.eventCount();
    const preview = await withSimulatedClock(LATER, 1, () => w.call<{ ledger: { count: number; throughSeq: number; summary: string } }>('retention.preview', {}, officer));
    // Reading the preview appends nothing; every event so far is older than a day before LATER, but the newest stays whole.
    expect(w.eventCount()).toBe(size);
    expect(preview.ledger).toMatchObject({ count: size - 1, throughSeq: size - 1 });
    expect(preview.ledger.summary).toContain(`${size - 1} audit-log events (1–${size - 1})`);
    const done = await withSimulatedClock(LATER, 1, () =>
      w.call<{ run: { id: string }; ledger: { prunedThrough: number; description: string; error: string | null } }>('retention.sweep', {}, officer),
    );
    // The sweep's own closing event (dated LATER) comes first and stays whole; every event before it is pruned.
    expect(done.ledger).toMatchObject({ prunedThrough: size, error: null });
    expect(done.ledger.description).toMatch(new RegExp(`^events 1–${size} pruned on ${LATER.toISOString().slice(0, 10)} under policy 1 day`));
    expect(w.lastEvent('retention.sweep.complete')?.seq).toBe(size + 1);
    expect(w.lastEvent('ledger.prune')).toMatchObject({ outcome: 'success', actor: 'co.olga', details: { through_seq: size } });
    const report = await w.call<VerificationReport>('ledger.verify', {}, w.admin);
    expect(report.valid).toBe(true);
    expect(report.pruned?.through_seq).toBe(size);
    // The Ledger screen lists only events that still have a body, unfiltered or filtered; a pruned one says why it is gone.
    const page = await w.call<{ events: { seq: number }[]; total: number }>('ledger.query', { limit: 500, withTotal: true }, w.admin);
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((e) => e.seq > size)).toBe(true);
    expect(page.total).toBe(w.eventCount() - size);
    const filtered = await w.call<{ events: { seq: number }[] }>('ledger.query', { limit: 500, from: '2000-01-01' }, w.admin);
    expect(filtered.events.every((e) => e.seq > size)).toBe(true);
    const gone = await w.result('ledger.event', { seq: 3 }, w.admin);
    expect(!gone.ok && gone.error).toMatchObject({ code: 'not_found', message: expect.stringContaining(`events 1–${size} pruned on`) });
    const facets = await w.call<{ actors: string[] }>('ledger.facets', {}, w.admin);
    expect(facets.actors).not.toContain('');
  });
});

describe('bundles and imports of a pruned ledger', () => {
  let w: TempWorkspace;
  let p: number;

  beforeAll(async () => {
    w = await createTempWorkspace({ name: 'Pruned District' });
    for (let i = 0; i < 37; i++) await w.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, w.admin);
    await shortenToOneDay(w);
    p = pruneLedger(w.app.ws, { actor: 'admin', at: LATER }).pruned!.throughSeq;
    for (let i = 0; i < 5; i++) await w.call('users.update', { username: 'admin', displayName: `Admin after ${i}` }, w.admin);
  });

  it('a bundle of the whole ledger carries the pruned prefix as its Merkle edge and verifies, reporting the range', async () => {
    const b = await makeBundle(w, {}, w.admin);
    const entries = await readEntries(b.path);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { pruned: { through_seq: number; frontier: string[] }; events: { first_seq: number } };
    expect(manifest.pruned.through_seq).toBe(p);
    // One complete subtree per set bit of p.
    expect(manifest.pruned.frontier).toHaveLength(p.toString(2).replace(/0/g, '').length);
    expect(manifest.events.first_seq).toBe(p + 1);
    expect(bundleEvents(entries).every((e) => e.seq > p)).toBe(true);
    expect(entries.get('VERIFY.txt')!.toString('utf8')).toContain(`Events 1..${p} were pruned on`);
    const report = await verifyBundleFile(b.path);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.pruned).toMatchObject({ through_seq: p, policy: 'P1D' });
    expect(report.summary).toContain(`events 1–${p} pruned on ${LATER.toISOString().slice(0, 10)} under policy 1 day (P1D)`);
  });

  it('a selection bundle never holds a pruned event, and its proofs still lead to the signed root', async () => {
    const b = await makeBundle(w, { from: '2000-01-01' }, w.admin);
    const entries = await readEntries(b.path);
    expect(bundleEvents(entries).length).toBeGreaterThan(0);
    expect(bundleEvents(entries).every((e) => e.seq > p)).toBe(true);
    expect((await verifyBundleFile(b.path)).valid).toBe(true);
  });

  it("a selection carries the prune event that made the prefix, with its proof, and is held to it", async () => {
    const b = await makeBundle(w, { action: 'users.*' }, w.admin);
    const entries = await readEntries(b.path);
    const events = bundleEvents(entries);
    // Every event the filter chose, and the one ledger.prune event it did not.
    expect(events.filter((e) => e.action === 'ledger.prune')).toEqual([expect.objectContaining({ outcome: 'success', details: expect.objectContaining({ through_seq: p }) })]);
    expect(events.filter((e) => e.action !== 'ledger.prune').every((e) => e.action.startsWith('users.'))).toBe(true);
    expect((await verifyBundleFile(b.path)).valid).toBe(true);
    const key = loadSigningKey(Buffer.from((w.app.ws.db.prepare("SELECT value FROM meta WHERE key = 'signing_key_pkcs8'").get() as { value: string }).value, 'base64'));
    resign(entries, key, (m) => ((m as { pruned: { policy: string } }).pruned.policy = 'P7Y'));
    const out = join(tempDir('custos-prune-selection-'), 'forged.zip');
    await writeEntries(out, entries);
    const told = await verifyBundleFile(out);
    expect(told.valid).toBe(false);
    expect(told.problems.map((x) => x.message).join('\n')).toMatch(/no prune event among the bundle's events records that range, policy, date and checkpoint/);
  });

  it('a forged Merkle edge or a checkpoint signature that does not hold is caught', async () => {
    const b = await makeBundle(w, {}, w.admin);
    const key = loadSigningKey(Buffer.from((w.app.ws.db.prepare("SELECT value FROM meta WHERE key = 'signing_key_pkcs8'").get() as { value: string }).value, 'base64'));
    const forge = async (edit: (m: { pruned: { frontier: string[]; checkpoint: { signature: string; root: string } } }) => void) => {
      const entries = await readEntries(b.path);
      resign(entries, key, (m) => edit(m as never));
      const out = join(tempDir('custos-prune-forged-'), 'forged.zip');
      await writeEntries(out, entries);
      return verifyBundleFile(out);
    };
    const edge = await forge((m) => (m.pruned.frontier[0] = 'ab'.repeat(32)));
    expect(edge.valid).toBe(false);
    expect(edge.problems.map((x) => x.kind)).toContain('root-mismatch');
    const sig = await forge((m) => (m.pruned.checkpoint.signature = Buffer.alloc(64, 1).toString('base64')));
    expect(sig.problems).toContainEqual(expect.objectContaining({ seq: p, kind: 'bad-signature' }));
    // A re-signed manifest that tells another story of the prefix than the ledger's prune event.
    for (const [what, edit] of [
      ['policy', (m: { pruned: { policy: string } }) => (m.pruned.policy = 'P7Y')],
      ['range', (m: { pruned: { through_seq: number } }) => (m.pruned.through_seq = p - 1)],
      ['date', (m: { pruned: { pruned_at: string } }) => (m.pruned.pruned_at = '2001-01-01T00:00:00.000Z')],
    ] as const) {
      const told = await forge((m) => edit(m as never));
      expect(told.valid, what).toBe(false);
      expect(told.problems.map((x) => x.message).join('\n'), what).toMatch(/no prune event among the bundle's events records that range, policy, date and checkpoint \(the last one, event \d+, records another\)/);
    }
  });

  it('imports into another workspace, which records the bundle as verified', async () => {
    const b = await makeBundle(w, {}, w.admin);
    const aud = await createTempWorkspace({ name: 'Auditor' });
    const keyId = await bundleKeyId(b.path);
    const r = await aud.call<{ accepted: boolean; import: { events: number; complete: boolean } }>(
      'imports.run',
      { grant: await pathGrant(aud, aud.admin, 'bundle', b.path), ...(keyId ? { trustFingerprint: keyId } : {}) },
      aud.admin,
    );
    expect(r).toMatchObject({ accepted: true, import: { events: b.events, complete: true } });
    expect(aud.lastEvent('imports.run')).toMatchObject({ outcome: 'success' });
  });
});
