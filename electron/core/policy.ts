import { readFileSync } from 'node:fs';
import { resourcePath } from './paths.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export interface SecurityPolicy {
  maxFailedLogins: number;
  lockoutMinutes: number;
  idleLockMinutes: number;
  scrypt: ScryptParams;
  recoveryKeyBytes: number;
  /** The database key is re-keyed at least this often (seed 002: quarterly); the due date is a deadline. */
  keyRotationDays: number;
}

const cache = new Map<string, unknown>();

/** Reads a JSON policy file from resources/policies (cached; policies are data, not code). */
export function loadPolicy<T>(name: string): T {
  let value = cache.get(name);
  if (value === undefined) {
    value = JSON.parse(readFileSync(resourcePath('policies', `${name}.json`), 'utf8'));
    cache.set(name, value);
  }
  return value as T;
}

/**
 * The security policy. CUSTOS_SCRYPT_N lowers the KDF cost for test suites only; the cost used is
 * recorded in every keyslot, so a slot made with it stays openable and visibly weaker.
 */
export function securityPolicy(): SecurityPolicy {
  const base = loadPolicy<SecurityPolicy>('security');
  const n = Number(process.env.CUSTOS_SCRYPT_N);
  const idle = Number(process.env.CUSTOS_IDLE_LOCK_MINUTES);
  return {
    ...base,
    scrypt: Number.isInteger(n) && n >= 1024 ? { ...base.scrypt, N: n } : base.scrypt,
    idleLockMinutes: Number.isFinite(idle) && idle > 0 ? idle : base.idleLockMinutes,
  };
}
