import { z } from 'zod';
import type { ReadClassMap } from '../data-classes.js';
import { ANY_ROLE, type Role } from '../roles.js';
import { recurrenceSchema, STEP_FIELD_TYPES } from '../workflow-data.js';
import { channel } from './define.js';
import { dateInput, entityId } from './ferpa-common.js';
import { listRequest, listResponse } from './list.js';

/** An instance is open until every step is done or skipped (completed), or until it is cancelled. */
export const WORKFLOW_STATES = ['open', 'completed', 'cancelled'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];
export const STEP_STATUSES = ['pending', 'done', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Who runs the compliance program's workflows: start, assign, cancel, schedule. */
export const WORKFLOW_MANAGERS: readonly Role[] = ['admin', 'compliance_officer'];
/** Who may record a step: the managers, and counsel, whose steps (holds, exemptions) are part of the work. */
export const WORKFLOW_ADVANCERS: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel'];

const templateId = z.string().trim().min(1).max(60);
const stepId = z.string().trim().min(1).max(40);
const username = z.string().trim().min(1).max(64);
/** A step's data: field id → value (a count, a line of text, a date, yes/no); checked against the template's fields. */
const stepData = z.record(z.string().min(1).max(40), z.union([z.string().max(2000), z.number(), z.boolean()]));

export const templateStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  daysBeforeDue: z.number(),
  quarters: z.array(z.number()).nullable(),
  fields: z.array(z.object({ id: z.string(), label: z.string(), type: z.enum(STEP_FIELD_TYPES), required: z.boolean() })),
  requirements: z.array(z.object({ framework: z.string(), requirementId: z.string() })),
});

export const workflowTemplateInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  recurrence: recurrenceSchema,
  defaultDueDays: z.number(),
  ordered: z.boolean(),
  /** True when this workspace creates the template's instances when they are due. */
  scheduled: z.boolean(),
  steps: z.array(templateStepSchema),
});
export type WorkflowTemplateInfo = z.infer<typeof workflowTemplateInfoSchema>;

export const workflowSummarySchema = z.object({
  id: z.string(),
  templateId: z.string(),
  templateTitle: z.string(),
  title: z.string(),
  owner: z.string(),
  stakeholders: z.array(z.string()),
  dueAt: z.string(),
  caseId: z.string().nullable(),
  /** The period of a recurring instance (2026-Q4, 2026-12, 2026); null for one started by hand. */
  period: z.string().nullable(),
  state: z.enum(WORKFLOW_STATES),
  steps: z.number(),
  /** Steps done or skipped. */
  finished: z.number(),
  /** The earliest due date of a pending step (null when none is pending). */
  nextDueAt: z.string().nullable(),
  /** Open, with a pending step past its due date. */
  overdue: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;

export const workflowStepSchema = templateStepSchema.omit({ quarters: true }).extend({
  position: z.number(),
  dueAt: z.string(),
  status: z.enum(STEP_STATUSES),
  data: stepData,
  note: z.string().nullable(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type WorkflowStepState = z.infer<typeof workflowStepSchema>;

export const workflowDetailSchema = z.object({
  workflow: workflowSummarySchema,
  ordered: z.boolean(),
  note: z.string().nullable(),
  steps: z.array(workflowStepSchema),
});
export type WorkflowDetail = z.infer<typeof workflowDetailSchema>;

const one = z.object({ workflow: workflowSummarySchema });

export const workflowChannels = {
  'workflows.templates': channel({
    summary: 'The workflow templates shipped with Custos (steps, fields, recurrence) and whether this workspace runs each recurring one.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({ templates: z.array(workflowTemplateInfoSchema) }),
  }),
  'workflows.list': channel({
    summary: 'A page of workflow instances with their progress; filters by state, template, owner and overdue.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['due_at', 'created_at', 'title', 'state'],
      defaultSort: 'due_at',
      defaultDir: 'asc',
      filters: {
        state: z.array(z.enum(WORKFLOW_STATES)).max(3).optional(),
        templateId: templateId.optional(),
        owner: username.optional(),
        overdue: z.boolean().optional(),
      },
    }),
    response: listResponse(workflowSummarySchema),
  }),
  'workflows.get': channel({
    summary: 'One workflow instance with its steps: due dates, outcome, step data, who recorded each and when.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: entityId }),
    response: workflowDetailSchema,
  }),
  'workflows.start': channel({
    summary: 'Start an instance of a template: title, owner, stakeholders, due date (default: the template’s), optional related case; ledgered.',
    access: WORKFLOW_MANAGERS,
    mutates: true,
    request: z.object({
      templateId,
      title: z.string().trim().min(1).max(200),
      owner: username,
      stakeholders: z.array(username).max(20).default([]),
      dueAt: dateInput.optional(),
      caseId: entityId.optional(),
    }),
    response: one,
  }),
  'workflows.advance': channel({
    summary: 'Record a step as done (with its required data) or skipped (with a note); the instance completes with its last step; ledgered.',
    access: WORKFLOW_ADVANCERS,
    mutates: true,
    request: z.object({
      id: entityId,
      stepId,
      outcome: z.enum(['done', 'skipped']),
      data: stepData.refine((d) => Object.keys(d).length <= 8, 'A step has at most 8 fields.').default({}),
      note: z.string().trim().max(4000).optional(),
    }),
    response: one,
  }),
  'workflows.cancel': channel({
    summary: 'Cancel an open instance, with the reason; its pending steps stay pending; ledgered.',
    access: WORKFLOW_MANAGERS,
    mutates: true,
    request: z.object({ id: entityId, reason: z.string().trim().min(1).max(2000) }),
    response: one,
  }),
  'workflows.assign': channel({
    summary: 'Change the owner and the stakeholders of an open instance; ledgered.',
    access: WORKFLOW_MANAGERS,
    mutates: true,
    request: z.object({ id: entityId, owner: username, stakeholders: z.array(username).max(20) }),
    response: one,
  }),
  'workflows.schedule': channel({
    summary: "Run a recurring template in this workspace (its current period's instance is created now and each next one when due), or stop running it; ledgered.",
    access: WORKFLOW_MANAGERS,
    mutates: true,
    request: z.object({ templateId, scheduled: z.boolean() }),
    response: z.object({ template: workflowTemplateInfoSchema, started: z.array(z.string()) }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const workflowReadClasses: ReadClassMap<typeof workflowChannels> = {
  // An instance's title may name the person a request is about (a data-subject request); step data and
  // notes are free text about the work. Usernames (owner, stakeholders) are operational, as a case's assignee is.
  'workflows.templates': {},
  'workflows.list': { personal: ['items.*.title'], searches: { personal: ['search'] } },
  'workflows.get': { personal: ['workflow.title', 'note', 'steps.*.data', 'steps.*.note'] },
};
