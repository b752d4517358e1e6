import type { CustodyEvent, Evidence } from '../../../shared/contract/evidence.js';
import { casesOf } from '../cases/links.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import { likePattern } from '../domain/like.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';

// The SQL of evidence and its custody events (statements prepared once per connection), and the
// evidence row as the contract describes it.

/** An evidence row as stored. */
export interface EvidenceRow {
  id: string;
  title: string;
  description: string;
  source: string;
  collected_by: string;
  collected_at: string;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  blob_name: string;
  key_salt: Buffer | null;
  blob_present: number;
  status: Evidence['status'];
  integrity: Evidence['integrity'];
  last_verified_at: string | null;
  custodian: string;
  location: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  disposed_at: string | null;
  disposed_by: string | null;
  dispose_reason: string | null;
}

/** The evidence row, or undefined. */
export function findEvidenceRow(db: Db, id: string): EvidenceRow | undefined {
  return prepared<[string], EvidenceRow>(db, 'SELECT * FROM evidence WHERE id = ?').get(id);
}

/** The evidence row; throws not_found. */
export function evidenceRow(ws: Workspace, id: string): EvidenceRow {
  const row = findEvidenceRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no evidence item ${id}.`, { resourceType: 'evidence', resourceId: id });
  return row;
}

export function toEvidence(ws: Workspace, r: EvidenceRow): Evidence {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    source: r.source,
    collectedBy: r.collected_by,
    collectedAt: r.collected_at,
    originalName: r.original_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    status: r.status,
    integrity: r.integrity,
    lastVerifiedAt: r.last_verified_at,
    custodian: r.custodian,
    location: r.location,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    disposedAt: r.disposed_at,
    disposedBy: r.disposed_by,
    disposeReason: r.dispose_reason,
    caseIds: casesOf(ws, 'evidence', r.id),
  };
}

/** The evidence item; throws not_found. */
export function getEvidence(ws: Workspace, id: string): Evidence {
  return toEvidence(ws, evidenceRow(ws, id));
}

/** A custody_events row as stored. */
export interface CustodyRow {
  id: number;
  evidence_id: string;
  kind: CustodyEvent['kind'];
  from_party: string | null;
  to_party: string | null;
  purpose: string;
  location: string;
  at: string;
  recorded_by: string;
  ledger_seq: number;
}

/** The custody event rows of an item, in order. */
export function custodyRowsOfEvidence(db: Db, id: string): CustodyRow[] {
  return prepared<[string], CustodyRow>(db, 'SELECT * FROM custody_events WHERE evidence_id = ? ORDER BY id').all(id);
}

/** The custody events of an item, in order. */
export function custodyEvents(ws: Workspace, id: string): CustodyEvent[] {
  return custodyRowsOfEvidence(ws.db, id).map((r) => ({
    id: r.id,
    evidenceId: r.evidence_id,
    kind: r.kind,
    fromParty: r.from_party,
    toParty: r.to_party,
    purpose: r.purpose,
    location: r.location,
    at: r.at,
    recordedBy: r.recorded_by,
    ledgerSeq: r.ledger_seq,
  }));
}

/** Appends one custody event; call inside `ws.tx`, after the ledger event it belongs to. */
export function addCustodyEvent(
  ws: Workspace,
  e: { evidenceId: string; kind: CustodyEvent['kind']; from: string | null; to: string | null; purpose: string; location: string; at: string; by: string; ledgerSeq: number },
): void {
  prepared<[string, string, string | null, string | null, string, string, string, string, number]>(
    ws.db,
    `INSERT INTO custody_events (evidence_id, kind, from_party, to_party, purpose, location, at, recorded_by, ledger_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.evidenceId, e.kind, e.from, e.to, e.purpose, e.location, e.at, e.by, e.ledgerSeq);
}

/** The search, filters, sort and page of an evidence list. */
export interface EvidenceQuery {
  search?: string | undefined;
  status?: readonly Evidence['status'][] | undefined;
  integrity?: Evidence['integrity'] | undefined;
  caseId?: string | undefined;
  sort: string;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

const EVIDENCE_LIST: ListSource = {
  select: 'SELECT e.* FROM evidence e',
  from: 'FROM evidence e',
  sorts: {
  id: 'e.id',
  title: 'e.title COLLATE NOCASE',
  status: 'e.status',
  collected_at: 'e.collected_at',
  updated_at: 'e.updated_at',
  size_bytes: 'e.size_bytes',
},
  tiebreak: 'e.id',
};

/** A page of evidence rows with the total. */
export function evidenceRowsPage(
  db: Db,
  q: EvidenceQuery,
): { rows: EvidenceRow[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    const like = likePattern(q.search);
    where.push(
      "(e.id LIKE ? ESCAPE '\\' OR e.title LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\' OR e.source LIKE ? ESCAPE '\\' OR e.original_name LIKE ? ESCAPE '\\' OR e.sha256 LIKE ? ESCAPE '\\')",
    );
    params.push(like, like, like, like, like, like);
  }
  if (q.status?.length) {
    where.push(`e.status IN (${q.status.map(() => '?').join(', ')})`);
    params.push(...q.status);
  }
  if (q.integrity) {
    where.push('e.integrity = ?');
    params.push(q.integrity);
  }
  if (q.caseId) {
    where.push("EXISTS (SELECT 1 FROM case_links l WHERE l.case_id = ? AND l.item_type = 'evidence' AND l.item_id = e.id)");
    params.push(q.caseId);
  }
  return listPage<EvidenceRow>(db, EVIDENCE_LIST, { conds: where, params }, q);
}

/** A page of evidence items with the total. */
export function listEvidence(
  ws: Workspace,
  q: EvidenceQuery,
): { items: Evidence[]; total: number } {
  const { rows, total } = evidenceRowsPage(ws.db, q);
  return { items: rows.map((r) => toEvidence(ws, r)), total };
}

/** Inserts a newly ingested item: collected, its blob present and verified at intake. */
export function insertCollectedEvidence(
  db: Db,
  e: {
    id: string;
    title: string;
    description: string;
    source: string;
    collectedBy: string;
    collectedAt: string;
    originalName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    blobName: string;
    keySalt: Buffer;
    custodian: string;
    location: string;
    createdBy: string;
    at: string;
  },
): void {
  prepared<[string, string, string, string, string, string, string, string, number, string, string, Buffer, string, string, string, string, string, string]>(
    db,
    `INSERT INTO evidence (id, title, description, source, collected_by, collected_at, original_name, media_type, size_bytes, sha256,
       blob_name, key_salt, blob_present, status, integrity, last_verified_at, custodian, location, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'collected', 'ok', ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.id,
    e.title,
    e.description,
    e.source,
    e.collectedBy,
    e.collectedAt,
    e.originalName,
    e.mediaType,
    e.sizeBytes,
    e.sha256,
    e.blobName,
    e.keySalt,
    e.at,
    e.custodian,
    e.location,
    e.createdBy,
    e.at,
    e.at,
  );
}

/** Links a newly ingested item to its case. */
export function insertEvidenceCaseLink(db: Db, caseId: string, evidenceId: string, linkedBy: string, linkedAt: string): void {
  prepared<[string, string, string, string, string]>(db, 'INSERT INTO case_links (case_id, item_type, item_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)').run(
    caseId,
    'evidence',
    evidenceId,
    linkedBy,
    linkedAt,
  );
}

/** Hands an item to a new custodian at a location. */
export function setEvidenceCustodian(db: Db, id: string, status: Evidence['status'], custodian: string, location: string, updatedAt: string): void {
  prepared<[string, string, string, string, string]>(db, 'UPDATE evidence SET status = ?, custodian = ?, location = ?, updated_at = ? WHERE id = ?').run(
    status,
    custodian,
    location,
    updatedAt,
    id,
  );
}

/** Sets an item's status and location (seal, release). */
export function setEvidenceStatus(db: Db, id: string, status: Evidence['status'], location: string, updatedAt: string): void {
  prepared<[string, string, string, string]>(db, 'UPDATE evidence SET status = ?, location = ?, updated_at = ? WHERE id = ?').run(status, location, updatedAt, id);
}

/** Marks an item disposed and destroys its key salt (its blob can no longer be decrypted). */
export function setEvidenceDisposed(db: Db, id: string, actor: string, reason: string, at: string): void {
  prepared<[string, string, string, string, string]>(
    db,
    "UPDATE evidence SET status = 'disposed', blob_present = 0, key_salt = NULL, disposed_at = ?, disposed_by = ?, dispose_reason = ?, updated_at = ? WHERE id = ?",
  ).run(at, actor, reason, at, id);
}

/** Records the outcome of a re-verification. */
export function setEvidenceIntegrity(db: Db, id: string, integrity: Evidence['integrity'], at: string): void {
  prepared<[string, string, string, string]>(db, 'UPDATE evidence SET integrity = ?, last_verified_at = ?, updated_at = ? WHERE id = ?').run(integrity, at, at, id);
}

/** The blob names of every item whose blob is present. */
export function presentBlobNames(db: Db): string[] {
  return prepared<[], { blob_name: string }>(db, 'SELECT blob_name FROM evidence WHERE blob_present = 1')
    .all()
    .map((r) => r.blob_name);
}

/** The ledger events of one evidence item, oldest first. */
export function ledgerRowsOfEvidence(db: Db, id: string): { seq: number; ts: string; actor: string; action: string; outcome: string; details: string }[] {
  return prepared<[string], { seq: number; ts: string; actor: string; action: string; outcome: string; details: string }>(
    db,
    "SELECT seq, ts, actor, action, outcome, details FROM events WHERE resource_type = 'evidence' AND resource_id = ? ORDER BY seq",
  ).all(id);
}
