import type { HoldRef } from '../../../shared/contract/holds.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { holdScope, type HoldRow } from './hold-rows.js';
import {
  activeHoldRows,
  activeRecordIdsOfSubject,
  caseIdsLinkingItem,
  evidenceRemains,
  recordRemains,
  scopeEvidenceRow,
  scopeRecordRow,
  subjectExists,
} from './holds-store.js';
import { evidenceInScope, recordInScope, type ScopeData, type ScopeEvidence, type ScopeRecord } from './hold-scope.js';

export type HeldResourceType = 'evidence' | 'record' | 'subject';

interface ActiveHold {
  row: HoldRow;
  scope: ScopeData;
}

function activeHolds(ws: Workspace): ActiveHold[] {
  return activeHoldRows(ws.db).map((row) => ({ row, scope: holdScope(ws, row) }));
}

function linkedCases(ws: Workspace, type: HeldResourceType, id: string): Set<string> {
  return new Set(caseIdsLinkingItem(ws.db, type, id));
}

function scopeRecord(ws: Workspace, id: string): ScopeRecord | null {
  const r = scopeRecordRow(ws.db, id);
  return r ? { subjectId: r.subject_id, category: r.category, title: r.title, content: r.content, recordDate: r.record_date } : null;
}

function scopeEvidence(ws: Workspace, id: string): ScopeEvidence | null {
  const e = scopeEvidenceRow(ws.db, id);
  return e
    ? {
        title: e.title,
        description: e.description,
        originalName: e.original_name,
        source: e.source,
        collectedBy: e.collected_by,
        custodian: e.custodian,
        collectedAt: e.collected_at,
      }
    : null;
}

function covers(ws: Workspace, hold: ActiveHold, type: HeldResourceType, id: string, cases: Set<string>): boolean {
  if (cases.has(hold.row.case_id)) return true;
  if (type === 'record') {
    const r = scopeRecord(ws, id);
    return r !== null && recordInScope(hold.scope, r) !== null;
  }
  if (type === 'evidence') {
    const e = scopeEvidence(ws, id);
    return e !== null && evidenceInScope(hold.scope, e) !== null;
  }
  // A subject is held when named in the scope, or when any of their records is held.
  if (hold.scope.subjectIds.includes(id)) return true;
  return activeRecordIdsOfSubject(ws.db, id).some((recordId) => covers(ws, hold, 'record', recordId, linkedCases(ws, 'record', recordId)));
}

/** True while something of the item is left to preserve (disposed evidence and purged or erased records are gone). */
function exists(ws: Workspace, type: HeldResourceType, id: string): boolean {
  if (type === 'evidence') return evidenceRemains(ws.db, id);
  if (type === 'record') return recordRemains(ws.db, id);
  return subjectExists(ws.db, id);
}

/**
 * The active legal holds that protect an item: those whose case it is linked to, or whose scope
 * covers it (hold-scope.ts). Several holds may protect one item; it stays held until the last is
 * released. An item already destroyed (or unknown) is protected by nothing: nothing of it is left.
 */
export function activeHoldsFor(ws: Workspace, resourceType: HeldResourceType, id: string): HoldRef[] {
  const holds = activeHolds(ws);
  if (holds.length === 0 || !exists(ws, resourceType, id)) return [];
  const cases = linkedCases(ws, resourceType, id);
  return holds.filter((h) => covers(ws, h, resourceType, id, cases)).map((h) => ({ id: h.row.id, title: h.row.title, caseId: h.row.case_id }));
}

/** The sentence that names the holds protecting an item. */
export function heldMessage(id: string, holds: readonly HoldRef[]): string {
  const ids = holds.map((h) => h.id);
  if (ids.length === 1) return `${id} is under legal hold ${ids[0]}; release the hold first.`;
  const list = `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
  return `${id} is under legal holds ${list}; release all of them first.`;
}

/**
 * The one gate of every destructive path (dispose, purge, erase, destructive edit): throws
 * CustosError('held') naming the holds. Call it inside the transaction of the destructive change,
 * so a hold activated a moment earlier is always seen. The dispatch ledgers the refusal as denied.
 */
export function assertNotHeld(ws: Workspace, resourceType: HeldResourceType, id: string): void {
  const holds = activeHoldsFor(ws, resourceType, id);
  if (holds.length > 0) {
    throw new CustosError('held', heldMessage(id, holds), { holds, resourceType, resourceId: id });
  }
}
