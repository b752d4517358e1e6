import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import type { VerificationReport } from '../../shared/ledger-types.js';
import { EVENT_COLUMNS, canonicalOfRow, openRaw, rawEvents, rehashFrom, rfc6962Leaf, sha256, tamper, writeRow, type RawDb, type RawEventRow } from './helpers/tamper.js';
import { PASSPHRASE, createTempWorkspace, removeTempDirs, tempDir } from './helpers/workspace.js';

// Issue 4 §5: every kind of tampering, made directly in the SQLCipher file with the raw key and
// the append-only triggers dropped, is reported with the right seq and kind.

afterAll(removeTempDirs);

const CLI = resolve('bin/custos.js');

let template: string;
let key: Buffer;
let total: number;
/** Sizes of the signed checkpoints in the database, oldest first. */
let checkpointSizes: number[];

beforeAll(async () => {
  const t = await createTempWorkspace({ dir: join(tempDir('custos-tamper-'), 'template') });
  key = await t.dbKey();
  await t.call('users.create', { username: 'co.cleo', displayName: 'Cleo', role: 'compliance_officer', passphrase: PASSPHRASE }, t.admin);
  await t.call('users.create', { username: 'viewer.vik', displayName: 'Vik', role: 'viewer', passphrase: PASSPHRASE }, t.admin);
  let admin = t.admin;
  // Five sessions of work, each ended by a lock (which signs a checkpoint): ~200 events.
  for (let cycle = 0; cycle < 5; cycle++) {
    for (let i = 0; i < 36; i++) {
      const username = i % 2 === 0 ? 'co.cleo' : 'viewer.vik';
      await t.call('users.update', { username, displayName: `Name ${cycle}.${i}` }, admin);
    }
    t.lock();
    admin = await t.login();
  }
  await t.result('users.list', {}, await t.login('viewer.vik')); // one denial in the mix
  t.lock();
  template = t.dir;
  const db = openRaw(template, key, { readonly: true });
  try {
    total = rawEvents(db).length;
    checkpointSizes = (db.prepare('SELECT size FROM checkpoints ORDER BY id').all() as { size: number }[]).map((r) => r.size);
  } finally {
    db.close();
  }
});

/** A copy of the template workspace, tampered by `fn` (raw key, triggers dropped). */
function tampered(fn?: (db: RawDb) => void): string {
  const dir = join(tempDir('custos-tamper-case-'), 'ws');
  cpSync(template, dir, { recursive: true });
  if (fn) tamper(dir, key, fn);
  return dir;
}

/**
 * verifyWorkspaceDb on a raw connection: nothing is appended before verification. Also verifies in
 * batches of 16 events hashed in a worker thread (intact batches taken whole, the others event by
 * event) and in batches of 8 hashed on this thread: every way must give the same report.
 */
async function verifyDir(dir: string): Promise<VerificationReport> {
  const db = openRaw(dir, key, { readonly: true });
  try {
    const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const publicKey = createPublicKey(createPrivateKey({ key: Buffer.from(meta.get('signing_key_pkcs8')!, 'base64'), format: 'der', type: 'pkcs8' }));
    const ws = { id: meta.get('workspace_id')!, publicKey };
    const report = await verifyWorkspaceDb(db, dir, ws);
    expect(await verifyWorkspaceDb(db, dir, ws, { batch: 16, threads: 1 })).toEqual(report);
    expect(await verifyWorkspaceDb(db, dir, ws, { batch: 8, threads: 0 })).toEqual(report);
    return report;
  } finally {
    db.close();
  }
}

function cliVerify(dir: string): { status: number | null; report: VerificationReport; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'verify', dir, '--json'], {
    env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
  });
  return { status: r.status, report: JSON.parse(r.stdout || 'null') as VerificationReport, stderr: r.stderr };
}

function kinds(report: VerificationReport): [number | null, string][] {
  return report.problems.map((p) => [p.seq, p.kind]);
}

function rowAt(db: RawDb, seq: number): RawEventRow {
  return db.prepare('SELECT * FROM events WHERE seq = ?').get(seq) as RawEventRow;
}

/** Checkpoint sizes at or above `seq` (each reported once as root-mismatch when events up to it changed). */
function checkpointsFrom(seq: number): number[] {
  return [...new Set(checkpointSizes.filter((s) => s >= seq))];
}

function expectCli(dir: string, expected: [number | null, string][]): VerificationReport {
  const cli = cliVerify(dir);
  expect(cli.status, cli.stderr).toBe(expected.length === 0 ? 0 : 1);
  expect(kinds(cli.report)).toEqual(expected);
  expect(cli.report.valid).toBe(expected.length === 0);
  return cli.report;
}

function insertRow(db: RawDb, seq: number, r: Omit<RawEventRow, 'seq'>): void {
  db.prepare(`INSERT INTO events (seq, ${EVENT_COLUMNS.join(', ')}) VALUES (?, ${EVENT_COLUMNS.map(() => '?').join(', ')})`).run(
    seq,
    ...EVENT_COLUMNS.map((c) => r[c]),
  );
}

/** Renumbers every event from `from` on by `by` (descending order keeps the primary key unique). */
function renumber(db: RawDb, from: number, by: number): void {
  const seqs = rawEvents(db).map((r) => r.seq).filter((s) => s >= from);
  const order = by > 0 ? seqs.reverse() : seqs;
  for (const s of order) db.prepare('UPDATE events SET seq = ? WHERE seq = ?').run(s + by, s);
}

/** A forged event that is valid on its own at `seq`: correct prev_hash, hash and leaf. */
function forgedEvent(db: RawDb, seq: number): Omit<RawEventRow, 'seq'> {
  const prev = rowAt(db, seq - 1);
  const body = { ...prev, seq, actor: 'mallory', action: 'records.view', resource_type: 'record', resource_id: 'S-0001/health', details: '{}', prev_hash: prev.hash };
  const bytes = canonicalOfRow(body);
  return { ...body, hash: sha256(bytes).toString('hex'), leaf_hash: rfc6962Leaf(bytes) };
}

describe('ledger tampering', () => {
  /** A seq in the middle, between two checkpoints, inside a persisted Merkle subtree. */
  const K = 57;

  it('the fixture has ~200 events and several checkpoints, and K lies between two of them', () => {
    expect(total).toBeGreaterThanOrEqual(190);
    expect(checkpointSizes.length).toBeGreaterThanOrEqual(6);
    expect(checkpointSizes.at(-1)).toBe(total);
    expect(checkpointSizes.some((s) => s < K)).toBe(true);
    expect(checkpointSizes).not.toContain(K);
  });

  it('untampered: valid, no problems; `custos verify --json` exits 0', async () => {
    const report = await verifyDir(tampered());
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.events_checked).toBe(total);
    expect(report.summary).toMatch(/^VALID: /);
    const cli = expectCli(tampered(), []) as VerificationReport & { events_per_s?: unknown };
    // --json adds the measured speed: events checked per second of verification.
    expect(Number.isSafeInteger(cli.events_per_s) && (cli.events_per_s as number) > 0).toBe(true);
  });

  it('a changed field in one event: hash-mismatch at that seq (and every later signed root differs)', async () => {
    const dir = tampered((db) => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = ?").run(K));
    const expected: [number, string][] = [[K, 'hash-mismatch'], ...checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch'])];
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual(expected);
    expect(report.problems[0]!.message).toBe(`Event ${K} does not match its hash: a field was changed after it was written.`);
    expect(report.valid).toBe(false);
    expect(report.summary).toMatch(/^INVALID: /);
    // Through the CLI (which signs in first, appending two events after the damage): the same report.
    expectCli(dir, expected);
  });

  it('a changed details text, outcome or timestamp: hash-mismatch at that seq', async () => {
    const changes = [
      "UPDATE events SET details = '{\"reason\":\"forged\"}' WHERE seq = ?",
      "UPDATE events SET outcome = CASE outcome WHEN 'success' THEN 'denied' ELSE 'success' END WHERE seq = ?",
      "UPDATE events SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = ?",
      "UPDATE events SET prev_hash = hash WHERE seq = ?",
    ];
    for (const sql of changes) {
      const report = await verifyDir(tampered((db) => db.prepare(sql).run(K + 3)));
      expect(kinds(report)[0], sql).toEqual([K + 3, 'hash-mismatch']);
      expect(kinds(report).slice(1).every(([, k]) => k === 'root-mismatch'), sql).toBe(true);
    }
  });

  it('a changed stored Merkle leaf: hash-mismatch at that seq', async () => {
    const report = await verifyDir(tampered((db) => db.prepare('UPDATE events SET leaf_hash = zeroblob(32) WHERE seq = ?').run(K)));
    expect(kinds(report)).toEqual([[K, 'hash-mismatch']]);
    expect(report.problems[0]!.message).toMatch(/stored Merkle leaf of event 57/);
  });

  it('a stored hash rewritten in upper case or with a look-alike letter: hash-mismatch there (the text is what is compared)', async () => {
    for (const change of [(h: string) => h.toUpperCase(), (h: string) => `\u0161${h.slice(1)}`]) {
      const dir = tampered((db) => {
        const row = rowAt(db, K);
        db.prepare('UPDATE events SET hash = ? WHERE seq = ?').run(change(row.hash), K);
        db.prepare('UPDATE events SET prev_hash = ? WHERE seq = ?').run(change(row.hash), K + 1);
      });
      expect(kinds(await verifyDir(dir))[0]).toEqual([K, 'hash-mismatch']);
    }
  });

  it('a deleted middle event: gap at that seq', async () => {
    const dir = tampered((db) => db.prepare('DELETE FROM events WHERE seq = ?').run(K));
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[K, 'gap']]);
    expect(report.problems[0]!.message).toBe(`Events ${K} are missing (1 deleted).`);
    expect(report.events_checked).toBe(total - 1);
    expectCli(dir, [[K, 'gap']]);
  });

  it('several deleted middle events, near the tail where no Merkle subtree is stored: one gap; the workspace still opens', async () => {
    const dir = tampered((db) => db.prepare('DELETE FROM events WHERE seq IN (?, ?, ?)').run(total - 4, total - 3, total - 2));
    expect(kinds(await verifyDir(dir))).toEqual([[total - 4, 'gap']]);
    expectCli(dir, [[total - 4, 'gap']]);
  });

  it('deleted tail events (all covered by the last checkpoint): truncated-after-checkpoint at the first deleted seq', async () => {
    const dir = tampered((db) => db.prepare('DELETE FROM events WHERE seq > ?').run(total - 3));
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[total - 2, 'truncated-after-checkpoint']]);
    expect(report.problems[0]!.message).toBe(`A checkpoint covers ${total} events but only ${total - 3} remain: events from ${total - 2} were deleted.`);
    // The CLI signs in first, appending to the shortened ledger; the unlock records the signed
    // checkpoint it found, so the report still names the first deleted seq.
    const cli = expectCli(dir, [[total - 2, 'truncated-after-checkpoint']]);
    expect(cli.problems[0]!.message).toMatch(new RegExp(`unlocked at event ${total - 2}, its signed checkpoint covered ${total} events but only ${total - 3} were left`));
  });

  it('one deleted tail event, through the CLI: still truncated-after-checkpoint at that seq', async () => {
    const dir = tampered((db) => db.prepare('DELETE FROM events WHERE seq = ?').run(total));
    expect(kinds(await verifyDir(dir))).toEqual([[total, 'truncated-after-checkpoint']]);
    expectCli(dir, [[total, 'truncated-after-checkpoint']]);
  });

  it('deleted tail events and the database checkpoints covering them: checkpoint.json still catches it', async () => {
    const keep = checkpointSizes.at(-3)!;
    const dir = tampered((db) => {
      db.prepare('DELETE FROM events WHERE seq > ?').run(keep);
      db.prepare('DELETE FROM checkpoints WHERE size > ?').run(keep);
    });
    expect(kinds(await verifyDir(dir))).toEqual([[keep + 1, 'truncated-after-checkpoint']]);
  });

  it('a removed checkpoint.json is reported (it is what makes tail deletion detectable)', async () => {
    const dir = tampered();
    rmSync(join(dir, 'checkpoint.json'));
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[null, 'malformed']]);
    expect(report.problems[0]!.message).toMatch(/checkpoint\.json is missing/);
  });

  it('an inserted event (the rest renumbered): reordered at the insertion point', async () => {
    const dir = tampered((db) => {
      renumber(db, K, +1);
      insertRow(db, K, forgedEvent(db, K));
    });
    const report = await verifyDir(dir);
    // The forged event is valid where it stands (its hash and link are right); what gives it away is
    // that the original event K now sits at K+1. The problem is reported where the insertion is.
    expect(kinds(report)).toEqual([[K, 'reordered'], ...checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch'])]);
    expect(report.problems[0]!.message).toBe(`Event ${K} was inserted: event ${K + 1} holds the event originally numbered ${K}, and the events after it are renumbered.`);
    expect(report.events_checked).toBe(total + 1);
  });

  it('an inserted event with a wrong hash: hash-mismatch there, then reordered where the originals resume', async () => {
    const dir = tampered((db) => {
      renumber(db, K, +1);
      insertRow(db, K, { ...forgedEvent(db, K), hash: 'f'.repeat(64) });
    });
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[K, 'hash-mismatch'], [K + 1, 'reordered'], ...checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch'])]);
  });

  it('two inserted events: reordered once, at the first of them', async () => {
    const dir = tampered((db) => {
      renumber(db, K, +2);
      insertRow(db, K, forgedEvent(db, K));
      insertRow(db, K + 1, forgedEvent(db, K + 1));
    });
    const report = await verifyDir(dir);
    expect(kinds(report)[0]).toEqual([K, 'reordered']);
    expect(report.problems[0]!.message).toMatch(new RegExp(`^Events ${K}–${K + 1} were inserted`));
    expect(kinds(report).filter(([, k]) => k !== 'root-mismatch')).toHaveLength(1);
  });

  it('a deleted middle event with the rest renumbered to close the gap: reordered at that seq', async () => {
    const dir = tampered((db) => {
      db.prepare('DELETE FROM events WHERE seq = ?').run(K);
      renumber(db, K + 1, -1);
    });
    const report = await verifyDir(dir);
    expect(kinds(report)[0]).toEqual([K, 'reordered']);
    expect(report.problems[0]!.message).toBe(`Event ${K} holds the event originally numbered ${K + 1}: events were moved, inserted or deleted.`);
    expect(kinds(report).filter(([, k]) => k === 'reordered')).toHaveLength(1);
  });

  it('two swapped events (every column but seq): reordered at the first swapped seq, and at the second', async () => {
    const B = K + 10;
    const dir = tampered((db) => {
      const a = rowAt(db, K);
      const b = rowAt(db, B);
      writeRow(db, K, b);
      writeRow(db, B, a);
    });
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[K, 'reordered'], [B, 'reordered'], ...checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch'])]);
    expect(report.problems[0]!.message).toBe(`Event ${K} holds the event originally numbered ${B}: events were moved, inserted or deleted.`);
    expect(report.problems[1]!.message).toBe(`Event ${B} holds the event originally numbered ${K}: events were moved, inserted or deleted.`);
  });

  it('two adjacent swapped events: reordered at both seqs, no broken link after them', async () => {
    const dir = tampered((db) => {
      const a = rowAt(db, K);
      const b = rowAt(db, K + 1);
      writeRow(db, K, b);
      writeRow(db, K + 1, a);
    });
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[K, 'reordered'], [K + 1, 'reordered'], ...checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch'])]);
  });

  it('a re-hashed forged chain (event K changed, every later hash, link, leaf and Merkle node recomputed): root-mismatch at the first checkpoint after K', async () => {
    const dir = tampered((db) => {
      db.prepare("UPDATE events SET actor = 'mallory', details = '{}' WHERE seq = ?").run(K);
      rehashFrom(db, K);
    });
    // The chain alone is consistent again: only the signed tree heads can tell.
    const db = openRaw(dir, key, { readonly: true });
    const rows = rawEvents(db);
    db.close();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const report = await verifyDir(dir);
    const first = checkpointSizes.find((s) => s >= K)!;
    expect(kinds(report)).toEqual(checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch']));
    expect(report.problems[0]!.seq).toBe(first);
    expect(report.problems[0]!.message).toMatch(new RegExp(`^The Merkle root of the first ${first} events differs from the checkpoint signed at `));
    expectCli(dir, checkpointsFrom(K).map((s): [number, string] => [s, 'root-mismatch']));
  });

  it('checkpoint.json with a flipped byte: bad-signature at its size', async () => {
    const dir = tampered();
    const path = join(dir, 'checkpoint.json');
    const text = readFileSync(path, 'utf8');
    const cp = JSON.parse(text) as { signature: string; size: number };
    const sig = Buffer.from(cp.signature, 'base64');
    sig[10]! ^= 0x01;
    writeFileSync(path, text.replace(cp.signature, sig.toString('base64')));
    const report = await verifyDir(dir);
    expect(kinds(report)).toEqual([[cp.size, 'bad-signature']]);
    expect(report.problems[0]!.message).toMatch(/does not carry a valid signature of this workspace/);
    expectCli(dir, [[cp.size, 'bad-signature']]);
  });

  it('checkpoint.json with a changed size or root keeps its old signature: bad-signature', async () => {
    type Cp = { size: number; root: string };
    for (const change of [(c: Cp): Cp => ({ ...c, size: 1000 }), (c: Cp): Cp => ({ ...c, root: '0'.repeat(64) })]) {
      const dir = tampered();
      const path = join(dir, 'checkpoint.json');
      const cp = change(JSON.parse(readFileSync(path, 'utf8')) as Cp);
      writeFileSync(path, JSON.stringify(cp, null, 2));
      expect(kinds(await verifyDir(dir))).toEqual([[cp.size, 'bad-signature']]);
    }
  });

  it('a checkpoint row in the database with a flipped signature: bad-signature at its size', async () => {
    const size = checkpointSizes[2]!;
    const dir = tampered((db) => {
      const row = db.prepare('SELECT id, signature FROM checkpoints WHERE size = ?').get(size) as { id: number; signature: string };
      const sig = Buffer.from(row.signature, 'base64');
      sig[0]! ^= 0x80;
      db.prepare('UPDATE checkpoints SET signature = ? WHERE id = ?').run(sig.toString('base64'), row.id);
    });
    expect(kinds(await verifyDir(dir))).toEqual([[size, 'bad-signature']]);
  });

  it('any single random tampering is reported (never VALID, never a crash), with a problem at or after the first changed seq', async () => {
    const column = fc.constantFrom('ts', 'actor', 'action', 'resource_type', 'resource_id', 'outcome', 'details', 'prev_hash', 'hash');
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('change' as const), seq: fc.integer({ min: 1, max: total }), column, value: fc.string({ minLength: 1, maxLength: 12 }) }),
      fc.record({ kind: fc.constant('delete' as const), seq: fc.integer({ min: 1, max: total }), count: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('swap' as const), seq: fc.integer({ min: 1, max: total - 1 }), other: fc.integer({ min: 1, max: total }) }),
      fc.record({ kind: fc.constant('insert' as const), seq: fc.integer({ min: 2, max: total }) }),
    );
    await fc.assert(
      fc.asyncProperty(edit, async (e) => {
        let first = e.seq;
        const dir = tampered((db) => {
          if (e.kind === 'change') {
            const value = e.column === 'details' ? JSON.stringify({ forged: e.value }) : e.value;
            db.prepare(`UPDATE events SET ${e.column} = ? WHERE seq = ?`).run(value, e.seq);
          } else if (e.kind === 'delete') {
            db.prepare('DELETE FROM events WHERE seq >= ? AND seq < ?').run(e.seq, e.seq + e.count);
          } else if (e.kind === 'swap') {
            const other = e.other === e.seq ? e.seq + 1 : e.other;
            first = Math.min(e.seq, other);
            const a = rowAt(db, e.seq);
            const b = rowAt(db, other);
            writeRow(db, e.seq, b);
            writeRow(db, other, a);
          } else {
            renumber(db, e.seq, +1);
            insertRow(db, e.seq, forgedEvent(db, e.seq));
          }
        });
        const report = await verifyDir(dir);
        rmSync(dir, { recursive: true, force: true });
        // A change to a value that was already there (e.g. the same outcome) is no tampering.
        if (report.valid) {
          expect(e.kind).toBe('change');
          return;
        }
        expect(report.problems.length).toBeGreaterThan(0);
        const seqs = report.problems.map((p) => p.seq ?? 0);
        expect(Math.min(...seqs)).toBeGreaterThanOrEqual(first);
        expect(seqs).toContain(first);
      }),
      { numRuns: 40 },
    );
  });

  it('the compiled verifier (dist, as the CLI and the app run it) hashes in worker threads and reports the same', async () => {
    const compiled = (await import(pathToFileURL(resolve('dist/electron/core/ledger/verify.js')).href)) as { verifyWorkspaceDb: typeof verifyWorkspaceDb };
    for (const dir of [tampered(), tampered((db) => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = ?").run(K))]) {
      const db = openRaw(dir, key, { readonly: true });
      try {
        const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
        const publicKey = createPublicKey(createPrivateKey({ key: Buffer.from(meta.get('signing_key_pkcs8')!, 'base64'), format: 'der', type: 'pkcs8' }));
        const ws = { id: meta.get('workspace_id')!, publicKey };
        const report = await verifyWorkspaceDb(db, dir, ws);
        expect(await compiled.verifyWorkspaceDb(db, dir, ws, { batch: 32, threads: 2 })).toEqual(report);
      } finally {
        db.close();
      }
    }
  });

  it('`custos verify` prints one line per problem with seq and kind, then the summary', () => {
    const dir = tampered((db) => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = ?").run(K));
    const r = spawnSync(process.execPath, [CLI, 'verify', dir], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\s*${K}\\s+hash-mismatch\\s+Event ${K} does not match its hash`));
    expect(lines.at(-1)).toMatch(/^INVALID: \d+ problems in \d+ events and \d+ checkpoints\.$/);
    expect(r.stdout).toMatch(/^events checked: \d+$/m);
  });
});
