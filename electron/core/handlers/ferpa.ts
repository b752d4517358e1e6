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
  'amendments.receive': (req, { ws, user }) => ({ amendment: receiveAmendment(ws, user.username, req) }),
  'amendments.startReview': (req, { ws, user }) => ({ amendment: startReview(ws, user.username, req.id, req.note) }),
  'amendments.decide': (req, { ws, user }) => ({ amendment: decideAmendment(ws, user.username, req) }),
  'amendments.requestHearing': (req, { ws, user }) => ({ amendment: requestHearing(ws, user.username, req.id, req.requestedAt) }),
  'amendments.scheduleHearing': (req, { ws, user }) => ({ amendment: scheduleHearing(ws, user.username, req) }),
  'amendments.recordHearingOutcome': (req, { ws, user }) => ({ amendment: recordHearingOutcome(ws, user.username, req) }),
  'amendments.fileStatement': (req, { ws, user }) => fileStatement(ws, user.username, req),
  'amendments.close': (req, { ws, user }) => ({ amendment: closeAmendment(ws, user.username, req.id, req.note) }),

  'subpoenas.list': (req, { ws }) => listSubpoenas(ws, req),
  'subpoenas.get': (req, { ws }) => {
    const row = subpoenaRow(ws, req.id);
    return {
      subpoena: getSubpoena(ws, req.id),
      production: row.production_id ? getProduction(ws, row.production_id) : null,
      allowedActions: allowedSubpoenaActions(row),
    };
  },
  'subpoenas.receive': (req, { ws, user }) => ({ subpoena: receiveSubpoena(ws, user.username, req) }),
  'subpoenas.verify': (req, { ws, user }) => ({ subpoena: verifySubpoena(ws, user.username, req.id, req.note) }),
  'subpoenas.sendNotice': (req, { ws, user }) => ({ subpoena: sendNotice(ws, user.username, req) }),
  'subpoenas.exemptNotice': (req, { ws, user }) => ({ subpoena: exemptNotice(ws, user.username, req) }),
  'subpoenas.scope': (req, { ws, user }) => ({ subpoena: scopeSubpoena(ws, user.username, req) }),
  'subpoenas.produce': (req, { ws, user, progress }) =>
    produceSubpoena(ws, user.username, req, clockNow(), (done, total) => progress('render', done, total)),
  'subpoenas.exportProduction': (req, { ws, user }) => exportProduction(ws, user.username, req),
  'subpoenas.close': (req, { ws, user }) => ({ subpoena: closeSubpoena(ws, user.username, req.id, req.note) }),
  'subpoenas.quash': (req, { ws, user }) => ({ subpoena: endSubpoena(ws, user.username, req.id, 'quashed', req.reason) }),
  'subpoenas.withdraw': (req, { ws, user }) => ({ subpoena: endSubpoena(ws, user.username, req.id, 'withdrawn', req.reason) }),

  'disclosures.list': (req, { ws }) => listDisclosures(ws, req),
  'disclosures.get': (req, { ws }) => ({ disclosure: getDisclosure(ws, req.id) }),
  'disclosures.record': (req, { ws, user }) => ({ disclosure: recordDisclosure(ws, user.username, req) }),
  'disclosures.accounting': (req, { ws }) => accountingFor(ws, req.subjectId, req.audience, req.asOf),
  'disclosures.accountingReport': (req, { ws, user }) => accountingReport(ws, user.username, req),

  'deadlines.list': (req, { ws, user }) => {
    const now = req.asOf ? new Date(toUtcIso(req.asOf)) : clockNow();
    // Only administrators can re-key, so only they are shown when it is due.
    return { asOf: now.toISOString(), ...deadlinePage(ws, now, { ...req, keyRotation: user.role === 'admin' }) };
  },
  'accessRequests.list': (req, { ws }) => listAccessRequests(ws, req),
  'accessRequests.create': (req, { ws, user }) => ({ request: createAccessRequest(ws, user.username, req) }),
  'accessRequests.fulfill': (req, { ws, user }) => ({
    request: resolveAccessRequest(ws, user.username, { id: req.id, note: req.note, ...(req.fulfilledAt ? { at: req.fulfilledAt } : {}) }, 'fulfilled'),
  }),
  'accessRequests.withdraw': (req, { ws, user }) => ({ request: resolveAccessRequest(ws, user.username, { id: req.id, note: req.note }, 'withdrawn') }),
};
