import type { Migration } from './index.js';

/**
 * Imported bundles (auditor review): the pinned signing key of each source workspace, each
 * imported bundle with its signed manifest and verification report, its events, and findings.
 *
 * An import is staged under status 'verifying' while its events stream in and becomes visible
 * ('verified') in the one transaction that also ledgers it; a rejected or cancelled import is
 * deleted again, so only staged rows can ever be deleted (the triggers enforce it).
 */
export const migration004: Migration = {
  version: 4,
  name: 'imports',
  sql: `
    CREATE TABLE import_sources (
      workspace_id TEXT PRIMARY KEY,
      workspace_name TEXT NOT NULL,
      key_id TEXT NOT NULL,
      public_key_pem TEXT NOT NULL,
      pinned_at TEXT NOT NULL,
      pinned_by TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER import_sources_no_rekey BEFORE UPDATE OF key_id, public_key_pem ON import_sources
      BEGIN SELECT RAISE(ABORT, 'a pinned source key cannot be changed'); END;
    CREATE TRIGGER import_sources_no_delete BEFORE DELETE ON import_sources
      BEGIN SELECT RAISE(ABORT, 'a pinned source key cannot be removed'); END;

    CREATE TABLE imports (
      id INTEGER PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('verifying', 'verified', 'reviewed')),
      source_workspace_id TEXT NOT NULL,
      source_workspace_name TEXT NOT NULL,
      key_id TEXT NOT NULL,
      public_key_pem TEXT NOT NULL,
      file_name TEXT NOT NULL,
      file_sha256 TEXT NOT NULL,
      file_bytes INTEGER NOT NULL,
      manifest TEXT NOT NULL,
      manifest_sig TEXT NOT NULL,
      bundle_created_at TEXT NOT NULL,
      bundle_created_by TEXT NOT NULL,
      scope TEXT NOT NULL,
      complete INTEGER NOT NULL,
      tree_size INTEGER NOT NULL,
      tree_root TEXT NOT NULL,
      checkpoint_ts TEXT NOT NULL,
      consistency TEXT NOT NULL DEFAULT '[]',
      event_count INTEGER NOT NULL DEFAULT 0,
      first_ts TEXT,
      last_ts TEXT,
      report TEXT,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      reviewed_at TEXT,
      reviewed_by TEXT,
      review_note TEXT
    );
    CREATE INDEX imports_source ON imports (source_workspace_id, tree_size);
    CREATE TRIGGER imports_delete_staged_only BEFORE DELETE ON imports WHEN OLD.status <> 'verifying'
      BEGIN SELECT RAISE(ABORT, 'an imported bundle cannot be deleted'); END;

    CREATE TABLE imported_events (
      import_id INTEGER NOT NULL REFERENCES imports (id),
      seq INTEGER NOT NULL,
      ts TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      resource_type TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      outcome TEXT NOT NULL,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      PRIMARY KEY (import_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX imported_events_ts ON imported_events (import_id, ts);
    CREATE INDEX imported_events_actor ON imported_events (import_id, actor, seq);
    CREATE INDEX imported_events_action ON imported_events (import_id, action, seq);
    CREATE TRIGGER imported_events_no_update BEFORE UPDATE ON imported_events
      BEGIN SELECT RAISE(ABORT, 'imported events are read-only'); END;
    CREATE TRIGGER imported_events_delete_staged_only BEFORE DELETE ON imported_events
      WHEN (SELECT status FROM imports WHERE id = OLD.import_id) <> 'verifying'
      BEGIN SELECT RAISE(ABORT, 'imported events are read-only'); END;

    CREATE TABLE import_findings (
      id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL REFERENCES imports (id),
      seq INTEGER,
      severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high')),
      title TEXT NOT NULL,
      note TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE INDEX import_findings_import ON import_findings (import_id, id);
  `,
};
