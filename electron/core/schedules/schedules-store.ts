import type { ExportRequest } from '../../../shared/contract/exports.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';
import type { ExportContentRow } from '../exports/export-content.js';

// The SQL of scheduled exports (migration 018): the schedules and the occurrences each handled.

/** An export_schedules row as stored. */
export interface ScheduleRow extends ExportContentRow {
  id: string;
  name: string;
  /** A schedule runs data exports, never a signed bundle. */
  format: 'csv' | 'json' | 'ndjson' | 'xml' | 'pdf';
  cadence: 'daily' | 'weekly' | 'monthly';
  weekday: number | null;
  month_day: number | null;
  time_of_day: string;
  owner: string;
  active: number;
  approval: 'not-required' | 'pending' | 'approved';
  approved_by: string | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
  /** Occurrences at or before this instant are handled (run, skipped or failed); creation, resumption and each run move it. */
  handled_through: string;
  deleted_at: string | null;
}

/** The fields a schedule's owner sets (create and update). */
export type ScheduleContentRow = Pick<
  ScheduleRow,
  | 'name'
  | 'type'
  | 'format'
  | 'filters'
  | 'case_id'
  | 'include_evidence'
  | 'include_audit_trail'
  | 'masking'
  | 'purpose'
  | 'recipient'
  | 'cadence'
  | 'weekday'
  | 'month_day'
  | 'time_of_day'
>;

/** An export_schedule_runs row with its export request's status and hash. */
export interface ScheduleRunRow {
  id: number;
  schedule_id: string;
  occurrence: string;
  kind: 'run' | 'skipped' | 'failed';
  request_id: string | null;
  request_status: ExportRequest['status'] | null;
  sha256: string | null;
  request_error: string | null;
  missed: number;
  error: string | null;
  at: string;
}

/** The schedule row (deleted ones included), or undefined. */
export function findScheduleRow(db: Db, id: string): ScheduleRow | undefined {
  return prepared<[string], ScheduleRow>(db, 'SELECT * FROM export_schedules WHERE id = ?').get(id);
}

/** Every schedule not deleted, by name. */
export function scheduleRows(db: Db): ScheduleRow[] {
  return prepared<[], ScheduleRow>(db, 'SELECT * FROM export_schedules WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id').all();
}

const SCHEDULE_LIST: ListSource = {
  select: 'SELECT * FROM export_schedules',
  from: 'FROM export_schedules',
  sorts: { name: 'name COLLATE NOCASE', created_at: 'created_at', owner: 'owner' },
  tiebreak: 'id',
};

/** A page of the schedules not deleted, by a free-text search over id, name, recipient and owner, and the total. */
export function scheduleRowsPage(db: Db, q: PageQuery & { search?: string | undefined }): { rows: ScheduleRow[]; total: number } {
  const where = namedWhere([], { text: q.search, columns: ['id', 'name', 'recipient', 'owner'] });
  return listPage<ScheduleRow>(db, SCHEDULE_LIST, { conds: ['deleted_at IS NULL', ...where.conds], params: where.params }, q);
}

/** The schedules that may run: active, not deleted, approved or needing no approval. */
export function runnableScheduleRows(db: Db): ScheduleRow[] {
  return prepared<[], ScheduleRow>(
    db,
    "SELECT * FROM export_schedules WHERE deleted_at IS NULL AND active = 1 AND approval IN ('not-required', 'approved') ORDER BY id",
  ).all();
}

/** Inserts a new schedule. */
export function insertScheduleRow(
  db: Db,
  r: ScheduleContentRow & Pick<ScheduleRow, 'id' | 'owner' | 'approval' | 'created_at' | 'handled_through'>,
): void {
  prepared<[typeof r]>(
    db,
    `INSERT INTO export_schedules (id, name, type, format, filters, case_id, include_evidence, include_audit_trail, masking, purpose,
          recipient, cadence, weekday, month_day, time_of_day, owner, active, approval, created_at, updated_at, handled_through)
        VALUES (@id, @name, @type, @format, @filters, @case_id, @include_evidence, @include_audit_trail, @masking, @purpose,
          @recipient, @cadence, @weekday, @month_day, @time_of_day, @owner, 1, @approval, @created_at, @created_at, @handled_through)`,
  ).run(r);
}

/** Replaces a schedule's content; the approval starts over (`approval` as the new content needs). */
export function updateScheduleRow(db: Db, id: string, r: ScheduleContentRow, approval: ScheduleRow['approval'], at: string): void {
  const values = { ...r, id, approval, at };
  prepared<[typeof values]>(
    db,
    `UPDATE export_schedules SET name = @name, type = @type, format = @format, filters = @filters, case_id = @case_id,
          include_evidence = @include_evidence, include_audit_trail = @include_audit_trail, masking = @masking, purpose = @purpose,
          recipient = @recipient, cadence = @cadence, weekday = @weekday, month_day = @month_day, time_of_day = @time_of_day,
          approval = @approval, approved_by = NULL, approved_at = NULL, updated_at = @at
        WHERE id = @id`,
  ).run(values);
}

/** Pauses or resumes; a resumed schedule counts its occurrences from `handledThrough` (now), not from before the pause. */
export function setScheduleActiveRow(db: Db, id: string, active: boolean, at: string, handledThrough: string | null): void {
  prepared<[number, string, string | null, string]>(
    db,
    'UPDATE export_schedules SET active = ?, updated_at = ?, handled_through = coalesce(?, handled_through) WHERE id = ?',
  ).run(active ? 1 : 0, at, handledThrough, id);
}

/** pending → approved. */
export function setScheduleApprovedRow(db: Db, id: string, by: string, at: string): void {
  prepared<[string, string, string]>(db, "UPDATE export_schedules SET approval = 'approved', approved_by = ?, approved_at = ? WHERE id = ?").run(by, at, id);
}

/** Marks a schedule deleted (its runs keep pointing at it). */
export function setScheduleDeletedRow(db: Db, id: string, at: string): void {
  prepared<[string, string, string]>(db, 'UPDATE export_schedules SET deleted_at = ?, active = 0, updated_at = ? WHERE id = ?').run(at, at, id);
}

/** Occurrences through `through` are handled. */
export function setScheduleHandledRow(db: Db, id: string, through: string): void {
  prepared<[string, string]>(db, 'UPDATE export_schedules SET handled_through = ? WHERE id = ?').run(through, id);
}

/** Records one handled occurrence. */
export function insertScheduleRunRow(
  db: Db,
  r: { schedule_id: string; occurrence: string; kind: ScheduleRunRow['kind']; request_id: string | null; missed: number; error: string | null; at: string },
): void {
  prepared(db, 'INSERT INTO export_schedule_runs (schedule_id, occurrence, kind, request_id, missed, error, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    r.schedule_id,
    r.occurrence,
    r.kind,
    r.request_id,
    r.missed,
    r.error,
    r.at,
  );
}

const RUN_SELECT = `SELECT r.id, r.schedule_id, r.occurrence, r.kind, r.request_id, e.status AS request_status, e.sha256, e.error AS request_error,
    r.missed, r.error, r.at
  FROM export_schedule_runs r LEFT JOIN export_requests e ON e.id = r.request_id`;

/** A schedule's handled occurrences, newest first. */
export function scheduleRunRows(db: Db, scheduleId: string, limit: number): ScheduleRunRow[] {
  return prepared<[string, number], ScheduleRunRow>(db, `${RUN_SELECT} WHERE r.schedule_id = ? ORDER BY r.id DESC LIMIT ?`).all(scheduleId, limit);
}

/** A schedule's latest run or failure (not a skipped row), or undefined. */
export function lastScheduleRunRow(db: Db, scheduleId: string): ScheduleRunRow | undefined {
  return prepared<[string], ScheduleRunRow>(db, `${RUN_SELECT} WHERE r.schedule_id = ? AND r.kind <> 'skipped' ORDER BY r.id DESC LIMIT 1`).get(scheduleId);
}
