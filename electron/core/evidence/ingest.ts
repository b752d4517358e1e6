import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Evidence } from '../../../shared/contract/evidence.js';
import { touchCase } from '../cases/cases-store.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import type { GrantedFile } from '../files/grants.js';
import type { Workspace } from '../workspace.js';
import { blobPath, commitBlob, discardPartial, shredFile, writeEncryptedBlob, writeEncryptedBlobSync, type WrittenBlob } from './blob-store.js';
import { evidencePolicy } from './evidence-policy.js';
import { addCustodyEvent, getEvidence, insertCollectedEvidence, insertEvidenceCaseLink } from './evidence-store.js';

export interface EvidenceMetadata {
  title: string;
  description?: string | undefined;
  source: string;
  collectedBy?: string | undefined;
  collectedAt?: string | undefined;
  mediaType?: string | undefined;
  custodian?: string | undefined;
  location?: string | undefined;
  caseId?: string | undefined;
}

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.log': 'text/plain',
  '.eml': 'message/rfc822',
  '.msg': 'application/vnd.ms-outlook',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function guessMediaType(name: string): string {
  return MEDIA_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Stores a stream as a new evidence item. Order, so that a crash never leaves a row claiming a file
 * that is not there: (1) the ciphertext is streamed to a partial file and synced; (2) in one
 * transaction the row, its intake custody event, the optional case link and the ledger event are
 * written, and the partial file is renamed into place just before the commit; (3) if anything
 * fails, the file is destroyed. A crash after the rename but before the commit leaves only an
 * orphan ciphertext file, which sweepEvidenceFolder removes.
 */
export async function ingestEvidence(
  ws: Workspace,
  op: Op,
  action: 'evidence.ingestFile' | 'evidence.ingestContent',
  source: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  originalName: string,
  meta: EvidenceMetadata,
  opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {},
): Promise<Evidence> {
  if (meta.caseId) assertCaseOpen(ws, meta.caseId, 'adding evidence');
  const blob = await writeEncryptedBlob(ws, source, { chunkBytes: evidencePolicy().chunkBytes, ...opts });
  return storeIngested(ws, op, action, blob, originalName, meta);
}

/** Ingests an in-memory buffer synchronously (the demo seeder); same storage and ordering as ingestEvidence. */
export function ingestBufferSync(ws: Workspace, op: Op, bytes: Buffer, originalName: string, meta: EvidenceMetadata): Evidence {
  if (meta.caseId) assertCaseOpen(ws, meta.caseId, 'adding evidence');
  const blob = writeEncryptedBlobSync(ws, bytes, evidencePolicy().chunkBytes);
  return storeIngested(ws, op, 'evidence.ingestContent', blob, originalName, meta);
}

/** Step 2 and 3 of an ingest: the row, its events and the rename into place in one transaction, or no file at all. */
function storeIngested(
  ws: Workspace,
  op: Op,
  action: 'evidence.ingestFile' | 'evidence.ingestContent',
  blob: WrittenBlob,
  originalName: string,
  meta: EvidenceMetadata,
): Evidence {
  const at = opTime(op);
  const now = at.toISOString();
  const collectedAt = meta.collectedAt ? new Date(meta.collectedAt).toISOString() : now;
  const collectedBy = meta.collectedBy ?? op.actor;
  const custodian = meta.custodian ?? collectedBy;
  let committed = false;
  try {
    return ws.tx(() => {
      if (meta.caseId) assertCaseOpen(ws, meta.caseId, 'adding evidence');
      const id = nextId(ws, yearPrefix('EV', at), 4);
      insertCollectedEvidence(ws.db, {
        id,
        title: meta.title,
        description: meta.description ?? '',
        source: meta.source,
        collectedBy,
        collectedAt,
        originalName,
        mediaType: meta.mediaType ?? guessMediaType(originalName),
        sizeBytes: blob.sizeBytes,
        sha256: blob.sha256,
        blobName: blob.blobName,
        keySalt: blob.salt,
        custodian,
        location: meta.location ?? '',
        createdBy: op.actor,
        at: now,
      });
      const event = ws.ledger.append(
        {
          actor: op.actor,
          action,
          resource_type: 'evidence',
          resource_id: id,
          details: { sha256: blob.sha256, size: blob.sizeBytes, file_name: originalName, source: meta.source, collected_by: collectedBy, case: meta.caseId ?? null },
        },
        at,
      );
      addCustodyEvent(ws, {
        evidenceId: id,
        kind: 'intake',
        from: meta.source,
        to: custodian,
        purpose: 'Collected and ingested into the workspace',
        location: meta.location ?? '',
        at: collectedAt,
        by: op.actor,
        ledgerSeq: event.seq,
      });
      if (meta.caseId) {
        insertEvidenceCaseLink(ws.db, meta.caseId, id, op.actor, now);
        touchCase(ws.db, meta.caseId, now);
        ws.ledger.append({ actor: op.actor, action: 'cases.link', resource_type: 'case', resource_id: meta.caseId, details: { item_type: 'evidence', item_id: id } }, at);
      }
      commitBlob(ws, blob);
      committed = true;
      return getEvidence(ws, id);
    });
  } catch (err) {
    if (committed && existsSync(blobPath(ws, blob.blobName))) shredFile(blobPath(ws, blob.blobName));
    discardPartial(blob.partialPath);
    throw err;
  }
}

/**
 * Ingests a file handed over by a grant (an upload or a file chosen in the desktop open dialog),
 * streamed in chunks (any size). `fileName` replaces the name the file came with when given.
 */
export async function ingestGranted(
  ws: Workspace,
  op: Op,
  file: GrantedFile,
  fileName: string | undefined,
  meta: EvidenceMetadata,
  opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {},
): Promise<Evidence> {
  const name = basename((fileName ?? file.fileName).replace(/\\/g, '/')) || file.fileName;
  return ingestEvidence(ws, op, 'evidence.ingestFile', file.stream(opts.signal), name, meta, opts);
}

/** Ingests content sent as base64 by the browser host; size-limited by policy. */
export async function ingestFromBase64(ws: Workspace, op: Op, fileName: string, contentBase64: string, meta: EvidenceMetadata): Promise<Evidence> {
  const max = evidencePolicy().inlineIngestMaxBytes;
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length > max) {
    throw new CustosError('validation', `The file is ${bytes.length} bytes; files sent from the browser may be at most ${max} bytes. Ingest larger files from a local path.`);
  }
  const name = basename(fileName.replace(/\\/g, '/'));
  try {
    return await ingestEvidence(ws, op, 'evidence.ingestContent', [bytes], name, meta);
  } finally {
    bytes.fill(0);
  }
}
