import type { Role } from '../../../shared/roles.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import { likePattern } from '../domain/like.js';

// The SQL of the workspace's users. Each statement is prepared once per connection (db/statements.ts).
// Keyslots are a file beside the database (db/keyslots.ts), not rows.

/** A users row as stored. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

/** The user row with this username, or undefined. */
export function findUserRow(db: Db, username: string): UserRow | undefined {
  return prepared<[string], UserRow>(db, 'SELECT * FROM users WHERE username = ?').get(username);
}

/** Every user row, by username. */
export function allUserRows(db: Db): UserRow[] {
  return prepared<[], UserRow>(db, 'SELECT * FROM users ORDER BY username').all();
}

const USER_LIST: ListSource = {
  select: 'SELECT * FROM users',
  from: 'FROM users',
  sorts: { username: 'username', display_name: 'display_name COLLATE NOCASE', role: 'role', created_at: 'created_at' },
  tiebreak: 'username',
};

/** A page of user rows matching the search (username or display name), with the total. */
export function userRowsPage(db: Db, q: PageQuery & { search?: string | undefined }): { rows: UserRow[]; total: number } {
  const like = q.search ? likePattern(q.search) : null;
  return listPage<UserRow>(
    db,
    USER_LIST,
    like ? { conds: ["(username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')"], params: [like, like] } : { conds: [], params: [] },
    q,
  );
}

/** How many administrators are not disabled. */
export function activeAdminCount(db: Db): number {
  return (prepared<[], { n: number }>(db, "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
}

/** Inserts an enabled user. */
export function insertUserRow(db: Db, u: { id: string; username: string; displayName: string; role: Role; createdAt: string }): void {
  prepared<[string, string, string, string, string]>(db, 'INSERT INTO users (id, username, display_name, role, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)').run(
    u.id,
    u.username,
    u.displayName,
    u.role,
    u.createdAt,
  );
}

/** Sets a user's display name, role and disabled flag. */
export function setUserProfile(db: Db, username: string, p: { displayName: string; role: Role; disabled: boolean }): void {
  prepared<[string, string, number, string]>(db, 'UPDATE users SET display_name = ?, role = ?, disabled = ? WHERE username = ?').run(
    p.displayName,
    p.role,
    p.disabled ? 1 : 0,
    username,
  );
}

/** Records a successful sign-in. */
export function setLastLogin(db: Db, username: string, at: string): void {
  prepared<[string, string]>(db, 'UPDATE users SET last_login_at = ? WHERE username = ?').run(at, username);
}
