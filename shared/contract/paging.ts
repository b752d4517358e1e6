import { z } from 'zod';

/** Offset/limit paging for virtualized tables: the answer carries `total` so the table knows its height. */
export const pageRequest = {
  offset: z.number().int().nonnegative().max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
};

export const sortDir = z.enum(['asc', 'desc']).default('desc');

/** A calendar date (YYYY-MM-DD, validated as a real date). */
export const isoDate = z.iso.date();

/** A timestamp with offset; stored normalised to UTC. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** A search box's text. */
export const searchText = z.string().trim().max(200);
