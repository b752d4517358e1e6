import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { rowToEvent } from '../ledger/ledger.js';
import type { Workspace } from '../workspace.js';
import { eventRowsPage, holdIdsOfCase, linkedItemsOfCase } from './cases-store.js';
import { getCase } from './cases.js';

/** Ledger resources (resource_type → ids) whose events belong on a case's timeline. */
export type TimelineResources = Map<string, Set<string>>;

/**
 * Other domains (subpoenas, amendments, …) that keep their own case_id add their resources to case
 * timelines through a provider, handed in by createCore() (wiring.ts) — never registered at import.
 */
export type TimelineProvider = (ws: Workspace, caseId: string) => { resourceType: string; ids: readonly string[] }[];

/** An SQL condition over the `events` table selecting the events of one case. */
export interface CaseEventCondition {
  sql: string;
  params: (string | number)[];
}

function add(map: TimelineResources, type: string, id: string): void {
  let set = map.get(type);
  if (!set) map.set(type, (set = new Set()));
  set.add(id);
}

/** The case itself, its linked items and its legal holds, plus whatever the providers add. */
export function timelineResources(ws: Workspace, caseId: string, providers: readonly TimelineProvider[]): TimelineResources {
  const map: TimelineResources = new Map();
  add(map, 'case', caseId);
  for (const l of linkedItemsOfCase(ws.db, caseId)) add(map, l.item_type, l.item_id);
  for (const id of holdIdsOfCase(ws.db, caseId)) add(map, 'hold', id);
  for (const p of providers) for (const r of p(ws, caseId)) for (const id of r.ids) add(map, r.resourceType, id);
  return map;
}

/**
 * A page of the case's timeline, newest first: every ledger event whose resource is the case or
 * something linked to it. Uses the (resource_type, resource_id, seq) index of the events table.
 */
export function caseTimeline(
  ws: Workspace,
  caseId: string,
  providers: readonly TimelineProvider[],
  offset: number,
  limit: number,
): { events: LedgerEvent[]; total: number } {
  getCase(ws, caseId);
  const { rows, total } = eventRowsPage(ws.db, resourcesCondition(timelineResources(ws, caseId, providers)), offset, limit);
  return { events: rows.map(rowToEvent), total };
}

/** An SQL condition over `events` matching any of the resources (served by the resource index). */
function resourcesCondition(resources: TimelineResources): CaseEventCondition {
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
 * A case's bundle carries what its timeline shows (the case, its linked evidence and records, its
 * holds, and the FERPA work filed under it) plus any event whose details name the case; an unknown
 * case is refused with `not_found` instead of producing an empty bundle.
 */
export function caseEventCondition(ws: Workspace, caseId: string, providers: readonly TimelineProvider[]): CaseEventCondition {
  getCase(ws, caseId);
  const linked = resourcesCondition(timelineResources(ws, caseId, providers));
  return { sql: `(${linked.sql} OR json_extract(details, '$.case_id') = ?)`, params: [...linked.params, caseId] };
}
