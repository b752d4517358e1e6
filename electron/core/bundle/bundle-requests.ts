import type { BundleRequestInput } from '../../../shared/contract/bundles.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { ExportRequest } from '../../../shared/contract/exports.js';
import type { Role } from '../../../shared/roles.js';
import { now as clockNow } from '../clock.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import { insertExportRequestRow, setExportExecuted, setExportFailed } from '../exports/exports-store.js';
import { exportPolicy, getExportRequest, nextExportRequestId, runnableRequest, whileRunning } from '../exports/requests.js';
import { loadPolicy } from '../policy.js';
import type { Workspace } from '../workspace.js';
import { cleanFilters, createBundle, type CreatedBundle } from './create-bundle.js';
import type { BundlePartContributor, CaseEventScope } from './parts.js';

// Bundles follow the two-person rule (issue 15.4): a bundle is an export request of format
// 'bundle', decided and listed like any export (exports.approve/reject/list), run by its requester
// (exports.execute routes it here), its file handed over with files.download.

interface BundlePolicy {
  /** Roles that may still make a bundle carrying evidence or unmasked personal data directly (bundles.create). */
  directRoles: Role[];
  /** The type a direct bundle is recorded with on Exports. */
  directType: ExportRequest['type'];
}

export function bundlePolicy(): BundlePolicy {
  return loadPolicy<BundlePolicy>('bundles');
}

/** Why a bundle needs a second person whatever its type: what it would carry. */
export type BundleContentReason = 'evidence-files' | 'unmasked-personal-data';

/** What a bundle is cut from, and what it needs to be made (createCore's wiring). */
export interface BundleMaking {
  parts: readonly BundlePartContributor[];
  caseScope: CaseEventScope;
  signal?: AbortSignal;
  progress?: (phase: string, done: number, total: number | null) => void;
}

/**
 * What in a bundle's scope always needs approval by another user (see the parts in wiring.ts): a
 * case bundle carries the decrypted evidence files of the case with their custody and the case's
 * disclosures with students' names; a complete bundle carries every disclosure (disclosures.json).
 * A bundle of filtered events (no case) carries the ledger's events only, as every ledger reader
 * reads them: neither evidence files nor the disclosure record.
 */
export function bundleContentReasons(scope: { caseId?: string | null | undefined; filters: LedgerFilter }): BundleContentReason[] {
  if (scope.caseId) return ['evidence-files', 'unmasked-personal-data'];
  if (Object.keys(cleanFilters(scope.filters)).length === 0) return ['unmasked-personal-data'];
  return [];
}

function scopeTitle(caseId: string | null, filters: LedgerFilter): string {
  if (caseId) return `Signed bundle of case ${caseId}`;
  return Object.keys(filters).length === 0 ? 'Signed bundle of the whole ledger' : 'Signed bundle of filtered ledger events';
}

interface NewBundleRow {
  title: string;
  type: ExportRequest['type'];
  filters: LedgerFilter;
  caseId: string | null;
  purpose: string;
  recipient: string;
  dueAt: string;
  reasons: BundleContentReason[];
  /** null: waits for another user; otherwise who decided at once, and why. */
  decided: { by: string; note: string } | null;
  approvalReasons: string[];
}

/** Inserts the request row and its exports.request event in one transaction. */
function insertBundleRequest(ws: Workspace, op: Op, at: Date, r: NewBundleRow): ExportRequest {
  return ws.tx(() => {
    const id = nextExportRequestId(ws, at);
    insertExportRequestRow(ws.db, {
      id,
      title: r.title,
      type: r.type,
      format: 'bundle',
      status: r.decided ? 'approved' : 'pending',
      filters: JSON.stringify(r.filters),
      case_id: r.caseId,
      include_evidence: r.reasons.includes('evidence-files') ? 1 : 0,
      include_audit_trail: 1,
      // A bundle's events are signed as they are: they cannot be masked.
      masking: 'none',
      purpose: r.purpose,
      recipient: r.recipient,
      due_at: r.dueAt,
      requested_by: op.actor,
      requested_at: at.toISOString(),
      decided_by: r.decided?.by ?? null,
      decided_at: r.decided ? at.toISOString() : null,
      decision_note: r.decided?.note ?? null,
    });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'exports.request',
        resource_type: 'export_request',
        resource_id: id,
        details: {
          type: r.type,
          format: 'bundle',
          filters: r.filters,
          case_id: r.caseId,
          include_audit_trail: true,
          include_evidence: r.reasons.includes('evidence-files'),
          masking: 'none',
          recipient: r.recipient,
          approval: r.decided ? 'not-required' : 'required',
          approval_reasons: r.approvalReasons,
        },
      },
      at,
    );
    return getExportRequest(ws, id);
  });
}

/**
 * Records a bundle request (bundles.request). It waits for another user when its content needs it
 * (a case or the whole ledger) or when the export policy says so for its type; otherwise policy
 * approves it at once, as for a masked export. An unknown case is refused before anything is recorded.
 */
export function requestBundle(ws: Workspace, op: Op, input: BundleRequestInput, caseScope: CaseEventScope): ExportRequest {
  const caseId = input.caseId?.trim() || null;
  if (caseId) caseScope(ws, caseId);
  const filters = cleanFilters(input.filters);
  const policy = exportPolicy();
  const at = opTime(op);
  const reasons = bundleContentReasons({ caseId, filters });
  const byType = policy.approvalRequired[input.type] !== false;
  const needsApproval = byType || reasons.length > 0;
  return insertBundleRequest(ws, op, at, {
    title: input.title,
    type: input.type,
    filters,
    caseId,
    purpose: input.purpose,
    recipient: input.recipient,
    dueAt: input.dueAt ?? new Date(at.getTime() + policy.defaultDueDays * 86_400_000).toISOString(),
    reasons,
    decided: needsApproval ? null : { by: 'policy', note: `Policy: ${input.type} bundles of filtered ledger events (no evidence files, no disclosures) need no approval.` },
    approvalReasons: [...(byType ? ['type'] : []), ...reasons],
  });
}

/**
 * Writes the bundle of an approved bundle request (the requester only) and records its file,
 * SHA-256, events and tree size on the request with an exports.execute event; a failure or
 * cancellation removes nothing but the half-written file (createBundle never leaves one), marks
 * the request failed (not when cancelled) and is ledgered once.
 */
export async function executeBundleRequest(ws: Workspace, op: Op, id: string, making: BundleMaking): Promise<{ request: ExportRequest; bundle: CreatedBundle }> {
  const req = runnableRequest(ws, op, id);
  if (req.format !== 'bundle') {
    throw new CustosError('conflict', `Export request ${id} is a ${req.format.toUpperCase()} export, not a bundle.`, { resourceType: 'export_request', resourceId: id });
  }
  return whileRunning(ws, id, () => runBundle(ws, op.actor, req, making));
}

/**
 * Runs a bundle request. `direct`: the request was made by this very call (bundles.create), so a
 * cancelled run ends it too (nothing approved is left waiting to run); a requested bundle that is
 * cancelled stays approved for its requester to run again.
 */
async function runBundle(ws: Workspace, actor: string, req: ExportRequest, making: BundleMaking, direct = false): Promise<{ request: ExportRequest; bundle: CreatedBundle }> {
  const id = req.id;
  try {
    // The request is marked executed, and ledgered, in the transaction of the bundle's own
    // bundles.written event: a bundle on disk is always a run recorded on its request.
    const bundle = await createBundle(ws, {
      actor,
      filters: req.filters,
      caseId: req.caseId,
      parts: making.parts,
      caseScope: making.caseScope,
      ...(making.signal ? { signal: making.signal } : {}),
      ...(making.progress ? { progress: making.progress } : {}),
      onWritten: (made) => {
        const executedAt = clockNow();
        setExportExecuted(ws.db, id, {
          by: actor,
          at: executedAt.toISOString(),
          outputPath: made.path,
          sha256: made.sha256,
          bytes: made.bytes,
          rows: made.events,
          checkpointSize: made.treeSize,
        });
        ws.ledger.append(
          {
            actor,
            action: 'exports.execute',
            resource_type: 'export_request',
            resource_id: id,
            details: {
              format: 'bundle',
              rows: made.events,
              bytes: made.bytes,
              sha256: made.sha256,
              masking: 'none',
              filters: req.filters,
              through_seq: made.treeSize,
              path: made.fileName,
            },
          },
          executedAt,
        );
      },
    });
    return { request: getExportRequest(ws, id), bundle };
  } catch (err) {
    // createBundle removes its own file when it was not recorded.
    const cancelled = err instanceof CustosError && err.code === 'cancelled';
    const message = err instanceof CustosError ? err.message : 'The bundle could not be written.';
    if (!ws.isOpen) throw err;
    ws.tx(() => {
      if (!cancelled || direct) setExportFailed(ws.db, id, message);
      ws.ledger.append({ actor, action: 'exports.execute', resource_type: 'export_request', resource_id: id, outcome: 'failure', details: { reason: cancelled ? 'cancelled' : message } });
    });
    throw new CustosError(err instanceof CustosError ? err.code : 'failure', message, { resourceType: 'export_request', resourceId: id, ledgered: true });
  }
}

/**
 * bundles.create: a bundle made at once, recorded on Exports as a bundle request decided by policy
 * and run in the same call. Refused (nothing recorded but the refusal) when it would carry evidence
 * files or unmasked personal data and the caller's role is not one bundles.json lets make those
 * directly: that bundle must be requested (bundles.request) and approved by another user.
 */
export async function makeBundleNow(
  ws: Workspace,
  op: Op,
  input: { filters: LedgerFilter; caseId: string | null },
  making: BundleMaking,
): Promise<CreatedBundle & { requestId: string }> {
  const caseId = input.caseId?.trim() || null;
  const filters = cleanFilters(input.filters);
  const reasons = bundleContentReasons({ caseId, filters });
  const policy = bundlePolicy();
  if (reasons.length > 0 && !(op.role && policy.directRoles.includes(op.role))) {
    const what = caseId ? `the evidence files and disclosures of case ${caseId}` : "every disclosure with students' names";
    throw new CustosError(
      'forbidden',
      `This bundle would carry ${what}, so another user must approve it: request it on the Exports screen (Request bundle), then make it once approved.`,
      { reasons },
    );
  }
  // Resolved before anything is recorded: an unknown case changes nothing.
  if (caseId) making.caseScope(ws, caseId);
  const at = opTime(op);
  const request = insertBundleRequest(ws, op, at, {
    title: scopeTitle(caseId, filters),
    type: policy.directType,
    filters,
    caseId,
    purpose: 'Made directly (bundles.create).',
    recipient: 'not stated',
    dueAt: at.toISOString(),
    reasons,
    decided: {
      by: 'policy',
      note:
        reasons.length === 0
          ? 'Policy: a bundle of filtered ledger events (no evidence files, no disclosures) may be made directly.'
          : `Policy: the ${op.role ?? 'caller'} role may make this bundle directly (resources/policies/bundles.json).`,
    },
    approvalReasons: [],
  });
  const { bundle } = await whileRunning(ws, request.id, () => runBundle(ws, op.actor, request, making, true));
  return { ...bundle, requestId: request.id };
}
