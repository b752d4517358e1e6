/** Stable error codes that cross the process boundary (STYLE: results, not exceptions). */
export const ERROR_CODES = [
  'validation',
  /** No session, or it has ended: sign in (again). Never a wrong secret: that is `wrong_credentials`. */
  'unauthenticated',
  /** The secret typed was not correct (passphrase, current passphrase, recovery key); the session, if any, lives on. */
  'wrong_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  'held',
  'integrity',
  'cancelled',
  'failure',
  'rate_limited',
  'unavailable',
  /** A person must confirm something first (the key fingerprint of a bundle's unknown workspace); details say what. */
  'confirmation_required',
  /** The passphrase was right; this account also needs a code from its authenticator app (or a backup code). */
  'mfa_required',
  /** This account's role requires a second factor and its grace has ended: the session may only enrol. */
  'mfa_enrolment_required',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ResultError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ResultError };
