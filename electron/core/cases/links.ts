import type { CaseSummary, LinkedItem, LinkItemType } from '../../../shared/contract/cases.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { activeHoldRefsOfCase, caseIdsLinkingItem, caseLinkExists, deleteCaseLink, insertCaseLink, linkRowsOfCase, linkableItemExists, touchCase } from './cases-store.js';
import { getCase } from './cases.js';
import { opTime, type Op } from '../domain/op.js';

const ITEM_NOUN: Record<LinkItemType, string> = { record: 'record', evidence: 'evidence item', subject: 'subject' };

/** Throws not_found unless the item exists. */
export function assertItemExists(ws: Workspace, type: LinkItemType, id: string): void {
  if (!linkableItemExists(ws.db, type, id)) {
    throw new CustosError('not_found', `There is no ${ITEM_NOUN[type]} ${id}.`, { resourceType: type, resourceId: id });
  }
}

/** Links an item to a case (inside the caller's transaction when there is one); ledgered as cases.link. */
export function linkItem(ws: Workspace, op: Op, caseId: string, type: LinkItemType, itemId: string): CaseSummary {
  const at = opTime(op);
  return ws.tx(() => {
    assertCaseOpen(ws, caseId, 'linking an item');
    assertItemExists(ws, type, itemId);
    const now = at.toISOString();
    if (!insertCaseLink(ws.db, { caseId, type, itemId, linkedBy: op.actor, linkedAt: now })) return getCase(ws, caseId);
    touchCase(ws.db, caseId, now);
    ws.ledger.append({ actor: op.actor, action: 'cases.link', resource_type: 'case', resource_id: caseId, details: { item_type: type, item_id: itemId } }, at);
    return getCase(ws, caseId);
  });
}

/**
 * Removes a link. Refused with `held` while the case has an active legal hold: the link is what
 * makes the hold cover the item, so removing it would quietly release the item.
 */
export function unlinkItem(ws: Workspace, op: Op, caseId: string, type: LinkItemType, itemId: string): CaseSummary {
  const at = opTime(op);
  return ws.tx(() => {
    getCase(ws, caseId);
    const holds = activeHoldRefsOfCase(ws.db, caseId);
    if (!caseLinkExists(ws.db, caseId, type, itemId)) throw new CustosError('not_found', `${itemId} is not linked to case ${caseId}.`, { resourceType: 'case', resourceId: caseId });
    if (holds.length > 0 && type !== 'subject') {
      throw new CustosError(
        'held',
        `${itemId} is under legal hold ${holds.map((h) => h.id).join(', ')} through case ${caseId}; release the hold before unlinking it.`,
        { holds, resourceType: type, resourceId: itemId },
      );
    }
    deleteCaseLink(ws.db, caseId, type, itemId);
    touchCase(ws.db, caseId, at.toISOString());
    ws.ledger.append({ actor: op.actor, action: 'cases.unlink', resource_type: 'case', resource_id: caseId, details: { item_type: type, item_id: itemId } }, at);
    return getCase(ws, caseId);
  });
}

/** Every item linked to a case, with a label and status for display. */
export function listLinks(ws: Workspace, caseId: string): LinkedItem[] {
  const out: LinkedItem[] = [];
  for (const type of Object.keys(ITEM_NOUN) as LinkItemType[]) {
    for (const r of linkRowsOfCase(ws.db, caseId, type)) out.push({ itemType: type, itemId: r.item_id, label: r.label, status: r.status, linkedBy: r.linked_by, linkedAt: r.linked_at });
  }
  return out;
}

/** The ids of the cases an item is linked to. */
export function casesOf(ws: Workspace, type: LinkItemType, itemId: string): string[] {
  return caseIdsLinkingItem(ws.db, type, itemId);
}
