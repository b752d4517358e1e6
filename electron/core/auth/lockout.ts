import { CustosError } from '../errors.js';
import { securityPolicy } from '../policy.js';

/** A failure counter: a keyslot's, or that of a name without a slot. */
export interface FailureCounter {
  failedAttempts: number;
  lockedUntil: string | null;
}

/** Counts one failure; at maxFailedLogins the counter locks for lockoutMinutes. Returns whether it locked now. */
export function countFailure(counter: FailureCounter, now: Date): boolean {
  const policy = securityPolicy();
  counter.failedAttempts += 1;
  if (counter.failedAttempts < policy.maxFailedLogins) return false;
  counter.lockedUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString();
  counter.failedAttempts = 0;
  return true;
}

/** The one answer for a locked-out name, whether or not an account of that name exists. */
export function lockedOutError(lockedUntil: string, extra: Record<string, unknown> = {}): CustosError {
  return new CustosError(
    'rate_limited',
    `This account is locked after ${securityPolicy().maxFailedLogins} failed sign-ins; try again after ${lockedUntil.slice(11, 16)} UTC or use the recovery key.`,
    { lockedUntil, ...extra },
  );
}
