import type { Workspace } from '../workspace.js';
import { now as clockNow } from '../clock.js';

/**
 * The next human-friendly id for a prefix and year (AMD-2026-0001), from the `id_counters` table
 * of migration 002. Call inside the transaction that inserts the row, so two writers never share an id.
 */
export function nextId(ws: Workspace, prefix: string, now: Date = clockNow()): string {
  const key = `${prefix}-${now.getUTCFullYear()}`;
  const row = ws.db.prepare('SELECT next FROM id_counters WHERE prefix = ?').get(key) as { next: number } | undefined;
  const n = row?.next ?? 1;
  ws.db
    .prepare('INSERT INTO id_counters (prefix, next) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET next = excluded.next')
    .run(key, n + 1);
  return `${key}-${String(n).padStart(4, '0')}`;
}
