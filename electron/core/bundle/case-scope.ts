import type { Workspace } from '../workspace.js';

/** An SQL condition over the `events` table selecting the events of one case. */
export interface CaseEventCondition {
  sql: string;
  params: (string | number)[];
}

/**
 * Which ledger events belong to a case. The case module may replace the rule (to add events of
 * evidence, holds and subpoenas of the case, and to refuse an unknown case with `not_found`).
 */
export type CaseEventScope = (ws: Workspace, caseId: string) => CaseEventCondition;

/** Default rule: events about the case itself, and events whose details name it as `case_id`. */
export const defaultCaseEventScope: CaseEventScope = (_ws, caseId) => ({
  sql: "((resource_type = 'case' AND resource_id = ?) OR json_extract(details, '$.case_id') = ?)",
  params: [caseId, caseId],
});

let current: CaseEventScope = defaultCaseEventScope;

/** Replaces the rule that selects a case's events for a bundle. */
export function setCaseEventScope(scope: CaseEventScope): void {
  current = scope;
}

/** The condition for one case under the current rule. */
export function caseEventCondition(ws: Workspace, caseId: string): CaseEventCondition {
  return current(ws, caseId);
}
