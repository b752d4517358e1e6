import type { SessionInfo } from '../../../shared/contract/mfa.js';
import type { User } from '../../../shared/contract/core.js';
import type { Session } from '../app.js';

type SessionSort = 'started_at' | 'last_seen_at' | 'username';

const SORT_KEY: Record<SessionSort, (s: SessionInfo) => string> = {
  started_at: (s) => s.startedAt,
  last_seen_at: (s) => s.lastSeenAt,
  username: (s) => s.username,
};

/**
 * `sessions.list`: a page of the active sessions. They live in memory (a session ends with the
 * process), so the list pattern's search, sort and paging run here rather than in SQL.
 */
export function pageOfSessions(
  sessions: readonly Session[],
  q: { search?: string | undefined; sort: SessionSort; dir: 'asc' | 'desc'; offset: number; limit: number },
  ctx: { own: string; user: (username: string) => User },
): { items: SessionInfo[]; total: number } {
  const needle = q.search?.toLowerCase() ?? '';
  const rows = sessions
    .map((s): SessionInfo => {
      const u = ctx.user(s.username);
      return { id: s.publicId, username: s.username, displayName: u.displayName, role: u.role, host: s.host, startedAt: s.startedAt, lastSeenAt: s.lastSeenAt, current: s.publicId === ctx.own };
    })
    .filter((s) => !needle || s.username.includes(needle) || s.displayName.toLowerCase().includes(needle));
  const key = SORT_KEY[q.sort];
  const sign = q.dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => sign * key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
  return { items: rows.slice(q.offset, q.offset + q.limit), total: rows.length };
}
