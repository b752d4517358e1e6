import type { RecordSummary } from '../../../shared/contract/subjects.js';
import { keptText } from '../../../shared/kept-text.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import { assertNotHeld } from '../holds/active-holds.js';
import type { Workspace } from '../workspace.js';
import { retentionCategory, retentionExpired } from '../domain/retention-policy.js';
import { policyRetentionUntil, retentionPolicyOf } from '../retention/policies.js';
import { getSubjectById } from './subjects.js';
import { findRecordRow, insertActiveRecord, recordRowsPage, setRecordDestroyed, setRecordFields, type RecordQuery, type RecordRow } from './subjects-store.js';

function toRecord(r: RecordRow): RecordSummary {
  return {
    id: r.id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    category: r.category,
    title: r.title,
    source: r.source,
    recordDate: r.record_date,
    retentionUntil: r.retention_until,
    status: r.status === 'active' && r.archived_at !== null ? 'archived' : r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    destroyedAt: r.destroyed_at,
    destroyedBy: r.destroyed_by,
    destroyReason: r.destroy_reason,
    archivedAt: r.archived_at,
  };
}

function recordRow(ws: Workspace, id: string): RecordRow {
  const row = findRecordRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no record ${id}.`, { resourceType: 'record', resourceId: id });
  return row;
}

/** The record's metadata; throws not_found. */
export function getRecordSummary(ws: Workspace, id: string): RecordSummary {
  return toRecord(recordRow(ws, id));
}

/** Adds a record; its retention date comes from the category's policy. Ledgered as records.create (ids only). */
export function createRecord(
  ws: Workspace,
  op: Op,
  input: { subjectId: string; category: string; title: string; content: string; source: string; recordDate: string },
): RecordSummary {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    getSubjectById(ws, input.subjectId);
    const until = policyRetentionUntil(ws, input.category, input.recordDate);
    const id = nextId(ws, yearPrefix('REC', at), 5);
    insertActiveRecord(ws.db, { id, ...input, retentionUntil: until, createdBy: op.actor, at: now });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'records.create',
        resource_type: 'record',
        resource_id: id,
        details: { subject: input.subjectId, category: input.category, record_date: input.recordDate, retention_until: until },
      },
      at,
    );
    return getRecordSummary(ws, id);
  });
}

/** The record with its content; the view is ledgered as records.view (the FERPA access log). */
export function viewRecord(ws: Workspace, op: Op, id: string, purpose: string): { record: RecordSummary; content: string | null } {
  const at = opTime(op);
  return ws.tx(() => {
    const row = recordRow(ws, id);
    ws.ledger.append({ actor: op.actor, action: 'records.view', resource_type: 'record', resource_id: id, details: { subject: row.subject_id, purpose } }, at);
    return { record: toRecord(row), content: row.content };
  });
}

function assertActive(row: RecordRow, what: string): void {
  if (row.status !== 'active') {
    throw new CustosError('conflict', `Record ${row.id} was already ${row.status}; ${what} is not possible.`, { resourceType: 'record', resourceId: row.id });
  }
  if (row.archived_at !== null) {
    throw new CustosError('conflict', `Record ${row.id} is archived under its retention policy and is read-only; ${what} is not possible.`, {
      resourceType: 'record',
      resourceId: row.id,
    });
  }
}

/**
 * Replaces fields of a record in place. This overwrites what was there, so it is a destructive
 * edit: refused with `held` while any legal hold covers the record (checked before anything else).
 */
export function updateRecord(
  ws: Workspace,
  op: Op,
  input: { id: string; title?: string | undefined; content?: string | undefined; category?: string | undefined; recordDate?: string | undefined },
): RecordSummary {
  const at = opTime(op);
  return ws.tx(() => {
    const row = recordRow(ws, input.id);
    assertNotHeld(ws, 'record', input.id);
    assertActive(row, 'editing it');
    const next = {
      title: input.title ?? row.title,
      content: input.content ?? row.content ?? '',
      category: input.category ?? row.category,
      record_date: input.recordDate ?? row.record_date,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
    if (changed.length === 0) return toRecord(row);
    if (input.category) retentionCategory(input.category);
    const until = policyRetentionUntil(ws, next.category, next.record_date);
    setRecordFields(
      ws.db,
      input.id,
      { title: next.title, content: next.content, category: next.category, recordDate: next.record_date, retentionUntil: until },
      at.toISOString(),
    );
    ws.ledger.append(
      { actor: op.actor, action: 'records.update', resource_type: 'record', resource_id: input.id, details: { subject: row.subject_id, changed, retention_until: until } },
      at,
    );
    return getRecordSummary(ws, input.id);
  });
}

/** Wipes a record's content and title, keeping the row as a tombstone, by `op.actor` at the operation's instant. Call inside `ws.tx`, after assertNotHeld. */
export function destroyRecordContent(ws: Workspace, op: Op, id: string, status: 'purged' | 'erased', reason: string): void {
  setRecordDestroyed(ws.db, id, status, op.actor, reason, opTime(op).toISOString());
}

/**
 * Erases a record on the subject's request: allowed for categories the policy marks erasable, or
 * once retention has run out. Refused with `held` while any legal hold covers the record.
 */
export function eraseRecord(ws: Workspace, op: Op, id: string, reason: string): RecordSummary {
  const at = opTime(op);
  return ws.tx(() => {
    const row = recordRow(ws, id);
    assertNotHeld(ws, 'record', id);
    assertActive(row, 'erasing it');
    const cat = retentionCategory(row.category);
    // Retention running out allows erasure only where the policy deletes; an archiving policy keeps the record.
    const action = retentionPolicyOf(ws, row.category).action;
    const expired = action === 'delete' && retentionExpired(row.retention_until, utcDate(at));
    if (!cat.erasable && !expired) {
      throw new CustosError('conflict', `${cat.label} must be kept ${keptText(row.retention_until, action)} (${cat.source}); record ${id} cannot be erased on request.`, {
        resourceType: 'record',
        resourceId: id,
      });
    }
    destroyRecordContent(ws, { ...op, at }, id, 'erased', reason);
    ws.ledger.append(
      { actor: op.actor, action: 'records.erase', resource_type: 'record', resource_id: id, details: { subject: row.subject_id, category: row.category, reason } },
      at,
    );
    return getRecordSummary(ws, id);
  });
}

/** A page of records (metadata only) with the total. */
export function listRecords(
  ws: Workspace,
  q: RecordQuery,
): { items: RecordSummary[]; total: number } {
  const { rows, total } = recordRowsPage(ws.db, q);
  return { items: rows.map(toRecord), total };
}
