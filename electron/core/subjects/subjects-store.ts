import type { RecordSummary, Subject } from '../../../shared/contract/subjects.js';
import { now as clockNow } from '../clock.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import { likePattern } from '../domain/like.js';
import { utcDate } from '../domain/op.js';

// The SQL of subjects and their records. Each statement is prepared once per connection.

/** A subject row with the count of its active records. */
export interface SubjectRow {
  id: string;
  external_id: string | null;
  kind: Subject['kind'];
  display_name: string;
  email: string | null;
  date_of_birth: string | null;
  directory_opt_out: number;
  directory_opt_out_at: string | null;
  dependent: number | null;
  dependent_recorded_at: string | null;
  dependent_evidence: string | null;
  created_at: string;
  updated_at: string;
  record_count: number;
}

/** A record row with its subject's name. */
export interface RecordRow {
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
  /** Set when the retention sweep archived the record (status stays active in the table; read-only). */
  archived_at: string | null;
}

/** What the retention purge reads of a record. */
export interface PurgeCandidateRow {
  id: string;
  subject_id: string;
  category: string;
  retention_until: string | null;
  status: string;
}

// ---- subjects

const SELECT_SUBJECT = `SELECT s.*, (SELECT count(*) FROM records r WHERE r.subject_id = s.id AND r.status = 'active') AS record_count FROM subjects s`;

/** The subject row with its record count, or undefined. */
export function findSubjectRow(db: Db, id: string): SubjectRow | undefined {
  return prepared<[string], SubjectRow>(db, `${SELECT_SUBJECT} WHERE s.id = ?`).get(id);
}

/** The id of the subject with this external identifier, or undefined. */
export function subjectIdWithExternalId(db: Db, externalId: string): string | undefined {
  return prepared<[string], { id: string }>(db, 'SELECT id FROM subjects WHERE external_id = ?').get(externalId)?.id;
}

/** Inserts a subject. */
export function insertSubject(
  db: Db,
  s: {
    id: string;
    externalId: string | null;
    kind: Subject['kind'];
    displayName: string;
    email: string | null;
    dateOfBirth: string | null;
    directoryOptOut: boolean;
    createdBy: string;
    at: string;
  },
): void {
  prepared<[string, string | null, string, string, string | null, string | null, number, string | null, string, string, string]>(
    db,
    `INSERT INTO subjects (id, external_id, kind, display_name, email, date_of_birth, directory_opt_out, directory_opt_out_at, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.id, s.externalId, s.kind, s.displayName, s.email, s.dateOfBirth, s.directoryOptOut ? 1 : 0, s.directoryOptOut ? s.at : null, s.createdBy, s.at, s.at);
}

/** Sets a subject's identifying details. */
export function setSubjectDetails(
  db: Db,
  id: string,
  d: { externalId: string | null; kind: Subject['kind']; displayName: string; email: string | null; dateOfBirth: string | null },
  updatedAt: string,
): void {
  prepared<[string | null, string, string, string | null, string | null, string, string]>(
    db,
    'UPDATE subjects SET external_id = ?, kind = ?, display_name = ?, email = ?, date_of_birth = ?, updated_at = ? WHERE id = ?',
  ).run(d.externalId, d.kind, d.displayName, d.email, d.dateOfBirth, updatedAt, id);
}

/** Records a student's dependent status, when and on what evidence. */
export function setSubjectDependency(db: Db, id: string, d: { dependent: boolean; at: string; since: string; evidence: string }): void {
  prepared<[number, string, string, string, string]>(db, 'UPDATE subjects SET dependent = ?, dependent_recorded_at = ?, dependent_evidence = ?, updated_at = ? WHERE id = ?').run(
    d.dependent ? 1 : 0,
    d.since,
    d.evidence,
    d.at,
    id,
  );
}

/** Records a directory opt-out (with its time) or its withdrawal. */
export function setSubjectDirectoryOptOut(db: Db, id: string, optOut: boolean, at: string): void {
  prepared<[number, string | null, string, string]>(db, 'UPDATE subjects SET directory_opt_out = ?, directory_opt_out_at = ?, updated_at = ? WHERE id = ?').run(
    optOut ? 1 : 0,
    optOut ? at : null,
    at,
    id,
  );
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

/** The search, filters, sort and page of a subject list. */
export interface SubjectQuery {
  search?: string | undefined;
  kind?: Subject['kind'] | undefined;
  directoryOptOut?: boolean | undefined;
  sort: string;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** A page of subject rows with the total. */
export function subjectRowsPage(
  db: Db,
  q: SubjectQuery,
): { rows: SubjectRow[]; total: number } {
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
  return listPage<SubjectRow>(db, SUBJECT_LIST, { conds: where, params }, q);
}

// ---- records

const SELECT_RECORD = 'SELECT r.*, s.display_name AS subject_name FROM records r JOIN subjects s ON s.id = r.subject_id';

/** The record row with its subject's name, or undefined. */
export function findRecordRow(db: Db, id: string): RecordRow | undefined {
  return prepared<[string], RecordRow>(db, `${SELECT_RECORD} WHERE r.id = ?`).get(id);
}

/** Inserts an active record. */
export function insertActiveRecord(
  db: Db,
  r: { id: string; subjectId: string; category: string; title: string; content: string; source: string; recordDate: string; retentionUntil: string | null; createdBy: string; at: string },
): void {
  prepared<[string, string, string, string, string, string, string, string | null, string, string, string]>(
    db,
    `INSERT INTO records (id, subject_id, category, title, content, source, record_date, retention_until, status, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
  ).run(r.id, r.subjectId, r.category, r.title, r.content, r.source, r.recordDate, r.retentionUntil, r.createdBy, r.at, r.at);
}

/** Replaces a record's fields and retention date. */
export function setRecordFields(
  db: Db,
  id: string,
  f: { title: string; content: string; category: string; recordDate: string; retentionUntil: string | null },
  updatedAt: string,
): void {
  prepared<[string, string, string, string, string | null, string, string]>(
    db,
    'UPDATE records SET title = ?, content = ?, category = ?, record_date = ?, retention_until = ?, updated_at = ? WHERE id = ?',
  ).run(f.title, f.content, f.category, f.recordDate, f.retentionUntil, updatedAt, id);
}

/** Wipes a record's content and title and marks it purged or erased. */
export function setRecordDestroyed(db: Db, id: string, status: 'purged' | 'erased', actor: string, reason: string, at: string): void {
  prepared<[string, string, string, string, string, string]>(
    db,
    "UPDATE records SET content = NULL, title = '', status = ?, destroyed_at = ?, destroyed_by = ?, destroy_reason = ?, updated_at = ? WHERE id = ?",
  ).run(status, at, actor, reason, at, id);
}

/** What the retention purge reads of one record, or undefined. */
export function purgeCandidateRow(db: Db, id: string): PurgeCandidateRow | undefined {
  return prepared<[string], PurgeCandidateRow>(db, 'SELECT id, subject_id, category, retention_until, status FROM records WHERE id = ?').get(id);
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

/** The search, filters, sort and page of a record list. */
export interface RecordQuery {
  search?: string | undefined;
  subjectId?: string | undefined;
  category?: string | undefined;
  status?: RecordSummary['status'] | undefined;
  expired?: boolean | undefined;
  /** Without a status filter, archived records are left out unless this is set (a subject's own page shows them). */
  includeArchived?: boolean;
  sort: string;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** A page of record rows with the total. */
export function recordRowsPage(
  db: Db,
  q: RecordQuery,
): { rows: RecordRow[]; total: number } {
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
  // Archived records are out of the default list: only a status filter of archived shows them.
  if (q.status === 'archived') where.push("r.status = 'active' AND r.archived_at IS NOT NULL");
  else if (q.status) {
    where.push('r.status = ? AND r.archived_at IS NULL');
    params.push(q.status);
  } else if (!q.includeArchived) where.push('r.archived_at IS NULL');
  if (q.expired) {
    where.push("r.status = 'active' AND r.archived_at IS NULL AND r.retention_until IS NOT NULL AND r.retention_until < ?");
    params.push(utcDate(clockNow()));
  }
  return listPage<RecordRow>(db, RECORD_LIST, { conds: where, params }, q);
}
