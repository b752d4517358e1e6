import type { Migration } from './index.js';

/**
 * Bundles go through the export request flow (issue 15.4): an export request's format may be
 * 'bundle' (a signed bundle ZIP). SQLite cannot change a CHECK in place, so export_requests is
 * rebuilt with the same columns and the wider CHECK, its rows copied as they are.
 */
export const migration014: Migration = {
  version: 14,
  name: 'bundle-requests',
  sql: `
    CREATE TABLE export_requests_new (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('REGULATORY','AUDIT','LEGAL','INTERNAL')),
      format TEXT NOT NULL CHECK (format IN ('csv','json','ndjson','xml','pdf','bundle')),
      status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','executed','failed')),
      filters TEXT NOT NULL,
      case_id TEXT,
      include_evidence INTEGER NOT NULL,
      include_audit_trail INTEGER NOT NULL,
      masking TEXT NOT NULL,
      purpose TEXT NOT NULL,
      recipient TEXT NOT NULL,
      due_at TEXT,
      requested_by TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      decided_by TEXT,
      decided_at TEXT,
      decision_note TEXT,
      executed_by TEXT,
      executed_at TEXT,
      output_path TEXT,
      sha256 TEXT,
      bytes INTEGER,
      rows INTEGER,
      checkpoint_size INTEGER,
      error TEXT
    );
    INSERT INTO export_requests_new (
      id, title, type, format, status, filters, case_id, include_evidence, include_audit_trail, masking, purpose, recipient,
      due_at, requested_by, requested_at, decided_by, decided_at, decision_note, executed_by, executed_at, output_path,
      sha256, bytes, rows, checkpoint_size, error
    )
    SELECT
      id, title, type, format, status, filters, case_id, include_evidence, include_audit_trail, masking, purpose, recipient,
      due_at, requested_by, requested_at, decided_by, decided_at, decision_note, executed_by, executed_at, output_path,
      sha256, bytes, rows, checkpoint_size, error
    FROM export_requests;
    DROP TABLE export_requests;
    ALTER TABLE export_requests_new RENAME TO export_requests;
    CREATE INDEX export_requests_status ON export_requests (status, requested_at);
  `,
};
