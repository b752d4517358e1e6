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

/**
 * Runs `fn`; a CustosError it throws that names no resource is thrown again naming `resource`, so
 * the refusal is recorded under what it was about (e.g. a requirement), not under the channel.
 */
export function about<T>(resource: { resourceType: string; resourceId: string }, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CustosError && err.details?.resourceType === undefined) {
      throw new CustosError(err.code, err.message, { ...err.details, ...resource });
    }
    throw err;
  }
}
