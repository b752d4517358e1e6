import { z } from 'zod';
import type { Role } from '../roles.js';
import { LEDGER_READERS } from '../roles.js';
import type { ReadClassMap } from '../data-classes.js';
import { channel } from './define.js';
import { exportedFileSchema } from './files.js';

/** Who may countersign, as a witness, the checkpoint of an imported bundle that verified. */
export const WITNESS_SIGNERS: readonly Role[] = ['admin', 'auditor'];
/** Who may read what this workspace cosigned. */
const COUNTERSIGN_READERS: readonly Role[] = ['admin', 'compliance_officer', 'auditor'];

/** The largest cosignature file Custos reads: a checkpoint note with a few signatures is well under a kilobyte. */
export const MAX_COSIGNATURE_FILE = 16 * 1024;

/** A verifier key string as a person pastes it (one line). */
const vkeyText = z.string().trim().min(1, 'Paste the witness key.').max(400, 'A witness key is one short line of text; this is too long to be one.');

/** This workspace as a witness: the name and key its cosignatures carry. */
export const witnessIdentitySchema = z.object({
  /** The cosigner name (C2SP key name), e.g. custos-witness/<workspace id>. */
  name: z.string(),
  /** The C2SP verifier key string (cosignature/v1) to give the source workspace's administrator. */
  vkey: z.string(),
  /** The workspace key's fingerprint, as its bundles show it. */
  fingerprint: z.string(),
});

/** A cosignature this workspace made of an imported bundle's checkpoint. */
export const countersignSchema = z.object({
  id: z.number(),
  importId: z.number(),
  /** The source workspace's checkpoint origin, custos/<workspace id>. */
  origin: z.string(),
  treeSize: z.number(),
  root: z.string(),
  cosigner: z.string(),
  /** The time in the cosignature (RFC 3339 UTC, whole seconds). */
  cosignedAt: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  createdBy: z.string(),
});
export type Countersign = z.infer<typeof countersignSchema>;

/** A witness key this workspace trusts. */
export const witnessKeySchema = z.object({
  id: z.number(),
  name: z.string(),
  keyId: z.string(),
  vkey: z.string(),
  fingerprint: z.string(),
  label: z.string(),
  trustedAt: z.string(),
  trustedBy: z.string(),
});
export type WitnessKey = z.infer<typeof witnessKeySchema>;

/** A cosigned tree head of this workspace, with whether today's ledger still extends it. */
export const cosignatureSchema = z.object({
  id: z.number(),
  cosigner: z.string(),
  label: z.string(),
  fingerprint: z.string(),
  treeSize: z.number(),
  root: z.string(),
  cosignedAt: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
  /** True when an RFC 6962 consistency proof from the stored tree shows today's ledger extends it. */
  consistent: z.boolean(),
  /** Why not, in words, when it is not. */
  problem: z.string().nullable(),
});
export type Cosignature = z.infer<typeof cosignatureSchema>;

export const witnessChannels = {
  'witness.identity': channel({
    summary: "This workspace as a witness: the name and verifier key its cosignatures carry (give the key to the source workspace's administrator).",
    access: COUNTERSIGN_READERS,
    mutates: false,
    request: z.object({}),
    response: z.object({ identity: witnessIdentitySchema }),
  }),
  'witness.countersign': channel({
    summary:
      "Countersign, as a witness, the checkpoint of an imported bundle that verified: a C2SP cosignature/v1 by this workspace's key with the time, " +
      "written as a small file to the workspace's exports folder (hand it over with files.download); ledgered.",
    access: WITNESS_SIGNERS,
    mutates: true,
    request: z.object({ importId: z.number().int().positive() }),
    response: z.object({ file: exportedFileSchema, countersign: countersignSchema }),
  }),
  'witness.countersigns': channel({
    summary: "The cosignatures this workspace made of an imported bundle's checkpoint, newest first.",
    access: COUNTERSIGN_READERS,
    mutates: false,
    request: z.object({ importId: z.number().int().positive() }),
    response: z.object({ countersigns: z.array(countersignSchema) }),
  }),
  'witness.describeKey': channel({
    summary: 'Read a pasted witness verifier key: its name and fingerprint, to compare with the witness before trusting it.',
    access: ['admin'],
    mutates: false,
    request: z.object({ vkey: vkeyText }),
    response: z.object({ name: z.string(), keyId: z.string(), fingerprint: z.string() }),
  }),
  'witness.trust': channel({
    summary: "Trust a witness's verifier key (C2SP cosignature/v1, Ed25519) to cosign this workspace's tree heads; ledgered. Trusted keys are never changed.",
    access: ['admin'],
    mutates: true,
    request: z.object({
      vkey: vkeyText,
      label: z.string().trim().min(1, 'Say who the witness is (e.g. the auditor and their organisation).').max(200),
    }),
    response: z.object({ key: witnessKeySchema }),
  }),
  'witness.import': channel({
    summary:
      "Import a cosignature file from a trusted witness: its signature must verify under a trusted key, its checkpoint must be this workspace's, " +
      "and its root must be this ledger's root at that size; otherwise it is refused (and the refusal ledgered).",
    access: ['admin'],
    mutates: true,
    maxBody: 64 * 1024,
    request: z.object({
      text: z.string().min(1, 'The cosignature file is empty.').max(MAX_COSIGNATURE_FILE, 'This file is too large to be a cosignature.'),
      fileName: z.string().trim().min(1).max(255).optional(),
    }),
    response: z.object({ cosignature: cosignatureSchema }),
  }),
  'witness.heads': channel({
    summary: "Trusted witness keys and the cosigned tree heads of this workspace, each with whether today's ledger extends it (consistency proof).",
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({}),
    response: z.object({ keys: z.array(witnessKeySchema), cosignatures: z.array(cosignatureSchema) }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const witnessReadClasses: ReadClassMap<typeof witnessChannels> = {
  'witness.identity': {},
  'witness.countersigns': { personal: ['countersigns.*.createdBy'] },
  'witness.describeKey': {},
  'witness.heads': { personal: ['keys.*.trustedBy', 'cosignatures.*.importedBy'] },
};
