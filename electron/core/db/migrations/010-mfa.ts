import type { Migration } from './index.js';

/**
 * Second factor (issue 13): each user's TOTP secret and the last time step accepted from it (a code
 * works once), their single-use backup codes (salted hashes only), the per-role requirement an
 * administrator sets, and when each user's grace to enrol began. The secret is plaintext inside the
 * encrypted database: the server side of TOTP must hold it to compute codes.
 */
export const migration010: Migration = {
  version: 10,
  name: 'mfa',
  sql: `
    CREATE TABLE mfa_users (
      username TEXT PRIMARY KEY REFERENCES users (username),
      secret TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'active')),
      enrolled_at TEXT NOT NULL,
      confirmed_at TEXT,
      last_step INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE mfa_backup_codes (
      username TEXT NOT NULL REFERENCES users (username),
      idx INTEGER NOT NULL,
      salt BLOB NOT NULL,
      hash BLOB NOT NULL,
      used_at TEXT,
      PRIMARY KEY (username, idx)
    ) WITHOUT ROWID;
    CREATE TABLE mfa_role_policy (
      role TEXT PRIMARY KEY CHECK (role IN ('admin','compliance_officer','legal_counsel','auditor','viewer')),
      required INTEGER NOT NULL CHECK (required IN (0, 1)),
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE mfa_grace (
      username TEXT PRIMARY KEY REFERENCES users (username),
      started_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};
