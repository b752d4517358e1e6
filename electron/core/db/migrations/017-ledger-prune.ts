import type { Migration } from './index.js';

/**
 * Audit-log retention (issue 12, item 3). Events older than the audit-log policy keep their seq, ts,
 * prev_hash, hash and leaf_hash; their bodies (actor, action, resource, outcome, details) are blanked.
 * `ledger_prunes` records each prune point (append-only), with the signed checkpoint at that size;
 * `ledger_retention` holds an administrator's change of the shipped audit-log period (one row, no row
 * = the default of resources/policies/retention.json).
 *
 * `events_no_update` is replaced by a trigger that admits exactly one update: blanking the body of
 * an event at or below the recorded prune point, every hash, seq and ts unchanged. Any other UPDATE
 * (and every DELETE) still aborts. A prune point can only be recorded with a checkpoint of that size
 * stored first and only within the events that exist.
 */
export const migration017: Migration = {
  version: 17,
  name: 'ledger-prune',
  sql: `
    CREATE TABLE ledger_prunes (
      id INTEGER PRIMARY KEY,
      from_seq INTEGER NOT NULL CHECK (from_seq >= 1),
      through_seq INTEGER NOT NULL CHECK (through_seq >= from_seq),
      pruned_at TEXT NOT NULL,
      actor TEXT NOT NULL,
      policy TEXT NOT NULL,
      cutoff TEXT NOT NULL,
      checkpoint_root TEXT NOT NULL,
      checkpoint_ts TEXT NOT NULL
    );
    CREATE TRIGGER ledger_prunes_no_update BEFORE UPDATE ON ledger_prunes
      BEGIN SELECT RAISE(ABORT, 'ledger prune points are append-only'); END;
    CREATE TRIGGER ledger_prunes_no_delete BEFORE DELETE ON ledger_prunes
      BEGIN SELECT RAISE(ABORT, 'ledger prune points are append-only'); END;
    CREATE TRIGGER ledger_prunes_checked BEFORE INSERT ON ledger_prunes
      WHEN NEW.through_seq > (SELECT coalesce(max(seq), 0) FROM events)
        OR NEW.from_seq <> (SELECT coalesce(max(through_seq), 0) + 1 FROM ledger_prunes)
        OR NOT EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.through_seq AND root = NEW.checkpoint_root AND ts = NEW.checkpoint_ts)
      BEGIN SELECT RAISE(ABORT, 'a ledger prune point needs a signed checkpoint of its size and must continue the previous one'); END;

    DROP TRIGGER events_no_update;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      WHEN NOT (
        OLD.seq <= (SELECT coalesce(max(through_seq), 0) FROM ledger_prunes)
        AND NEW.seq = OLD.seq AND NEW.ts = OLD.ts AND NEW.prev_hash = OLD.prev_hash
        AND NEW.hash = OLD.hash AND NEW.leaf_hash = OLD.leaf_hash
        AND NEW.actor = '' AND NEW.action = '' AND NEW.resource_type = '' AND NEW.resource_id = ''
        AND NEW.outcome = '' AND NEW.details = '{}'
      )
      BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;

    CREATE TABLE ledger_retention (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      period_value INTEGER CHECK (period_value IS NULL OR period_value BETWEEN 1 AND 1200),
      period_unit TEXT CHECK (period_unit IS NULL OR period_unit IN ('days', 'weeks', 'months', 'years')),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      CHECK ((period_value IS NULL) = (period_unit IS NULL))
    );
  `,
};
