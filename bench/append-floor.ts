/**
 * `npm run bench -- --append-floor [--events N] [--json]`: how close any ledger design can come to
 * the append target (append ≥ 0.8 × an encrypted insert of the same rows), measured in one run on
 * the same rows, each variant twice, interleaved:
 *
 *   encrypted        the baseline of `npm run bench`: the events table, hex placeholders for the hashes
 *   ledger           Ledger.append as the product runs it (checks, hashes, Merkle nodes)
 *   floor-hex        only the work no ledger can skip: C(e), its chain and leaf hash, the Merkle edge and
 *                    its stored nodes, the row with its hashes; no checks
 *   floor-blob       the same with the hashes stored as 32-byte BLOBs and no prev_hash column
 *   floor-hash-only  the same storing only the chain hash as a BLOB (leaves recomputed when needed)
 *
 * A floor's ratio is the best a ledger with this hash definition, one row per INSERT, can reach.
 */
import { hash as oneShotHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEncryptedDb, type Db } from '../electron/core/db/open.js';
import { ZERO_HASH } from '../shared/ledger-types.js';
import { canonicalDetails, leafInputBytes } from '../electron/core/ledger/event-bytes.js';
import { MerkleAppender } from '../electron/core/ledger/merkle.js';
import { Workspace } from '../electron/core/workspace.js';
import type { AppendInput } from '../electron/core/ledger/ledger.js';

const BATCH = 10_000;
const INDEXES = `
  CREATE INDEX events_ts ON events (ts);
  CREATE INDEX events_actor ON events (actor, seq);
  CREATE INDEX events_action ON events (action, seq);
  CREATE INDEX events_resource ON events (resource_type, resource_id, seq);
  CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;`;
const COLUMNS = 'seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL, outcome TEXT NOT NULL, details TEXT NOT NULL';

type Store = 'hex' | 'blob' | 'hash-only';
const HASH_COLUMNS: Record<Store, string> = {
  hex: 'prev_hash TEXT NOT NULL, hash TEXT NOT NULL, leaf_hash BLOB NOT NULL',
  blob: 'hash BLOB NOT NULL, leaf_hash BLOB NOT NULL',
  'hash-only': 'hash BLOB NOT NULL',
};

function table(dir: string, name: string, store: Store): Db {
  const db = openEncryptedDb(join(dir, `${name}.db`), randomBytes(32), { create: true });
  db.exec(`CREATE TABLE events (${COLUMNS}, ${HASH_COLUMNS[store]}); ${INDEXES}`);
  return db;
}

function timed(rows: readonly AppendInput[], t0: number, db: Db, append: (r: AppendInput, now: Date) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += BATCH) {
    db.transaction(() => {
      for (let j = i; j < Math.min(i + BATCH, rows.length); j++) append(rows[j]!, new Date(t0 + j));
    })();
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const PLACEHOLDER_HASH = '0'.repeat(64);
const PLACEHOLDER_LEAF = Buffer.alloc(32);

function encrypted(dir: string, name: string, rows: readonly AppendInput[], t0: number): number {
  const db = table(dir, name, 'hex');
  const stmt = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let seq = 0;
  try {
    return timed(rows, t0, db, (r, now) => {
      stmt.run(++seq, now.toISOString(), r.actor, r.action, r.resource_type, r.resource_id, r.outcome ?? 'success', JSON.stringify(r.details), PLACEHOLDER_HASH, PLACEHOLDER_HASH, PLACEHOLDER_LEAF);
    });
  } finally {
    db.close();
  }
}

function floor(dir: string, name: string, store: Store, rows: readonly AppendInput[], t0: number): number {
  const db = table(dir, name, store);
  const values = { hex: 11, blob: 10, 'hash-only': 9 }[store];
  const stmt = db.prepare(`INSERT INTO events VALUES (${Array(values).fill('?').join(', ')})`);
  const node = db.prepare('INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)');
  const appender = new MerkleAppender();
  let seq = 0;
  let last = ZERO_HASH;
  try {
    return timed(rows, t0, db, (r, now) => {
      const p = { seq: ++seq, ts: now.toISOString(), actor: r.actor, action: r.action, resource_type: r.resource_type, resource_id: r.resource_id, outcome: r.outcome ?? 'success', details: canonicalDetails(r.details ?? {}), prev_hash: last };
      const input = leafInputBytes(p);
      const chain = oneShotHash('sha256', input.subarray(1), 'buffer');
      const leaf = oneShotHash('sha256', input, 'buffer');
      const head = [p.seq, p.ts, p.actor, p.action, p.resource_type, p.resource_id, p.outcome, p.details];
      last = chain.toString('hex');
      if (store === 'hex') stmt.run(...head, p.prev_hash, last, leaf);
      else if (store === 'blob') stmt.run(...head, chain, leaf);
      else stmt.run(...head, chain);
      for (const n of appender.append(leaf)) node.run(n.level, n.index, n.hash);
    });
  } finally {
    db.close();
  }
}

function ledger(dir: string, name: string, rows: readonly AppendInput[], t0: number): number {
  const { ws } = Workspace.create(join(dir, name), { workspaceName: 'bench', username: 'admin', displayName: 'Bench', passphrase: 'bench-passphrase-123' });
  try {
    const start = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += BATCH) {
      ws.tx(() => {
        for (let j = i; j < Math.min(i + BATCH, rows.length); j++) ws.ledger.append(rows[j]!, new Date(t0 + j));
      });
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    ws.close();
  }
}

/** Runs every variant twice, interleaved; returns the best time of each and its ratio to the baseline. */
export function runAppendFloor(rows: readonly AppendInput[], log: (line: string) => void): Record<string, unknown> {
  process.env.CUSTOS_SCRYPT_N ??= '16384';
  const dir = mkdtempSync(join(tmpdir(), 'custos-append-floor-'));
  const t0 = Date.now() - rows.length;
  const best: Record<string, number> = {};
  const keep = (name: string, s: number) => {
    best[name] = Math.min(best[name] ?? Infinity, s);
    log(`  ${name.padEnd(16)} ${((s / rows.length) * 1e6).toFixed(2)} µs/event`);
  };
  try {
    for (let round = 0; round < 2; round++) {
      keep('encrypted', encrypted(dir, `enc-${round}`, rows, t0));
      keep('ledger', ledger(dir, `ledger-${round}`, rows, t0));
      keep('floor-hex', floor(dir, `hex-${round}`, 'hex', rows, t0));
      keep('floor-blob', floor(dir, `blob-${round}`, 'blob', rows, t0));
      keep('floor-hash-only', floor(dir, `hash-only-${round}`, 'hash-only', rows, t0));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const enc = best.encrypted!;
  const result: Record<string, unknown> = { events: rows.length };
  for (const [name, s] of Object.entries(best)) {
    result[`${name.replace(/-/g, '_')}_us_per_event`] = Number(((s / rows.length) * 1e6).toFixed(2));
    if (name !== 'encrypted') result[`ratio_${name.replace(/-/g, '_')}_vs_encrypted`] = Number((enc / s).toFixed(3));
  }
  log(
    `ratios to the encrypted insert (best of two): ${Object.keys(best)
      .filter((n) => n !== 'encrypted')
      .map((n) => `${n} ${(enc / best[n]!).toFixed(2)}`)
      .join(', ')} (target ≥ 0.8)`,
  );
  return result;
}
