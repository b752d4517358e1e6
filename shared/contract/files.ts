import { z } from 'zod';
import { LEDGER_READERS } from '../roles.js';
import type { ReadClassMap } from '../data-classes.js';
import { channel } from './define.js';

/**
 * A file Custos wrote to the workspace's exports folder under a name it chose (no channel takes a
 * server path): hand it over with `files.download { fileName }`.
 */
export const exportedFileSchema = z.object({
  /** Its name in the workspace's exports folder. */
  fileName: z.string(),
  bytes: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExportedFile = z.infer<typeof exportedFileSchema>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** A signed bundle written to the exports folder: what it holds and the signed tree head it carries. */
export const madeBundleSchema = exportedFileSchema.extend({
  events: z.number(),
  complete: z.boolean(),
  treeSize: z.number(),
  root: hex64,
  keyId: hex64,
  fingerprint: z.string(),
  checkpointTs: z.string(),
});
export type MadeBundleInfo = z.infer<typeof madeBundleSchema>;

/**
 * The name of a file in the workspace's exports folder, as a session names it: a bare name, never a
 * path (no separator, no leading dot, no control character).
 */
export const exportsFileName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\]/.test(name) && ![...name].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f') && !name.startsWith('.'), {
    message: "Name a file in the workspace's exports folder by its name alone, not by a path.",
  });

/** What an input file is for: its purpose decides who may hand it over, its size limit, and which channels take it. */
export const GRANT_PURPOSES = ['evidence', 'bundle'] as const;
export type GrantPurpose = (typeof GRANT_PURPOSES)[number];

/**
 * A one-time token standing for an input file (uploaded by the browser, or chosen in the desktop
 * app's own open dialog): channels take one of these, never a filesystem path.
 */
export const fileGrant = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'The file hand-over token is not valid; choose the file again.');
/** The name to record for a granted file instead of the one it came with. */
export const grantFileName = z.string().trim().min(1).max(255);

export const grantInfoSchema = z.object({ grant: z.string(), fileName: z.string(), bytes: z.number() });

export const fileChannels = {
  'files.download': channel({
    summary:
      "Hand a file Custos wrote to the workspace's exports folder (an export, a bundle, a report) to the person at the screen: " +
      'hashes it, ledgers the hand-over and answers with a one-time ticket the host redeems as a download.',
    access: LEDGER_READERS,
    mutates: true,
    request: z.object({ fileName: exportsFileName }),
    response: z.object({
      ticket: z.string(),
      fileName: z.string(),
      bytes: z.number(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  }),
  'files.pick': channel({
    summary:
      "Desktop app only: show the app's own open dialog and answer with a one-time grant for the file the person chose " +
      '(null when they cancelled). The browser uploads the file to POST /api/upload instead.',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ purpose: z.enum(GRANT_PURPOSES) }),
    response: z.object({ picked: grantInfoSchema.nullable() }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const fileReadClasses: ReadClassMap<typeof fileChannels> = {
  // The name of a file the caller chose themselves in their own dialog.
  'files.pick': {},
};
