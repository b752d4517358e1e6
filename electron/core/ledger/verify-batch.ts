import type { HashJob } from './hash-batch.js';
import type { CanonicalParts } from './event-bytes.js';

/** A stored event as read by position: seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash, lower(hex(leaf_hash)). */
export type RawRow = [number, string, string, string, string, string, string, string, string, string, string];

/** The columns verification reads, in RawRow order; the leaf as hex text, cheaper to read than a Buffer. */
export const RAW_COLUMNS = 'seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash, lower(hex(leaf_hash))';

/** A stored event row as verification reads it, one by one. */
export interface VerifyRow extends CanonicalParts {
  hash: string;
  leaf_hash?: Buffer;
}

/** Characters JSON.stringify escapes in a well-formed string; without them, quoting is all it does. */
// eslint-disable-next-line no-control-regex -- control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** JSON.stringify of a column, without its cost for the plain strings nearly every column holds. */
function quote(v: unknown): string {
  return typeof v === 'string' && !NEEDS_ESCAPE.test(v) ? `"${v}"` : JSON.stringify(v);
}

/** The row as `ChainVerifier.push` takes it. */
export function verifyRowOf(r: RawRow): VerifyRow {
  return {
    seq: r[0],
    ts: r[1],
    actor: r[2],
    action: r[3],
    resource_type: r[4],
    resource_id: r[5],
    outcome: r[6],
    details: r[7],
    prev_hash: r[8],
    hash: r[9],
    leaf_hash: r[10] ? Buffer.from(r[10], 'hex') : undefined,
  };
}

/** What the verifier keeps of a batch once its rows are laid out: its ends and the few rows it looks at. */
export interface BatchSummary {
  count: number;
  /** The rowid before the batch's first row (to read the batch again when it must be checked event by event). */
  after: number;
  firstSeq: number;
  firstPrevHash: string;
  lastSeq: number;
  lastHash: string;
  /** The batch's rows whose action is `action`, with their index in the batch. */
  marked: { index: number; row: VerifyRow }[];
  /** False once the rows showed themselves not to be one intact run (numbering, links, hash text). */
  intact: boolean;
}

/**
 * Lays out a batch of consecutive events for hashing as they are read, so each row can be let go
 * at once: C(e) after a 0x00 byte (exactly fastEventBytes' bytes), the stored hash and leaf texts
 * as they are (the hashing thread compares them). Each array has its own memory, as it is handed to another thread.
 */
export class BatchBuilder {
  readonly summary: BatchSummary;
  private bytes: Buffer;
  private at = 0;
  private readonly offsets: Int32Array;
  private readonly hashes: Buffer;
  private readonly leaves: Buffer;

  constructor(
    readonly capacity: number,
    after: number,
    private readonly action: string,
  ) {
    this.summary = { count: 0, after, firstSeq: 0, firstPrevHash: '', lastSeq: 0, lastHash: '', marked: [], intact: true };
    this.bytes = Buffer.from(new ArrayBuffer(capacity * 400));
    this.offsets = new Int32Array(capacity + 1);
    this.hashes = Buffer.from(new ArrayBuffer(capacity * 64));
    this.leaves = Buffer.from(new ArrayBuffer(capacity * 64));
  }

  get full(): boolean {
    return this.summary.count === this.capacity;
  }

  /** Adds the next row read. */
  add(r: RawRow): void {
    const s = this.summary;
    const i = s.count++;
    if (i === 0) {
      s.firstSeq = r[0];
      s.firstPrevHash = r[8];
    } else if (r[0] !== s.lastSeq + 1 || r[8] !== s.lastHash) {
      s.intact = false;
    }
    s.lastSeq = r[0];
    s.lastHash = r[9];
    if (r[3] === this.action) s.marked.push({ index: i, row: verifyRowOf(r) });
    if (!s.intact) return;
    if (typeof r[9] !== 'string' || r[9].length !== 64 || r[10]?.length !== 64) {
      s.intact = false;
      return;
    }
    const text =
      `{"action":${quote(r[3])},"actor":${quote(r[2])},"details":${r[7]},"outcome":${quote(r[6])},` +
      `"prev_hash":${quote(r[8])},"resource_id":${quote(r[5])},"resource_type":${quote(r[4])},"seq":${r[0]},"ts":${quote(r[1])}}`;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const need = this.at + 1 + 3 * text.length;
    if (need > this.bytes.length) {
      const grown = Buffer.from(new ArrayBuffer(Math.max(2 * this.bytes.length, need)));
      this.bytes.copy(grown, 0, 0, this.at);
      this.bytes = grown;
    }
    this.offsets[i] = this.at;
    this.bytes[this.at] = 0x00;
    this.at += 1 + this.bytes.write(text, this.at + 1, 'utf8');
    // 64 characters in at most 64 bytes: any that is not ASCII leaves a byte no hex digest has.
    this.hashes.write(r[9], i * 64, 64, 'utf8');
    this.leaves.write(r[10], i * 64, 64, 'latin1');
  }

  /** The hashing job of an intact batch (null otherwise), with the counts of leaves at which the tree's edge is wanted. */
  job(cuts: Int32Array): HashJob | null {
    const n = this.summary.count;
    if (!this.summary.intact || n === 0) return null;
    this.offsets[n] = this.at;
    return {
      bytes: this.bytes.subarray(0, this.at),
      offsets: this.offsets.subarray(0, n + 1),
      hashes: this.hashes.subarray(0, n * 64),
      leaves: this.leaves.subarray(0, n * 64),
      cuts,
    };
  }
}
