import type { holdsChannels } from '../../../shared/contract/holds.js';
import type { Handlers } from '../dispatch.js';
import { activeHoldsFor } from '../holds/active-holds.js';
import { acknowledge, addCustodian, dueAcrossHolds, escalate, issueNotices, listCustodians, sendReminders } from '../holds/custodians.js';
import { heldItems } from '../holds/held-items.js';
import { holdRow } from '../holds/hold-rows.js';
import { activateHold, createHold, getHold, listHolds, releaseHold, updateHold } from '../holds/holds.js';
import { listNotices } from '../holds/notices.js';
import { holdPolicy } from '../holds/hold-policy.js';
import { requestHoldSnapshot } from '../bundle/hold-snapshot.js';
import { caseScope } from '../cases/case-scope.js';

type HoldHandlers = Pick<Handlers, keyof typeof holdsChannels>;

export const holdHandlers: HoldHandlers = {
  'holds.create': (req, { ws, op }) => ({ hold: createHold(ws, op, req) }),
  'holds.update': (req, { ws, op }) => ({ hold: updateHold(ws, op, req) }),
  'holds.activate': (req, { ws, op, app }) =>
    // The snapshot's bundle request is made in the activation's transaction: both happen, or neither.
    ws.tx(() => {
      const hold = activateHold(ws, op, req.id);
      const snapshot = (req.snapshot ?? holdPolicy().snapshotOnActivate)
        ? requestHoldSnapshot(ws, op, hold, (w, caseId) => caseScope(w, caseId, app.wiring.caseResources))
        : null;
      return { hold, snapshotRequestId: snapshot?.id ?? null };
    }),
  'holds.addCustodian': (req, { ws, op }) => ({ custodian: addCustodian(ws, op, req.id, req.custodian) }),
  'holds.issueNotices': (req, { ws, op }) => ({ notices: issueNotices(ws, op, req.id, req.custodianIds) }),
  'holds.acknowledge': (req, { ws, op }) => ({ custodian: acknowledge(ws, op, req.id, req.custodianId, req.method) }),
  'holds.sendReminders': (req, { ws, op }) => ({ notices: sendReminders(ws, op, req.id, req.custodianIds) }),
  'holds.escalate': (req, { ws, op }) => ({ notices: escalate(ws, op, req.id, req.custodianIds) }),
  'holds.release': (req, { ws, op }) => releaseHold(ws, op, req.id, req.reason),
  'holds.list': (req, { ws }) => listHolds(ws, req),
  'holds.get': (req, { ws }) => {
    const row = holdRow(ws, req.id);
    const items = heldItems(ws, req.id);
    return {
      hold: getHold(ws, req.id),
      custodians: listCustodians(ws, row),
      notices: listNotices(ws, req.id),
      heldCounts: { evidence: items.evidence.length, records: items.records.length },
    };
  },
  'holds.heldItems': (req, { ws }) => heldItems(ws, req.id, req.limit),
  'holds.due': (req, { ws }) => ({ items: dueAcrossHolds(ws, req.withinDays) }),
  'holds.check': (req, { ws }) => ({ holds: activeHoldsFor(ws, req.resourceType, req.id) }),
};
