import { z } from 'zod';
import { pageRequest, searchText } from './paging.js';

type SortNames = readonly [string, ...string[]];

/** Requests and responses built here, so a test can tell that every `*.list` channel uses them. */
const listRequests = new WeakSet<z.ZodType>();
const listResponses = new WeakSet<z.ZodType>();

/**
 * The request of every `*.list` channel: a search box, the list's own filters, a sort from the
 * list's whitelist (the core maps it to a column; a caller's string never reaches SQL), a direction,
 * and the page (offset/limit of `pageRequest`).
 */
export function listRequest<const S extends SortNames, F extends z.ZodRawShape = Record<never, never>>(opts: {
  sort: S;
  defaultSort: S[number];
  defaultDir: 'asc' | 'desc';
  filters?: F;
}) {
  const schema = z.object({
    search: searchText.optional(),
    ...(opts.filters ?? ({} as F)),
    sort: z.enum(opts.sort as unknown as readonly [S[number], ...S[number][]]).default(opts.defaultSort as never),
    dir: z.enum(['asc', 'desc']).default(opts.defaultDir),
    ...pageRequest,
  });
  listRequests.add(schema);
  return schema;
}

/** The response of every `*.list` channel: one page of items and the total that match (for a virtualized table). */
export function listResponse<I extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(item: I, extra?: E) {
  const schema = z.object({ items: z.array(item), total: z.number().int().nonnegative(), ...(extra ?? ({} as E)) });
  listResponses.add(schema);
  return schema;
}

/** True for a schema made by listRequest. */
export function isListRequest(schema: z.ZodType): boolean {
  return listRequests.has(schema);
}

/** True for a schema made by listResponse. */
export function isListResponse(schema: z.ZodType): boolean {
  return listResponses.has(schema);
}
