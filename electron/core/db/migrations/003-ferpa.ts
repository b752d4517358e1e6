import type { Migration } from './index.js';

/**
 * FERPA work (issue 5, items 5–8): amendment requests and statements of disagreement, access
 * requests, subpoena responses with their productions, and the record of disclosures.
 * Statements, productions and disclosures are evidence of what the institution did, so they are
 * append-only; a disclosure's withholding flags are the one thing that may change later (an order
 * lapses), and only those columns.
 */
export const migration003: Migration = {
  version: 3,
  name: 'ferpa',
  sql: `
    CREATE TABLE amendment_requests (
      id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      record_id TEXT NOT NULL REFERENCES records(id),
      case_id TEXT REFERENCES cases(id),
      requested_change TEXT NOT NULL,
      reason TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('received','under_review','amended','denied','hearing_requested','hearing_scheduled','decided','closed')),
      received_at TEXT NOT NULL,
      due_at TEXT NOT NULL,
      reviewer TEXT,
      review_started_at TEXT,
      review_note TEXT,
      decision TEXT CHECK (decision IN ('amended','denied')),
      decision_reason TEXT,
      amendment_text TEXT,
      decided_at TEXT,
      decided_by TEXT,
      hearing_requested_at TEXT,
      hearing_due_at TEXT,
      hearing_at TEXT,
      hearing_location TEXT,
      hearing_officer TEXT,
      hearing_outcome TEXT CHECK (hearing_outcome IN ('amended','upheld')),
      hearing_outcome_reason TEXT,
      hearing_decided_at TEXT,
      hearing_decided_by TEXT,
      closed_at TEXT,
      closed_by TEXT,
      close_note TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX amendment_requests_state ON amendment_requests (state, due_at);
    CREATE INDEX amendment_requests_subject ON amendment_requests (subject_id, received_at);
    CREATE INDEX amendment_requests_record ON amendment_requests (record_id);

    CREATE TABLE amendment_statements (
      id TEXT PRIMARY KEY,
      amendment_id TEXT NOT NULL REFERENCES amendment_requests(id),
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      record_id TEXT NOT NULL REFERENCES records(id),
      text TEXT NOT NULL,
      filed_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
    CREATE INDEX amendment_statements_record ON amendment_statements (record_id, recorded_at);
    CREATE TRIGGER amendment_statements_no_update BEFORE UPDATE ON amendment_statements
      BEGIN SELECT RAISE(ABORT, 'statements of disagreement are append-only'); END;
    CREATE TRIGGER amendment_statements_no_delete BEFORE DELETE ON amendment_statements
      BEGIN SELECT RAISE(ABORT, 'statements of disagreement are append-only'); END;

    CREATE TABLE access_requests (
      id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      case_id TEXT REFERENCES cases(id),
      requester TEXT NOT NULL,
      description TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('open','fulfilled','withdrawn')),
      requested_at TEXT NOT NULL,
      due_at TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by TEXT,
      resolution TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX access_requests_state ON access_requests (state, due_at);

    CREATE TABLE subpoenas (
      id TEXT PRIMARY KEY,
      case_id TEXT REFERENCES cases(id),
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      issuer TEXT NOT NULL,
      court TEXT NOT NULL DEFAULT '',
      docket TEXT NOT NULL DEFAULT '',
      type TEXT NOT NULL CHECK (type IN ('court_order','grand_jury','law_enforcement','civil')),
      requested_records TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('received','verified','notice_sent','notice_exempt','scoped','produced','closed','quashed','withdrawn')),
      served_at TEXT NOT NULL,
      due_at TEXT NOT NULL,
      notice_due_at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      verified_at TEXT,
      verified_by TEXT,
      verification_note TEXT,
      notice_sent_at TEXT,
      notice_method TEXT,
      notice_note TEXT,
      notice_exempt_ground TEXT CHECK (notice_exempt_ground IN ('nondisclosure_order','ex_parte_order')),
      notice_exempt_reason TEXT,
      nondisclosure_until TEXT,
      scoped_at TEXT,
      scoped_by TEXT,
      produced_at TEXT,
      production_id TEXT,
      closed_at TEXT,
      closed_by TEXT,
      end_reason TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX subpoenas_state ON subpoenas (state, due_at);
    CREATE INDEX subpoenas_subject ON subpoenas (subject_id, served_at);

    CREATE TABLE subpoena_scope (
      subpoena_id TEXT NOT NULL REFERENCES subpoenas(id),
      record_id TEXT NOT NULL REFERENCES records(id),
      position INTEGER NOT NULL,
      PRIMARY KEY (subpoena_id, record_id)
    ) WITHOUT ROWID;

    -- key_salt feeds HKDF(db key, salt, production id) for the key of the retained copy's files.
    CREATE TABLE productions (
      id TEXT PRIMARY KEY,
      subpoena_id TEXT NOT NULL UNIQUE REFERENCES subpoenas(id),
      folder TEXT NOT NULL UNIQUE,
      key_salt BLOB NOT NULL,
      bates_prefix TEXT NOT NULL,
      bates_first INTEGER NOT NULL,
      bates_last INTEGER NOT NULL,
      bates_digits INTEGER NOT NULL,
      page_count INTEGER NOT NULL,
      pdf_sha256 TEXT NOT NULL,
      manifest_sha256 TEXT NOT NULL,
      page_hash_definition TEXT NOT NULL,
      produced_at TEXT NOT NULL,
      produced_by TEXT NOT NULL
    );
    CREATE TRIGGER productions_no_update BEFORE UPDATE ON productions
      BEGIN SELECT RAISE(ABORT, 'productions are append-only'); END;
    CREATE TRIGGER productions_no_delete BEFORE DELETE ON productions
      BEGIN SELECT RAISE(ABORT, 'productions are append-only'); END;

    CREATE TABLE production_files (
      production_id TEXT NOT NULL REFERENCES productions(id),
      path TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('combined','page','manifest','readme')),
      blob_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      page INTEGER,
      bates TEXT,
      record_id TEXT,
      PRIMARY KEY (production_id, path)
    ) WITHOUT ROWID;
    CREATE TRIGGER production_files_no_update BEFORE UPDATE ON production_files
      BEGIN SELECT RAISE(ABORT, 'production files are append-only'); END;
    CREATE TRIGGER production_files_no_delete BEFORE DELETE ON production_files
      BEGIN SELECT RAISE(ABORT, 'production files are append-only'); END;

    -- Bates numbers never repeat under one prefix, across every production of the workspace.
    CREATE TABLE bates_counters (prefix TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;

    CREATE TABLE disclosures (
      id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      case_id TEXT REFERENCES cases(id),
      disclosed_at TEXT NOT NULL,
      recipient TEXT NOT NULL,
      basis TEXT NOT NULL,
      basis_detail TEXT NOT NULL,
      purpose TEXT NOT NULL DEFAULT '',
      disclosed_by TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      subpoena_id TEXT REFERENCES subpoenas(id),
      production_id TEXT REFERENCES productions(id),
      file_sha256 TEXT,
      subject_visible INTEGER NOT NULL DEFAULT 1,
      withheld_until TEXT,
      withholding_basis TEXT
    );
    CREATE INDEX disclosures_subject ON disclosures (subject_id, disclosed_at);
    CREATE INDEX disclosures_date ON disclosures (disclosed_at);
    CREATE TRIGGER disclosures_no_update BEFORE UPDATE OF
      id, subject_id, case_id, disclosed_at, recipient, basis, basis_detail, purpose, disclosed_by,
      recorded_by, recorded_at, subpoena_id, production_id, file_sha256 ON disclosures
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;

    CREATE TABLE disclosure_records (
      disclosure_id TEXT NOT NULL REFERENCES disclosures(id),
      record_id TEXT NOT NULL REFERENCES records(id),
      PRIMARY KEY (disclosure_id, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX disclosure_records_record ON disclosure_records (record_id);
    CREATE TRIGGER disclosure_records_no_update BEFORE UPDATE ON disclosure_records
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosure_records_no_delete BEFORE DELETE ON disclosure_records
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;

    CREATE TABLE disclosure_statements (
      disclosure_id TEXT NOT NULL REFERENCES disclosures(id),
      statement_id TEXT NOT NULL REFERENCES amendment_statements(id),
      PRIMARY KEY (disclosure_id, statement_id)
    ) WITHOUT ROWID;
    CREATE TRIGGER disclosure_statements_no_update BEFORE UPDATE ON disclosure_statements
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosure_statements_no_delete BEFORE DELETE ON disclosure_statements
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
  `,
};
