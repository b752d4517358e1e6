import { createHash, hash as oneShotHash } from 'node:crypto';
import { CustosError } from '../errors.js';

// RFC 6962 §2.1 / RFC 9162 §2.1 Merkle tree over the ledger.
//
// Storage model: a leaf hash is stored with each event, and the hash of a complete subtree is
// persisted only at levels that are positive multiples of STORED_LEVEL_STEP (subtrees of 16,
// 256, 4096 … leaves). That costs about N/15 extra rows, yet any node can be recomputed from at
// most 2^STORED_LEVEL_STEP stored hashes below it, so roots and proofs for any size need a few
// hundred reads instead of a pass over every event.

/** Complete subtree hashes are persisted only at levels that are positive multiples of this. */
export const STORED_LEVEL_STEP = 4;

/** Every hash in the tree is a SHA-256 digest of this many bytes. */
export const HASH_BYTES = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// One-shot hashing of a prepared buffer is measurably cheaper than a createHash() object per
// node, and nodeHash runs for every appended event. Safe to reuse: hashing is synchronous.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeScratch[0] = NODE_PREFIX;

/** A complete subtree hash to persist: 2^level leaves starting at leaf `index * 2^level`. */
export interface StoredNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * Where the builders read the tree from (the events table in a workspace, arrays in a bundle).
 * `leaf` returns the stored leaf hash and throws when the leaf does not exist. `stored` returns
 * the persisted hash of the complete subtree of 2^level leaves starting at leaf index*2^level,
 * or undefined; the builders ask for it only at levels where `isStoredLevel(level)` holds.
 */
export interface MerkleNodeSource {
  leaf(index: number): Buffer;
  stored(level: number, index: number): Buffer | undefined;
}

/** True for the levels at which complete subtree hashes are persisted. */
export function isStoredLevel(level: number): boolean {
  return level > 0 && level % STORED_LEVEL_STEP === 0;
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: Buffer): Buffer {
  const input = Buffer.allocUnsafe(data.length + 1);
  input[0] = LEAF_PREFIX;
  data.copy(input, 1);
  return oneShotHash('sha256', input, 'buffer');
}

/** RFC 6962 leaf hash of an input that already starts with the 0x00 prefix (event-bytes.ts leafInputBytes). */
export function prefixedLeafHash(input: Buffer): Buffer {
  if (input[0] !== LEAF_PREFIX) throw new Error('A leaf hash input must start with the 0x00 leaf prefix.');
  return oneShotHash('sha256', input, 'buffer');
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length === HASH_BYTES && right.length === HASH_BYTES) {
    left.copy(nodeScratch, 1);
    right.copy(nodeScratch, 1 + HASH_BYTES);
    return oneShotHash('sha256', nodeScratch, 'buffer');
  }
  return createHash('sha256').update(Buffer.of(NODE_PREFIX)).update(left).update(right).digest();
}

/** Root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

// Plain arithmetic instead of bit operators: JS bit operators truncate to 32 bits, and tree
// sizes are only bounded by Number.MAX_SAFE_INTEGER.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

/** Largest power of two strictly below n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two, else -1. */
function exactLog2(n: number): number {
  let level = 0;
  let p = 1;
  while (p < n) {
    p *= 2;
    level++;
  }
  return p === n ? level : -1;
}

/** frontier[level], which the caller knows is set; a miss means the appender's state is corrupt. */
function slot(frontier: readonly Buffer[], level: number): Buffer {
  const hash = frontier[level];
  if (!hash) throw new Error(`Merkle frontier has no subtree at level ${level}.`);
  return hash;
}

function assertSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new CustosError('validation', `The ${what} must be a whole number of events, not ${String(size)}.`);
  }
}

/** Hash of the complete subtree of 2^level leaves that starts at leaf `index * 2^level`. */
export function completeSubtreeHash(src: MerkleNodeSource, level: number, index: number): Buffer {
  if (level === 0) return src.leaf(index);
  if (isStoredLevel(level)) {
    const hash = src.stored(level, index);
    if (hash) return hash;
  }
  // Not persisted (or lost): rebuild from the children, which bottoms out at the next stored
  // level or at the leaves.
  return nodeHash(
    completeSubtreeHash(src, level - 1, 2 * index),
    completeSubtreeHash(src, level - 1, 2 * index + 1),
  );
}

/** MTH(D[start:start+n]) for n >= 1, per the RFC recursion, using complete subtrees where aligned. */
function mth(src: MerkleNodeSource, start: number, n: number): Buffer {
  const level = exactLog2(n);
  if (level >= 0 && start % n === 0) return completeSubtreeHash(src, level, start / n);
  const k = splitPoint(n);
  return nodeHash(mth(src, start, k), mth(src, start + k, n - k));
}

/** MTH(D[start:end]), the RFC 6962 hash of any range of leaves. */
export function subtreeHash(src: MerkleNodeSource, start: number, end: number): Buffer {
  assertSize(start, 'range start');
  assertSize(end, 'range end');
  if (end < start) {
    throw new CustosError('validation', `The range ${start}..${end} ends before it starts.`);
  }
  return end === start ? emptyRoot() : mth(src, start, end - start);
}

/** Root of the tree made of the first `size` leaves. */
export function rootAt(src: MerkleNodeSource, size: number): Buffer {
  assertSize(size, 'tree size');
  return size === 0 ? emptyRoot() : mth(src, 0, size);
}

/** RFC 9162 §2.1.3.1 PATH: audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(src: MerkleNodeSource, index: number, size: number): Buffer[] {
  assertSize(size, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new CustosError(
      'validation',
      `Event ${String(index + 1)} is not in a tree of ${size} events, so it has no inclusion proof.`,
    );
  }
  const proof: Buffer[] = [];
  path(src, index, 0, size, proof);
  return proof;
}

function path(src: MerkleNodeSource, m: number, start: number, n: number, out: Buffer[]): void {
  if (n === 1) return;
  const k = splitPoint(n);
  if (m < k) {
    path(src, m, start, k, out);
    out.push(mth(src, start + k, n - k));
  } else {
    path(src, m - k, start + k, n - k, out);
    out.push(mth(src, start, k));
  }
}

/** RFC 9162 §2.1.4.1 PROOF: consistency proof from the tree of size m to the tree of size n. */
export function consistencyProof(src: MerkleNodeSource, m: number, n: number): Buffer[] {
  assertSize(m, 'older tree size');
  assertSize(n, 'newer tree size');
  if (m > n) {
    throw new CustosError(
      'validation',
      `A tree of ${m} events cannot be proven consistent with a smaller tree of ${n} events.`,
    );
  }
  // Both trivial cases have an empty proof; the verifier then compares roots directly.
  if (m === 0 || m === n) return [];
  const proof: Buffer[] = [];
  subproof(src, m, 0, n, true, proof);
  return proof;
}

function subproof(src: MerkleNodeSource, m: number, start: number, n: number, whole: boolean, out: Buffer[]): void {
  if (m === n) {
    if (!whole) out.push(mth(src, start, n));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(src, m, start, k, whole, out);
    out.push(mth(src, start + k, n - k));
  } else {
    subproof(src, m - k, start + k, n - k, false, out);
    out.push(mth(src, start, k));
  }
}

function isHash(b: unknown): b is Buffer {
  return Buffer.isBuffer(b) && b.length === HASH_BYTES;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** RFC 9162 §2.1.3.2: true when `proof` shows leaf `index` with hash `leaf` is in the tree with `root`. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isCount(index) || !isCount(size) || index >= size) return false;
  if (!isHash(leaf) || !isHash(root)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (!isHash(p) || sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: true when `proof` shows the tree of size m (rootM) is a prefix of the tree of size n (rootN). */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Buffer,
  rootN: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isCount(m) || !isCount(n) || m > n) return false;
  if (!isHash(rootM) || !isHash(rootN)) return false;
  // The RFC algorithm assumes 0 < m < n; the edge cases carry no proof at all.
  if (m === 0) return proof.length === 0 && rootM.equals(emptyRoot());
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  if (proof.length === 0 || !proof.every(isHash)) return false;
  // When m is a power of two its root is itself the first node of the path.
  const [first, ...rest] = exactLog2(m) >= 0 ? [rootM, ...proof] : proof;
  if (!first) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(rootM) && sr.equals(rootN);
}

/** Root from a frontier whose slot `level` holds a complete subtree when bit `level` of size is set. */
function frontierRoot(frontier: readonly Buffer[], size: number): Buffer {
  let acc: Buffer | undefined;
  let n = size;
  // Fold right to left: the smallest (rightmost) subtree is the innermost right child.
  for (let level = 0; n > 0; level++, n = half(n)) {
    if (isOdd(n)) acc = acc ? nodeHash(slot(frontier, level), acc) : slot(frontier, level);
  }
  return acc ?? emptyRoot();
}

/** Root of a stream of leaf hashes in O(log n) memory, for verifying millions of events. */
export class StreamingRoot {
  // Slot `level` is meaningful only while bit `level` of `count` is set; stale slots are
  // overwritten rather than cleared to keep push() free of extra writes.
  private readonly frontier: Buffer[] = [];
  private count = 0;

  /** Number of leaves pushed so far. */
  get size(): number {
    return this.count;
  }

  /** Adds the next leaf hash. */
  push(leaf: Buffer): void {
    let hash = leaf;
    let level = 0;
    for (let n = this.count; isOdd(n); n = half(n)) {
      hash = nodeHash(slot(this.frontier, level), hash);
      level++;
    }
    this.frontier[level] = hash;
    this.count++;
  }

  /**
   * Adds the next 2^level leaves at once, given the hash of their complete subtree (hashed
   * elsewhere, e.g. in a worker thread). Only where such a subtree can start: at a multiple of 2^level.
   */
  pushSubtree(hash: Buffer, level: number): void {
    const leaves = 2 ** level;
    if (this.count % leaves !== 0) throw new Error(`A subtree of ${leaves} leaves cannot start at leaf ${this.count}.`);
    let h = hash;
    let l = level;
    for (let n = this.count / leaves; isOdd(n); n = half(n)) {
      h = nodeHash(slot(this.frontier, l), h);
      l++;
    }
    this.frontier[l] = h;
    this.count += leaves;
  }

  /** An independent copy (to look at the root a few leaves further on without moving this one). */
  clone(): StreamingRoot {
    const copy = new StreamingRoot();
    copy.frontier.push(...this.frontier);
    copy.count = this.count;
    return copy;
  }

  /** Root of the leaves pushed so far (the empty root before any). */
  root(): Buffer {
    return frontierRoot(this.frontier, this.count);
  }
}

const NOTHING_TO_STORE: readonly StoredNode[] = Object.freeze([]);

/**
 * Keeps the right edge of the tree in memory so each append costs one leaf's worth of hashing
 * (amortized one node hash) and reports which complete subtrees must be persisted.
 */
export class MerkleAppender {
  private frontier: Buffer[] = [];
  private count = 0;

  /** Rebuilds the right edge of the tree of the first `size` leaves of `src`. */
  static fromSource(src: MerkleNodeSource, size: number): MerkleAppender {
    assertSize(size, 'tree size');
    const appender = new MerkleAppender();
    let start = 0;
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (size - start >= width) {
        appender.frontier[level] = completeSubtreeHash(src, level, start / width);
        start += width;
      }
    }
    appender.count = size;
    return appender;
  }

  /** Number of leaves in the tree. */
  get size(): number {
    return this.count;
  }

  /** Adds a leaf hash; returns the complete subtree hashes to persist (often none). */
  append(leaf: Buffer): readonly StoredNode[] {
    let hash = leaf;
    let level = 0;
    let toStore: StoredNode[] | undefined;
    for (let n = this.count; isOdd(n); ) {
      hash = nodeHash(slot(this.frontier, level), hash);
      n = half(n);
      level++;
      // After `level` merges, n is the index of the subtree just completed at that level.
      if (isStoredLevel(level)) (toStore ??= []).push({ level, index: n, hash });
    }
    this.frontier[level] = hash;
    this.count++;
    return toStore ?? NOTHING_TO_STORE;
  }

  /** Current root. */
  root(): Buffer {
    return frontierRoot(this.frontier, this.count);
  }

  /** Captures the current state; calling the returned function restores it (for rolled-back transactions). */
  snapshot(): () => void {
    const frontier = this.frontier.slice();
    const count = this.count;
    return () => {
      this.frontier = frontier.slice();
      this.count = count;
    };
  }
}

/** A tree held in arrays, filled by `append` with the same persistence policy as a workspace. */
export class MemoryNodeSource implements MerkleNodeSource {
  private readonly leaves: Buffer[] = [];
  private readonly nodes: Array<Map<number, Buffer>> = [];
  private readonly appender = new MerkleAppender();

  /** Builds a source from leaf hashes in order. */
  static fromLeafHashes(hashes: Iterable<Buffer>): MemoryNodeSource {
    const src = new MemoryNodeSource();
    for (const h of hashes) src.append(h);
    return src;
  }

  /** Number of leaves. */
  get size(): number {
    return this.leaves.length;
  }

  /** Appends a leaf hash and keeps the subtree hashes the policy persists. */
  append(leaf: Buffer): void {
    this.leaves.push(leaf);
    for (const node of this.appender.append(leaf)) this.put(node);
  }

  /** Root of all leaves appended so far. */
  root(): Buffer {
    return this.appender.root();
  }

  /** Records a complete subtree hash (e.g. one read from a bundle). */
  put(node: StoredNode): void {
    let level = this.nodes[node.level];
    if (!level) {
      level = new Map();
      this.nodes[node.level] = level;
    }
    level.set(node.index, node.hash);
  }

  /** Number of persisted subtree hashes. */
  storedCount(): number {
    let total = 0;
    this.nodes.forEach((level) => (total += level.size));
    return total;
  }

  leaf(index: number): Buffer {
    const hash = this.leaves[index];
    if (!hash) {
      throw new CustosError('not_found', `Leaf ${index} is not in this tree of ${this.leaves.length} leaves.`);
    }
    return hash;
  }

  stored(level: number, index: number): Buffer | undefined {
    return this.nodes[level]?.get(index);
  }
}
