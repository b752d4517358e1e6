import type { Migration } from './index.js';

/** Export requests: request → approve/reject (by someone else) → execute, with the hash of what left. */
export const migration005: Migration = {
  version: 5,
  name: 'exports',
  sql: `
    CREATE TABLE export_requests (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('REGULATORY','AUDIT','LEGAL','INTERNAL')),
      format TEXT NOT NULL CHECK (format IN ('csv','json','ndjson','xml','pdf')),
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
    CREATE INDEX export_requests_status ON export_requests (status, requested_at);
  `,
};
