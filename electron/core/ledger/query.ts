import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import type { Db } from '../db/open.js';
import { escapeLike, likePattern } from '../domain/like.js';
import { prepared } from '../db/statements.js';
import { rowToEvent, type EventRow } from './ledger.js';
import { prunedThrough } from './prune-point.js';
import { indexedThrough } from './text-index.js';

/** A filter's `to` as the last timestamp it admits: a bare date means "through the end of that day". */
export function upperTimeBound(to: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to;
}

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
    params.push(upperTimeBound(f.to));
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
  if (f.throughSeq !== undefined) {
    clauses.push('seq <= ?');
    params.push(f.throughSeq);
  }
  if (f.text) {
    const like = likePattern(f.text);
    clauses.push("(actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\' OR resource_id LIKE ? ESCAPE '\\' OR details LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}


function isEmpty(f: LedgerFilter): boolean {
  return !f.from && !f.to && !f.actor && !f.action && !f.resourceType && !f.resourceId && !f.outcome && !f.text && f.throughSeq === undefined;
}

/** The shortest search text the trigram index can answer; shorter text is matched by a scan. */
const MIN_INDEXED_CHARS = 3;

/** The most trigrams one search asks the index for; the re-check against `events` does the rest. */
const MAX_TRIGRAMS = 16;

/**
 * The FTS5 query for a search text: its distinct trigrams (ASCII letters lower-cased like the indexed
 * text, ledger/text-index.ts), each a quoted string (a quote doubled), joined by AND, so no operator,
 * column filter, NEAR or prefix star in the text means anything. A long text asks for at most
 * MAX_TRIGRAMS of them, spread over it. Events holding them all are candidates, not matches.
 */
export function matchTrigrams(text: string): string {
  const chars = [...text.replace(/[A-Z]+/g, (m) => m.toLowerCase())];
  const all: string[] = [];
  for (let i = 0; i + MIN_INDEXED_CHARS <= chars.length; i++) {
    const t = chars.slice(i, i + MIN_INDEXED_CHARS).join('');
    if (!all.includes(t)) all.push(t);
  }
  const picked = all.length <= MAX_TRIGRAMS ? all : Array.from({ length: MAX_TRIGRAMS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_TRIGRAMS - 1))]!);
  return picked.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * Whether a search text can be answered from the index: the trigram tokenizer needs 3 characters,
 * and FTS5 reads a query only up to a NUL character, so text with one is scanned.
 */
function indexable(text: string): boolean {
  return [...text].length >= MIN_INDEXED_CHARS && !text.includes('\u0000');
}

/** Up to this many events, checking each one's text directly beats reading candidates from the text index. */
const DIRECT_CHECK_ROWS = 20_000;

/**
 * Whether another filter already narrows the search to few events through an index of `events`
 * (an actor, an exact action, a resource): then those events are checked directly, as a common
 * text would otherwise make the text index offer many candidates that the other filter rejects.
 * Counting stops at DIRECT_CHECK_ROWS, so asking costs little.
 */
function fewRowsByEventsIndex(db: Db, f: LedgerFilter): boolean {
  const probe = (cond: string, ...values: string[]) =>
    prepared<string[], { n: number }>(db, `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${cond} LIMIT ${DIRECT_CHECK_ROWS})`).get(...values)!.n < DIRECT_CHECK_ROWS;
  if (f.actor && probe('actor = ?', f.actor)) return true;
  if (f.action && !f.action.endsWith('*') && probe('action = ?', f.action)) return true;
  return Boolean(f.resourceType && f.resourceId && probe('resource_type = ? AND resource_id = ?', f.resourceType, f.resourceId));
}

type PageRequest = LedgerFilter & { beforeSeq?: number; offset?: number; limit: number; withTotal?: boolean };
type Within = { sql: string; params: (string | number)[] };
export interface EventPage {
  events: LedgerEvent[];
  total: number | null;
  /** With a search text: how far the free-text index reaches (the rest is scanned), and the ledger size then. */
  index?: { indexedThrough: number; size: number };
}

function and(where: string, cond: string): string {
  return `${where ? `${where} AND` : 'WHERE'} ${cond}`;
}

/**
 * A page of events, newest first. Unfiltered pages are addressed by seq arithmetic, so any offset is
 * instant. `within` narrows further by an SQL condition over `events` (a case's scope, cases/case-scope.ts).
 * A search text is answered from the free-text index for the events it covers and by a scan of the
 * rest; every hit is re-checked against `events` by the same condition the scan uses, so the index
 * can make a search faster but never change its answer.
 */
export function queryEvents(db: Db, f: PageRequest, size: number, within?: Within): EventPage {
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
  const where = within ? and(filter.where, within.sql) : filter.where;
  const params = within ? [...filter.params, ...within.params] : filter.params;
  if (f.text && indexable(f.text) && !fewRowsByEventsIndex(db, f)) return searchPage(db, f, size, limit, where, params);
  const seqCond = f.beforeSeq ? and(where, 'seq < ?') : where;
  const seqParams = f.beforeSeq ? [...params, f.beforeSeq] : params;
  rows = db
    .prepare(`SELECT * FROM events ${seqCond} ORDER BY seq DESC LIMIT ? OFFSET ?`)
    .all(...seqParams, limit, f.beforeSeq ? 0 : (f.offset ?? 0));
  const total = f.withTotal ? (db.prepare(`SELECT count(*) AS n FROM events ${where}`).get(...params) as { n: number }).n : null;
  const page: EventPage = { events: rows.map((r) => rowToEvent(r as never)), total };
  if (f.text) page.index = { indexedThrough: Math.min(indexedThrough(db), size), size };
  return page;
}

/**
 * A search page: the events after the index's reach (newest, scanned), then the indexed ones (read
 * newest first from the index, joined to `events` for the other filters and the exact check).
 */
function searchPage(db: Db, f: PageRequest, size: number, limit: number, where: string, params: (string | number)[]): EventPage {
  const through = Math.min(indexedThrough(db), size);
  const phrase = matchTrigrams(f.text ?? '');
  const before = f.beforeSeq ? [f.beforeSeq] : [];
  const offset = f.beforeSeq ? 0 : (f.offset ?? 0);
  const tailWhere = and(f.beforeSeq ? and(where, 'seq < ?') : where, 'seq > ?');
  const tailParams = [...params, ...before, through];
  const indexedWhere = `WHERE ledger_text MATCH ? AND ledger_text.rowid <= ?${f.beforeSeq ? ' AND ledger_text.rowid < ?' : ''}${where ? ` AND ${where.slice('WHERE '.length)}` : ''}`;
  const indexedParams = [phrase, through, ...before, ...params];
  // CROSS JOIN keeps the index as the outer loop, read newest first, so a page stops after `limit` hits.
  const indexedFrom = 'FROM ledger_text CROSS JOIN events ON events.seq = ledger_text.rowid';

  const tail = through < size ? (prepared(db, `SELECT * FROM events ${tailWhere} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...tailParams, limit, offset) as never[]) : [];
  let tailCount: number | null = null;
  if (through >= size) tailCount = 0;
  else if (tail.length > 0 && tail.length < limit) tailCount = offset + tail.length;
  const countTail = () => (tailCount ??= (prepared(db, `SELECT count(*) AS n FROM events ${tailWhere}`).get(...tailParams) as { n: number }).n);

  let rows: never[] = tail;
  if (tail.length < limit) {
    const indexedOffset = tail.length > 0 ? 0 : Math.max(0, offset - countTail());
    const more = prepared(db, `SELECT events.* ${indexedFrom} ${indexedWhere} ORDER BY ledger_text.rowid DESC LIMIT ? OFFSET ?`).all(
      ...indexedParams,
      limit - tail.length,
      indexedOffset,
    ) as never[];
    rows = [...tail, ...more];
  }
  let total: number | null = null;
  if (f.withTotal && offset === 0 && !f.beforeSeq && rows.length < limit) {
    // A first page that is not full holds every match.
    total = rows.length;
  } else if (f.withTotal) {
    // The total counts every match, whatever page `beforeSeq` asked for (as the scan's total does).
    const tailTotal = !f.beforeSeq
      ? countTail()
      : (prepared(db, `SELECT count(*) AS n FROM events ${and(where, 'seq > ?')}`).get(...params, through) as { n: number }).n;
    // Counting through the index re-checks each candidate by its seq; when the candidates are a large
    // part of the ledger, one pass over the events in order is faster (about 3×, measured at 1M).
    const many = Math.max(1, Math.floor(through / 4));
    const candidates = prepared<[string, number, number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM (SELECT 1 FROM ledger_text WHERE ledger_text MATCH ? AND rowid <= ? LIMIT ?)',
    ).get(phrase, through, many)!.n;
    const allIndexedWhere = `WHERE ledger_text MATCH ? AND ledger_text.rowid <= ?${where ? ` AND ${where.slice('WHERE '.length)}` : ''}`;
    const indexed = candidates >= many
      ? (prepared(db, `SELECT count(*) AS n FROM events ${and(where, 'seq <= ?')}`).get(...params, through) as { n: number })
      : (prepared(db, `SELECT count(*) AS n ${indexedFrom} ${allIndexedWhere}`).get(phrase, through, ...params) as { n: number });
    total = tailTotal + indexed.n;
  }
  return { events: rows.map((r) => rowToEvent(r)), total, index: { indexedThrough: through, size } };
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
