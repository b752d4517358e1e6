import type { ExportSchedule, ScheduleCadence, ScheduleInput, ScheduleRun } from '../../../shared/contract/schedules.js';
import { now as clockNow } from '../clock.js';
import type { PageQuery } from '../db/list-page.js';
import type { CaseResourceProvider } from '../cases/case-scope.js';
import { nextId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { CustosError } from '../errors.js';
import { getMaskingProfile } from '../exports/masking.js';
import { contentApprovalReasons, contentsProblem, exportPolicy } from '../exports/requests.js';
import { exportContentDetails, exportContentOf, exportContentRow } from '../exports/export-content.js';
import { exportScope } from '../exports/scope.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { countOccurrences, latestOccurrence, nextOccurrence } from '../domain/cadence.js';
import {
  findScheduleRow,
  insertScheduleRow,
  lastScheduleRunRow,
  type ScheduleContentRow,
  type ScheduleRow,
  type ScheduleRunRow,
  scheduleRowsPage,
  scheduleRunRows,
  setScheduleActiveRow,
  setScheduleApprovedRow,
  setScheduleDeletedRow,
  updateScheduleRow,
} from './schedules-store.js';

/*
 * Scheduled exports (issue 12.7). A schedule is an export request's content plus a cadence. Its
 * content follows the export approval rules: when a request with that content would need another
 * user's approval (by type, the evidence register or people unmasked), the schedule itself is
 * approved once, by a different user with an approver role, and that approval covers all its runs;
 * ANY edit (content, cadence or time) voids it, since what leaves and how often is what was
 * approved. Pausing and resuming keep it.
 */

/** The cadence of a row. */
export function cadenceOf(r: Pick<ScheduleRow, 'cadence' | 'weekday' | 'month_day' | 'time_of_day'>): ScheduleCadence {
  return { cadence: r.cadence, weekday: r.weekday, monthDay: r.month_day, timeOfDay: r.time_of_day };
}

function toRun(r: ScheduleRunRow): ScheduleRun {
  return {
    id: r.id,
    occurrence: r.occurrence,
    kind: r.kind,
    requestId: r.request_id,
    requestStatus: r.request_status,
    sha256: r.sha256,
    missed: r.missed,
    error: r.error ?? r.request_error,
    at: r.at,
  };
}

/** When a row's next occurrence runs and how many it has missed, as of `now`. */
function dueState(r: ScheduleRow, now: Date, zone: string): { nextRunAt: string | null; missedNow: number } {
  if (r.active !== 1 || r.approval === 'pending' || r.deleted_at) return { nextRunAt: null, missedNow: 0 };
  const c = cadenceOf(r);
  const handled = new Date(r.handled_through);
  const latest = latestOccurrence(c, now, zone);
  if (latest && latest.getTime() > handled.getTime()) {
    return { nextRunAt: latest.toISOString(), missedNow: countOccurrences(c, handled, now, zone) };
  }
  return { nextRunAt: nextOccurrence(c, now, zone).toISOString(), missedNow: 0 };
}

function toSchedule(ws: Workspace, r: ScheduleRow, now: Date, zone: string): ExportSchedule {
  const last = lastScheduleRunRow(ws.db, r.id);
  return {
    id: r.id,
    name: r.name,
    ...exportContentOf(r),
    cadence: r.cadence,
    weekday: r.weekday,
    monthDay: r.month_day,
    timeOfDay: r.time_of_day,
    timeZone: zone,
    owner: r.owner,
    active: r.active === 1,
    approval: r.approval,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...dueState(r, now, zone),
    lastRun: last ? toRun(last) : null,
  };
}

/** A schedule that exists and is not deleted; throws not_found. */
export function scheduleRow(ws: Workspace, id: string): ScheduleRow {
  const r = findScheduleRow(ws.db, id);
  if (!r || r.deleted_at) throw new CustosError('not_found', `There is no scheduled export ${id}.`, { resourceType: 'export_schedule', resourceId: id });
  return r;
}

/** One schedule as the screens show it. */
export function getSchedule(ws: Workspace, id: string, now: Date = clockNow()): ExportSchedule {
  return toSchedule(ws, scheduleRow(ws, id), now, workspaceTimeZone(ws).timeZone);
}

/** A page of the schedules (by name by default) and the total, with the workspace's time zone their times are in. */
export function listSchedules(
  ws: Workspace,
  q: PageQuery & { search?: string | undefined },
  now: Date = clockNow(),
): { items: ExportSchedule[]; total: number; timeZone: string } {
  const zone = workspaceTimeZone(ws).timeZone;
  const page = scheduleRowsPage(ws.db, q);
  return { items: page.rows.map((r) => toSchedule(ws, r, now, zone)), total: page.total, timeZone: zone };
}

/** A schedule's handled occurrences, newest first. */
export function listScheduleRuns(ws: Workspace, id: string, limit: number): ScheduleRun[] {
  scheduleRow(ws, id);
  return scheduleRunRows(ws.db, id, limit).map(toRun);
}

/** Whether content like this must be approved by another user before it runs (exports.json). */
export function scheduleNeedsApproval(input: Pick<ScheduleInput, 'type' | 'includeEvidence' | 'masking'>): string[] {
  const byType = exportPolicy().approvalRequired[input.type] !== false;
  return [...(byType ? ['type'] : []), ...contentApprovalReasons(input)];
}

/** Checks the input as an export request would be checked, and returns the row fields; nothing is recorded. */
function contentRow(ws: Workspace, input: ScheduleInput, providers: readonly CaseResourceProvider[]): ScheduleContentRow {
  getMaskingProfile(input.masking);
  const problem = contentsProblem(input.format, input.includeEvidence, input.includeAuditTrail);
  if (problem) throw new CustosError('validation', problem);
  if (input.cadence === 'weekly' && input.weekday === null) throw new CustosError('validation', 'A weekly schedule needs the day of the week it runs on.');
  if (input.cadence === 'monthly' && input.monthDay === null) throw new CustosError('validation', 'A monthly schedule needs the day of the month it runs on.');
  // An unknown or closed case is refused now, not at the first run: a closed case takes no new work.
  if (input.caseId) assertCaseOpen(ws, input.caseId, 'a scheduled export');
  exportScope(ws, { filters: input.filters, caseId: input.caseId ?? null, throughSeq: 0 }, providers);
  return {
    name: input.name,
    ...exportContentRow(input),
    cadence: input.cadence,
    weekday: input.cadence === 'weekly' ? input.weekday : null,
    month_day: input.cadence === 'monthly' ? input.monthDay : null,
    time_of_day: input.timeOfDay,
  };
}

/** What the ledger records of a schedule's content. */
function contentDetails(c: ScheduleContentRow, approvalReasons: string[]): Record<string, unknown> {
  return {
    name: c.name,
    ...exportContentDetails(c),
    cadence: c.cadence,
    weekday: c.weekday,
    month_day: c.month_day,
    time_of_day: c.time_of_day,
    approval: approvalReasons.length > 0 ? 'required' : 'not-required',
    approval_reasons: approvalReasons,
  };
}

/** Defines a schedule owned by the caller; its occurrences count from now (nothing before it is "missed"). */
export function createSchedule(ws: Workspace, op: Op, input: ScheduleInput, providers: readonly CaseResourceProvider[]): ExportSchedule {
  const content = contentRow(ws, input, providers);
  const reasons = scheduleNeedsApproval(input);
  const at = opTime(op);
  return ws.tx(() => {
    const id = nextId(ws, 'SCH', 4);
    insertScheduleRow(ws.db, { ...content, id, owner: op.actor, approval: reasons.length > 0 ? 'pending' : 'not-required', created_at: at.toISOString(), handled_through: at.toISOString() });
    ws.ledger.append({ actor: op.actor, action: 'schedules.create', resource_type: 'export_schedule', resource_id: id, details: contentDetails(content, reasons) }, at);
    return getSchedule(ws, id, at);
  });
}

/** Changes the owner's schedule; the approval, if its content needs one, starts over. */
export function updateSchedule(ws: Workspace, op: Op, id: string, input: ScheduleInput, providers: readonly CaseResourceProvider[]): ExportSchedule {
  const row = scheduleRow(ws, id);
  if (row.owner !== op.actor) {
    throw new CustosError('forbidden', `Only ${row.owner}, who owns ${id}, may change it; make a schedule of your own instead.`, { resourceType: 'export_schedule', resourceId: id });
  }
  const content = contentRow(ws, input, providers);
  const reasons = scheduleNeedsApproval(input);
  const at = opTime(op);
  // Every edit gets a later updatedAt than the one before (an approval names the version it read).
  const stamp = new Date(Math.max(at.getTime(), Date.parse(row.updated_at) + 1)).toISOString();
  return ws.tx(() => {
    updateScheduleRow(ws.db, id, content, reasons.length > 0 ? 'pending' : 'not-required', stamp);
    ws.ledger.append(
      { actor: op.actor, action: 'schedules.update', resource_type: 'export_schedule', resource_id: id, details: { ...contentDetails(content, reasons), approval_voided: row.approval === 'approved' } },
      at,
    );
    return getSchedule(ws, id, at);
  });
}

/** Its owner or an administrator may pause, resume or delete a schedule. */
function assertOwnerOrAdmin(row: ScheduleRow, op: Op, what: string): void {
  if (row.owner !== op.actor && op.role !== 'admin') {
    throw new CustosError('forbidden', `Only ${row.owner}, who owns ${row.id}, or an administrator may ${what} it.`, { resourceType: 'export_schedule', resourceId: row.id });
  }
}

/**
 * Pauses or resumes a schedule. Resuming counts its occurrences from now: what passed while it was
 * paused was stopped on purpose, not missed.
 */
export function setScheduleActive(ws: Workspace, op: Op, id: string, active: boolean): ExportSchedule {
  const row = scheduleRow(ws, id);
  assertOwnerOrAdmin(row, op, active ? 'resume' : 'pause');
  if ((row.active === 1) === active) {
    throw new CustosError('conflict', `Scheduled export ${id} is already ${active ? 'running on its schedule' : 'paused'}.`, { resourceType: 'export_schedule', resourceId: id });
  }
  const at = opTime(op);
  return ws.tx(() => {
    setScheduleActiveRow(ws.db, id, active, at.toISOString(), active ? at.toISOString() : null);
    ws.ledger.append({ actor: op.actor, action: 'schedules.setActive', resource_type: 'export_schedule', resource_id: id, details: { active } }, at);
    return getSchedule(ws, id, at);
  });
}

/** Approves a schedule waiting for approval: a different user with an approver role of exports.json, once for all its runs. */
export function approveSchedule(ws: Workspace, op: Op, id: string, seen: string, note: string): ExportSchedule {
  const row = scheduleRow(ws, id);
  if (row.approval !== 'pending') {
    const state = row.approval === 'approved' ? 'already approved' : 'one whose content needs no approval';
    throw new CustosError('conflict', `Scheduled export ${id} is ${state}; only a schedule waiting for approval can be approved.`, { resourceType: 'export_schedule', resourceId: id });
  }
  if (row.owner === op.actor) {
    throw new CustosError('forbidden', `You own ${id}; a different user must approve it (separation of duties).`, { resourceType: 'export_schedule', resourceId: id });
  }
  if (!op.role || !exportPolicy().approverRoles.includes(op.role)) {
    throw new CustosError('forbidden', `Your role (${op.role ?? 'none'}) may not approve scheduled exports.`, { resourceType: 'export_schedule', resourceId: id });
  }
  if (row.updated_at !== seen) {
    throw new CustosError('conflict', `Scheduled export ${id} changed after you opened it; read it again before approving it.`, { resourceType: 'export_schedule', resourceId: id });
  }
  const at = opTime(op);
  return ws.tx(() => {
    setScheduleApprovedRow(ws.db, id, op.actor, at.toISOString());
    ws.ledger.append({ actor: op.actor, action: 'schedules.approve', resource_type: 'export_schedule', resource_id: id, details: { note } }, at);
    return getSchedule(ws, id, at);
  });
}

/** Deletes a schedule; the export requests it made stay on Exports, its runs stay linked to it. */
export function deleteSchedule(ws: Workspace, op: Op, id: string): { id: string } {
  const row = scheduleRow(ws, id);
  assertOwnerOrAdmin(row, op, 'delete');
  const at = opTime(op);
  return ws.tx(() => {
    setScheduleDeletedRow(ws.db, id, at.toISOString());
    ws.ledger.append({ actor: op.actor, action: 'schedules.delete', resource_type: 'export_schedule', resource_id: id, details: { name: row.name } }, at);
    return { id };
  });
}
