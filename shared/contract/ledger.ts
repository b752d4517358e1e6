import { z } from 'zod';

// The shapes of the ledger (DESIGN §4), once: the contract's channels answer with these schemas, and
// shared/ledger-types.ts names their types for the core, the CLI and the renderer.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const OUTCOMES = ['success', 'denied', 'failure'] as const;
/** Outcome of a ledgered action. */
export const outcomeSchema = z.enum(OUTCOMES);

/** One ledger event exactly as it is hashed and exported. */
export const ledgerEventSchema = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string(),
  outcome: outcomeSchema,
  details: z.record(z.string(), z.unknown()),
  prev_hash: hex64,
  hash: hex64,
});

/** A signed tree head. `signature` is base64 Ed25519 over JCS({workspace_id, size, root, ts}). */
export const checkpointSchema = z.object({
  workspace_id: z.string(),
  size: z.number().int().nonnegative(),
  root: hex64,
  ts: z.string(),
  key_id: hex64,
  signature: z.string(),
});

/** The kinds of problem a verification can report. */
export const PROBLEM_KINDS = [
  'hash-mismatch',
  'broken-link',
  'gap',
  'reordered',
  'duplicate',
  'truncated-after-checkpoint',
  'bad-signature',
  'root-mismatch',
  'bad-proof',
  'file-mismatch',
  'malformed',
  'witness-inconsistent',
] as const;
export const problemKindSchema = z.enum(PROBLEM_KINDS);

export const verificationProblemSchema = z.object({
  seq: z.number().nullable(),
  kind: problemKindSchema,
  message: z.string(),
});

/** A prefix of the ledger pruned under the audit-log policy: events 1..through_seq kept as hashes only. */
export const prunedPrefixSchema = z.object({
  through_seq: z.number(),
  pruned_at: z.string(),
  /** ISO 8601 period of the audit-log policy in force when it was pruned. */
  policy: z.string(),
  checkpoint_root: z.string(),
  /** "events 1–N pruned on DATE under policy P". */
  description: z.string(),
});

export const verificationReportSchema = z.object({
  valid: z.boolean(),
  events_checked: z.number(),
  checkpoints_checked: z.number(),
  root: z.string().nullable(),
  problems: z.array(verificationProblemSchema),
  summary: z.string(),
  /** Tree heads that witnesses cosigned, each proven (RFC 6962 consistency proof) to be extended by today's ledger or not. */
  witnessed: z
    .array(z.object({ cosigner: z.string(), size: z.number(), root: z.string(), cosigned_at: z.string(), consistent: z.boolean() }))
    .optional(),
  /** Present when the ledger (or bundle) starts with a pruned prefix: not a gap, not an error. */
  pruned: prunedPrefixSchema.optional(),
});
