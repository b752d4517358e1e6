import type { AccessRequest } from '../../../shared/contract/deadlines.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { yearlyId } from '../domain/ids.js';
import { getSubject } from '../domain/subject-rows.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { addDays, deadlinePolicy, toUtcIso } from '../domain/deadlines.js';
import { opTime, type Op } from '../domain/op.js';
import {
  type AccessRequestQuery,
  accessRequestRowsPage,
  type AccessRequestRow,
  findAccessRequestRow,
  insertOpenAccessRequest,
  setAccessRequestResolved,
} from './deadlines-store.js';

type State = AccessRequest['state'];

/** open → fulfilled | withdrawn; nothing leaves a final state. */
const TRANSITIONS: Record<State, readonly State[]> = { open: ['fulfilled', 'withdrawn'], fulfilled: [], withdrawn: [] };

function toRequest(r: AccessRequestRow): AccessRequest {
  return {
    id: r.id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    requester: r.requester,
    description: r.description,
    state: r.state,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
    caseId: r.case_id,
    createdBy: r.created_by,
  };
}

function row(ws: Workspace, id: string): AccessRequestRow {
  const r = findAccessRequestRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no access request ${id}.`, { resourceType: 'access_request', resourceId: id });
  return r;
}

export function getAccessRequest(ws: Workspace, id: string): AccessRequest {
  return toRequest(row(ws, id));
}

/** A page of requests to inspect records (newest first by default), filtered by state, subject or free text, and the total. */
export function listAccessRequests(
  ws: Workspace,
  f: AccessRequestQuery,
): { items: AccessRequest[]; total: number } {
  const page = accessRequestRowsPage(ws.db, f);
  return { items: page.rows.map(toRequest), total: page.total };
}

/** `accessRequests.create`: due `responseDays` (policy; 45 under 34 CFR 99.10(b)) after the request. */
export function createAccessRequest(
  ws: Workspace,
  op: Op,
  input: { subjectId: string; requester: string; description: string; requestedAt?: string; caseId?: string },
): AccessRequest {
  const { actor } = op;
  const now = opTime(op);
  const subject = getSubject(ws, input.subjectId);
  if (input.caseId) assertCaseOpen(ws, input.caseId, 'filing an access request');
  const requestedAt = input.requestedAt ? toUtcIso(input.requestedAt) : now.toISOString();
  if (requestedAt > now.toISOString()) throw new CustosError('validation', 'The date of a request cannot be in the future.');
  const dueAt = addDays(requestedAt, deadlinePolicy().accessRequest.responseDays);
  const ts = now.toISOString();
  const id = ws.tx(() => {
    const id = yearlyId(ws, 'ACC', now);
    insertOpenAccessRequest(ws.db, {
      id,
      subjectId: subject.id,
      caseId: input.caseId ?? null,
      requester: input.requester,
      description: input.description,
      requestedAt,
      dueAt,
      createdBy: actor,
      at: ts,
    });
    ws.ledger.append({
      actor,
      action: 'accessRequests.create',
      resource_type: 'access_request',
      resource_id: id,
      details: { subject_id: subject.id, requested_at: requestedAt, due_at: dueAt, to: 'open' },
    }, now);
    return id;
  });
  return getAccessRequest(ws, id);
}

export function resolveAccessRequest(
  ws: Workspace,
  op: Op,
  input: { id: string; note: string; at?: string },
  to: 'fulfilled' | 'withdrawn',
): AccessRequest {
  const { actor } = op;
  const now = opTime(op);
  const at = input.at ? toUtcIso(input.at) : now.toISOString();
  if (at > now.toISOString()) throw new CustosError('validation', 'The date cannot be in the future.');
  ws.tx(() => {
    const r = row(ws, input.id);
    if (!TRANSITIONS[r.state].includes(to)) {
      throw new CustosError('conflict', `Access request ${r.id} is already ${r.state}; it cannot be ${to} now.`, {
        resourceType: 'access_request',
        resourceId: r.id,
        from: r.state,
        to,
      });
    }
    setAccessRequestResolved(ws.db, r.id, { state: to, resolvedAt: at, resolvedBy: actor, resolution: input.note, updatedAt: now.toISOString() });
    ws.ledger.append({
      actor,
      action: to === 'fulfilled' ? 'accessRequests.fulfill' : 'accessRequests.withdraw',
      resource_type: 'access_request',
      resource_id: r.id,
      details: { subject_id: r.subject_id, from: r.state, to, at, late: at > r.due_at },
    }, now);
  });
  return getAccessRequest(ws, input.id);
}
