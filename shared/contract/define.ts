import type { z } from 'zod';
import type { Role } from '../roles.js';

/** Who may call a channel: named roles, or `public` (no session: status, init, login). */
export type Access = readonly Role[] | 'public';

/**
 * How a call runs as a job. `long`: it takes the caller's `jobId`, reports progress and can be
 * cancelled (a cancellation is ledgered). `cancels`: its `jobId` names another call's job, never its own.
 */
export type JobKind = 'long' | 'cancels';

/** The largest request body a host accepts for a channel that declares no `maxBody`. */
export const DEFAULT_MAX_BODY = 1024 * 1024;

export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
  access: Access;
  /** True when a successful call changes state (and so appends a ledger event). */
  mutates: boolean;
  summary: string;
  /** The largest request body, in bytes, a host accepts (default DEFAULT_MAX_BODY); larger ones are refused unread. */
  maxBody?: number;
  /** Set when the request carries a `jobId` (see JobKind); every channel whose request has one declares it. */
  job?: JobKind;
}

/** Declares one channel; the generic keeps request and response types precise. */
export function channel<Req extends z.ZodType, Res extends z.ZodType>(def: ChannelDef<Req, Res>): ChannelDef<Req, Res> {
  return def;
}

/** The body limit of a channel, in bytes. */
export function maxBodyOf(def: Pick<ChannelDef, 'maxBody'>): number {
  return def.maxBody ?? DEFAULT_MAX_BODY;
}
