import type { Migration } from './index.js';

/** Workspace metadata, users, the ledger (events, Merkle subtrees, checkpoints). */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('admin','compliance_officer','legal_counsel','auditor','viewer')),
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      last_login_at TEXT
    );

    CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      ts TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      resource_type TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      outcome TEXT NOT NULL,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      leaf_hash BLOB NOT NULL
    );
    CREATE INDEX events_ts ON events (ts);
    CREATE INDEX events_actor ON events (actor, seq);
    CREATE INDEX events_action ON events (action, seq);
    CREATE INDEX events_resource ON events (resource_type, resource_id, seq);
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;

    CREATE TABLE merkle_nodes (
      level INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      hash BLOB NOT NULL,
      PRIMARY KEY (level, idx)
    ) WITHOUT ROWID;

    CREATE TABLE checkpoints (
      id INTEGER PRIMARY KEY,
      size INTEGER NOT NULL,
      root TEXT NOT NULL,
      ts TEXT NOT NULL,
      key_id TEXT NOT NULL,
      signature TEXT NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
      BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
    CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
      BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
  `,
};
