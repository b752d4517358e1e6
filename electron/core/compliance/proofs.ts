import type { CustosEvidence } from '../../../shared/compliance-data.js';
import type { WorkspaceProof } from '../../../shared/contract/compliance.js';
import type { Workspace } from '../workspace.js';
import { latestEventOf } from './compliance-store.js';

/**
 * Where Custos can prove a control itself, the ledger event that shows it most recently: the last
 * VALID verification of the ledger, the last refused call, the last signed bundle, the last re-key…
 * Offered on the requirement so an assessor links it instead of describing it (issue 11, item 3).
 * Each reads the events_action index backwards, so a long ledger costs one index probe per kind.
 */
const PROOFS: Record<CustosEvidence, { actions: readonly string[]; outcome?: 'success' | 'denied'; valid?: boolean; what: string }> = {
  'ledger-verified': { actions: ['ledger.verify'], valid: true, what: 'Last verification of the ledger that found it VALID' },
  'access-log': { actions: ['records.view', 'evidence.access', 'ledger.query'], what: 'Last recorded access to records, evidence or the ledger' },
  'roles-report': { actions: ['users.create', 'users.update'], what: 'Last change to users and their roles' },
  'session-controls': { actions: ['workspace.lock'], what: 'Last lock of the workspace (idle and manual locks are ledgered)' },
  'export-approvals': { actions: ['exports.approve', 'exports.reject'], what: 'Last decision on an export request by a second person' },
  'signed-bundles': { actions: ['bundles.create'], what: 'Last signed bundle written' },
  'disclosure-accounting': { actions: ['disclosures.record', 'disclosures.accountingReport'], what: 'Last disclosure recorded or accounting produced' },
  'retention-policy': { actions: ['retention.sweep.complete', 'records.purgeExpired'], what: 'Last retention sweep or purge of records past their retention period' },
  'record-erasure': { actions: ['records.erase'], what: 'Last erasure of a record on request' },
  'legal-holds': { actions: ['holds.activate', 'holds.release'], what: 'Last legal hold activated or released' },
  'evidence-custody': { actions: ['evidence.verify', 'evidence.transfer'], what: 'Last custody transfer or re-verification of evidence' },
  'encryption-at-rest': { actions: ['workspace.rekey', 'workspace.init'], what: 'The encrypted database was created or last re-keyed' },
  'key-rotation': { actions: ['workspace.rekey'], what: 'Last re-key of the database' },
  'amendment-handling': { actions: ['amendments.decide', 'amendments.recordHearingOutcome'], what: 'Last decision on an amendment request' },
  'access-requests': { actions: ['accessRequests.create', 'accessRequests.fulfill'], what: 'Last request to inspect records' },
  'subpoena-handling': { actions: ['subpoenas.sendNotice', 'subpoenas.produce'], what: 'Last notice or production for a subpoena' },
  'directory-opt-out': { actions: ['subjects.setDirectoryOptOut'], what: 'Last opt-out of directory information recorded' },
};

/** The proofs the workspace holds now for what a requirement says Custos can prove (none found: seq null). */
export function workspaceProofs(ws: Workspace, kinds: readonly CustosEvidence[]): WorkspaceProof[] {
  return kinds.map((kind) => {
    const p = PROOFS[kind];
    const event = latestEventOf(ws.db, p.actions, p.outcome ?? 'success', p.valid);
    return { evidence: kind, what: p.what, seq: event?.seq ?? null, ts: event?.ts ?? null, action: event?.action ?? null };
  });
}
