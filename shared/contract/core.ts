import { z } from 'zod';
import { ANY_ROLE, LEDGER_READERS, ROLES } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import { checkpointSchema, ledgerEventSchema, outcomeSchema, verificationReportSchema } from './ledger.js';
import type { ReadClassMap } from '../data-classes.js';
import { otpSchema } from './mfa.js';
import { MAX_COSIGNATURE_FILE } from './witness.js';

// Other contract files take the ledger's shapes from here too.
export { checkpointSchema, ledgerEventSchema, verificationReportSchema };

export const roleSchema = z.enum(ROLES);
const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'A username uses lower-case letters, digits, dot, dash and underscore.');
const passphrase = z.string().min(12, 'A passphrase needs at least 12 characters.').max(1024);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const jobId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/);
/**
 * The body limit of the channels open to callers without a session and of the passphrase change:
 * small requests (a passphrase, a recovery key, names) that fit with every field at its longest.
 */
const CREDENTIALS_BODY = 16 * 1024;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** True for a real calendar day written YYYY-MM-DD (not 2026-02-30). */
function realDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

/**
 * A filter's time bound as a request gives it: a day (YYYY-MM-DD), kept as it is, or an RFC 3339
 * date and time (seconds and fraction optional; no offset means UTC), rewritten as the ledger writes
 * times (UTC with milliseconds) so that comparing the text compares the times ("…T10:00:00+02:00"
 * and "…T08:00Z" are one bound). Anything else is refused, not guessed at.
 */
const timeBound = z
  .string()
  .trim()
  .max(40)
  .transform((s, ctx) => {
    if (s === '' || realDay(s)) return s;
    const m = INSTANT.exec(s);
    const t = m && realDay(m[1]!) ? Date.parse(m[2] ? s : `${s}Z`) : Number.NaN;
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'Give a date (YYYY-MM-DD) or a date and time such as 2026-12-03T10:00:00Z.' });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

/** Ledger filters as they are stored and answered (a stored request keeps the text it was made with). */
export const ledgerFilterSchema = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  resourceType: z.string().max(200).optional(),
  resourceId: z.string().max(200).optional(),
  outcome: outcomeSchema.optional(),
  text: z.string().max(200).optional(),
  /** Events up to this seq only: where a legal hold's snapshot is cut (the activation's last event). */
  throughSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type LedgerFilter = z.infer<typeof ledgerFilterSchema>;

/** Ledger filters as a request gives them: the time bounds checked and written as the ledger writes times. */
export const ledgerFilterInput = ledgerFilterSchema.extend({ from: timeBound.optional(), to: timeBound.optional() });

const workspaceState = z.enum(['uninitialized', 'locked', 'unlocked']);

/** The zone deadlines are counted in (shared/day-count.ts), and whether it is the machine's because the workspace set none. */
const timeZoneAnswer = { timeZone: z.string(), timeZoneFromMachine: z.boolean() };

export const coreChannels = {
  'workspace.status': channel({
    summary: 'Whether the workspace exists and is unlocked; its name and policy.',
    access: 'public',
    mutates: false,
    maxBody: CREDENTIALS_BODY,
    request: z.object({}),
    response: z.object({
      state: workspaceState,
      workspaceId: z.string().nullable(),
      workspaceName: z.string().nullable(),
      idleLockMinutes: z.number(),
    }),
  }),
  'workspace.init': channel({
    summary: 'Create the workspace with its first administrator; returns the recovery key once.',
    access: 'public',
    mutates: true,
    maxBody: CREDENTIALS_BODY,
    request: z.object({
      workspaceName: z.string().trim().min(1).max(120),
      username,
      displayName: z.string().trim().min(1).max(120),
      passphrase,
    }),
    response: z.object({ workspaceId: z.string(), recoveryKey: z.string() }),
  }),
  'workspace.dbKey': channel({
    summary: 'The raw database key, for official SQLCipher tools (administrators only; ledgered).',
    access: ['admin'],
    mutates: true,
    request: z.object({}),
    response: z.object({ key: hex64 }),
  }),
  'workspace.rekey': channel({
    summary: 'Give the database a new random key and every remaining keyslot the new key (administrators only; ledgered).',
    access: ['admin'],
    mutates: true,
    job: 'long',
    request: z.object({ jobId: jobId.optional() }),
    response: z.object({
      generation: z.number().int().positive(),
      rotatedAt: z.string(),
      slotsKept: z.number().int().nonnegative(),
      slotsRemoved: z.number().int().nonnegative(),
      /** A new recovery key, only when the old one could not follow the new key (shown once). */
      recoveryKey: z.string().nullable(),
    }),
  }),
  'session.login': channel({
    summary:
      'Unlock with a username and passphrase and start a session. An account with a second factor answers mfa_required until the request also carries `otp` (a code from the authenticator app or a backup code).',
    access: 'public',
    mutates: true,
    maxBody: CREDENTIALS_BODY,
    request: z.object({ username: z.string().trim().min(1).max(64), passphrase: z.string().min(1).max(1024), otp: otpSchema.optional() }),
    response: z.object({ session: z.string(), user: userSchema }),
  }),
  'session.recover': channel({
    summary: 'Set a new passphrase for a user with the workspace recovery key.',
    access: 'public',
    mutates: true,
    maxBody: CREDENTIALS_BODY,
    request: z.object({ recoveryKey: z.string().trim().min(10).max(200), username, newPassphrase: passphrase }),
    response: z.object({ username: z.string() }),
  }),
  'session.me': channel({
    summary: 'The signed-in user.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({ user: userSchema, idleLockMinutes: z.number(), ...timeZoneAnswer }),
  }),
  'workspace.setTimeZone': channel({
    summary: "Set the time zone deadlines are counted in (an IANA name such as Europe/Berlin); until set, the machine's zone counts.",
    access: ['admin'],
    mutates: true,
    request: z.object({ timeZone: z.string().trim().min(1).max(100) }),
    response: z.object(timeZoneAnswer),
  }),
  'session.logout': channel({
    summary: 'End this session (the workspace stays unlocked for other sessions).',
    access: ANY_ROLE,
    mutates: true,
    request: z.object({}),
    response: z.object({}),
  }),
  'session.lock': channel({
    summary:
      'Lock the workspace (write a checkpoint, close the database, drop the key, end every session); for anyone but an administrator or the last session it ends only their own session.',
    access: ANY_ROLE,
    mutates: true,
    request: z.object({}),
    response: z.object({}),
  }),
  'users.list': channel({
    summary: 'Every user of the workspace.',
    access: ['admin'],
    mutates: false,
    request: listRequest({ sort: ['username', 'display_name', 'role', 'created_at'], defaultSort: 'username', defaultDir: 'asc' }),
    response: listResponse(userSchema),
  }),
  'users.choices': channel({
    summary:
      'The active users to choose from where a person is assigned or named (case assignee, requirement owner, workflow owner): usernames, display names and roles only, for the roles that assign work.',
    access: ['admin', 'compliance_officer', 'legal_counsel'],
    mutates: false,
    request: z.object({}),
    response: z.object({ items: z.array(z.object({ username: z.string(), displayName: z.string(), role: roleSchema })).max(10_000) }),
  }),
  'users.create': channel({
    summary: 'Add a user with a role and an initial passphrase (gives them a keyslot).',
    access: ['admin'],
    mutates: true,
    request: z.object({ username, displayName: z.string().trim().min(1).max(120), role: roleSchema, passphrase }),
    response: z.object({ user: userSchema }),
  }),
  'users.update': channel({
    summary:
      "Change a user's display name or role, or disable or enable them. Disabling deletes their keyslot and re-keys the database; enabling them again needs a new passphrase.",
    access: ['admin'],
    mutates: true,
    job: 'long',
    request: z.object({
      username,
      displayName: z.string().trim().min(1).max(120).optional(),
      role: roleSchema.optional(),
      disabled: z.boolean().optional(),
      /** A new passphrase, when enabling a user whose keyslot was deleted. */
      passphrase: passphrase.optional(),
      jobId: jobId.optional(),
    }),
    response: z.object({
      user: userSchema,
      /** A new recovery key, only when a re-key could not carry the old one over (shown once). */
      recoveryKey: z.string().nullable(),
    }),
  }),
  'users.changePassphrase': channel({
    summary: 'Change your own passphrase (rewrites your keyslot only).',
    access: ANY_ROLE,
    mutates: true,
    maxBody: CREDENTIALS_BODY,
    request: z.object({ currentPassphrase: z.string().min(1).max(1024), newPassphrase: passphrase }),
    response: z.object({}),
  }),
  'ledger.head': channel({
    summary: 'Size and root of the ledger and its latest signed checkpoint.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({
      size: z.number(),
      root: z.string(),
      checkpoint: checkpointSchema.nullable(),
      publicKeyPem: z.string(),
      keyId: z.string(),
      lastVerification: z.object({ at: z.string(), valid: z.boolean(), size: z.number() }).nullable(),
      /** Events 1..prunedThrough were pruned under the audit-log policy (hashes only; not listed). */
      prunedThrough: z.number().optional(),
      /** How far the free-text search index reaches (it catches up in the background; it is not evidence). */
      textIndex: z.object({ indexedThrough: z.number().int().nonnegative(), size: z.number().int().nonnegative() }).optional(),
    }),
  }),
  'ledger.query': channel({
    summary: "A page of ledger events matching the filters (and, with caseId, within that case's scope), newest first, with the total count.",
    access: LEDGER_READERS,
    mutates: false,
    request: ledgerFilterInput.extend({
      /** Only the events of this case, as its timeline, exports and bundles select them. */
      caseId: z.string().trim().min(1).max(200).optional(),
      beforeSeq: z.number().int().positive().optional(),
      offset: z.number().int().nonnegative().max(10_000_000).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      withTotal: z.boolean().default(false),
    }),
    response: z.object({
      events: z.array(ledgerEventSchema),
      total: z.number().nullable(),
      /**
       * With a search text: how far the free-text index reaches (events after it are scanned, so the
       * answer is complete either way, only slower while the index catches up).
       */
      index: z.object({ indexedThrough: z.number().int().nonnegative(), size: z.number().int().nonnegative() }).optional(),
    }),
  }),
  'ledger.event': channel({
    summary: 'One event with its inclusion proof against the latest checkpoint.',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ seq: z.number().int().positive() }),
    response: z.object({
      event: ledgerEventSchema,
      leafHash: z.string(),
      proof: z
        .object({ treeSize: z.number(), root: z.string(), path: z.array(z.string()), verified: z.boolean() })
        .nullable(),
    }),
  }),
  'ledger.facets': channel({
    summary: 'Distinct actors, actions and resource types, for filter suggestions.',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({}),
    response: z.object({ actors: z.array(z.string()), actions: z.array(z.string()), resourceTypes: z.array(z.string()) }),
  }),
  'ledger.stats': channel({
    summary: 'Event counts per day and outcome, and recent denied actions, for the dashboard.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ days: z.number().int().min(1).max(3650).default(30) }),
    response: z.object({
      perDay: z.array(z.object({ day: z.string(), success: z.number(), denied: z.number(), failure: z.number() })),
      recentDenied: z.array(ledgerEventSchema),
    }),
  }),
  'ledger.verify': channel({
    summary:
      'Recompute the whole chain, the Merkle root and every checkpoint signature, and prove that the ledger extends every tree head a witness cosigned ' +
      '(stored ones, and those of cosignature files given here, checked under the witness key each file names).',
    access: LEDGER_READERS,
    mutates: true,
    job: 'long',
    request: z.object({
      jobId: jobId.optional(),
      cosignatures: z.array(z.string().min(1).max(MAX_COSIGNATURE_FILE, 'This file is too large to be a cosignature.')).max(20).optional(),
    }),
    response: verificationReportSchema,
  }),
  'ledger.checkpoint': channel({
    summary: 'Sign the current tree head now.',
    access: ['admin', 'compliance_officer', 'legal_counsel', 'auditor'],
    mutates: true,
    request: z.object({}),
    response: checkpointSchema,
  }),
  'jobs.cancel': channel({
    summary: 'Cancel a long-running job of yours (verify, export, bundle, import).',
    access: ANY_ROLE,
    mutates: false,
    job: 'cancels',
    request: z.object({ jobId }),
    response: z.object({ cancelled: z.boolean() }),
  }),
};

/** At most this many resources are named by one `ledger.appended`; past it, `resources` is null. */
export const LEDGER_APPENDED_MAX_RESOURCES = 100;

export const coreEvents = {
  'job.progress': z.object({ jobId, phase: z.string(), done: z.number(), total: z.number().nullable() }),
  'session.locked': z.object({ reason: z.enum(['manual', 'idle', 'closed']) }),
  /**
   * The ledger grew to `size`; `resources` names what the events since the last notice were about
   * (`null` when there were too many to list: refresh whatever is on screen), so a screen reloads
   * only the lists and items that show one of them.
   */
  'ledger.appended': z.object({
    size: z.number(),
    resources: z.array(z.object({ resource_type: z.string(), resource_id: z.string() })).max(LEDGER_APPENDED_MAX_RESOURCES).nullable(),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const coreReadClasses: ReadClassMap<typeof coreChannels> = {
  'workspace.status': {},
  // The signed-in user's own account.
  'session.me': {},
  'users.list': { personal: ['items.*.displayName'] },
  'users.choices': { personal: ['items.*.displayName'] },
  'ledger.head': {},
  // Details of any event may name a student (records.view) or tell why a call was refused.
  'ledger.query': { student_record: ['events.*.details'], security: ['events.*.details'] },
  'ledger.event': { student_record: ['event.details'], security: ['event.details'] },
  'ledger.facets': {},
  // Counts per day are operational; the denied events themselves are not.
  'ledger.stats': { security: ['recentDenied'] },
  'jobs.cancel': {},
};
