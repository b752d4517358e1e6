import type { BundleSummary, ImportSummary } from '../../../shared/contract/bundles.js';
import type { VerificationProblem, VerificationReport } from '../../../shared/ledger-types.js';
import type { Db } from '../db/open.js';
import { now as clockNow } from '../clock.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { fingerprint, type ConsistencyEntry } from '../bundle/format.js';
import {
  acceptedImportOfFile,
  deleteImport,
  findSource,
  getImport,
  insertImportedEvent,
  insertSource,
  insertStagedImport,
  priorImportsOfSource,
  type PriorImportRow,
  setImportReviewed,
  setImportVerified,
  stagedImportIds,
  storedConsistency,
  toImportSummary,
} from './imports-store.js';
import { bundleWarnings, requireTrust } from './pins.js';
import { inspectBundle, type BundleEvent, type BundleInspection } from '../bundle/verify-bundle.js';
import type { ZipLimits, ZipSource } from '../zip/zip-read.js';
import { opTime, type Op } from '../domain/op.js';

export interface ImportOptions {
  actor: string;
  /** The name the bundle is recorded under (the uploaded file's name, or the file's base name). */
  fileName: string;
  signal?: AbortSignal;
  progress?: (phase: string, done: number, total: number | null) => void;
  limits?: Partial<ZipLimits>;
  /** The key fingerprint a person confirmed out of band: needed to pin the key of a workspace seen for the first time. */
  trustFingerprint?: string | undefined;
}

export interface ImportOutcome {
  accepted: boolean;
  /** One sentence saying why the bundle was rejected; null when it was imported. */
  reason: string | null;
  report: VerificationReport;
  bundle: BundleSummary | null;
  import: ImportSummary | null;
  /** True when this import pinned the source workspace's key for the first time. */
  pinned: boolean;
  /** Warnings to show with the bundle (a workspace name that a pinned workspace of another id has). */
  warnings: string[];
}

/** Events staged per transaction: few commits, yet little held in memory. */
const BATCH = 5000;

/** Staged imports being written right now, per database (anything else under 'verifying' was abandoned). */
const running = new WeakMap<Db, Set<number>>();

function runningSet(db: Db): Set<number> {
  let set = running.get(db);
  if (!set) {
    set = new Set();
    running.set(db, set);
  }
  return set;
}

/** True while an import is being verified and staged in this process. */
export function isImportRunning(db: Db, id: number): boolean {
  return running.get(db)?.has(id) === true;
}

/** The imports of this database being verified right now. */
export function runningImportIds(db: Db): number[] {
  return [...(running.get(db) ?? [])];
}

/**
 * Verifies a bundle and imports its events, or rejects it with one sentence and one ledger event.
 *
 * Events are staged (status 'verifying', invisible to review) in batches while the file is being
 * verified, so a million events are never held in memory; the import becomes visible, its source
 * key is pinned and the ledger records it in one transaction, only once everything verified. A
 * rejection or a cancel deletes what was staged, so the workspace keeps no trace of the bundle
 * but the ledger event that says it was refused.
 */
export async function importBundle(ws: Workspace, path: ZipSource, opts: ImportOptions): Promise<ImportOutcome> {
  const db = ws.db;
  discardAbandoned(db);
  const progress = opts.progress ?? (() => {});
  // Mutated from the verifier's callbacks, hence an object rather than narrowed locals. `own`: the
  // bundle was made by this workspace; it is verified to the end (so the report says whether it is
  // valid) but nothing of it is staged, since it can never be imported here.
  const staged: { summary: BundleSummary | null; id: number | null; batch: BundleEvent[]; own: boolean } = { summary: null, id: null, batch: [], own: false };

  const writeBatch = (): void => {
    const summary = staged.summary;
    if (!summary) return;
    let id = staged.id;
    if (id === null) {
      id = insertStaged(db, summary, opts);
      staged.id = id;
      runningSet(db).add(id);
    }
    for (const { event: e, details } of staged.batch) {
      insertImportedEvent(db, id, e, details);
    }
    staged.batch = [];
  };
  const discardStaged = (): void => {
    if (staged.id === null) return;
    deleteImport(db, staged.id);
  };
  const forget = (): void => {
    if (staged.id !== null) running.get(db)?.delete(staged.id);
  };

  let inspection: BundleInspection;
  try {
    inspection = await inspectBundle(path, {
      signal: opts.signal,
      limits: opts.limits,
      stopAtFirstProblem: true,
      onProgress: (done, total) => progress('import', done, total),
      afterManifest: (bundle, consistency) => {
        staged.summary = bundle;
        staged.own = bundle.workspaceId === ws.id;
        return staged.own ? null : historyProblem(ws, bundle, consistency);
      },
      onEvent: (e) => {
        if (staged.own) return;
        staged.batch.push(e);
        if (staged.batch.length >= BATCH) db.transaction(writeBatch)();
      },
    });
  } catch (err) {
    // Cancelled, locked, or the file vanished: drop what was staged; the dispatch ledgers the failure.
    if (ws.isOpen) db.transaction(discardStaged)();
    forget();
    throw err;
  }

  const reject = (reason: string): ImportOutcome => {
    ws.tx(() => {
      discardStaged();
      const b = inspection.bundle;
      ws.ledger.append({
        actor: opts.actor,
        action: 'imports.run',
        resource_type: 'bundle',
        resource_id: inspection.bundle?.fileSha256 ?? opts.fileName,
        outcome: 'failure',
        details: {
          reason,
          file_name: opts.fileName,
          file_sha256: b?.fileSha256 ?? null,
          file_bytes: b?.fileBytes ?? null,
          source_workspace_id: b?.workspaceId ?? null,
          source_workspace_name: b?.workspaceName ?? null,
          key_id: b?.keyId ?? null,
          problems: inspection.report.problems.map((p) => p.kind),
        },
      });
    });
    return { accepted: false, reason, report: inspection.report, bundle: inspection.bundle, import: null, pinned: false, warnings: inspection.bundle ? bundleWarnings(db, inspection.bundle) : [] };
  };

  try {
    const first = inspection.report.problems[0];
    if (!inspection.report.valid || !inspection.bundle || !inspection.manifestText) {
      return reject(first?.message ?? 'The bundle could not be verified.');
    }
    if (staged.own) return reject(OWN_BUNDLE_REASON);
    const bundle = inspection.bundle;
    staged.summary = bundle;
    try {
      return ws.tx(() => finalize(ws, bundle, inspection, opts, writeBatch, () => staged.id));
    } catch (err) {
      if (err instanceof Rejection) return reject(err.message);
      throw err;
    }
  } catch (err) {
    // The verdict could not be recorded (say the ledger refused its event): nothing staged may stay.
    if (ws.isOpen) {
      try {
        db.transaction(discardStaged)();
      } catch {
        // The next import discards abandoned staging.
      }
    }
    throw err;
  } finally {
    forget();
  }
}

class Rejection extends Error {}

/** Why a valid bundle of this very workspace is not imported: said as what it is, not as a fault of the bundle. */
export const OWN_BUNDLE_REASON =
  'This bundle is valid: it was made and signed by this workspace, whose ledger already holds its events. ' +
  'A workspace cannot import its own bundles; import it into another workspace (an auditor’s), or check it with custos verify.';

function finalize(
  ws: Workspace,
  bundle: BundleSummary,
  inspection: BundleInspection,
  opts: ImportOptions,
  writeBatch: () => void,
  stagedId: () => number | null,
): ImportOutcome {
  const db = ws.db;
  // Another import of the same source may have finished while this one streamed: judge again.
  const again = historyProblem(ws, bundle, inspection.consistency);
  if (again) throw new Rejection(again.message);
  writeBatch();
  const id = stagedId();
  if (id === null) throw new Error('An import with no staged row cannot be finalized.');
  // One instant from the core clock for the rows and their events.
  const at = clockNow();
  const now = at.toISOString();
  const existing = findSource(db, bundle.workspaceId);
  const pinned = !existing;
  const warnings = bundleWarnings(db, bundle);
  if (!existing) {
    // A bundle that verified, from a workspace whose key nobody confirmed: a person must compare its
    // fingerprint first (asked only now, so a bundle that fails verification is rejected without asking).
    requireTrust(db, bundle, opts.trustFingerprint);
    insertSource(db, {
      workspace_id: bundle.workspaceId,
      workspace_name: bundle.workspaceName,
      key_id: bundle.keyId,
      public_key_pem: inspection.publicKeyPem ?? '',
      pinned_at: now,
      pinned_by: opts.actor,
    });
    ws.ledger.append({
      actor: opts.actor,
      action: 'imports.pin',
      resource_type: 'import_source',
      resource_id: bundle.workspaceId,
      details: {
        workspace_name: bundle.workspaceName,
        key_id: bundle.keyId,
        fingerprint: fingerprint(bundle.keyId),
        confirmed_by: opts.actor,
        file_sha256: bundle.fileSha256,
        warnings,
      },
    }, at);
  }
  setImportVerified(db, id, {
    public_key_pem: inspection.publicKeyPem ?? '',
    manifest: inspection.manifestText ?? '',
    manifest_sig: inspection.manifestSignature ?? '',
    consistency: JSON.stringify(inspection.consistency),
    event_count: inspection.events.count,
    first_ts: inspection.events.firstTs,
    last_ts: inspection.events.lastTs,
    report: JSON.stringify(inspection.report),
    imported_at: now,
    warnings: JSON.stringify(warnings),
  });
  ws.ledger.append({
    actor: opts.actor,
    action: 'imports.run',
    resource_type: 'import',
    resource_id: String(id),
    details: {
      file_name: opts.fileName,
      file_sha256: bundle.fileSha256,
      file_bytes: bundle.fileBytes,
      source_workspace_id: bundle.workspaceId,
      source_workspace_name: bundle.workspaceName,
      key_id: bundle.keyId,
      pinned,
      warnings,
      events: inspection.events.count,
      tree_size: bundle.treeSize,
      root: bundle.root,
      complete: bundle.complete,
    },
  }, at);
  return {
    accepted: true,
    reason: null,
    report: inspection.report,
    bundle,
    import: toImportSummary(getImport(db, id)),
    pinned,
    warnings,
  };
}

function insertStaged(db: Db, b: BundleSummary, opts: ImportOptions): number {
  // One instant from the core clock for the rows and their events.
  const at = clockNow();
  const now = at.toISOString();
  return insertStagedImport(db, b, opts.fileName, now, opts.actor);
}

/** Staged rows left by an import that crashed or lost its database mid-way: they were never visible, so they go. */
function discardAbandoned(db: Db): void {
  const live = running.get(db) ?? new Set<number>();
  const stale = stagedImportIds(db).filter((id) => !live.has(id));
  if (stale.length === 0) return;
  db.transaction(() => {
    for (const id of stale) deleteImport(db, id);
  })();
}

/**
 * Why this bundle may not join what was imported before from its workspace, or null: the key must
 * be the one pinned at the first import, and the tree head must extend (or, for a late older
 * bundle, be vouched for by) the history already imported, by RFC 9162 consistency proofs.
 */
export function historyProblem(ws: Workspace, b: BundleSummary, consistency: readonly ConsistencyEntry[]): VerificationProblem | null {
  const db = ws.db;
  const name = `"${b.workspaceName}" (${b.workspaceId})`;
  const same = acceptedImportOfFile(db, b.fileSha256);
  if (same) {
    return { seq: null, kind: 'duplicate', message: `This bundle was already imported on ${same.imported_at.slice(0, 10)} as import ${same.id}.` };
  }
  const source = findSource(db, b.workspaceId);
  if (source && source.key_id !== b.keyId) {
    return {
      seq: null,
      kind: 'bad-signature',
      message: `This bundle claims to come from workspace ${name} but is signed with the key ${fingerprint(b.keyId)}, not the key ${fingerprint(source.key_id)} pinned at its first import on ${source.pinned_at.slice(0, 10)}.`,
    };
  }
  // The history this bundle must extend is the one signed by its key: after a pin is revoked and
  // another key confirmed, what the revoked key signed no longer speaks for the workspace.
  const prior = priorImportsOfSource(db, b.workspaceId, b.keyId);
  const latest = prior[0];
  if (!latest) return null;
  const n = b.treeSize;
  const m = latest.tree_size;
  const when = (p: PriorImportRow) => `imported on ${p.imported_at.slice(0, 10)} (import ${p.id})`;
  const rewrite = (p: PriorImportRow): VerificationProblem => ({
    seq: p.tree_size,
    kind: 'root-mismatch',
    message: `This bundle rewrites the history of workspace ${name}: its first ${Math.min(p.tree_size, n)} events differ from the tree head ${when(p)}.`,
  });
  if (n === m) return b.root === latest.tree_root ? null : rewrite(latest);
  if (n > m) {
    const entry = consistency.find((c) => c.from_size === m);
    if (!entry) {
      return {
        seq: m,
        kind: 'bad-proof',
        message: `This bundle (a tree head of ${n} events) carries no consistency proof from the tree head of ${m} events ${when(latest)}, so it cannot show that it extends that history rather than rewriting it.`,
      };
    }
    return entry.from_root === latest.tree_root ? null : rewrite(latest);
  }
  // An older bundle arriving after a newer one: a later import must vouch for its tree head.
  for (const p of prior) {
    if (p.tree_size === n) return p.tree_root === b.root ? null : rewrite(p);
    if (p.tree_size > n) {
      const entry = storedConsistency(p).find((c) => c.from_size === n);
      if (entry) return entry.from_root === b.root ? null : rewrite(p);
    }
  }
  return {
    seq: n,
    kind: 'bad-proof',
    message: `This bundle's tree head of ${n} events is older than the ${m} events already ${when(latest)} from workspace ${name}, and no imported bundle proves that it belongs to the same history; import the bundles of a workspace in the order they were made.`,
  };
}

/** Marks an import reviewed (ledgered); a second review is refused. */
export function reviewImport(ws: Workspace, op: Op, id: number, note: string | undefined): ImportSummary {
  const { actor } = op;
  return ws.tx(() => {
    const row = getImport(ws.db, id);
    if (row.status !== 'verified') {
      throw new CustosError(
        'conflict',
        row.status === 'reviewed'
          ? `Imported bundle ${id} was already marked reviewed by ${row.reviewed_by ?? 'someone'} on ${(row.reviewed_at ?? '').slice(0, 10)}.`
          : `Imported bundle ${id} is still being verified; it can be reviewed once it is verified.`,
        { resourceType: 'import', resourceId: String(id) },
      );
    }
    // One instant from the core clock for the rows and their events.
    const at = opTime(op);
    const now = at.toISOString();
    setImportReviewed(ws.db, id, now, actor, note ?? null);
    ws.ledger.append({
      actor,
      action: 'imports.review',
      resource_type: 'import',
      resource_id: String(id),
      details: { note: note ?? null, source_workspace_id: row.source_workspace_id, file_sha256: row.file_sha256 },
    }, at);
    return toImportSummary(getImport(ws.db, id));
  });
}
