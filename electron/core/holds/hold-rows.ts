import type { Hold } from '../../../shared/contract/holds.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import type { ScopeData } from './hold-scope.js';

/** A legal_holds row as stored. */
export interface HoldRow {
  id: string;
  case_id: string;
  title: string;
  description: string;
  status: 'draft' | 'active' | 'released';
  categories: string;
  keywords: string;
  date_from: string | null;
  date_to: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  activated_at: string | null;
  activated_by: string | null;
  released_at: string | null;
  released_by: string | null;
  release_reason: string | null;
}

/** The hold row; throws not_found. */
export function holdRow(ws: Workspace, id: string): HoldRow {
  const row = ws.db.prepare('SELECT * FROM legal_holds WHERE id = ?').get(id) as HoldRow | undefined;
  if (!row) throw new CustosError('not_found', `There is no legal hold ${id}.`, { resourceType: 'hold', resourceId: id });
  return row;
}

/** Every criterion of a hold's scope, custodians included. */
export function holdScope(ws: Workspace, row: HoldRow): ScopeData {
  const subjectIds = (ws.db.prepare('SELECT subject_id FROM hold_subjects WHERE hold_id = ? ORDER BY subject_id').all(row.id) as { subject_id: string }[]).map(
    (r) => r.subject_id,
  );
  const custodians = ws.db.prepare('SELECT name, email FROM hold_custodians WHERE hold_id = ? ORDER BY added_at, id').all(row.id) as {
    name: string;
    email: string;
  }[];
  return {
    subjectIds,
    categories: JSON.parse(row.categories) as string[],
    keywords: JSON.parse(row.keywords) as string[],
    dateFrom: row.date_from,
    dateTo: row.date_to,
    custodians,
  };
}

/** The hold as the contract describes it. */
export function toHold(ws: Workspace, row: HoldRow): Hold {
  const scope = holdScope(ws, row);
  const counts = { pending: 0, sent: 0, acknowledged: 0, escalated: 0 };
  for (const c of ws.db.prepare('SELECT notice_status AS s, count(*) AS n FROM hold_custodians WHERE hold_id = ? GROUP BY notice_status').all(row.id) as {
    s: keyof typeof counts;
    n: number;
  }[]) {
    counts[c.s] = c.n;
  }
  const caseTitle = (ws.db.prepare('SELECT title FROM cases WHERE id = ?').get(row.case_id) as { title: string } | undefined)?.title ?? '';
  return {
    id: row.id,
    caseId: row.case_id,
    caseTitle,
    title: row.title,
    description: row.description,
    status: row.status,
    scope: { subjectIds: [...scope.subjectIds], categories: [...scope.categories], dateFrom: scope.dateFrom, dateTo: scope.dateTo, keywords: [...scope.keywords] },
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    activatedAt: row.activated_at,
    activatedBy: row.activated_by,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
    releaseReason: row.release_reason,
    custodianCounts: counts,
  };
}
