import type { z } from 'zod';
import type {
  checkpointSchema,
  ledgerEventSchema,
  outcomeSchema,
  problemKindSchema,
  prunedPrefixSchema,
  verificationProblemSchema,
  verificationReportSchema,
} from './contract/ledger.js';

// The ledger's types, inferred from the schemas of shared/contract/ledger.ts (their single source).

/** Outcome of a ledgered action. */
export type Outcome = z.infer<typeof outcomeSchema>;

/** One ledger event exactly as it is hashed and exported (DESIGN §4). */
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;

/** A signed tree head. `signature` is base64 Ed25519 over JCS({workspace_id, size, root, ts}). */
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The kinds of problem a verification can report. */
export type ProblemKind = z.infer<typeof problemKindSchema>;

export type VerificationProblem = z.infer<typeof verificationProblemSchema>;

export type VerificationReport = z.infer<typeof verificationReportSchema>;

export type PrunedPrefix = z.infer<typeof prunedPrefixSchema>;

export const ZERO_HASH = '0'.repeat(64);
