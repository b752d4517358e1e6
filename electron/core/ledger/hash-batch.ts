import * as nodeCrypto from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/*
 * The hashing half of verification, for a batch of consecutive events: each event's canonical
 * bytes C(e) are laid out once, after a 0x00 byte, so the chain hash SHA-256(C(e)) and the leaf
 * hash SHA-256(0x00 || C(e)) are taken from the same bytes without copying. The batch starts at an
 * aligned leaf index, so its leaves form complete subtrees that the reader folds into its tree.
 */

/** One batch of events to hash. Every array is transferred to the thread that hashes it. */
export interface HashJob {
  /** Per event: 0x00, then C(e). */
  bytes: Uint8Array;
  /** offsets[i] is where event i's 0x00 byte is; offsets[n] is the end. */
  offsets: Int32Array;
  /** The stored chain hashes as their text, 64 bytes per event (lower-case hex when intact). */
  hashes: Uint8Array;
  /** The stored Merkle leaves as lower(hex()) gives them, 64 bytes per event. */
  leaves: Uint8Array;
  /** Ascending counts of leaves (1..n, n last) after which the tree's right edge is wanted. */
  cuts: Int32Array;
}

/** What hashing a batch found. */
export interface HashResult {
  /** Indices of the events whose chain hash or stored leaf does not match their bytes. */
  bad: Int32Array;
  /**
   * For each cut c in order: the complete subtrees that make up the first c leaves of the batch,
   * largest first (one per set bit of c), 32 bytes each.
   */
  frontiers: Uint8Array;
}

/**
 * Hashes one batch. Self-contained on purpose (no imports, no closures, no named inner
 * functions): its source text is also the body of the worker threads.
 */
export function hashBatch(crypto: typeof nodeCrypto, job: HashJob): HashResult {
  const n = job.offsets.length - 1;
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const hashes = Buffer.from(job.hashes.buffer, job.hashes.byteOffset, job.hashes.byteLength);
  const leaves = Buffer.from(job.leaves.buffer, job.leaves.byteOffset, job.leaves.byteLength);
  const node = Buffer.allocUnsafeSlow(65);
  node[0] = 0x01;
  const frontier: Buffer[] = [];
  const bad: number[] = [];
  const out: Buffer[] = [];
  let cut = 0;
  for (let i = 0; i < n; i++) {
    const start = job.offsets[i]!;
    const end = job.offsets[i + 1]!;
    const chain = crypto.hash('sha256', bytes.subarray(start + 1, end), 'hex');
    let hash = crypto.hash('sha256', bytes.subarray(start, end), 'buffer');
    // Text against text: exactly the comparison made event by event (a stored hash in upper case is wrong there too).
    if (chain !== hashes.toString('latin1', i * 64, i * 64 + 64) || hash.toString('hex') !== leaves.toString('latin1', i * 64, i * 64 + 64)) bad.push(i);
    let level = 0;
    for (let c = i; c % 2 === 1; c = (c - 1) / 2) {
      frontier[level]!.copy(node, 1);
      hash.copy(node, 33);
      hash = crypto.hash('sha256', node, 'buffer');
      level++;
    }
    frontier[level] = hash;
    while (cut < job.cuts.length && job.cuts[cut] === i + 1) {
      for (let l = 31; l >= 0; l--) if (Math.floor((i + 1) / 2 ** l) % 2 === 1) out.push(frontier[l]!);
      cut++;
    }
  }
  const frontiers = new Uint8Array(out.length * 32);
  out.forEach((h, k) => frontiers.set(h, k * 32));
  return { bad: Int32Array.from(bad), frontiers };
}

/** A run of consecutive leaves of a bundle's tree: the events' bytes and the chain hashes they claim. */
export interface RangeJob {
  /** Per event: 0x00, then C(e). */
  bytes: Uint8Array;
  /** offsets[i] is where event i's 0x00 byte is; offsets[n] is the end. */
  offsets: Int32Array;
  /** The chain hashes the events carry, as lower-case hex text, 64 bytes per event. */
  hashes: Uint8Array;
  /** Leaf index of the first event in the whole tree: the range need not start at an aligned index. */
  start: number;
}

/** What hashing a range found. */
export interface RangeResult {
  /** Indices of the events whose chain hash does not match their bytes. */
  bad: Int32Array;
  /**
   * The range cut into the largest complete subtrees that are aligned in the whole tree, in leaf
   * order (so a StreamingRoot can take them with pushSubtree): levels[k] and 32 bytes of roots each.
   */
  levels: Int32Array;
  roots: Uint8Array;
}

/**
 * Hashes a range of a tree that is read front to back (a complete bundle's events): each event's
 * chain hash is checked against the one it carries, and its leaf joins the subtree it belongs to.
 * Self-contained like hashBatch, for the same reason.
 */
export function hashRange(crypto: typeof nodeCrypto, job: RangeJob): RangeResult {
  const n = job.offsets.length - 1;
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const hashes = Buffer.from(job.hashes.buffer, job.hashes.byteOffset, job.hashes.byteLength);
  const node = Buffer.allocUnsafeSlow(65);
  node[0] = 0x01;
  const bad: number[] = [];
  const levels: number[] = [];
  const roots: Buffer[] = [];
  let i = 0;
  let pos = job.start;
  const end = job.start + n;
  while (pos < end) {
    // The largest subtree that starts at pos (a multiple of its width) and ends by the range's end.
    let level = 0;
    while (pos % 2 ** (level + 1) === 0 && pos + 2 ** (level + 1) <= end) level++;
    const frontier: Buffer[] = [];
    for (let k = 0; k < 2 ** level; k++, i++) {
      const start = job.offsets[i]!;
      const stop = job.offsets[i + 1]!;
      if (crypto.hash('sha256', bytes.subarray(start + 1, stop), 'hex') !== hashes.toString('latin1', i * 64, i * 64 + 64)) bad.push(i);
      let hash = crypto.hash('sha256', bytes.subarray(start, stop), 'buffer');
      let l = 0;
      for (let c = k; c % 2 === 1; c = (c - 1) / 2) {
        frontier[l]!.copy(node, 1);
        hash.copy(node, 33);
        hash = crypto.hash('sha256', node, 'buffer');
        l++;
      }
      frontier[l] = hash;
    }
    levels.push(level);
    roots.push(frontier[level]!);
    pos += 2 ** level;
  }
  const out = new Uint8Array(roots.length * 32);
  roots.forEach((h, k) => out.set(h, k * 32));
  return { bad: Int32Array.from(bad), levels: Int32Array.from(levels), roots: out };
}

// `__name` stands in for the helper a TypeScript transform may wrap inner functions with.
const WORKER_SOURCE = `'use strict';
const __name = (f) => f;
const crypto = require('node:crypto');
const { parentPort } = require('node:worker_threads');
const hashBatch = ${hashBatch.toString()};
const hashRange = ${hashRange.toString()};
parentPort.on('message', ({ id, job }) => {
  if ('start' in job) {
    const result = hashRange(crypto, job);
    parentPort.postMessage({ id, result }, [result.bad.buffer, result.levels.buffer, result.roots.buffer]);
  } else {
    const result = hashBatch(crypto, job);
    parentPort.postMessage({ id, result }, [result.bad.buffer, result.frontiers.buffer]);
  }
});
`;

/** How many hashing threads verification uses beside the reading thread. */
export function defaultHashThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Hashes batches in worker threads (or, with 0 threads, on this thread as they come). The worker
 * runs from source text, so the same code serves the compiled app and the TypeScript test run.
 */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: never) => void; reject: (err: unknown) => void }>();
  private nextId = 0;
  private failure: unknown = null;

  constructor(readonly threads: number) {
    try {
      for (let i = 0; i < threads; i++) this.workers.push(this.start());
    } catch (err) {
      // A thread that could not start: those already started must not outlive the pool.
      for (const w of this.workers) void w.terminate();
      throw err;
    }
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', ({ id, result }: { id: number; result: never }) => {
      this.pending.get(id)?.resolve(result);
      this.pending.delete(id);
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`A verification thread stopped (exit code ${code}).`));
    });
    return worker;
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Hashes a batch; its arrays are handed over (unusable here afterwards). */
  run(job: HashJob): Promise<HashResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.workers.length === 0) return Promise.resolve(hashBatch(nodeCrypto, job));
    return this.post(job, [job.bytes.buffer, job.offsets.buffer, job.hashes.buffer, job.leaves.buffer, job.cuts.buffer] as ArrayBuffer[]);
  }

  /** Hashes a range of a tree read front to back; its arrays are handed over. */
  runRange(job: RangeJob): Promise<RangeResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.workers.length === 0) return Promise.resolve(hashRange(nodeCrypto, job));
    return this.post(job, [job.bytes.buffer, job.offsets.buffer, job.hashes.buffer] as ArrayBuffer[]);
  }

  private post<R>(job: HashJob | RangeJob, transfer: ArrayBuffer[]): Promise<R> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: never) => void, reject });
      worker.postMessage({ id, job }, transfer);
    });
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.failure ??= new Error('The verification threads were stopped.');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
