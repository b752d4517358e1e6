import type { Migration } from './index.js';

/**
 * Shortening the audit-log period under the two-person rule. A shorter period (or a first period
 * after "keep in full") makes the sweep prune sooner, so one administrator may only ask for it: the
 * request waits here until a second person (another administrator or a compliance officer) approves
 * or rejects it; a lengthening applies at once. At most one request is pending; decided requests stay.
 */
export const migration021: Migration = {
  version: 21,
  name: 'audit-log-approval',
  sql: `
    CREATE TABLE ledger_retention_requests (
      id INTEGER PRIMARY KEY,
      period_value INTEGER NOT NULL,
      period_unit TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      requested_by TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
      decided_at TEXT,
      decided_by TEXT
    );
    CREATE UNIQUE INDEX ledger_retention_requests_one_pending ON ledger_retention_requests (status) WHERE status = 'pending';
    CREATE TRIGGER ledger_retention_requests_no_delete BEFORE DELETE ON ledger_retention_requests
      BEGIN SELECT RAISE(ABORT, 'audit-log period requests are kept'); END;
    CREATE TRIGGER ledger_retention_requests_decided_once BEFORE UPDATE ON ledger_retention_requests
      WHEN OLD.status <> 'pending' OR NEW.period_value IS NOT OLD.period_value OR NEW.period_unit IS NOT OLD.period_unit
        OR NEW.requested_at IS NOT OLD.requested_at OR NEW.requested_by IS NOT OLD.requested_by
      BEGIN SELECT RAISE(ABORT, 'an audit-log period request is decided once'); END;
  `,
};
