import type { Db } from '../db/open.js';
import type { EventRow } from '../ledger/ledger.js';
import { prepared } from '../db/statements.js';

// The SQL of audit-log retention (migration 017): the administrator's period, the prune points,
// and the one update the events table admits (blanking bodies at or below a recorded prune point).

/** An administrator's change of the audit-log period (no row: the shipped default). */
export interface AuditLogPolicyRow {
  period_value: number | null;
  period_unit: 'days' | 'weeks' | 'months' | 'years' | null;
  updated_at: string;
  updated_by: string;
}

/** One prune point as stored. */
export interface PruneRow {
  from_seq: number;
  through_seq: number;
  pruned_at: string;
  actor: string;
  policy: string;
  cutoff: string;
  checkpoint_root: string;
  checkpoint_ts: string;
}

/** The administrator's audit-log period, if they changed the default. */
export function auditLogPolicyRow(db: Db): AuditLogPolicyRow | undefined {
  return prepared<[], AuditLogPolicyRow>(db, 'SELECT period_value, period_unit, updated_at, updated_by FROM ledger_retention WHERE id = 1').get();
}

/** Stores the administrator's audit-log period (replacing an earlier change). */
export function upsertAuditLogPolicy(db: Db, r: AuditLogPolicyRow): void {
  prepared<[AuditLogPolicyRow]>(
    db,
    `INSERT INTO ledger_retention (id, period_value, period_unit, updated_at, updated_by) VALUES (1, @period_value, @period_unit, @updated_at, @updated_by)
     ON CONFLICT (id) DO UPDATE SET period_value = excluded.period_value, period_unit = excluded.period_unit, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(r);
}

/** A request to shorten the audit-log period (migration 021). */
export interface AuditLogRequestRow {
  id: number;
  period_value: number;
  period_unit: NonNullable<AuditLogPolicyRow['period_unit']>;
  requested_at: string;
  requested_by: string;
}

/** The request waiting for a second person, if any. */
export function pendingAuditLogRequest(db: Db): AuditLogRequestRow | undefined {
  return prepared<[], AuditLogRequestRow>(
    db,
    "SELECT id, period_value, period_unit, requested_at, requested_by FROM ledger_retention_requests WHERE status = 'pending'",
  ).get();
}

export function insertAuditLogRequest(db: Db, r: Omit<AuditLogRequestRow, 'id'>): number {
  const info = prepared<[Omit<AuditLogRequestRow, 'id'>]>(
    db,
    `INSERT INTO ledger_retention_requests (period_value, period_unit, requested_at, requested_by, status)
     VALUES (@period_value, @period_unit, @requested_at, @requested_by, 'pending')`,
  ).run(r);
  return Number(info.lastInsertRowid);
}

/** True when `username`'s role was changed (users.update) after `since`. */
export function roleChangedSince(db: Db, username: string, since: string): boolean {
  return (
    prepared<[string, string], { n: number }>(
      db,
      "SELECT count(*) AS n FROM events WHERE action = 'users.update' AND resource_type = 'user' AND resource_id = ? AND ts > ? AND json_extract(details, '$.changes.role') IS NOT NULL",
    ).get(username, since)!.n > 0
  );
}

/** Decides (or withdraws) the pending request. */
export function decideAuditLogRequest(db: Db, id: number, status: 'approved' | 'rejected' | 'withdrawn', at: string, by: string): void {
  prepared<[string, string, string, number]>(db, "UPDATE ledger_retention_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'").run(status, at, by, id);
}

/** The last seq whose event is older than `cutoff` (ts is non-decreasing, so these events are a prefix); 0 when none. */
export function lastSeqBefore(db: Db, cutoff: string): number {
  return prepared<[string], { n: number | null }>(db, 'SELECT max(seq) AS n FROM events WHERE ts < ?').get(cutoff)?.n ?? 0;
}

/** The ts of an event (for the range a prune reports). */
export function eventTs(db: Db, seq: number): string | undefined {
  return prepared<[number], { ts: string }>(db, 'SELECT ts FROM events WHERE seq = ?').get(seq)?.ts;
}

/** Records a prune point; the table's trigger refuses one without a stored checkpoint of its size. */
export function insertPrune(db: Db, r: PruneRow): void {
  prepared<[PruneRow]>(
    db,
    `INSERT INTO ledger_prunes (from_seq, through_seq, pruned_at, actor, policy, cutoff, checkpoint_root, checkpoint_ts)
     VALUES (@from_seq, @through_seq, @pruned_at, @actor, @policy, @cutoff, @checkpoint_root, @checkpoint_ts)`,
  ).run(r);
}

/** Blanks the bodies of events from..through (the hashes, seq and ts stay); returns how many rows changed. */
export function blankEventBodies(db: Db, from: number, through: number): number {
  return prepared<[number, number]>(
    db,
    "UPDATE events SET actor = '', action = '', resource_type = '', resource_id = '', outcome = '', details = '{}' WHERE seq BETWEEN ? AND ?",
  ).run(from, through).changes;
}

/** The ids of the legal holds in force (a hold suspends audit-log pruning). */
export function activeHoldIds(db: Db): string[] {
  return prepared<[], { id: string }>(db, "SELECT id FROM legal_holds WHERE status = 'active' ORDER BY id").all().map((r) => r.id);
}

/** Page counts of the database file (to report the space a prune reclaimed). */
export function pageStats(db: Db): { pages: number; free: number; pageSize: number } {
  return {
    pages: db.pragma('page_count', { simple: true }) as number,
    free: db.pragma('freelist_count', { simple: true }) as number,
    pageSize: db.pragma('page_size', { simple: true }) as number,
  };
}

/** Rewrites the database without its free space (SQLCipher encrypts the rebuilt pages like any others; temp_store is memory). */
export function vacuum(db: Db): void {
  db.exec('VACUUM');
}

/** A stored event as pruning checks it before blanking: its body, links and hashes. */
export type StoredEventRow = EventRow & { leaf_hash: Buffer };

/** Events `from`..`through` (inclusive), in seq order. */
export function eventRowsBetween(db: Db, from: number, through: number): StoredEventRow[] {
  return prepared<[number, number], StoredEventRow>(db, 'SELECT * FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq').all(from, through);
}

/** The hash of event `seq`, or undefined. */
export function eventHashAt(db: Db, seq: number): string | undefined {
  return prepared<[number], { hash: string }>(db, 'SELECT hash FROM events WHERE seq = ?').get(seq)?.hash;
}

/** The latest stored signed head of at most `size` events. */
export function latestCheckpointUpTo(db: Db, size: number): { size: number; root: string } | undefined {
  return prepared<[number], { size: number; root: string }>(db, 'SELECT size, root FROM checkpoints WHERE size <= ? ORDER BY size DESC, id DESC LIMIT 1').get(size);
}
