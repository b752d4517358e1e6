import type { RecordSummary } from '../../../shared/contract/subjects.js';
import { likePattern } from '../domain/like.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { now as clockNow } from '../clock.js';
import { CustosError } from '../errors.js';
import { assertNotHeld } from '../holds/active-holds.js';
import type { Workspace } from '../workspace.js';
import { retentionCategory, retentionExpired, retentionUntil } from '../domain/retention-policy.js';
import { getSubjectById } from './subjects.js';
import { listPage, type ListSource } from '../db/list-page.js';

interface RecordRow {
  id: string;
  subject_id: string;
  subject_name: string;
  category: string;
  title: string;
  content: string | null;
  source: string;
  record_date: string;
  retention_until: string | null;
  status: RecordSummary['status'];
  created_at: string;
  updated_at: string;
  destroyed_at: string | null;
  destroyed_by: string | null;
  destroy_reason: string | null;
}

const SELECT_RECORD = 'SELECT r.*, s.display_name AS subject_name FROM records r JOIN subjects s ON s.id = r.subject_id';

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
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    destroyedAt: r.destroyed_at,
    destroyedBy: r.destroyed_by,
    destroyReason: r.destroy_reason,
  };
}

function recordRow(ws: Workspace, id: string): RecordRow {
  const row = ws.db.prepare(`${SELECT_RECORD} WHERE r.id = ?`).get(id) as RecordRow | undefined;
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
  const until = retentionUntil(input.category, input.recordDate);
  return ws.tx(() => {
    getSubjectById(ws, input.subjectId);
    const id = nextId(ws, yearPrefix('REC', at), 5);
    ws.db
      .prepare(
        `INSERT INTO records (id, subject_id, category, title, content, source, record_date, retention_until, status, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
      )
      .run(id, input.subjectId, input.category, input.title, input.content, input.source, input.recordDate, until, op.actor, now, now);
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
    const until = retentionUntil(next.category, next.record_date);
    ws.db
      .prepare('UPDATE records SET title = ?, content = ?, category = ?, record_date = ?, retention_until = ?, updated_at = ? WHERE id = ?')
      .run(next.title, next.content, next.category, next.record_date, until, at.toISOString(), input.id);
    ws.ledger.append(
      { actor: op.actor, action: 'records.update', resource_type: 'record', resource_id: input.id, details: { subject: row.subject_id, changed, retention_until: until } },
      at,
    );
    return getRecordSummary(ws, input.id);
  });
}

/** Wipes a record's content and title, keeping the row as a tombstone. Call inside `ws.tx`, after assertNotHeld. */
export function destroyRecordContent(ws: Workspace, id: string, status: 'purged' | 'erased', actor: string, at: Date, reason: string): void {
  ws.db
    .prepare("UPDATE records SET content = NULL, title = '', status = ?, destroyed_at = ?, destroyed_by = ?, destroy_reason = ?, updated_at = ? WHERE id = ?")
    .run(status, at.toISOString(), actor, reason, at.toISOString(), id);
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
    if (!cat.erasable && !retentionExpired(row.retention_until, utcDate(at))) {
      const until = row.retention_until ? `until ${row.retention_until}` : 'permanently';
      throw new CustosError('conflict', `${cat.label} must be kept ${until} (${cat.source}); record ${id} cannot be erased on request.`, {
        resourceType: 'record',
        resourceId: id,
      });
    }
    destroyRecordContent(ws, id, 'erased', op.actor, at, reason);
    ws.ledger.append(
      { actor: op.actor, action: 'records.erase', resource_type: 'record', resource_id: id, details: { subject: row.subject_id, category: row.category, reason } },
      at,
    );
    return getRecordSummary(ws, id);
  });
}

const RECORD_LIST: ListSource = {
  select: SELECT_RECORD,
  from: 'FROM records r JOIN subjects s ON s.id = r.subject_id',
  sorts: {
    record_date: 'r.record_date',
    id: 'r.id',
    category: 'r.category',
    retention_until: 'r.retention_until',
    updated_at: 'r.updated_at',
  },
  tiebreak: 'r.id',
};

/** A page of records (metadata only) with the total. */
export function listRecords(
  ws: Workspace,
  q: {
    search?: string | undefined;
    subjectId?: string | undefined;
    category?: string | undefined;
    status?: RecordSummary['status'] | undefined;
    expired?: boolean | undefined;
    sort: string;
    dir: 'asc' | 'desc';
    offset: number;
    limit: number;
  },
): { items: RecordSummary[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    const like = likePattern(q.search);
    where.push("(r.id LIKE ? ESCAPE '\\' OR r.title LIKE ? ESCAPE '\\' OR s.display_name LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  if (q.subjectId) {
    where.push('r.subject_id = ?');
    params.push(q.subjectId);
  }
  if (q.category) {
    where.push('r.category = ?');
    params.push(q.category);
  }
  if (q.status) {
    where.push('r.status = ?');
    params.push(q.status);
  }
  if (q.expired) {
    where.push("r.status = 'active' AND r.retention_until IS NOT NULL AND r.retention_until < ?");
    params.push(utcDate(clockNow()));
  }
  const page = listPage<RecordRow>(ws.db, RECORD_LIST, { conds: where, params }, q);
  return { items: page.rows.map(toRecord), total: page.total };
}
