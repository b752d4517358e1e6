import type { Workspace } from '../workspace.js';
import { ferpaItemIdsOfCase } from './disclosures-store.js';

/**
 * FERPA work filed under a case (its `case_id`) belongs on that case's timeline: amendment
 * requests, subpoenas with their productions, disclosures and access requests.
 */
export function ferpaItemsOfCase(ws: Workspace, caseId: string): { resourceType: string; ids: string[] }[] {
  return ferpaItemIdsOfCase(ws.db, caseId);
}
