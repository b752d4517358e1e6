import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CustosError, failureText } from '../errors.js';
import { decryptBlob } from '../evidence/blob-store.js';
import { custodyChain } from '../evidence/custody-chain.js';
import { evidenceRow, type EvidenceRow } from '../evidence/evidence-store.js';
import type { Workspace } from '../workspace.js';
import { bufferPart, filePart, type BundlePart, type BundlePartContext, type BundlePartContributor } from './parts.js';
import { caseEvidenceIds } from './bundle-store.js';

/** The file name an item's content gets inside the bundle: its original base name, made safe for any unzip. */
export function bundleFileName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  if (name.length > 150) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, 150 - ext.length) + ext;
  }
  if (name === '' || name === 'custody.json') name = `content-${name || 'file'}`;
  return name;
}

function caseEvidence(ws: Workspace, caseId: string, through: number | null): EvidenceRow[] {
  return caseEvidenceIds(ws.db, caseId, through).map((id) => evidenceRow(ws, id));
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CustosError('cancelled', 'Making the bundle was cancelled; no file was written.');
}

/**
 * Decrypts an item's content into `file`, hashing it on the way, and refuses (`integrity`) unless the
 * SHA-256 is the one recorded at intake. Only chunks whose authentication tag checks out are written.
 */
async function decryptTo(ws: Workspace, row: EvidenceRow, salt: Buffer, file: string, signal: AbortSignal | undefined): Promise<void> {
  const fh = await open(file, 'wx', 0o600);
  const hash = createHash('sha256');
  try {
    for await (const plain of decryptBlob(ws, row.id, row.blob_name, salt)) {
      cancelled(signal);
      hash.update(plain);
      await fh.write(plain);
      plain.fill(0);
    }
  } finally {
    await fh.close();
  }
  if (hash.digest('hex') !== row.sha256) {
    throw new CustosError('integrity', `The content of ${row.id} does not match its intake hash; the bundle was not made. Re-verify the item.`, {
      resourceType: 'evidence',
      resourceId: row.id,
    });
  }
}

/**
 * `evidence/<id>/<file>` (the decrypted content, checked against its intake hash) and
 * `evidence/<id>/custody.json` (the item and its chain of custody up to the bundle's tree head, with
 * ledger seqs) for each evidence item linked to the case of a case bundle. A bundle whose scope ends
 * at a time (ctx.cut) carries the items linked by then and their chains up to then. Complete and filtered
 * bundles carry events only: evidence content travels in case bundles. A disposed item has no
 * content left, so only its custody.json goes in. Each item whose content goes in is ledgered as an
 * evidence.access (via evidence.export) on its chain, after the tree head the bundle is cut against.
 */
export const evidencePart: BundlePartContributor = {
  name: 'evidence',
  async contribute(ctx: BundlePartContext): Promise<BundlePart[]> {
    const { ws, scope, signal } = ctx;
    if (!scope.caseId) return [];
    const rows = caseEvidence(ws, scope.caseId, ctx.cut?.seq ?? null);
    const throughSeq = ctx.cut?.seq ?? ctx.treeHead.size;
    const parts: BundlePart[] = [];
    const dir = join(ctx.tmpDir, 'evidence');
    let done = 0;
    for (const row of rows) {
      cancelled(signal);
      ctx.progress('evidence', done, rows.length);
      const hasContent = row.status !== 'disposed' && row.key_salt !== null && row.blob_present === 1;
      let contentPath: string | null = null;
      if (hasContent) {
        if (row.integrity === 'integrity_failed') {
          throw new CustosError('integrity', `${row.id} failed its last integrity check, so it cannot go into a signed bundle. Re-verify it or restore it from a backup.`, {
            resourceType: 'evidence',
            resourceId: row.id,
          });
        }
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const file = join(dir, `${parts.length}-${row.id.replace(/[^A-Za-z0-9_-]/g, '_')}`);
        try {
          await decryptTo(ws, row, row.key_salt as Buffer, file, signal);
        } catch (err) {
          if (err instanceof CustosError && err.code === 'integrity') {
            ws.record({
              actor: ctx.actor,
              action: 'evidence.access',
              resource_type: 'evidence',
              resource_id: row.id,
              outcome: 'failure',
              details: { via: 'evidence.export', purpose: 'signed bundle', destination: ctx.out, reason: failureText(err) },
            });
          }
          throw err;
        }
        contentPath = `evidence/${row.id}/${bundleFileName(row.original_name)}`;
        parts.push(await filePart(contentPath, file));
      }
      const chain = custodyChain(ws, row.id).filter((c) => c.ledgerSeq <= throughSeq);
      const custody = {
        format: 'custos-custody/1',
        evidence: {
          id: row.id,
          title: row.title,
          description: row.description,
          source: row.source,
          original_name: row.original_name,
          media_type: row.media_type,
          size_bytes: row.size_bytes,
          sha256: row.sha256,
          collected_by: row.collected_by,
          collected_at: row.collected_at,
          status: row.status,
          integrity: row.integrity,
          last_verified_at: row.last_verified_at,
          custodian: row.custodian,
          location: row.location,
          disposed_at: row.disposed_at,
          disposed_by: row.disposed_by,
          dispose_reason: row.dispose_reason,
        },
        // The item's fields are read when the bundle is made; its chain stops at through_seq, which for a
        // bundle cut at an event (a hold's snapshot) may be earlier: the chain, not these fields, is the record then.
        fields_as_of: ctx.createdAt,
        case_id: scope.caseId,
        content: contentPath,
        tree_size: ctx.treeHead.size,
        // The chain's last possible event: the tree head, or where a bundle cut at a time ends.
        through_seq: throughSeq,
        chain,
      };
      parts.push(bufferPart(`evidence/${row.id}/custody.json`, Buffer.from(`${JSON.stringify(custody, null, 2)}\n`, 'utf8')));
      if (hasContent) {
        ws.record({
          actor: ctx.actor,
          action: 'evidence.access',
          resource_type: 'evidence',
          resource_id: row.id,
          details: { via: 'evidence.export', purpose: `signed bundle of case ${scope.caseId}`, destination: ctx.out, sha256: row.sha256 },
        });
      }
      done += 1;
    }
    if (rows.length > 0) ctx.progress('evidence', done, rows.length);
    return parts;
  },
};
