import type { CaseStatus, CaseSummary } from '../../../shared/contract/cases.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { activeHoldIdsOfCase, setCaseStatusRow } from './cases-store.js';
import { getCase } from './cases.js';
import { opTime, type Op } from '../domain/op.js';

/** DESIGN §10: open → on_hold ↔ open → closed. Anything else is a conflict. */
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['on_hold', 'closed'],
  on_hold: ['open'],
  closed: [],
};

function activeHoldIds(ws: Workspace, caseId: string): string[] {
  return activeHoldIdsOfCase(ws.db, caseId);
}

function write(ws: Workspace, op: Op, c: CaseSummary, to: CaseStatus, details: Record<string, unknown>): void {
  const at = opTime(op);
  const now = at.toISOString();
  setCaseStatusRow(ws.db, c.id, to, now, to === 'closed' ? now : null);
  ws.ledger.append({ actor: op.actor, action: 'cases.setStatus', resource_type: 'case', resource_id: c.id, details: { from: c.status, to, ...details } }, at);
}

/**
 * Moves a case between states by hand; ledgered as cases.setStatus. While a legal hold of the case
 * is active the case stays on_hold: it can be neither reopened nor closed until the holds are released.
 */
export function setCaseStatus(ws: Workspace, op: Op, id: string, to: CaseStatus, reason: string): CaseSummary {
  return ws.tx(() => {
    const c = getCase(ws, id);
    if (c.status === to) return c;
    if (!TRANSITIONS[c.status].includes(to)) {
      throw new CustosError('conflict', `A case cannot move from ${c.status.replace('_', ' ')} to ${to.replace('_', ' ')}.`, {
        resourceType: 'case',
        resourceId: id,
        from: c.status,
        to,
      });
    }
    const holds = activeHoldIds(ws, id);
    if (to !== 'on_hold' && holds.length > 0) {
      throw new CustosError('conflict', `Case ${id} has active legal holds (${holds.join(', ')}); it stays on hold until they are released.`, {
        resourceType: 'case',
        resourceId: id,
        holds,
      });
    }
    write(ws, op, c, to, reason ? { reason, automatic: false } : { automatic: false });
    return getCase(ws, id);
  });
}

/**
 * Keeps the case status in step with its legal holds (decision: on_hold is set automatically).
 * Activating a hold puts an open case on hold; releasing the last active hold reopens it.
 * Call inside the transaction that activates or releases the hold.
 */
export function syncCaseWithHolds(ws: Workspace, op: Op, caseId: string, holdId: string): void {
  const c = getCase(ws, caseId);
  const active = activeHoldIds(ws, caseId).length;
  if (active > 0 && c.status === 'open') write(ws, op, c, 'on_hold', { automatic: true, hold: holdId });
  else if (active === 0 && c.status === 'on_hold') write(ws, op, c, 'open', { automatic: true, hold: holdId });
}
