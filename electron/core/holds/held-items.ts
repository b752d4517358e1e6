import type { Workspace } from '../workspace.js';
import { holdRow, holdScope } from './hold-rows.js';
import { evidenceInScope, recordInScope } from './hold-scope.js';

/**
 * What a hold covers (or, for a draft, would cover): linked items of its case plus everything its
 * scope matches, using the same matching as the destructive-path check. Disposed evidence and
 * purged or erased records are left out: nothing of them remains to preserve.
 */
export function heldItems(
  ws: Workspace,
  holdId: string,
  limit = Number.POSITIVE_INFINITY,
): {
  evidence: { id: string; title: string; status: string; reason: string }[];
  records: { id: string; subjectId: string; category: string; title: string; reason: string }[];
  truncated: boolean;
} {
  const hold = holdRow(ws, holdId);
  const scope = holdScope(ws, hold);
  const linked = (type: string) =>
    new Set((ws.db.prepare('SELECT item_id FROM case_links WHERE case_id = ? AND item_type = ?').all(hold.case_id, type) as { item_id: string }[]).map((r) => r.item_id));
  const linkedEvidence = linked('evidence');
  const linkedRecords = linked('record');
  const evidence: { id: string; title: string; status: string; reason: string }[] = [];
  const records: { id: string; subjectId: string; category: string; title: string; reason: string }[] = [];
  let truncated = false;

  const ev = ws.db
    .prepare("SELECT id, title, description, original_name, source, collected_by, custodian, collected_at, status FROM evidence WHERE status <> 'disposed' ORDER BY id")
    .iterate() as IterableIterator<{
    id: string;
    title: string;
    description: string;
    original_name: string;
    source: string;
    collected_by: string;
    custodian: string;
    collected_at: string;
    status: string;
  }>;
  for (const e of ev) {
    const reason = linkedEvidence.has(e.id)
      ? `linked to case ${hold.case_id}`
      : evidenceInScope(scope, {
          title: e.title,
          description: e.description,
          originalName: e.original_name,
          source: e.source,
          collectedBy: e.collected_by,
          custodian: e.custodian,
          collectedAt: e.collected_at,
        });
    if (!reason) continue;
    if (evidence.length >= limit) {
      truncated = true;
      break;
    }
    evidence.push({ id: e.id, title: e.title, status: e.status, reason });
  }

  const recs = ws.db
    .prepare("SELECT id, subject_id, category, title, content, record_date FROM records WHERE status = 'active' ORDER BY id")
    .iterate() as IterableIterator<{ id: string; subject_id: string; category: string; title: string; content: string | null; record_date: string }>;
  for (const r of recs) {
    const reason = linkedRecords.has(r.id)
      ? `linked to case ${hold.case_id}`
      : recordInScope(scope, { subjectId: r.subject_id, category: r.category, title: r.title, content: r.content, recordDate: r.record_date });
    if (!reason) continue;
    if (records.length >= limit) {
      truncated = true;
      break;
    }
    records.push({ id: r.id, subjectId: r.subject_id, category: r.category, title: r.title, reason });
  }
  return { evidence, records, truncated };
}
