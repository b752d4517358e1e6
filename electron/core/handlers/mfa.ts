import type { mfaChannels } from '../../../shared/contract/mfa.js';
import { getUser } from '../auth/users.js';
import type { Handlers } from '../dispatch.js';
import { confirm, enroll, mfaStatus, resetMfa, rolePolicies, setRoleRequired } from '../mfa/mfa.js';
import { pageOfSessions } from '../mfa/sessions.js';

type MfaHandlers = Pick<Handlers, keyof typeof mfaChannels>;

export const mfaHandlers: MfaHandlers = {
  'mfa.status': (_req, { ws, user, session }) => mfaStatus(ws, user, session.restricted),
  'mfa.enroll': (_req, { ws, op, user }) => enroll(ws, op, user.username),
  'mfa.confirm': (req, { app, ws, op, user, session }) => {
    confirm(ws, op, user.username, req.otp);
    app.enrolmentDone(user.username);
    return mfaStatus(ws, user, session.restricted);
  },
  'mfa.disable': (req, { app, ws, user, session }) => {
    app.disableMfa(user.username, req.otp);
    return mfaStatus(ws, user, session.restricted);
  },
  'mfa.reset': (req, { ws, op }) => {
    resetMfa(ws, op, req.username);
    return {};
  },
  'mfa.policy': (_req, { ws }) => rolePolicies(ws),
  'mfa.setPolicy': (req, { ws, op }) => setRoleRequired(ws, op, req.role, req.required),
  'sessions.list': (req, { app, ws, session }) =>
    pageOfSessions(app.activeSessions(), req, { own: session.publicId, user: (name) => getUser(ws, name) }),
  'sessions.revoke': (req, { app, user, session }) => {
    app.revokeSession(user.username, req.id, session);
    return {};
  },
};
