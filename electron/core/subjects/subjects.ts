import type { Subject } from '../../../shared/contract/subjects.js';
import { likePattern } from '../domain/like.js';
import { nextId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { listPage, type ListSource } from '../db/list-page.js';

interface SubjectRow {
  id: string;
  external_id: string | null;
  kind: Subject['kind'];
  display_name: string;
  email: string | null;
  date_of_birth: string | null;
  directory_opt_out: number;
  directory_opt_out_at: string | null;
  created_at: string;
  updated_at: string;
  record_count: number;
}

const SELECT_SUBJECT = `SELECT s.*, (SELECT count(*) FROM records r WHERE r.subject_id = s.id AND r.status = 'active') AS record_count FROM subjects s`;

function toSubject(r: SubjectRow): Subject {
  return {
    id: r.id,
    externalId: r.external_id,
    kind: r.kind,
    displayName: r.display_name,
    email: r.email,
    dateOfBirth: r.date_of_birth,
    directoryOptOut: r.directory_opt_out === 1,
    directoryOptOutAt: r.directory_opt_out_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    recordCount: r.record_count,
  };
}

/** The subject; throws not_found. */
export function getSubjectById(ws: Workspace, id: string): Subject {
  const row = ws.db.prepare(`${SELECT_SUBJECT} WHERE s.id = ?`).get(id) as SubjectRow | undefined;
  if (!row) throw new CustosError('not_found', `There is no subject ${id}.`, { resourceType: 'subject', resourceId: id });
  return toSubject(row);
}

function assertExternalIdFree(ws: Workspace, externalId: string, except?: string): void {
  const other = ws.db.prepare('SELECT id FROM subjects WHERE external_id = ?').get(externalId) as { id: string } | undefined;
  if (other && other.id !== except) {
    throw new CustosError('conflict', `Another subject (${other.id}) already has the identifier ${externalId}.`, { resourceType: 'subject', resourceId: other.id });
  }
}

/** Adds a subject; ledgered as subjects.create (ids and kind only, no personal data). */
export function createSubject(
  ws: Workspace,
  op: Op,
  input: {
    externalId?: string | null | undefined;
    kind: Subject['kind'];
    displayName: string;
    email?: string | null | undefined;
    dateOfBirth?: string | null | undefined;
    directoryOptOut: boolean;
  },
): Subject {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    if (input.externalId) assertExternalIdFree(ws, input.externalId);
    const id = nextId(ws, 'SUBJ', 5);
    ws.db
      .prepare(
        `INSERT INTO subjects (id, external_id, kind, display_name, email, date_of_birth, directory_opt_out, directory_opt_out_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.externalId ?? null,
        input.kind,
        input.displayName,
        input.email ?? null,
        input.dateOfBirth ?? null,
        input.directoryOptOut ? 1 : 0,
        input.directoryOptOut ? now : null,
        op.actor,
        now,
        now,
      );
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'subjects.create',
        resource_type: 'subject',
        resource_id: id,
        details: { kind: input.kind, external_id: input.externalId ?? null, directory_opt_out: input.directoryOptOut },
      },
      at,
    );
    return getSubjectById(ws, id);
  });
}

/** Corrects identifying details; ledgered as subjects.update with the names of the changed fields. */
export function updateSubject(
  ws: Workspace,
  op: Op,
  input: {
    id: string;
    externalId?: string | null | undefined;
    kind?: Subject['kind'] | undefined;
    displayName?: string | undefined;
    email?: string | null | undefined;
    dateOfBirth?: string | null | undefined;
  },
): Subject {
  const at = opTime(op);
  return ws.tx(() => {
    const before = getSubjectById(ws, input.id);
    const next = {
      externalId: input.externalId === undefined ? before.externalId : input.externalId,
      kind: input.kind ?? before.kind,
      displayName: input.displayName ?? before.displayName,
      email: input.email === undefined ? before.email : input.email,
      dateOfBirth: input.dateOfBirth === undefined ? before.dateOfBirth : input.dateOfBirth,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
    if (changed.length === 0) return before;
    if (next.externalId) assertExternalIdFree(ws, next.externalId, input.id);
    ws.db
      .prepare('UPDATE subjects SET external_id = ?, kind = ?, display_name = ?, email = ?, date_of_birth = ?, updated_at = ? WHERE id = ?')
      .run(next.externalId, next.kind, next.displayName, next.email, next.dateOfBirth, at.toISOString(), input.id);
    ws.ledger.append({ actor: op.actor, action: 'subjects.update', resource_type: 'subject', resource_id: input.id, details: { changed } }, at);
    return getSubjectById(ws, input.id);
  });
}

/** Records a directory-information opt-out (FERPA 34 CFR 99.37) or its withdrawal; ledgered. */
export function setDirectoryOptOut(ws: Workspace, op: Op, id: string, optOut: boolean): Subject {
  const at = opTime(op);
  return ws.tx(() => {
    const before = getSubjectById(ws, id);
    if (before.directoryOptOut === optOut) return before;
    const now = at.toISOString();
    ws.db.prepare('UPDATE subjects SET directory_opt_out = ?, directory_opt_out_at = ?, updated_at = ? WHERE id = ?').run(optOut ? 1 : 0, optOut ? now : null, now, id);
    ws.ledger.append({ actor: op.actor, action: 'subjects.setDirectoryOptOut', resource_type: 'subject', resource_id: id, details: { opt_out: optOut } }, at);
    return getSubjectById(ws, id);
  });
}

const SUBJECT_LIST: ListSource = {
  select: SELECT_SUBJECT,
  from: 'FROM subjects s',
  sorts: {
    display_name: 's.display_name COLLATE NOCASE',
    id: 's.id',
    external_id: 's.external_id',
    updated_at: 's.updated_at',
  },
  tiebreak: 's.id',
};

/** A page of subjects with the total. */
export function listSubjects(
  ws: Workspace,
  q: { search?: string | undefined; kind?: Subject['kind'] | undefined; directoryOptOut?: boolean | undefined; sort: string; dir: 'asc' | 'desc'; offset: number; limit: number },
): { items: Subject[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    const like = likePattern(q.search);
    where.push("(s.id LIKE ? ESCAPE '\\' OR s.external_id LIKE ? ESCAPE '\\' OR s.display_name LIKE ? ESCAPE '\\' OR s.email LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  if (q.kind) {
    where.push('s.kind = ?');
    params.push(q.kind);
  }
  if (q.directoryOptOut !== undefined) {
    where.push('s.directory_opt_out = ?');
    params.push(q.directoryOptOut ? 1 : 0);
  }
  const page = listPage<SubjectRow>(ws.db, SUBJECT_LIST, { conds: where, params }, q);
  return { items: page.rows.map(toSubject), total: page.total };
}
