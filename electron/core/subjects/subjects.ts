import type { Subject } from '../../../shared/contract/subjects.js';
import { nextId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import {
  findSubjectRow,
  insertSubject,
  setSubjectDependency,
  setSubjectDetails,
  setSubjectDirectoryOptOut,
  subjectIdWithExternalId,
  subjectRowsPage,
  type SubjectQuery,
  type SubjectRow,
} from './subjects-store.js';

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
    dependency:
      r.dependent === null || r.dependent_recorded_at === null ? null : { dependent: r.dependent === 1, since: r.dependent_recorded_at, evidence: r.dependent_evidence ?? '' },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    recordCount: r.record_count,
  };
}

/** The subject; throws not_found. */
export function getSubjectById(ws: Workspace, id: string): Subject {
  const row = findSubjectRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no subject ${id}.`, { resourceType: 'subject', resourceId: id });
  return toSubject(row);
}

function assertExternalIdFree(ws: Workspace, externalId: string, except?: string): void {
  const other = subjectIdWithExternalId(ws.db, externalId);
  if (other !== undefined && other !== except) {
    throw new CustosError('conflict', `Another subject (${other}) already has the identifier ${externalId}.`, { resourceType: 'subject', resourceId: other });
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
    insertSubject(ws.db, {
      id,
      externalId: input.externalId ?? null,
      kind: input.kind,
      displayName: input.displayName,
      email: input.email ?? null,
      dateOfBirth: input.dateOfBirth ?? null,
      directoryOptOut: input.directoryOptOut,
      createdBy: op.actor,
      at: now,
    });
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
    setSubjectDetails(ws.db, input.id, next, at.toISOString());
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
    setSubjectDirectoryOptOut(ws.db, id, optOut, now);
    ws.ledger.append({ actor: op.actor, action: 'subjects.setDirectoryOptOut', resource_type: 'subject', resource_id: id, details: { opt_out: optOut } }, at);
    return getSubjectById(ws, id);
  });
}

/**
 * Records whether a student is a tax dependent (seed 002: by IRS tax deduction rules), with the
 * evidence it rests on; ledgered (the evidence stays in the workspace, the event says what changed).
 * Only students have parents' FERPA rights to decide.
 */
export function setDependency(ws: Workspace, op: Op, input: { id: string; dependent: boolean; evidence: string }): Subject {
  const at = opTime(op);
  return ws.tx(() => {
    const before = getSubjectById(ws, input.id);
    if (before.kind !== 'student') {
      throw new CustosError('validation', `${before.id} is not a student: dependent status (34 CFR 99.31(a)(8)) is recorded for students only.`, { resourceType: 'subject', resourceId: before.id });
    }
    // The same status recorded again (a new year's tax return) keeps the day it has held since; a change starts it anew.
    const held = typeof before.dependency === 'object' ? before.dependency : null;
    const since = held && held.dependent === input.dependent ? held.since : at.toISOString();
    setSubjectDependency(ws.db, input.id, { dependent: input.dependent, at: at.toISOString(), since, evidence: input.evidence });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'subjects.setDependency',
        resource_type: 'subject',
        resource_id: input.id,
        details: { dependent: input.dependent, from: held ? held.dependent : null, evidence: input.evidence },
      },
      at,
    );
    return getSubjectById(ws, input.id);
  });
}

/** A page of subjects with the total. */
export function listSubjects(
  ws: Workspace,
  q: SubjectQuery,
): { items: Subject[]; total: number } {
  const { rows, total } = subjectRowsPage(ws.db, q);
  return { items: rows.map(toSubject), total };
}
