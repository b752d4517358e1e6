import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import type { ReadClassMap } from '../data-classes.js';
import { channel } from './define.js';
import { exportedFileSchema } from './files.js';
import { dateInput, entityId, longText, shortText } from './ferpa-common.js';
import { listRequest, listResponse } from './list.js';

/**
 * Privacy-rights requests (issue 12 item 4): GDPR and CCPA/CPRA rights of a data subject, each with
 * its legal deadline (resources/policies/privacy-requests.json), extendable once with a reason, and an
 * outcome. An erasure (GDPR) or deletion (CCPA) erases the subject's records through the one erase
 * path and lists what was kept and why (categories kept by law, records under a legal hold).
 */
export const PRIVACY_REGIMES = ['gdpr', 'ccpa'] as const;
export type PrivacyRegime = (typeof PRIVACY_REGIMES)[number];
export const PRIVACY_REGIME_LABELS: Record<PrivacyRegime, string> = { gdpr: 'GDPR', ccpa: 'CCPA/CPRA' };

export const PRIVACY_RIGHTS = ['access', 'rectification', 'erasure', 'portability', 'objection', 'know', 'delete', 'correct', 'opt_out'] as const;
export type PrivacyRight = (typeof PRIVACY_RIGHTS)[number];
export const PRIVACY_RIGHT_LABELS: Record<PrivacyRight, string> = {
  access: 'Access (Art. 15)',
  rectification: 'Rectification (Art. 16)',
  erasure: 'Erasure (Art. 17)',
  portability: 'Portability (Art. 20)',
  objection: 'Objection (Art. 21)',
  know: 'Right to know',
  delete: 'Right to delete',
  correct: 'Right to correct',
  opt_out: 'Opt out of sale or sharing',
};
/** The rights each regime grants. */
export const RIGHTS_OF_REGIME: Record<PrivacyRegime, readonly PrivacyRight[]> = {
  gdpr: ['access', 'rectification', 'erasure', 'portability', 'objection'],
  ccpa: ['know', 'delete', 'correct', 'opt_out'],
};

/** open → extended (once) → completed | rejected; open → completed | rejected. */
export const PRIVACY_REQUEST_STATES = ['open', 'extended', 'completed', 'rejected'] as const;
export type PrivacyRequestState = (typeof PRIVACY_REQUEST_STATES)[number];

export const privacyRequestSchema = z.object({
  id: z.string(),
  regime: z.enum(PRIVACY_REGIMES),
  right: z.enum(PRIVACY_RIGHTS),
  subjectId: z.string(),
  subjectName: z.string(),
  requester: z.string(),
  description: z.string(),
  state: z.enum(PRIVACY_REQUEST_STATES),
  receivedAt: z.string(),
  /** The first deadline (one month, or 45 days, from receipt). */
  originalDueAt: z.string(),
  /** The deadline in force: the original, or the extended one. */
  dueAt: z.string(),
  extendedAt: z.string().nullable(),
  extendedBy: z.string().nullable(),
  extensionReason: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  outcome: z.string().nullable(),
  caseId: z.string().nullable(),
  createdBy: z.string(),
  /** Calendar days from now to the deadline in the workspace's time zone (negative: overdue); null once resolved. */
  daysRemaining: z.number().nullable(),
  /** Still pending and its due day has passed. */
  overdue: z.boolean(),
  /** Resolved after its deadline. */
  late: z.boolean(),
});
export type PrivacyRequest = z.infer<typeof privacyRequestSchema>;

/** What an erasure or deletion did to one record of the subject. */
export const privacyRequestItemSchema = z.object({
  recordId: z.string(),
  title: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  result: z.enum(['erased', 'kept']),
  /** Why a record was kept: the law (its category must be retained) or a legal hold. */
  keptBecause: z.enum(['law', 'hold']).nullable(),
  reason: z.string(),
});
export type PrivacyRequestItem = z.infer<typeof privacyRequestItemSchema>;

export const privacyRequestDetailSchema = z.object({
  request: privacyRequestSchema,
  items: z.array(privacyRequestItemSchema),
  /** The request is an erasure (GDPR) or deletion (CCPA): completing it erases the subject's records. */
  erases: z.boolean(),
  /** The request can still be extended (pending, never extended, first deadline not passed). */
  canExtend: z.boolean(),
});
export type PrivacyRequestDetail = z.infer<typeof privacyRequestDetailSchema>;

const id = z.object({ id: entityId });
const one = z.object({ request: privacyRequestSchema });

export const privacyChannels = {
  'privacyRequests.list': channel({
    summary: 'GDPR and CCPA privacy-rights requests, most recently received first, with their deadlines.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['received_at', 'due_at', 'id', 'state'],
      defaultSort: 'received_at',
      defaultDir: 'desc',
      filters: {
        state: z.enum(PRIVACY_REQUEST_STATES).optional(),
        regime: z.enum(PRIVACY_REGIMES).optional(),
        subjectId: entityId.optional(),
      },
    }),
    response: listResponse(privacyRequestSchema),
  }),
  'privacyRequests.get': channel({
    summary: 'One privacy-rights request with what its erasure erased and kept (and why).',
    access: ANY_ROLE,
    mutates: false,
    request: id,
    response: privacyRequestDetailSchema,
  }),
  'privacyRequests.create': channel({
    summary: 'Log a GDPR or CCPA privacy-rights request; due one month (GDPR) or 45 days (CCPA) from receipt.',
    access: CASE_WORKERS,
    mutates: true,
    request: z
      .object({
        subjectId: entityId,
        regime: z.enum(PRIVACY_REGIMES),
        right: z.enum(PRIVACY_RIGHTS),
        requester: shortText,
        description: longText,
        receivedAt: dateInput.optional(),
        caseId: entityId.optional(),
      })
      .strict(),
    response: one,
  }),
  'privacyRequests.extend': channel({
    summary: 'Extend the deadline once (GDPR by two further months, CCPA by 45 days), with the reason told to the requester; only before the first deadline passes.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, reason: longText }).strict(),
    response: one,
  }),
  'privacyRequests.complete': channel({
    summary:
      "Complete the request with its outcome. An erasure or deletion erases the subject's records through the erase path; records kept by law or under a legal hold are listed with the reason.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, outcome: longText, completedAt: dateInput.optional() }).strict(),
    response: privacyRequestDetailSchema,
  }),
  'privacyRequests.reject': channel({
    summary: 'Refuse the request (identity not verified, manifestly unfounded or excessive, an exemption applies), with the reason.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, reason: longText }).strict(),
    response: one,
  }),
  'privacyRequests.subjectAudit': channel({
    summary:
      "The subject-rights audit as a PDF: who viewed, exported, disclosed or deleted the subject's data, anchored to a freshly signed checkpoint, written to the exports folder and ledgered with its SHA-256.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ subjectId: entityId }).strict(),
    response: exportedFileSchema.extend({ checkpoint: z.object({ size: z.number(), root: z.string() }), events: z.number() }),
  }),
};

const requestFields = (p: string) => [`${p}.subjectName`, `${p}.description`, `${p}.outcome`, `${p}.extensionReason`];

/** What the read channels of this file answer, by data class: a request names its subject and what they asked. */
export const privacyReadClasses: ReadClassMap<typeof privacyChannels> = {
  'privacyRequests.list': {
    student_record: requestFields('items.*'),
    personal: ['items.*.requester'],
    searches: { personal: ['search'], student_record: ['search'] },
  },
  'privacyRequests.get': {
    student_record: [...requestFields('request'), 'items.*.title'],
    personal: ['request.requester'],
  },
};
