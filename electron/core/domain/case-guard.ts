import { prepared } from '../db/statements.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';

/**
 * Throws unless the case exists (`not_found`) and is not closed (`conflict`): every service that
 * files something under a case calls it, so a closed case takes no new work of any kind.
 */
export function assertCaseOpen(ws: Workspace, id: string, what: string): void {
  const row = prepared<[string], { status: string }>(ws.db, 'SELECT status FROM cases WHERE id = ?').get(id);
  if (!row) throw new CustosError('not_found', `There is no case ${id}.`, { resourceType: 'case', resourceId: id });
  if (row.status === 'closed') {
    throw new CustosError('conflict', `Case ${id} is closed; ${what} needs an open case.`, { resourceType: 'case', resourceId: id });
  }
}
