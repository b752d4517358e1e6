import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { ledgerEventSchema } from './core.js';
import { channel } from './define.js';
import type { ReadClassMap } from '../data-classes.js';
import { holdRefSchema } from './holds.js';
import { listRequest, listResponse } from './list.js';
import { pageRequest } from './paging.js';

export const CASE_TYPES = ['investigation', 'subpoena', 'amendment', 'audit', 'breach'] as const;
export const CASE_STATUSES = ['open', 'on_hold', 'closed'] as const;
export const LINK_ITEM_TYPES = ['record', 'evidence', 'subject'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type LinkItemType = (typeof LINK_ITEM_TYPES)[number];

const caseId = z.string().trim().min(1).max(40);
const username = z.string().trim().min(1).max(64);

export const caseSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(CASE_TYPES),
  description: z.string(),
  status: z.enum(CASE_STATUSES),
  assignee: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  activeHolds: z.number(),
  linkedCounts: z.object({ record: z.number(), evidence: z.number(), subject: z.number() }),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseNoteSchema = z.object({ id: z.string(), caseId: z.string(), author: z.string(), body: z.string(), createdAt: z.string() });
export type CaseNote = z.infer<typeof caseNoteSchema>;

export const linkedItemSchema = z.object({
  itemType: z.enum(LINK_ITEM_TYPES),
  itemId: z.string(),
  label: z.string(),
  status: z.string(),
  linkedBy: z.string(),
  linkedAt: z.string(),
});
export type LinkedItem = z.infer<typeof linkedItemSchema>;

export const casesChannels = {
  'cases.create': channel({
    summary: 'Open a case (investigation, subpoena, amendment, audit or breach).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      title: z.string().trim().min(1).max(200),
      type: z.enum(CASE_TYPES),
      description: z.string().trim().max(10_000).default(''),
      assignee: username.nullable().optional(),
    }),
    response: z.object({ case: caseSummarySchema }),
  }),
  'cases.update': channel({
    summary: "Change a case's title, type or description.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      id: caseId,
      title: z.string().trim().min(1).max(200).optional(),
      type: z.enum(CASE_TYPES).optional(),
      description: z.string().trim().max(10_000).optional(),
    }),
    response: z.object({ case: caseSummarySchema }),
  }),
  'cases.assign': channel({
    summary: 'Assign a case to a user (or unassign it).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: caseId, assignee: username.nullable() }),
    response: z.object({ case: caseSummarySchema }),
  }),
  'cases.setStatus': channel({
    summary: 'Move a case between open, on hold and closed (open → on_hold ↔ open → closed).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: caseId, status: z.enum(CASE_STATUSES), reason: z.string().trim().max(2000).default('') }),
    response: z.object({ case: caseSummarySchema }),
  }),
  'cases.addNote': channel({
    summary: 'Add a note to a case (notes are append-only).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: caseId, body: z.string().trim().min(1).max(20_000) }),
    response: z.object({ note: caseNoteSchema }),
  }),
  'cases.link': channel({
    summary: 'Link a record, evidence item or subject to a case.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: caseId, itemType: z.enum(LINK_ITEM_TYPES), itemId: z.string().trim().min(1).max(40) }),
    response: z.object({ case: caseSummarySchema }),
  }),
  'cases.unlink': channel({
    summary: 'Remove a link from a case (refused while an active hold of the case depends on it).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: caseId, itemType: z.enum(LINK_ITEM_TYPES), itemId: z.string().trim().min(1).max(40) }),
    response: z.object({ case: caseSummarySchema }),
  }),
  'cases.list': channel({
    summary: 'A page of cases with search, filters and sort, and the total (for a virtualized table).',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['id', 'title', 'type', 'status', 'assignee', 'created_at', 'updated_at'],
      defaultSort: 'updated_at',
      defaultDir: 'desc',
      filters: {
        status: z.array(z.enum(CASE_STATUSES)).max(3).optional(),
        type: z.array(z.enum(CASE_TYPES)).max(5).optional(),
        assignee: z.string().max(64).optional(),
      },
    }),
    response: listResponse(caseSummarySchema),
  }),
  'cases.get': channel({
    summary: 'One case with its notes, linked items and holds.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: caseId }),
    response: z.object({
      case: caseSummarySchema,
      notes: z.array(caseNoteSchema),
      links: z.array(linkedItemSchema),
      holds: z.array(holdRefSchema.extend({ status: z.string() })),
    }),
  }),
  'cases.timeline': channel({
    summary: 'Ledger events of a case and of everything linked to it, newest first.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: caseId, ...pageRequest }),
    response: z.object({ events: z.array(ledgerEventSchema), total: z.number() }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const casesReadClasses: ReadClassMap<typeof casesChannels> = {
  // Titles name the matter, often by the student in it (Alvarez v. Northfield); descriptions and notes tell it.
  'cases.list': { student_record: ['items.*.title', 'items.*.description'], searches: { student_record: ['search'] } },
  'cases.get': { student_record: ['case.title', 'case.description', 'notes.*.body', 'links.*.label', 'holds.*.title'] },
  'cases.timeline': { student_record: ['events.*.details'], security: ['events.*.details'] },
};
