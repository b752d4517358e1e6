import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { isoDate } from './paging.js';

export const HOLD_STATUSES = ['draft', 'active', 'released'] as const;
export const NOTICE_STATUSES = ['pending', 'sent', 'acknowledged', 'escalated'] as const;
export const NOTICE_KINDS = ['hold', 'reminder', 'escalation', 'release'] as const;
export const ACK_METHODS = ['email', 'signed', 'verbal', 'portal', 'other'] as const;
/** Kinds of item a legal hold can protect. */
export const HELD_RESOURCE_TYPES = ['evidence', 'record', 'subject'] as const;

const holdId = z.string().trim().min(1).max(40);
const custodianId = z.string().trim().min(1).max(64);

/** A legal hold as named in a refusal or next to a held item. */
export const holdRefSchema = z.object({ id: z.string(), title: z.string(), caseId: z.string() });
export type HoldRef = z.infer<typeof holdRefSchema>;

export const custodianInput = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.union([z.literal(''), z.email().max(320)]).default(''),
});

/** What a hold preserves besides the items linked to its case; every given criterion must match (a search). */
export const holdScopeSchema = z.object({
  subjectIds: z.array(z.string().trim().min(1).max(40)).max(1000).default([]),
  categories: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
  dateFrom: isoDate.nullable().default(null),
  dateTo: isoDate.nullable().default(null),
  keywords: z.array(z.string().trim().min(2).max(100)).max(100).default([]),
});
export type HoldScope = z.infer<typeof holdScopeSchema>;

export const holdSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  caseTitle: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(HOLD_STATUSES),
  scope: z.object({
    subjectIds: z.array(z.string()),
    categories: z.array(z.string()),
    dateFrom: z.string().nullable(),
    dateTo: z.string().nullable(),
    keywords: z.array(z.string()),
  }),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  activatedAt: z.string().nullable(),
  activatedBy: z.string().nullable(),
  releasedAt: z.string().nullable(),
  releasedBy: z.string().nullable(),
  releaseReason: z.string().nullable(),
  custodianCounts: z.object({ pending: z.number(), sent: z.number(), acknowledged: z.number(), escalated: z.number() }),
});
export type Hold = z.infer<typeof holdSchema>;

export const custodianSchema = z.object({
  id: z.string(),
  holdId: z.string(),
  name: z.string(),
  email: z.string(),
  noticeStatus: z.enum(NOTICE_STATUSES),
  sentAt: z.string().nullable(),
  lastNoticeAt: z.string().nullable(),
  reminders: z.number(),
  acknowledgedAt: z.string().nullable(),
  ackMethod: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  escalatedTo: z.string().nullable(),
  releaseNotifiedAt: z.string().nullable(),
  /** When the next reminder is due (null when none is: pending, released, or not yet sent). */
  reminderDueAt: z.string().nullable(),
  /** When escalation is due for an unacknowledged custodian (null once acknowledged or escalated). */
  escalationDueAt: z.string().nullable(),
});
export type Custodian = z.infer<typeof custodianSchema>;

export const noticeSchema = z.object({
  id: z.string(),
  holdId: z.string(),
  custodianId: z.string(),
  custodianName: z.string(),
  kind: z.enum(NOTICE_KINDS),
  body: z.string(),
  issuedBy: z.string(),
  issuedAt: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const heldEvidenceSchema = z.object({ id: z.string(), title: z.string(), status: z.string(), reason: z.string() });
export const heldRecordSchema = z.object({ id: z.string(), subjectId: z.string(), category: z.string(), title: z.string(), reason: z.string() });

export const dueItemSchema = z.object({
  kind: z.enum(['reminder', 'escalation']),
  holdId: z.string(),
  holdTitle: z.string(),
  caseId: z.string(),
  custodianId: z.string(),
  custodianName: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
});
export type HoldDueItem = z.infer<typeof dueItemSchema>;

export const holdsChannels = {
  'holds.create': channel({
    summary: 'Create a legal hold (draft) for a case, with its custodians and scope.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      caseId: z.string().trim().min(1).max(40),
      title: z.string().trim().min(1).max(200),
      description: z.string().trim().max(5000).default(''),
      custodians: z.array(custodianInput).max(500).default([]),
      scope: holdScopeSchema.default({ subjectIds: [], categories: [], dateFrom: null, dateTo: null, keywords: [] }),
    }),
    response: z.object({ hold: holdSchema }),
  }),
  'holds.update': channel({
    summary: "Change a hold's title or description, or a draft hold's scope (an active hold's scope is fixed).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      id: holdId,
      title: z.string().trim().min(1).max(200).optional(),
      description: z.string().trim().max(5000).optional(),
      scope: holdScopeSchema.optional(),
    }),
    response: z.object({ hold: holdSchema }),
  }),
  'holds.activate': channel({
    summary: 'Put a draft hold into effect: its items can no longer be disposed, purged, erased or destructively edited. With snapshot, also requests a signed bundle of its case in the same transaction.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      id: holdId,
      /** Also request a signed bundle of the hold's case (approved by another user, then run from Exports); the holds policy's default when absent. */
      snapshot: z.boolean().optional(),
    }),
    response: z.object({ hold: holdSchema, snapshotRequestId: z.string().nullable().default(null) }),
  }),
  'holds.addCustodian': channel({
    summary: 'Add a custodian to a draft or active hold.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: holdId, custodian: custodianInput }),
    response: z.object({ custodian: custodianSchema }),
  }),
  'holds.issueNotices': channel({
    summary: 'Issue the hold notice to pending custodians (all, or the ones named); returns the notices to deliver.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: holdId, custodianIds: z.array(custodianId).max(500).optional() }),
    response: z.object({ notices: z.array(noticeSchema) }),
  }),
  'holds.acknowledge': channel({
    summary: "Record a custodian's acknowledgement of the hold notice.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: holdId, custodianId, method: z.enum(ACK_METHODS).default('email') }),
    response: z.object({ custodian: custodianSchema }),
  }),
  'holds.sendReminders': channel({
    summary: 'Issue reminders to custodians whose reminder is due (or to the ones named).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: holdId, custodianIds: z.array(custodianId).max(500).optional() }),
    response: z.object({ notices: z.array(noticeSchema) }),
  }),
  'holds.escalate': channel({
    summary: 'Escalate custodians who have not acknowledged within the policy period (or the ones named).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: holdId, custodianIds: z.array(custodianId).max(500).optional() }),
    response: z.object({ notices: z.array(noticeSchema) }),
  }),
  'holds.release': channel({
    summary: 'Release an active hold with a reason; issues release notices to every notified custodian.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: holdId, reason: z.string().trim().min(3).max(2000) }),
    response: z.object({ hold: holdSchema, notices: z.array(noticeSchema) }),
  }),
  'holds.list': channel({
    summary: 'A page of legal holds with filters, and the total.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['id', 'title', 'status', 'created_at', 'updated_at'],
      defaultSort: 'updated_at',
      defaultDir: 'desc',
      filters: {
        status: z.array(z.enum(HOLD_STATUSES)).max(3).optional(),
        caseId: z.string().max(40).optional(),
      },
    }),
    response: listResponse(holdSchema),
  }),
  'holds.get': channel({
    summary: 'One hold with its custodians, notices and the number of items it holds.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: holdId }),
    response: z.object({
      hold: holdSchema,
      custodians: z.array(custodianSchema),
      notices: z.array(noticeSchema),
      heldCounts: z.object({ evidence: z.number(), records: z.number() }),
    }),
  }),
  'holds.heldItems': channel({
    summary: 'The evidence and records a hold protects (or would protect, for a draft), each with the reason.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: holdId, limit: z.number().int().min(1).max(5000).default(1000) }),
    response: z.object({
      evidence: z.array(heldEvidenceSchema),
      records: z.array(heldRecordSchema),
      truncated: z.boolean(),
    }),
  }),
  'holds.due': channel({
    summary: 'Reminders and escalations due across all active holds, soonest first.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ withinDays: z.number().int().min(0).max(3650).default(30) }),
    response: z.object({ items: z.array(dueItemSchema) }),
  }),
  'holds.check': channel({
    summary: 'The active holds protecting one item (empty when it is free).',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ resourceType: z.enum(HELD_RESOURCE_TYPES), id: z.string().trim().min(1).max(64) }),
    response: z.object({ holds: z.array(holdRefSchema) }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const holdsReadClasses: ReadClassMap<typeof holdsChannels> = {
  // Titles name the matter (and its case's title the student); scope keywords search record titles and contents.
  'holds.list': {
    student_record: ['items.*.title', 'items.*.caseTitle', 'items.*.description', 'items.*.scope.keywords.*', 'items.*.releaseReason'],
    searches: { student_record: ['search'] },
  },
  'holds.get': {
    student_record: ['hold.title', 'hold.caseTitle', 'hold.description', 'hold.scope.keywords.*', 'hold.releaseReason', 'notices.*.body'],
    personal: ['custodians.*.name', 'custodians.*.email', 'custodians.*.escalatedTo', 'notices.*.custodianName', 'notices.*.body'],
  },
  'holds.heldItems': { student_record: ['evidence.*.title', 'evidence.*.reason', 'records.*.title', 'records.*.reason'] },
  'holds.due': { personal: ['items.*.custodianName'], student_record: ['items.*.holdTitle'] },
  'holds.check': { student_record: ['holds.*.title'] },
};
