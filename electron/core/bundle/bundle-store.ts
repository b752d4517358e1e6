import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

// Every SQL statement of bundle making (db/statements.ts: prepared once per connection), named
// after what it returns.

export interface BundleEventRow {
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

const EVENT_COLUMNS = 'seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash';

/**
 * The events of a selection (`cond` is SQL the bundle's filter built from whitelisted fragments,
 * ending in AND, with its parameters), a page after `afterSeq` up to the tree head.
 */
export function selectedEventsPage(db: Db, cond: string, params: readonly unknown[], afterSeq: number, upToSeq: number, limit: number): BundleEventRow[] {
  return prepared<unknown[], BundleEventRow>(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE ${cond}seq > ? AND seq <= ? ORDER BY seq LIMIT ?`).all(...params, afterSeq, upToSeq, limit);
}

/** The seq of the latest successful ledger.prune event (the one that made the current pruned prefix), or undefined. */
export function latestPruneEventSeq(db: Db): number | undefined {
  return prepared<[], { n: number | null }>(db, "SELECT max(seq) AS n FROM events WHERE action = 'ledger.prune' AND outcome = 'success'").get()?.n ?? undefined;
}

/** How many events the selection holds; `+seq` lets the count scan the smallest covering index, not every table page. */
export function selectedEventCount(db: Db, cond: string, params: readonly unknown[], upToSeq: number): number {
  return prepared<unknown[], { n: number }>(db, `SELECT count(*) AS n FROM events WHERE ${cond}+seq <= ?`).get(...params, upToSeq)?.n ?? 0;
}

/** The first checkpoint signed for a bundle at each earlier tree size, by this key: the heads earlier bundles carried. */
export function earlierBundleHeads(db: Db, keyId: string, belowSize: number): { size: number; root: string; ts: string; signature: string }[] {
  return prepared<[string, number], { size: number; root: string; ts: string; signature: string }>(
    db,
    `SELECT size, root, ts, signature FROM checkpoints
     WHERE id IN (SELECT min(id) FROM checkpoints WHERE reason = 'bundle' AND key_id = ? AND size > 0 AND size < ? GROUP BY size)
     ORDER BY size`,
  ).all(keyId, belowSize);
}

/** Disclosure ids in the order they were made, of one case or of the whole workspace. */
export function disclosureIds(db: Db, caseId: string | null, recordedBy: string | null = null): string[] {
  const rows = caseId
    ? prepared<[string, string | null, string | null], { id: string }>(db, 'SELECT id FROM disclosures WHERE case_id = ? AND (? IS NULL OR recorded_at <= ?) ORDER BY disclosed_at, id').all(caseId, recordedBy, recordedBy)
    : prepared<[string | null, string | null], { id: string }>(db, 'SELECT id FROM disclosures WHERE (? IS NULL OR recorded_at <= ?) ORDER BY disclosed_at, id').all(recordedBy, recordedBy);
  return rows.map((r) => r.id);
}

/** The evidence ids linked to a case (by the time `linkedBy`, when given), in id order. */
export function caseEvidenceIds(db: Db, caseId: string, linkedBy: string | null = null): string[] {
  return prepared<[string, string | null, string | null], { item_id: string }>(
    db,
    "SELECT item_id FROM case_links WHERE case_id = ? AND item_type = 'evidence' AND (? IS NULL OR linked_at <= ?) ORDER BY item_id",
  )
    .all(caseId, linkedBy, linkedBy)
    .map((r) => r.item_id);
}

/** The last event recorded at or before `ts` (0 when none): where a bundle cut at a time ends in the ledger. */
export function lastSeqAtOrBefore(db: Db, ts: string): number {
  return prepared<[string], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM events WHERE ts <= ?').get(ts)?.seq ?? 0;
}

/** The signature of the checkpoint signed at a prune point (migration 017), by its size, root and time. */
export function pruneCheckpointSignature(db: Db, size: number, root: string, ts: string): string | undefined {
  return prepared<[number, string, string], { signature: string }>(db, 'SELECT signature FROM checkpoints WHERE size = ? AND root = ? AND ts = ? ORDER BY id LIMIT 1').get(size, root, ts)
    ?.signature;
}

/** The chain hash of one event. */
export function eventHashAt(db: Db, seq: number): string | undefined {
  return prepared<[number], { hash: string }>(db, 'SELECT hash FROM events WHERE seq = ?').get(seq)?.hash;
}
