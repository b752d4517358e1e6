import type { Migration } from './index.js';

/**
 * Case management (issue 5, items 1–4): cases and their notes and links, subjects (data subjects,
 * mostly students) and their records by FERPA category, evidence under chain of custody, legal holds
 * with their scope, custodians and notices. Primary keys are TEXT and stable: later migrations
 * (amendments, subpoenas, disclosures) reference cases(id), subjects(id) and records(id).
 * Append-only tables (notes, custody events, notices) refuse UPDATE and DELETE like the ledger does.
 */
export const migration002: Migration = {
  version: 2,
  name: 'cases',
  sql: `
    -- Human-friendly ids (CASE-2026-0001): one counter per prefix, advanced inside the creating transaction.
    CREATE TABLE id_counters (prefix TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;

    CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('investigation','subpoena','amendment','audit','breach')),
      description TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','on_hold','closed')),
      assignee TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      closed_at TEXT
    );
    CREATE INDEX cases_status ON cases (status, updated_at);
    CREATE INDEX cases_assignee ON cases (assignee, updated_at);
    CREATE INDEX cases_type ON cases (type, updated_at);

    CREATE TABLE case_notes (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      author TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX case_notes_case ON case_notes (case_id, created_at);
    CREATE TRIGGER case_notes_no_update BEFORE UPDATE ON case_notes
      BEGIN SELECT RAISE(ABORT, 'case notes are append-only'); END;
    CREATE TRIGGER case_notes_no_delete BEFORE DELETE ON case_notes
      BEGIN SELECT RAISE(ABORT, 'case notes are append-only'); END;

    CREATE TABLE subjects (
      id TEXT PRIMARY KEY,
      external_id TEXT UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('student','parent','employee','applicant','other')),
      display_name TEXT NOT NULL,
      email TEXT,
      date_of_birth TEXT,
      directory_opt_out INTEGER NOT NULL DEFAULT 0,
      directory_opt_out_at TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX subjects_name ON subjects (display_name);

    -- content is NULL once a record is purged or erased; the row stays as a tombstone so that
    -- disclosures and amendments that name the record keep their reference.
    CREATE TABLE records (
      id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      category TEXT NOT NULL,
      title TEXT NOT NULL,
      content TEXT,
      source TEXT NOT NULL DEFAULT '',
      record_date TEXT NOT NULL,
      retention_until TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','purged','erased')),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      destroyed_at TEXT,
      destroyed_by TEXT,
      destroy_reason TEXT
    );
    CREATE INDEX records_subject ON records (subject_id, category, record_date);
    CREATE INDEX records_retention ON records (status, retention_until);
    CREATE INDEX records_category ON records (category, record_date);

    CREATE TABLE case_links (
      case_id TEXT NOT NULL REFERENCES cases(id),
      item_type TEXT NOT NULL CHECK (item_type IN ('record','evidence','subject')),
      item_id TEXT NOT NULL,
      linked_by TEXT NOT NULL,
      linked_at TEXT NOT NULL,
      PRIMARY KEY (case_id, item_type, item_id)
    ) WITHOUT ROWID;
    CREATE INDEX case_links_item ON case_links (item_type, item_id);

    -- key_salt feeds HKDF(db key, salt, item id) for the item's file key; it is wiped at disposal,
    -- which makes any ciphertext that outlives the deletion undecryptable (crypto-shredding).
    CREATE TABLE evidence (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      source TEXT NOT NULL,
      collected_by TEXT NOT NULL,
      collected_at TEXT NOT NULL,
      original_name TEXT NOT NULL,
      media_type TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      blob_name TEXT NOT NULL UNIQUE,
      key_salt BLOB,
      blob_present INTEGER NOT NULL DEFAULT 1,
      status TEXT NOT NULL CHECK (status IN ('collected','transferred','sealed','released','disposed')),
      integrity TEXT NOT NULL DEFAULT 'ok' CHECK (integrity IN ('ok','integrity_failed')),
      last_verified_at TEXT,
      custodian TEXT NOT NULL,
      location TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      disposed_at TEXT,
      disposed_by TEXT,
      dispose_reason TEXT
    );
    CREATE INDEX evidence_status ON evidence (status, updated_at);

    CREATE TABLE custody_events (
      id INTEGER PRIMARY KEY,
      evidence_id TEXT NOT NULL REFERENCES evidence(id),
      kind TEXT NOT NULL CHECK (kind IN ('intake','transfer','seal','release','dispose')),
      from_party TEXT,
      to_party TEXT,
      purpose TEXT NOT NULL,
      location TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      ledger_seq INTEGER NOT NULL
    );
    CREATE INDEX custody_events_item ON custody_events (evidence_id, id);
    CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
      BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
    CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
      BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;

    CREATE TABLE legal_holds (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      title TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','active','released')),
      categories TEXT NOT NULL DEFAULT '[]',
      keywords TEXT NOT NULL DEFAULT '[]',
      date_from TEXT,
      date_to TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      activated_at TEXT,
      activated_by TEXT,
      released_at TEXT,
      released_by TEXT,
      release_reason TEXT
    );
    CREATE INDEX legal_holds_status ON legal_holds (status, case_id);
    CREATE INDEX legal_holds_case ON legal_holds (case_id);

    CREATE TABLE hold_subjects (
      hold_id TEXT NOT NULL REFERENCES legal_holds(id),
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      PRIMARY KEY (hold_id, subject_id)
    ) WITHOUT ROWID;
    CREATE INDEX hold_subjects_subject ON hold_subjects (subject_id);

    CREATE TABLE hold_custodians (
      id TEXT PRIMARY KEY,
      hold_id TEXT NOT NULL REFERENCES legal_holds(id),
      name TEXT NOT NULL,
      email TEXT NOT NULL DEFAULT '',
      notice_status TEXT NOT NULL DEFAULT 'pending' CHECK (notice_status IN ('pending','sent','acknowledged','escalated')),
      sent_at TEXT,
      last_notice_at TEXT,
      reminders INTEGER NOT NULL DEFAULT 0,
      acknowledged_at TEXT,
      ack_method TEXT,
      escalated_at TEXT,
      escalated_to TEXT,
      release_notified_at TEXT,
      added_by TEXT NOT NULL,
      added_at TEXT NOT NULL
    );
    CREATE INDEX hold_custodians_hold ON hold_custodians (hold_id, notice_status);

    CREATE TABLE hold_notices (
      id TEXT PRIMARY KEY,
      hold_id TEXT NOT NULL REFERENCES legal_holds(id),
      custodian_id TEXT NOT NULL REFERENCES hold_custodians(id),
      kind TEXT NOT NULL CHECK (kind IN ('hold','reminder','escalation','release')),
      body TEXT NOT NULL,
      issued_by TEXT NOT NULL,
      issued_at TEXT NOT NULL
    );
    CREATE INDEX hold_notices_hold ON hold_notices (hold_id, issued_at);
    CREATE TRIGGER hold_notices_no_update BEFORE UPDATE ON hold_notices
      BEGIN SELECT RAISE(ABORT, 'hold notices are append-only'); END;
    CREATE TRIGGER hold_notices_no_delete BEFORE DELETE ON hold_notices
      BEGIN SELECT RAISE(ABORT, 'hold notices are append-only'); END;
  `,
};
