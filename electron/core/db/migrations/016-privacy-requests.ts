import type { Migration } from './index.js';

/**
 * Privacy-rights requests (issue 12 item 4): GDPR access, rectification, erasure, portability and
 * objection; CCPA/CPRA know, delete, correct and opt-out. Each has its legal deadline (periods in
 * resources/policies/privacy-requests.json), extendable once with a reason, and an outcome.
 * `privacy_request_items` lists, for an erasure or deletion, every record of the subject with what
 * happened to it: erased, or kept (by law, or under a legal hold) and why.
 */
export const migration016: Migration = {
  version: 16,
  name: 'privacy-requests',
  sql: `
    CREATE TABLE privacy_requests (
      id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      case_id TEXT REFERENCES cases(id),
      regime TEXT NOT NULL CHECK (regime IN ('gdpr', 'ccpa')),
      right TEXT NOT NULL CHECK (
        (regime = 'gdpr' AND right IN ('access', 'rectification', 'erasure', 'portability', 'objection')) OR
        (regime = 'ccpa' AND right IN ('know', 'delete', 'correct', 'opt_out'))),
      requester TEXT NOT NULL,
      description TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('open', 'extended', 'completed', 'rejected')),
      received_at TEXT NOT NULL,
      original_due_at TEXT NOT NULL,
      due_at TEXT NOT NULL,
      extended_at TEXT,
      extended_by TEXT,
      extension_reason TEXT,
      resolved_at TEXT,
      resolved_by TEXT,
      outcome TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((extended_at IS NULL) = (extension_reason IS NULL))
    );
    CREATE INDEX privacy_requests_state ON privacy_requests (state, due_at);
    CREATE INDEX privacy_requests_subject ON privacy_requests (subject_id, received_at);
    CREATE INDEX privacy_requests_received ON privacy_requests (received_at);
    CREATE TABLE privacy_request_items (
      request_id TEXT NOT NULL REFERENCES privacy_requests(id),
      record_id TEXT NOT NULL REFERENCES records(id),
      category TEXT NOT NULL,
      result TEXT NOT NULL CHECK (result IN ('erased', 'kept')),
      kept_because TEXT CHECK (kept_because IS NULL OR kept_because IN ('law', 'hold')),
      reason TEXT NOT NULL,
      PRIMARY KEY (request_id, record_id),
      CHECK ((result = 'kept') = (kept_because IS NOT NULL))
    );
  `,
};
