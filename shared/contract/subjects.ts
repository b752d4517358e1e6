import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS, LEDGER_READERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import { RESTRICTED, type ReadClassMap } from '../data-classes.js';
import { holdRefSchema } from './holds.js';
import { isoDate } from './paging.js';

export const SUBJECT_KINDS = ['student', 'parent', 'employee', 'applicant', 'other'] as const;
/** `archived`: kept read-only after its retention period, out of default lists (retention sweep). */
export const RECORD_STATUSES = ['active', 'archived', 'purged', 'erased'] as const;

const subjectId = z.string().trim().min(1).max(40);
const recordId = z.string().trim().min(1).max(40);
/** A record category key of resources/policies/retention.json (checked against it by the core). */
const category = z.string().trim().regex(/^[a-z][a-z0-9_]{1,63}$/, 'A record category is a lower-case key such as academic.');

export const subjectSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  kind: z.enum(SUBJECT_KINDS),
  displayName: z.string(),
  email: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  /** FERPA 34 CFR 99.37: the subject has opted out of directory-information disclosure. */
  directoryOptOut: z.boolean(),
  directoryOptOutAt: z.string().nullable(),
  /**
   * Whether the student is a dependent for tax purposes (seed 002: by IRS tax deduction rules), which
   * lets their parents receive records without the student's consent (34 CFR 99.31(a)(8)); null until
   * recorded; since: when it was first recorded as it stands (recording the same status again keeps it), with the latest evidence.
   */
  // A role that may not see student records gets the restricted marker (not null, which would read as "not recorded").
  dependency: z.union([z.object({ dependent: z.boolean(), since: z.string(), evidence: z.string() }), z.literal(RESTRICTED)]).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  recordCount: z.number(),
});
export type Subject = z.infer<typeof subjectSchema>;

export const recordSummarySchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  category: z.string(),
  title: z.string(),
  source: z.string(),
  recordDate: z.string(),
  /** YYYY-MM-DD after which retention allows purging; null when kept permanently. */
  retentionUntil: z.string().nullable(),
  status: z.enum(RECORD_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  destroyedAt: z.string().nullable(),
  destroyedBy: z.string().nullable(),
  destroyReason: z.string().nullable(),
  archivedAt: z.string().nullable(),
});
export type RecordSummary = z.infer<typeof recordSummarySchema>;

export const recordCategorySchema = z.object({
  key: z.string(),
  label: z.string(),
  period: z.string().nullable(),
  /** What the retention sweep does when the period has run: archive (kept read-only, never deleted) or delete. */
  action: z.enum(['archive', 'delete']),
  erasable: z.boolean(),
  source: z.string(),
});

const subjectFields = {
  externalId: z.string().trim().min(1).max(64).nullable().optional(),
  kind: z.enum(SUBJECT_KINDS).default('student'),
  displayName: z.string().trim().min(1).max(200),
  email: z.email().max(320).nullable().optional(),
  dateOfBirth: isoDate.nullable().optional(),
  directoryOptOut: z.boolean().default(false),
};

export const subjectsChannels = {
  'subjects.create': channel({
    summary: 'Add a data subject (usually a student), optionally opted out of directory information.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object(subjectFields),
    response: z.object({ subject: subjectSchema }),
  }),
  'subjects.update': channel({
    summary: "Correct a subject's identifying details.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      id: subjectId,
      externalId: subjectFields.externalId,
      kind: z.enum(SUBJECT_KINDS).optional(),
      displayName: z.string().trim().min(1).max(200).optional(),
      email: subjectFields.email,
      dateOfBirth: subjectFields.dateOfBirth,
    }),
    response: z.object({ subject: subjectSchema }),
  }),
  'subjects.setDirectoryOptOut': channel({
    summary: 'Record that a subject opts out of (or back into) directory-information disclosure (FERPA 99.37).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: subjectId, optOut: z.boolean() }),
    response: z.object({ subject: subjectSchema }),
  }),
  'subjects.setDependency': channel({
    summary: "Record whether a student is a tax dependent (IRS rules; seed 002), which decides whether their parents may receive records without the student's consent (34 CFR 99.31(a)(8)).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: subjectId, dependent: z.boolean(), evidence: z.string().trim().min(1).max(2000) }),
    response: z.object({ subject: subjectSchema }),
  }),
  'subjects.list': channel({
    summary: 'A page of subjects matching the search, and the total.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['display_name', 'id', 'external_id', 'updated_at'],
      defaultSort: 'display_name',
      defaultDir: 'asc',
      filters: { kind: z.enum(SUBJECT_KINDS).optional(), directoryOptOut: z.boolean().optional() },
    }),
    response: listResponse(subjectSchema),
  }),
  'subjects.get': channel({
    summary: 'One subject with their records, the holds that protect the subject, and the active holds on each of their records.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: subjectId }),
    response: z.object({
      subject: subjectSchema,
      records: z.array(recordSummarySchema),
      holds: z.array(holdRefSchema),
      /** Record id → the active holds protecting it (records under no hold are left out). */
      recordHolds: z.record(z.string(), z.array(holdRefSchema)),
    }),
  }),
  'records.categories': channel({
    summary: 'The record categories with their retention periods (resources/policies/retention.json).',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({ categories: z.array(recordCategorySchema) }),
  }),
  'records.create': channel({
    summary: "Add a record about a subject; its retention date follows from its category's policy.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      subjectId,
      category,
      title: z.string().trim().min(1).max(300),
      content: z.string().max(200_000).default(''),
      source: z.string().trim().max(200).default(''),
      recordDate: isoDate,
    }),
    response: z.object({ record: recordSummarySchema }),
  }),
  'records.get': channel({
    summary: 'One record with its content (each view is ledgered as records.view).',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ id: recordId, purpose: z.string().trim().max(200).default('review') }),
    response: z.object({ record: recordSummarySchema, content: z.string().nullable(), holds: z.array(holdRefSchema) }),
  }),
  'records.list': channel({
    summary: 'A page of records (metadata only) with filters, and the total.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['record_date', 'id', 'category', 'retention_until', 'updated_at'],
      defaultSort: 'record_date',
      defaultDir: 'desc',
      filters: {
        subjectId: z.string().max(40).optional(),
        category: z.string().max(64).optional(),
        status: z.enum(RECORD_STATUSES).optional(),
        /** Only active records whose retention has run out (candidates for records.purgeExpired). */
        expired: z.boolean().optional(),
      },
    }),
    response: listResponse(recordSummarySchema),
  }),
  'records.update': channel({
    summary: "Replace a record's title, content, category or date (refused while the record is under legal hold).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      id: recordId,
      title: z.string().trim().min(1).max(300).optional(),
      content: z.string().max(200_000).optional(),
      category: category.optional(),
      recordDate: isoDate.optional(),
    }),
    response: z.object({ record: recordSummarySchema }),
  }),
  'records.erase': channel({
    summary: "Erase a record's content on the subject's request where policy allows (refused while held).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: recordId, reason: z.string().trim().min(3).max(2000) }),
    response: z.object({ record: recordSummarySchema }),
  }),
  'records.purgeExpired': channel({
    summary: 'Apply the retention policy (delete or archive) to records whose retention has run out; held records are refused (code held) and left intact.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ids: z.array(recordId).min(1).max(10_000).optional() }),
    response: z.object({
      purged: z.array(z.string()),
      /** Expired records of categories whose policy archives instead of deleting. */
      archived: z.array(z.string()),
      held: z.array(z.object({ id: z.string(), holds: z.array(holdRefSchema) })),
    }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const subjectsReadClasses: ReadClassMap<typeof subjectsChannels> = {
  'subjects.list': {
    student_record: ['items.*.displayName', 'items.*.email', 'items.*.dateOfBirth', 'items.*.externalId', 'items.*.dependency'],
    searches: { student_record: ['search'] },
  },
  'subjects.get': {
    student_record: [
      'subject.displayName',
      'subject.email',
      'subject.dateOfBirth',
      'subject.externalId',
      'subject.dependency',
      'records.*.title',
      'records.*.subjectName',
      'records.*.destroyReason',
      'holds.*.title',
      'recordHolds.*.*.title',
    ],
  },
  'records.categories': {},
  'records.get': { student_record: ['record.title', 'record.subjectName', 'record.destroyReason', 'content', 'holds.*.title'] },
  'records.list': {
    student_record: ['items.*.title', 'items.*.subjectName', 'items.*.destroyReason'],
    searches: { student_record: ['search'] },
  },
};
