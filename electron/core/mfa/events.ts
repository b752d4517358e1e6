import { eventShapes } from '../ledger/details-shape.js';

/**
 * Details of the second-factor and session events (see ledger/details-shape.ts). None carries a
 * secret, a code or a session's bearer token: a session is named by its public id.
 */
export const MFA_EVENTS = eventShapes({
  'mfa.enroll': { replaced_pending: 'data' },
  'mfa.confirm': { backup_codes: 'data' },
  'mfa.disable': { method: 'data' },
  // user: whose second factor an administrator removed (a lost phone).
  'mfa.reset': { user: 'person' },
  'mfa.backupCodeUsed': { remaining: 'data', purpose: 'data' },
  // user: whose grace to enrol begins again at their next sign-in; started_at: when the old one began.
  'mfa.graceRestarted': { user: 'person', started_at: 'data' },
  'mfa.setPolicy': { role: 'data', from: 'data', to: 'data' },
  // user: whose session was ended; host: the desktop window or a loopback client.
  'sessions.revoke': { user: 'person', host: 'data', started_at: 'data' },
});
