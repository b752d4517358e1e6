import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { MfaStatus, RolePolicy } from '../../../shared/contract/mfa.js';
import type { User } from '../../../shared/contract/core.js';
import { ROLES, type Role } from '../../../shared/roles.js';
import { getUser } from '../auth/users.js';
import { CustosError } from '../errors.js';
import { loadPolicy } from '../policy.js';
import { opTime, type Op } from '../domain/op.js';
import type { Workspace } from '../workspace.js';
import {
  activateSecret,
  deleteMfa,
  enrolmentCounts,
  clearGrace,
  graceStartedAt,
  insertBackupCode,
  mfaUserRow,
  putPendingSecret,
  rolePolicyRows,
  setLastStep,
  setRolePolicy,
  startGrace,
  unusedBackupCodes,
  useBackupCode,
} from './mfa-store.js';
import { base32Decode, base32Encode, matchStep, newTotpSecret, otpauthUri } from './totp.js';

/** resources/policies/mfa.json: the TOTP parameters, the backup codes, the shipped per-role default. */
export interface MfaPolicy {
  issuer: string;
  digits: number;
  periodSeconds: number;
  window: number;
  backupCodes: number;
  requiredRoles: Role[];
  enrolmentGraceDays: number;
}

/** The policy; CUSTOS_MFA_GRACE_DAYS shortens the grace for test suites (0: enrol at the first sign-in), as CUSTOS_IDLE_LOCK_MINUTES does the idle lock. */
export function mfaPolicy(): MfaPolicy {
  const base = loadPolicy<MfaPolicy>('mfa');
  const grace = Number(process.env.CUSTOS_MFA_GRACE_DAYS);
  return process.env.CUSTOS_MFA_GRACE_DAYS && Number.isInteger(grace) && grace >= 0 ? { ...base, enrolmentGraceDays: grace } : base;
}

const DAY_MS = 86_400_000;

/**
 * The instant codes are checked at: real time, as the phone computes them. The core clock may be
 * the simulated one of `custos demo`, which would put every code months off.
 */
function codeTime(): Date {
  return new Date();
}
/** Crockford's base32 alphabet (no i, l, o, u): backup codes read aloud or typed from paper survive it. */
const CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_LENGTH = 10;

/** A backup code as typed, reduced to its canonical form (case, spaces, dashes and look-alikes do not matter). */
function normaliseBackupCode(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
}

/**
 * Backup codes carry 50 random bits each, so a salted SHA-256 is enough to keep them unreadable
 * in the database: a slow KDF defends low-entropy secrets, and the ten codes would cost ten KDF
 * runs per sign-in attempt.
 */
function hashBackupCode(salt: Buffer, code: string): Buffer {
  return createHash('sha256').update(salt).update(normaliseBackupCode(code), 'utf8').digest();
}

function newBackupCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Whether the workspace requires a second factor of `role` (the administrator's setting, else the shipped default). */
export function roleRequired(ws: Workspace, role: Role): boolean {
  const row = rolePolicyRows(ws.db).find((r) => r.role === role);
  return row ? row.required === 1 : mfaPolicy().requiredRoles.includes(role);
}

/** The per-role policy with the enrolment count of each role. */
export function rolePolicies(ws: Workspace): { roles: RolePolicy[]; graceDays: number } {
  const rows = new Map(rolePolicyRows(ws.db).map((r) => [r.role, r]));
  const counts = new Map(enrolmentCounts(ws.db).map((c) => [c.role, c]));
  const defaults = mfaPolicy().requiredRoles;
  return {
    roles: ROLES.map((role) => {
      const row = rows.get(role);
      const required = row ? row.required === 1 : defaults.includes(role);
      return {
        role,
        required,
        isDefault: required === defaults.includes(role),
        changedAt: row?.changed_at ?? null,
        changedBy: row?.changed_by ?? null,
        users: counts.get(role)?.users ?? 0,
        enrolled: counts.get(role)?.enrolled ?? 0,
      };
    }),
    graceDays: mfaPolicy().enrolmentGraceDays,
  };
}

/** `mfa.setPolicy`: requires a second factor of a role or stops requiring it; ledgered with the old value. */
export function setRoleRequired(ws: Workspace, op: Op, role: Role, required: boolean): { roles: RolePolicy[]; graceDays: number } {
  return ws.tx(() => {
    const at = opTime(op);
    const from = roleRequired(ws, role);
    setRolePolicy(ws.db, role, required, at.toISOString(), op.actor);
    ws.ledger.append({ actor: op.actor, action: 'mfa.setPolicy', resource_type: 'mfa_policy', resource_id: role, details: { role, from, to: required } }, at);
    return rolePolicies(ws);
  });
}

/** off, pending (enrolled, not confirmed) or on. */
export function mfaState(ws: Workspace, username: string): MfaStatus['state'] {
  const row = mfaUserRow(ws.db, username);
  return !row ? 'off' : row.state === 'active' ? 'on' : 'pending';
}

/** `mfa.status` for a user; `restricted` is the session's own state. */
export function mfaStatus(ws: Workspace, user: User, restricted: boolean): MfaStatus {
  const row = mfaUserRow(ws.db, user.username);
  const required = roleRequired(ws, user.role);
  const state = mfaState(ws, user.username);
  const grace = graceStartedAt(ws.db, user.username);
  return {
    state,
    required,
    confirmedAt: row?.confirmed_at ?? null,
    backupCodesLeft: state === 'on' ? unusedBackupCodes(ws.db, user.username).length : 0,
    graceEndsAt: required && state !== 'on' && grace ? graceEnd(grace) : null,
    restricted,
  };
}

function graceEnd(startedAt: string): string {
  return new Date(new Date(startedAt).getTime() + mfaPolicy().enrolmentGraceDays * DAY_MS).toISOString();
}

/**
 * At sign-in, for a user without a second factor whose role requires one: starts their grace (at
 * the first such sign-in) and answers whether it is over, so the session may only enrol. Call
 * inside the sign-in's transaction.
 */
export function enrolmentDue(ws: Workspace, user: User, at: Date): boolean {
  if (mfaState(ws, user.username) === 'on' || !roleRequired(ws, user.role)) return false;
  startGrace(ws.db, user.username, at.toISOString());
  const started = graceStartedAt(ws.db, user.username) as string;
  return at.toISOString() >= graceEnd(started);
}

/**
 * `mfa.enroll`: a new pending secret and ten backup codes (hashed here, returned once), replacing
 * an unconfirmed enrolment. A second factor that is on must be turned off first, with a code.
 */
export function enroll(ws: Workspace, op: Op, username: string): { secret: string; otpauthUri: string; backupCodes: string[] } {
  const policy = mfaPolicy();
  const secret = base32Encode(newTotpSecret());
  const backupCodes = Array.from({ length: policy.backupCodes }, newBackupCode);
  ws.tx(() => {
    const state = mfaState(ws, username);
    if (state === 'on') throw new CustosError('conflict', 'Your second factor is already on; turn it off with a code first to enrol a new device.');
    const at = opTime(op);
    putPendingSecret(ws.db, username, secret, at.toISOString());
    backupCodes.forEach((code, idx) => {
      const salt = randomBytes(16);
      insertBackupCode(ws.db, username, idx, salt, hashBackupCode(salt, code));
    });
    ws.ledger.append({ actor: op.actor, action: 'mfa.enroll', resource_type: 'user', resource_id: username, details: { replaced_pending: state === 'pending' } }, at);
  });
  const uri = otpauthUri({ issuer: policy.issuer, account: `${username}@${ws.name}`, secret, digits: policy.digits, periodSeconds: policy.periodSeconds });
  return { secret, otpauthUri: uri, backupCodes };
}

/** `mfa.confirm`: a code from the app turns the pending secret on (that code's step counts as used). */
export function confirm(ws: Workspace, op: Op, username: string, otp: string): void {
  ws.tx(() => {
    const row = mfaUserRow(ws.db, username);
    if (!row || row.state !== 'pending') {
      throw new CustosError('conflict', row ? 'Your second factor is already on.' : 'Start the enrolment first: there is no secret to confirm.');
    }
    const at = opTime(op);
    const policy = mfaPolicy();
    const step = matchStep(base32Decode(row.secret), otp.trim(), codeTime(), { window: policy.window, after: null, periodSeconds: policy.periodSeconds });
    if (step === null) {
      throw new CustosError('wrong_credentials', 'That code does not match; check the time on your phone and enter the code the app shows now.');
    }
    activateSecret(ws.db, username, at.toISOString(), step);
    ws.ledger.append(
      { actor: op.actor, action: 'mfa.confirm', resource_type: 'user', resource_id: username, details: { backup_codes: unusedBackupCodes(ws.db, username).length } },
      at,
    );
  });
}

/**
 * Checks a second-factor code of a user whose second factor is on: a TOTP code of a step later than
 * the last one accepted, or an unused backup code. Accepting it uses it up (the step is stored, the
 * backup code marked and ledgered at `at`). Call inside the transaction of the sign-in or change it allows.
 */
export function useSecondFactor(ws: Workspace, username: string, otp: string, at: Date, purpose: string): 'totp' | 'backup-code' | null {
  const row = mfaUserRow(ws.db, username);
  if (!row || row.state !== 'active') return null;
  const code = otp.trim();
  if (/^\d{6}$/.test(code)) {
    const policy = mfaPolicy();
    const step = matchStep(base32Decode(row.secret), code, codeTime(), { window: policy.window, after: row.last_step, periodSeconds: policy.periodSeconds });
    if (step === null) return null;
    setLastStep(ws.db, username, step);
    return 'totp';
  }
  const unused = unusedBackupCodes(ws.db, username);
  // Every unused code is compared, so the time taken does not tell which one matched.
  let match: number | null = null;
  for (const c of unused) if (timingSafeEqual(hashBackupCode(c.salt, code), c.hash) && match === null) match = c.idx;
  if (match === null || !useBackupCode(ws.db, username, match, at.toISOString())) return null;
  ws.ledger.append(
    { actor: username, action: 'mfa.backupCodeUsed', resource_type: 'user', resource_id: username, details: { remaining: unused.length - 1, purpose } },
    at,
  );
  return 'backup-code';
}

/** Turns the user's own second factor off after `useSecondFactor` accepted a code; ledgered. Call inside that transaction. */
export function disableOwn(ws: Workspace, username: string, method: 'totp' | 'backup-code', at: Date): void {
  deleteMfa(ws.db, username);
  ws.ledger.append({ actor: username, action: 'mfa.disable', resource_type: 'user', resource_id: username, details: { method } }, at);
}

/** `mfa.reset`: an administrator removes a user's second factor (a lost phone); ledgered. */
export function resetMfa(ws: Workspace, op: Op, username: string): void {
  ws.tx(() => {
    getUser(ws, username);
    // Resetting takes no code: one's own second factor is turned off with a code (mfa.disable), so a
    // stolen administrator session cannot drop it.
    if (username === op.actor) throw new CustosError('forbidden', 'You cannot reset your own second factor; turn it off with a code in Settings › Security, or ask another administrator.');
    if (mfaState(ws, username) === 'off') throw new CustosError('conflict', `${username} has no second factor to reset.`);
    deleteMfa(ws.db, username);
    ws.ledger.append({ actor: op.actor, action: 'mfa.reset', resource_type: 'user', resource_id: username, details: { user: username } }, opTime(op));
  });
}

/**
 * Gives a user a new grace to enrol, counted from their next sign-in (ledgered, `mfa.graceRestarted`).
 * `custos demo` does this for the administrator it signed in at the start of the history it makes
 * up, so the workspace it hands over is not locked to enrolment by a sign-in dated months ago.
 */
export function restartGrace(ws: Workspace, op: Op, username: string): void {
  ws.tx(() => {
    getUser(ws, username);
    const was = graceStartedAt(ws.db, username) ?? null;
    if (!clearGrace(ws.db, username)) return;
    ws.ledger.append({ actor: op.actor, action: 'mfa.graceRestarted', resource_type: 'user', resource_id: username, details: { user: username, started_at: was } }, opTime(op));
  });
}
