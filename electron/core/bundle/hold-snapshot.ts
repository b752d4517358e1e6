import type { ExportRequest } from '../../../shared/contract/exports.js';
import type { Hold } from '../../../shared/contract/holds.js';
import { opTime, type Op } from '../domain/op.js';
import type { Workspace } from '../workspace.js';
import { requestBundle } from './bundle-requests.js';
import type { CaseEventScope } from './parts.js';

/**
 * The snapshot of a legal hold's scope taken when it is activated (issue 12.7): a signed bundle of
 * the hold's case (its events, evidence files with custody, disclosures), requested through the
 * bundle flow in the activation's own transaction. A case bundle carries evidence and students'
 * names, so bundles.json's two-person rule applies: the request waits for another user with an
 * approver role (the activator's own role does not count, whoever they are), and the activator runs
 * it from Exports once approved, like every bundle request. The bundles.holdSnapshot event links
 * the hold to the request.
 *
 * Approval and the run come later, so the request is cut at the activation: its `throughSeq` filter
 * is the activation's last event, and the bundle then holds the case's events, evidence, custody and
 * disclosures the ledger recorded by then, not what was added while the request waited (cut by seq,
 * not by time: a clock stepped back, or events in the same millisecond, cannot move the cut).
 */
export function requestHoldSnapshot(ws: Workspace, op: Op, hold: Hold, caseScope: CaseEventScope): ExportRequest {
  return ws.tx(() => {
    const request = requestBundle(
      ws,
      op,
      {
        title: `Snapshot of legal hold ${hold.id} (case ${hold.caseId}) at activation`,
        type: 'LEGAL',
        // The activation's transaction has written its events so far: the snapshot ends with them.
        filters: { throughSeq: ws.ledger.head().size },
        caseId: hold.caseId,
        purpose: `Preserve the scope of legal hold ${hold.id} as it stood when the hold was activated.`,
        recipient: 'Legal hold file (internal)',
      },
      caseScope,
    );
    ws.ledger.append(
      { actor: op.actor, action: 'bundles.holdSnapshot', resource_type: 'hold', resource_id: hold.id, details: { case: hold.caseId, request: request.id, status: request.status } },
      opTime(op),
    );
    return request;
  });
}
