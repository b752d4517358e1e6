import { EVENT_SHAPES } from '../event-catalog.js';
import type { Workspace } from '../workspace.js';
import { holdIdsOfCase, linkedItemsOfCase } from './cases-store.js';
import { getCase } from './cases.js';

/*
 * What belongs to a case, once: the case's timeline, its exports (every format, and the count the
 * request dialog shows) and its bundles all select their events with caseScope(), so they agree.
 *
 * A case holds the events of
 *   - the case itself, the records, evidence and subjects linked to it, and its legal holds (with
 *     their custodians and notices, which are recorded on the hold);
 *   - whatever other domains file under it, added by providers (createCore's wiring): amendment
 *     requests, subpoenas and their productions, disclosures, access requests, export requests;
 *   - any other event whose details name the case (`case_id` or `case`), such as a bundle made of it.
 */

/**
 * The actions whose declared details (event-catalog.ts) can name a case. Only their events are
 * read for it, through the action index, so a case's scope never scans the whole ledger.
 */
const CASE_NAMING_ACTIONS: readonly string[] = Object.entries(EVENT_SHAPES)
  .filter(([, shape]) => Object.hasOwn(shape, 'case_id') || Object.hasOwn(shape, 'case'))
  .map(([action]) => action);

/** Ledger resources (resource_type → ids) that belong to a case. */
export type CaseResources = Map<string, Set<string>>;

/**
 * Other domains (subpoenas, amendments, exports, …) that keep their own case_id add their resources
 * to a case's scope through a provider, handed in by createCore() (wiring.ts) — never registered at import.
 */
export type CaseResourceProvider = (ws: Workspace, caseId: string) => { resourceType: string; ids: readonly string[] }[];

/** An SQL condition over the `events` table selecting the events of one case. */
export interface CaseEventCondition {
  sql: string;
  params: (string | number)[];
}

function add(map: CaseResources, type: string, id: string): void {
  let set = map.get(type);
  if (!set) map.set(type, (set = new Set()));
  set.add(id);
}

/** The case itself, its linked items and its legal holds, plus whatever the providers add. */
export function caseResources(ws: Workspace, caseId: string, providers: readonly CaseResourceProvider[]): CaseResources {
  const map: CaseResources = new Map();
  add(map, 'case', caseId);
  for (const l of linkedItemsOfCase(ws.db, caseId)) add(map, l.item_type, l.item_id);
  for (const id of holdIdsOfCase(ws.db, caseId)) add(map, 'hold', id);
  for (const p of providers) for (const r of p(ws, caseId)) for (const id of r.ids) add(map, r.resourceType, id);
  return map;
}

/** An SQL condition over `events` matching any of the resources (served by the resource index). */
function resourcesCondition(resources: CaseResources): CaseEventCondition {
  const clauses: string[] = [];
  const params: string[] = [];
  for (const [type, ids] of resources) {
    const list = [...ids];
    // SQLite's parameter limit is generous (32766), but keep each IN list bounded all the same.
    for (let i = 0; i < list.length; i += 500) {
      const part = list.slice(i, i + 500);
      clauses.push(`(resource_type = ? AND resource_id IN (${part.map(() => '?').join(', ')}))`);
      params.push(type, ...part);
    }
  }
  return { sql: `(${clauses.join(' OR ')})`, params };
}

/**
 * The events of a case as one SQL condition over `events`: its resources, or details that name it.
 * An unknown case is refused with `not_found` (an empty timeline, export or bundle would say nothing is there).
 */
export function caseScope(ws: Workspace, caseId: string, providers: readonly CaseResourceProvider[]): CaseEventCondition {
  getCase(ws, caseId);
  const linked = resourcesCondition(caseResources(ws, caseId, providers));
  const actions = CASE_NAMING_ACTIONS.map(() => '?').join(', ');
  return {
    sql: `(${linked.sql} OR (action IN (${actions}) AND (json_extract(details, '$.case_id') = ? OR json_extract(details, '$.case') = ?)))`,
    params: [...linked.params, ...CASE_NAMING_ACTIONS, caseId, caseId],
  };
}
