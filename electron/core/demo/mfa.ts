import { base32Decode, totp } from '../mfa/totp.js';
import { confirm, enroll, mfaState, restartGrace } from '../mfa/mfa.js';
import type { Workspace } from '../workspace.js';

/** The demo user who has a second factor (legal counsel: not required by the shipped policy, turned on by choice). */
export const DEMO_MFA_USER = 'david.okafor';

/**
 * `custos demo`, once its history is written: the administrator's grace to enrol starts again at
 * their first real sign-in (the demo signed them in at the start of a made-up history), and
 * {@link DEMO_MFA_USER} enrols a second factor, whose secret the command prints so a sign-in with
 * a code can be tried. Returns the secret, or null when that user already had one.
 */
export function seedMfaDemo(ws: Workspace, admin: string): { username: string; secret: string; otpauthUri: string } | null {
  restartGrace(ws, { actor: admin }, admin);
  if (mfaState(ws, DEMO_MFA_USER) === 'on') return null;
  const op = { actor: DEMO_MFA_USER };
  const { secret, otpauthUri } = enroll(ws, op, DEMO_MFA_USER);
  // The code an authenticator app would show now (TOTP codes follow real time, not the demo's clock).
  confirm(ws, op, DEMO_MFA_USER, totp(base32Decode(secret), new Date()));
  return { username: DEMO_MFA_USER, secret, otpauthUri };
}
