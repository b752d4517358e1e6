import type { z } from 'zod';
import type { Role } from '../roles.js';

/** Who may call a channel: named roles, or `public` (no session: status, init, login). */
export type Access = readonly Role[] | 'public';

export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
  access: Access;
  /** True when a successful call changes state (and so appends a ledger event). */
  mutates: boolean;
  summary: string;
}

/** Declares one channel; the generic keeps request and response types precise. */
export function channel<Req extends z.ZodType, Res extends z.ZodType>(def: ChannelDef<Req, Res>): ChannelDef<Req, Res> {
  return def;
}
