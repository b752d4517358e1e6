import type { CaseStatus, CaseSummary, CaseType } from '../../../shared/contract/cases.js';
import { CASE_WORKERS } from '../../../shared/roles.js';
import { findUser } from '../auth/users.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { likePattern } from '../domain/like.js';
import { listPage, type ListSource } from '../db/list-page.js';

interface CaseRow {
  id: string;
  title: string;
  type: CaseType;
  description: string;
  status: CaseStatus;
  assignee: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  active_holds: number;
  n_record: number;
  n_evidence: number;
  n_subject: number;
}

/** Case columns plus the counts a list row shows. */
export const SELECT_CASE = `
  SELECT c.*,
    (SELECT count(*) FROM legal_holds h WHERE h.case_id = c.id AND h.status = 'active') AS active_holds,
    (SELECT count(*) FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'record') AS n_record,
    (SELECT count(*) FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'evidence') AS n_evidence,
    (SELECT count(*) FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'subject') AS n_subject
  FROM cases c`;

export function toCase(r: CaseRow): CaseSummary {
  return {
    id: r.id,
    title: r.title,
    type: r.type,
    description: r.description,
    status: r.status,
    assignee: r.assignee,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    activeHolds: r.active_holds,
    linkedCounts: { record: r.n_record, evidence: r.n_evidence, subject: r.n_subject },
  };
}

/** The case; throws not_found. */
export function getCase(ws: Workspace, id: string): CaseSummary {
  const row = ws.db.prepare(`${SELECT_CASE} WHERE c.id = ?`).get(id) as CaseRow | undefined;
  if (!row) throw new CustosError('not_found', `There is no case ${id}.`, { resourceType: 'case', resourceId: id });
  return toCase(row);
}

/** Checks that a user exists, is enabled and may work cases. */
function assertAssignable(ws: Workspace, username: string): void {
  const u = findUser(ws, username);
  if (!u) throw new CustosError('validation', `There is no user named ${username} to assign the case to.`);
  if (u.disabled) throw new CustosError('validation', `${username} is disabled and cannot be assigned a case.`);
  if (!CASE_WORKERS.includes(u.role)) {
    throw new CustosError('validation', `${username} is ${u.role === 'auditor' ? 'an auditor' : 'a viewer'} and cannot be assigned a case; choose someone who works cases.`);
  }
}

/** Opens a case; ledgered as cases.create. */
export function createCase(
  ws: Workspace,
  op: Op,
  input: { title: string; type: CaseType; description: string; assignee?: string | null | undefined },
): CaseSummary {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    if (input.assignee) assertAssignable(ws, input.assignee);
    const id = nextId(ws, yearPrefix('CASE', at), 4);
    ws.db
      .prepare(
        `INSERT INTO cases (id, title, type, description, status, assignee, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
      )
      .run(id, input.title, input.type, input.description, input.assignee ?? null, op.actor, now, now);
    ws.ledger.append(
      { actor: op.actor, action: 'cases.create', resource_type: 'case', resource_id: id, details: { type: input.type, assignee: input.assignee ?? null } },
      at,
    );
    return getCase(ws, id);
  });
}

/** Changes title, type or description; ledgered as cases.update with the names of the changed fields. */
export function updateCase(
  ws: Workspace,
  op: Op,
  input: { id: string; title?: string | undefined; type?: CaseType | undefined; description?: string | undefined },
): CaseSummary {
  const at = opTime(op);
  return ws.tx(() => {
    const before = getCase(ws, input.id);
    const changed: string[] = [];
    if (input.title !== undefined && input.title !== before.title) changed.push('title');
    if (input.type !== undefined && input.type !== before.type) changed.push('type');
    if (input.description !== undefined && input.description !== before.description) changed.push('description');
    if (changed.length === 0) return before;
    ws.db
      .prepare('UPDATE cases SET title = ?, type = ?, description = ?, updated_at = ? WHERE id = ?')
      .run(input.title ?? before.title, input.type ?? before.type, input.description ?? before.description, at.toISOString(), input.id);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'cases.update',
        resource_type: 'case',
        resource_id: input.id,
        details: { changed, ...(changed.includes('type') ? { type: { from: before.type, to: input.type } } : {}) },
      },
      at,
    );
    return getCase(ws, input.id);
  });
}

/** Assigns (or unassigns) a case; ledgered as cases.assign. */
export function assignCase(ws: Workspace, op: Op, id: string, assignee: string | null): CaseSummary {
  const at = opTime(op);
  return ws.tx(() => {
    const before = getCase(ws, id);
    if (assignee) assertAssignable(ws, assignee);
    if (before.assignee === assignee) return before;
    ws.db.prepare('UPDATE cases SET assignee = ?, updated_at = ? WHERE id = ?').run(assignee, at.toISOString(), id);
    ws.ledger.append(
      { actor: op.actor, action: 'cases.assign', resource_type: 'case', resource_id: id, details: { from: before.assignee, to: assignee } },
      at,
    );
    return getCase(ws, id);
  });
}

const CASE_LIST: ListSource = {
  select: SELECT_CASE,
  from: 'FROM cases c',
  sorts: {
    id: 'c.id',
    title: 'c.title COLLATE NOCASE',
    type: 'c.type',
    status: 'c.status',
    assignee: 'c.assignee',
    created_at: 'c.created_at',
    updated_at: 'c.updated_at',
  },
  tiebreak: 'c.id',
};

/** A page of cases with search, filters and sort, plus the total. */
export function listCases(
  ws: Workspace,
  q: {
    search?: string | undefined;
    status?: readonly CaseStatus[] | undefined;
    type?: readonly CaseType[] | undefined;
    assignee?: string | undefined;
    sort: string;
    dir: 'asc' | 'desc';
    offset: number;
    limit: number;
  },
): { items: CaseSummary[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    const like = likePattern(q.search);
    where.push("(c.id LIKE ? ESCAPE '\\' OR c.title LIKE ? ESCAPE '\\' OR c.description LIKE ? ESCAPE '\\' OR c.assignee LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  if (q.status?.length) {
    where.push(`c.status IN (${q.status.map(() => '?').join(', ')})`);
    params.push(...q.status);
  }
  if (q.type?.length) {
    where.push(`c.type IN (${q.type.map(() => '?').join(', ')})`);
    params.push(...q.type);
  }
  if (q.assignee) {
    where.push('c.assignee = ?');
    params.push(q.assignee);
  }
  const page = listPage<CaseRow>(ws.db, CASE_LIST, { conds: where, params }, q);
  return { items: page.rows.map(toCase), total: page.total };
}
