import { createHash } from 'node:crypto';
import type { Evidence } from '../../../shared/contract/evidence.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError, isCustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { decryptBlob } from './blob-store.js';
import { evidenceRow, getEvidence, setEvidenceIntegrity, type EvidenceRow } from './evidence-store.js';

/** Decrypts the whole file and hashes it; the reason is null when it matches the recorded SHA-256 and size. */
export async function hashContent(ws: Workspace, row: EvidenceRow, signal?: AbortSignal): Promise<{ actual: string | null; reason: string | null }> {
  if (!row.key_salt || row.blob_present !== 1) return { actual: null, reason: 'The item has no stored content.' };
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const plain of decryptBlob(ws, row.id, row.blob_name, row.key_salt)) {
      if (signal?.aborted) throw new CustosError('cancelled', 'The verification was cancelled.');
      hash.update(plain);
      size += plain.length;
      plain.fill(0);
    }
  } catch (err) {
    if (isCustosError(err, 'integrity')) return { actual: null, reason: err.message };
    throw err;
  }
  const actual = hash.digest('hex');
  if (actual !== row.sha256) return { actual, reason: `The content's SHA-256 is ${actual}, not the ${row.sha256} recorded at intake.` };
  if (size !== row.size_bytes) return { actual, reason: `The content is ${size} bytes, not the ${row.size_bytes} recorded at intake.` };
  return { actual, reason: null };
}

/**
 * Re-verifies an item: decrypt, recompute SHA-256, compare with the intake hash. A mismatch sets
 * integrity = 'integrity_failed' (shown on every list and detail) and is ledgered with outcome failure.
 */
export async function verifyEvidence(
  ws: Workspace,
  op: Op,
  id: string,
  signal?: AbortSignal,
): Promise<{ valid: boolean; expected: string; actual: string | null; reason: string | null; evidence: Evidence }> {
  const row = evidenceRow(ws, id);
  if (row.status === 'disposed') {
    throw new CustosError('conflict', `${id} was disposed of; there is no content left to verify.`, { resourceType: 'evidence', resourceId: id });
  }
  const { actual, reason } = await hashContent(ws, row, signal);
  const valid = reason === null;
  const at = opTime(op);
  ws.tx(() => {
    const now = at.toISOString();
    setEvidenceIntegrity(ws.db, id, valid ? 'ok' : 'integrity_failed', now);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'evidence.verify',
        resource_type: 'evidence',
        resource_id: id,
        outcome: valid ? 'success' : 'failure',
        details: { expected: row.sha256, actual, valid, ...(reason ? { reason } : {}) },
      },
      at,
    );
  });
  return { valid, expected: row.sha256, actual, reason, evidence: getEvidence(ws, id) };
}
