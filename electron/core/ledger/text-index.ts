import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Workspace } from '../workspace.js';

// The ledger's free-text index (migration 019): derived from `events`, never evidence. It is caught
// up in short batches outside any append transaction (after appends and at unlock), can be rebuilt
// from nothing, and verification never reads it. The search reads it only for seq ≤ indexed_through
// and scans the rest of the ledger (the tail the indexer has not reached yet) with LIKE.

/** Events indexed per transaction when catching up in one go (CLI, bench). */
export const INDEX_BATCH = 10_000;
/**
 * Events per step of the background catch-up: about 100 ms of work on a loaded 2-core machine
 * (~25k events/s), so a request waits at most that long behind a step.
 */
export const BACKGROUND_BATCH = 2_500;

/**
 * The search text of an event as the index stores it: the columns the LIKE search matches, with
 * ASCII letters lower-cased by SQLite's lower() (which, without ICU, folds ASCII only, as LIKE does),
 * so the case-sensitive trigram index matches exactly what LIKE matches.
 */
const INSERT_BATCH = `INSERT INTO ledger_text (rowid, actor_text, action_text, resource_id_text, details_text)
  SELECT seq, lower(actor), lower(action), lower(resource_id), lower(details) FROM events WHERE seq > ? AND seq <= ? ORDER BY seq`;

/** How far the index reaches: every event with seq ≤ this is indexed. */
export function indexedThrough(db: Db): number {
  const row = prepared<[], { n: number }>(db, 'SELECT indexed_through AS n FROM ledger_text_cursor WHERE id = 1').get();
  return row?.n ?? 0;
}

/**
 * Indexes the next events after the cursor, at most `batch`, in one short transaction of its own
 * (never inside another one: the index is not part of any change it describes). Returns the new
 * cursor and whether events remain.
 */
export function indexStep(db: Db, size: number, batch = INDEX_BATCH): { through: number; more: boolean } {
  if (db.inTransaction) throw new Error('The text index is caught up outside other transactions.');
  return db.transaction(() => {
    const from = indexedThrough(db);
    // A cursor past the ledger's end (a database restored from an older copy) starts over.
    if (from > size) {
      clearIndex(db);
      return { through: 0, more: size > 0 };
    }
    const to = Math.min(size, from + batch);
    if (to > from) {
      prepared<[number, number]>(db, INSERT_BATCH).run(from, to);
      prepared<[number]>(db, 'UPDATE ledger_text_cursor SET indexed_through = ? WHERE id = 1').run(to);
    }
    return { through: to, more: to < size };
  })();
}

function clearIndex(db: Db): void {
  prepared(db, "INSERT INTO ledger_text (ledger_text) VALUES ('delete-all')").run();
  prepared(db, 'UPDATE ledger_text_cursor SET indexed_through = 0 WHERE id = 1').run();
}

/** Empties the index; the next catch-up rebuilds it from the ledger. */
export function resetTextIndex(db: Db): void {
  db.transaction(() => clearIndex(db))();
}

/** Brings the index up to `size` in one go (CLI, tests, bench); returns the events indexed. */
export function catchUpTextIndex(db: Db, size: number, batch = INDEX_BATCH): number {
  const start = indexedThrough(db);
  let step = indexStep(db, size, batch);
  while (step.more) step = indexStep(db, size, batch);
  return Math.max(0, step.through - start);
}

/**
 * Removes the indexed text of events seq ≤ `through` (for pruning, whose events keep no body):
 * call it in the transaction that blanks them. The search re-checks every hit against `events`, so
 * a pruned body is never found even before this runs.
 */
export function forgetIndexedText(db: Db, through: number): void {
  const gone = prepared<[number]>(db, 'DELETE FROM ledger_text WHERE rowid <= ?').run(Math.min(through, indexedThrough(db))).changes;
  // Deleted rows' terms stay in the index's segments until they are merged: merge now, so nothing of
  // a pruned event's text is left in the file.
  if (gone > 0) prepared<[]>(db, "INSERT INTO ledger_text(ledger_text) VALUES ('optimize')").run();
}

/**
 * Keeps the index caught up while the workspace is open: a step soon after appends and one at once
 * (the catch-up at unlock), each step its own short transaction, the next one after the event loop
 * has had a turn. Returns the function that stops it.
 */
export function watchTextIndex(ws: Workspace, batch = BACKGROUND_BATCH): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const run = () => {
    timer = null;
    if (stopped || !ws.isOpen) return;
    // Someone's transaction is open (an async job between awaits): try again shortly.
    if (ws.db.inTransaction) return schedule(50);
    try {
      if (indexStep(ws.db, ws.ledger.head().size, batch).more) schedule(0);
    } catch {
      // The index is derived and optional: a failed step leaves the cursor where it was (the search
      // scans the rest), and the next append tries again.
    }
  };
  const schedule = (wait: number) => {
    if (timer || stopped) return;
    timer = setTimeout(run, wait);
    timer.unref();
  };
  const unsubscribe = ws.ledger.onAppend(() => schedule(100));
  schedule(0);
  return () => {
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
