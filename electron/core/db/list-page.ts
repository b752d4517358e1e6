import { likePattern } from '../domain/like.js';
import { CustosError } from '../errors.js';
import type { Db } from './open.js';
import { prepared } from './statements.js';

/** What every `*.list` request carries besides its own filters (shared/contract/list.ts). */
export interface PageQuery {
  sort: string;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/**
 * One list's SQL: `select` is the SELECT … FROM … (with its joins) of an item, `from` the FROM …
 * the total is counted over (the same joins when a filter reads them), `sorts` the whitelist of
 * sort names → SQL expressions, `tiebreak` a unique column so pages never overlap.
 */
export interface ListSource {
  select: string;
  from: string;
  sorts: Readonly<Record<string, string>>;
  tiebreak: string;
}

/** Conditions ANDed together, with their parameters (all positional `?` or all named `@name`). */
export interface Where {
  conds: string[];
  params: unknown[] | Record<string, unknown>;
}

/**
 * The conditions of a list's filters with named parameters: each `[condition, name, value]` applies
 * when its value is set (`'a.state = @state', 'state', f.state`), and a search matches `text`
 * (escaped, anywhere) in any of `columns`. Columns and conditions come from code, never from a caller.
 */
export function namedWhere(filters: readonly (readonly [cond: string, name: string, value: string | undefined])[], search?: { text: string | undefined; columns: readonly string[] }): Where {
  const conds: string[] = [];
  const params: Record<string, string> = {};
  for (const [cond, name, value] of filters) {
    if (!value) continue;
    conds.push(cond);
    params[name] = value;
  }
  if (search?.text) {
    conds.push(`(${search.columns.map((c) => `${c} LIKE @text ESCAPE '\\'`).join(' OR ')})`);
    params.text = likePattern(search.text);
  }
  return { conds, params };
}

/** The SQL expression of a sort name, or a validation error: a caller's string never reaches SQL. */
export function sortExpression(sorts: Readonly<Record<string, string>>, sort: string): string {
  if (!Object.hasOwn(sorts, sort)) {
    throw new CustosError('validation', `A list cannot be sorted by "${sort.slice(0, 64)}"; choose one of: ${Object.keys(sorts).join(', ')}.`);
  }
  return sorts[sort]!;
}

/** One page of a list (ORDER BY a whitelisted column, LIMIT, OFFSET) and the total of all that match. */
export function listPage<Row>(db: Db, source: ListSource, where: Where, q: PageQuery): { rows: Row[]; total: number } {
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
  const order = `${sortExpression(source.sorts, q.sort)} ${dir}, ${source.tiebreak} ${dir}`;
  const clause = where.conds.length ? ` WHERE ${where.conds.join(' AND ')}` : '';
  const named = !Array.isArray(where.params);
  const page = named ? 'LIMIT @list_limit OFFSET @list_offset' : 'LIMIT ? OFFSET ?';
  // Prepared once per connection and SQL text: a list's few filter combinations are each compiled once.
  const pageSql = `${source.select}${clause} ORDER BY ${order} ${page}`;
  const countSql = `SELECT count(*) AS n ${source.from}${clause}`;
  if (named) {
    const params = where.params as Record<string, unknown>;
    const rows = prepared<[Record<string, unknown>], Row>(db, pageSql).all({ ...params, list_limit: q.limit, list_offset: q.offset });
    return { rows, total: prepared<[Record<string, unknown>], { n: number }>(db, countSql).get(params)?.n ?? 0 };
  }
  const params = where.params as unknown[];
  const rows = prepared<unknown[], Row>(db, pageSql).all(...params, q.limit, q.offset);
  return { rows, total: prepared<unknown[], { n: number }>(db, countSql).get(...params)?.n ?? 0 };
}

/**
 * The same for a list computed in memory (the due list gathers several tables): `sorts` maps a
 * sort name to a comparator, applied ascending and reversed for `desc`.
 */
export function pageOf<T>(all: readonly T[], sorts: Readonly<Record<string, (a: T, b: T) => number>>, q: PageQuery): { items: T[]; total: number } {
  if (!Object.hasOwn(sorts, q.sort)) {
    throw new CustosError('validation', `A list cannot be sorted by "${q.sort.slice(0, 64)}"; choose one of: ${Object.keys(sorts).join(', ')}.`);
  }
  const cmp = sorts[q.sort]!;
  const sorted = [...all].sort(q.dir === 'asc' ? cmp : (a, b) => cmp(b, a));
  return { items: sorted.slice(q.offset, q.offset + q.limit), total: all.length };
}
