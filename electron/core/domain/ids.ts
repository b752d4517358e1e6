import { prepared } from '../db/statements.js';
import type { Workspace } from '../workspace.js';

/**
 * The next human-friendly id for a prefix, e.g. nextId(ws, 'CASE-2026', 4) → 'CASE-2026-0001', from
 * the `id_counters` table (one atomic upsert). Call inside the transaction that inserts the row, so
 * a rolled-back insert gives its number back and two writers never share an id.
 */
export function nextId(ws: Workspace, prefix: string, width: number): string {
  const row = prepared<[string], { n: number }>(
    ws.db,
    `INSERT INTO id_counters (prefix, next) VALUES (?, 2)
       ON CONFLICT (prefix) DO UPDATE SET next = next + 1
       RETURNING next - 1 AS n`,
  ).get(prefix) as { n: number };
  return `${prefix}-${String(row.n).padStart(width, '0')}`;
}

/** The id prefix with the year of `at`: CASE-2026. */
export function yearPrefix(kind: string, at: Date): string {
  return `${kind}-${at.getUTCFullYear()}`;
}

/** The next id of a kind numbered per year: yearlyId(ws, 'AMD', at) → 'AMD-2026-0001'. */
export function yearlyId(ws: Workspace, kind: string, at: Date, width = 4): string {
  return nextId(ws, yearPrefix(kind, at), width);
}
