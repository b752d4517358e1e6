import type { consentChannels } from '../../../shared/contract/consents.js';
import type { ferpaPolicyChannels } from '../../../shared/contract/ferpa-policy.js';
import { listConsents, recordConsent, revokeConsent } from '../consents/consents.js';
import type { Handlers } from '../dispatch.js';
import { ferpaPolicy, setFerpaPolicy } from '../ferpa/ferpa-policy.js';

type ConsentHandlers = Pick<Handlers, keyof typeof consentChannels | keyof typeof ferpaPolicyChannels>;

/** Written consents to disclose (issue 12, item 5) and the institution's FERPA settings (item 6). */
export const consentHandlers: ConsentHandlers = {
  'consents.list': (req, { ws }) => listConsents(ws, req),
  'consents.record': (req, { ws, op }) => ({ consent: recordConsent(ws, op, req) }),
  'consents.revoke': (req, { ws, op }) => ({ consent: revokeConsent(ws, op, req) }),
  'ferpa.policy': (_req, { ws }) => ({ policy: ferpaPolicy(ws) }),
  'ferpa.setPolicy': (req, { ws, op }) => ({ policy: setFerpaPolicy(ws, op, req) }),
};
