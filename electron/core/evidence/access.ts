import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Op } from '../domain/op.js';
import { CustosError, failureSentence, isCustosError } from '../errors.js';
import { exportsDir, freeName, namePart, type ExportedFile } from '../files/export-file.js';
import { createTempFile, discardTemp, publishFile } from '../fs/atomic.js';
import type { Workspace } from '../workspace.js';
import { decryptBlob } from './blob-store.js';
import { evidencePolicy } from './evidence-policy.js';
import { evidenceRow, type EvidenceRow } from './evidence-store.js';

function readable(row: EvidenceRow): Buffer {
  if (row.status === 'disposed' || !row.key_salt || row.blob_present !== 1) {
    throw new CustosError('conflict', `${row.id} was disposed of; its content no longer exists.`, { resourceType: 'evidence', resourceId: row.id });
  }
  if (row.integrity === 'integrity_failed') {
    throw new CustosError('integrity', `${row.id} failed its last integrity check; its content cannot be trusted. Re-verify it or restore it from a backup.`, {
      resourceType: 'evidence',
      resourceId: row.id,
    });
  }
  return row.key_salt;
}

function recordAccess(ws: Workspace, op: Op, row: EvidenceRow, via: string, purpose: string, outcome: 'success' | 'failure', extra: Record<string, unknown>): void {
  ws.record({ actor: op.actor, action: 'evidence.access', resource_type: 'evidence', resource_id: row.id, outcome, details: { via, purpose, ...extra } });
}

/**
 * The decrypted content, to view on screen or to save as a file in the browser (`download`).
 * Decrypted and checked against the intake hash in memory; the access is ledgered (evidence.access,
 * `via` evidence.content or evidence.download) before any byte leaves the core, so every view and
 * every download is on the item's chain of custody.
 */
export async function readEvidenceContent(
  ws: Workspace,
  op: Op,
  id: string,
  purpose: string,
  intent: 'view' | 'download' = 'view',
): Promise<{ fileName: string; mediaType: string; sizeBytes: number; sha256: string; contentBase64: string }> {
  const via = intent === 'download' ? 'evidence.download' : 'evidence.content';
  const row = evidenceRow(ws, id);
  const salt = readable(row);
  const max = evidencePolicy().inlineViewMaxBytes;
  if (row.size_bytes > max) {
    throw new CustosError('validation', `${id} is ${row.size_bytes} bytes, more than can be shown here (${max}); export it to a file instead.`, {
      resourceType: 'evidence',
      resourceId: id,
    });
  }
  const parts: Buffer[] = [];
  const hash = createHash('sha256');
  try {
    for await (const plain of decryptBlob(ws, id, row.blob_name, salt)) {
      hash.update(plain);
      parts.push(plain);
    }
  } catch (err) {
    if (isCustosError(err, 'integrity')) recordAccess(ws, op, row, via, purpose, 'failure', { reason: err.message });
    throw err;
  }
  const content = Buffer.concat(parts);
  for (const p of parts) p.fill(0);
  if (hash.digest('hex') !== row.sha256) {
    content.fill(0);
    recordAccess(ws, op, row, via, purpose, 'failure', { reason: 'hash-mismatch' });
    throw new CustosError('integrity', `The content of ${id} does not match its intake hash; re-verify the item.`, { resourceType: 'evidence', resourceId: id });
  }
  recordAccess(ws, op, row, via, purpose, 'success', { sha256: row.sha256 });
  const contentBase64 = content.toString('base64');
  content.fill(0);
  return { fileName: row.original_name, mediaType: row.media_type, sizeBytes: row.size_bytes, sha256: row.sha256, contentBase64 };
}

/**
 * Writes the decrypted content as a new file in the workspace's exports folder, under a name Custos
 * chooses (`evidence-<id>-<original name>`), to be handed over with `files.download` (an explicit act
 * of taking evidence out). The access is ledgered before the first byte is written, so even an
 * interrupted export is on record; the content goes to a private temporary file and only a copy
 * whose hash matches intake is published. A failed export leaves nothing and is ledgered too.
 */
export async function exportEvidenceContent(ws: Workspace, op: Op, id: string, purpose: string): Promise<ExportedFile> {
  const row = evidenceRow(ws, id);
  const salt = readable(row);
  const dir = exportsDir(ws);
  const fileName = freeName(dir, `evidence-${namePart(row.id, 40)}-${namePart(stem(row.original_name), 80)}`, extension(row.original_name));
  recordAccess(ws, op, row, 'evidence.export', purpose, 'success', { destination: fileName, sha256: row.sha256 });
  let tmp: string | undefined;
  let failureRecorded = false;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const temp = await createTempFile(dir);
    tmp = temp.path;
    try {
      for await (const plain of decryptBlob(ws, id, row.blob_name, salt)) {
        hash.update(plain);
        bytes += plain.length;
        await temp.handle.write(plain);
        plain.fill(0);
      }
      await temp.handle.sync();
    } finally {
      await temp.handle.close();
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== row.sha256) {
      recordAccess(ws, op, row, 'evidence.export', purpose, 'failure', { destination: fileName, reason: 'hash-mismatch' });
      failureRecorded = true;
      throw new CustosError('integrity', `The content of ${id} does not match its intake hash; nothing was exported. Re-verify the item.`, {
        resourceType: 'evidence',
        resourceId: id,
      });
    }
    publishFile(tmp, join(dir, fileName));
    tmp = undefined;
    return { path: join(dir, fileName), fileName, bytes, sha256 };
  } catch (err) {
    discardTemp(tmp);
    if (!failureRecorded) {
      recordAccess(ws, op, row, 'evidence.export', purpose, 'failure', { destination: fileName, reason: failureSentence('The file was not exported', err) });
    }
    throw err;
  }
}

/** The original name without its extension (the extension is kept apart so it survives shortening). */
function stem(name: string): string {
  const ext = extension(name);
  return ext ? name.slice(0, -ext.length) : name;
}

/** The original name's extension (`.pdf`), if it is a plain short one. */
function extension(name: string): string {
  return /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '';
}
