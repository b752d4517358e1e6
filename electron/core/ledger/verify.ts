import { createPublicKey, hash as oneShotHash, type KeyObject } from 'node:crypto';
import type { Checkpoint, VerificationProblem, VerificationReport } from '../../../shared/ledger-types.js';
import { ZERO_HASH } from '../../../shared/ledger-types.js';
import type { Db } from '../db/open.js';
import { CustosError } from '../errors.js';
import { checkpointSignatureValid, listCheckpoints, readCheckpointFile } from './checkpoint.js';
import { fastEventBytes, type CanonicalParts } from './event-bytes.js';
import { eventCanonicalBytes } from './jcs.js';
import { leafHash, StreamingRoot } from './merkle.js';

/** A stored event row as verification reads it. */
export interface VerifyRow extends CanonicalParts {
  hash: string;
  leaf_hash?: Buffer;
}

const MAX_PROBLEMS = 1000;

/** One-shot SHA-256 (node:crypto `hash`, about twice as fast as createHash for small inputs). */
function sha256Hex(bytes: Buffer): string {
  return oneShotHash('sha256', bytes, 'hex');
}

/**
 * Checks a sequence of events from seq 1: hashes, links, numbering and the Merkle root at every
 * checkpoint. It reports problems the way an auditor's tool does: per problem the seq and kind.
 * `lookupSeqByHash` (optional) lets it tell a moved event (`reordered`) from a changed one.
 */
export class ChainVerifier {
  readonly problems: VerificationProblem[] = [];
  private expected = 1;
  private prevHash = ZERO_HASH;
  private readonly tree = new StreamingRoot();
  private readonly checkpointsBySize = new Map<number, Checkpoint[]>();
  private shift = 0;
  private suppressed = 0;
  checked = 0;

  constructor(
    checkpoints: Checkpoint[],
    private readonly lookupSeqByHash?: (hash: string) => number | undefined,
  ) {
    for (const c of checkpoints) {
      const list = this.checkpointsBySize.get(c.size) ?? [];
      list.push(c);
      this.checkpointsBySize.set(c.size, list);
    }
    this.checkRoots(0);
  }

  private report(seq: number | null, kind: VerificationProblem['kind'], message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ seq, kind, message });
    else this.suppressed++;
  }

  /** Feeds the next stored event. */
  push(row: VerifyRow): void {
    this.checked++;
    const seq = row.seq;
    let linkExplained = false;
    if (seq > this.expected) {
      const missing = seq - this.expected;
      this.report(this.expected, 'gap', `Events ${this.expected}${missing > 1 ? `–${seq - 1}` : ''} are missing (${missing} deleted).`);
      linkExplained = true;
    } else if (seq < this.expected) {
      this.report(seq, 'duplicate', `Event ${seq} appears again after event ${this.expected - 1}.`);
      return;
    }
    let bytes = fastEventBytes(row);
    let hash = sha256Hex(bytes);
    if (hash !== row.hash) {
      // The stored details text may be valid JSON that is not canonical: judge by the canonical form.
      bytes = canonicalFromRow(row);
      hash = sha256Hex(bytes);
    }
    if (hash !== row.hash) {
      const original = this.originalSeq(row);
      if (original !== undefined) {
        const shift = seq - original;
        if (shift !== this.shift) {
          this.report(seq, 'reordered', `Event ${seq} holds the event originally numbered ${original}: events were moved or inserted.`);
          this.shift = shift;
        }
      } else {
        this.report(seq, 'hash-mismatch', `Event ${seq} does not match its hash: a field was changed after it was written.`);
      }
      linkExplained = true;
    } else if (this.shift !== 0) {
      this.shift = 0;
    }
    if (row.prev_hash !== this.prevHash && !linkExplained) {
      this.report(seq, 'broken-link', `Event ${seq} does not link to event ${seq - 1}: the chain was cut or rewritten here.`);
    }
    if (row.leaf_hash && !row.leaf_hash.equals(leafHash(bytes)) && hash === row.hash) {
      this.report(seq, 'hash-mismatch', `The stored Merkle leaf of event ${seq} does not match the event.`);
    }
    this.prevHash = row.hash;
    this.tree.push(leafHash(bytes));
    this.expected = Math.max(this.expected, seq) + 1;
    this.checkRoots(this.tree.size);
  }

  private originalSeq(row: VerifyRow): number | undefined {
    if (!this.lookupSeqByHash) return undefined;
    const before = row.prev_hash === ZERO_HASH ? 0 : this.lookupSeqByHash(row.prev_hash);
    if (before === undefined) return undefined;
    const candidate = before + 1;
    if (candidate === row.seq) return undefined;
    const bytes = fastEventBytes({ ...row, seq: candidate });
    return sha256Hex(bytes) === row.hash ? candidate : undefined;
  }

  private checkRoots(size: number): void {
    const list = this.checkpointsBySize.get(size);
    if (!list) return;
    const root = this.tree.root().toString('hex');
    for (const c of list) {
      if (c.root !== root) {
        this.report(size, 'root-mismatch', `The Merkle root of the first ${size} events differs from the checkpoint signed at ${c.ts}: events up to ${size} were rewritten.`);
      }
    }
  }

  /** Reports checkpoints beyond the end of the events (truncation) and returns the final root. */
  finish(): { root: string; size: number; suppressed: number } {
    const size = this.tree.size;
    let maxCheckpoint = 0;
    for (const s of this.checkpointsBySize.keys()) maxCheckpoint = Math.max(maxCheckpoint, s);
    if (maxCheckpoint > size) {
      this.report(size + 1, 'truncated-after-checkpoint', `A checkpoint covers ${maxCheckpoint} events but only ${size} remain: events from ${size + 1} were deleted.`);
    }
    return { root: this.tree.root().toString('hex'), size, suppressed: this.suppressed };
  }
}

function canonicalFromRow(row: VerifyRow): Buffer {
  try {
    return eventCanonicalBytes({ ...row, outcome: row.outcome as 'success', details: JSON.parse(row.details) as Record<string, unknown>, hash: row.hash });
  } catch {
    return fastEventBytes(row);
  }
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  chunk?: number;
}

/** Verifies every checkpoint's signature (DB and checkpoint.json) against the workspace key. */
export function checkCheckpoints(dir: string, dbCheckpoints: Checkpoint[], workspaceId: string, publicKey: KeyObject, problems: VerificationProblem[]): Checkpoint[] {
  const valid: Checkpoint[] = [];
  const all: Checkpoint[] = [...dbCheckpoints];
  const file = readCheckpointFile(dir);
  if (file === 'malformed') {
    problems.push({ seq: null, kind: 'malformed', message: 'checkpoint.json beside the database cannot be read.' });
  } else if (file) {
    all.push(file);
  }
  for (const c of all) {
    if (c.workspace_id !== workspaceId || !checkpointSignatureValid(publicKey, c)) {
      problems.push({ seq: c.size, kind: 'bad-signature', message: `The checkpoint of ${c.size} events signed at ${c.ts} does not carry a valid signature of this workspace.` });
    } else {
      valid.push(c);
    }
  }
  return valid;
}

/** Recomputes the whole ledger of an open workspace database: chain, Merkle roots, checkpoints. */
export async function verifyWorkspaceDb(
  db: Db,
  dir: string,
  ws: { id: string; publicKey: KeyObject },
  opts: VerifyOptions = {},
): Promise<VerificationReport> {
  const problems: VerificationProblem[] = [];
  const dbCheckpoints = listCheckpoints(db, ws.id);
  const checkpoints = checkCheckpoints(dir, dbCheckpoints, ws.id, ws.publicKey, problems);
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  let hashIndex: Map<string, number> | undefined;
  const lookup = (hash: string): number | undefined => {
    if (!hashIndex) {
      hashIndex = new Map();
      for (const r of db.prepare('SELECT seq, hash FROM events').iterate() as Iterable<{ seq: number; hash: string }>) {
        hashIndex.set(r.hash, r.seq);
      }
    }
    return hashIndex.get(hash);
  };
  const verifier = new ChainVerifier(checkpoints, lookup);
  const chunk = opts.chunk ?? 20_000;
  const stmt = db.prepare(
    'SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash, leaf_hash FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  let after = 0;
  for (;;) {
    if (opts.signal?.aborted) throw new CustosError('cancelled', 'Verification was cancelled.');
    const rows = stmt.all(after, chunk) as (VerifyRow & { seq: number })[];
    if (rows.length === 0) break;
    for (const r of rows) verifier.push(r);
    after = rows[rows.length - 1]!.seq;
    opts.onProgress?.(verifier.checked, total);
    // Yield so a cancel request (or the UI host) can be served between chunks.
    await new Promise((r) => setImmediate(r));
  }
  const end = verifier.finish();
  problems.push(...verifier.problems);
  problems.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return buildReport(problems, verifier.checked, dbCheckpoints.length + (readCheckpointFile(dir) ? 1 : 0), end.root, end.suppressed);
}

/** Assembles a report and its one-line summary. */
export function buildReport(problems: VerificationProblem[], eventsChecked: number, checkpointsChecked: number, root: string | null, suppressed = 0): VerificationReport {
  const valid = problems.length === 0;
  const summary = valid
    ? `VALID: ${eventsChecked} events and ${checkpointsChecked} checkpoints verified; root ${root ?? '-'}.`
    : `INVALID: ${problems.length + suppressed} problem${problems.length + suppressed === 1 ? '' : 's'} in ${eventsChecked} events and ${checkpointsChecked} checkpoints.`;
  return { valid, events_checked: eventsChecked, checkpoints_checked: checkpointsChecked, root, problems, summary };
}

/** Formats a report as text lines, as `custos verify` prints it. */
export function formatReport(report: VerificationReport): string {
  const lines = report.problems.map((p) => `${p.seq === null ? '-' : String(p.seq).padStart(8)}  ${p.kind.padEnd(27)} ${p.message}`);
  lines.push(
    `events checked: ${report.events_checked}`,
    `checkpoints checked: ${report.checkpoints_checked}`,
    `root: ${report.root ?? '-'}`,
    report.summary,
  );
  return `${lines.join('\n')}\n`;
}

/** Parses a PEM public key. */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}
