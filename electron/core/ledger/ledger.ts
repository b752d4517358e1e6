import { hash as oneShotHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { LedgerEvent, Outcome } from '../../../shared/ledger-types.js';
import { ZERO_HASH } from '../../../shared/ledger-types.js';
import { now as clockNow } from '../clock.js';
import type { Db } from '../db/open.js';
import { CustosError, isCustosError } from '../errors.js';
import { canonicalDetails, leafInputBytes, storedColumnsRoundTrip, unstorableEventReason, type CanonicalParts } from './event-bytes.js';
import { MerkleAppender, prefixedLeafHash, type MerkleNodeSource } from './merkle.js';

/** What a caller says about an action; the ledger adds seq, ts and the hashes. */
export interface AppendInput {
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome?: Outcome;
  details?: Record<string, unknown>;
}

/** An event as the events table (and imported_events, which has the same columns) stores it. */
export interface EventRow {
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
}

/** Turns a stored row into the event as it is hashed. */
export function rowToEvent(row: EventRow): LedgerEvent {
  return {
    seq: row.seq,
    ts: row.ts,
    actor: row.actor,
    action: row.action,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    outcome: row.outcome as Outcome,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

/** Reads leaves and persisted subtree hashes straight from the database. */
export class DbNodeSource implements MerkleNodeSource {
  private readonly leafStmt: Statement<[number], { leaf_hash: Buffer }>;
  private readonly nodeStmt: Statement<[number, number], { hash: Buffer }>;
  constructor(db: Db) {
    this.leafStmt = db.prepare('SELECT leaf_hash FROM events WHERE seq = ?');
    this.nodeStmt = db.prepare('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?');
  }
  leaf(index: number): Buffer {
    const row = this.leafStmt.get(index + 1);
    if (!row) throw new CustosError('integrity', `Ledger event ${index + 1} is missing from the database.`);
    return row.leaf_hash;
  }
  stored(level: number, index: number): Buffer | undefined {
    return this.nodeStmt.get(level, index)?.hash;
  }
}

/**
 * The append-only ledger. `append` must run inside the transaction of the change it records;
 * the in-memory head is rolled back by `Workspace.tx` if that transaction fails.
 */
export class Ledger {
  private size = 0;
  private lastHash = ZERO_HASH;
  private lastTs = '';
  private readonly appender: MerkleAppender;
  readonly source: DbNodeSource;
  private readonly insertEvent: Statement;
  private readonly insertNode: Statement;
  private readonly listeners = new Set<(size: number) => void>();

  constructor(private readonly db: Db) {
    this.source = new DbNodeSource(db);
    const last = db
      .prepare('SELECT seq, ts, hash FROM events ORDER BY seq DESC LIMIT 1')
      .get() as { seq: number; ts: string; hash: string } | undefined;
    if (last) {
      this.size = last.seq;
      this.lastHash = last.hash;
      this.lastTs = last.ts;
    }
    this.appender = Ledger.openAppender(db, this.source, this.size);
    this.insertEvent = db.prepare(
      `INSERT INTO events (seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash, leaf_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertNode = db.prepare('INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)');
  }

  /**
   * The Merkle right edge at `size`. When an event was deleted behind the triggers' back the stored
   * tree cannot be rebuilt; the workspace must still open so verification can report the damage,
   * so the edge is then rebuilt from the leaves that remain.
   */
  private static openAppender(db: Db, source: DbNodeSource, size: number): MerkleAppender {
    try {
      return MerkleAppender.fromSource(source, size);
    } catch (err) {
      if (!isCustosError(err, 'integrity')) throw err;
      const appender = new MerkleAppender();
      for (const r of db.prepare('SELECT leaf_hash FROM events ORDER BY seq').iterate() as Iterable<{ leaf_hash: Buffer }>) appender.append(r.leaf_hash);
      return appender;
    }
  }

  /** Appends one event; call only inside a database transaction. */
  append(input: AppendInput, now: Date = clockNow()): LedgerEvent {
    if (!this.db.inTransaction) {
      throw new Error('Ledger.append must run inside the transaction of the change it records.');
    }
    // Keep ts non-decreasing even if the wall clock steps back.
    let ts = now.toISOString();
    if (ts < this.lastTs) ts = this.lastTs;
    const body = {
      seq: this.size + 1,
      ts,
      actor: input.actor,
      action: input.action,
      resource_type: input.resource_type,
      resource_id: input.resource_id,
      outcome: input.outcome ?? 'success',
      details: input.details ?? {},
      prev_hash: this.lastHash,
    };
    // The ledger must never store something other than what it hashed: refuse, record nothing.
    const unstorable = unstorableEventReason(body);
    if (unstorable) {
      throw new CustosError('integrity', `The ledger refused an event because ${unstorable}; it would be stored differently from how it is hashed. Nothing was recorded.`);
    }
    // The stored columns are exactly the parts the hashed bytes are made of.
    const stored: CanonicalParts = { ...body, details: canonicalDetails(body.details) };
    if (!storedColumnsRoundTrip(stored)) {
      throw new CustosError('integrity', 'The ledger refused an event whose stored columns would not read back as the bytes it hashed. Nothing was recorded.');
    }
    // 0x00 || C(e), encoded once: the chain hash is over C(e), the leaf hash over the whole.
    const leafInput = leafInputBytes(stored);
    const hash = oneShotHash('sha256', leafInput.subarray(1), 'hex');
    const leaf = prefixedLeafHash(leafInput);
    this.insertEvent.run(
      stored.seq,
      stored.ts,
      stored.actor,
      stored.action,
      stored.resource_type,
      stored.resource_id,
      stored.outcome,
      stored.details,
      stored.prev_hash,
      hash,
      leaf,
    );
    for (const node of this.appender.append(leaf)) this.insertNode.run(node.level, node.index, node.hash);
    this.size = body.seq;
    this.lastHash = hash;
    this.lastTs = ts;
    return { ...body, hash };
  }

  /** Number of events and hash of the last one. */
  head(): { size: number; lastHash: string } {
    return { size: this.size, lastHash: this.lastHash };
  }

  /** Current Merkle root (hex). */
  root(): string {
    return this.appender.root().toString('hex');
  }

  /** Captures the in-memory head so a failed transaction can restore it. */
  snapshot(): () => void {
    const { size, lastHash, lastTs } = this;
    const restoreAppender = this.appender.snapshot();
    return () => {
      this.size = size;
      this.lastHash = lastHash;
      this.lastTs = lastTs;
      restoreAppender();
    };
  }

  /** Tells listeners the ledger grew (called after commit). */
  notify(): void {
    for (const l of this.listeners) l(this.size);
  }

  /** Subscribes to growth; returns the unsubscribe function. */
  onAppend(listener: (size: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
