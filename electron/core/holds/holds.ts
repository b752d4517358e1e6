import type { Hold, HoldScope, Notice } from '../../../shared/contract/holds.js';
import { syncCaseWithHolds } from '../cases/case-status.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import { retentionCategory } from '../domain/retention-policy.js';
import { getSubject } from '../domain/subject-rows.js';
import type { Workspace } from '../workspace.js';
import { insertCustodian, issueReleaseNotices } from './custodians.js';
import { holdRow, toHold, type HoldRow } from './hold-rows.js';
import { holdRowsPage, insertDraftHold, type HoldQuery, setHoldActive, setHoldReleased, setHoldScope, setHoldText } from './holds-store.js';

function checkScope(ws: Workspace, scope: HoldScope): void {
  for (const s of scope.subjectIds) getSubject(ws, s);
  for (const c of scope.categories) retentionCategory(c);
  if (scope.dateFrom && scope.dateTo && scope.dateFrom > scope.dateTo) {
    throw new CustosError('validation', `The hold's date range starts (${scope.dateFrom}) after it ends (${scope.dateTo}).`);
  }
}

function writeScope(ws: Workspace, holdId: string, scope: HoldScope): void {
  setHoldScope(ws.db, holdId, {
    categoriesJson: JSON.stringify([...new Set(scope.categories)]),
    keywordsJson: JSON.stringify([...new Set(scope.keywords)]),
    dateFrom: scope.dateFrom,
    dateTo: scope.dateTo,
    subjectIds: scope.subjectIds,
  });
}

function scopeDetails(scope: HoldScope): Record<string, unknown> {
  return { subjects: scope.subjectIds, categories: scope.categories, date_from: scope.dateFrom, date_to: scope.dateTo, keywords: scope.keywords.length };
}

/** The hold; throws not_found. */
export function getHold(ws: Workspace, id: string): Hold {
  return toHold(ws, holdRow(ws, id));
}

/** Creates a draft hold for an open case, with custodians and scope; ledgered as holds.create. */
export function createHold(
  ws: Workspace,
  op: Op,
  input: { caseId: string; title: string; description: string; custodians: readonly { name: string; email: string }[]; scope: HoldScope },
): Hold {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    assertCaseOpen(ws, input.caseId, 'a new legal hold');
    checkScope(ws, input.scope);
    const id = nextId(ws, yearPrefix('HOLD', at), 4);
    insertDraftHold(ws.db, { id, caseId: input.caseId, title: input.title, description: input.description, createdBy: op.actor, at: now });
    writeScope(ws, id, input.scope);
    for (const c of input.custodians) insertCustodian(ws, { ...op, at }, id, c);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'holds.create',
        resource_type: 'hold',
        resource_id: id,
        details: { case: input.caseId, custodians: input.custodians.map((c) => c.name), scope: scopeDetails(input.scope) },
      },
      at,
    );
    return getHold(ws, id);
  });
}

/** Changes title/description, or a draft's scope (an active hold's scope is fixed: narrowing it would quietly release items). */
export function updateHold(
  ws: Workspace,
  op: Op,
  input: { id: string; title?: string | undefined; description?: string | undefined; scope?: HoldScope | undefined },
): Hold {
  const at = opTime(op);
  return ws.tx(() => {
    const hold = holdRow(ws, input.id);
    if (hold.status === 'released') throw new CustosError('conflict', `Legal hold ${hold.id} was released and can no longer change.`, { resourceType: 'hold', resourceId: hold.id });
    if (input.scope && hold.status !== 'draft') {
      throw new CustosError('conflict', `Legal hold ${hold.id} is active; its scope is fixed. Create an additional hold to widen it, or release this one.`, {
        resourceType: 'hold',
        resourceId: hold.id,
      });
    }
    const changed: string[] = [];
    if (input.title !== undefined && input.title !== hold.title) changed.push('title');
    if (input.description !== undefined && input.description !== hold.description) changed.push('description');
    if (input.scope) {
      checkScope(ws, input.scope);
      writeScope(ws, hold.id, input.scope);
      changed.push('scope');
    }
    if (changed.length === 0) return toHold(ws, hold);
    setHoldText(ws.db, hold.id, input.title ?? hold.title, input.description ?? hold.description, at.toISOString());
    ws.ledger.append(
      { actor: op.actor, action: 'holds.update', resource_type: 'hold', resource_id: hold.id, details: { changed, ...(input.scope ? { scope: scopeDetails(input.scope) } : {}) } },
      at,
    );
    return getHold(ws, hold.id);
  });
}

/** draft → active. From this commit on, everything the hold covers resists destruction; the case goes on hold. */
export function activateHold(ws: Workspace, op: Op, id: string): Hold {
  const at = opTime(op);
  return ws.tx(() => {
    const hold = holdRow(ws, id);
    if (hold.status !== 'draft') {
      throw new CustosError('conflict', `Legal hold ${id} is ${hold.status}; only a draft hold can be activated.`, { resourceType: 'hold', resourceId: id });
    }
    assertCaseOpen(ws, hold.case_id, 'activating a legal hold');
    const now = at.toISOString();
    setHoldActive(ws.db, id, op.actor, now);
    ws.ledger.append({ actor: op.actor, action: 'holds.activate', resource_type: 'hold', resource_id: id, details: { case: hold.case_id } }, at);
    syncCaseWithHolds(ws, op, hold.case_id, id);
    return getHold(ws, id);
  });
}

/**
 * active → released with a reason; issues release notices to every notified custodian. Items stay
 * protected while any other active hold still covers them; the case reopens when its last hold goes.
 */
export function releaseHold(ws: Workspace, op: Op, id: string, reason: string): { hold: Hold; notices: Notice[] } {
  const at = opTime(op);
  return ws.tx(() => {
    const hold = holdRow(ws, id);
    if (hold.status !== 'active') {
      throw new CustosError('conflict', `Legal hold ${id} is ${hold.status}; only an active hold can be released.`, { resourceType: 'hold', resourceId: id });
    }
    const now = at.toISOString();
    setHoldReleased(ws.db, id, op.actor, reason, now);
    const released: HoldRow = { ...hold, status: 'released', released_at: now };
    const notices = issueReleaseNotices(ws, op, released, reason, at);
    ws.ledger.append(
      { actor: op.actor, action: 'holds.release', resource_type: 'hold', resource_id: id, details: { case: hold.case_id, reason, release_notices: notices.length } },
      at,
    );
    syncCaseWithHolds(ws, op, hold.case_id, id);
    return { hold: getHold(ws, id), notices };
  });
}

/** A page of holds with the total. */
export function listHolds(
  ws: Workspace,
  q: HoldQuery,
): { items: Hold[]; total: number } {
  const { rows, total } = holdRowsPage(ws.db, q);
  return { items: rows.map((r) => toHold(ws, r)), total };
}
