import { prepared } from '../db/statements.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';

/** A subject as FERPA work needs it (tables of migration 002). */
export interface SubjectRow {
  id: string;
  displayName: string;
  directoryOptOut: boolean;
  directoryOptOutAt: string | null;
  kind: string;
  /** Recorded dependent status (migration 022): null until recorded. */
  dependent: boolean | null;
  dependentRecordedAt: string | null;
}

/** A record as FERPA work needs it; `content` is null once purged or erased. */
export interface RecordRow {
  id: string;
  subjectId: string;
  category: string;
  title: string;
  content: string | null;
  source: string;
  recordDate: string;
  status: string;
}

export function getSubject(ws: Workspace, id: string): SubjectRow {
  const row = prepared<
    [string],
    { id: string; display_name: string; kind: string; directory_opt_out: number; directory_opt_out_at: string | null; dependent: number | null; dependent_recorded_at: string | null }
  >(ws.db, 'SELECT id, display_name, kind, directory_opt_out, directory_opt_out_at, dependent, dependent_recorded_at FROM subjects WHERE id = ?').get(id);
  if (!row) throw new CustosError('not_found', `There is no subject ${id}.`, { resourceType: 'subject', resourceId: id });
  return {
    id: row.id,
    displayName: row.display_name,
    kind: row.kind,
    directoryOptOut: row.directory_opt_out === 1,
    directoryOptOutAt: row.directory_opt_out_at,
    dependent: row.dependent === null ? null : row.dependent === 1,
    dependentRecordedAt: row.dependent_recorded_at,
  };
}

export function getRecord(ws: Workspace, id: string): RecordRow {
  const row = prepared<
    [string],
    { id: string; subject_id: string; category: string; title: string; content: string | null; source: string; record_date: string; status: string }
  >(ws.db, 'SELECT id, subject_id, category, title, content, source, record_date, status FROM records WHERE id = ?').get(id);
  if (!row) throw new CustosError('not_found', `There is no record ${id}.`, { resourceType: 'record', resourceId: id });
  return {
    id: row.id,
    subjectId: row.subject_id,
    category: row.category,
    title: row.title,
    content: row.content,
    source: row.source,
    recordDate: row.record_date,
    status: row.status,
  };
}

/** The records, in the given order, after checking that each exists and belongs to the subject. */
export function recordsOfSubject(ws: Workspace, subjectId: string, ids: readonly string[]): RecordRow[] {
  const seen = new Set<string>();
  const out: RecordRow[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const r = getRecord(ws, id);
    if (r.subjectId !== subjectId) {
      throw new CustosError('validation', `Record ${id} belongs to another subject, not to ${subjectId}.`, { recordId: id });
    }
    out.push(r);
  }
  return out;
}
