import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

/**
 * Where the audit log was last pruned (migration 017): events 1..throughSeq keep seq, ts, prev_hash,
 * hash and leaf_hash; their bodies were blanked under `policy` (ISO 8601 period) at `prunedAt`, after
 * a checkpoint of size throughSeq (root, ts) was signed and stored.
 */
export interface PrunePoint {
  throughSeq: number;
  prunedAt: string;
  actor: string;
  policy: string;
  cutoff: string;
  checkpointRoot: string;
  checkpointTs: string;
}

interface PruneRow {
  through_seq: number;
  pruned_at: string;
  actor: string;
  policy: string;
  cutoff: string;
  checkpoint_root: string;
  checkpoint_ts: string;
}

/** True when the workspace's schema has the prune table (every migrated workspace; a bare test database may not). */
function hasPruneTable(db: Db): boolean {
  return prepared<[], { n: number }>(db, "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'ledger_prunes'").get()!.n > 0;
}

/** The latest prune point, or null when the audit log was never pruned. */
export function prunePointOf(db: Db): PrunePoint | null {
  if (!hasPruneTable(db)) return null;
  const r = prepared<[], PruneRow>(
    db,
    'SELECT through_seq, pruned_at, actor, policy, cutoff, checkpoint_root, checkpoint_ts FROM ledger_prunes ORDER BY through_seq DESC LIMIT 1',
  ).get();
  return r
    ? { throughSeq: r.through_seq, prunedAt: r.pruned_at, actor: r.actor, policy: r.policy, cutoff: r.cutoff, checkpointRoot: r.checkpoint_root, checkpointTs: r.checkpoint_ts }
    : null;
}

/** The last pruned seq (0 when never pruned): readers of event bodies start after it. */
export function prunedThrough(db: Db): number {
  return prunePointOf(db)?.throughSeq ?? 0;
}

/** "events 1–N pruned on DATE under policy P", the words every report uses for a pruned prefix. */
export function describePruned(p: Pick<PrunePoint, 'throughSeq' | 'prunedAt' | 'policy'>): string {
  return `events 1–${p.throughSeq} pruned on ${p.prunedAt.slice(0, 10)} under policy ${policyWords(p.policy)}`;
}

/** An ISO 8601 period as words: P7Y → "7 years". */
export function policyWords(period: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(period);
  if (!m) return period;
  const parts: string[] = [];
  const add = (n: string | undefined, unit: string) => {
    if (n && Number(n) > 0) parts.push(`${Number(n)} ${unit}${Number(n) === 1 ? '' : 's'}`);
  };
  add(m[1], 'year');
  add(m[2], 'month');
  add(m[3], 'day');
  return `${parts.join(' ') || period} (${period})`;
}
