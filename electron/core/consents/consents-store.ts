import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of written consents to disclose (34 CFR 99.30): the consent, what it covers, and the
// disclosures that relied on it. Each statement is prepared once per connection (db/statements.ts).

export interface ConsentRow {
  id: string;
  subject_id: string;
  given_by: 'student' | 'parent';
  signer_name: string;
  recipient: string;
  purpose: string;
  signed_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  recorded_by: string;
  recorded_at: string;
  disclosure_count: number;
}

const SELECT = `SELECT c.*, (SELECT count(*) FROM disclosures d WHERE d.consent_id = c.id) AS disclosure_count FROM consents c`;

/** The consent, or undefined. */
export function findConsentRow(db: Db, id: string): ConsentRow | undefined {
  return prepared<[string], ConsentRow>(db, `${SELECT} WHERE c.id = ?`).get(id);
}

const CONSENT_LIST: ListSource = {
  select: SELECT,
  from: 'FROM consents c',
  sorts: { signed_at: 'c.signed_at', id: 'c.id', recipient: 'c.recipient COLLATE NOCASE' },
  tiebreak: 'c.id',
};

/** A page of consents (of one subject when named) with the total, searched over id, recipient, purpose and signer. */
export function consentRowsPage(db: Db, f: PageQuery & { subjectId?: string | undefined; search?: string | undefined }): { rows: ConsentRow[]; total: number } {
  const where = namedWhere([['c.subject_id = @subject', 'subject', f.subjectId]], {
    text: f.search,
    columns: ['c.id', 'c.recipient', 'c.purpose', 'c.signer_name'],
  });
  return listPage<ConsentRow>(db, CONSENT_LIST, where, f);
}

/** What a consent covers: record ids and record categories. */
export function scopeOfConsent(db: Db, id: string): { kind: 'record' | 'category'; value: string }[] {
  return prepared<[string], { kind: 'record' | 'category'; value: string }>(
    db,
    'SELECT kind, value FROM consent_scope WHERE consent_id = ? ORDER BY kind, value',
  ).all(id);
}

/** The records a consent names, with their titles and categories. */
export function recordsOfConsent(db: Db, id: string): { id: string; title: string; category: string }[] {
  return prepared<[string], { id: string; title: string; category: string }>(
    db,
    `SELECT r.id, r.title, r.category FROM consent_scope cs JOIN records r ON r.id = cs.value
       WHERE cs.consent_id = ? AND cs.kind = 'record' ORDER BY r.id`,
  ).all(id);
}

/** Inserts a consent (its scope: `addConsentScope`). */
export function insertConsentRow(db: Db, c: Omit<ConsentRow, 'revoked_at' | 'revoked_by' | 'revocation_reason' | 'disclosure_count'>): void {
  prepared(
    db,
    `INSERT INTO consents (id, subject_id, given_by, signer_name, recipient, purpose, signed_at, expires_at, recorded_by, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(c.id, c.subject_id, c.given_by, c.signer_name, c.recipient, c.purpose, c.signed_at, c.expires_at, c.recorded_by, c.recorded_at);
}

/** Notes one record or category a consent covers. */
export function addConsentScope(db: Db, consentId: string, kind: 'record' | 'category', value: string): void {
  prepared<[string, string, string]>(db, 'INSERT INTO consent_scope (consent_id, kind, value) VALUES (?, ?, ?)').run(consentId, kind, value);
}

/** Marks a consent revoked (the schema allows this once). */
export function setConsentRevoked(db: Db, id: string, revokedAt: string, revokedBy: string, reason: string): void {
  prepared<[string, string, string, string]>(db, 'UPDATE consents SET revoked_at = ?, revoked_by = ?, revocation_reason = ? WHERE id = ?').run(
    revokedAt,
    revokedBy,
    reason,
    id,
  );
}
