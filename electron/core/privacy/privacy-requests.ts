import {
  PRIVACY_REGIME_LABELS,
  PRIVACY_RIGHT_LABELS,
  RIGHTS_OF_REGIME,
  type PrivacyRegime,
  type PrivacyRequest,
  type PrivacyRequestDetail,
  type PrivacyRequestState,
  type PrivacyRight,
} from '../../../shared/contract/privacy.js';
import { daysUntil } from '../../../shared/day-count.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { toUtcIso } from '../domain/deadlines.js';
import { yearlyId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { retentionCategory } from '../domain/retention-policy.js';
import { getSubject } from '../domain/subject-rows.js';
import { CustosError, failureText } from '../errors.js';
import { eraseRecord } from '../subjects/records.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { erasesRecords, extendedDue, responseDue } from './privacy-policy.js';
import {
  findPrivacyRequestRow,
  insertOpenPrivacyRequest,
  insertPrivacyRequestItem,
  liveRecordsOfSubject,
  privacyRequestItemRows,
  privacyRequestRowsPage,
  setPrivacyRequestExtended,
  setPrivacyRequestResolved,
  type PrivacyRequestQuery,
  type PrivacyRequestRow,
} from './privacy-store.js';

/** open → extended (once) → completed | rejected; nothing leaves a final state. */
const TRANSITIONS: Record<PrivacyRequestState, readonly PrivacyRequestState[]> = {
  open: ['extended', 'completed', 'rejected'],
  extended: ['completed', 'rejected'],
  completed: [],
  rejected: [],
};

const PENDING: ReadonlySet<PrivacyRequestState> = new Set(['open', 'extended']);

function toRequest(r: PrivacyRequestRow, now: Date, timeZone: string): PrivacyRequest {
  const pending = PENDING.has(r.state);
  const days = pending ? daysUntil(r.due_at, now, timeZone) : null;
  return {
    id: r.id,
    regime: r.regime,
    right: r.right,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    requester: r.requester,
    description: r.description,
    state: r.state,
    receivedAt: r.received_at,
    originalDueAt: r.original_due_at,
    dueAt: r.due_at,
    extendedAt: r.extended_at,
    extendedBy: r.extended_by,
    extensionReason: r.extension_reason,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    outcome: r.outcome,
    caseId: r.case_id,
    createdBy: r.created_by,
    daysRemaining: days,
    overdue: days !== null && days < 0,
    late: r.resolved_at !== null && daysUntil(r.due_at, new Date(r.resolved_at), timeZone) < 0,
  };
}

function row(ws: Workspace, id: string): PrivacyRequestRow {
  const r = findPrivacyRequestRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no privacy request ${id}.`, { resourceType: 'privacy_request', resourceId: id });
  return r;
}

/** Whether the request may still be extended as of `now`: pending, never extended, first deadline not passed. */
function extendable(r: PrivacyRequestRow, now: Date, timeZone: string): boolean {
  return r.state === 'open' && r.extended_at === null && daysUntil(r.original_due_at, now, timeZone) >= 0;
}

/** `privacyRequests.get`: the request, and what its erasure erased and kept. */
export function privacyRequestDetail(ws: Workspace, id: string, now: Date): PrivacyRequestDetail {
  const r = row(ws, id);
  const { timeZone } = workspaceTimeZone(ws);
  return {
    request: toRequest(r, now, timeZone),
    items: privacyRequestItemRows(ws.db, id).map((i) => ({
      recordId: i.record_id,
      title: i.title,
      category: i.category,
      categoryLabel: retentionCategory(i.category).label,
      result: i.result,
      keptBecause: i.kept_because,
      reason: i.reason,
    })),
    erases: erasesRecords(r.regime, r.right),
    canExtend: extendable(r, now, timeZone),
  };
}

/** `privacyRequests.list`: a page of requests (newest first by default), filtered, and the total. */
export function listPrivacyRequests(ws: Workspace, q: PrivacyRequestQuery, now: Date): { items: PrivacyRequest[]; total: number } {
  const { timeZone } = workspaceTimeZone(ws);
  const page = privacyRequestRowsPage(ws.db, q);
  return { items: page.rows.map((r) => toRequest(r, now, timeZone)), total: page.total };
}

function pastInstant(input: string | undefined, now: Date, what: string): string {
  const at = input ? toUtcIso(input) : now.toISOString();
  if (at > now.toISOString()) throw new CustosError('validation', `The ${what} cannot be in the future.`);
  return at;
}

/** `privacyRequests.create`: due one month (GDPR) or 45 days (CCPA) after receipt, per the policy. */
export function createPrivacyRequest(
  ws: Workspace,
  op: Op,
  input: { subjectId: string; regime: PrivacyRegime; right: PrivacyRight; requester: string; description: string; receivedAt?: string | undefined; caseId?: string | undefined },
): PrivacyRequest {
  const now = opTime(op);
  if (!RIGHTS_OF_REGIME[input.regime].includes(input.right)) {
    const rights = RIGHTS_OF_REGIME[input.regime].map((r) => PRIVACY_RIGHT_LABELS[r]).join(', ');
    throw new CustosError('validation', `${PRIVACY_REGIME_LABELS[input.regime]} has no right "${input.right}"; its rights are: ${rights}.`);
  }
  const receivedAt = pastInstant(input.receivedAt, now, 'date a request was received');
  const dueAt = responseDue(input.regime, receivedAt);
  const ts = now.toISOString();
  const id = ws.tx(() => {
    const subject = getSubject(ws, input.subjectId);
    if (input.caseId) assertCaseOpen(ws, input.caseId, 'filing a privacy request');
    const id = yearlyId(ws, 'PRV', now);
    insertOpenPrivacyRequest(ws.db, {
      id,
      subjectId: subject.id,
      caseId: input.caseId ?? null,
      regime: input.regime,
      right: input.right,
      requester: input.requester,
      description: input.description,
      receivedAt,
      dueAt,
      createdBy: op.actor,
      at: ts,
    });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'privacyRequests.create',
        resource_type: 'privacy_request',
        resource_id: id,
        details: { subject_id: subject.id, regime: input.regime, right: input.right, received_at: receivedAt, due_at: dueAt, case_id: input.caseId ?? null, to: 'open' },
      },
      now,
    );
    return id;
  });
  return privacyRequestDetail(ws, id, now).request;
}

function assertTransition(r: PrivacyRequestRow, to: PrivacyRequestState, verb: string): void {
  if (!TRANSITIONS[r.state].includes(to)) {
    throw new CustosError('conflict', `Privacy request ${r.id} is ${r.state}; it cannot be ${verb} now.`, {
      resourceType: 'privacy_request',
      resourceId: r.id,
      from: r.state,
      to,
    });
  }
}

/** `privacyRequests.extend`: once, with a reason, before the first deadline passes (the requester is told within it). */
export function extendPrivacyRequest(ws: Workspace, op: Op, input: { id: string; reason: string }): PrivacyRequest {
  const now = opTime(op);
  const { timeZone } = workspaceTimeZone(ws);
  ws.tx(() => {
    const r = row(ws, input.id);
    if (r.extended_at !== null) {
      throw new CustosError('conflict', `Privacy request ${r.id} was already extended on ${r.extended_at.slice(0, 10)}; a deadline is extended only once.`, {
        resourceType: 'privacy_request',
        resourceId: r.id,
      });
    }
    assertTransition(r, 'extended', 'extended');
    if (!extendable(r, now, timeZone)) {
      throw new CustosError(
        'conflict',
        `The first deadline of privacy request ${r.id} (${r.original_due_at.slice(0, 10)}) has passed; an extension must be notified within it, so it can no longer be extended.`,
        { resourceType: 'privacy_request', resourceId: r.id },
      );
    }
    const dueAt = extendedDue(r.regime, r.received_at);
    const at = now.toISOString();
    setPrivacyRequestExtended(ws.db, r.id, { dueAt, at, by: op.actor, reason: input.reason });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'privacyRequests.extend',
        resource_type: 'privacy_request',
        resource_id: r.id,
        details: { subject_id: r.subject_id, from: r.state, to: 'extended', original_due_at: r.original_due_at, due_at: dueAt, reason: input.reason },
      },
      now,
    );
  });
  return privacyRequestDetail(ws, input.id, now).request;
}

/**
 * Erases the subject's records through the one erase path (records.erase: holds win, categories kept
 * by law stay), inside the caller's transaction. Each refusal of that path becomes a kept item with
 * its reason; the erasures it makes are ledgered by it as records.erase.
 */
function eraseSubjectRecords(ws: Workspace, op: Op, r: PrivacyRequestRow): { erased: number; kept: number; keptCategories: string[]; heldRecords: string[] } {
  const reason = `${PRIVACY_REGIME_LABELS[r.regime]} ${PRIVACY_RIGHT_LABELS[r.right].toLowerCase()} request ${r.id}`;
  let erased = 0;
  let kept = 0;
  const keptCategories = new Set<string>();
  const heldRecords: string[] = [];
  for (const rec of liveRecordsOfSubject(ws.db, r.subject_id)) {
    try {
      eraseRecord(ws, op, rec.id, reason);
      erased++;
      insertPrivacyRequestItem(ws.db, { requestId: r.id, recordId: rec.id, category: rec.category, result: 'erased', keptBecause: null, reason });
    } catch (err) {
      if (!(err instanceof CustosError) || (err.code !== 'held' && err.code !== 'conflict')) throw err;
      const keptBecause = err.code === 'held' ? 'hold' : 'law';
      kept++;
      if (keptBecause === 'hold') heldRecords.push(rec.id);
      else keptCategories.add(rec.category);
      insertPrivacyRequestItem(ws.db, { requestId: r.id, recordId: rec.id, category: rec.category, result: 'kept', keptBecause, reason: failureText(err) });
    }
  }
  return { erased, kept, keptCategories: [...keptCategories].sort(), heldRecords };
}

/** `privacyRequests.complete`: the outcome; an erasure or deletion erases what the law and legal holds allow. */
export function completePrivacyRequest(ws: Workspace, op: Op, input: { id: string; outcome: string; completedAt?: string | undefined }): PrivacyRequestDetail {
  const now = opTime(op);
  const at = pastInstant(input.completedAt, now, 'completion date');
  const { timeZone } = workspaceTimeZone(ws);
  ws.tx(() => {
    const r = row(ws, input.id);
    assertTransition(r, 'completed', 'completed');
    if (at < r.received_at) throw new CustosError('validation', `A request cannot be completed before it was received (${r.received_at.slice(0, 10)}).`);
    const erasure = erasesRecords(r.regime, r.right) ? eraseSubjectRecords(ws, { ...op, at: now }, r) : null;
    setPrivacyRequestResolved(ws.db, r.id, { state: 'completed', resolvedAt: at, resolvedBy: op.actor, outcome: input.outcome, updatedAt: now.toISOString() });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'privacyRequests.complete',
        resource_type: 'privacy_request',
        resource_id: r.id,
        details: {
          subject_id: r.subject_id,
          regime: r.regime,
          right: r.right,
          from: r.state,
          to: 'completed',
          at,
          late: daysUntil(r.due_at, new Date(at), timeZone) < 0,
          ...(erasure
            ? { erased: erasure.erased, kept: erasure.kept, kept_categories: erasure.keptCategories, held_records: erasure.heldRecords }
            : {}),
        },
      },
      now,
    );
  });
  return privacyRequestDetail(ws, input.id, now);
}

/** `privacyRequests.reject`: refused with the reason told to the requester. */
export function rejectPrivacyRequest(ws: Workspace, op: Op, input: { id: string; reason: string }): PrivacyRequest {
  const now = opTime(op);
  const at = now.toISOString();
  const { timeZone } = workspaceTimeZone(ws);
  ws.tx(() => {
    const r = row(ws, input.id);
    assertTransition(r, 'rejected', 'rejected');
    setPrivacyRequestResolved(ws.db, r.id, { state: 'rejected', resolvedAt: at, resolvedBy: op.actor, outcome: input.reason, updatedAt: at });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'privacyRequests.reject',
        resource_type: 'privacy_request',
        resource_id: r.id,
        details: { subject_id: r.subject_id, regime: r.regime, right: r.right, from: r.state, to: 'rejected', at, late: daysUntil(r.due_at, now, timeZone) < 0, reason: input.reason },
      },
      now,
    );
  });
  return privacyRequestDetail(ws, input.id, now).request;
}
