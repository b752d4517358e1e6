import type { Evidence } from '../../../shared/contract/evidence.js';
import { opTime, type Op } from '../domain/op.js';
import { assertNotHeld } from '../holds/active-holds.js';
import type { Workspace } from '../workspace.js';
import { blobPath, shredFile } from './blob-store.js';
import { assertTransition } from './custody.js';
import { addCustodyEvent, evidenceRow, getEvidence, setEvidenceDisposed } from './evidence-store.js';

/**
 * Disposes of an item. Refused with `held` while any active legal hold covers it (checked first,
 * inside the transaction). Ordering, so a crash never leaves a row claiming a file that is gone:
 *
 * 1. One transaction: status disposed, blob_present = 0, the key salt wiped (the ciphertext is now
 *    undecryptable), the custody event and the ledger event.
 * 2. After the commit: the ciphertext file is overwritten with random bytes and unlinked.
 *
 * A crash between 1 and 2 leaves an unreadable orphan file that the database no longer claims;
 * sweepEvidenceFolder removes it on the next ingest or listing.
 */
export function disposeEvidence(ws: Workspace, op: Op, id: string, reason: string): Evidence {
  const at = opTime(op);
  const row = ws.tx(() => {
    const r = evidenceRow(ws, id);
    assertNotHeld(ws, 'evidence', id);
    assertTransition(r, 'dispose');
    const now = at.toISOString();
    setEvidenceDisposed(ws.db, id, op.actor, reason, now);
    const event = ws.ledger.append(
      {
        actor: op.actor,
        action: 'evidence.dispose',
        resource_type: 'evidence',
        resource_id: id,
        details: { reason, sha256: r.sha256, size: r.size_bytes, from: r.status, file: 'key destroyed; ciphertext shredded after commit' },
      },
      at,
    );
    addCustodyEvent(ws, { evidenceId: id, kind: 'dispose', from: r.custodian, to: null, purpose: reason, location: r.location, at: now, by: op.actor, ledgerSeq: event.seq });
    return r;
  });
  try {
    shredFile(blobPath(ws, row.blob_name));
  } catch {
    // The key is gone already; the sweep removes the file later.
  }
  return getEvidence(ws, id);
}
