import type { Migration } from './index.js';

/**
 * Pins of imported bundles' signing keys become revocable by an administrator, with a record: a
 * revoked pin is copied into import_pin_revocations (append-only) in the same transaction that
 * removes it, and only such a recorded pin can be removed, so the next import of that workspace
 * asks a person to confirm its key again. Imports keep the warnings raised when they arrived
 * (a workspace name that a pinned workspace of another id already has).
 */
export const migration007: Migration = {
  version: 7,
  name: 'import-pins',
  sql: `
    CREATE TABLE import_pin_revocations (
      id INTEGER PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      workspace_name TEXT NOT NULL,
      key_id TEXT NOT NULL,
      public_key_pem TEXT NOT NULL,
      pinned_at TEXT NOT NULL,
      pinned_by TEXT NOT NULL,
      revoked_at TEXT NOT NULL,
      revoked_by TEXT NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE INDEX import_pin_revocations_workspace ON import_pin_revocations (workspace_id, id);
    CREATE TRIGGER import_pin_revocations_no_update BEFORE UPDATE ON import_pin_revocations
      BEGIN SELECT RAISE(ABORT, 'a pin revocation cannot be changed'); END;
    CREATE TRIGGER import_pin_revocations_no_delete BEFORE DELETE ON import_pin_revocations
      BEGIN SELECT RAISE(ABORT, 'a pin revocation cannot be removed'); END;

    DROP TRIGGER import_sources_no_delete;
    CREATE TRIGGER import_sources_delete_revoked_only BEFORE DELETE ON import_sources
      WHEN NOT EXISTS (
        SELECT 1 FROM import_pin_revocations r
        WHERE r.workspace_id = OLD.workspace_id AND r.key_id = OLD.key_id AND r.pinned_at = OLD.pinned_at
      )
      BEGIN SELECT RAISE(ABORT, 'a pinned source key is removed only by a recorded revocation'); END;

    ALTER TABLE imports ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
  `,
};
