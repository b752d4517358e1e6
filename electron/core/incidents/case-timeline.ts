import type { Workspace } from '../workspace.js';
import { incidentIdsOfCase } from './incidents-store.js';

/** Incidents linked to a case belong on that case's timeline and in its bundles (their events, resource `incident`). */
export function incidentsOfCase(ws: Workspace, caseId: string): { resourceType: string; ids: string[] }[] {
  const ids = incidentIdsOfCase(ws.db, caseId);
  return ids.length ? [{ resourceType: 'incident', ids }] : [];
}
