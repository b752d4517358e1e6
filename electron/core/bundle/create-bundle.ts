import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { Checkpoint } from '../../../shared/ledger-types.js';
import { CustosError } from '../errors.js';
import { now as clockNow } from '../clock.js';
import { canonicalDetails, fastEventBytes, type CanonicalParts } from '../ledger/event-bytes.js';
import { completeSubtreeHash, consistencyProof, inclusionProof, verifyConsistency } from '../ledger/merkle.js';
import { prunePointOf } from '../ledger/prune-point.js';
import { filterSql, upperTimeBound } from '../ledger/query.js';
import { signBytes } from '../ledger/signing.js';
import { checkpointVerifierKey, signCheckpointNote } from '../ledger/checkpoint-note.js';
import { exportsDir, fileStamp, freeName, namePart } from '../files/export-file.js';
import type { Workspace } from '../workspace.js';
import {
  BUNDLE_FORMAT,
  CONSISTENCY_FORMAT,
  ENTRY,
  eventLine,
  fingerprint,
  proofLine,
  proofsHeaderLine,
  PROOFS_FOOTER,
  type BundleManifest,
  type ConsistencyEntry,
  type ConsistencyFile,
  type ManifestFile,
} from './format.js';
import { HashingFileWriter } from '../zip/hashing-writer.js';
import {
  bufferPart,
  checkContributedParts,
  type BundlePart,
  type BundlePartContext,
  type BundlePartContributor,
  type BundleScope,
  type CaseEventScope,
} from './parts.js';
import { verifyText } from './verify-text.js';
import { writeZip, type ZipWriteEntry } from '../zip/zip-write.js';
import { earlierBundleHeads, eventHashAt, lastSeqAtOrBefore, latestPruneEventSeq, pruneCheckpointSignature, selectedEventCount, selectedEventsPage } from './bundle-store.js';

export interface CreateBundleOptions {
  /** Who makes the bundle (recorded in the manifest and the ledger). */
  actor: string;
  filters?: LedgerFilter;
  caseId?: string | null;
  /** The files every bundle gets beyond its events, in order (createCore's wiring). */
  parts: readonly BundlePartContributor[];
  /** Which events belong to a case (cases/case-scope.ts: the rule of the case timeline and case exports too). */
  caseScope: CaseEventScope;
  signal?: AbortSignal;
  progress?: (phase: string, done: number, total: number | null) => void;
  /**
   * What else the written bundle changes (its export request marked executed, and that event),
   * run in the transaction of its bundles.written event: both are recorded, or neither and the
   * file is removed.
   */
  onWritten?: (bundle: CreatedBundle) => void;
}

export interface CreatedBundle {
  /** Absolute path of the bundle in the workspace's exports folder (for the core and the CLI only). */
  path: string;
  /** Its name in the exports folder: what `files.download` hands over. */
  fileName: string;
  sha256: string;
  bytes: number;
  events: number;
  complete: boolean;
  treeSize: number;
  root: string;
  keyId: string;
  fingerprint: string;
  checkpointTs: string;
}

interface EventRow extends CanonicalParts {
  hash: string;
}

const CHUNK = 5000;
/** A selection's events each get an inclusion proof, several times the work: smaller pages keep progress and cancel prompt. */
const PROOF_CHUNK = 1000;
const ZIP_PROGRESS_STEP = 4 * 1024 * 1024;

/**
 * Writes a signed bundle (DESIGN §5) into the workspace's exports folder, under a new name Custos
 * chooses (a session never names a server file): a fresh checkpoint is signed together with the
 * 'bundles.create' event, the selected events (and, for a selection, their inclusion proofs) are
 * streamed to private temporary files inside exports/ while being hashed, and the ZIP is written
 * atomically. Cancelling or failing leaves neither the ZIP nor the temporary files behind.
 */
export async function createBundle(ws: Workspace, opts: CreateBundleOptions): Promise<CreatedBundle> {
  return ws.whileReadingLedger(() => writeBundle(ws, opts));
}

async function writeBundle(ws: Workspace, opts: CreateBundleOptions): Promise<CreatedBundle> {
  const { signal } = opts;
  const progress = opts.progress ?? (() => {});
  const filters = cleanFilters(opts.filters ?? {});
  const caseId = opts.caseId?.trim() || null;
  const complete = Object.keys(filters).length === 0 && caseId === null;
  const scope: BundleScope = { complete, caseId, filters };
  // Resolved before anything is written, so an unknown case changes nothing.
  const selection = selectionSql(ws, scope, opts.caseScope);
  const exportsFolder = exportsDir(ws);
  const fileName = freeName(exportsFolder, bundleStem(ws, caseId), '.zip');
  const out = join(exportsFolder, fileName);
  throwIfCancelled(signal);

  const checkpoint: Checkpoint = ws.tx(() => {
    ws.ledger.append({
      actor: opts.actor,
      action: 'bundles.create',
      resource_type: 'bundle',
      resource_id: fileName,
      details: { file_name: fileName, complete, case: caseId, filters, tree_size: ws.ledger.head().size + 1 },
    });
    return ws.signCheckpoint('bundle');
  });
  const treeHead = { size: checkpoint.size, root: checkpoint.root };

  const tmpDir = await mkdtemp(join(exportsFolder, '.bundle-'));
  try {
    const written = await writeEvents(ws, selection, treeHead, tmpDir, complete, signal, progress);
    throwIfCancelled(signal);
    const consistency = consistencyFile(ws, treeHead);
    const pruned = prunedPrefix(ws);
    const createdAt = clockNow().toISOString();

    const fixed: BundlePart[] = [
      bufferPart(ENTRY.publicKey, Buffer.from(ws.signingKey.publicKeyPem, 'utf8')),
      bufferPart(ENTRY.checkpointNote, Buffer.from(signCheckpointNote(ws.signingKey, ws.id, treeHead), 'utf8')),
      bufferPart(ENTRY.verifierKey, Buffer.from(`${checkpointVerifierKey(ws.id, ws.signingKey.publicKey)}\n`, 'utf8')),
      bufferPart(
        ENTRY.verify,
        verifyText({
          workspaceId: ws.id,
          workspaceName: ws.name,
          createdAt,
          createdBy: opts.actor,
          complete,
          events: written.count,
          treeSize: treeHead.size,
          root: treeHead.root,
          checkpointTs: checkpoint.ts,
          keyId: checkpoint.key_id,
          signature: checkpoint.signature,
          verifierKey: checkpointVerifierKey(ws.id, ws.signingKey.publicKey),
          hasConsistency: consistency.proofs.length > 0,
          ...(pruned ? { pruned: { throughSeq: pruned.through_seq, prunedAt: pruned.pruned_at, policy: pruned.policy } } : {}),
        }),
      ),
      { path: ENTRY.events, source: { file: written.events.file }, sha256: written.events.sha256, bytes: written.events.bytes },
    ];
    if (written.proofs) {
      fixed.push({ path: ENTRY.proofs, source: { file: written.proofs.file }, sha256: written.proofs.sha256, bytes: written.proofs.bytes });
    }
    fixed.push(bufferPart(ENTRY.consistency, Buffer.from(`${JSON.stringify(consistency, null, 1)}\n`, 'utf8')));

    const contributed: BundlePart[] = [];
    const taken = new Set<string>();
    for (const contributor of opts.parts) {
      throwIfCancelled(signal);
      const ctx: BundlePartContext = {
        ws,
        actor: opts.actor,
        scope,
        treeHead,
        cut: cutOf(ws, scope.filters, treeHead.size),
        tmpDir,
        signal,
        progress,
        out: fileName,
        createdAt,
        events: written.count,
        checkpoint: { ts: checkpoint.ts, key_id: checkpoint.key_id },
        files: [...fixed, ...contributed].map((p): ManifestFile => ({ path: p.path, sha256: p.sha256, bytes: p.bytes })),
      };
      const parts = await contributor.contribute(ctx);
      checkContributedParts(parts, taken);
      contributed.push(...parts);
    }
    const parts = [...fixed, ...contributed];

    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      workspace: { id: ws.id, name: ws.name },
      created_at: createdAt,
      created_by: opts.actor,
      scope: { complete, case: caseId, filters },
      events: { count: written.count, first_seq: written.firstSeq, last_seq: written.lastSeq },
      tree_head: treeHead,
      checkpoint: { ts: checkpoint.ts, key_id: checkpoint.key_id, signature: checkpoint.signature },
      files: parts.map((p): ManifestFile => ({ path: p.path, sha256: p.sha256, bytes: p.bytes })),
      ...(pruned ? { pruned } : {}),
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    const signature = signBytes(ws.signingKey, manifestBytes);

    const entries: ZipWriteEntry[] = [
      { path: ENTRY.manifest, source: manifestBytes },
      { path: ENTRY.signature, source: signature },
      ...parts.map((p): ZipWriteEntry => ({ path: p.path, source: Buffer.isBuffer(p.source) ? p.source : p.source.file })),
    ];
    let reported = 0;
    const zip = await writeZip(out, entries, {
      signal,
      onProgress: (bytes) => {
        if (bytes - reported >= ZIP_PROGRESS_STEP) {
          reported = bytes;
          progress('zip', bytes, null);
        }
      },
    });

    const made: CreatedBundle = {
      path: out,
      fileName,
      sha256: zip.sha256,
      bytes: zip.bytes,
      events: written.count,
      complete,
      treeSize: treeHead.size,
      root: treeHead.root,
      keyId: checkpoint.key_id,
      fingerprint: fingerprint(checkpoint.key_id),
      checkpointTs: checkpoint.ts,
    };
    try {
      ws.tx(() => {
        ws.ledger.append({
          actor: opts.actor,
          action: 'bundles.written',
          resource_type: 'bundle',
          resource_id: fileName,
          details: {
            file_name: fileName,
            sha256: zip.sha256,
            bytes: zip.bytes,
            events: written.count,
            tree_size: treeHead.size,
            root: treeHead.root,
            manifest_sha256: createHash('sha256').update(manifestBytes).digest('hex'),
          },
        });
        opts.onWritten?.(made);
      });
    } catch (err) {
      // Unrecorded, the bundle must not stay: the ledger would not say it exists.
      await rm(out, { force: true });
      throw err;
    }
    return made;
  } finally {
    // Event content is sensitive: nothing of it may stay in the workspace folder.
    await rm(tmpDir, { recursive: true, force: true });
  }
}

/** Where a scope ending at an event (filters.throughSeq) or a time (filters.to) ends in the ledger, within the tree head. */
function cutOf(ws: Workspace, f: LedgerFilter, size: number): { seq: number } | null {
  if (f.throughSeq === undefined && !f.to) return null;
  const byTime = f.to ? lastSeqAtOrBefore(ws.db, upperTimeBound(f.to)) : size;
  return { seq: Math.min(size, f.throughSeq ?? size, byTime) };
}

/**
 * Drops empty filter fields and trims the others, so the manifest and a request record only what
 * narrows the selection (`{ actor: '' }` is no filter); a `throughSeq` stays when it is a seq.
 */
export function cleanFilters(f: LedgerFilter): LedgerFilter {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f)) if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  if (Number.isSafeInteger(f.throughSeq) && (f.throughSeq ?? 0) > 0) out.throughSeq = f.throughSeq!;
  return out as LedgerFilter;
}

interface Selection {
  /** Conditions ending in " AND ", or empty. */
  cond: string;
  params: (string | number)[];
}

function selectionSql(ws: Workspace, scope: BundleScope, caseScope: CaseEventScope): Selection {
  const conds: string[] = [];
  const params: (string | number)[] = [];
  const { where, params: filterParams } = filterSql(scope.filters);
  if (where) {
    conds.push(where.replace(/^WHERE /, ''));
    params.push(...filterParams);
  }
  if (scope.caseId) {
    const c = caseScope(ws, scope.caseId);
    conds.push(c.sql);
    params.push(...c.params);
  }
  // Pruned events are hashes only: never exported as events (a complete bundle carries their frontier).
  const pruned = prunePointOf(ws.db);
  if (pruned) {
    conds.push('seq > ?');
    params.push(pruned.throughSeq);
  }
  const recorded = pruned && !scope.complete ? latestPruneEventSeq(ws.db) : null;
  if (recorded !== null && recorded !== undefined) {
    // A selection of a pruned ledger also carries the ledger.prune event that made the prefix, with
    // its inclusion proof, so a verifier can hold the manifest's account of the prefix to it.
    return { cond: `((${conds.join(') AND (')}) OR seq = ?) AND `, params: [...params, recorded] };
  }
  return { cond: conds.map((c) => `(${c}) AND `).join(''), params };
}

/** `bundle-<workspace>[-<case>]-<time>`: says what it is without opening it. */
function bundleStem(ws: Workspace, caseId: string | null): string {
  return ['bundle', namePart(ws.name, 40), ...(caseId ? [namePart(caseId, 40)] : []), fileStamp()].join('-');
}

interface WrittenFileInfo {
  file: string;
  sha256: string;
  bytes: number;
}

async function writeEvents(
  ws: Workspace,
  selection: Selection,
  treeHead: { size: number; root: string },
  tmpDir: string,
  complete: boolean,
  signal: AbortSignal | undefined,
  progress: (phase: string, done: number, total: number | null) => void,
): Promise<{ count: number; firstSeq: number | null; lastSeq: number | null; events: WrittenFileInfo; proofs: WrittenFileInfo | null }> {
  const total = selectedEventCount(ws.db, selection.cond, selection.params, treeHead.size);
  progress('events', 0, total);

  const eventsPath = join(tmpDir, ENTRY.events);
  const proofsPath = join(tmpDir, ENTRY.proofs);
  const events = await HashingFileWriter.create(eventsPath);
  const proofs = complete ? null : await HashingFileWriter.create(proofsPath);
  try {
    await proofs?.write(`${proofsHeaderLine(treeHead.size, treeHead.root)}\n`);
    let after = 0;
    let count = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    for (;;) {
      throwIfCancelled(signal);
      const rows: EventRow[] = selectedEventsPage(ws.db, selection.cond, selection.params, after, treeHead.size, proofs ? PROOF_CHUNK : CHUNK);
      if (rows.length === 0) break;
      const lines: string[] = [];
      const proofLines: string[] = [];
      for (const row of rows) {
        const canonical = canonicalRow(row);
        lines.push(`${eventLine(canonical)}\n`);
        if (proofs) {
          const path = inclusionProof(ws.ledger.source, row.seq - 1, treeHead.size);
          proofLines.push(`${count === 0 && proofLines.length === 0 ? '' : ',\n'}${proofLine(row.seq, path)}`);
        }
        firstSeq ??= row.seq;
        lastSeq = row.seq;
      }
      count += rows.length;
      await events.write(lines.join(''));
      if (proofs) await proofs.write(proofLines.join(''));
      after = lastSeq ?? after;
      progress('events', count, total);
    }
    await proofs?.write(`${count === 0 ? '' : '\n'}${PROOFS_FOOTER}\n`);
    const e = await events.finish();
    const p = proofs ? await proofs.finish() : null;
    return {
      count,
      firstSeq,
      lastSeq,
      events: { file: eventsPath, ...e },
      proofs: p ? { file: proofsPath, ...p } : null,
    };
  } finally {
    await events.close();
    await proofs?.close();
  }
}

/**
 * The row with canonical details, after checking that it matches its own hash: a bundle must
 * never sign events the workspace's ledger would itself report as altered.
 */
function canonicalRow(row: EventRow): EventRow {
  if (sha256Hex(fastEventBytes(row)) === row.hash) return row;
  try {
    const details = canonicalDetails(JSON.parse(row.details) as Record<string, unknown>);
    const fixed = { ...row, details };
    if (sha256Hex(fastEventBytes(fixed)) === row.hash) return fixed;
  } catch {
    // Falls through to the refusal below.
  }
  throw new CustosError(
    'integrity',
    `Ledger event ${row.seq} does not match its hash, so no bundle was made; run custos verify on this workspace.`,
    { seq: row.seq },
  );
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The manifest's account of a pruned prefix (format.ts, PRUNED_PREFIX_NOTES): the range, the policy,
 * the hash the first exported event links to, the Merkle right edge at the prune point and the
 * checkpoint signed there. Null when the audit log was never pruned.
 */
function prunedPrefix(ws: Workspace): NonNullable<BundleManifest['pruned']> | null {
  const p = prunePointOf(ws.db);
  if (!p) return null;
  const n = p.throughSeq;
  const frontier: string[] = [];
  let start = 0;
  for (let l = 52; l >= 0; l--) {
    const width = 2 ** l;
    if (Math.floor(n / width) % 2 !== 1) continue;
    frontier.push(completeSubtreeHash(ws.ledger.source, l, start / width).toString('hex'));
    start += width;
  }
  const signature = pruneCheckpointSignature(ws.db, n, p.checkpointRoot, p.checkpointTs);
  const lastHash = eventHashAt(ws.db, n);
  if (!signature || !lastHash) {
    throw new CustosError('integrity', `The checkpoint signed when events 1–${n} were pruned is missing, so no bundle was made; run custos verify on this workspace.`);
  }
  return {
    through_seq: n,
    pruned_at: p.prunedAt,
    policy: p.policy,
    last_hash: lastHash,
    frontier,
    checkpoint: { root: p.checkpointRoot, ts: p.checkpointTs, signature },
  };
}

/** Consistency proofs from every earlier bundle's signed tree head to this one (RFC 9162 §2.1.4). */
function consistencyFile(ws: Workspace, head: { size: number; root: string }): ConsistencyFile {
  const earlier = earlierBundleHeads(ws.db, ws.signingKey.keyId, head.size);
  const rootN = Buffer.from(head.root, 'hex');
  const proofs: ConsistencyEntry[] = earlier.map((c) => {
    const path = consistencyProof(ws.ledger.source, c.size, head.size);
    if (!verifyConsistency(c.size, head.size, Buffer.from(c.root, 'hex'), rootN, path)) {
      throw new CustosError(
        'integrity',
        `The ledger no longer matches the tree head of ${c.size} events signed at ${c.ts}, so no bundle was made; run custos verify on this workspace.`,
        { size: c.size },
      );
    }
    return { from_size: c.size, from_root: c.root, from_ts: c.ts, from_signature: c.signature, path: path.map((h) => h.toString('hex')) };
  });
  return { format: CONSISTENCY_FORMAT, tree_size: head.size, root: head.root, proofs };
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CustosError('cancelled', 'Making the bundle was cancelled; no file was written.');
}
