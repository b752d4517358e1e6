import type { Migration } from './index.js';

/**
 * Witness cosignatures (C2SP tlog-cosignature). Auditor side: each cosignature this workspace made
 * of an imported bundle's checkpoint (append-only). Source side: the witness keys an administrator
 * trusts, and the cosignatures of this workspace's own tree heads imported from them (append-only):
 * verification proves that today's ledger extends every one of those heads.
 */
export const migration020: Migration = {
  version: 20,
  name: 'witness',
  sql: `
    CREATE TABLE witness_countersigns (
      id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL REFERENCES imports (id),
      origin TEXT NOT NULL,
      tree_size INTEGER NOT NULL,
      tree_root TEXT NOT NULL,
      cosigner TEXT NOT NULL,
      timestamp INTEGER NOT NULL,
      note TEXT NOT NULL,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE INDEX witness_countersigns_import ON witness_countersigns (import_id, id);
    CREATE INDEX witness_countersigns_origin ON witness_countersigns (origin, tree_size);
    CREATE TRIGGER witness_countersigns_no_update BEFORE UPDATE ON witness_countersigns
      BEGIN SELECT RAISE(ABORT, 'a cosignature made cannot be changed'); END;
    CREATE TRIGGER witness_countersigns_no_delete BEFORE DELETE ON witness_countersigns
      BEGIN SELECT RAISE(ABORT, 'a cosignature made cannot be removed'); END;

    CREATE TABLE witness_keys (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      key_id TEXT NOT NULL,
      vkey TEXT NOT NULL UNIQUE,
      fingerprint TEXT NOT NULL,
      label TEXT NOT NULL,
      trusted_at TEXT NOT NULL,
      trusted_by TEXT NOT NULL
    );
    CREATE TRIGGER witness_keys_no_update BEFORE UPDATE ON witness_keys
      BEGIN SELECT RAISE(ABORT, 'a trusted witness key cannot be changed'); END;
    CREATE TRIGGER witness_keys_no_delete BEFORE DELETE ON witness_keys
      BEGIN SELECT RAISE(ABORT, 'a trusted witness key cannot be removed'); END;

    CREATE TABLE witness_cosignatures (
      id INTEGER PRIMARY KEY,
      key_ref INTEGER NOT NULL REFERENCES witness_keys (id),
      cosigner TEXT NOT NULL,
      tree_size INTEGER NOT NULL,
      tree_root TEXT NOT NULL,
      timestamp INTEGER NOT NULL,
      cosigned_at TEXT NOT NULL,
      note TEXT NOT NULL,
      file_sha256 TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      UNIQUE (key_ref, tree_size, timestamp)
    );
    CREATE INDEX witness_cosignatures_size ON witness_cosignatures (tree_size, id);
    CREATE TRIGGER witness_cosignatures_no_update BEFORE UPDATE ON witness_cosignatures
      BEGIN SELECT RAISE(ABORT, 'an imported cosignature cannot be changed'); END;
    CREATE TRIGGER witness_cosignatures_no_delete BEFORE DELETE ON witness_cosignatures
      BEGIN SELECT RAISE(ABORT, 'an imported cosignature cannot be removed'); END;
  `,
};
