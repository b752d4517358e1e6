import canonicalize from 'canonicalize';
import type { LedgerEvent } from '../../../shared/ledger-types.js';

/**
 * Re-checks an event in this window, independently of the core: its hash from its canonical
 * bytes (RFC 8785), its RFC 6962 leaf hash, and its inclusion proof against the checkpoint root.
 * An auditor looking at the screen then does not have to take the core's "verified" on trust.
 */
export interface IndependentCheck {
  hashMatches: boolean;
  leafMatches: boolean;
  proofMatches: boolean | null;
}

async function sha256(parts: Uint8Array[]): Promise<Uint8Array> {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its audit path. */
export async function rootFromInclusionProof(leafHex: string, index: number, size: number, path: readonly string[]): Promise<string | null> {
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = fromHex(leafHex);
  const one = new Uint8Array([1]);
  for (const p of path) {
    if (sn === 0) return null;
    const ph = fromHex(p);
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256([one, ph, r]);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256([one, r, ph]);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? toHex(r) : null;
}

export async function checkEventIndependently(
  event: LedgerEvent,
  leafHash: string,
  proof: { treeSize: number; root: string; path: string[] } | null,
): Promise<IndependentCheck> {
  const { hash, ...withoutHash } = event;
  const text = canonicalize(withoutHash) ?? '';
  const bytes = new TextEncoder().encode(text);
  const hashMatches = toHex(await sha256([bytes])) === hash;
  const leaf = toHex(await sha256([new Uint8Array([0]), bytes]));
  const leafMatches = leaf === leafHash;
  let proofMatches: boolean | null = null;
  if (proof) proofMatches = (await rootFromInclusionProof(leaf, event.seq - 1, proof.treeSize, proof.path)) === proof.root;
  return { hashMatches, leafMatches, proofMatches };
}
