import type { Workspace } from '../workspace.js';
import { holdRow, holdScope } from './hold-rows.js';
import { evidenceInScope, recordInScope } from './hold-scope.js';
import { activeRecordsForScope, itemIdsLinkedToCase, undisposedEvidenceForScope } from './holds-store.js';

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
  const linked = (type: string) => new Set(itemIdsLinkedToCase(ws.db, hold.case_id, type));
  const linkedEvidence = linked('evidence');
  const linkedRecords = linked('record');
  const evidence: { id: string; title: string; status: string; reason: string }[] = [];
  const records: { id: string; subjectId: string; category: string; title: string; reason: string }[] = [];
  let truncated = false;

  const ev = undisposedEvidenceForScope(ws.db);
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

  const recs = activeRecordsForScope(ws.db);
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
