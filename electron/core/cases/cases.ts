import type { CaseSummary, CaseType } from '../../../shared/contract/cases.js';
import { CASE_WORKERS } from '../../../shared/roles.js';
import { findUser } from '../auth/users.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { caseRowsPage, findCaseRow, type CaseQuery, insertOpenCase, setCaseAssignee, setCaseText, type CaseRow } from './cases-store.js';

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
  const row = findCaseRow(ws.db, id);
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
    insertOpenCase(ws.db, { id, title: input.title, type: input.type, description: input.description, assignee: input.assignee ?? null, createdBy: op.actor, at: now });
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
    setCaseText(ws.db, input.id, input.title ?? before.title, input.type ?? before.type, input.description ?? before.description, at.toISOString());
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
    setCaseAssignee(ws.db, id, assignee, at.toISOString());
    ws.ledger.append(
      { actor: op.actor, action: 'cases.assign', resource_type: 'case', resource_id: id, details: { from: before.assignee, to: assignee } },
      at,
    );
    return getCase(ws, id);
  });
}

/** A page of cases with search, filters and sort, plus the total. */
export function listCases(
  ws: Workspace,
  q: CaseQuery,
): { items: CaseSummary[]; total: number } {
  const { rows, total } = caseRowsPage(ws.db, q);
  return { items: rows.map(toCase), total };
}
