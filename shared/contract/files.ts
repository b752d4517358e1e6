import { z } from 'zod';
import { LEDGER_READERS } from '../roles.js';
import { channel } from './define.js';

/**
 * A file Custos wrote to the workspace's exports folder under a name it chose (no channel takes a
 * server path): hand it over with `files.download { path: fileName }`.
 */
export const exportedFileSchema = z.object({
  /** Its name in the workspace's exports folder. */
  fileName: z.string(),
  bytes: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExportedFile = z.infer<typeof exportedFileSchema>;

export const fileChannels = {
  'files.download': channel({
    summary:
      "Hand a file Custos wrote to the workspace's exports folder (an export, a bundle, a report) to the person at the screen: " +
      'hashes it, ledgers the hand-over and answers with a one-time ticket the host redeems as a download.',
    access: LEDGER_READERS,
    mutates: true,
    request: z.object({ path: z.string().trim().min(1).max(4096) }),
    response: z.object({
      ticket: z.string(),
      fileName: z.string(),
      bytes: z.number(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  }),
};
