import type { StepStatus, WorkflowState } from '../../../shared/contract/workflows.js';
import type { Db } from '../db/open.js';
import { listPage, type ListSource, type PageQuery } from '../db/list-page.js';
import { likePattern } from '../domain/like.js';
import { prepared } from '../db/statements.js';

// Every SQL statement of workflows (db/statements.ts: prepared once per connection), named after
// what it returns or does.

export interface InstanceRow {
  id: string;
  template_id: string;
  title: string;
  owner: string;
  stakeholders: string;
  due_at: string;
  case_id: string | null;
  period: string | null;
  state: WorkflowState;
  note: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** An instance row with its step counts and earliest pending due date (list and summary). */
export interface InstanceListRow extends InstanceRow {
  steps: number;
  finished: number;
  next_due_at: string | null;
}

export interface StepRow {
  instance_id: string;
  step_id: string;
  position: number;
  due_at: string;
  status: StepStatus;
  data: string;
  note: string | null;
  done_by: string | null;
  done_at: string | null;
}

const SELECT = `SELECT i.*,
    (SELECT count(*) FROM workflow_steps s WHERE s.instance_id = i.id) AS steps,
    (SELECT count(*) FROM workflow_steps s WHERE s.instance_id = i.id AND s.status <> 'pending') AS finished,
    (SELECT min(s.due_at) FROM workflow_steps s WHERE s.instance_id = i.id AND s.status = 'pending') AS next_due_at
  FROM workflow_instances i`;

export function instanceRow(db: Db, id: string): InstanceListRow | undefined {
  return prepared<[string], InstanceListRow>(db, `${SELECT} WHERE i.id = ?`).get(id);
}

export function instanceOfPeriod(db: Db, templateId: string, period: string): { id: string } | undefined {
  return prepared<[string, string], { id: string }>(db, 'SELECT id FROM workflow_instances WHERE template_id = ? AND period = ?').get(templateId, period);
}

export function insertInstance(db: Db, r: Omit<InstanceRow, 'state' | 'note' | 'updated_at'>): void {
  prepared(
    db,
    `INSERT INTO workflow_instances (id, template_id, title, owner, stakeholders, due_at, case_id, period, state, created_by, created_at, updated_at)
     VALUES (@id, @template_id, @title, @owner, @stakeholders, @due_at, @case_id, @period, 'open', @created_by, @created_at, @created_at)`,
  ).run(r);
}

export function insertStep(db: Db, s: Pick<StepRow, 'instance_id' | 'step_id' | 'position' | 'due_at'>): void {
  prepared(db, 'INSERT INTO workflow_steps (instance_id, step_id, position, due_at) VALUES (@instance_id, @step_id, @position, @due_at)').run(s);
}

export function stepRowsOf(db: Db, instanceId: string): StepRow[] {
  return prepared<[string], StepRow>(db, 'SELECT * FROM workflow_steps WHERE instance_id = ? ORDER BY position').all(instanceId);
}

export function setStepFinished(db: Db, s: Pick<StepRow, 'instance_id' | 'step_id' | 'status' | 'data' | 'note' | 'done_by' | 'done_at'>): void {
  prepared(
    db,
    `UPDATE workflow_steps SET status = @status, data = @data, note = @note, done_by = @done_by, done_at = @done_at
     WHERE instance_id = @instance_id AND step_id = @step_id AND status = 'pending'`,
  ).run(s);
}

export function setInstanceState(db: Db, id: string, state: WorkflowState, note: string | null, at: string): void {
  prepared(db, 'UPDATE workflow_instances SET state = ?, note = coalesce(?, note), updated_at = ? WHERE id = ?').run(state, note, at, id);
}

export function setInstancePeople(db: Db, id: string, owner: string, stakeholders: string, at: string): void {
  prepared(db, 'UPDATE workflow_instances SET owner = ?, stakeholders = ?, updated_at = ? WHERE id = ?').run(owner, stakeholders, at, id);
}

/** The ids of the instances started under a case. */
export function instanceIdsOfCase(db: Db, caseId: string): string[] {
  return prepared<[string], { id: string }>(db, 'SELECT id FROM workflow_instances WHERE case_id = ? ORDER BY id').all(caseId).map((r) => r.id);
}

/** Pending steps of open instances, with their instance's title, for the due list. */
export function pendingStepRows(db: Db): { instance_id: string; step_id: string; due_at: string; title: string; template_id: string }[] {
  return prepared<[], { instance_id: string; step_id: string; due_at: string; title: string; template_id: string }>(
    db,
    `SELECT s.instance_id, s.step_id, s.due_at, i.title, i.template_id FROM workflow_steps s JOIN workflow_instances i ON i.id = s.instance_id
     WHERE i.state = 'open' AND s.status = 'pending'`,
  ).all();
}

export function scheduledTemplateIds(db: Db): string[] {
  return prepared<[], { template_id: string }>(db, 'SELECT template_id FROM workflow_schedules ORDER BY template_id').all().map((r) => r.template_id);
}

/** The latest due date of a template's scheduled instances, or undefined before the first. */
export function newestPeriodDueAt(db: Db, templateId: string): string | undefined {
  return prepared<[string], { d: string | null }>(db, 'SELECT max(due_at) AS d FROM workflow_instances WHERE template_id = ? AND period IS NOT NULL').get(templateId)?.d ?? undefined;
}

export function scheduledBy(db: Db, templateId: string): string | undefined {
  return prepared<[string], { scheduled_by: string }>(db, 'SELECT scheduled_by FROM workflow_schedules WHERE template_id = ?').get(templateId)?.scheduled_by;
}

export function insertSchedule(db: Db, templateId: string, by: string, at: string): void {
  prepared(db, 'INSERT INTO workflow_schedules (template_id, scheduled_by, scheduled_at) VALUES (?, ?, ?)').run(templateId, by, at);
}

export function deleteSchedule(db: Db, templateId: string): void {
  prepared(db, 'DELETE FROM workflow_schedules WHERE template_id = ?').run(templateId);
}

const LIST: ListSource = {
  select: SELECT,
  from: 'FROM workflow_instances i',
  sorts: { due_at: 'i.due_at', created_at: 'i.created_at', title: 'i.title', state: 'i.state' },
  tiebreak: 'i.id',
};

export type InstanceQuery = PageQuery & {
  search?: string | undefined;
  state?: readonly WorkflowState[] | undefined;
  templateId?: string | undefined;
  owner?: string | undefined;
  overdue?: boolean | undefined;
};

/** A page of instances; overdue: open with a pending step due before `now`. */
export function instanceRowsPage(db: Db, q: InstanceQuery, now: string): { rows: InstanceListRow[]; total: number } {
  const conds: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.state && q.state.length > 0) {
    conds.push(`i.state IN (${q.state.map((_, k) => `@state${k}`).join(', ')})`);
    q.state.forEach((s, k) => (params[`state${k}`] = s));
  }
  if (q.templateId) {
    conds.push('i.template_id = @template');
    params.template = q.templateId;
  }
  if (q.owner) {
    conds.push('i.owner = @owner');
    params.owner = q.owner;
  }
  if (q.overdue !== undefined) {
    const late = `(i.state = 'open' AND EXISTS (SELECT 1 FROM workflow_steps s WHERE s.instance_id = i.id AND s.status = 'pending' AND s.due_at < @now))`;
    conds.push(q.overdue ? late : `NOT ${late}`);
    params.now = now;
  }
  if (q.search) {
    conds.push("(i.id LIKE @text ESCAPE '\\' OR i.title LIKE @text ESCAPE '\\' OR i.template_id LIKE @text ESCAPE '\\')");
    params.text = likePattern(q.search);
  }
  return listPage<InstanceListRow>(db, LIST, { conds, params }, q);
}
