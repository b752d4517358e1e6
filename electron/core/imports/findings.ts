import type { Finding, FindingSeverity, ImportPin } from '../../../shared/contract/bundles.js';
import type { Db } from '../db/open.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import {
  findingRow,
  findingRowsOfImport,
  type FindingRow,
  findSource,
  firstImportWithKeyAt,
  getImport,
  importedEventExists,
  type ImportRow,
  insertFindingRow,
} from './imports-store.js';
import { opTime, type Op } from '../domain/op.js';

function toFinding(r: FindingRow): Finding {
  return {
    id: r.id,
    importId: r.import_id,
    severity: r.severity,
    title: r.title,
    body: r.note,
    seq: r.seq,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** An import's findings, oldest first. */
export function listFindings(db: Db, importId: number): Finding[] {
  return findingRowsOfImport(db, importId).map(toFinding);
}

export interface NewFinding {
  importId: number;
  severity: FindingSeverity;
  title: string;
  body: string;
  seq?: number | undefined;
}

/** Records a finding and its ledger event in one transaction; refuses reviewed or unverified imports and unknown events. */
export function addFinding(ws: Workspace, op: Op, f: NewFinding): Finding {
  const { actor } = op;
  return ws.tx(() => {
    const row = getImport(ws.db, f.importId);
    const resource = { resourceType: 'import', resourceId: String(row.id) };
    if (row.status === 'reviewed') {
      throw new CustosError(
        'conflict',
        `Imported bundle ${row.id} was marked reviewed by ${row.reviewed_by ?? 'someone'} on ${(row.reviewed_at ?? '').slice(0, 10)}; findings can no longer be added to a signed-off review.`,
        resource,
      );
    }
    if (row.status !== 'verified') {
      throw new CustosError('conflict', `Imported bundle ${row.id} is still being verified; findings can be recorded once it is verified.`, resource);
    }
    const seq = f.seq ?? null;
    if (seq !== null && !importedEventExists(ws.db, row.id, seq)) {
      throw new CustosError('validation', `Imported bundle ${row.id} holds no event with seq ${seq}; check the number, or leave it empty.`, resource);
    }
    const createdAt = opTime(op).toISOString();
    const id = insertFindingRow(ws.db, { import_id: row.id, seq, severity: f.severity, title: f.title, note: f.body, created_at: createdAt, created_by: actor });
    ws.ledger.append({
      actor,
      action: 'imports.findings.add',
      resource_type: 'import',
      resource_id: String(row.id),
      details: {
        finding_id: id,
        severity: f.severity,
        title: f.title,
        seq,
        source_workspace_id: row.source_workspace_id,
        file_sha256: row.file_sha256,
      },
    });
    return toFinding(findingRow(ws.db, id));
  });
}

/** How the import's key stands against its source's pinned key; null if the source was never pinned. */
export function importPin(db: Db, row: ImportRow): ImportPin | null {
  const source = findSource(db, row.source_workspace_id);
  if (!source) return null;
  // The import that pinned the key is the first accepted one with that key since the pin (a revoked pin
  // may have been confirmed again later); it was recorded in the same transaction, with the same time.
  const first = firstImportWithKeyAt(db, row.source_workspace_id, source.key_id, source.pinned_at);
  return {
    pinnedByThisImport: first === row.id,
    matches: source.key_id === row.key_id,
    pinnedAt: source.pinned_at,
    pinnedBy: source.pinned_by,
  };
}
