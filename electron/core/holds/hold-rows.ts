import type { Hold } from '../../../shared/contract/holds.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import type { ScopeData } from './hold-scope.js';
import { caseTitle, custodianContactsOfHold, findHoldRow, noticeStatusCountsOfHold, subjectIdsOfHold, type HoldRow } from './holds-store.js';

export type { HoldRow } from './holds-store.js';

/** The hold row; throws not_found. */
export function holdRow(ws: Workspace, id: string): HoldRow {
  const row = findHoldRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no legal hold ${id}.`, { resourceType: 'hold', resourceId: id });
  return row;
}

/** Every criterion of a hold's scope, custodians included. */
export function holdScope(ws: Workspace, row: HoldRow): ScopeData {
  const subjectIds = subjectIdsOfHold(ws.db, row.id);
  const custodians = custodianContactsOfHold(ws.db, row.id);
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
  for (const c of noticeStatusCountsOfHold(ws.db, row.id)) counts[c.s] = c.n;
  return {
    id: row.id,
    caseId: row.case_id,
    caseTitle: caseTitle(ws.db, row.case_id) ?? '',
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
