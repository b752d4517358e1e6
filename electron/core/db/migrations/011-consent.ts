import type { Migration } from './index.js';

/**
 * Consent and FERPA rules as seed 002 states them (issue 12, items 5 and 6): written consents to
 * disclose (99.30) with what they cover and their revocation; the disclosure that relied on one; the
 * matter of an amendment request (subjective grades and attendance are answered, not amended); the
 * notices to earlier recipients after an agreed amendment; and the institution's FERPA settings.
 * A consent's terms and every notice are evidence, so they are append-only; a consent changes once,
 * when it is revoked, and only in its revocation columns.
 */
export const migration011: Migration = {
  // Reserved number 12; on this branch it is the 9th migration, and `migrate` reads versions by position.
  version: 11,
  name: 'consent',
  sql: `
    CREATE TABLE consents (
      id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL REFERENCES subjects(id),
      given_by TEXT NOT NULL CHECK (given_by IN ('student','parent')),
      signer_name TEXT NOT NULL,
      recipient TEXT NOT NULL,
      purpose TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      expires_at TEXT,
      revoked_at TEXT,
      revoked_by TEXT,
      revocation_reason TEXT,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
    CREATE INDEX consents_subject ON consents (subject_id, signed_at);
    CREATE TRIGGER consents_terms_no_update BEFORE UPDATE OF
      id, subject_id, given_by, signer_name, recipient, purpose, signed_at, expires_at, recorded_by, recorded_at ON consents
      BEGIN SELECT RAISE(ABORT, 'the terms of a consent are append-only'); END;
    CREATE TRIGGER consents_revoke_once BEFORE UPDATE OF revoked_at, revoked_by, revocation_reason ON consents
      WHEN OLD.revoked_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a consent is revoked once'); END;
    CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
      BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;

    -- What a consent covers: named records, whole record categories, or both.
    CREATE TABLE consent_scope (
      consent_id TEXT NOT NULL REFERENCES consents(id),
      kind TEXT NOT NULL CHECK (kind IN ('record','category')),
      value TEXT NOT NULL,
      PRIMARY KEY (consent_id, kind, value)
    ) WITHOUT ROWID;
    CREATE TRIGGER consent_scope_no_update BEFORE UPDATE ON consent_scope
      BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
    CREATE TRIGGER consent_scope_no_delete BEFORE DELETE ON consent_scope
      BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;

    ALTER TABLE disclosures ADD COLUMN consent_id TEXT REFERENCES consents(id);
    CREATE TRIGGER disclosures_consent_no_update BEFORE UPDATE OF consent_id ON disclosures
      BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;

    ALTER TABLE amendment_requests ADD COLUMN matter TEXT NOT NULL DEFAULT 'inaccurate_or_misleading';
    ALTER TABLE amendment_requests ADD COLUMN answer TEXT;

    CREATE TABLE amendment_notices (
      id TEXT PRIMARY KEY,
      amendment_id TEXT NOT NULL REFERENCES amendment_requests(id),
      disclosure_id TEXT NOT NULL REFERENCES disclosures(id),
      recipient TEXT NOT NULL,
      change_text TEXT NOT NULL,
      notified_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      UNIQUE (amendment_id, disclosure_id)
    );
    CREATE INDEX amendment_notices_disclosure ON amendment_notices (disclosure_id);
    CREATE TRIGGER amendment_notices_no_update BEFORE UPDATE ON amendment_notices
      BEGIN SELECT RAISE(ABORT, 'notices are append-only'); END;
    CREATE TRIGGER amendment_notices_no_delete BEFORE DELETE ON amendment_notices
      BEGIN SELECT RAISE(ABORT, 'notices are append-only'); END;

    -- The institution's choices where FERPA allows one; absent keys take the shipped default.
    CREATE TABLE ferpa_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};
