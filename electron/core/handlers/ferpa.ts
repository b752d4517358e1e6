import type { amendmentChannels } from '../../../shared/contract/amendments.js';
import type { deadlineChannels } from '../../../shared/contract/deadlines.js';
import type { disclosureChannels } from '../../../shared/contract/disclosures.js';
import type { subpoenaChannels } from '../../../shared/contract/subpoenas.js';
import {
  amendmentDetail,
  closeAmendment,
  decideAmendment,
  fileStatement,
  listAmendments,
  receiveAmendment,
  recordHearingOutcome,
  requestHearing,
  scheduleHearing,
  startReview,
} from '../amendments/amendments.js';
import { createAccessRequest, listAccessRequests, resolveAccessRequest } from '../deadlines/access-requests.js';
import { toUtcIso } from '../domain/deadlines.js';
import { deadlinePage } from '../deadlines/deadlines.js';
import { accountingReport } from '../disclosures/accounting-report.js';
// Side effect: FERPA items filed under a case appear on its timeline.
import { accountingFor, getDisclosure, listDisclosures, recordDisclosure } from '../disclosures/disclosures.js';
import type { Handlers } from '../dispatch.js';
import { exportProduction, getProduction, produceSubpoena } from '../subpoenas/production.js';
import {
  allowedSubpoenaActions,
  closeSubpoena,
  endSubpoena,
  exemptNotice,
  getSubpoena,
  listSubpoenas,
  receiveSubpoena,
  scopeSubpoena,
  sendNotice,
  subpoenaProductionRefusal,
  subpoenaRow,
  verifySubpoena,
} from '../subpoenas/subpoenas.js';
import { now as clockNow } from '../clock.js';

type FerpaHandlers = Pick<
  Handlers,
  keyof typeof amendmentChannels | keyof typeof subpoenaChannels | keyof typeof disclosureChannels | keyof typeof deadlineChannels
>;

/** FERPA work (issue 5, items 5–8): amendments, subpoenas, the record of disclosures, access requests, deadlines. */
export const ferpaHandlers: FerpaHandlers = {
  'amendments.list': (req, { ws }) => listAmendments(ws, req),
  'amendments.get': (req, { ws }) => amendmentDetail(ws, req.id),
  'amendments.receive': (req, { ws, op }) => ({ amendment: receiveAmendment(ws, op, req) }),
  'amendments.startReview': (req, { ws, op }) => ({ amendment: startReview(ws, op, req.id, req.note) }),
  'amendments.decide': (req, { ws, op }) => ({ amendment: decideAmendment(ws, op, req) }),
  'amendments.requestHearing': (req, { ws, op }) => ({ amendment: requestHearing(ws, op, req.id, req.requestedAt) }),
  'amendments.scheduleHearing': (req, { ws, op }) => ({ amendment: scheduleHearing(ws, op, req) }),
  'amendments.recordHearingOutcome': (req, { ws, op }) => ({ amendment: recordHearingOutcome(ws, op, req) }),
  'amendments.fileStatement': (req, { ws, op }) => fileStatement(ws, op, req),
  'amendments.close': (req, { ws, op }) => ({ amendment: closeAmendment(ws, op, req.id, req.note) }),

  'subpoenas.list': (req, { ws }) => listSubpoenas(ws, req),
  'subpoenas.get': (req, { ws }) => {
    const row = subpoenaRow(ws, req.id);
    return {
      subpoena: getSubpoena(ws, req.id),
      production: row.production_id ? getProduction(ws, row.production_id) : null,
      allowedActions: allowedSubpoenaActions(ws, row),
      productionRefusal: subpoenaProductionRefusal(ws, row),
    };
  },
  'subpoenas.receive': (req, { ws, op }) => ({ subpoena: receiveSubpoena(ws, op, req) }),
  'subpoenas.verify': (req, { ws, op }) => ({ subpoena: verifySubpoena(ws, op, req.id, req.note, req.counsel) }),
  'subpoenas.sendNotice': (req, { ws, op }) => ({ subpoena: sendNotice(ws, op, req) }),
  'subpoenas.exemptNotice': (req, { ws, op }) => ({ subpoena: exemptNotice(ws, op, req) }),
  'subpoenas.scope': (req, { ws, op }) => ({ subpoena: scopeSubpoena(ws, op, req) }),
  'subpoenas.produce': (req, { ws, progress, op }) =>
    produceSubpoena(ws, op, req, (done, total) => progress('render', done, total)),
  'subpoenas.exportProduction': (req, { ws, op }) => exportProduction(ws, op, req),
  'subpoenas.close': (req, { ws, op }) => ({ subpoena: closeSubpoena(ws, op, req.id, req.note) }),
  'subpoenas.quash': (req, { ws, op }) => ({ subpoena: endSubpoena(ws, op, req.id, 'quashed', req.reason) }),
  'subpoenas.withdraw': (req, { ws, op }) => ({ subpoena: endSubpoena(ws, op, req.id, 'withdrawn', req.reason) }),

  'disclosures.list': (req, { ws }) => listDisclosures(ws, req),
  'disclosures.get': (req, { ws }) => ({ disclosure: getDisclosure(ws, req.id) }),
  'disclosures.record': (req, { ws, op }) => ({ disclosure: recordDisclosure(ws, op, req) }),
  'disclosures.accounting': (req, { ws }) => accountingFor(ws, req.subjectId, req.audience, req.asOf),
  'disclosures.accountingReport': (req, { ws, op }) => accountingReport(ws, op, req),

  'deadlines.list': (req, { ws, user }) => {
    const now = req.asOf ? new Date(toUtcIso(req.asOf)) : clockNow();
    // Only administrators can re-key, so only they are shown when it is due.
    return { asOf: now.toISOString(), ...deadlinePage(ws, now, { ...req, keyRotation: user.role === 'admin' }) };
  },
  'accessRequests.list': (req, { ws }) => listAccessRequests(ws, req),
  'accessRequests.create': (req, { ws, op }) => ({ request: createAccessRequest(ws, op, req) }),
  'accessRequests.fulfill': (req, { ws, op }) => ({
    request: resolveAccessRequest(ws, op, { id: req.id, note: req.note, ...(req.fulfilledAt ? { at: req.fulfilledAt } : {}) }, 'fulfilled'),
  }),
  'accessRequests.withdraw': (req, { ws, op }) => ({ request: resolveAccessRequest(ws, op, { id: req.id, note: req.note }, 'withdrawn') }),
};
