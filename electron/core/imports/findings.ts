import type { Finding, FindingSeverity, ImportPin } from '../../../shared/contract/bundles.js';
import type { Db } from '../db/open.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { findSource, getImport, type ImportRow } from './imports-store.js';
import { opTime, type Op } from '../domain/op.js';

interface FindingRow {
  id: number;
  import_id: number;
  seq: number | null;
  severity: FindingSeverity;
  title: string;
  note: string;
  created_at: string;
  created_by: string;
}

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
  return (db.prepare('SELECT * FROM import_findings WHERE import_id = ? ORDER BY id').all(importId) as FindingRow[]).map(toFinding);
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
    if (seq !== null && !ws.db.prepare('SELECT 1 FROM imported_events WHERE import_id = ? AND seq = ?').get(row.id, seq)) {
      throw new CustosError('validation', `Imported bundle ${row.id} holds no event with seq ${seq}; check the number, or leave it empty.`, resource);
    }
    const createdAt = opTime(op).toISOString();
    const r = ws.db
      .prepare('INSERT INTO import_findings (import_id, seq, severity, title, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, seq, f.severity, f.title, f.body, createdAt, actor);
    const id = Number(r.lastInsertRowid);
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
    return toFinding(ws.db.prepare('SELECT * FROM import_findings WHERE id = ?').get(id) as FindingRow);
  });
}

/** How the import's key stands against its source's pinned key; null if the source was never pinned. */
export function importPin(db: Db, row: ImportRow): ImportPin | null {
  const source = findSource(db, row.source_workspace_id);
  if (!source) return null;
  // The import that pinned the key is the first accepted one with that key since the pin (a revoked pin
  // may have been confirmed again later); it was recorded in the same transaction, with the same time.
  const first = db
    .prepare("SELECT min(id) AS id FROM imports WHERE source_workspace_id = ? AND key_id = ? AND imported_at = ? AND status <> 'verifying'")
    .get(row.source_workspace_id, source.key_id, source.pinned_at) as { id: number | null };
  return {
    pinnedByThisImport: first.id === row.id,
    matches: source.key_id === row.key_id,
    pinnedAt: source.pinned_at,
    pinnedBy: source.pinned_by,
  };
}
