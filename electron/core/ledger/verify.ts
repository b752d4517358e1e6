import { createPublicKey, hash as oneShotHash, type KeyObject } from 'node:crypto';
import type { Checkpoint, PrunedPrefix, VerificationProblem, VerificationReport } from '../../../shared/ledger-types.js';
import { ZERO_HASH } from '../../../shared/ledger-types.js';
import type { Db } from '../db/open.js';
import { CustosError } from '../errors.js';
import { checkpointSignatureValid, listCheckpoints, readCheckpointFile } from './checkpoint.js';
import { checkCheckpointNote, CHECKPOINT_NOTE_FILE, readCheckpointNote } from './checkpoint-note.js';
import { fastEventBytes } from './event-bytes.js';
import { eventCanonicalBytes } from './jcs.js';
import { defaultHashThreads, HashPool, type HashResult } from './hash-batch.js';
import { leafHash, StreamingRoot } from './merkle.js';
import { describePruned, prunePointOf, type PrunePoint } from './prune-point.js';
import { BatchBuilder, RAW_COLUMNS, verifyRowOf, type BatchSummary, type RawRow, type VerifyRow } from './verify-batch.js';
import { DbNodeSource } from './ledger.js';
import { checkWitnessedHeads, type WitnessedHead } from './witnessed-heads.js';

export type { VerifyRow } from './verify-batch.js';

const MAX_PROBLEMS = 1000;

/** A signed tree head the events must match: a checkpoint (signed at `ts`) or checkpoint.note (`ts` null: a note carries no time). */
export interface SignedHead {
  size: number;
  root: string;
  ts: string | null;
  signature: string;
}

/** One-shot SHA-256 (node:crypto `hash`, about twice as fast as createHash for small inputs). */
function sha256Hex(bytes: Buffer): string {
  return oneShotHash('sha256', bytes, 'hex');
}

/**
 * How the verifier finds stored events by hash and by position, to tell a moved event
 * (`reordered`) from a changed one (`hash-mismatch`). Only consulted when something is wrong.
 */
export interface ChainLookup {
  /** Current seq of the stored event whose `hash` column is `hash`. */
  seqOfHash(hash: string): number | undefined;
  /** The stored event at `seq`. */
  rowAt(seq: number): VerifyRow | undefined;
}

/** The action whose details record the signed checkpoint an unlock found beside the database. */
const UNLOCK_ACTION = 'workspace.unlock';
/** How far from its place a moved event is looked for when its predecessor cannot be found. */
const NEIGHBOUR_WINDOW = 8;

/**
 * Checks a sequence of events from seq 1: hashes, links, numbering and the Merkle root at every
 * checkpoint. It reports problems the way an auditor's tool does: per problem the seq and kind.
 *
 * - `hash-mismatch`: the event at seq does not hash to its stored hash (a field was changed).
 * - `reordered`: the event at seq hashes correctly only under another seq, i.e. it was moved;
 *   when the events before it are intact, extra events were inserted and the problem is
 *   reported at the insertion point.
 * - `gap` / `duplicate`: numbering; `broken-link`: prev_hash does not name the previous event.
 * - `root-mismatch`: the Merkle root over the first `size` events differs from a signed checkpoint
 *   (this is what catches a forged chain whose every hash was recomputed).
 * - `truncated-after-checkpoint`: a signed checkpoint covers events that are gone.
 */
export class ChainVerifier {
  readonly problems: VerificationProblem[] = [];
  private expected = 1;
  private lastSeq = 0;
  private prevHash = ZERO_HASH;
  private readonly tree = new StreamingRoot();
  /** Distinct signed heads by size (the same head stored in the database and in checkpoint.json counts once). */
  private readonly checkpointsBySize = new Map<number, SignedHead[]>();
  /** seq - original seq of the run of moved events being read; 0 when events are in place. */
  private shift = 0;
  /** Last seq whose event was not valid in place (changed or moved). */
  private lastDisplaced = 0;
  /** First seq from which numbering is broken (gap, duplicate): tree roots no longer line up with sizes. */
  private treeBrokenAt: number | null = null;
  /** Checkpoints already explained by a truncation seen at an unlock: [from, to, ts of the unlock]. */
  private readonly truncations: { from: number; to: number; ts: string }[] = [];
  private readonly origByHash = new Map<string, number | null>();
  private readonly lookup: ChainLookup | undefined;
  private suppressed = 0;
  checked = 0;
  /** Events of a pruned prefix fed by pushPruned (checked by their kept hashes only). */
  pruned = 0;

  constructor(checkpoints: readonly SignedHead[], lookup?: ChainLookup | ((hash: string) => number | undefined)) {
    this.lookup = typeof lookup === 'function' ? { seqOfHash: lookup, rowAt: () => undefined } : lookup;
    for (const c of checkpoints) {
      const list = this.checkpointsBySize.get(c.size) ?? [];
      if (!list.some((x) => x.root === c.root && x.signature === c.signature)) list.push(c);
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
      this.treeBrokenAt ??= this.expected;
      linkExplained = true;
    } else if (seq < this.expected) {
      this.report(seq, 'duplicate', `Event ${seq} appears again after event ${this.expected - 1}.`);
      this.treeBrokenAt ??= seq;
      return;
    }
    const { bytes, valid } = this.bytesOf(row);
    if (!valid) {
      const original = this.originalSeq(row);
      if (original !== undefined) {
        const shift = seq - original;
        if (shift !== this.shift) {
          if (shift > 0 && this.lastDisplaced < original) {
            // The events original … seq-1 are intact in place, yet the original event `original`
            // comes only now: they were inserted.
            this.report(
              original,
              'reordered',
              `${shift === 1 ? `Event ${original} was` : `Events ${original}–${seq - 1} were`} inserted: event ${seq} holds the event originally numbered ${original}, and the events after it are renumbered.`,
            );
          } else {
            this.report(seq, 'reordered', `Event ${seq} holds the event originally numbered ${original}: events were moved, inserted or deleted.`);
          }
          this.shift = shift;
        }
      } else {
        this.report(seq, 'hash-mismatch', `Event ${seq} does not match its hash: a field was changed after it was written.`);
      }
      this.lastDisplaced = seq;
      linkExplained = true;
    } else {
      this.shift = 0;
      this.checkUnlock(row);
    }
    if (row.prev_hash !== this.prevHash && !linkExplained) {
      // After a moved event (already reported), an intact event still names its original predecessor.
      const explained = this.lastDisplaced === seq - 1 && this.originalOfHash(row.prev_hash) === seq - 1;
      if (!explained) this.report(seq, 'broken-link', `Event ${seq} does not link to event ${seq - 1}: the chain was cut or rewritten here.`);
    }
    if (row.leaf_hash && valid && !row.leaf_hash.equals(leafHash(bytes))) {
      this.report(seq, 'hash-mismatch', `The stored Merkle leaf of event ${seq} does not match the event.`);
    }
    this.prevHash = row.hash;
    this.tree.push(leafHash(bytes));
    this.expected = Math.max(this.expected, seq) + 1;
    this.lastSeq = Math.max(this.lastSeq, seq);
    if (this.treeBrokenAt === null) this.checkRoots(this.tree.size);
  }

  /**
   * Feeds an event of the pruned prefix (migration 017): its body is gone, so only what stayed is
   * checked. Numbering and the link to the previous hash as for any event; its stored leaf joins the
   * tree, so the signed checkpoint at the prune point (and every later one) proves the leaves.
   */
  pushPruned(seq: number, prevHash: string, hash: string, leaf: Buffer): void {
    this.checked++;
    this.pruned++;
    let linkExplained = false;
    if (seq > this.expected) {
      const missing = seq - this.expected;
      this.report(this.expected, 'gap', `Events ${this.expected}${missing > 1 ? `–${seq - 1}` : ''} are missing (${missing} deleted).`);
      this.treeBrokenAt ??= this.expected;
      linkExplained = true;
    } else if (seq < this.expected) {
      this.report(seq, 'duplicate', `Event ${seq} appears again after event ${this.expected - 1}.`);
      this.treeBrokenAt ??= seq;
      return;
    }
    if (prevHash !== this.prevHash && !linkExplained) {
      this.report(seq, 'broken-link', `Pruned event ${seq} does not link to event ${seq - 1}: the kept hashes of the pruned events were changed.`);
    }
    if (leaf.length !== 32) this.report(seq, 'hash-mismatch', `The stored Merkle leaf of pruned event ${seq} is not a SHA-256 hash.`);
    this.prevHash = hash;
    this.tree.push(leaf);
    this.expected = Math.max(this.expected, seq) + 1;
    this.lastSeq = Math.max(this.lastSeq, seq);
    if (this.treeBrokenAt === null) this.checkRoots(this.tree.size);
  }

  /** Counts of leaves (1..n, ascending, n last) into a batch of n events from `firstSeq` at which a signed head is to be checked. */
  cutsFor(firstSeq: number, n: number): Int32Array {
    const cuts: number[] = [];
    for (const size of this.checkpointsBySize.keys()) {
      const c = size - firstSeq + 1;
      if (c >= 1 && c < n) cuts.push(c);
    }
    cuts.sort((a, b) => a - b).push(n);
    return Int32Array.from(cuts);
  }

  /**
   * Feeds a batch of stored events whose bytes were hashed elsewhere (`hashed`, null when the reader
   * already saw them misnumbered or mislinked). An intact batch that continues the ledger in place
   * is taken whole: its subtrees join the tree and only unlocks and signed heads inside it are
   * looked at. Anything else goes event by event through `push` (`rows` reads it again), so every
   * report is the same.
   */
  pushBatch(batch: BatchSummary, hashed: HashResult | null, cuts: Int32Array, rows: () => RawRow[]): void {
    const n = batch.count;
    const top = 2 ** Math.floor(Math.log2(n));
    const intact =
      hashed !== null &&
      hashed.bad.length === 0 &&
      batch.firstSeq === this.expected &&
      batch.firstPrevHash === this.prevHash &&
      this.tree.size === batch.firstSeq - 1 &&
      this.tree.size % top === 0;
    if (!intact) {
      for (const r of rows()) this.push(verifyRowOf(r));
      return;
    }
    let unlock = 0;
    let offset = 0;
    for (const c of cuts) {
      // Unlocks at or before this size come first, as when events are fed one by one.
      for (; unlock < batch.marked.length && batch.marked[unlock]!.index < c; unlock++) this.checkUnlock(batch.marked[unlock]!.row);
      const tree = c === n ? this.tree : this.tree.clone();
      for (let l = 31; l >= 0; l--) {
        if (Math.floor(c / 2 ** l) % 2 !== 1) continue;
        tree.pushSubtree(Buffer.from(hashed.frontiers.subarray(offset, offset + 32)), l);
        offset += 32;
      }
      if (this.treeBrokenAt === null) this.checkRoots(batch.firstSeq - 1 + c, tree);
    }
    this.checked += n;
    this.shift = 0;
    this.prevHash = batch.lastHash;
    this.expected = batch.lastSeq + 1;
    this.lastSeq = Math.max(this.lastSeq, batch.lastSeq);
  }

  /** C(e) of a row and whether it hashes to the stored hash (judged on canonical details when the stored text is not). */
  private bytesOf(row: VerifyRow): { bytes: Buffer; valid: boolean } {
    const bytes = fastEventBytes(row);
    if (sha256Hex(bytes) === row.hash) return { bytes, valid: true };
    // The stored details text may be valid JSON that is not canonical: judge by the canonical form.
    const canonical = canonicalFromRow(row);
    return sha256Hex(canonical) === row.hash ? { bytes: canonical, valid: true } : { bytes, valid: false };
  }

  /**
   * An unlock records the size of the signed checkpoint beside the database. If fewer events were
   * left than it covers, events were deleted while the workspace was locked; later events (this
   * unlock among them) were appended to the shortened ledger.
   */
  private checkUnlock(row: VerifyRow): void {
    if (row.action !== UNLOCK_ACTION || !row.details.includes('checkpoint_size')) return;
    let size: unknown;
    try {
      size = (JSON.parse(row.details) as { checkpoint_size?: unknown }).checkpoint_size;
    } catch {
      return;
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < row.seq) return;
    this.truncations.push({ from: row.seq, to: size, ts: row.ts });
    this.report(
      row.seq,
      'truncated-after-checkpoint',
      `When the workspace was unlocked at event ${row.seq}, its signed checkpoint covered ${size} events but only ${row.seq - 1} were left: events from ${row.seq} had been deleted.`,
    );
  }

  /** The seq an invalid-in-place event was written with, found through its predecessor; undefined when it was changed. */
  private originalSeq(row: VerifyRow): number | undefined {
    if (!this.lookup) return undefined;
    const known = this.origByHash.get(row.hash);
    if (known !== undefined) return known ?? undefined;
    const original = this.matchSeq(row, this.originalOfHash(row.prev_hash));
    this.origByHash.set(row.hash, original ?? null);
    return original;
  }

  /**
   * The seq under which `row` hashes to its stored hash, other than its own: first the successor of
   * its predecessor, then (when the predecessor itself is gone, e.g. deleted and the rest renumbered)
   * the shift of the current run and a few neighbouring seqs.
   */
  private matchSeq(row: VerifyRow, before: number | undefined): number | undefined {
    const candidates = new Set<number>();
    if (before !== undefined) candidates.add(before + 1);
    else {
      if (this.shift !== 0) candidates.add(row.seq - this.shift);
      for (let d = 1; d <= NEIGHBOUR_WINDOW; d++) candidates.add(row.seq + d).add(row.seq - d);
    }
    for (const c of candidates) {
      if (c >= 1 && c !== row.seq && sha256Hex(fastEventBytes({ ...row, seq: c })) === row.hash) return c;
    }
    return undefined;
  }

  /**
   * The original seq of the stored event whose hash is `hash`: its current seq when it is intact
   * there, else found from its own predecessor. Iterative, so a long run of moved events costs
   * one step per event, each remembered.
   */
  private originalOfHash(hash: string): number | undefined {
    if (hash === ZERO_HASH) return 0;
    if (!this.lookup) return undefined;
    const pending: VerifyRow[] = [];
    const seen = new Set<string>();
    let h = hash;
    let base: number | undefined;
    for (;;) {
      if (h === ZERO_HASH) {
        base = 0;
        break;
      }
      // A forged prev_hash can point back into the walk (even at the event itself).
      if (seen.has(h)) {
        base = undefined;
        break;
      }
      seen.add(h);
      const known = this.origByHash.get(h);
      if (known !== undefined) {
        base = known ?? undefined;
        break;
      }
      const at = this.lookup.seqOfHash(h);
      const stored = at === undefined ? undefined : this.lookup.rowAt(at);
      if (!stored || stored.hash !== h) {
        base = undefined;
        break;
      }
      if (this.bytesOf(stored).valid) {
        this.origByHash.set(h, stored.seq);
        base = stored.seq;
        break;
      }
      pending.push(stored);
      h = stored.prev_hash;
    }
    // Unwind: each pending event is the successor of the one resolved before it.
    for (let i = pending.length - 1; i >= 0; i--) {
      const r = pending[i]!;
      base = this.matchSeq(r, base);
      this.origByHash.set(r.hash, base ?? null);
    }
    return base;
  }

  private checkRoots(size: number, tree: StreamingRoot = this.tree): void {
    const list = this.checkpointsBySize.get(size);
    if (!list) return;
    const root = tree.root().toString('hex');
    for (const c of list) {
      if (c.root === root) continue;
      // A head signed before a truncation that an unlock already reported is explained by it.
      if (this.truncations.some((t) => size >= t.from && size <= t.to && (c.ts === null || c.ts <= t.ts))) continue;
      const signed = c.ts === null ? `the tree head signed in ${CHECKPOINT_NOTE_FILE}` : `the checkpoint signed at ${c.ts}`;
      this.report(size, 'root-mismatch', `The Merkle root of the first ${size} events differs from ${signed}: events up to ${size} were rewritten.`);
    }
  }

  /** Reports checkpoints beyond the end of the events (truncation) and returns the final root. */
  finish(): { root: string; size: number; suppressed: number } {
    const size = this.tree.size;
    let maxCheckpoint = 0;
    for (const s of this.checkpointsBySize.keys()) maxCheckpoint = Math.max(maxCheckpoint, s);
    const explained = this.truncations.some((t) => maxCheckpoint <= t.to);
    if (maxCheckpoint > this.lastSeq && !explained) {
      this.report(
        this.lastSeq + 1,
        'truncated-after-checkpoint',
        `A checkpoint covers ${maxCheckpoint} events but only ${this.lastSeq} remain: events from ${this.lastSeq + 1} were deleted.`,
      );
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
  /** Events per batch (a power of two); BATCH unless a test wants many small ones. */
  batch?: number;
  /** Hashing threads; by default none for a small ledger, else one per spare core. */
  threads?: number;
  /** Tree heads trusted witnesses cosigned (their signatures already checked): today's ledger must extend each. */
  witnessed?: readonly WitnessedHead[];
}

/** Events read and hashed per batch: 2^14, so every full batch is one complete Merkle subtree. */
const BATCH = 16_384;
/** Rows read per statement call (at most a quarter of a batch). */
const READ_CHUNK = 1024;

/**
 * Verifies every checkpoint's signature (DB and checkpoint.json) and checkpoint.note against the
 * workspace key; returns the signed heads the events must then match.
 */
export function checkCheckpoints(dir: string, dbCheckpoints: Checkpoint[], workspaceId: string, publicKey: KeyObject, problems: VerificationProblem[]): SignedHead[] {
  const valid: SignedHead[] = [];
  const all: Checkpoint[] = [...dbCheckpoints];
  const file = readCheckpointFile(dir);
  if (file === 'malformed') {
    problems.push({ seq: null, kind: 'malformed', message: 'checkpoint.json beside the database cannot be read.' });
  } else if (file === null) {
    // Every workspace writes one at init; without it, deleting the newest events could go unnoticed.
    problems.push({ seq: null, kind: 'malformed', message: 'checkpoint.json is missing beside the database, so deleted newest events could go unnoticed.' });
  } else {
    all.push(file);
  }
  for (const c of all) {
    if (c.workspace_id !== workspaceId || !checkpointSignatureValid(publicKey, c)) {
      problems.push({ seq: c.size, kind: 'bad-signature', message: `The checkpoint of ${c.size} events signed at ${c.ts} does not carry a valid signature of this workspace.` });
    } else {
      valid.push(c);
    }
  }
  const note = noteHead(dir, workspaceId, publicKey, problems);
  // The note names the same head as checkpoint.json unless one of them was replaced: only a head no checkpoint names adds a check.
  if (note && !valid.some((c) => c.size === note.size && c.root === note.root)) valid.push(note);
  return valid;
}

/** The tree head of checkpoint.note beside the database, after checking its signature; null (with a problem) when it does not hold. */
function noteHead(dir: string, workspaceId: string, publicKey: KeyObject, problems: VerificationProblem[]): SignedHead | null {
  const bytes = readCheckpointNote(dir);
  if (bytes === null) {
    problems.push({ seq: null, kind: 'malformed', message: `${CHECKPOINT_NOTE_FILE} is missing beside the database.` });
    return null;
  }
  const checked = bytes === 'too-large' ? ({ ok: false, kind: 'malformed', reason: 'is too large to be a checkpoint' } as const) : checkCheckpointNote(bytes, workspaceId, publicKey);
  if (!checked.ok) {
    problems.push({ seq: null, kind: checked.kind, message: `${CHECKPOINT_NOTE_FILE} beside the database ${checked.reason}.` });
    return null;
  }
  return { size: checked.head.size, root: checked.head.root, ts: null, signature: CHECKPOINT_NOTE_FILE };
}

/**
 * Recomputes the whole ledger of an open workspace database: chain, Merkle roots, checkpoints.
 * Events are read in order into batches of 2^14 (complete Merkle subtrees) whose bytes are hashed
 * in worker threads while the next batch is read; this thread checks numbering and links as it
 * reads and folds each intact batch's subtrees into the tree. A batch with anything wrong in it is
 * checked event by event, so the report names the same problems at the same seqs either way.
 */
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
  // Built only when something is wrong: an intact ledger never needs to find events by hash.
  let hashIndex: Map<string, number> | undefined;
  const rowStmt = db.prepare(
    'SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash FROM events WHERE seq = ?',
  );
  const lookup: ChainLookup = {
    seqOfHash(hash) {
      if (!hashIndex) {
        hashIndex = new Map();
        for (const r of db.prepare('SELECT seq, hash FROM events').iterate() as Iterable<{ seq: number; hash: string }>) {
          hashIndex.set(r.hash, r.seq);
        }
      }
      return hashIndex.get(hash);
    },
    rowAt: (seq) => rowStmt.get(seq) as VerifyRow | undefined,
  };
  const verifier = new ChainVerifier(checkpoints, lookup);
  const batch = opts.batch ?? BATCH;
  const pool = new HashPool(opts.threads ?? (total > 4 * batch ? defaultHashThreads() : 0));
  // Rows are read in small chunks and let go once laid out (short-lived, so cheap to collect); a
  // batch that must be checked event by event is read again.
  const stmt = db.prepare(`SELECT ${RAW_COLUMNS} FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw(true);
  const reread = (b: BatchSummary) => () => stmt.all(b.after, b.count) as RawRow[];
  const chunk = Math.max(1, Math.min(READ_CHUNK, Math.floor(batch / 4)));
  // Reading runs ahead of hashing by one batch per thread, so both stay busy.
  const queue: { batch: BatchSummary; cuts: Int32Array; hashed: Promise<HashResult> | null }[] = [];
  const settle = async () => {
    // A turn of the event loop per batch, so a cancel request (or the UI host) is served: a thread's
    // answers that are already waiting would otherwise be taken one after another without one.
    await new Promise((r) => setImmediate(r));
    const head = queue.shift()!;
    verifier.pushBatch(head.batch, head.hashed ? await head.hashed : null, head.cuts, reread(head.batch));
    opts.onProgress?.(verifier.checked, total);
  };
  const submit = (builder: BatchBuilder) => {
    const b = builder.summary;
    const cuts = verifier.cutsFor(b.firstSeq, b.count);
    // A copy of the cuts goes with the job: its arrays move to another thread.
    const job = builder.job(cuts.slice());
    queue.push({ batch: b, cuts, hashed: job ? pool.run(job) : null });
  };
  const prune = prunePointOf(db);
  if (prune) problems.push(...prunePointProblems(prune, checkpoints));
  try {
    let after = 0;
    if (prune) {
      // The pruned prefix: bodies are gone, the kept hashes and leaves are checked one by one (a body still
      // there is checked in full). Batches then restart at the next multiple of the batch size, aligned again.
      for (;;) {
        if (opts.signal?.aborted) throw new CustosError('cancelled', 'Verification was cancelled.');
        const rows = stmt.all(after, READ_CHUNK_PRUNED) as RawRow[];
        for (const r of rows) {
          if (r[0] > prune.throughSeq) break;
          if (isBlankBody(r)) verifier.pushPruned(r[0], r[8], r[9], Buffer.from(r[10] ?? '', 'hex'));
          else verifier.push(verifyRowOf(r));
          after = r[0];
        }
        if (rows.length < READ_CHUNK_PRUNED || rows[rows.length - 1]![0] > prune.throughSeq) break;
        opts.onProgress?.(verifier.checked, total);
        await new Promise((r) => setImmediate(r));
      }
    }
    let builder = new BatchBuilder(after % batch === 0 ? batch : batch - (after % batch), after, UNLOCK_ACTION);
    for (;;) {
      if (opts.signal?.aborted) throw new CustosError('cancelled', 'Verification was cancelled.');
      const rows = stmt.all(after, Math.min(chunk, builder.capacity - builder.summary.count)) as RawRow[];
      if (rows.length === 0) break;
      for (const r of rows) builder.add(r);
      after = rows[rows.length - 1]![0];
      if (builder.full) {
        submit(builder);
        builder = new BatchBuilder(batch, after, UNLOCK_ACTION);
        if (queue.length > pool.threads) await settle();
      }
    }
    if (builder.summary.count > 0) submit(builder);
    while (queue.length > 0) await settle();
  } finally {
    // Batches still queued after a cancel or a failure are dropped with the threads.
    for (const q of queue) q.hashed?.catch(() => undefined);
    await pool.close();
  }
  const end = verifier.finish();
  problems.push(...verifier.problems);
  const witnessed = opts.witnessed?.length ? checkWitnessedHeads(new DbNodeSource(db), end.size, end.root, opts.witnessed, problems) : undefined;
  if (prune) problems.push(...pruneEventProblems(db, prune, problems));
  problems.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const files = (readCheckpointFile(dir) ? 1 : 0) + (readCheckpointNote(dir) ? 1 : 0);
  const report = buildReport(problems, verifier.checked, dbCheckpoints.length + files, end.root, end.suppressed, prune ? prunedOf(prune) : undefined);
  return witnessed ? { ...report, witnessed } : report;
}

/** Rows of the pruned prefix read per statement call. */
const READ_CHUNK_PRUNED = 4096;

/** True when a stored row has the blank body pruning leaves (migration 017's trigger admits only that). */
function isBlankBody(r: RawRow): boolean {
  return r[2] === '' && r[3] === '' && r[4] === '' && r[5] === '' && r[6] === '' && r[7] === '{}';
}

/** The report's account of a pruned prefix. */
export function prunedOf(p: PrunePoint): PrunedPrefix {
  return { through_seq: p.throughSeq, pruned_at: p.prunedAt, policy: p.policy, checkpoint_root: p.checkpointRoot, description: describePruned(p) };
}

/** The prune point must name a signed checkpoint of its size that verified (the proof of the pruned leaves). */
function prunePointProblems(p: PrunePoint, heads: readonly SignedHead[]): VerificationProblem[] {
  if (heads.some((h) => h.size === p.throughSeq && h.root === p.checkpointRoot && h.ts === p.checkpointTs)) return [];
  return [
    {
      seq: p.throughSeq,
      kind: 'bad-signature',
      message: `Events 1–${p.throughSeq} were pruned, but no validly signed checkpoint of ${p.throughSeq} events with the recorded root is stored: the pruned prefix cannot be proven.`,
    },
  ];
}

/**
 * The prune point in the database must be the one the ledger itself records: the latest successful
 * ledger.prune event (hashed, chained and under every later checkpoint) names the same range and root.
 */
function pruneEventProblems(db: Db, p: PrunePoint, found: readonly VerificationProblem[]): VerificationProblem[] {
  const row = db
    .prepare("SELECT seq, details FROM events WHERE action = 'ledger.prune' AND outcome = 'success' AND seq > ? ORDER BY seq DESC LIMIT 1")
    .get(p.throughSeq) as { seq: number; details: string } | undefined;
  let details: { through_seq?: unknown; checkpoint_root?: unknown } = {};
  try {
    details = row ? (JSON.parse(row.details) as typeof details) : {};
  } catch {
    // Unreadable details are a hash mismatch the chain already reports.
  }
  if (row && found.some((x) => x.seq === row.seq)) return [];
  if (row && details.through_seq === p.throughSeq && details.checkpoint_root === p.checkpointRoot) return [];
  return [
    {
      seq: p.throughSeq,
      kind: 'malformed',
      message: `The database says events 1–${p.throughSeq} were pruned, but no prune event in the ledger records that range and checkpoint.`,
    },
  ];
}

/** Assembles a report and its one-line summary. */
export function buildReport(
  problems: VerificationProblem[],
  eventsChecked: number,
  checkpointsChecked: number,
  root: string | null,
  suppressed = 0,
  pruned?: PrunedPrefix,
): VerificationReport {
  const valid = problems.length === 0;
  // A pruned prefix is part of a valid ledger, said first: its events are proven by their kept hashes.
  const prefix = pruned ? `${pruned.description[0]!.toUpperCase()}${pruned.description.slice(1)} (proven by their hashes and the checkpoint signed then); ` : '';
  const summary = valid
    ? `VALID: ${prefix}${eventsChecked} events and ${checkpointsChecked} checkpoints verified; root ${root ?? '-'}.`
    : `INVALID: ${problems.length + suppressed} problem${problems.length + suppressed === 1 ? '' : 's'} in ${eventsChecked} events and ${checkpointsChecked} checkpoints${pruned ? ` (${pruned.description})` : ''}.`;
  return { valid, events_checked: eventsChecked, checkpoints_checked: checkpointsChecked, root, problems, summary, ...(pruned ? { pruned } : {}) };
}

/** Formats a report as text lines, as `custos verify` prints it. */
export function formatReport(report: VerificationReport): string {
  const lines = report.problems.map((p) => `${p.seq === null ? '-' : String(p.seq).padStart(8)}  ${p.kind.padEnd(27)} ${p.message}`);
  for (const w of report.witnessed ?? []) {
    lines.push(`witness: ${w.cosigner} cosigned ${w.size} events at ${w.cosigned_at}: ${w.consistent ? "today's ledger extends it (consistency proof verified)" : "NOT extended by today's ledger"}`);
  }
  lines.push(
    `events checked: ${report.events_checked}`,
    `checkpoints checked: ${report.checkpoints_checked}`,
    `root: ${report.root ?? '-'}`,
    ...(report.pruned ? [`pruned: ${report.pruned.description}`] : []),
    report.summary,
  );
  return `${lines.join('\n')}\n`;
}

/** Parses a PEM public key. */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}
