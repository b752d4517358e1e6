import { z } from 'zod';
import type { ReadClassMap } from '../data-classes.js';
import { ANY_ROLE, ROLES } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';

const roleSchema = z.enum(ROLES);
/** A code from the authenticator app (6 digits) or a backup code (letters and digits, dashes allowed). */
export const otpSchema = z
  .string()
  .trim()
  .min(6)
  .max(32)
  .regex(/^[A-Za-z0-9 -]+$/, 'A code is the 6 digits your authenticator app shows, or one of your backup codes.');
/** The 6-digit code of the authenticator app, nothing else (confirming an enrolment proves the app works). */
const appCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code your authenticator app shows.');
/** Small requests: a code, a name, a role. */
const SMALL_BODY = 4 * 1024;

export const mfaStatusSchema = z.object({
  /** off: no second factor; pending: enrolled but not confirmed with a code yet; on: every sign-in needs a code. */
  state: z.enum(['off', 'pending', 'on']),
  /** Whether the workspace's policy requires a second factor of this user's role. */
  required: z.boolean(),
  confirmedAt: z.string().nullable(),
  backupCodesLeft: z.number().int().nonnegative(),
  /** For a user of a required role without a second factor: when their grace to enrol ends. */
  graceEndsAt: z.string().nullable(),
  /** True when this session may do nothing but enrol (the grace has ended). */
  restricted: z.boolean(),
});
export type MfaStatus = z.infer<typeof mfaStatusSchema>;

export const rolePolicySchema = z.object({
  role: roleSchema,
  required: z.boolean(),
  /** True while the role follows the shipped default (resources/policies/mfa.json). */
  isDefault: z.boolean(),
  changedAt: z.string().nullable(),
  changedBy: z.string().nullable(),
  /** Enabled users of the role, and how many of them have a second factor on. */
  users: z.number().int().nonnegative(),
  enrolled: z.number().int().nonnegative(),
});
export type RolePolicy = z.infer<typeof rolePolicySchema>;

const policySchema = z.object({ roles: z.array(rolePolicySchema), graceDays: z.number().int().nonnegative() });

export const sessionInfoSchema = z.object({
  /** A public name of the session (a hash of it): never the bearer token itself. */
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  /** Where the session was opened: the desktop window, a loopback client (browser or script) or the command line. */
  host: z.string(),
  startedAt: z.string(),
  lastSeenAt: z.string(),
  /** The caller's own session. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const mfaChannels = {
  'mfa.status': channel({
    summary: 'Your second factor: off, pending or on; whether your role requires it; backup codes left.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: mfaStatusSchema,
  }),
  'mfa.enroll': channel({
    summary: 'Start (or restart) enrolling a TOTP second factor: a new secret, its otpauth:// URI and ten single-use backup codes, shown once.',
    access: ANY_ROLE,
    mutates: true,
    maxBody: SMALL_BODY,
    request: z.object({}),
    response: z.object({ secret: z.string(), otpauthUri: z.string(), backupCodes: z.array(z.string()) }),
  }),
  'mfa.confirm': channel({
    summary: 'Turn the enrolled second factor on with a code from the authenticator app.',
    access: ANY_ROLE,
    mutates: true,
    maxBody: SMALL_BODY,
    request: z.object({ otp: appCode }),
    response: mfaStatusSchema,
  }),
  'mfa.disable': channel({
    summary: 'Turn your second factor off, proving it with a current code or a backup code (wrong codes count towards the sign-in lockout).',
    access: ANY_ROLE,
    mutates: true,
    maxBody: SMALL_BODY,
    request: z.object({ otp: otpSchema }),
    response: mfaStatusSchema,
  }),
  'mfa.reset': channel({
    summary: "Remove a user's second factor (a lost phone); they enrol again at their next sign-in if their role requires it.",
    access: ['admin'],
    mutates: true,
    maxBody: SMALL_BODY,
    request: z.object({ username: z.string().trim().min(1).max(64) }),
    response: z.object({}),
  }),
  'mfa.policy': channel({
    summary: 'Which roles require a second factor, with how many of their users have one.',
    access: ['admin'],
    mutates: false,
    request: z.object({}),
    response: policySchema,
  }),
  'mfa.setPolicy': channel({
    summary: 'Require a second factor of a role, or stop requiring it.',
    access: ['admin'],
    mutates: true,
    maxBody: SMALL_BODY,
    request: z.object({ role: roleSchema, required: z.boolean() }),
    response: policySchema,
  }),
  'sessions.list': channel({
    summary: 'The active sessions: who, from where, since when, last seen.',
    access: ['admin'],
    mutates: false,
    request: listRequest({ sort: ['started_at', 'last_seen_at', 'username'], defaultSort: 'last_seen_at', defaultDir: 'desc' }),
    response: listResponse(sessionInfoSchema),
  }),
  'sessions.revoke': channel({
    summary: "End someone's session now; its next call answers that the session has ended.",
    access: ['admin'],
    mutates: true,
    maxBody: SMALL_BODY,
    request: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }),
    response: z.object({}),
  }),
};

/**
 * What a session whose enrolment is overdue may still call: see where it stands, enrol, and leave.
 * Everything else answers `mfa_enrolment_required` until the second factor is on.
 */
export const ENROLMENT_CHANNELS: readonly string[] = ['mfa.status', 'mfa.enroll', 'mfa.confirm', 'session.me', 'session.logout', 'session.lock', 'jobs.cancel'];

export const mfaReadClasses: ReadClassMap<typeof mfaChannels> = {
  'mfa.status': {},
  'mfa.policy': {},
  // Who is signed in: staff names (the list is the administrator's alone, like users.list).
  'sessions.list': { personal: ['items.*.displayName'] },
};
