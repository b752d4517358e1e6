import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completeSubtreeHash,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  isStoredLevel,
  leafHash,
  MemoryNodeSource,
  MerkleAppender,
  type MerkleNodeSource,
  nodeHash,
  rootAt,
  STORED_LEVEL_STEP,
  type StoredNode,
  StreamingRoot,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../electron/core/ledger/merkle.js';
import { isCustosError } from '../../electron/core/errors.js';
import * as nodeCrypto from 'node:crypto';
import { HashPool, hashRange, type RangeJob } from '../../electron/core/ledger/hash-batch.js';

interface Vectors {
  hasher: {
    emptyRoot: string;
    emptyLeaf: string;
    leaf: { input: string; hash: string };
    node: { left: string; right: string; hash: string };
  };
  leaves: string[];
  nodeHashes: string[][];
  roots: string[];
  inclusion: Array<{ leafIndex: number; treeSize: number; proof: string[] }>;
  consistency: Array<{ size1: number; size2: number; proof: string[] }>;
  upstreamInclusionCases: Array<{
    file: string;
    leafIndex: number;
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[];
    wantErr: boolean;
  }>;
  upstreamConsistencyCases: Array<{
    file: string;
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[];
    wantErr: boolean;
  }>;
}

const V = JSON.parse(readFileSync(new URL('../vectors/rfc6962.json', import.meta.url), 'utf8')) as Vectors;
const hx = (s: string): Buffer => Buffer.from(s, 'hex');
const hexes = (bs: readonly Buffer[]): string[] => bs.map((b) => b.toString('hex'));
const SOME_HASH = hx('abacaba000000000000000000000000000000000000000000060061e00123456');
const vectorLeafHashes = V.leaves.map((l) => leafHash(hx(l)));

function leafHashOf(i: number): Buffer {
  return leafHash(Buffer.from(`event ${i}`, 'utf8'));
}

function flipBit(proof: readonly Buffer[], i: number, mask: number): Buffer[] {
  return proof.map((p, j) => {
    if (j !== i) return p;
    const copy = Buffer.from(p);
    copy.writeUInt8(copy.readUInt8(0) ^ mask, 0);
    return copy;
  });
}

function expectValidationError(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isCustosError(caught, 'validation')).toBe(true);
}

// --- The RFC 6962 §2.1 definitions, written naively over an array of leaf hashes. ---

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function refMth(d: readonly Buffer[]): Buffer {
  if (d.length === 0) return createHash('sha256').digest();
  if (d.length === 1) return d[0] as Buffer;
  const k = splitPoint(d.length);
  return nodeHash(refMth(d.slice(0, k)), refMth(d.slice(k)));
}

function refPath(m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = splitPoint(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}

function refSubproof(m: number, d: readonly Buffer[], whole: boolean): Buffer[] {
  if (m === d.length) return whole ? [] : [refMth(d)];
  const k = splitPoint(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), whole), refMth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

/** A source fed only by what MerkleAppender says to persist, counting every read. */
class RecordingSource implements MerkleNodeSource {
  readonly leaves: Buffer[] = [];
  readonly nodes = new Map<string, Buffer>();
  readonly appender = new MerkleAppender();
  reads = 0;

  append(leaf: Buffer): readonly StoredNode[] {
    this.leaves.push(leaf);
    const toStore = this.appender.append(leaf);
    for (const n of toStore) this.nodes.set(`${n.level}/${n.index}`, n.hash);
    return toStore;
  }
  leaf(index: number): Buffer {
    this.reads++;
    const h = this.leaves[index];
    if (!h) throw new Error(`no leaf ${index}`);
    return h;
  }
  stored(level: number, index: number): Buffer | undefined {
    this.reads++;
    return this.nodes.get(`${level}/${index}`);
  }
}

function recordingSource(size: number): RecordingSource {
  const src = new RecordingSource();
  for (let i = 0; i < size; i++) src.append(leafHashOf(i));
  return src;
}

describe('RFC 6962 hashing (transparency-dev/merkle rfc6962_test.go)', () => {
  it('hashes the empty tree, leaves and nodes', () => {
    expect(emptyRoot().toString('hex')).toBe(V.hasher.emptyRoot);
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(V.hasher.emptyLeaf);
    expect(leafHash(Buffer.from(V.hasher.leaf.input)).toString('hex')).toBe(V.hasher.leaf.hash);
    expect(nodeHash(Buffer.from(V.hasher.node.left), Buffer.from(V.hasher.node.right)).toString('hex')).toBe(
      V.hasher.node.hash,
    );
  });

  it('separates leaves from nodes and depends on child order', () => {
    const a = leafHash(Buffer.from('Hello'));
    const b = leafHash(Buffer.from('World'));
    expect(nodeHash(a, b).equals(leafHash(Buffer.concat([a, b])))).toBe(false);
    expect(nodeHash(a, b).equals(nodeHash(b, a))).toBe(false);
  });
});

describe('tree heads and proofs against the transparency-dev/merkle vectors', () => {
  const src = MemoryNodeSource.fromLeafHashes(vectorLeafHashes);

  it('computes the root of every size 0..8 with every builder', () => {
    expect(V.roots).toHaveLength(9);
    const stream = new StreamingRoot();
    const appender = new MerkleAppender();
    expect(stream.root().toString('hex')).toBe(V.roots[0]);
    expect(appender.root().toString('hex')).toBe(V.roots[0]);
    for (let size = 0; size <= 8; size++) {
      expect(rootAt(src, size).toString('hex'), `size ${size}`).toBe(V.roots[size]);
      expect(subtreeHash(src, 0, size).toString('hex')).toBe(V.roots[size]);
      if (size > 0) {
        stream.push(vectorLeafHashes[size - 1] as Buffer);
        appender.append(vectorLeafHashes[size - 1] as Buffer);
        expect(stream.size).toBe(size);
        expect(stream.root().toString('hex'), `stream ${size}`).toBe(V.roots[size]);
        expect(appender.root().toString('hex'), `appender ${size}`).toBe(V.roots[size]);
      }
    }
  });

  it('computes every complete subtree hash', () => {
    V.nodeHashes.forEach((level, l) =>
      level.forEach((hash, i) => expect(completeSubtreeHash(src, l, i).toString('hex'), `${l}/${i}`).toBe(hash)),
    );
  });

  for (const v of V.inclusion) {
    it(`builds and verifies the inclusion proof of leaf ${v.leafIndex} in size ${v.treeSize}`, () => {
      const root = hx(V.roots[v.treeSize] as string);
      const leaf = vectorLeafHashes[v.leafIndex] as Buffer;
      const proof = v.proof.map(hx);
      expect(hexes(inclusionProof(src, v.leafIndex, v.treeSize))).toEqual(v.proof);
      expect(verifyInclusion(leaf, v.leafIndex, v.treeSize, proof, root)).toBe(true);

      // The corruptions of proof/verify_test.go corruptInclusionProof: each must be rejected.
      const i = v.leafIndex;
      const n = v.treeSize;
      const probes: Array<[string, number, number, Buffer, Buffer[], Buffer]> = [
        ['index - 1', i - 1, n, leaf, proof, root],
        ['index + 1', i + 1, n, leaf, proof, root],
        ['index ^ 2', i ^ 2, n, leaf, proof, root],
        ['size * 2', i, n * 2, leaf, proof, root],
        ['size / 2', i, Math.floor(n / 2), leaf, proof, root],
        ['wrong leaf', i, n, Buffer.from('WrongLeaf'), proof, root],
        ['wrong leaf of the right length', i, n, SOME_HASH, proof, root],
        ['empty root', i, n, leaf, proof, emptyRoot()],
        ['random root', i, n, leaf, proof, SOME_HASH],
        ['trailing garbage', i, n, leaf, [...proof, Buffer.alloc(0)], root],
        ['trailing root', i, n, leaf, [...proof, root], root],
        ['preceding garbage', i, n, leaf, [Buffer.alloc(0), ...proof], root],
        ['preceding root', i, n, leaf, [root, ...proof], root],
        ...proof.map((_, j): [string, number, number, Buffer, Buffer[], Buffer] => [
          `modified proof[${j}]`,
          i,
          n,
          leaf,
          flipBit(proof, j, 8),
          root,
        ]),
      ];
      if (proof.length > 0) probes.push(['removed component', i, n, leaf, proof.slice(0, -1), root]);
      if (proof.length > 1) {
        probes.push(['inserted component', i, n, leaf, [proof[0] as Buffer, SOME_HASH, ...proof.slice(1)], root]);
      }
      for (const [desc, pi, pn, pl, pp, pr] of probes) {
        expect(verifyInclusion(pl, pi, pn, pp, pr), desc).toBe(false);
      }
    });
  }

  for (const v of V.consistency) {
    it(`builds and verifies the consistency proof ${v.size1} -> ${v.size2}`, () => {
      const r1 = hx(V.roots[v.size1] as string);
      const r2 = hx(V.roots[v.size2] as string);
      const proof = v.proof.map(hx);
      expect(hexes(consistencyProof(src, v.size1, v.size2))).toEqual(v.proof);
      expect(verifyConsistency(v.size1, v.size2, r1, r2, proof)).toBe(true);
      if (proof.length === 0) return;

      // The corruptions of proof/verify_test.go corruptConsistencyProof: each must be rejected.
      const m = v.size1;
      const n = v.size2;
      const wrong = Buffer.from('WrongRoot');
      const probes: Array<[string, number, number, Buffer, Buffer, Buffer[]]> = [
        ['size1 - 1', m - 1, n, r1, r2, proof],
        ['size1 + 1', m + 1, n, r1, r2, proof],
        ['size1 ^ 2', m ^ 2, n, r1, r2, proof],
        ['size2 * 2', m, n * 2, r1, r2, proof],
        ['size2 / 2', m, Math.floor(n / 2), r1, r2, proof],
        ['wrong root1', m, n, wrong, r2, proof],
        ['wrong root2', m, n, r1, wrong, proof],
        ['random root1', m, n, SOME_HASH, r2, proof],
        ['random root2', m, n, r1, SOME_HASH, proof],
        ['swapped roots', m, n, r2, r1, proof],
        ['empty proof', m, n, r1, r2, []],
        ['trailing garbage', m, n, r1, r2, [...proof, Buffer.alloc(0)]],
        ['trailing root1', m, n, r1, r2, [...proof, r1]],
        ['trailing root2', m, n, r1, r2, [...proof, r2]],
        ['preceding garbage', m, n, r1, r2, [Buffer.alloc(0), ...proof]],
        ['preceding root1', m, n, r1, r2, [r1, ...proof]],
        ['preceding root2', m, n, r1, r2, [r2, ...proof]],
        ['preceding proof[0]', m, n, r1, r2, [proof[0] as Buffer, ...proof]],
        ['truncated proof', m, n, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, j): [string, number, number, Buffer, Buffer, Buffer[]] => [
          `modified proof[${j}]`,
          m,
          n,
          r1,
          r2,
          flipBit(proof, j, 16),
        ]),
      ];
      for (const [desc, pm, pn, p1, p2, pp] of probes) {
        expect(verifyConsistency(pm, pn, p1, p2, pp), desc).toBe(false);
      }
    });
  }

  it('agrees with the upstream JSON test cases (testdata/)', () => {
    expect(V.upstreamInclusionCases.length).toBeGreaterThan(0);
    for (const c of V.upstreamInclusionCases) {
      const ok = verifyInclusion(hx(c.leafHash), c.leafIndex, c.treeSize, c.proof.map(hx), hx(c.root));
      expect(ok, c.file).toBe(!c.wantErr);
    }
    for (const c of V.upstreamConsistencyCases) {
      const ok = verifyConsistency(c.size1, c.size2, hx(c.root1), hx(c.root2), c.proof.map(hx));
      expect(ok, c.file).toBe(!c.wantErr);
    }
  });

  it('builds a verifying proof for every leaf and every pair of sizes up to 8', () => {
    for (let n = 1; n <= 8; n++) {
      const root = hx(V.roots[n] as string);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(src, i, n);
        expect(hexes(proof)).toEqual(hexes(refPath(i, vectorLeafHashes.slice(0, n))));
        expect(verifyInclusion(vectorLeafHashes[i] as Buffer, i, n, proof, root), `${i} in ${n}`).toBe(true);
      }
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(src, m, n);
        expect(verifyConsistency(m, n, hx(V.roots[m] as string), root, proof), `${m} -> ${n}`).toBe(true);
      }
    }
  });
});

describe('verifier edge cases', () => {
  const leaf = leafHash(Buffer.from('data'));

  it('accepts a one-leaf tree only with matching 32-byte hashes', () => {
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toBe(true);
    expect(verifyInclusion(leaf, 0, 1, [], Buffer.alloc(0))).toBe(false);
    expect(verifyInclusion(Buffer.alloc(0), 0, 1, [], leaf)).toBe(false);
    expect(verifyInclusion(Buffer.alloc(0), 0, 1, [], Buffer.alloc(0))).toBe(false);
  });

  it('rejects indexes outside the tree', () => {
    for (const [i, n] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [-1, 1],
      [0.5, 2],
    ] as const) {
      expect(verifyInclusion(SOME_HASH, i, n, [], emptyRoot())).toBe(false);
    }
  });

  it('treats the empty tree and equal sizes as consistent only without a proof', () => {
    const r = leafHash(Buffer.from('x'));
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(true);
    expect(verifyConsistency(0, 5, emptyRoot(), r, [])).toBe(true);
    expect(verifyConsistency(0, 5, r, r, [])).toBe(false);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [emptyRoot()])).toBe(false);
    expect(verifyConsistency(3, 3, r, r, [])).toBe(true);
    expect(verifyConsistency(3, 3, r, SOME_HASH, [])).toBe(false);
    expect(verifyConsistency(3, 3, r, r, [emptyRoot()])).toBe(false);
    expect(verifyConsistency(2, 1, r, r, [])).toBe(false);
    expect(verifyConsistency(1, 2, r, SOME_HASH, [])).toBe(false);
  });

  it('refuses impossible requests with a validation error', () => {
    const src = MemoryNodeSource.fromLeafHashes(vectorLeafHashes);
    expectValidationError(() => inclusionProof(src, 8, 8));
    expectValidationError(() => inclusionProof(src, -1, 8));
    expectValidationError(() => consistencyProof(src, 5, 4));
    expectValidationError(() => rootAt(src, -1));
    expectValidationError(() => rootAt(src, 1.5));
    expectValidationError(() => subtreeHash(src, 5, 4));
    expectValidationError(() => MerkleAppender.fromSource(src, Number.NaN));
  });

  it('reports a leaf that is not in the source', () => {
    const src = MemoryNodeSource.fromLeafHashes(vectorLeafHashes);
    expect(() => rootAt(src, 9)).toThrow(/not in this tree/);
  });
});

describe('storage-backed tree with the level % 4 persistence policy', () => {
  it('matches the RFC definitions for any size, and every proof verifies', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (n, rawIndex, rawM, rawStart) => {
          const src = new RecordingSource();
          for (let i = 0; i < n; i++) {
            for (const node of src.append(leafHashOf(i))) {
              // Only levels 4, 8, 12 … are persisted, each a complete subtree that has just closed.
              expect(isStoredLevel(node.level)).toBe(true);
              expect(node.level % STORED_LEVEL_STEP).toBe(0);
              const width = 2 ** node.level;
              expect((node.index + 1) * width).toBe(i + 1);
              expect(node.hash.equals(refMth(src.leaves.slice(node.index * width, (node.index + 1) * width)))).toBe(
                true,
              );
            }
          }
          let expectedStored = 0;
          for (let l = STORED_LEVEL_STEP; 2 ** l <= n; l += STORED_LEVEL_STEP) expectedStored += Math.floor(n / 2 ** l);
          expect(src.nodes.size).toBe(expectedStored);

          const root = refMth(src.leaves);
          expect(rootAt(src, n).equals(root)).toBe(true);
          expect(src.appender.root().equals(root)).toBe(true);
          const stream = new StreamingRoot();
          for (const l of src.leaves) stream.push(l);
          expect(stream.root().equals(root)).toBe(true);

          const index = rawIndex % n;
          const path = inclusionProof(src, index, n);
          expect(hexes(path)).toEqual(hexes(refPath(index, src.leaves)));
          expect(verifyInclusion(src.leaves[index] as Buffer, index, n, path, root)).toBe(true);

          const m = rawM % (n + 1);
          const rootM = refMth(src.leaves.slice(0, m));
          expect(rootAt(src, m).equals(rootM)).toBe(true);
          const proof = consistencyProof(src, m, n);
          const expected = m === 0 || m === n ? [] : refSubproof(m, src.leaves, true);
          expect(hexes(proof)).toEqual(hexes(expected));
          expect(verifyConsistency(m, n, rootM, root, proof)).toBe(true);
          if (proof.length > 0) {
            expect(verifyConsistency(m, n, rootM, root, flipBit(proof, proof.length - 1, 1))).toBe(false);
          }

          const start = rawStart % (n + 1);
          expect(subtreeHash(src, start, n).equals(refMth(src.leaves.slice(start)))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rebuilds its right edge from storage and continues exactly as if never stopped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 600 }), (k, extra) => {
        const whole = recordingSource(k + extra);
        const src = recordingSource(k);
        const resumed = MerkleAppender.fromSource(src, k);
        expect(resumed.size).toBe(k);
        expect(resumed.root().equals(rootAt(whole, k))).toBe(true);
        const replay = new MerkleAppender();
        for (let i = 0; i < k; i++) replay.append(leafHashOf(i));
        for (let i = k; i < k + extra; i++) {
          const a = resumed.append(leafHashOf(i));
          const b = replay.append(leafHashOf(i));
          expect(a.map((x) => `${x.level}/${x.index}/${x.hash.toString('hex')}`)).toEqual(
            b.map((x) => `${x.level}/${x.index}/${x.hash.toString('hex')}`),
          );
        }
        expect(resumed.root().equals(whole.appender.root())).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('restores a snapshot after appends that were rolled back', () => {
    const appender = new MerkleAppender();
    for (let i = 0; i < 37; i++) appender.append(leafHashOf(i));
    const before = appender.root();
    const restore = appender.snapshot();
    for (let i = 37; i < 300; i++) appender.append(leafHashOf(i));
    expect(appender.root().equals(before)).toBe(false);
    restore();
    expect(appender.size).toBe(37);
    expect(appender.root().equals(before)).toBe(true);
    const toStore = appender.append(leafHashOf(37));
    expect(toStore).toHaveLength(0);
    for (let i = 38; i < 47; i++) expect(appender.append(leafHashOf(i))).toHaveLength(0);
    // Leaf 47 closes the third 16-leaf subtree (leaves 32..47), which is the one to persist.
    const fresh = recordingSource(48);
    const closed = appender.append(leafHashOf(47));
    expect(closed.map((n) => [n.level, n.index])).toEqual([[4, 2]]);
    expect(closed[0]?.hash.equals(fresh.nodes.get('4/2') as Buffer)).toBe(true);
    expect(appender.root().equals(rootAt(fresh, 48))).toBe(true);
  });

  it('needs far fewer reads than leaves for roots and proofs of a 100000-event tree', () => {
    const n = 100_000;
    const src = recordingSource(n);
    const root = src.appender.root();
    const stream = new StreamingRoot();
    for (const l of src.leaves) stream.push(l);
    expect(stream.root().equals(root)).toBe(true);

    const measure = <T>(fn: () => T): { value: T; reads: number } => {
      src.reads = 0;
      const value = fn();
      return { value, reads: src.reads };
    };

    const r = measure(() => rootAt(src, n));
    expect(r.value.equals(root)).toBe(true);
    expect(r.reads).toBeLessThan(2000);

    for (const size of [n, n - 1, 65_537, 99_983]) {
      const rootN = measure(() => rootAt(src, size));
      expect(rootN.reads).toBeLessThan(2000);
      for (const index of [0, 12_345, size - 1]) {
        const p = measure(() => inclusionProof(src, index, size));
        expect(p.reads, `inclusion ${index} in ${size}`).toBeLessThan(2000);
        expect(verifyInclusion(src.leaves[index] as Buffer, index, size, p.value, rootN.value)).toBe(true);
      }
      for (const m of [1, 4096, 65_536, 70_001, size - 1].filter((x) => x <= size)) {
        const rootM = rootAt(src, m);
        const c = measure(() => consistencyProof(src, m, size));
        expect(c.reads, `consistency ${m} -> ${size}`).toBeLessThan(2000);
        expect(verifyConsistency(m, size, rootM, rootN.value, c.value)).toBe(true);
      }
    }

    const rebuilt = measure(() => MerkleAppender.fromSource(src, n - 7));
    expect(rebuilt.reads).toBeLessThan(2000);
    expect(rebuilt.value.root().equals(rootAt(src, n - 7))).toBe(true);
  });
});

describe('MemoryNodeSource', () => {
  it('keeps the same subtrees a workspace persists, and its root', () => {
    const src = new MemoryNodeSource();
    const rec = new RecordingSource();
    for (let i = 0; i < 4100; i++) {
      src.append(leafHashOf(i));
      rec.append(leafHashOf(i));
    }
    expect(src.size).toBe(4100);
    expect(src.storedCount()).toBe(rec.nodes.size);
    expect(src.stored(12, 0)?.equals(rec.nodes.get('12/0') as Buffer)).toBe(true);
    expect(src.stored(3, 0)).toBeUndefined();
    expect(src.root().equals(rootAt(rec, 4100))).toBe(true);
    expect(rootAt(src, 4100).equals(src.root())).toBe(true);
  });

  it('uses subtree hashes put into it', () => {
    const src = MemoryNodeSource.fromLeafHashes(Array.from({ length: 16 }, (_, i) => leafHashOf(i)));
    const honest = rootAt(src, 16);
    src.put({ level: 4, index: 0, hash: SOME_HASH });
    expect(rootAt(src, 16).equals(SOME_HASH)).toBe(true);
    expect(rootAt(src, 16).equals(honest)).toBe(false);
  });
});

describe('StreamingRoot.pushSubtree (verification folds batches hashed elsewhere)', () => {
  it('gives the same root as pushing every leaf, for complete subtrees at aligned starts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }), (levels) => {
        const leaves: Buffer[] = [];
        const folded = new StreamingRoot();
        for (const level of levels) {
          // Pad with single leaves up to the next start a subtree of this size may have.
          while (leaves.length % 2 ** level !== 0) {
            const leaf = leafHashOf(leaves.length);
            leaves.push(leaf);
            folded.push(leaf);
          }
          const block = Array.from({ length: 2 ** level }, (_, i) => leafHashOf(leaves.length + i));
          folded.pushSubtree(refMth(block), level);
          leaves.push(...block);
          expect(folded.size).toBe(leaves.length);
          expect(hexes([folded.root()])).toEqual(hexes([refMth(leaves)]));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a subtree at a start it cannot have, and a clone moves on its own', () => {
    const s = new StreamingRoot();
    s.push(leafHashOf(0));
    expect(() => s.pushSubtree(SOME_HASH, 1)).toThrow(/cannot start at leaf 1/);
    const c = s.clone();
    c.push(leafHashOf(1));
    expect(s.size).toBe(1);
    expect(hexes([c.root()])).toEqual(hexes([refMth([leafHashOf(0), leafHashOf(1)])]));
  });
});

describe('hashRange (a complete bundle\'s events hashed in a worker thread)', () => {
  /** A job over events start..start+n-1 whose C(e) is "event i"; the claimed chain hash is wrong where `wrong` says. */
  function job(start: number, n: number, wrong: ReadonlySet<number>): RangeJob {
    const parts = Array.from({ length: n }, (_, i) => Buffer.concat([Buffer.from([0]), Buffer.from(`event ${start + i}`, 'utf8')]));
    const offsets = new Int32Array(n + 1);
    parts.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
    const hashes = Buffer.alloc(n * 64);
    parts.forEach((b, i) => hashes.write(createHash('sha256').update(wrong.has(i) ? Buffer.from('other') : b.subarray(1)).digest('hex'), i * 64, 'latin1'));
    return { bytes: new Uint8Array(Buffer.concat(parts)), offsets, hashes, start };
  }

  it('cuts any run of leaves at any start into aligned subtrees that fold to the RFC 6962 root, and finds every wrong chain hash', async () => {
    const pool = new HashPool(1);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 70 }),
          fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
          fc.boolean(),
          async (prefix, runs, threaded) => {
            const folded = new StreamingRoot();
            for (let i = 0; i < prefix; i++) folded.push(leafHashOf(i));
            let at = prefix;
            for (const n of runs) {
              const wrong = new Set([0, n - 1, Math.floor(n / 2)].filter((i) => (at + i) % 3 === 0));
              const j = job(at, n, wrong);
              const r = threaded ? await pool.runRange(j) : hashRange(nodeCrypto, j);
              expect([...r.bad]).toEqual([...wrong].sort((a, b) => a - b));
              expect(r.levels.reduce((sum, l) => sum + 2 ** l, 0)).toBe(n);
              r.levels.forEach((level, k) => folded.pushSubtree(Buffer.from(r.roots.subarray(k * 32, k * 32 + 32)), level));
              at += n;
            }
            expect(folded.size).toBe(at);
            expect(hexes([folded.root()])).toEqual(hexes([refMth(Array.from({ length: at }, (_, i) => leafHashOf(i)))]));
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      await pool.close();
    }
  });
});
