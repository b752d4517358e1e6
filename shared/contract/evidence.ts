import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS, LEDGER_READERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { exportedFileSchema, fileGrant, grantFileName } from './files.js';
import { holdRefSchema } from './holds.js';
import { isoDateTime } from './paging.js';

export const EVIDENCE_STATUSES = ['collected', 'transferred', 'sealed', 'released', 'disposed'] as const;
export const EVIDENCE_INTEGRITY = ['ok', 'integrity_failed'] as const;
export const CUSTODY_KINDS = ['intake', 'transfer', 'seal', 'release', 'dispose'] as const;

const evidenceId = z.string().trim().min(1).max(40);
const party = z.string().trim().min(1).max(200);

export const evidenceSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string(),
  collectedBy: z.string(),
  collectedAt: z.string(),
  originalName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  status: z.enum(EVIDENCE_STATUSES),
  integrity: z.enum(EVIDENCE_INTEGRITY),
  lastVerifiedAt: z.string().nullable(),
  custodian: z.string(),
  location: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  disposedAt: z.string().nullable(),
  disposedBy: z.string().nullable(),
  disposeReason: z.string().nullable(),
  caseIds: z.array(z.string()),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const custodyEventSchema = z.object({
  id: z.number(),
  evidenceId: z.string(),
  kind: z.enum(CUSTODY_KINDS),
  fromParty: z.string().nullable(),
  toParty: z.string().nullable(),
  purpose: z.string(),
  location: z.string(),
  at: z.string(),
  recordedBy: z.string(),
  ledgerSeq: z.number(),
});
export type CustodyEvent = z.infer<typeof custodyEventSchema>;

/** One line of the chain of custody as shown and exported: custody events and ledgered accesses, in order. */
export const custodyChainEntrySchema = z.object({
  at: z.string(),
  kind: z.string(),
  actor: z.string(),
  fromParty: z.string().nullable(),
  toParty: z.string().nullable(),
  purpose: z.string(),
  location: z.string(),
  outcome: z.string(),
  ledgerSeq: z.number(),
});

/** The longest base64 content `evidence.ingestContent` takes (larger files go through an upload grant). */
const MAX_CONTENT_BASE64 = 1_000_000;

const metadata = {
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(5000).default(''),
  source: z.string().trim().min(1).max(300),
  collectedBy: z.string().trim().min(1).max(200).optional(),
  collectedAt: isoDateTime.optional(),
  mediaType: z.string().trim().max(200).optional(),
  custodian: z.string().trim().min(1).max(200).optional(),
  location: z.string().trim().max(300).default(''),
  caseId: z.string().trim().min(1).max(40).optional(),
};

export const evidenceChannels = {
  'evidence.ingestFile': channel({
    summary:
      'Ingest a file handed over by a one-time grant (a browser upload or the desktop open dialog) as evidence: streamed, hashed while copying, stored encrypted in the workspace.',
    access: CASE_WORKERS,
    mutates: true,
    job: 'long',
    request: z.object({ grant: fileGrant, fileName: grantFileName.optional(), ...metadata, jobId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/).optional() }),
    response: z.object({ evidence: evidenceSchema }),
  }),
  'evidence.ingestContent': channel({
    summary: 'Ingest evidence sent as base64 (browser host; size-limited by policy).',
    access: CASE_WORKERS,
    mutates: true,
    // The base64 content at its limit, plus room for the file name and metadata with every character escaped.
    maxBody: MAX_CONTENT_BASE64 + 64 * 1024,
    request: z.object({
      fileName: z.string().trim().min(1).max(255),
      contentBase64: z.string().max(MAX_CONTENT_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The content must be base64.'),
      ...metadata,
    }),
    response: z.object({ evidence: evidenceSchema }),
  }),
  'evidence.list': channel({
    summary: 'A page of evidence items with filters, and the total.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['id', 'title', 'status', 'collected_at', 'updated_at', 'size_bytes'],
      defaultSort: 'updated_at',
      defaultDir: 'desc',
      filters: {
        status: z.array(z.enum(EVIDENCE_STATUSES)).max(5).optional(),
        integrity: z.enum(EVIDENCE_INTEGRITY).optional(),
        caseId: z.string().max(40).optional(),
      },
    }),
    response: listResponse(evidenceSchema),
  }),
  'evidence.get': channel({
    summary: 'One evidence item with its chain of custody and the holds that protect it.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: evidenceId }),
    response: z.object({
      evidence: evidenceSchema,
      custody: z.array(custodyEventSchema),
      chain: z.array(custodyChainEntrySchema),
      holds: z.array(holdRefSchema),
    }),
  }),
  'evidence.transfer': channel({
    summary: 'Record a custody transfer (from, to, purpose, location).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      id: evidenceId,
      from: party.optional(),
      to: party,
      purpose: z.string().trim().min(3).max(1000),
      location: z.string().trim().max(300).default(''),
      at: isoDateTime.optional(),
    }),
    response: z.object({ evidence: evidenceSchema }),
  }),
  'evidence.seal': channel({
    summary: 'Seal an item (no further handling until released).',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: evidenceId, purpose: z.string().trim().min(3).max(1000), location: z.string().trim().max(300).optional() }),
    response: z.object({ evidence: evidenceSchema }),
  }),
  'evidence.release': channel({
    summary: 'Release a sealed item for handling.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: evidenceId, purpose: z.string().trim().min(3).max(1000), location: z.string().trim().max(300).optional() }),
    response: z.object({ evidence: evidenceSchema }),
  }),
  'evidence.dispose': channel({
    summary: 'Dispose of an item: its encrypted file is destroyed. Refused while any legal hold covers it.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: evidenceId, reason: z.string().trim().min(3).max(2000) }),
    response: z.object({ evidence: evidenceSchema }),
  }),
  'evidence.verify': channel({
    summary: 'Re-verify an item: decrypt, recompute SHA-256 and compare; a mismatch flags it integrity_failed.',
    access: LEDGER_READERS,
    mutates: true,
    request: z.object({ id: evidenceId }),
    response: z.object({
      valid: z.boolean(),
      expected: z.string(),
      actual: z.string().nullable(),
      reason: z.string().nullable(),
      evidence: evidenceSchema,
    }),
  }),
  'evidence.content': channel({
    summary:
      'The decrypted content of an item, to view it on screen or to save it as a file (a download); either is ledgered as evidence.access, with the purpose and how it left.',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ id: evidenceId, purpose: z.string().trim().min(3).max(500), intent: z.enum(['view', 'download']).default('view') }),
    response: z.object({ fileName: z.string(), mediaType: z.string(), sizeBytes: z.number(), sha256: z.string(), contentBase64: z.string() }),
  }),
  'evidence.export': channel({
    summary:
      "Write the decrypted content, hash-checked, as a new file in the workspace's exports folder, to hand over with files.download (ledgered as evidence.access).",
    access: LEDGER_READERS,
    mutates: false,
    // Strict: no field names a server file.
    request: z.object({ id: evidenceId, purpose: z.string().trim().min(3).max(500) }).strict(),
    response: exportedFileSchema,
  }),
  'evidence.custodyReport': channel({
    summary: 'The chain of custody of an item as CSV or JSON, for export.',
    // The whole report is restricted data (titles, parties, purposes): a viewer would get nothing of it.
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ id: evidenceId, format: z.enum(['csv', 'json']).default('csv') }),
    response: z.object({ fileName: z.string(), mediaType: z.string(), content: z.string() }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const evidenceReadClasses: ReadClassMap<typeof evidenceChannels> = {
  // What an item is and where it came from describes the matter; who held it names people.
  'evidence.list': {
    student_record: ['items.*.title', 'items.*.description', 'items.*.source', 'items.*.originalName', 'items.*.disposeReason'],
    personal: ['items.*.collectedBy', 'items.*.custodian'],
    searches: { student_record: ['search'] },
  },
  'evidence.get': {
    student_record: ['evidence.title', 'evidence.description', 'evidence.source', 'evidence.originalName', 'evidence.disposeReason', 'custody.*.purpose', 'chain.*.purpose', 'holds.*.title'],
    personal: [
      'evidence.collectedBy',
      'evidence.custodian',
      'custody.*.fromParty',
      'custody.*.toParty',
      'chain.*.fromParty',
      'chain.*.toParty',
    ],
  },
  'evidence.content': { student_record: ['fileName', 'contentBase64'] },
  'evidence.export': {},
  // The report is the whole chain in one text: title, parties and purposes.
  'evidence.custodyReport': { student_record: ['content'], personal: ['content'] },
};
