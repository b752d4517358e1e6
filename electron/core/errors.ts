import { constants as osConstants } from 'node:os';
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

/** What an operating-system error code means, in words that name no file. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'the operating system refused access to a file or folder',
  EPERM: 'the operating system refused access to a file or folder',
  EROFS: 'the file system is read-only',
  EIO: 'the disk reported an input/output error',
  ENOENT: 'a file or folder it needed does not exist',
  EEXIST: 'a file of that name already exists',
  EISDIR: 'a folder stands where a file was expected',
  ENOTDIR: 'a file stands where a folder was expected',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  ENAMETOOLONG: 'a file name is too long',
  EBUSY: 'a file is in use',
};

/**
 * The words an answer or a ledger event may carry about a failure: the core's own sentence for a
 * CustosError; for an operating-system or database error only what kind it was (its message names
 * server paths, SQL or stored values); for anything else, that it was an internal error. Every
 * failure the core records or answers with goes through here (errors.test.ts tries the kinds, and a
 * scan of the core refuses raw `err.message` anywhere else).
 */
export function failureText(err: unknown): string {
  if (err instanceof CustosError) return err.message;
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string') {
    if (/^SQLITE_[A-Z0-9_]{1,40}$/.test(code)) return `the database reported ${code}`;
    // Only the operating system's own error codes: Node's ERR_* and zlib's Z_* are internal errors here.
    if (Object.hasOwn(osConstants.errno, code)) return SYSTEM_ERRORS[code] ?? `the operating system reported ${code}`;
  }
  return 'an internal error';
}

/** One sentence about a failure: the core's own for a CustosError, else `what` and the kind of failure ("The export was not written: the disk is full."). */
export function failureSentence(what: string, err: unknown): string {
  return err instanceof CustosError ? err.message : `${what}: ${failureText(err)}.`;
}
