import type { Consent, ConsentGiver, ConsentState } from '../../../shared/contract/consents.js';
import type { PageQuery } from '../db/list-page.js';
import { toUtcIso } from '../domain/deadlines.js';
import { yearlyId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { retentionCategory } from '../domain/retention-policy.js';
import { getSubject, recordsOfSubject, type RecordRow } from '../domain/subject-rows.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { now as clockNow } from '../clock.js';
import {
  addConsentScope,
  type ConsentRow,
  consentRowsPage,
  findConsentRow,
  insertConsentRow,
  recordsOfConsent,
  scopeOfConsent,
  setConsentRevoked,
} from './consents-store.js';

/** The state of a consent at `at`: revoked from its revocation on, expired from its expiry on. */
function stateAt(r: ConsentRow, at: string): ConsentState {
  if (r.revoked_at !== null && r.revoked_at <= at) return 'revoked';
  if (r.expires_at !== null && r.expires_at <= at) return 'expired';
  return 'live';
}

function toConsent(ws: Workspace, r: ConsentRow, now: Date): Consent {
  return {
    id: r.id,
    subjectId: r.subject_id,
    givenBy: r.given_by,
    signerName: r.signer_name,
    recipient: r.recipient,
    purpose: r.purpose,
    categories: scopeOfConsent(ws.db, r.id).filter((s) => s.kind === 'category').map((s) => s.value),
    records: recordsOfConsent(ws.db, r.id),
    signedAt: r.signed_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    revocationReason: r.revocation_reason,
    state: stateAt(r, now.toISOString()),
    disclosureCount: r.disclosure_count,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  };
}

function row(ws: Workspace, id: string): ConsentRow {
  const r = findConsentRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no consent ${id}.`, { resourceType: 'consent', resourceId: id });
  return r;
}

export function getConsent(ws: Workspace, id: string, now: Date = clockNow()): Consent {
  return toConsent(ws, row(ws, id), now);
}

/** `consents.list`: a page of consents (of one subject when named; newest first by default), each with its state now, and the total. */
export function listConsents(
  ws: Workspace,
  f: PageQuery & { subjectId?: string | undefined; search?: string | undefined },
  now: Date = clockNow(),
): { items: Consent[]; total: number } {
  if (f.subjectId) getSubject(ws, f.subjectId);
  const page = consentRowsPage(ws.db, f);
  return { items: page.rows.map((r) => toConsent(ws, r, now)), total: page.total };
}

export interface RecordConsentInput {
  subjectId: string;
  givenBy: ConsentGiver;
  signerName: string;
  recipient: string;
  purpose: string;
  categories: string[];
  recordIds: string[];
  signedAt: string;
  expiresAt?: string;
}

/** `consents.record`: a signed and dated consent (99.30(a)) naming records or categories, a recipient and a purpose (99.30(b)). */
export function recordConsent(ws: Workspace, op: Op, input: RecordConsentInput): Consent {
  const now = opTime(op);
  const subject = getSubject(ws, input.subjectId);
  if (input.categories.length === 0 && input.recordIds.length === 0) {
    throw new CustosError('validation', 'A consent must say which records it covers: name record categories, single records, or both (34 CFR 99.30(b)(1)).');
  }
  const categories = [...new Set(input.categories)];
  for (const c of categories) retentionCategory(c);
  const records = recordsOfSubject(ws, subject.id, input.recordIds);
  const signedAt = toUtcIso(input.signedAt);
  if (signedAt > now.toISOString()) throw new CustosError('validation', 'A consent is recorded after it is signed; its date cannot be in the future.');
  const expiresAt = input.expiresAt ? toUtcIso(input.expiresAt) : null;
  if (expiresAt !== null && expiresAt <= signedAt) throw new CustosError('validation', 'A consent cannot expire before it was signed.');
  const id = ws.tx(() => {
    const id = yearlyId(ws, 'CNS', now);
    insertConsentRow(ws.db, {
      id,
      subject_id: subject.id,
      given_by: input.givenBy,
      signer_name: input.signerName,
      recipient: input.recipient,
      purpose: input.purpose,
      signed_at: signedAt,
      expires_at: expiresAt,
      recorded_by: op.actor,
      recorded_at: now.toISOString(),
    });
    for (const c of categories) addConsentScope(ws.db, id, 'category', c);
    for (const r of records) addConsentScope(ws.db, id, 'record', r.id);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'consents.record',
        resource_type: 'consent',
        resource_id: id,
        details: {
          subject_id: subject.id,
          given_by: input.givenBy,
          categories,
          records: records.map((r) => r.id),
          signed_at: signedAt,
          ...(expiresAt ? { expires_at: expiresAt } : {}),
        },
      },
      now,
    );
    return id;
  });
  return getConsent(ws, id, now);
}

/** `consents.revoke`: from `revokedAt` on (now by default) no disclosure may rely on the consent; earlier ones stand. */
export function revokeConsent(ws: Workspace, op: Op, input: { id: string; reason: string; revokedAt?: string }): Consent {
  const now = opTime(op);
  const revokedAt = input.revokedAt ? toUtcIso(input.revokedAt) : now.toISOString();
  if (revokedAt > now.toISOString()) throw new CustosError('validation', 'A revocation is recorded after it is received; its date cannot be in the future.');
  ws.tx(() => {
    const r = row(ws, input.id);
    if (r.revoked_at !== null) {
      throw new CustosError('conflict', `Consent ${r.id} was already revoked on ${r.revoked_at.slice(0, 10)}.`, { resourceType: 'consent', resourceId: r.id });
    }
    if (revokedAt < r.signed_at) throw new CustosError('validation', 'A consent cannot be revoked before it was signed.');
    setConsentRevoked(ws.db, r.id, revokedAt, op.actor, input.reason);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'consents.revoke',
        resource_type: 'consent',
        resource_id: r.id,
        details: { subject_id: r.subject_id, revoked_at: revokedAt, reason: input.reason },
      },
      now,
    );
  });
  return getConsent(ws, input.id, now);
}

/** Names compare without case or extra spaces: "Acme Tax  Services" is "acme tax services". */
function sameParty(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Refuses a consent-based disclosure that the named consent does not cover at `at` (34 CFR 99.30):
 * it must be the subject's, signed and neither expired nor revoked by then, name this recipient,
 * and cover every disclosed record by id or category.
 */
export function assertConsentCovers(
  ws: Workspace,
  consentId: string | undefined,
  d: { subjectId: string; records: readonly RecordRow[]; recipient: string; at: string },
): void {
  const refuse = (why: string): never => {
    throw new CustosError('conflict', `A disclosure on the ground of consent needs a signed written consent that covers it (34 CFR 99.30): ${why}`, {
      resourceType: 'subject',
      resourceId: d.subjectId,
      rule: 'consent',
      ...(consentId ? { consentId } : {}),
    });
  };
  if (!consentId) return refuse('name the consent the disclosure relies on.');
  const r = findConsentRow(ws.db, consentId);
  if (!r || r.subject_id !== d.subjectId) return refuse(`${consentId} is not a consent of ${d.subjectId}.`);
  if (r.signed_at > d.at) return refuse(`${r.id} was signed on ${r.signed_at.slice(0, 10)}, after the disclosure.`);
  const state = stateAt(r, d.at);
  if (state === 'revoked') return refuse(`${r.id} was revoked on ${(r.revoked_at ?? '').slice(0, 10)}, before the disclosure.`);
  if (state === 'expired') return refuse(`${r.id} expired on ${(r.expires_at ?? '').slice(0, 10)}, before the disclosure.`);
  if (!sameParty(r.recipient, d.recipient)) return refuse(`${r.id} allows disclosure to ${r.recipient}, not to ${d.recipient}.`);
  const scope = scopeOfConsent(ws.db, r.id);
  const covered = (rec: RecordRow) => scope.some((s) => (s.kind === 'record' && s.value === rec.id) || (s.kind === 'category' && s.value === rec.category));
  const outside = d.records.filter((rec) => !covered(rec));
  if (outside.length > 0) return refuse(`${r.id} does not cover ${outside.map((rec) => `${rec.id} (${rec.category})`).join(', ')}.`);
}
