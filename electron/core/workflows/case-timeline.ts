import type { Workspace } from '../workspace.js';
import { instanceIdsOfCase } from './workflows-store.js';

/** Workflows started under a case (their `case_id`) belong on that case's timeline and in its bundles. */
export function workflowsOfCase(ws: Workspace, caseId: string): { resourceType: string; ids: string[] }[] {
  return [{ resourceType: 'workflow', ids: instanceIdsOfCase(ws.db, caseId) }];
}
