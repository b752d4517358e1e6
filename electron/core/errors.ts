import type { ErrorCode } from '../../shared/result.js';

/** A failure the core expects and can explain; converted to a Result error once, at the dispatch. */
export class CustosError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CustosError';
  }
}

/** True when `err` is a CustosError with the given code. */
export function isCustosError(err: unknown, code?: ErrorCode): err is CustosError {
  return err instanceof CustosError && (code === undefined || err.code === code);
}
