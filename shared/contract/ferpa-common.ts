import { z } from 'zod';

/**
 * Pieces shared by the FERPA channels (amendments, subpoenas, disclosures, access requests, deadlines).
 * Dates cross the boundary as strings: a calendar date (2026-03-01, read as midnight UTC) or an
 * RFC 3339 instant; the core stores every instant as UTC RFC 3339.
 */
export const dateInput = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'Give a date as YYYY-MM-DD or a full RFC 3339 time.',
});

export const entityId = z.string().trim().min(1).max(100);
export const shortText = z.string().trim().min(1).max(300);
export const longText = z.string().trim().min(1).max(20_000);

/** Who disclosed or received what, as the lists show it (ids plus the names a person recognises). */
export const recordRefSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
});
export type RecordRef = z.infer<typeof recordRefSchema>;
