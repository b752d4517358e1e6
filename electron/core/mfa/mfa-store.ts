import type { Role } from '../../../shared/roles.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

// Every SQL statement of the second factor (db/statements.ts: prepared once per connection).

export interface MfaUserRow {
  username: string;
  secret: string;
  state: 'pending' | 'active';
  enrolled_at: string;
  confirmed_at: string | null;
  last_step: number | null;
}

export interface BackupCodeRow {
  idx: number;
  salt: Buffer;
  hash: Buffer;
  used_at: string | null;
}

export interface RolePolicyRow {
  role: Role;
  required: number;
  changed_at: string;
  changed_by: string;
}

/** The user's second factor, pending or active, or undefined. */
export function mfaUserRow(db: Db, username: string): MfaUserRow | undefined {
  return prepared<[string], MfaUserRow>(db, 'SELECT * FROM mfa_users WHERE username = ?').get(username);
}

/** Stores a new pending secret for the user, replacing whatever was there, and drops their backup codes. */
export function putPendingSecret(db: Db, username: string, secret: string, at: string): void {
  prepared<[string]>(db, 'DELETE FROM mfa_backup_codes WHERE username = ?').run(username);
  prepared<[string, string, string]>(
    db,
    `INSERT INTO mfa_users (username, secret, state, enrolled_at, confirmed_at, last_step) VALUES (?, ?, 'pending', ?, NULL, NULL)
     ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, state = 'pending', enrolled_at = excluded.enrolled_at, confirmed_at = NULL, last_step = NULL`,
  ).run(username, secret, at);
}

/** Adds one hashed backup code. */
export function insertBackupCode(db: Db, username: string, idx: number, salt: Buffer, hash: Buffer): void {
  prepared<[string, number, Buffer, Buffer]>(db, 'INSERT INTO mfa_backup_codes (username, idx, salt, hash, used_at) VALUES (?, ?, ?, ?, NULL)').run(username, idx, salt, hash);
}

/** Turns the pending secret on, remembering the step of the code that confirmed it. */
export function activateSecret(db: Db, username: string, at: string, step: number): void {
  prepared<[string, number, string]>(db, "UPDATE mfa_users SET state = 'active', confirmed_at = ?, last_step = ? WHERE username = ?").run(at, step, username);
}

/** Records the step of an accepted code: codes of that step or earlier are refused from now on. */
export function setLastStep(db: Db, username: string, step: number): void {
  prepared<[number, string]>(db, 'UPDATE mfa_users SET last_step = ? WHERE username = ?').run(step, username);
}

/** The user's backup codes not used yet. */
export function unusedBackupCodes(db: Db, username: string): BackupCodeRow[] {
  return prepared<[string], BackupCodeRow>(db, 'SELECT idx, salt, hash, used_at FROM mfa_backup_codes WHERE username = ? AND used_at IS NULL ORDER BY idx').all(username);
}

/** Marks one backup code used; false when it already was (a concurrent use). */
export function useBackupCode(db: Db, username: string, idx: number, at: string): boolean {
  return prepared<[string, string, number]>(db, 'UPDATE mfa_backup_codes SET used_at = ? WHERE username = ? AND idx = ? AND used_at IS NULL').run(at, username, idx).changes === 1;
}

/** Removes the user's second factor and backup codes. */
export function deleteMfa(db: Db, username: string): void {
  prepared<[string]>(db, 'DELETE FROM mfa_backup_codes WHERE username = ?').run(username);
  prepared<[string]>(db, 'DELETE FROM mfa_users WHERE username = ?').run(username);
}

/** The roles whose requirement an administrator has set (the others follow resources/policies/mfa.json). */
export function rolePolicyRows(db: Db): RolePolicyRow[] {
  return prepared<[], RolePolicyRow>(db, 'SELECT * FROM mfa_role_policy ORDER BY role').all();
}

/** Sets whether a role requires a second factor. */
export function setRolePolicy(db: Db, role: Role, required: boolean, at: string, by: string): void {
  prepared<[string, number, string, string]>(
    db,
    `INSERT INTO mfa_role_policy (role, required, changed_at, changed_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (role) DO UPDATE SET required = excluded.required, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
  ).run(role, required ? 1 : 0, at, by);
}

/** When the user's grace to enrol began, if it has. */
export function graceStartedAt(db: Db, username: string): string | undefined {
  return prepared<[string], { started_at: string }>(db, 'SELECT started_at FROM mfa_grace WHERE username = ?').get(username)?.started_at;
}

/** Starts the user's grace to enrol (once; a later call keeps the first start). */
export function startGrace(db: Db, username: string, at: string): void {
  prepared<[string, string]>(db, 'INSERT INTO mfa_grace (username, started_at) VALUES (?, ?) ON CONFLICT (username) DO NOTHING').run(username, at);
}

/** Forgets when the user's grace to enrol began: it begins again at their next sign-in. */
export function clearGrace(db: Db, username: string): boolean {
  return prepared<[string]>(db, 'DELETE FROM mfa_grace WHERE username = ?').run(username).changes > 0;
}

/** Per role: how many enabled users it has and how many of them have an active second factor. */
export function enrolmentCounts(db: Db): { role: Role; users: number; enrolled: number }[] {
  return prepared<[], { role: Role; users: number; enrolled: number }>(
    db,
    `SELECT u.role AS role, count(*) AS users, count(m.username) AS enrolled
     FROM users u LEFT JOIN mfa_users m ON m.username = u.username AND m.state = 'active'
     WHERE u.disabled = 0 GROUP BY u.role`,
  ).all();
}
