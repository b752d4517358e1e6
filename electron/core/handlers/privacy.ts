import type { privacyChannels } from '../../../shared/contract/privacy.js';
import { now as clockNow } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import {
  completePrivacyRequest,
  createPrivacyRequest,
  extendPrivacyRequest,
  listPrivacyRequests,
  privacyRequestDetail,
  rejectPrivacyRequest,
} from '../privacy/privacy-requests.js';
import { writeSubjectAudit } from '../privacy/subject-audit.js';

type PrivacyHandlers = Pick<Handlers, keyof typeof privacyChannels>;

export const privacyHandlers: PrivacyHandlers = {
  'privacyRequests.list': (req, { ws }) => listPrivacyRequests(ws, req, clockNow()),
  'privacyRequests.get': (req, { ws }) => privacyRequestDetail(ws, req.id, clockNow()),
  'privacyRequests.create': (req, { ws, op }) => ({ request: createPrivacyRequest(ws, op, req) }),
  'privacyRequests.extend': (req, { ws, op }) => ({ request: extendPrivacyRequest(ws, op, req) }),
  'privacyRequests.complete': (req, { ws, op }) => completePrivacyRequest(ws, op, req),
  'privacyRequests.reject': (req, { ws, op }) => ({ request: rejectPrivacyRequest(ws, op, req) }),
  'privacyRequests.subjectAudit': async (req, { ws, op }) => {
    const { fileName, bytes, sha256, checkpoint, events } = await writeSubjectAudit(ws, op, req.subjectId);
    return { fileName, bytes, sha256, checkpoint, events };
  },
};
