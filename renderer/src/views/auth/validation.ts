import { MIN_PASSPHRASE } from '../../lib/passphrase-strength.js';

/** The same rules the contract enforces, checked early so people see them next to the field. */
export function usernameProblem(v: string): string | null {
  const t = v.trim();
  if (!t) return 'Enter a username.';
  if (t.length < 2) return 'A username needs at least 2 characters.';
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(t)) return 'A username uses lower-case letters, digits, dot, dash and underscore.';
  return null;
}

export function passphraseProblem(v: string): string | null {
  if (v.length < MIN_PASSPHRASE) return `A passphrase needs at least ${MIN_PASSPHRASE} characters.`;
  return null;
}

export function confirmProblem(v: string, confirm: string): string | null {
  return v === confirm ? null : 'The two passphrases are not the same.';
}

export function requiredProblem(v: string, what: string): string | null {
  return v.trim() ? null : `Enter ${what}.`;
}
