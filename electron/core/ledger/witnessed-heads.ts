import type { VerificationProblem, VerificationReport } from '../../../shared/ledger-types.js';
import { consistencyProof, verifyConsistency, type MerkleNodeSource } from './merkle.js';
import { failureText } from '../errors.js';

/*
 * A witness that cosigned a tree head holds the ledger to it: whoever holds the workspace's own key
 * can rewrite events and sign fresh checkpoints over the rewrite, but cannot make today's ledger
 * extend a head someone else signed. For each cosigned head, an RFC 6962 consistency proof is built
 * from the stored Merkle tree (leaf hashes and persisted subtrees) and checked, by the independent
 * verifier, against the root the chain verifier recomputed from the event bytes themselves.
 */

/** A tree head a trusted witness cosigned, as the verifier is given it. */
export interface WitnessedHead {
  cosigner: string;
  size: number;
  /** Root, lower-case hex. */
  root: string;
  /** When the witness cosigned it (RFC 3339 UTC). */
  cosignedAt: string;
}

export type WitnessedResult = NonNullable<VerificationReport['witnessed']>[number];

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * Proves every witnessed head against today's ledger of `size` events whose recomputed root is
 * `root` (hex); adds a `witness-inconsistent` problem, naming the cosigner, for each that fails.
 */
export function checkWitnessedHeads(
  src: MerkleNodeSource,
  size: number,
  root: string,
  heads: readonly WitnessedHead[],
  problems: VerificationProblem[],
): WitnessedResult[] {
  return heads.map((h) => {
    const why = inconsistency(src, size, root, h);
    if (why) {
      problems.push({
        seq: Math.min(h.size, size) || null,
        kind: 'witness-inconsistent',
        message: `Cosigned by ${h.cosigner} at size ${h.size} on ${when(h.cosignedAt)}; today's ledger does not extend it: ${why}.`,
      });
    }
    return { cosigner: h.cosigner, size: h.size, root: h.root, cosigned_at: h.cosignedAt, consistent: why === null };
  });
}

/** Why today's ledger does not extend the head (a phrase), or null when a consistency proof shows it does. */
function inconsistency(src: MerkleNodeSource, size: number, root: string, h: WitnessedHead): string | null {
  if (h.size > size) return `it holds only ${size} events, so events after ${size} were deleted`;
  let proof: Buffer[];
  try {
    proof = consistencyProof(src, h.size, size);
  } catch (err) {
    return `its stored Merkle tree cannot give a consistency proof (${failureText(err)})`;
  }
  const ok = verifyConsistency(h.size, size, Buffer.from(h.root, 'hex'), Buffer.from(root, 'hex'), proof);
  return ok ? null : `no consistency proof from the cosigned root holds, so events up to ${h.size} were rewritten or removed after the witness saw them`;
}
