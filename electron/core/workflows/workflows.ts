import type {
  StepStatus,
  WorkflowDetail,
  WorkflowState,
  WorkflowStepState,
  WorkflowSummary,
  WorkflowTemplateInfo,
} from '../../../shared/contract/workflows.js';
import { isCalendarDate } from '../../../shared/compliance-data.js';
import type { WorkflowStep, WorkflowTemplate } from '../../../shared/workflow-data.js';
import { findUser } from '../auth/users.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { addDays } from '../domain/deadlines.js';
import { yearlyId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { applyMove, type StatefulResource } from '../domain/state-transition.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { currentPeriod } from './periods.js';
import { loadTemplates, templateOf } from './template-data.js';
import {
  deleteSchedule,
  insertInstance,
  insertSchedule,
  insertStep,
  instanceOfPeriod,
  instanceRow,
  instanceRowsPage,
  newestPeriodDueAt,
  pendingStepRows,
  scheduledBy,
  scheduledTemplateIds,
  setInstancePeople,
  setStepFinished,
  stepRowsOf,
  type InstanceListRow,
  type InstanceQuery,
  type StepRow,
} from './workflows-store.js';

// Workflow instances: a template's steps as a checklist of work with an owner, stakeholders, a due
// date and an optional case. A step is recorded once, as done (with the data its template asks
// for) or skipped (with a reason), by whom and when; the instance completes with its last step.
// Every change appends its ledger event in the transaction that makes it.

/** open → completed (its last step recorded) | cancelled; nothing leaves a final state. */
const MOVES: Record<WorkflowState, readonly WorkflowState[]> = { open: ['completed', 'cancelled'], completed: [], cancelled: [] };

const INSTANCES: StatefulResource<InstanceListRow, WorkflowState> = {
  table: 'workflow_instances',
  resourceType: 'workflow',
  row: (ws, id) => rowOf(ws, id),
  assertMove(id, from, to, verb) {
    if (!MOVES[from].includes(to)) throw new CustosError('conflict', `Workflow ${id} is ${from}; you cannot ${verb}.`, { resourceType: 'workflow', resourceId: id, from, to });
  },
  eventDetails: (r) => ({ template: r.template_id }),
};

function rowOf(ws: Workspace, id: string): InstanceListRow {
  const r = instanceRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no workflow ${id}.`, { resourceType: 'workflow', resourceId: id });
  return r;
}

function toSummary(r: InstanceListRow, now: string): WorkflowSummary {
  return {
    id: r.id,
    templateId: r.template_id,
    templateTitle: loadTemplates().find((t) => t.id === r.template_id)?.title ?? r.template_id,
    title: r.title,
    owner: r.owner,
    stakeholders: JSON.parse(r.stakeholders) as string[],
    dueAt: r.due_at,
    caseId: r.case_id,
    period: r.period,
    state: r.state,
    steps: r.steps,
    finished: r.finished,
    nextDueAt: r.next_due_at,
    overdue: r.state === 'open' && r.next_due_at !== null && r.next_due_at < now,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function templateInfo(t: WorkflowTemplate, scheduled: boolean): WorkflowTemplateInfo {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    recurrence: t.recurrence,
    defaultDueDays: t.defaultDueDays,
    ordered: t.ordered,
    scheduled,
    steps: t.steps.map((s) => ({ ...stepInfo(s), quarters: s.quarters ? [...s.quarters] : null })),
  };
}

function stepInfo(s: WorkflowStep) {
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    daysBeforeDue: s.daysBeforeDue,
    fields: (s.fields ?? []).map((f) => ({ ...f })),
    requirements: (s.requirements ?? []).map((r) => ({ ...r })),
  };
}

/** `workflows.templates`: every shipped template and whether this workspace runs it on its schedule. */
export function listTemplates(ws: Workspace): WorkflowTemplateInfo[] {
  const scheduled = new Set(scheduledTemplateIds(ws.db));
  return loadTemplates().map((t) => templateInfo(t, scheduled.has(t.id)));
}

/** `workflows.list`. */
export function listWorkflows(ws: Workspace, q: InstanceQuery, at: Date): { items: WorkflowSummary[]; total: number } {
  const now = at.toISOString();
  const page = instanceRowsPage(ws.db, q, now);
  return { items: page.rows.map((r) => toSummary(r, now)), total: page.total };
}

/** `workflows.get`: the instance and its steps in template order, with the template's text and fields. */
export function getWorkflow(ws: Workspace, id: string, at: Date): WorkflowDetail {
  const now = at.toISOString();
  const r = rowOf(ws, id);
  const t = loadTemplates().find((x) => x.id === r.template_id);
  const steps: WorkflowStepState[] = stepRowsOf(ws.db, id).map((s) => {
    const def = t?.steps.find((x) => x.id === s.step_id);
    return {
      ...(def ? stepInfo(def) : { id: s.step_id, title: s.step_id, description: '', daysBeforeDue: 0, fields: [], requirements: [] }),
      position: s.position,
      dueAt: s.due_at,
      status: s.status,
      data: JSON.parse(s.data) as Record<string, string | number | boolean>,
      note: s.note,
      doneBy: s.done_by,
      doneAt: s.done_at,
      overdue: r.state === 'open' && s.status === 'pending' && s.due_at < now,
    };
  });
  return { workflow: toSummary(r, now), ordered: t?.ordered ?? false, note: r.note, steps };
}

/** Throws validation unless every name is an active user; returns them without repeats. */
function activeUsers(ws: Workspace, names: readonly string[], what: string): string[] {
  const out = [...new Set(names.map((n) => n.trim().toLowerCase()))];
  for (const name of out) {
    const u = findUser(ws, name);
    if (!u || u.disabled) throw new CustosError('validation', `There is no active user named ${name} to be ${what}.`);
  }
  return out;
}

/** A due date from the caller: a calendar date means the end of that day (UTC). */
function dueFromInput(input: string): string {
  const iso = isCalendarDate(input) ? `${input}T23:59:59.999Z` : new Date(input).toISOString();
  return iso;
}

/** The steps of `t` an instance due at `dueAt` has: for a quarterly template, those of the due date's quarter. */
function stepsFor(t: WorkflowTemplate, dueAt: string): WorkflowStep[] {
  if (t.recurrence.every !== 'quarterly') return [...t.steps];
  const quarter = Math.floor(new Date(dueAt).getUTCMonth() / 3) + 1;
  return t.steps.filter((s) => !s.quarters || s.quarters.includes(quarter));
}

interface NewInstance {
  template: WorkflowTemplate;
  title: string;
  owner: string;
  stakeholders: string[];
  dueAt: string;
  caseId: string | null;
  period: string | null;
}

/**
 * Inserts an instance and its steps and appends `workflows.start`, inside the caller's transaction.
 * A step is due `daysBeforeDue` before the instance.
 */
function insertWorkflow(ws: Workspace, actor: string, at: Date, n: NewInstance): string {
  const now = at.toISOString();
  const id = yearlyId(ws, 'WF', at);
  insertInstance(ws.db, {
    id,
    template_id: n.template.id,
    title: n.title,
    owner: n.owner,
    stakeholders: JSON.stringify(n.stakeholders),
    due_at: n.dueAt,
    case_id: n.caseId,
    period: n.period,
    created_by: actor,
    created_at: now,
  });
  const steps = stepsFor(n.template, n.dueAt);
  // A step due before the instance starts (a short due date) gets a day, or until the instance is due.
  const earliest = [addDays(now, 1), n.dueAt].sort()[0]!;
  steps.forEach((s, position) => {
    const due = addDays(n.dueAt, -s.daysBeforeDue);
    insertStep(ws.db, { instance_id: id, step_id: s.id, position, due_at: due < earliest ? earliest : due });
  });
  ws.ledger.append(
    {
      actor,
      action: 'workflows.start',
      resource_type: 'workflow',
      resource_id: id,
      details: {
        template: n.template.id,
        title: n.title,
        owner: n.owner,
        stakeholders: n.stakeholders,
        due_at: n.dueAt,
        case_id: n.caseId,
        period: n.period,
        steps: steps.length,
        scheduled: n.period !== null,
      },
    },
    at,
  );
  return id;
}

export interface StartInput {
  templateId: string;
  title: string;
  owner: string;
  stakeholders: string[];
  dueAt?: string | undefined;
  caseId?: string | undefined;
}

/** `workflows.start`: an instance of a template started by hand; due at the given date or after the template's default. */
export function startWorkflow(ws: Workspace, op: Op, input: StartInput, at: Date = opTime(op)): WorkflowSummary {
  const now = at.toISOString();
  const template = templateOf(input.templateId);
  const dueAt = input.dueAt ? dueFromInput(input.dueAt) : addDays(now, template.defaultDueDays);
  if (dueAt <= now) throw new CustosError('validation', 'The due date of a workflow must lie in the future.');
  const id = ws.tx(() => {
    const owner = activeUsers(ws, [input.owner], 'the owner')[0]!;
    const stakeholders = activeUsers(ws, input.stakeholders, 'a stakeholder').filter((s) => s !== owner);
    if (input.caseId) assertCaseOpen(ws, input.caseId, 'starting a workflow');
    return insertWorkflow(ws, op.actor, at, { template, title: input.title, owner, stakeholders, dueAt, caseId: input.caseId ?? null, period: null });
  });
  return toSummary(rowOf(ws, id), now);
}

/** Checks a step's data against its template's fields: no unknown field, each value of its type, and (when done) every required one. */
function checkStepData(step: WorkflowStep, data: Record<string, string | number | boolean>, outcome: 'done' | 'skipped'): Record<string, string | number | boolean> {
  const fields = step.fields ?? [];
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    const f = fields.find((x) => x.id === key);
    if (!f) throw new CustosError('validation', `The step "${step.title}" has no field ${key}.`);
    if (typeof value === 'string' && value.trim() === '') continue;
    const ok =
      (f.type === 'count' && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
      (f.type === 'text' && typeof value === 'string') ||
      (f.type === 'date' && typeof value === 'string' && isCalendarDate(value)) ||
      (f.type === 'yesno' && typeof value === 'boolean');
    if (!ok) {
      const expected = { count: 'a whole number of zero or more', text: 'text', date: 'a date written YYYY-MM-DD', yesno: 'yes or no' }[f.type];
      throw new CustosError('validation', `"${f.label}" must be ${expected}.`, { field: f.id });
    }
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  if (outcome === 'done') {
    const missing = fields.filter((f) => f.required && !(f.id in out)).map((f) => `"${f.label}"`);
    if (missing.length > 0) throw new CustosError('validation', `To record "${step.title}" as done, give ${missing.join(' and ')}.`, { fields: fields.filter((f) => f.required && !(f.id in out)).map((f) => f.id) });
  }
  return out;
}

export interface AdvanceInput {
  id: string;
  stepId: string;
  outcome: 'done' | 'skipped';
  data: Record<string, string | number | boolean>;
  note?: string | undefined;
}

/**
 * `workflows.advance`: records one pending step of an open instance as done or skipped. Steps of an
 * ordered template (a data-subject request) are recorded in order; a checklist's in any order.
 * Recording the last pending step completes the instance, in the same transaction and event.
 */
export function advanceWorkflow(ws: Workspace, op: Op, input: AdvanceInput): WorkflowSummary {
  const at = opTime(op);
  const now = at.toISOString();
  const note = input.note?.trim() ? input.note.trim() : null;
  if (input.outcome === 'skipped' && !note) throw new CustosError('validation', 'Say why the step is skipped: a skipped step needs a note.');
  ws.tx(() => {
    const r = rowOf(ws, input.id);
    if (r.state !== 'open') throw new CustosError('conflict', `Workflow ${r.id} is ${r.state}; its steps can no longer be recorded.`, { resourceType: 'workflow', resourceId: r.id });
    const t = templateOf(r.template_id);
    const steps = stepRowsOf(ws.db, r.id);
    const row = steps.find((s) => s.step_id === input.stepId);
    const def = t.steps.find((s) => s.id === input.stepId);
    if (!row || !def) throw new CustosError('not_found', `Workflow ${r.id} has no step ${input.stepId}.`, { resourceType: 'workflow', resourceId: r.id });
    if (row.status !== 'pending') throw new CustosError('conflict', `The step "${def.title}" was already recorded as ${row.status} by ${row.done_by} on ${row.done_at?.slice(0, 10)}.`, { resourceType: 'workflow', resourceId: r.id });
    if (t.ordered) {
      const earlier = steps.find((s) => s.position < row.position && s.status === 'pending');
      if (earlier) {
        const title = t.steps.find((s) => s.id === earlier.step_id)?.title ?? earlier.step_id;
        throw new CustosError('conflict', `The steps of "${t.title}" are recorded in order: record "${title}" first.`, { resourceType: 'workflow', resourceId: r.id });
      }
    }
    const data = checkStepData(def, input.data, input.outcome);
    setStepFinished(ws.db, { instance_id: r.id, step_id: row.step_id, status: input.outcome as StepStatus, data: JSON.stringify(data), note, done_by: op.actor, done_at: now });
    const completed = steps.every((s: StepRow) => s.step_id === row.step_id || s.status !== 'pending');
    const details = { step: row.step_id, outcome: input.outcome, data, note, completed };
    if (completed) {
      applyMove(ws, INSTANCES, { actor: op.actor, at, id: r.id, action: 'workflows.advance', to: 'completed', verb: 'complete it', set: {}, details });
    } else {
      ws.ledger.append({ actor: op.actor, action: 'workflows.advance', resource_type: 'workflow', resource_id: r.id, details: { template: r.template_id, ...details } }, at);
    }
  });
  return toSummary(rowOf(ws, input.id), now);
}

/** `workflows.cancel`: an open instance ends, with the reason; its pending steps stay as they were. */
export function cancelWorkflow(ws: Workspace, op: Op, input: { id: string; reason: string }): WorkflowSummary {
  const at = opTime(op);
  applyMove(ws, INSTANCES, {
    actor: op.actor,
    at,
    id: input.id,
    action: 'workflows.cancel',
    to: 'cancelled',
    verb: 'cancel it',
    set: { note: input.reason },
    details: { reason: input.reason, pending: stepRowsOf(ws.db, input.id).filter((s) => s.status === 'pending').length },
  });
  return toSummary(rowOf(ws, input.id), at.toISOString());
}

/** `workflows.assign`: a new owner and stakeholders for an open instance; a change that changes nothing is a conflict. */
export function assignWorkflow(ws: Workspace, op: Op, input: { id: string; owner: string; stakeholders: string[] }): WorkflowSummary {
  const at = opTime(op);
  ws.tx(() => {
    const r = rowOf(ws, input.id);
    if (r.state !== 'open') throw new CustosError('conflict', `Workflow ${r.id} is ${r.state}; only an open workflow can be reassigned.`, { resourceType: 'workflow', resourceId: r.id });
    const owner = activeUsers(ws, [input.owner], 'the owner')[0]!;
    const stakeholders = activeUsers(ws, input.stakeholders, 'a stakeholder').filter((s) => s !== owner);
    const before = JSON.parse(r.stakeholders) as string[];
    if (owner === r.owner && JSON.stringify([...stakeholders].sort()) === JSON.stringify([...before].sort())) {
      throw new CustosError('conflict', `Workflow ${r.id} already has this owner and these stakeholders.`, { resourceType: 'workflow', resourceId: r.id });
    }
    setInstancePeople(ws.db, r.id, owner, JSON.stringify(stakeholders), at.toISOString());
    ws.ledger.append(
      { actor: op.actor, action: 'workflows.assign', resource_type: 'workflow', resource_id: r.id, details: { from: r.owner, to: owner, stakeholders_from: before, stakeholders } },
      at,
    );
  });
  return toSummary(rowOf(ws, input.id), at.toISOString());
}

/**
 * Creates the current period's instance of each scheduled recurring template (or of `only`) that
 * has none yet, once its period has opened; idempotent (one instance per template and period). A
 * clock that jumps ahead creates the new current period only, not the ones it skipped, and one that
 * jumps back creates nothing older than the newest period already there. Ledgered as `workflows.start`
 * by `op.actor` (`system` at unlock) and owned by whoever scheduled the template (reassign to hand
 * them on). Returns the ids created.
 */
export function ensureDueInstances(ws: Workspace, op: Op, only?: string): string[] {
  const at = opTime(op);
  const created: string[] = [];
  const scheduled = scheduledTemplateIds(ws.db).filter((id) => only === undefined || id === only);
  if (scheduled.length === 0) return created;
  ws.tx(() => {
    for (const id of scheduled) {
      const template = loadTemplates().find((t) => t.id === id);
      if (!template || template.recurrence.every === 'none') continue;
      const p = currentPeriod(template.recurrence, at);
      if (at.toISOString() < p.opensAt || instanceOfPeriod(ws.db, id, p.key)) continue;
      if ((newestPeriodDueAt(ws.db, id) ?? '') >= p.dueAt) continue;
      const by = scheduledBy(ws.db, id) ?? op.actor;
      created.push(
        insertWorkflow(ws, op.actor, at, { template, title: `${template.title} ${p.label}`, owner: by, stakeholders: [], dueAt: p.dueAt, caseId: null, period: p.key }),
      );
    }
  });
  return created;
}

/**
 * `workflows.schedule`: starts or stops running a recurring template here. Starting creates the
 * current period's instance at once (if its period has opened), in the same transaction.
 */
export function scheduleTemplate(ws: Workspace, op: Op, input: { templateId: string; scheduled: boolean }): { template: WorkflowTemplateInfo; started: string[] } {
  const at = opTime(op);
  const t = templateOf(input.templateId);
  if (t.recurrence.every === 'none') throw new CustosError('validation', `"${t.title}" does not recur; start its instances by hand.`);
  const started = ws.tx(() => {
    const on = scheduledTemplateIds(ws.db).includes(t.id);
    if (on === input.scheduled) throw new CustosError('conflict', `"${t.title}" is already ${on ? 'scheduled' : 'not scheduled'} in this workspace.`, { resourceType: 'workflow_template', resourceId: t.id });
    if (input.scheduled) insertSchedule(ws.db, t.id, op.actor, at.toISOString());
    else deleteSchedule(ws.db, t.id);
    ws.ledger.append({ actor: op.actor, action: 'workflows.schedule', resource_type: 'workflow_template', resource_id: t.id, details: { scheduled: input.scheduled, recurrence: t.recurrence.every } }, at);
    return input.scheduled ? ensureDueInstances(ws, { ...op, at }, t.id) : [];
  });
  return { template: templateInfo(t, input.scheduled), started };
}

/** Pending steps of open instances, for the due list. */
export function stepsDue(ws: Workspace): { instanceId: string; stepId: string; stepTitle: string; title: string; dueAt: string }[] {
  return pendingStepRows(ws.db).map((r) => ({
    instanceId: r.instance_id,
    stepId: r.step_id,
    stepTitle: loadTemplates().find((t) => t.id === r.template_id)?.steps.find((s) => s.id === r.step_id)?.title ?? r.step_id,
    title: r.title,
    dueAt: r.due_at,
  }));
}
