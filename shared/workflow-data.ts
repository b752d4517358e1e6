/*
 * Workflow templates as data (issue 11, item 5): the shape of resources/workflows/<id>.json. A
 * template is a named checklist of steps (seed 002's quarterly audit checklist and monthly tasks,
 * the year-end retention review, a GDPR data-subject request, an access review). What a workspace
 * does with a template — its instances, who owns them, which steps are done, by whom, when, with
 * what data — is workspace state in the database, and every change to it is ledgered.
 *
 * Ids are stable: instances name their template and steps by id, so add a new id rather than
 * renaming one. Every object is strict except for `$comment` and `$source`.
 */
import { z } from 'zod';
import { frameworkIdSchema } from './compliance-data.js';

const notes = {
  $comment: z.string().min(1).optional(),
  $source: z.string().min(1).optional(),
};
const text = z.string().trim().min(1);
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Expected a lower-case id of letters, digits and single hyphens.');

/**
 * How often a template's instance is due. `monthly` and `quarterly` are due on the last day of the
 * month or quarter, `yearly` on the given month and day. An instance of the current period is
 * created once the period has begun, or `opensDaysBefore` days before it is due when that is later
 * (the year-end review opens in November, not in January).
 */
export const recurrenceSchema = z.discriminatedUnion('every', [
  z.strictObject({ every: z.literal('none') }),
  z.strictObject({ every: z.literal('monthly'), opensDaysBefore: z.number().int().min(1).max(31).optional() }),
  z.strictObject({ every: z.literal('quarterly'), opensDaysBefore: z.number().int().min(1).max(92).optional() }),
  z.strictObject({
    every: z.literal('yearly'),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    opensDaysBefore: z.number().int().min(1).max(366).optional(),
  }),
]);
export type Recurrence = z.infer<typeof recurrenceSchema>;

/** What a step's field holds: a whole number (a count), a line of text, a date, or yes/no. */
export const STEP_FIELD_TYPES = ['count', 'text', 'date', 'yesno'] as const;
export type StepFieldType = (typeof STEP_FIELD_TYPES)[number];

export const stepFieldSchema = z.strictObject({
  ...notes,
  id: slug.max(40),
  label: text.max(80),
  type: z.enum(STEP_FIELD_TYPES),
  /** A required field must be given when the step is done (not when it is skipped). */
  required: z.boolean(),
});
export type StepField = z.infer<typeof stepFieldSchema>;

export const stepSchema = z.strictObject({
  ...notes,
  id: slug.max(40),
  title: text.max(120),
  /** What doing the step means, in our own words. */
  description: text.max(600),
  /** Due this many days before the instance is due (0: on the instance's due date). */
  daysBeforeDue: z.number().int().min(0).max(366),
  /** For a quarterly template: the quarters (1–4) whose instance has this step; absent: every quarter. */
  quarters: z.array(z.number().int().min(1).max(4)).min(1).max(4).optional(),
  fields: z.array(stepFieldSchema).max(8).optional(),
  /** Requirements the step's record can serve as evidence for (framework id and requirement id as in resources/frameworks/). */
  requirements: z.array(z.strictObject({ framework: frameworkIdSchema, requirementId: text.max(60) })).max(8).optional(),
});
export type WorkflowStep = z.infer<typeof stepSchema>;

export const workflowTemplateSchema = z
  .strictObject({
    ...notes,
    /** Equals the file name without .json. */
    id: slug.max(60),
    title: text.max(120),
    description: text.max(600),
    recurrence: recurrenceSchema,
    /** For a template that does not recur: the default time from start to due date. */
    defaultDueDays: z.number().int().min(1).max(366),
    /** True when steps must be done (or skipped) in order; false for a checklist whose items are independent. */
    ordered: z.boolean(),
    steps: z.array(stepSchema).min(1).max(40),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `The step ${s.id} appears twice.` });
      seen.add(s.id);
      const fields = new Set<string>();
      (s.fields ?? []).forEach((f, j) => {
        if (fields.has(f.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'fields', j, 'id'], message: `The field ${f.id} appears twice in step ${s.id}.` });
        fields.add(f.id);
      });
      if (s.quarters && t.recurrence.every !== 'quarterly') ctx.addIssue({ code: 'custom', path: ['steps', i, 'quarters'], message: 'Only a quarterly template names quarters.' });
    });
    if (t.recurrence.every === 'quarterly') {
      for (const q of [1, 2, 3, 4]) {
        if (!t.steps.some((s) => !s.quarters || s.quarters.includes(q))) ctx.addIssue({ code: 'custom', path: ['steps'], message: `Quarter ${q} has no step.` });
      }
    }
  });
export type WorkflowTemplate = z.infer<typeof workflowTemplateSchema>;
