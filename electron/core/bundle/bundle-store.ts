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

/**
 * Whether the ledger recorded something by event `@through`: its event among those up to there; or,
 * when no event of it has a body left (pruned, or written before the ledger named it), its own time
 * against the time of event `@through`. `@through` NULL: no cut.
 */
const RECORDED_BY = (event: string, fallbackTime: string) => `(@through IS NULL
  OR EXISTS (SELECT 1 FROM events e WHERE ${event} AND e.seq <= @through)
  OR (NOT EXISTS (SELECT 1 FROM events e WHERE ${event}) AND ${fallbackTime} <= (SELECT ts FROM events WHERE seq = @through)))`;

/** Disclosure ids in the order they were made, of one case or of the whole workspace, recorded by event `through` when given. */
export function disclosureIds(db: Db, caseId: string | null, through: number | null = null): string[] {
  const recorded = RECORDED_BY("e.resource_type = 'disclosure' AND e.resource_id = d.id AND e.action = 'disclosures.record'", 'd.recorded_at');
  return prepared<[{ caseId: string | null; through: number | null }], { id: string }>(
    db,
    `SELECT d.id FROM disclosures d WHERE (@caseId IS NULL OR d.case_id = @caseId) AND ${recorded} ORDER BY d.disclosed_at, d.id`,
  )
    .all({ caseId, through })
    .map((r) => r.id);
}

/** The evidence ids linked to a case, in id order; with `through`, those whose link the ledger recorded by that event. */
export function caseEvidenceIds(db: Db, caseId: string, through: number | null = null): string[] {
  const linked = RECORDED_BY(
    "e.resource_type = 'case' AND e.resource_id = l.case_id AND e.action = 'cases.link' AND json_extract(e.details, '$.item_type') = 'evidence' AND json_extract(e.details, '$.item_id') = l.item_id",
    'l.linked_at',
  );
  return prepared<[{ caseId: string; through: number | null }], { item_id: string }>(
    db,
    `SELECT l.item_id FROM case_links l WHERE l.case_id = @caseId AND l.item_type = 'evidence' AND ${linked} ORDER BY l.item_id`,
  )
    .all({ caseId, through })
    .map((r) => r.item_id);
}

/** The last event recorded at or before `ts` (0 when none): where a bundle cut at a time ends in the ledger. */
export function lastSeqAtOrBefore(db: Db, ts: string): number {
  return prepared<[string], { seq: number }>(db, 'SELECT seq FROM events WHERE ts <= ? ORDER BY ts DESC, seq DESC LIMIT 1').get(ts)?.seq ?? 0;
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
