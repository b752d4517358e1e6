import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import type { Db } from '../db/open.js';
import { escapeLike, likePattern } from '../domain/like.js';
import { prepared } from '../db/statements.js';
import { rowToEvent, type EventRow } from './ledger.js';
import { prunedThrough } from './prune-point.js';

/** SQL condition and parameters for a ledger filter. */
export function filterSql(f: LedgerFilter, afterSeq = 0): { where: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (afterSeq > 0) {
    clauses.push('seq > ?');
    params.push(afterSeq);
  }
  if (f.from) {
    clauses.push('ts >= ?');
    params.push(f.from);
  }
  if (f.to) {
    clauses.push('ts <= ?');
    // A bare date as upper bound means "through the end of that day".
    params.push(/^\d{4}-\d{2}-\d{2}$/.test(f.to) ? `${f.to}T23:59:59.999Z` : f.to);
  }
  if (f.actor) {
    clauses.push('actor = ?');
    params.push(f.actor);
  }
  if (f.action) {
    if (f.action.endsWith('*')) {
      clauses.push('action LIKE ? ESCAPE \'\\\'');
      params.push(`${escapeLike(f.action.slice(0, -1))}%`);
    } else {
      clauses.push('action = ?');
      params.push(f.action);
    }
  }
  if (f.resourceType) {
    clauses.push('resource_type = ?');
    params.push(f.resourceType);
  }
  if (f.resourceId) {
    clauses.push('resource_id = ?');
    params.push(f.resourceId);
  }
  if (f.outcome) {
    clauses.push('outcome = ?');
    params.push(f.outcome);
  }
  if (f.text) {
    const like = likePattern(f.text);
    clauses.push("(actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\' OR resource_id LIKE ? ESCAPE '\\' OR details LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}


function isEmpty(f: LedgerFilter): boolean {
  return !f.from && !f.to && !f.actor && !f.action && !f.resourceType && !f.resourceId && !f.outcome && !f.text;
}

/**
 * A page of events, newest first. Unfiltered pages are addressed by seq arithmetic, so any offset is
 * instant. `within` narrows further by an SQL condition over `events` (a case's scope, cases/case-scope.ts).
 */
export function queryEvents(
  db: Db,
  f: LedgerFilter & { beforeSeq?: number; offset?: number; limit: number; withTotal?: boolean },
  size: number,
  within?: { sql: string; params: (string | number)[] },
): { events: LedgerEvent[]; total: number | null } {
  const limit = Math.min(f.limit, 500);
  // Pruned events (audit-log retention) are hashes only: they have no body to list.
  const pruned = prunedThrough(db);
  let rows: unknown[];
  if (isEmpty(f) && !within) {
    const top = Math.min(f.beforeSeq ? f.beforeSeq - 1 : size, size - (f.offset ?? 0));
    rows = db.prepare('SELECT * FROM events WHERE seq <= ? AND seq > ? ORDER BY seq DESC').all(top, Math.max(pruned, top - limit));
    return { events: rows.map((r) => rowToEvent(r as never)), total: f.withTotal ? size - pruned : null };
  }
  const filter = filterSql(f, pruned);
  const where = within ? `${filter.where ? `${filter.where} AND` : 'WHERE'} ${within.sql}` : filter.where;
  const params = within ? [...filter.params, ...within.params] : filter.params;
  const seqCond = f.beforeSeq ? `${where ? `${where} AND` : 'WHERE'} seq < ?` : where;
  const seqParams = f.beforeSeq ? [...params, f.beforeSeq] : params;
  rows = db
    .prepare(`SELECT * FROM events ${seqCond} ORDER BY seq DESC LIMIT ? OFFSET ?`)
    .all(...seqParams, limit, f.beforeSeq ? 0 : (f.offset ?? 0));
  const total = f.withTotal ? (db.prepare(`SELECT count(*) AS n FROM events ${where}`).get(...params) as { n: number }).n : null;
  return { events: rows.map((r) => rowToEvent(r as never)), total };
}

/** Streams events matching a filter in seq order, in chunks (for exports and bundles). */
export function* iterateEvents(db: Db, f: LedgerFilter, chunk = 5000): Generator<LedgerEvent> {
  const { where, params } = filterSql(f, prunedThrough(db));
  const stmt = db.prepare(`SELECT * FROM events ${where ? `${where} AND` : 'WHERE'} seq > ? ORDER BY seq LIMIT ?`);
  let after = 0;
  for (;;) {
    const rows = stmt.all(...params, after, chunk) as never[];
    if (rows.length === 0) return;
    for (const r of rows) yield rowToEvent(r);
    after = (rows[rows.length - 1] as unknown as { seq: number }).seq;
  }
}

/** Distinct values for filter suggestions (bounded). */
export function facets(db: Db): { actors: string[]; actions: string[]; resourceTypes: string[] } {
  const col = (sql: string) => (db.prepare(sql).all() as { v: string }[]).map((r) => r.v);
  return {
    actors: col("SELECT DISTINCT actor AS v FROM events WHERE actor <> '' ORDER BY v LIMIT 500"),
    actions: col("SELECT DISTINCT action AS v FROM events WHERE action <> '' ORDER BY v LIMIT 500"),
    resourceTypes: col("SELECT DISTINCT resource_type AS v FROM events WHERE resource_type <> '' ORDER BY v LIMIT 200"),
  };
}

/** Per-day counts by outcome over the last `days` days, and the latest denied events. */
export function activityStats(db: Db, days: number): { perDay: { day: string; success: number; denied: number; failure: number }[]; recentDenied: LedgerEvent[] } {
  const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const rows = db
    .prepare(
      `SELECT substr(ts, 1, 10) AS day,
              sum(outcome = 'success') AS success, sum(outcome = 'denied') AS denied, sum(outcome = 'failure') AS failure
       FROM events WHERE ts >= ? GROUP BY day ORDER BY day`,
    )
    .all(since) as { day: string; success: number; denied: number; failure: number }[];
  const denied = db.prepare("SELECT * FROM events WHERE outcome = 'denied' ORDER BY seq DESC LIMIT 10").all() as never[];
  return { perDay: rows, recentDenied: denied.map(rowToEvent) };
}

/** One stored event row by its seq, with its leaf hash (undefined when there is none). */
export function eventRowBySeq(db: Db, seq: number): (EventRow & { leaf_hash: Buffer }) | undefined {
  return prepared<[number], EventRow & { leaf_hash: Buffer }>(db, 'SELECT * FROM events WHERE seq = ?').get(seq);
}

/**
 * The last verification of the ledger that ran (a refused or failed call of ledger.verify verified
 * nothing, so it does not count): when, whether it found the ledger valid, and how many events it covered.
 */
export function lastVerification(db: Db): { at: string; valid: boolean; size: number } | null {
  const last = prepared<[], { ts: string; details: string }>(
    db,
    "SELECT ts, details FROM events WHERE action = 'ledger.verify' AND outcome = 'success' ORDER BY seq DESC LIMIT 1",
  ).get();
  if (!last) return null;
  const details = JSON.parse(last.details) as { size?: number; valid?: boolean };
  return { at: last.ts, valid: details.valid === true, size: details.size ?? 0 };
}
