import type { HoldRef } from '../../../shared/contract/holds.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { holdScope, type HoldRow } from './hold-rows.js';
import { evidenceInScope, recordInScope, type ScopeData, type ScopeEvidence, type ScopeRecord } from './hold-scope.js';

export type HeldResourceType = 'evidence' | 'record' | 'subject';

interface ActiveHold {
  row: HoldRow;
  scope: ScopeData;
}

function activeHolds(ws: Workspace): ActiveHold[] {
  const rows = ws.db.prepare("SELECT * FROM legal_holds WHERE status = 'active' ORDER BY id").all() as HoldRow[];
  return rows.map((row) => ({ row, scope: holdScope(ws, row) }));
}

function linkedCases(ws: Workspace, type: HeldResourceType, id: string): Set<string> {
  const rows = ws.db.prepare('SELECT case_id FROM case_links WHERE item_type = ? AND item_id = ?').all(type, id) as { case_id: string }[];
  return new Set(rows.map((r) => r.case_id));
}

function scopeRecord(ws: Workspace, id: string): ScopeRecord | null {
  const r = ws.db.prepare('SELECT subject_id, category, title, content, record_date FROM records WHERE id = ?').get(id) as
    | { subject_id: string; category: string; title: string; content: string | null; record_date: string }
    | undefined;
  return r ? { subjectId: r.subject_id, category: r.category, title: r.title, content: r.content, recordDate: r.record_date } : null;
}

function scopeEvidence(ws: Workspace, id: string): ScopeEvidence | null {
  const e = ws.db
    .prepare('SELECT title, description, original_name, source, collected_by, custodian, collected_at FROM evidence WHERE id = ?')
    .get(id) as
    | { title: string; description: string; original_name: string; source: string; collected_by: string; custodian: string; collected_at: string }
    | undefined;
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
  const records = ws.db.prepare("SELECT id FROM records WHERE subject_id = ? AND status = 'active'").all(id) as { id: string }[];
  return records.some((rec) => covers(ws, hold, 'record', rec.id, linkedCases(ws, 'record', rec.id)));
}

/** True while something of the item is left to preserve (disposed evidence and purged or erased records are gone). */
function exists(ws: Workspace, type: HeldResourceType, id: string): boolean {
  if (type === 'evidence') return ws.db.prepare("SELECT 1 FROM evidence WHERE id = ? AND status <> 'disposed'").get(id) !== undefined;
  if (type === 'record') return ws.db.prepare("SELECT 1 FROM records WHERE id = ? AND status = 'active'").get(id) !== undefined;
  return ws.db.prepare('SELECT 1 FROM subjects WHERE id = ?').get(id) !== undefined;
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
