import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { exportedFileSchema } from './files.js';
import { dateInput, entityId, longText, recordRefSchema, shortText } from './ferpa-common.js';

/** Subpoena responses (seed 002 protocol; 34 CFR 99.31(a)(9)); the states of DESIGN §10. */
export const SUBPOENA_STATES = [
  'received',
  'verified',
  'notice_sent',
  'notice_exempt',
  'scoped',
  'produced',
  'closed',
  'quashed',
  'withdrawn',
] as const;
export type SubpoenaState = (typeof SUBPOENA_STATES)[number];

export const SUBPOENA_TYPES = ['court_order', 'grand_jury', 'law_enforcement', 'civil'] as const;
export type SubpoenaType = (typeof SUBPOENA_TYPES)[number];

export const SUBPOENA_TYPE_LABELS: Record<SubpoenaType, string> = {
  court_order: 'Court order',
  grand_jury: 'Grand jury subpoena',
  law_enforcement: 'Law enforcement subpoena',
  civil: 'Civil subpoena',
};

/**
 * Why notice to the subject may be skipped (34 CFR 99.31(a)(9)(ii)(A)–(C)): a grand jury or other
 * law enforcement subpoena whose court or agency ordered non-disclosure, or an ex parte court order.
 */
export const NOTICE_EXEMPTION_GROUNDS = ['nondisclosure_order', 'ex_parte_order'] as const;
export type NoticeExemptionGround = (typeof NOTICE_EXEMPTION_GROUNDS)[number];

export const productionFileSchema = z.object({
  /** Its name inside the production (the manifest's `path`): a ZIP entry, never a file of this machine. */
  entry: z.string(),
  role: z.enum(['combined', 'page', 'manifest', 'readme']),
  sha256: z.string(),
  bytes: z.number(),
  page: z.number().nullable(),
  bates: z.string().nullable(),
  recordId: z.string().nullable(),
});
export type ProductionFile = z.infer<typeof productionFileSchema>;

export const productionSchema = z.object({
  id: z.string(),
  subpoenaId: z.string(),
  batesPrefix: z.string(),
  batesFirst: z.string(),
  batesLast: z.string(),
  pageCount: z.number(),
  pdfSha256: z.string(),
  manifestSha256: z.string(),
  pageHashDefinition: z.string(),
  producedAt: z.string(),
  producedBy: z.string(),
  disclosureId: z.string().nullable(),
  files: z.array(productionFileSchema),
});
export type Production = z.infer<typeof productionSchema>;

export const subpoenaSchema = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  subjectId: z.string(),
  subjectName: z.string(),
  issuer: z.string(),
  court: z.string(),
  docket: z.string(),
  type: z.enum(SUBPOENA_TYPES),
  requestedRecords: z.string(),
  state: z.enum(SUBPOENA_STATES),
  servedAt: z.string(),
  dueAt: z.string(),
  noticeDueAt: z.string(),
  receivedAt: z.string(),
  receivedBy: z.string(),
  verifiedAt: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  /** The legal counsel who confirmed it is legitimate (seed 002, step 1): the verifier when counsel, else the one they named. */
  verifiedWith: z.string().nullable(),
  verificationNote: z.string().nullable(),
  noticeSentAt: z.string().nullable(),
  noticeMethod: z.string().nullable(),
  noticeLate: z.boolean(),
  noticeExemptGround: z.enum(NOTICE_EXEMPTION_GROUNDS).nullable(),
  noticeExemptReason: z.string().nullable(),
  nondisclosureUntil: z.string().nullable(),
  scopedAt: z.string().nullable(),
  scope: z.array(recordRefSchema),
  producedAt: z.string().nullable(),
  productionId: z.string().nullable(),
  closedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type Subpoena = z.infer<typeof subpoenaSchema>;

export const SUBPOENA_ACTIONS = [
  'subpoenas.verify',
  'subpoenas.sendNotice',
  'subpoenas.exemptNotice',
  'subpoenas.scope',
  'subpoenas.produce',
  'subpoenas.close',
  'subpoenas.quash',
  'subpoenas.withdraw',
] as const;

const one = z.object({ subpoena: subpoenaSchema });
const idOnly = { id: entityId };

export const subpoenaChannels = {
  'subpoenas.list': channel({
    summary: 'Subpoenas and court orders, newest first, filtered by state, type, subject or free text.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['served_at', 'due_at', 'id', 'state'],
      defaultSort: 'served_at',
      defaultDir: 'desc',
      filters: { state: z.enum(SUBPOENA_STATES).optional(), type: z.enum(SUBPOENA_TYPES).optional(), subjectId: entityId.optional() },
    }),
    response: listResponse(subpoenaSchema),
  }),
  'subpoenas.get': channel({
    summary: 'One subpoena with its production (files, page hashes) and the allowed next steps.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object(idOnly),
    response: z.object({
      subpoena: subpoenaSchema,
      production: productionSchema.nullable(),
      allowedActions: z.array(z.enum(SUBPOENA_ACTIONS)),
      /** Why the institution's policy refuses to produce on this subpoena (seed 002: no court order), or null. */
      productionRefusal: z.string().nullable(),
    }),
  }),
  'subpoenas.receive': channel({
    summary: 'Log a subpoena or court order as served: issuer, court, type, dates, the records it asks for.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      subjectId: entityId,
      issuer: shortText,
      court: z.string().trim().max(300).default(''),
      docket: z.string().trim().max(120).default(''),
      type: z.enum(SUBPOENA_TYPES),
      requestedRecords: longText,
      servedAt: dateInput,
      dueAt: dateInput,
      caseId: entityId.optional(),
    }),
    response: one,
  }),
  'subpoenas.verify': channel({
    summary: 'Record that legal counsel confirmed the subpoena is legitimate (seed 002, step 1): counsel records it, or names the counsel account that confirmed it.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, note: longText, counsel: z.string().trim().min(1).max(64).optional() }),
    response: one,
  }),
  'subpoenas.sendNotice': channel({
    summary: 'Record the notice to the subject before compliance (99.31(a)(9)(ii); seed 002: within 3 days).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, method: shortText, sentAt: dateInput.optional(), note: z.string().trim().max(2000).optional() }),
    response: one,
  }),
  'subpoenas.exemptNotice': channel({
    summary: 'Record that notice is forbidden (non-disclosure order, ex parte order) with its reason; the disclosure is then withheld from the subject.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      ...idOnly,
      ground: z.enum(NOTICE_EXEMPTION_GROUNDS),
      reason: longText,
      until: dateInput.optional(),
    }),
    response: one,
  }),
  'subpoenas.scope': channel({
    summary: "Define the production's scope: only the requested records of the subject (seed 002, step 3).",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, recordIds: z.array(entityId).min(1).max(500) }),
    response: one,
  }),
  'subpoenas.produce': channel({
    summary:
      'Produce the scoped records (refused without a court order unless the institution allows lawful subpoenas: ferpa.policy): a Bates-numbered PDF and single-page files with SHA-256 of every page and file, a retained encrypted copy and the disclosure entry.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      ...idOnly,
      batesPrefix: z
        .string()
        .trim()
        .regex(/^[A-Z0-9]{2,12}$/, 'A Bates prefix is 2 to 12 capital letters or digits.')
        .optional(),
    }),
    response: z.object({ subpoena: subpoenaSchema, production: productionSchema }),
  }),
  'subpoenas.exportProduction': channel({
    summary:
      "Write a decrypted copy of a production (PDF, page files, manifest) as one ZIP in the workspace's exports folder, checking every hash; hand it over with files.download.",
    access: CASE_WORKERS,
    mutates: true,
    // Strict: no field names a server file.
    request: z.object({ productionId: entityId }).strict(),
    response: exportedFileSchema.extend({ files: z.array(z.object({ entry: z.string(), sha256: z.string(), bytes: z.number() })) }),
  }),
  'subpoenas.close': channel({
    summary: 'Close a produced subpoena.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, note: z.string().trim().max(2000).optional() }),
    response: one,
  }),
  'subpoenas.quash': channel({
    summary: 'Record that a court quashed the subpoena before production.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, reason: longText }),
    response: one,
  }),
  'subpoenas.withdraw': channel({
    summary: 'Record that the issuer withdrew the subpoena before production.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ ...idOnly, reason: longText }),
    response: one,
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const subpoenaReadClasses: ReadClassMap<typeof subpoenaChannels> = {
  // The issuer is often a person (a judge, an attorney); the search reads issuers and subject names.
  'subpoenas.list': {
    personal: ['items.*.issuer', 'items.*.verifiedWith'],
    student_record: ['items.*.subjectName', 'items.*.requestedRecords', 'items.*.verificationNote', 'items.*.noticeExemptReason', 'items.*.endReason', 'items.*.scope.*.title'],
    searches: { personal: ['search'], student_record: ['search'] },
  },
  'subpoenas.get': {
    personal: ['subpoena.issuer', 'subpoena.verifiedWith'],
    student_record: ['subpoena.subjectName', 'subpoena.requestedRecords', 'subpoena.verificationNote', 'subpoena.noticeExemptReason', 'subpoena.endReason', 'subpoena.scope.*.title'],
  },
};
