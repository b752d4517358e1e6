import type { AccessRequest } from '../../../shared/contract/deadlines.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { likePattern } from '../domain/like.js';
import { yearlyId } from '../domain/ids.js';
import { getSubject } from '../domain/subject-rows.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { addDays, deadlinePolicy, toUtcIso } from '../domain/deadlines.js';
import { opTime, type Op } from '../domain/op.js';

type State = AccessRequest['state'];

/** open → fulfilled | withdrawn; nothing leaves a final state. */
const TRANSITIONS: Record<State, readonly State[]> = { open: ['fulfilled', 'withdrawn'], fulfilled: [], withdrawn: [] };

interface Row {
  id: string;
  subject_id: string;
  subject_name: string;
  case_id: string | null;
  requester: string;
  description: string;
  state: State;
  requested_at: string;
  due_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  created_by: string;
}

const SELECT = 'SELECT a.*, s.display_name AS subject_name FROM access_requests a JOIN subjects s ON s.id = a.subject_id';

function toRequest(r: Row): AccessRequest {
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

function row(ws: Workspace, id: string): Row {
  const r = ws.db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as Row | undefined;
  if (!r) throw new CustosError('not_found', `There is no access request ${id}.`, { resourceType: 'access_request', resourceId: id });
  return r;
}

export function getAccessRequest(ws: Workspace, id: string): AccessRequest {
  return toRequest(row(ws, id));
}

const ACCESS_REQUEST_LIST: ListSource = {
  select: SELECT,
  from: 'FROM access_requests a JOIN subjects s ON s.id = a.subject_id',
  sorts: { requested_at: 'a.requested_at', due_at: 'a.due_at', id: 'a.id', state: 'a.state' },
  tiebreak: 'a.id',
};

/** A page of requests to inspect records (newest first by default), filtered by state, subject or free text, and the total. */
export function listAccessRequests(
  ws: Workspace,
  f: PageQuery & { state?: State | undefined; subjectId?: string | undefined; search?: string | undefined },
): { items: AccessRequest[]; total: number } {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (f.state) {
    where.push('a.state = @state');
    params.state = f.state;
  }
  if (f.subjectId) {
    where.push('a.subject_id = @subject');
    params.subject = f.subjectId;
  }
  if (f.search) {
    where.push("(a.id LIKE @text ESCAPE '\\' OR a.requester LIKE @text ESCAPE '\\' OR a.description LIKE @text ESCAPE '\\' OR s.display_name LIKE @text ESCAPE '\\')");
    params.text = likePattern(f.search);
  }
  const page = listPage<Row>(ws.db, ACCESS_REQUEST_LIST, { conds: where, params }, f);
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
    ws.db
      .prepare(
        `INSERT INTO access_requests (id, subject_id, case_id, requester, description, state, requested_at, due_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
      )
      .run(id, subject.id, input.caseId ?? null, input.requester, input.description, requestedAt, dueAt, actor, ts, ts);
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
    ws.db
      .prepare('UPDATE access_requests SET state = ?, resolved_at = ?, resolved_by = ?, resolution = ?, updated_at = ? WHERE id = ?')
      .run(to, at, actor, input.note, now.toISOString(), r.id);
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
