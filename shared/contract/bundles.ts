import { z } from 'zod';
import type { Role } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { exportedFileSchema, madeBundleSchema } from './files.js';
import { jobId, ledgerEventSchema, ledgerFilterInput, verificationReportSchema } from './core.js';
import { fileGrant, grantFileName } from './files.js';
import { EXPORT_TYPES, exportRequestSchema } from './exports.js';

/** Who may make a signed bundle: everyone who reads the ledger (an auditor exports audit-log bundles, read-only). */
export const BUNDLE_MAKERS: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel', 'auditor'];
/** Who may verify a bundle file and import it for review. */
export const BUNDLE_IMPORTERS: readonly Role[] = ['admin', 'compliance_officer', 'auditor'];

/**
 * What a bundle request asks for: a signed bundle of the events (and, for a case or the whole
 * ledger, the parts that go with them) a case or filters select, for a purpose and a recipient.
 */
export const bundleRequestInput = z
  .object({
    title: z.string().trim().min(3).max(200),
    type: z.enum(EXPORT_TYPES),
    filters: ledgerFilterInput.strict().default({}),
    caseId: z.string().trim().min(1).max(200).optional(),
    purpose: z.string().trim().min(3).max(2000),
    recipient: z.string().trim().min(1).max(300),
    dueAt: z.string().trim().min(1).max(40).optional(),
  })
  .strict();
export type BundleRequestInput = z.infer<typeof bundleRequestInput>;

/** A bundle handed over as a one-time file grant (browser upload or the desktop open dialog), never a path. */
const bundleSource = {
  grant: fileGrant,
  fileName: grantFileName.optional(),
};

export const bundleSummarySchema = z.object({
  workspaceId: z.string(),
  workspaceName: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  complete: z.boolean(),
  caseId: z.string().nullable(),
  filters: z.record(z.string(), z.unknown()),
  events: z.number(),
  treeSize: z.number(),
  root: z.string(),
  checkpointTs: z.string(),
  keyId: z.string(),
  /** The key id grouped for reading aloud over the phone. */
  fingerprint: z.string(),
  fileSha256: z.string(),
  fileBytes: z.number(),
});
export type BundleSummary = z.infer<typeof bundleSummarySchema>;

export const importStatusSchema = z.enum(['verifying', 'verified', 'reviewed']);

export const importSummarySchema = z.object({
  id: z.number().int().positive(),
  status: importStatusSchema,
  sourceWorkspaceId: z.string(),
  sourceWorkspaceName: z.string(),
  keyId: z.string(),
  fingerprint: z.string(),
  fileName: z.string(),
  fileSha256: z.string(),
  fileBytes: z.number(),
  bundleCreatedAt: z.string(),
  bundleCreatedBy: z.string(),
  complete: z.boolean(),
  caseId: z.string().nullable(),
  filters: z.record(z.string(), z.unknown()),
  treeSize: z.number(),
  root: z.string(),
  checkpointTs: z.string(),
  events: z.number(),
  firstTs: z.string().nullable(),
  lastTs: z.string().nullable(),
  importedAt: z.string(),
  importedBy: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewNote: z.string().nullable(),
  /** Warnings raised when the bundle arrived (a workspace name that a pinned workspace of another id has). */
  warnings: z.array(z.string()),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const importSourceSchema = z.object({
  workspaceId: z.string(),
  workspaceName: z.string(),
  keyId: z.string(),
  fingerprint: z.string(),
  pinnedAt: z.string(),
  pinnedBy: z.string(),
});

/** A revoked pin: the key that was trusted for a workspace, and who revoked it, when and why. */
export const pinRevocationSchema = importSourceSchema.extend({
  revokedAt: z.string(),
  revokedBy: z.string(),
  reason: z.string(),
});
export type PinRevocation = z.infer<typeof pinRevocationSchema>;

/** Who may list and revoke pinned source keys. */
export const PIN_ADMINS: readonly Role[] = ['admin'];

/** How a bundle's signing key stands: a new source, the pinned key, another key, or this workspace's own key. */
const bundlePinSchema = z.enum(['new-source', 'matches', 'differs', 'own']);

const importEventsFilter = ledgerFilterInput.extend({ importId: z.number().int().positive() });

/** How serious an auditor judges a finding. */
export const FINDING_SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** An auditor's finding or note on an imported bundle, optionally about one of its events. */
export const findingSchema = z.object({
  id: z.number().int().positive(),
  importId: z.number().int().positive(),
  severity: z.enum(FINDING_SEVERITIES),
  title: z.string(),
  body: z.string(),
  /** The seq of the imported event the finding is about, if any. */
  seq: z.number().int().positive().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/** How an import's signing key stands against the key pinned for its source workspace. */
export const importPinSchema = z.object({
  /** True when this import pinned the source's key (its first import from that workspace). */
  pinnedByThisImport: z.boolean(),
  /** True when the key is the pinned one (always, for an import that was accepted). */
  matches: z.boolean(),
  pinnedAt: z.string(),
  pinnedBy: z.string(),
});
export type ImportPin = z.infer<typeof importPinSchema>;

export const bundleChannels = {
  'bundles.request': channel({
    summary:
      'Ask for a signed bundle (the whole ledger, a case, or filtered events) as an export request: it waits for approval by another user when it carries evidence files or unmasked personal data (a case or the whole ledger: evidence content, disclosures with students\' names) or when policy says so for its type; the requester runs it with exports.execute once approved.',
    access: BUNDLE_MAKERS,
    mutates: true,
    request: bundleRequestInput,
    response: z.object({ request: exportRequestSchema }),
  }),
  'bundles.create': channel({
    summary:
      "Write a signed, self-verifying bundle (ZIP) of the ledger or of a filtered part of it, with a fresh signed checkpoint, into the workspace's exports folder (hand it over with files.download); listed on Exports as an export request decided by policy. A bundle that carries evidence files or unmasked personal data (a case or the whole ledger) is refused for roles that must ask for it (bundles.request).",
    access: BUNDLE_MAKERS,
    mutates: true,
    job: 'long',
    // Strict: no field names a server file; the bundle goes to the workspace's exports folder.
    request: ledgerFilterInput
      .extend({
        caseId: z.string().trim().min(1).max(200).optional(),
        jobId: jobId.optional(),
      })
      .strict(),
    response: madeBundleSchema.extend({
      /** The export request it is listed under on Exports (decided by policy). */
      requestId: z.string(),
    }),
  }),
  'bundles.verify': channel({
    summary: 'Verify a bundle file offline (signature, file hashes, chain, proofs) without importing it.',
    access: BUNDLE_IMPORTERS,
    mutates: true,
    job: 'long',
    request: z.object({ ...bundleSource, jobId: jobId.optional() }),
    response: z.object({
      report: verificationReportSchema,
      bundle: bundleSummarySchema.nullable(),
      /** How the bundle's key compares with the key pinned for its workspace at an earlier import ('own': this workspace made it). */
      pin: bundlePinSchema.nullable(),
      /** Things to check before trusting it (its workspace name is that of a pinned workspace with another id). */
      warnings: z.array(z.string()),
    }),
  }),
  'imports.run': channel({
    summary:
      'Verify a bundle and, only if everything holds, import its events for review in one step; a rejection says why and changes nothing.',
    access: BUNDLE_IMPORTERS,
    mutates: true,
    job: 'long',
    request: z.object({
      ...bundleSource,
      jobId: jobId.optional(),
      /**
       * The key fingerprint a person compared with the sender out of band; needed (and must match)
       * for the first import of a workspace whose key is not pinned, which is refused with
       * `confirmation_required` and the fingerprint to compare until it is given.
       */
      trustFingerprint: z.string().trim().min(1).max(200).optional(),
    }),
    response: z.object({
      accepted: z.boolean(),
      /** Why the bundle was rejected, as one sentence; null when accepted. */
      reason: z.string().nullable(),
      report: verificationReportSchema,
      bundle: bundleSummarySchema.nullable(),
      import: importSummarySchema.nullable(),
      /** True when this import pinned the source workspace's key for the first time. */
      pinned: z.boolean(),
      /** How the bundle's key compares with the key pinned for its workspace before this import (null: unreadable bundle; 'own': this workspace made it). */
      pin: bundlePinSchema.nullable(),
      /** The source workspace's pinned key after this call (null: never pinned). */
      pinnedSource: importSourceSchema.nullable(),
      /** Things to check before trusting it (its workspace name is that of a pinned workspace with another id). */
      warnings: z.array(z.string()),
    }),
  }),
  'imports.pins': channel({
    summary: "The pinned signing keys of the workspaces bundles were imported from, and the pins revoked so far (who, when, why).",
    access: PIN_ADMINS,
    mutates: false,
    request: z.object({}),
    response: z.object({ pins: z.array(importSourceSchema), revoked: z.array(pinRevocationSchema) }),
  }),
  'imports.pins.revoke': channel({
    summary:
      "Revoke the pinned key of a source workspace, with a reason (ledgered): its next bundle asks a person to confirm its key's fingerprint again. Imported bundles stay.",
    access: PIN_ADMINS,
    mutates: true,
    request: z.object({ workspaceId: z.string().trim().min(1).max(200), reason: z.string().trim().min(3, 'Say why the pin is revoked.').max(2000) }),
    response: z.object({ revoked: pinRevocationSchema }),
  }),
  'imports.list': channel({
    summary: 'Imported bundles with their verification status, pinned source keys, and recently rejected imports.',
    access: BUNDLE_IMPORTERS,
    mutates: false,
    request: listRequest({ sort: ['id', 'imported_at', 'status'], defaultSort: 'id', defaultDir: 'desc' }),
    response: listResponse(importSummarySchema, {
      sources: z.array(importSourceSchema),
      rejected: z.array(
        z.object({ seq: z.number(), ts: z.string(), actor: z.string(), fileName: z.string().nullable(), reason: z.string() }),
      ),
    }),
  }),
  'imports.get': channel({
    summary: 'One imported bundle with its verification report, signed manifest and consistency proofs.',
    access: BUNDLE_IMPORTERS,
    mutates: false,
    request: z.object({ id: z.number().int().positive() }),
    response: z.object({
      import: importSummarySchema,
      report: verificationReportSchema,
      manifest: z.string(),
      manifestSignature: z.string(),
      publicKeyPem: z.string(),
      consistency: z.array(z.object({ fromSize: z.number(), fromRoot: z.string(), fromTs: z.string() })),
      pin: importPinSchema.nullable(),
      findings: z.array(findingSchema),
    }),
  }),
  'imports.events': channel({
    summary: "A page of an imported bundle's events matching the filters, newest first (same filters as ledger.query).",
    access: BUNDLE_IMPORTERS,
    mutates: false,
    request: importEventsFilter.extend({
      beforeSeq: z.number().int().positive().optional(),
      offset: z.number().int().nonnegative().max(10_000_000).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      withTotal: z.boolean().default(false),
    }),
    response: z.object({ events: z.array(ledgerEventSchema), total: z.number().nullable() }),
  }),
  'imports.stats': channel({
    summary: "Counts of an imported bundle's events by day, actor, action and outcome (for charts), under the same filters.",
    access: BUNDLE_IMPORTERS,
    mutates: false,
    request: importEventsFilter.extend({ top: z.number().int().min(1).max(200).default(20) }),
    response: z.object({
      total: z.number(),
      perDay: z.array(z.object({ day: z.string(), success: z.number(), denied: z.number(), failure: z.number() })),
      byActor: z.array(z.object({ actor: z.string(), count: z.number() })),
      byAction: z.array(z.object({ action: z.string(), count: z.number() })),
      byOutcome: z.array(z.object({ outcome: z.enum(['success', 'denied', 'failure']), count: z.number() })),
    }),
  }),
  'imports.review': channel({
    summary: 'Mark an imported bundle as reviewed, with an optional note (ledgered).',
    access: BUNDLE_IMPORTERS,
    mutates: true,
    request: z.object({ id: z.number().int().positive(), note: z.string().trim().max(4000).optional() }),
    response: z.object({ import: importSummarySchema }),
  }),
  'imports.findings': channel({
    summary: "An imported bundle's findings, oldest first.",
    access: BUNDLE_IMPORTERS,
    mutates: false,
    request: z.object({ importId: z.number().int().positive() }),
    response: z.object({ findings: z.array(findingSchema) }),
  }),
  'imports.findings.add': channel({
    summary: 'Record a finding on a verified, not yet reviewed imported bundle, optionally about one of its events (ledgered; findings are never edited).',
    access: BUNDLE_IMPORTERS,
    mutates: true,
    request: z.object({
      importId: z.number().int().positive(),
      severity: z.enum(FINDING_SEVERITIES),
      title: z.string().trim().min(1, 'Give the finding a title.').max(200),
      body: z.string().trim().min(1, 'Describe the finding.').max(8000),
      seq: z.number().int().positive().optional(),
    }),
    response: z.object({ finding: findingSchema }),
  }),
  'imports.report': channel({
    summary:
      "Write the verification report of an imported bundle as a PDF to the workspace's exports folder (provenance, every check, activity, findings, review); ledgered with its SHA-256.",
    access: BUNDLE_IMPORTERS,
    mutates: true,
    request: z.object({ id: z.number().int().positive() }),
    response: exportedFileSchema,
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const bundleReadClasses: ReadClassMap<typeof bundleChannels> = {
  // Imported events carry another workspace's details, as ledger.query does ours.
  'imports.list': { security: ['rejected.*.reason'] },
  'imports.get': { student_record: ['manifest'], security: ['report.problems.*.message'] },
  'imports.events': { student_record: ['events.*.details'], security: ['events.*.details'] },
  'imports.stats': {},
  'imports.findings': { student_record: ['findings.*.body'] },
  // Administrators only, who see every class.
  'imports.pins': {},
};
