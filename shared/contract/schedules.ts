import { z } from 'zod';
import type { ReadClassMap } from '../data-classes.js';
import { LEDGER_READERS, type Role } from '../roles.js';
import { ledgerFilterInput, ledgerFilterSchema } from './core.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import { EXPORT_FORMAT_NAMES, EXPORT_STATES, EXPORT_TYPES } from './exports.js';

/** How often a scheduled export runs. */
export const SCHEDULE_CADENCES = ['daily', 'weekly', 'monthly'] as const;
/** Whether a schedule may run: its content needs no approval, waits for one, or was approved (once, for all its runs). */
export const SCHEDULE_APPROVALS = ['not-required', 'pending', 'approved'] as const;
/** What one handled occurrence of a schedule was: a run (an export request), missed occurrences skipped, or a run that could not start. */
export const SCHEDULE_RUN_KINDS = ['run', 'skipped', 'failed'] as const;

/** Who may define schedules: those who may request exports. */
export const SCHEDULE_OWNERS: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel', 'auditor'];
/** Who may approve a schedule (never their own): the export approvers. */
export const SCHEDULE_APPROVERS: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel'];

/** When a schedule runs: daily; weekly on `weekday` (1 Monday … 7 Sunday); monthly on `monthDay` (the month's last day when shorter), at `timeOfDay` (HH:MM) in the workspace's time zone. */
export const scheduleCadenceSchema = z.object({
  cadence: z.enum(SCHEDULE_CADENCES),
  weekday: z.number().int().min(1).max(7).nullable(),
  monthDay: z.number().int().min(1).max(31).nullable(),
  timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'The time of day is HH:MM on a 24-hour clock, such as 06:30.'),
});
export type ScheduleCadence = z.infer<typeof scheduleCadenceSchema>;

export const scheduleRunSchema = z.object({
  id: z.number(),
  occurrence: z.string(),
  kind: z.enum(SCHEDULE_RUN_KINDS),
  /** The export request the run made (listed on Exports with its file and hash). */
  requestId: z.string().nullable(),
  /** The request's status: executed, failed, or approved while it still runs. */
  requestStatus: z.enum(EXPORT_STATES).nullable(),
  sha256: z.string().nullable(),
  /** For a skipped row: how many occurrences were missed (the latest of them ran instead). */
  missed: z.number(),
  error: z.string().nullable(),
  at: z.string(),
});
export type ScheduleRun = z.infer<typeof scheduleRunSchema>;

export const exportScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(EXPORT_TYPES),
  format: z.enum(EXPORT_FORMAT_NAMES),
  filters: ledgerFilterSchema,
  caseId: z.string().nullable(),
  includeEvidence: z.boolean(),
  includeAuditTrail: z.boolean(),
  masking: z.string(),
  purpose: z.string(),
  recipient: z.string(),
  cadence: z.enum(SCHEDULE_CADENCES),
  weekday: z.number().nullable(),
  monthDay: z.number().nullable(),
  timeOfDay: z.string(),
  timeZone: z.string(),
  owner: z.string(),
  active: z.boolean(),
  approval: z.enum(SCHEDULE_APPROVALS),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The next occurrence (null while paused or waiting for approval). */
  nextRunAt: z.string().nullable(),
  /** The occurrences missed since the last handled one (run at the next check: the latest once, the rest skipped). */
  missedNow: z.number(),
  lastRun: scheduleRunSchema.nullable(),
});
export type ExportSchedule = z.infer<typeof exportScheduleSchema>;

const scheduleFields = {
  name: z.string().trim().min(3).max(200),
  type: z.enum(EXPORT_TYPES),
  format: z.enum(EXPORT_FORMAT_NAMES),
  filters: ledgerFilterInput.default({}),
  caseId: z.string().trim().min(1).max(100).optional(),
  includeEvidence: z.boolean().default(false),
  includeAuditTrail: z.boolean().default(true),
  masking: z.string().max(100).default('none'),
  purpose: z.string().trim().min(3).max(2000),
  recipient: z.string().trim().min(1).max(300),
  cadence: z.enum(SCHEDULE_CADENCES),
  weekday: z.number().int().min(1).max(7).nullable().default(null),
  monthDay: z.number().int().min(1).max(31).nullable().default(null),
  timeOfDay: scheduleCadenceSchema.shape.timeOfDay,
};
export const scheduleInput = z.object(scheduleFields).strict();
export type ScheduleInput = z.infer<typeof scheduleInput>;

const scheduleId = z.string().trim().min(1).max(40);

export const scheduleChannels = {
  'schedules.create': channel({
    summary:
      'Define a scheduled export: the fields of an export request, a cadence (daily, weekly on a weekday, monthly on a day) and a time of day in the workspace time zone. Content that needs approval (by type, the evidence register or people unmasked) waits for another user to approve the schedule once before it runs.',
    access: SCHEDULE_OWNERS,
    mutates: true,
    request: scheduleInput,
    response: z.object({ schedule: exportScheduleSchema }),
  }),
  'schedules.update': channel({
    summary: 'Change your own schedule; any change needs the approval again when its content needs approval.',
    access: SCHEDULE_OWNERS,
    mutates: true,
    request: z.object({ id: scheduleId, ...scheduleFields }).strict(),
    response: z.object({ schedule: exportScheduleSchema }),
  }),
  'schedules.setActive': channel({
    summary: 'Pause or resume a schedule (its owner or an administrator). Resuming does not run the occurrences that passed while paused.',
    access: SCHEDULE_OWNERS,
    mutates: true,
    request: z.object({ id: scheduleId, active: z.boolean() }).strict(),
    response: z.object({ schedule: exportScheduleSchema }),
  }),
  'schedules.approve': channel({
    summary: "Approve a schedule's content once for all its runs (never your own); a later change needs a new approval.",
    access: SCHEDULE_APPROVERS,
    mutates: true,
    // updatedAt: the version of the content the approver read; an edit since then is refused, not approved unseen.
    request: z.object({ id: scheduleId, updatedAt: z.string().min(1).max(40), note: z.string().max(2000).default('') }).strict(),
    response: z.object({ schedule: exportScheduleSchema }),
  }),
  'schedules.delete': channel({
    summary: 'Delete a schedule (its owner or an administrator); the exports it made stay on Exports.',
    access: SCHEDULE_OWNERS,
    mutates: true,
    request: z.object({ id: scheduleId }).strict(),
    response: z.object({ id: z.string() }),
  }),
  'schedules.list': channel({
    summary: 'Every scheduled export with its cadence, next run, last run and approval state.',
    access: LEDGER_READERS,
    mutates: false,
    request: listRequest({ sort: ['name', 'created_at', 'owner'], defaultSort: 'name', defaultDir: 'asc' }),
    // timeZone: the workspace's, which every schedule's time of day is read in.
    response: listResponse(exportScheduleSchema, { timeZone: z.string() }),
  }),
  'schedules.runs': channel({
    summary: "A schedule's run history, newest first, each run linked to the export request it made.",
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ id: scheduleId, limit: z.number().int().min(1).max(200).default(50) }).strict(),
    response: z.object({ runs: z.array(scheduleRunSchema) }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const scheduleReadClasses: ReadClassMap<typeof scheduleChannels> = {
  'schedules.list': { personal: ['items.*.recipient'], student_record: ['items.*.purpose'] },
  'schedules.runs': {},
};
