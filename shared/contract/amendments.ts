import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { dateInput, entityId, longText, shortText } from './ferpa-common.js';

/** FERPA amendment requests (34 CFR 99.20–99.22); the states of DESIGN §10. */
export const AMENDMENT_STATES = [
  'received',
  'under_review',
  'amended',
  'denied',
  'hearing_requested',
  'hearing_scheduled',
  'decided',
  'closed',
] as const;
export type AmendmentState = (typeof AMENDMENT_STATES)[number];

/** How the request ended: amended at review, denied and never heard, the hearing's outcome, or answered as not amendable. */
export const AMENDMENT_OUTCOMES = ['amended', 'denied', 'upheld', 'not_amendable'] as const;

/**
 * What a request is about. Seed 002's grounds for amendment (clerical errors, grade calculation
 * errors, duplicate records, unauthorized entries) and 99.20's inaccurate, misleading or privacy-
 * violating records may be amended; subjective grades, a teacher's legitimate judgement and
 * attendance may not: those requests are answered with an explanation, without a hearing.
 */
export const AMENDMENT_MATTERS = [
  'clerical_error',
  'grade_calculation',
  'duplicate_record',
  'unauthorized_entry',
  'inaccurate_or_misleading',
  'privacy_violation',
  'subjective_grade',
  'teacher_judgement',
  'attendance',
] as const;
export type AmendmentMatter = (typeof AMENDMENT_MATTERS)[number];

export const NOT_AMENDABLE_MATTERS: readonly AmendmentMatter[] = ['subjective_grade', 'teacher_judgement', 'attendance'];

export const AMENDMENT_MATTER_LABELS: Record<AmendmentMatter, string> = {
  clerical_error: 'Clerical error (misspelled name, wrong date)',
  grade_calculation: 'Grade calculation error',
  duplicate_record: 'Duplicate record',
  unauthorized_entry: 'Unauthorized entry',
  inaccurate_or_misleading: 'Inaccurate or misleading entry',
  privacy_violation: 'Entry that violates privacy rights',
  subjective_grade: 'Subjective grade (not amendable)',
  teacher_judgement: "Teacher's judgement (not amendable)",
  attendance: 'Attendance (not amendable; an explanation may be added)',
};

/** A notice to an earlier recipient of a record after an agreed amendment (seed 002). */
export const amendmentNoticeSchema = z.object({
  id: z.string(),
  disclosureId: z.string(),
  recipient: z.string(),
  disclosedAt: z.string(),
  notifiedAt: z.string(),
  change: z.string(),
});
export type AmendmentNotice = z.infer<typeof amendmentNoticeSchema>;

export const amendmentStatementSchema = z.object({
  id: z.string(),
  amendmentId: z.string(),
  subjectId: z.string(),
  recordId: z.string(),
  text: z.string(),
  filedAt: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type AmendmentStatement = z.infer<typeof amendmentStatementSchema>;

export const amendmentSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  recordId: z.string(),
  recordTitle: z.string(),
  recordCategory: z.string(),
  caseId: z.string().nullable(),
  requestedChange: z.string(),
  reason: z.string(),
  matter: z.enum(AMENDMENT_MATTERS),
  /** The explanation sent instead of a decision when the matter is not amendable. */
  answer: z.string().nullable(),
  state: z.enum(AMENDMENT_STATES),
  receivedAt: z.string(),
  dueAt: z.string(),
  reviewer: z.string().nullable(),
  reviewStartedAt: z.string().nullable(),
  decision: z.enum(['amended', 'denied']).nullable(),
  decisionReason: z.string().nullable(),
  amendmentText: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  hearingRequestedAt: z.string().nullable(),
  hearingDueAt: z.string().nullable(),
  hearingAt: z.string().nullable(),
  hearingLocation: z.string().nullable(),
  hearingOfficer: z.string().nullable(),
  hearingOutcome: z.enum(['amended', 'upheld']).nullable(),
  hearingOutcomeReason: z.string().nullable(),
  hearingDecidedAt: z.string().nullable(),
  outcome: z.enum(AMENDMENT_OUTCOMES).nullable(),
  closedAt: z.string().nullable(),
  closeNote: z.string().nullable(),
  statementCount: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Amendment = z.infer<typeof amendmentSchema>;

/** The next steps the state machine allows, named by channel, so screens offer only those. */
export const AMENDMENT_ACTIONS = [
  'amendments.startReview',
  'amendments.decide',
  'amendments.requestHearing',
  'amendments.scheduleHearing',
  'amendments.recordHearingOutcome',
  'amendments.fileStatement',
  'amendments.close',
] as const;

export const amendmentDetailSchema = z.object({
  amendment: amendmentSchema,
  statements: z.array(amendmentStatementSchema),
  /** Earlier disclosures of the record: after an amendment the institution tells these recipients (seed 002). */
  priorDisclosures: z.array(z.object({ id: z.string(), disclosedAt: z.string(), recipient: z.string() })),
  /** The notices recorded to those recipients when the record was amended. */
  notices: z.array(amendmentNoticeSchema),
  allowedActions: z.array(z.enum(AMENDMENT_ACTIONS)),
});
export type AmendmentDetail = z.infer<typeof amendmentDetailSchema>;

const one = z.object({ amendment: amendmentSchema });
const idOnly = { id: entityId };

export const amendmentChannels = {
  'amendments.list': channel({
    summary: 'Amendment requests, newest first, filtered by state, subject or free text.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['received_at', 'due_at', 'id', 'state'],
      defaultSort: 'received_at',
      defaultDir: 'desc',
      filters: { state: z.enum(AMENDMENT_STATES).optional(), subjectId: entityId.optional() },
    }),
    response: listResponse(amendmentSchema),
  }),
  'amendments.get': channel({
    summary: 'One amendment request with its statements, earlier disclosures of the record and the allowed next steps.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object(idOnly),
    response: amendmentDetailSchema,
  }),
  'amendments.receive': channel({
    summary:
      'Log a written request to amend a record (34 CFR 99.20); the decision deadline comes from policy. A request about a subjective grade, a teacher\'s judgement or attendance is answered at once with an explanation, not a hearing.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      recordId: entityId,
      matter: z.enum(AMENDMENT_MATTERS),
      /** The explanation to send when the matter is not amendable; the policy's standard text when absent. */
      answer: longText.optional(),
      requestedChange: longText,
      reason: longText,
      receivedAt: dateInput.optional(),
      caseId: entityId.optional(),
    }),
    response: one,
  }),
  'amendments.startReview': channel({
    summary: 'Start reviewing an amendment request.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, note: z.string().trim().max(2000).optional() }),
    response: one,
  }),
  'amendments.decide': channel({
    summary: 'Decide an amendment request under review: amend the record (saying what changed) or deny it with a reason (99.20(b)–(c)).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      ...idOnly,
      decision: z.enum(['amend', 'deny']),
      reason: longText,
      amendmentText: longText.optional(),
    }),
    response: one,
  }),
  'amendments.requestHearing': channel({
    summary: 'Record that the subject asked for a hearing after a denial (99.21(a)).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, requestedAt: dateInput.optional() }),
    response: one,
  }),
  'amendments.scheduleHearing': channel({
    summary: 'Schedule the hearing: date, place and a hearing officer without a direct interest in the outcome (99.22).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, hearingAt: dateInput, location: shortText, officer: shortText }),
    response: one,
  }),
  'amendments.recordHearingOutcome': channel({
    summary: "Record the hearing's written decision: amend the record, or uphold it (the subject may then file a statement).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      ...idOnly,
      outcome: z.enum(['amended', 'upheld']),
      reason: longText,
      amendmentText: longText.optional(),
    }),
    response: one,
  }),
  'amendments.fileStatement': channel({
    summary:
      "File the subject's statement of disagreement (99.21(b)(2)); from then on it travels with every disclosure of the record (99.21(c)).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, text: longText, filedAt: dateInput.optional() }),
    response: z.object({ amendment: amendmentSchema, statement: amendmentStatementSchema }),
  }),
  'amendments.close': channel({
    summary: 'Close an amendment request that has been decided.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, note: z.string().trim().max(2000).optional() }),
    response: one,
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const amendmentReadClasses: ReadClassMap<typeof amendmentChannels> = {
  'amendments.list': {
    student_record: ['items.*.subjectName', 'items.*.recordTitle', 'items.*.requestedChange', 'items.*.reason', 'items.*.answer', 'items.*.decisionReason', 'items.*.amendmentText', 'items.*.hearingOutcomeReason', 'items.*.closeNote'],
    personal: ['items.*.hearingOfficer'],
    searches: { student_record: ['search'] },
  },
  'amendments.get': {
    student_record: ['amendment.subjectName', 'amendment.recordTitle', 'amendment.requestedChange', 'amendment.reason', 'amendment.answer', 'amendment.decisionReason', 'amendment.amendmentText', 'amendment.hearingOutcomeReason', 'amendment.closeNote', 'statements.*.text', 'notices.*.change'],
    personal: ['amendment.hearingOfficer', 'priorDisclosures.*.recipient', 'notices.*.recipient'],
  },
};
