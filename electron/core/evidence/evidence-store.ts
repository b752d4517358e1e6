import type { CustodyEvent, Evidence } from '../../../shared/contract/evidence.js';
import { likePattern } from '../domain/like.js';
import { casesOf } from '../cases/links.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { listPage, type ListSource } from '../db/list-page.js';

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

export function evidenceRow(ws: Workspace, id: string): EvidenceRow {
  const row = ws.db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as EvidenceRow | undefined;
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

interface CustodyRow {
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

/** The custody events of an item, in order. */
export function custodyEvents(ws: Workspace, id: string): CustodyEvent[] {
  return (ws.db.prepare('SELECT * FROM custody_events WHERE evidence_id = ? ORDER BY id').all(id) as CustodyRow[]).map((r) => ({
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
  ws.db
    .prepare(
      `INSERT INTO custody_events (evidence_id, kind, from_party, to_party, purpose, location, at, recorded_by, ledger_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(e.evidenceId, e.kind, e.from, e.to, e.purpose, e.location, e.at, e.by, e.ledgerSeq);
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

/** A page of evidence items with the total. */
export function listEvidence(
  ws: Workspace,
  q: {
    search?: string | undefined;
    status?: readonly Evidence['status'][] | undefined;
    integrity?: Evidence['integrity'] | undefined;
    caseId?: string | undefined;
    sort: string;
    dir: 'asc' | 'desc';
    offset: number;
    limit: number;
  },
): { items: Evidence[]; total: number } {
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
  const page = listPage<EvidenceRow>(ws.db, EVIDENCE_LIST, { conds: where, params }, q);
  return { items: page.rows.map((r) => toEvidence(ws, r)), total: page.total };
}
