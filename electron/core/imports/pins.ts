import type { BundleSummary, PinRevocation } from '../../../shared/contract/bundles.js';
import type { Db } from '../db/open.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { fingerprint } from '../bundle/format.js';
import {
  deleteSource,
  findSource,
  insertRevocationRow,
  listSources,
  revocationRow,
  type RevocationRow,
  revocationRows,
  type SourceRow,
} from './imports-store.js';
import { opTime, type Op } from '../domain/op.js';

/*
 * Trust on first import needs a person. A bundle names its workspace and carries its signing key;
 * the first bundle of a workspace id pins that key for every later one. Pinning the first key
 * blindly would let a forged bundle that arrives first take a workspace over for good, so the
 * first import of an unknown key is refused with `confirmation_required` and the key's fingerprint
 * until someone confirms, having compared it with the sender out of band, that fingerprint. An
 * administrator can revoke a pin (recorded with a reason); the next bundle then asks again.
 */

/** A pinned source key in the API's shape. */
export function sourceSummary(s: SourceRow) {
  return {
    workspaceId: s.workspace_id,
    workspaceName: s.workspace_name,
    keyId: s.key_id,
    fingerprint: fingerprint(s.key_id),
    pinnedAt: s.pinned_at,
    pinnedBy: s.pinned_by,
  };
}

/** The key id a typed or pasted fingerprint stands for: hex digits only, lower case. */
function normaliseFingerprint(text: string): string {
  return text.replace(/[\s:-]/g, '').toLowerCase();
}

/** True when `confirmed` (a fingerprint a person compared) names exactly the key `keyId`. */
export function confirmsKey(confirmed: string | undefined, keyId: string): boolean {
  return confirmed !== undefined && normaliseFingerprint(confirmed) === keyId.toLowerCase();
}

/** Names compared as a person reads them: case, width and spacing do not make two names different. */
function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Warnings about a bundle before anyone trusts it: its workspace name is that of a pinned workspace
 * with another id (an impostor would choose the name of a workspace the auditor already knows).
 */
export function bundleWarnings(db: Db, b: BundleSummary): string[] {
  const name = nameKey(b.workspaceName);
  return listSources(db)
    .filter((s) => s.workspace_id !== b.workspaceId && nameKey(s.workspace_name) === name)
    .map(
      (s) =>
        `This bundle's workspace is named "${b.workspaceName}" like the pinned workspace "${s.workspace_name}" (${s.workspace_id}, key ${fingerprint(s.key_id)}), but its id is ${b.workspaceId}: it is not that workspace. Check with the sender before you trust it.`,
    );
}

/**
 * Throws `confirmation_required` when the bundle's workspace has no pinned key and `confirmed` is
 * not its key's fingerprint; the details carry what a person must compare.
 */
export function requireTrust(db: Db, b: BundleSummary, confirmed: string | undefined): void {
  if (findSource(db, b.workspaceId) || confirmsKey(confirmed, b.keyId)) return;
  const mismatch = confirmed !== undefined;
  throw new CustosError(
    'confirmation_required',
    mismatch
      ? `The fingerprint you confirmed is not the key of this bundle from workspace "${b.workspaceName}" (${b.workspaceId}); compare the fingerprint shown with the sender again.`
      : `This is the first bundle from workspace "${b.workspaceName}" (${b.workspaceId}): compare its key's fingerprint with the sender out of band, then confirm it to import the bundle.`,
    {
      workspaceId: b.workspaceId,
      workspaceName: b.workspaceName,
      fingerprint: fingerprint(b.keyId),
      keyId: b.keyId,
      fileSha256: b.fileSha256,
      mismatch,
      warnings: bundleWarnings(db, b),
      resourceType: 'bundle',
      resourceId: b.fileSha256,
    },
  );
}

function toRevocation(r: RevocationRow): PinRevocation {
  return { ...sourceSummary(r), revokedAt: r.revoked_at, revokedBy: r.revoked_by, reason: r.reason };
}

/** Pinned keys, and revoked pins newest first. */
export function listPins(db: Db): { pins: ReturnType<typeof sourceSummary>[]; revoked: PinRevocation[] } {
  const revoked = revocationRows(db);
  return { pins: listSources(db).map(sourceSummary), revoked: revoked.map(toRevocation) };
}

/** Revokes a workspace's pinned key with a reason; the record, the removal and the ledger event in one transaction. */
export function revokePin(ws: Workspace, op: Op, workspaceId: string, reason: string): PinRevocation {
  const { actor } = op;
  return ws.tx(() => {
    const source = findSource(ws.db, workspaceId);
    if (!source) {
      throw new CustosError('not_found', `No key is pinned for workspace ${workspaceId}; there is nothing to revoke.`, { resourceType: 'import_source', resourceId: workspaceId });
    }
    // One instant from the core clock for the revocation row and its event.
    const at = opTime(op);
    const now = at.toISOString();
    const id = insertRevocationRow(ws.db, source, now, actor, reason);
    deleteSource(ws.db, workspaceId);
    ws.ledger.append({
      actor,
      action: 'imports.pins.revoke',
      resource_type: 'import_source',
      resource_id: workspaceId,
      details: {
        workspace_name: source.workspace_name,
        key_id: source.key_id,
        fingerprint: fingerprint(source.key_id),
        pinned_at: source.pinned_at,
        pinned_by: source.pinned_by,
        reason,
      },
    }, at);
    return toRevocation(revocationRow(ws.db, id));
  });
}
