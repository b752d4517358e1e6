import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { rowToEvent } from '../ledger/ledger.js';
import type { Workspace } from '../workspace.js';
import { caseScope, type CaseResourceProvider } from './case-scope.js';
import { eventRowsPage } from './cases-store.js';

/**
 * A page of the case's timeline, newest first: every ledger event of the case's scope (case-scope.ts),
 * the same events its exports and bundles carry.
 */
export function caseTimeline(
  ws: Workspace,
  caseId: string,
  providers: readonly CaseResourceProvider[],
  offset: number,
  limit: number,
): { events: LedgerEvent[]; total: number } {
  const { rows, total } = eventRowsPage(ws.db, caseScope(ws, caseId, providers), offset, limit);
  return { events: rows.map(rowToEvent), total };
}
