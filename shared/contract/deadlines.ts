import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { dateInput, entityId, longText, shortText } from './ferpa-common.js';

/** Requests to inspect and review records (34 CFR 99.10): answered within 45 days. */
export const ACCESS_REQUEST_STATES = ['open', 'fulfilled', 'withdrawn'] as const;

export const accessRequestSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  requester: z.string(),
  description: z.string(),
  state: z.enum(ACCESS_REQUEST_STATES),
  requestedAt: z.string(),
  dueAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  caseId: z.string().nullable(),
  createdBy: z.string(),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;

export const DEADLINE_KINDS = [
  'amendment_decision',
  'amendment_hearing',
  'amendment_hearing_decision',
  'subpoena_notice',
  'subpoena_response',
  'hold_reminder',
  'hold_escalation',
  'access_request',
  'key_rotation',
  /** A requirement of a switched-on framework due for (re-)assessment. */
  'assessment',
  /** A pending step of an open workflow instance. */
  'workflow_step',
  /** A task of a data breach's 1/24/72-hour clock (resources/policies/breach-clock.json). */
  'incident_task',
  /** A pending GDPR or CCPA privacy-rights request (resources/policies/privacy-requests.json). */
  'privacy_request',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const deadlineSchema = z.object({
  kind: z.enum(DEADLINE_KINDS),
  /** What the deadline belongs to: amendment, subpoena, hold, access_request, workspace (key rotation), requirement (`<framework> <requirement id>`), workflow (its id). */
  refType: z.string(),
  refId: z.string(),
  title: z.string(),
  subjectId: z.string().nullable(),
  state: z.string(),
  dueAt: z.string(),
  /** The day it is due, in the workspace's time zone (YYYY-MM-DD). */
  dueDate: z.string(),
  /** Calendar days from `asOf` to `dueDate` in the workspace's time zone (shared/day-count.ts): 0 due today, negative overdue. */
  daysRemaining: z.number(),
  /** Its due day has passed. */
  overdue: z.boolean(),
  /** Due within the policy's "due soon" window and not yet overdue. */
  dueSoon: z.boolean(),
});
export type Deadline = z.infer<typeof deadlineSchema>;

const one = z.object({ request: accessRequestSchema });

export const deadlineChannels = {
  'deadlines.list': channel({
    summary: 'One due list across amendments, subpoena notices and responses, hold reminders and access requests, soonest first.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['due_at', 'kind'],
      defaultSort: 'due_at',
      defaultDir: 'asc',
      filters: {
        asOf: dateInput.optional(),
        kinds: z.array(z.enum(DEADLINE_KINDS)).optional(),
        /** Only items due within this many days (overdue ones always count). */
        withinDays: z.number().int().min(0).max(3650).optional(),
      },
    }),
    response: listResponse(deadlineSchema, { asOf: z.string() }),
  }),
  'accessRequests.list': channel({
    summary: 'Requests to inspect records, newest first.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['requested_at', 'due_at', 'id', 'state'],
      defaultSort: 'requested_at',
      defaultDir: 'desc',
      filters: { state: z.enum(ACCESS_REQUEST_STATES).optional(), subjectId: entityId.optional() },
    }),
    response: listResponse(accessRequestSchema),
  }),
  'accessRequests.create': channel({
    summary: 'Log a request to inspect and review records; due within the policy period (45 days, 99.10(b)).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      subjectId: entityId,
      requester: shortText,
      description: longText,
      requestedAt: dateInput.optional(),
      caseId: entityId.optional(),
    }),
    response: one,
  }),
  'accessRequests.fulfill': channel({
    summary: 'Record that the subject was given the opportunity to inspect the records.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, note: longText, fulfilledAt: dateInput.optional() }),
    response: one,
  }),
  'accessRequests.withdraw': channel({
    summary: 'Record that the requester withdrew the access request.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, note: longText }),
    response: one,
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const deadlineReadClasses: ReadClassMap<typeof deadlineChannels> = {
  // A deadline's title names the subject ("Give <name> access to their records").
  'deadlines.list': { student_record: ['items.*.title'], searches: { student_record: ['search'] } },
  'accessRequests.list': {
    student_record: ['items.*.subjectName', 'items.*.description', 'items.*.resolution'],
    personal: ['items.*.requester'],
    searches: { personal: ['search'], student_record: ['search'] },
  },
};
