import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import canonicalizeImport from 'canonicalize';
import { MerkleAppender } from '../../../electron/core/ledger/merkle.js';

// What an attacker with the raw database key can do: open custos.db directly (SQLCipher 4),
// drop the append-only triggers and rewrite rows. Deliberately independent of the core's own
// open/append code, so the tests do not trust what they test.

type Canonicalize = (input: unknown) => string | undefined;
const canonicalize: Canonicalize =
  typeof canonicalizeImport === 'function' ? canonicalizeImport : (canonicalizeImport as { default: Canonicalize }).default;

export type RawDb = Database.Database;

export interface RawEventRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
  leaf_hash: Buffer;
}

export const EVENT_COLUMNS = ['ts', 'actor', 'action', 'resource_type', 'resource_id', 'outcome', 'details', 'prev_hash', 'hash', 'leaf_hash'] as const;

/** Opens a workspace database with its raw key, as SQLCipher-4 tools do. */
export function openRaw(dir: string, key: Buffer, opts: { readonly?: boolean } = {}): RawDb {
  const db = new Database(join(dir, 'custos.db'), { fileMustExist: true, readonly: opts.readonly === true });
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${key.toString('hex')}'"`);
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  return db;
}

/** Drops every trigger (the append-only guards of events and checkpoints). */
export function dropTriggers(db: RawDb): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name);
  for (const n of names) db.exec(`DROP TRIGGER "${n}"`);
  return names;
}

/**
 * Opens the file with the raw key, drops the triggers, runs `fn` in one transaction, and closes
 * (checkpointing the WAL so the change is in custos.db itself). The workspace must be locked.
 */
export function tamper(dir: string, key: Buffer, fn: (db: RawDb) => void): void {
  const db = openRaw(dir, key);
  try {
    dropTriggers(db);
    db.transaction(() => fn(db))();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** Every event row, in seq order. */
export function rawEvents(db: RawDb): RawEventRow[] {
  return db.prepare('SELECT * FROM events ORDER BY seq').all() as RawEventRow[];
}

/** C(e) of DESIGN §4 computed with the `canonicalize` package from a row. */
export function canonicalOfRow(row: Omit<RawEventRow, 'hash' | 'leaf_hash'>): Buffer {
  const text = canonicalize({
    seq: row.seq,
    ts: row.ts,
    actor: row.actor,
    action: row.action,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    outcome: row.outcome,
    details: JSON.parse(row.details) as unknown,
    prev_hash: row.prev_hash,
  });
  if (text === undefined) throw new Error('event cannot be canonicalized');
  return Buffer.from(text, 'utf8');
}

export function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** RFC 6962 leaf hash SHA-256(0x00 || C(e)). */
export function rfc6962Leaf(bytes: Buffer): Buffer {
  return sha256(Buffer.concat([Buffer.of(0), bytes]));
}

/** Rewrites one event row completely (every column but seq) with the given values. */
export function writeRow(db: RawDb, seq: number, row: Omit<RawEventRow, 'seq'>): void {
  db.prepare(
    `UPDATE events SET ts = ?, actor = ?, action = ?, resource_type = ?, resource_id = ?, outcome = ?, details = ?, prev_hash = ?, hash = ?, leaf_hash = ? WHERE seq = ?`,
  ).run(row.ts, row.actor, row.action, row.resource_type, row.resource_id, row.outcome, row.details, row.prev_hash, row.hash, row.leaf_hash, seq);
}

/**
 * A forger's re-hash: from `fromSeq` on, recomputes prev_hash, hash and leaf_hash of every event
 * so the chain is internally consistent again, then rebuilds merkle_nodes for the new leaves.
 */
export function rehashFrom(db: RawDb, fromSeq: number): void {
  const rows = rawEvents(db);
  let prev = fromSeq === 1 ? '0'.repeat(64) : rows.find((r) => r.seq === fromSeq - 1)!.hash;
  for (const r of rows) {
    if (r.seq < fromSeq) continue;
    const fixed = { ...r, prev_hash: prev };
    const bytes = canonicalOfRow(fixed);
    fixed.hash = sha256(bytes).toString('hex');
    fixed.leaf_hash = rfc6962Leaf(bytes);
    writeRow(db, r.seq, fixed);
    prev = fixed.hash;
  }
  rebuildMerkleNodes(db);
}

/** Recomputes the stored Merkle subtrees from the stored leaves (what a careful forger does). */
export function rebuildMerkleNodes(db: RawDb): void {
  db.exec('DELETE FROM merkle_nodes');
  const insert = db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)');
  const appender = new MerkleAppender();
  for (const r of rawEvents(db)) {
    for (const n of appender.append(r.leaf_hash)) insert.run(n.level, n.index, n.hash);
  }
}
