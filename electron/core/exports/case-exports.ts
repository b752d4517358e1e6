import type { Workspace } from '../workspace.js';
import { exportRequestIdsOfCase } from './exports-store.js';

/** Export requests made for a case belong to its scope: their request, decision, run and hand-overs. */
export function exportRequestsOfCase(ws: Workspace, caseId: string): { resourceType: string; ids: string[] }[] {
  return [{ resourceType: 'export_request', ids: exportRequestIdsOfCase(ws.db, caseId) }];
}
