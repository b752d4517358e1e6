import { z } from 'zod';
import type { CanonicalParts } from '../ledger/event-bytes.js';

// The bundle format of DESIGN §5. Everything a verifier needs to know about the layout lives here,
// so the writer and the reader cannot drift apart.

export const BUNDLE_FORMAT = 'custos-bundle/1';
export const PROOFS_FORMAT = 'custos-proofs/1';
export const CONSISTENCY_FORMAT = 'custos-consistency/1';

/** Entry names with a fixed meaning. Contributed parts may use any other safe path. */
export const ENTRY = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  publicKey: 'public-key.pem',
  /** The tree head as a C2SP tlog-checkpoint signed note. */
  checkpointNote: 'checkpoint.note',
  /** The note verifier key string of the workspace key, one line. */
  verifierKey: 'checkpoint.vkey',
  verify: 'VERIFY.txt',
  events: 'events.ndjson',
  proofs: 'proofs.json',
  consistency: 'consistency.json',
} as const;

export const RESERVED_ENTRIES: ReadonlySet<string> = new Set(Object.values(ENTRY));

/** Largest single line (one event or one proof) a reader accepts. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
export const MAX_CONSISTENCY_BYTES = 64 * 1024 * 1024;
export const MAX_PUBLIC_KEY_BYTES = 16 * 1024;
export const ED25519_SIGNATURE_BYTES = 64;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const manifestFileSchema = z.object({
  path: z.string().min(1).max(1000),
  sha256: hex64,
  bytes: count,
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** manifest.json. Unknown extra keys are allowed (and signed) so later versions can add to it. */
export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  workspace: z.object({ id: z.string().min(1).max(200), name: z.string().max(500) }),
  created_at: z.string().max(64),
  created_by: z.string().max(200),
  scope: z.object({
    /** True when the bundle holds every event of the tree head (seq 1..size), so no proofs are needed. */
    complete: z.boolean(),
    case: z.string().max(200).nullable(),
    filters: z.record(z.string(), z.unknown()),
  }),
  events: z.object({
    count,
    first_seq: count.nullable(),
    last_seq: count.nullable(),
  }),
  tree_head: z.object({ size: count, root: hex64 }),
  /** The signed checkpoint of the tree head: Ed25519 over JCS({workspace_id, size, root, ts}). */
  checkpoint: z.object({ ts: z.string().max(64), key_id: hex64, signature: z.string().max(200) }),
  files: z.array(manifestFileSchema).max(100_000),
  /**
   * Present when the workspace's audit log was pruned under its audit-log policy (issue 12.3): events
   * 1..through_seq kept only their hashes, so events.ndjson never holds them. For a complete bundle it
   * carries what proves the rest without them (see PRUNED_PREFIX_NOTES).
   */
  pruned: z
    .object({
      through_seq: count,
      pruned_at: z.string().max(64),
      /** The audit-log policy in force then, as an ISO 8601 period (P7Y). */
      policy: z.string().max(64),
      /** Hash of event through_seq: the first event of events.ndjson names it as its prev_hash. */
      last_hash: hex64,
      /** The Merkle tree's right edge at through_seq: one complete subtree hash per set bit of through_seq, largest first. */
      frontier: z.array(hex64).max(64),
      /** The checkpoint the workspace signed at the prune point: Ed25519 over JCS({workspace_id, size: through_seq, root, ts}). */
      checkpoint: z.object({ root: hex64, ts: z.string().max(64), signature: z.string().max(200) }),
    })
    .optional(),
});
export type BundleManifest = z.infer<typeof manifestSchema>;

/**
 * How a bundle carries a pruned prefix (format notes; the format name stays custos-bundle/1, since a
 * reader that ignores `pruned` still checks every event it holds, and a complete bundle then fails
 * loudly as a gap rather than passing):
 *
 * - events.ndjson starts at through_seq + 1 (manifest events.first_seq), in a complete bundle too.
 * - manifest `pruned.frontier` are the RFC 6962 complete-subtree hashes covering leaves 0..through_seq-1
 *   (the largest subtree first). Folding them right to left gives the root at through_seq, which must
 *   equal `pruned.checkpoint.root`, whose signature under public-key.pem must hold. Then the leaves of
 *   events.ndjson are appended to that tree, and the root at tree_head.size must equal the signed head.
 * - the first event's prev_hash must equal `pruned.last_hash`.
 * - a selection bundle (with proofs.json) needs none of this: its inclusion proofs lead to the signed
 *   root as before; `pruned` only tells the reader why no event at or below through_seq can be chosen.
 */
export const PRUNED_PREFIX_NOTES = 'manifest.pruned: events 1..through_seq are hashes only; frontier + checkpoint prove them';

/** One RFC 9162 consistency proof from an earlier signed tree head of the same workspace. */
export const consistencyEntrySchema = z.object({
  from_size: count,
  from_root: hex64,
  from_ts: z.string().max(64),
  from_signature: z.string().max(200),
  path: z.array(hex64).max(128),
});
export type ConsistencyEntry = z.infer<typeof consistencyEntrySchema>;

export const consistencyFileSchema = z.object({
  format: z.literal(CONSISTENCY_FORMAT),
  tree_size: count,
  root: hex64,
  proofs: z.array(consistencyEntrySchema).max(100_000),
});
export type ConsistencyFile = z.infer<typeof consistencyFileSchema>;

export const proofsHeaderSchema = z.object({
  format: z.literal(PROOFS_FORMAT),
  tree_size: count,
  root: hex64,
  proofs: z.array(z.never()).length(0),
});

export const proofLineSchema = z.object({ path: z.array(hex64).max(64), seq: count });

/**
 * One line of events.ndjson: RFC 8785 (JCS) of the whole event, hash included, built from stored
 * columns whose details text is already canonical. Keys in JCS order; JSON.stringify escapes
 * strings exactly as JCS does for well-formed strings (a test compares it with canonicalize()).
 */
export function eventLine(p: CanonicalParts & { hash: string }): string {
  const s = JSON.stringify;
  return (
    `{"action":${s(p.action)},"actor":${s(p.actor)},"details":${p.details},"hash":${s(p.hash)},` +
    `"outcome":${s(p.outcome)},"prev_hash":${s(p.prev_hash)},"resource_id":${s(p.resource_id)},` +
    `"resource_type":${s(p.resource_type)},"seq":${p.seq},"ts":${s(p.ts)}}`
  );
}

/**
 * proofs.json is one JSON document laid out one proof per line, so it parses with any JSON tool
 * and streams line by line for a million events:
 *   line 1:  {"format":"custos-proofs/1","tree_size":N,"root":"…","proofs":[
 *   then:    {"path":["…",…],"seq":S},      (JCS of each proof; a comma after all but the last)
 *   last:    ]}
 */
export function proofsHeaderLine(treeSize: number, root: string): string {
  return `{"format":${JSON.stringify(PROOFS_FORMAT)},"tree_size":${treeSize},"root":${JSON.stringify(root)},"proofs":[`;
}

export const PROOFS_FOOTER = ']}';

/** One proof line body (without the separating comma). */
export function proofLine(seq: number, path: readonly Buffer[]): string {
  return `{"path":[${path.map((h) => `"${h.toString('hex')}"`).join(',')}],"seq":${seq}}`;
}

/** The key id grouped in fours for reading aloud and comparing by eye. */
export function fingerprint(keyId: string): string {
  return (keyId.match(/.{1,4}/g) ?? []).join(' ');
}
