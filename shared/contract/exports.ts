import { z } from 'zod';
import { ANY_ROLE, LEDGER_READERS } from '../roles.js';
import { jobId, ledgerFilterInput, ledgerFilterSchema } from './core.js';
import { channel } from './define.js';
import { madeBundleSchema } from './files.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';

export const EXPORT_TYPES = ['REGULATORY', 'AUDIT', 'LEGAL', 'INTERNAL'] as const;
export const EXPORT_FORMAT_NAMES = ['csv', 'json', 'ndjson', 'xml', 'pdf'] as const;
export const EXPORT_STATES = ['pending', 'approved', 'rejected', 'executed', 'failed'] as const;
/** What an export request writes: a data export in one of the formats, or a signed bundle (bundles.request / bundles.create). */
export const EXPORT_REQUEST_FORMATS = [...EXPORT_FORMAT_NAMES, 'bundle'] as const;
export type ExportFormatName = (typeof EXPORT_FORMAT_NAMES)[number];

export const exportRequestSchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(EXPORT_TYPES),
  format: z.enum(EXPORT_REQUEST_FORMATS),
  status: z.enum(EXPORT_STATES),
  filters: ledgerFilterSchema,
  caseId: z.string().nullable(),
  includeEvidence: z.boolean(),
  includeAuditTrail: z.boolean(),
  masking: z.string(),
  purpose: z.string(),
  recipient: z.string(),
  dueAt: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  executedBy: z.string().nullable(),
  executedAt: z.string().nullable(),
  /** The written file's name in the workspace's exports folder (hand it over with files.download), once executed. */
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
  bytes: z.number().nullable(),
  rows: z.number().nullable(),
  checkpointSize: z.number().nullable(),
  error: z.string().nullable(),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

const requestInput = z.object({
  title: z.string().trim().min(3).max(200),
  type: z.enum(EXPORT_TYPES),
  format: z.enum(EXPORT_FORMAT_NAMES),
  filters: ledgerFilterInput.default({}),
  caseId: z.string().max(100).optional(),
  /** The evidence register in scope: items, holds and custody chains, never file contents (not with CSV). */
  includeEvidence: z.boolean().default(false),
  /** The ledger events in scope. */
  includeAuditTrail: z.boolean().default(true),
  masking: z.string().max(100).default('none'),
  purpose: z.string().trim().min(3).max(2000),
  recipient: z.string().trim().min(1).max(300),
  dueAt: z.string().optional(),
});

const REQUESTERS = ['admin', 'compliance_officer', 'legal_counsel', 'auditor'] as const;
const APPROVERS = ['admin', 'compliance_officer', 'legal_counsel'] as const;


export const exportChannels = {
  'exports.request': channel({
    summary:
      'Ask for an export of the audit trail and/or the evidence register in scope (type, format, filters, case, masking); it waits for approval by another user when policy says so, and always when it carries the evidence register or people unmasked, whatever the type. Refused when there is nothing to export, with CSV and the evidence register, or when a PDF would exceed its row limit.',
    access: REQUESTERS,
    mutates: true,
    request: requestInput,
    response: z.object({ request: exportRequestSchema }),
  }),
  'exports.approve': channel({
    summary: 'Approve a pending export or bundle request (never your own).',
    access: APPROVERS,
    mutates: true,
    request: z.object({ id: z.string(), note: z.string().max(2000).default('') }),
    response: z.object({ request: exportRequestSchema }),
  }),
  'exports.reject': channel({
    summary: 'Reject a pending export request with a reason.',
    access: APPROVERS,
    mutates: true,
    request: z.object({ id: z.string(), reason: z.string().trim().min(3).max(2000) }),
    response: z.object({ request: exportRequestSchema }),
  }),
  'exports.execute': channel({
    summary:
      "Run your own approved export or bundle request: writes a new file (an export, or a signed bundle ZIP) in the workspace's exports folder (owner-only), records its SHA-256 and signs a checkpoint. Only the requester may run it.",
    access: REQUESTERS,
    mutates: true,
    job: 'long',
    // Strict: the file always goes to exports/; a caller cannot name a path (an old `outPath` is refused, not ignored).
    request: z.strictObject({ id: z.string().max(100), jobId: jobId.optional() }),
    /** `bundle`: for a bundle request, what the signed bundle holds and the tree head it carries. */
    response: z.object({ request: exportRequestSchema, bundle: madeBundleSchema.optional() }),
  }),
  'exports.list': channel({
    summary: 'Every export request with who asked, who decided, what ran and the hash of what left.',
    access: LEDGER_READERS,
    mutates: false,
    request: listRequest({
      sort: ['requested_at', 'id', 'status'],
      defaultSort: 'requested_at',
      defaultDir: 'desc',
      filters: { status: z.enum(EXPORT_STATES).optional() },
    }),
    response: listResponse(exportRequestSchema),
  }),
  'exports.profiles': channel({
    summary: 'The masking profiles an export can use.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({ profiles: z.array(z.object({ name: z.string(), description: z.string() })) }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const exportReadClasses: ReadClassMap<typeof exportChannels> = {
  'exports.list': { personal: ['items.*.recipient'], student_record: ['items.*.purpose'] },
  'exports.profiles': {},
};
