import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from './open.js';

/** A prepared statement whose parameters and result row are typed by the store that owns its SQL. */
export type Statement<Params extends unknown[] = unknown[], Row = unknown> = Database.Statement<Params, Row>;

/**
 * How many statements one connection keeps. Fixed SQL is a few hundred texts at most; list queries
 * built from filters can produce many more, and the least recently used of those fall out first.
 */
export const STATEMENT_CACHE_SIZE = 500;

// Keyed by connection: a closed or re-opened database is a new Db object, so its statements are
// never handed to another connection, and they are collected with the connection they belong to.
const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * The statement for `sql` on this connection, compiled on first use and reused after that.
 * Callers run it (`get`, `all`, `run`, `iterate`) and never toggle its modes (`pluck`, `raw`,
 * `expand`, `safeIntegers`): the statement is shared by every caller of the same SQL.
 */
export function prepared<Params extends unknown[] = unknown[], Row = unknown>(db: Db, sql: string): Statement<Params, Row> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (stmt) {
    // A Map iterates in insertion order: re-inserting marks the statement as the most recently used.
    cache.delete(sql);
  } else {
    stmt = db.prepare(sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(sql, stmt);
  // The cache holds statements of every shape; the store that wrote `sql` knows its types.
  return stmt as Statement<Params, Row>;
}

/** How many statements this connection has cached (for tests and the bench). */
export function cachedStatementCount(db: Db): number {
  return caches.get(db)?.size ?? 0;
}
