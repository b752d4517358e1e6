import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { RESERVED_ENTRIES } from './format.js';
import { hashStream } from '../zip/line-reader.js';

/** What a bundle covers. */
export interface BundleScope {
  /** True when the bundle holds every event up to the tree head (no filters, no case). */
  complete: boolean;
  caseId: string | null;
  filters: LedgerFilter;
}

/** What a part contributor is told about the bundle being made. */
export interface BundlePartContext {
  ws: Workspace;
  actor: string;
  scope: BundleScope;
  /** The signed tree head the bundle is cut against. */
  treeHead: { size: number; root: string };
  /**
   * When the scope ends at an event (filters.throughSeq, as a hold's snapshot does at its activation) or
   * a time (filters.to): the last event it holds. What the parts carry stops there too (evidence whose
   * link to the case, custody entries and disclosures the ledger recorded by then); null when the bundle
   * runs to its tree head.
   */
  cut: { seq: number } | null;
  /** A private folder inside the workspace's exports/ for large temporary files; removed when the bundle is done or cancelled. */
  tmpDir: string;
  signal?: AbortSignal;
  progress: (phase: string, done: number, total: number | null) => void;
  /** The name of the ZIP being written, in the workspace's exports folder. */
  out: string;
  /** The manifest's created_at. */
  createdAt: string;
  /** How many events the bundle holds. */
  events: number;
  /** The signed checkpoint of the tree head. */
  checkpoint: { ts: string; key_id: string };
  /** The files already in the bundle (fixed entries and earlier contributors' parts), as the manifest lists them. */
  files: readonly { path: string; sha256: string; bytes: number }[];
}

/** One more file in the bundle; its hash and size go into the signed manifest. */
export interface BundlePart {
  path: string;
  /** The bytes, or the path of a file (e.g. one written into `tmpDir`). */
  source: Buffer | { file: string };
  sha256: string;
  bytes: number;
}

/**
 * Adds files to bundles: evidence with its custody chain, disclosures.json, report.pdf, …
 * Contributors run in the order createCore() lists them (wiring.ts) after the events are written,
 * and return nothing when the scope does not concern them.
 */
export interface BundlePartContributor {
  name: string;
  contribute(ctx: BundlePartContext): Promise<BundlePart[]> | BundlePart[];
}

/** An SQL condition over the `events` table selecting the events of one case (refuses an unknown case). */
export type CaseEventScope = (ws: Workspace, caseId: string) => { sql: string; params: (string | number)[] };

/** A part held in memory. */
export function bufferPart(path: string, bytes: Buffer): BundlePart {
  return { path, source: bytes, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** A part read from a file on disk (hashed now, streamed into the ZIP later). */
export async function filePart(path: string, file: string): Promise<BundlePart> {
  const { sha256, bytes } = await hashStream(createReadStream(file));
  return { path, source: { file }, sha256, bytes };
}

/** Refuses contributed parts that would shadow the bundle's own entries or each other. */
export function checkContributedParts(parts: readonly BundlePart[], taken: Set<string>): void {
  for (const p of parts) {
    if (RESERVED_ENTRIES.has(p.path) || taken.has(p.path)) {
      throw new CustosError('conflict', `Two parts of the bundle want the same entry name "${p.path}".`);
    }
    taken.add(p.path);
  }
}
