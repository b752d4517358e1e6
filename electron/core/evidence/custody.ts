import type { Evidence } from '../../../shared/contract/evidence.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { addCustodyEvent, evidenceRow, getEvidence, setEvidenceCustodian, setEvidenceStatus, type EvidenceRow } from './evidence-store.js';

type Status = Evidence['status'];

/**
 * DESIGN §10: collected → (transferred…) → sealed ↔ released → disposed. Decisions: a transfer of a
 * sealed item (the sealed bag moves to the vault) is recorded and leaves it sealed; disposal is
 * possible from any unsealed state (a sealed item is released first, deliberately).
 */
export const FROM: Record<'transfer' | 'seal' | 'release' | 'dispose', readonly Status[]> = {
  transfer: ['collected', 'transferred', 'sealed', 'released'],
  seal: ['collected', 'transferred', 'released'],
  release: ['sealed'],
  dispose: ['collected', 'transferred', 'released'],
};

const VERB = { transfer: 'transferred', seal: 'sealed', release: 'released', dispose: 'disposed of' } as const;

/** Throws `conflict` unless the item's status allows the action. */
export function assertTransition(row: EvidenceRow, action: keyof typeof FROM): void {
  if (!FROM[action].includes(row.status)) {
    const hint = row.status === 'sealed' && action === 'dispose' ? ' Release it first.' : '';
    throw new CustosError('conflict', `${row.id} is ${row.status} and cannot be ${VERB[action]}.${hint}`, {
      resourceType: 'evidence',
      resourceId: row.id,
      status: row.status,
    });
  }
}

/** Records a custody transfer (from, to, purpose, location); ledgered as evidence.transfer. */
export function transferEvidence(
  ws: Workspace,
  op: Op,
  input: { id: string; from?: string | undefined; to: string; purpose: string; location: string; at?: string | undefined },
): Evidence {
  const at = opTime(op);
  return ws.tx(() => {
    const row = evidenceRow(ws, input.id);
    assertTransition(row, 'transfer');
    const from = input.from ?? row.custodian;
    const when = input.at ? new Date(input.at).toISOString() : at.toISOString();
    const location = input.location || row.location;
    const status: Status = row.status === 'sealed' ? 'sealed' : 'transferred';
    setEvidenceCustodian(ws.db, input.id, status, input.to, location, at.toISOString());
    const event = ws.ledger.append(
      { actor: op.actor, action: 'evidence.transfer', resource_type: 'evidence', resource_id: input.id, details: { from, to: input.to, purpose: input.purpose, location, at: when } },
      at,
    );
    addCustodyEvent(ws, { evidenceId: input.id, kind: 'transfer', from, to: input.to, purpose: input.purpose, location, at: when, by: op.actor, ledgerSeq: event.seq });
    return getEvidence(ws, input.id);
  });
}

/** Seals or releases an item; ledgered as evidence.seal / evidence.release. */
export function sealOrRelease(ws: Workspace, op: Op, action: 'seal' | 'release', input: { id: string; purpose: string; location?: string | undefined }): Evidence {
  const at = opTime(op);
  return ws.tx(() => {
    const row = evidenceRow(ws, input.id);
    assertTransition(row, action);
    const location = input.location ?? row.location;
    const status: Status = action === 'seal' ? 'sealed' : 'released';
    setEvidenceStatus(ws.db, input.id, status, location, at.toISOString());
    const event = ws.ledger.append(
      { actor: op.actor, action: `evidence.${action}`, resource_type: 'evidence', resource_id: input.id, details: { from: row.status, purpose: input.purpose, location } },
      at,
    );
    addCustodyEvent(ws, {
      evidenceId: input.id,
      kind: action,
      from: row.custodian,
      to: row.custodian,
      purpose: input.purpose,
      location,
      at: at.toISOString(),
      by: op.actor,
      ledgerSeq: event.seq,
    });
    return getEvidence(ws, input.id);
  });
}
