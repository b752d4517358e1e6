import { fieldProblem } from '../../../../shared/field-check.js';

/**
 * The contract's own rules (shared/field-check.ts), checked early so people see them next to the
 * field. A username and a passphrase follow users.create, which workspace.init and session.recover share.
 */
export function usernameProblem(v: string): string | null {
  return fieldProblem('users.create', 'username', v, 'a username');
}

export function passphraseProblem(v: string): string | null {
  return fieldProblem('users.create', 'passphrase', v, 'a passphrase');
}

export function confirmProblem(v: string, confirm: string): string | null {
  return v === confirm ? null : 'The two passphrases are not the same.';
}

export function requiredProblem(v: string, what: string): string | null {
  return v.trim() ? null : `Enter ${what}.`;
}
