/** Outcome of a ledgered action. */
export type Outcome = 'success' | 'denied' | 'failure';

/** One ledger event exactly as it is hashed and exported (DESIGN §4). */
export interface LedgerEvent {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: Outcome;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** A signed tree head. `signature` is base64 Ed25519 over JCS({workspace_id, size, root, ts}). */
export interface Checkpoint {
  workspace_id: string;
  size: number;
  root: string;
  ts: string;
  key_id: string;
  signature: string;
}

/** The kinds of problem a verification can report. */
export type ProblemKind =
  | 'hash-mismatch'
  | 'broken-link'
  | 'gap'
  | 'reordered'
  | 'duplicate'
  | 'truncated-after-checkpoint'
  | 'bad-signature'
  | 'root-mismatch'
  | 'bad-proof'
  | 'file-mismatch'
  | 'malformed';

export interface VerificationProblem {
  seq: number | null;
  kind: ProblemKind;
  message: string;
}

export interface VerificationReport {
  valid: boolean;
  events_checked: number;
  checkpoints_checked: number;
  root: string | null;
  problems: VerificationProblem[];
  summary: string;
}

export const ZERO_HASH = '0'.repeat(64);
