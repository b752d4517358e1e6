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

/*
 * A bundle cut at event `through` (a hold's snapshot) carries what the ledger had recorded by then:
 * an item is in when the event that recorded it has a seq up to `through`. Only when no event of it
 * has a body left (pruned, or written before the ledger recorded such things) does its own time
 * decide, against the time of event `through`.
 */
const TIME_OF_THROUGH = '(SELECT ts FROM events WHERE seq = @through)';

/** Disclosure ids in the order they were made, of one case or of the whole workspace; with `through`, those recorded by that event. */
export function disclosureIds(db: Db, caseId: string | null, through: number | null = null): string[] {
  if (through === null) {
    return prepared<[{ caseId: string | null }], { id: string }>(db, 'SELECT id FROM disclosures WHERE @caseId IS NULL OR case_id = @caseId ORDER BY disclosed_at, id')
      .all({ caseId })
      .map((r) => r.id);
  }
  // Recorded by disclosures.record, or by the subpoena production that made it.
  return prepared<[{ caseId: string | null; through: number }], { id: string }>(
    db,
    `WITH recorded AS (
       SELECT d.id, d.disclosed_at, d.recorded_at, coalesce(
         (SELECT min(e.seq) FROM events e WHERE e.resource_type = 'disclosure' AND e.resource_id = d.id AND e.action = 'disclosures.record'),
         (SELECT min(e.seq) FROM events e WHERE e.action = 'subpoenas.produce' AND json_extract(e.details, '$.disclosure_id') = d.id)) AS seq
       FROM disclosures d WHERE @caseId IS NULL OR d.case_id = @caseId)
     SELECT id FROM recorded
     WHERE (seq IS NOT NULL AND seq <= @through) OR (seq IS NULL AND recorded_at <= ${TIME_OF_THROUGH})
     ORDER BY disclosed_at, id`,
  )
    .all({ caseId, through })
    .map((r) => r.id);
}

/**
 * The evidence ids linked to a case, in id order; with `through`, those whose link the ledger recorded
 * by that event: its latest cases.link for the item (one unlinked and linked again later is out).
 * The case's link events are read once, through the index on the case's events.
 */
export function caseEvidenceIds(db: Db, caseId: string, through: number | null = null): string[] {
  if (through === null) {
    return prepared<[string], { item_id: string }>(db, "SELECT item_id FROM case_links WHERE case_id = ? AND item_type = 'evidence' ORDER BY item_id")
      .all(caseId)
      .map((r) => r.item_id);
  }
  return prepared<[{ caseId: string; through: number }], { item_id: string }>(
    db,
    `WITH links AS (
       SELECT json_extract(e.details, '$.item_id') AS item_id, max(e.seq) AS seq
       FROM events e INDEXED BY events_resource
       WHERE e.resource_type = 'case' AND e.resource_id = @caseId AND e.action = 'cases.link' AND json_extract(e.details, '$.item_type') = 'evidence'
       GROUP BY 1)
     SELECT l.item_id FROM case_links l LEFT JOIN links k ON k.item_id = l.item_id
     WHERE l.case_id = @caseId AND l.item_type = 'evidence'
       AND ((k.seq IS NOT NULL AND k.seq <= @through) OR (k.seq IS NULL AND l.linked_at <= ${TIME_OF_THROUGH}))
     ORDER BY l.item_id`,
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
