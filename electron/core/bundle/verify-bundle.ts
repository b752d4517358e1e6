import { createHash, createPublicKey, hash as oneShotHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BundleSummary } from '../../../shared/contract/bundles.js';
import type { LedgerEvent, Outcome, VerificationProblem, VerificationReport } from '../../../shared/ledger-types.js';
import { ZERO_HASH } from '../../../shared/ledger-types.js';
import { CustosError, failureText, isCustosError } from '../errors.js';
import { canonicalDetails } from '../ledger/event-bytes.js';
import { checkpointSignatureValid } from '../ledger/checkpoint.js';
import { checkCheckpointNote, checkpointVerifierKey } from '../ledger/checkpoint-note.js';
import { MAX_NOTE_BYTES, parseVerifierKey } from '../ledger/signed-note.js';
import { prefixedLeafHash, StreamingRoot, verifyConsistency, verifyInclusion } from '../ledger/merkle.js';
import { describePublicKey, verifyBytes } from '../ledger/signing.js';
import { describePruned } from '../ledger/prune-point.js';
import { buildReport } from '../ledger/verify.js';
import { defaultHashThreads, HashPool, type RangeJob, type RangeResult } from '../ledger/hash-batch.js';
import { parseStrictJson } from '../strict-json.js';
import { describeValueProblem, isWellFormed, MAX_JSON_DEPTH, valueProblem } from '../unicode.js';
import {
  BUNDLE_FORMAT,
  consistencyFileSchema,
  ED25519_SIGNATURE_BYTES,
  ENTRY,
  fingerprint,
  manifestSchema,
  MAX_CONSISTENCY_BYTES,
  MAX_LINE_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_PUBLIC_KEY_BYTES,
  PROOFS_FOOTER,
  proofLineSchema,
  proofsHeaderSchema,
  type BundleManifest,
  type ConsistencyEntry,
  type ManifestFile,
} from './format.js';
import { hashStream, LineReader, LineTooLong } from '../zip/line-reader.js';
import { readZipSafely, ZIP_DEFAULT_LIMITS, zipPathProblem, zipSourceName, type SafeZip, type ZipLimits, type ZipSource } from '../zip/zip-read.js';

/** An event read from a bundle, with its details as canonical JSON text (ready to store). */
export interface BundleEvent {
  event: LedgerEvent;
  details: string;
}

export interface InspectOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  limits?: Partial<ZipLimits>;
  /** Stop at the first problem (import: the verdict is all that matters, and it comes sooner). */
  stopAtFirstProblem?: boolean;
  /**
   * Runs once the manifest, its signature, the key, the signed tree head and the consistency
   * proofs have been checked without problems, before any event is read. A problem it returns
   * rejects the bundle (import uses it for key pinning and history checks).
   */
  afterManifest?: (
    bundle: BundleSummary,
    consistency: readonly ConsistencyEntry[],
  ) => VerificationProblem | null | Promise<VerificationProblem | null>;
  /** Receives every event in file order (import stages them; the verdict comes at the end). */
  onEvent?: (e: BundleEvent) => void | Promise<void>;
  /** Worker threads hashing a complete bundle's events (0: on this thread); by default one or more for a large bundle. */
  hashThreads?: number;
}

/** Everything verification learned about a bundle. */
export interface BundleInspection {
  report: VerificationReport;
  /** Null when the manifest could not be read. */
  bundle: BundleSummary | null;
  manifestText: string | null;
  /** base64 of manifest.sig. */
  manifestSignature: string | null;
  publicKeyPem: string | null;
  /** Consistency proofs that verified. */
  consistency: ConsistencyEntry[];
  events: { count: number; firstTs: string | null; lastTs: string | null };
}

const MAX_PROBLEMS = 1000;
const PROGRESS_EVERY = 5000;
/** A complete bundle announcing more events than this is hashed in worker threads (starting one costs tens of ms). */
const HASH_THREADS_FROM = 20_000;

/** Thrown to end verification early; never escapes this module. */
class Stop extends Error {}

class Problems {
  readonly list: VerificationProblem[] = [];
  suppressed = 0;
  constructor(private readonly stopAtFirst: boolean) {}

  /** Records a problem; stops when asked to stop at the first one. */
  add(seq: number | null, kind: VerificationProblem['kind'], message: string): void {
    this.record(seq, kind, message);
    if (this.stopAtFirst) throw new Stop();
  }

  /** Records a problem after which nothing more can be checked. */
  fatal(seq: number | null, kind: VerificationProblem['kind'], message: string): never {
    this.record(seq, kind, message);
    throw new Stop();
  }

  record(seq: number | null, kind: VerificationProblem['kind'], message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ seq, kind, message });
    else this.suppressed++;
  }
}

/** Verifies a bundle file offline (signature, file hashes, chain, proofs) and returns the report. */
export async function verifyBundleFile(
  path: string,
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal; limits?: Partial<ZipLimits> } = {},
): Promise<VerificationReport> {
  return (await inspectBundle(path, opts)).report;
}

/**
 * Reads a bundle through the hostile-input-proof ZIP reader and checks, in order: the manifest's
 * signature over its exact bytes, that the key is the one the manifest names, the signed tree
 * head, that the files are exactly those the manifest lists with their hashes and sizes, the
 * consistency proofs, then every event (canonical form, hash, chain links, order) against the
 * tree head: by recomputing the root for a complete bundle, by inclusion proofs for a selection.
 * Memory stays flat: events and proofs are streamed line by line.
 */
export async function inspectBundle(path: ZipSource, opts: InspectOptions = {}): Promise<BundleInspection> {
  const problems = new Problems(opts.stopAtFirstProblem === true);
  const file = await hashFile(path, opts.signal, maxBundleBytes(opts.limits));
  const state: State = {
    file,
    bundle: null,
    manifest: null,
    manifestText: null,
    manifestSignature: null,
    publicKeyPem: null,
    consistency: [],
    checkpointsChecked: 0,
    count: 0,
    firstTs: null,
    lastTs: null,
    lastPrune: null,
  };
  let zip: SafeZip | null = null;
  try {
    try {
      zip = await readZipSafely(path, opts.limits, { signal: opts.signal });
    } catch (err) {
      if (isCustosError(err, 'integrity')) problems.fatal(null, 'malformed', err.message);
      throw err;
    }
    await checkBundle(zip, state, problems, opts);
  } catch (err) {
    if (err instanceof LineTooLong) {
      problems.record(null, 'malformed', `A line of the bundle is longer than ${err.limit} bytes, so it is not a Custos bundle file.`);
    } else if (isCustosError(err, 'integrity')) {
      // The ZIP reader found damage or a lie while streaming an entry.
      problems.record(null, 'malformed', err.message);
    } else if (!(err instanceof Stop)) {
      throw err;
    }
  } finally {
    zip?.close();
  }
  return {
    report: bundleReport(problems, state),
    bundle: state.bundle,
    manifestText: state.manifestText,
    manifestSignature: state.manifestSignature,
    publicKeyPem: state.publicKeyPem,
    consistency: state.consistency,
    events: { count: state.count, firstTs: state.firstTs, lastTs: state.lastTs },
  };
}

interface State {
  file: { sha256: string; bytes: number };
  bundle: BundleSummary | null;
  manifest: BundleManifest | null;
  manifestText: string | null;
  manifestSignature: string | null;
  publicKeyPem: string | null;
  consistency: ConsistencyEntry[];
  checkpointsChecked: number;
  count: number;
  firstTs: string | null;
  lastTs: string | null;
  /** The latest successful ledger.prune event among the bundle's events (a complete bundle's prefix must be the one it records). */
  lastPrune: { seq: number; details: Record<string, unknown> } | null;
}

/** The largest bundle file read at all: what its entries may hold in total, plus room for ZIP headers. */
function maxBundleBytes(limits: Partial<ZipLimits> | undefined): number {
  const lim = { ...ZIP_DEFAULT_LIMITS, ...limits };
  return lim.maxTotalBytes + lim.maxEntries * 1024 + 64 * 1024 * 1024;
}

async function hashFile(source: ZipSource, signal: AbortSignal | undefined, maxBytes: number): Promise<{ sha256: string; bytes: number }> {
  const path = zipSourceName(source);
  if (typeof source !== 'string') {
    if (source.buffer.length > maxBytes) {
      throw new CustosError('validation', `The bundle file ${path} is larger than ${Math.floor(maxBytes / 1024 ** 3)} GiB, more than any bundle may hold.`, { path });
    }
    return { sha256: createHash('sha256').update(source.buffer).digest('hex'), bytes: source.buffer.length };
  }
  try {
    // An endless input (a device or a pipe) stops at the limit instead of keeping a core busy.
    const stream = createReadStream(path, { signal, end: maxBytes });
    const hashed = await hashStream(stream);
    if (hashed.bytes > maxBytes) {
      throw new CustosError('validation', `The bundle file ${path} is larger than ${Math.floor(maxBytes / 1024 ** 3)} GiB, more than any bundle may hold; it was not read further.`, { path });
    }
    return hashed;
  } catch (err) {
    if (err instanceof CustosError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CustosError('not_found', `The bundle file ${path} does not exist.`, { path });
    if (code === 'EISDIR') throw new CustosError('validation', `${path} is a folder, not a bundle file.`, { path });
    if (code === 'ABORT_ERR' || signal?.aborted) throw new CustosError('cancelled', 'Verifying the bundle was cancelled.');
    throw new CustosError('failure', `The bundle file ${path} could not be read (${failureText(err)}).`, { path });
  }
}

async function checkBundle(zip: SafeZip, state: State, problems: Problems, opts: InspectOptions): Promise<void> {
  for (const required of [ENTRY.manifest, ENTRY.signature, ENTRY.publicKey]) {
    if (!zip.entries.has(required)) {
      problems.fatal(null, 'malformed', `The bundle has no ${required}, so it is not a Custos bundle (${BUNDLE_FORMAT}).`);
    }
  }
  const manifestBytes = await zip.readBuffer(ENTRY.manifest, MAX_MANIFEST_BYTES);
  const signature = await zip.readBuffer(ENTRY.signature, 1024);
  const pem = await zip.readBuffer(ENTRY.publicKey, MAX_PUBLIC_KEY_BYTES);
  state.manifestText = manifestBytes.toString('utf8');
  state.manifestSignature = signature.toString('base64');
  state.publicKeyPem = pem.toString('utf8');

  const publicKey = parsePublicKey(pem);
  if (!publicKey) problems.fatal(null, 'malformed', `${ENTRY.publicKey} does not hold an Ed25519 public key in PEM form.`);
  const { keyId } = describePublicKey(publicKey);
  if (signature.length !== ED25519_SIGNATURE_BYTES || !verifyBytes(publicKey, manifestBytes, signature)) {
    problems.add(
      null,
      'bad-signature',
      `${ENTRY.signature} is not a valid signature of ${ENTRY.manifest} by the key in ${ENTRY.publicKey}: the manifest was changed after it was signed, or it was signed with another key.`,
    );
  }

  const manifest = parseManifest(manifestBytes, problems);
  state.manifest = manifest;
  if (manifest.checkpoint.key_id !== keyId) {
    problems.add(
      null,
      'bad-signature',
      `${ENTRY.publicKey} holds the key ${fingerprint(keyId)}, not the key ${fingerprint(manifest.checkpoint.key_id)} that the manifest names.`,
    );
  }
  const head = manifest.tree_head;
  state.checkpointsChecked++;
  const headSigned = checkpointSignatureValid(publicKey, {
    workspace_id: manifest.workspace.id,
    size: head.size,
    root: head.root,
    ts: manifest.checkpoint.ts,
    key_id: manifest.checkpoint.key_id,
    signature: manifest.checkpoint.signature,
  });
  if (!headSigned) {
    problems.add(
      head.size,
      'bad-signature',
      `The tree head of ${head.size} events (root ${head.root.slice(0, 16)}…) does not carry a valid signature of workspace ${manifest.workspace.id} by the key in ${ENTRY.publicKey}.`,
    );
  }
  state.bundle = summarize(manifest, keyId, state.file);

  const listed = checkFileList(zip, manifest, problems);
  checkBufferHash(ENTRY.publicKey, pem, listed, problems);
  await checkStandardCheckpoint(zip, manifest, listed, publicKey, state, problems);
  await checkConsistency(zip, manifest, listed, publicKey, state, problems);

  if (opts.afterManifest && problems.list.length === 0) {
    const verdict = await opts.afterManifest(state.bundle, state.consistency);
    if (verdict) problems.fatal(verdict.seq, verdict.kind, verdict.message);
  }

  const prunedTree = checkPrunedPrefix(manifest, publicKey, state, problems);
  await checkEvents(zip, manifest, listed, state, problems, opts, prunedTree);

  const handled = new Set<string>([ENTRY.publicKey, ENTRY.checkpointNote, ENTRY.verifierKey, ENTRY.events, ENTRY.proofs, ENTRY.consistency]);
  for (const [path, f] of listed) {
    if (handled.has(path) || !zip.entries.has(path)) continue;
    const actual = await hashStream(await zip.openStream(path));
    compareHash(path, actual, f, problems);
  }
}

function parsePublicKey(pem: Buffer): KeyObject | null {
  try {
    const key = createPublicKey(pem.toString('utf8'));
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

function parseManifest(bytes: Buffer, problems: Problems): BundleManifest {
  // Strictly: a signed manifest must mean one thing to every reader (no duplicate keys, no text
  // that is not UTF-8 or holds lone surrogates, bounded nesting).
  const strict = parseStrictJson(bytes);
  if ('problem' in strict) problems.fatal(null, 'malformed', `${ENTRY.manifest} ${strict.problem}.`);
  const json = strict.value;
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== BUNDLE_FORMAT) {
    problems.fatal(null, 'malformed', `${ENTRY.manifest} does not describe a Custos bundle: its format is ${JSON.stringify(format ?? null)}, not "${BUNDLE_FORMAT}".`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : 'the manifest';
    problems.fatal(null, 'malformed', `${ENTRY.manifest} does not follow the ${BUNDLE_FORMAT} format (${where}: ${issue?.message ?? 'invalid'}).`);
  }
  return parsed.data;
}

function summarize(m: BundleManifest, keyId: string, file: { sha256: string; bytes: number }): BundleSummary {
  return {
    workspaceId: m.workspace.id,
    workspaceName: m.workspace.name,
    createdAt: m.created_at,
    createdBy: m.created_by,
    complete: m.scope.complete,
    caseId: m.scope.case,
    filters: m.scope.filters,
    events: m.events.count,
    treeSize: m.tree_head.size,
    root: m.tree_head.root,
    checkpointTs: m.checkpoint.ts,
    keyId,
    fingerprint: fingerprint(keyId),
    fileSha256: file.sha256,
    fileBytes: file.bytes,
  };
}

/** The manifest's files by path, after checking that the ZIP holds exactly those files. */
function checkFileList(zip: SafeZip, manifest: BundleManifest, problems: Problems): Map<string, ManifestFile> {
  const listed = new Map<string, ManifestFile>();
  for (const f of manifest.files) {
    if (f.path === ENTRY.manifest || f.path === ENTRY.signature) {
      problems.fatal(null, 'malformed', `${ENTRY.manifest} lists ${f.path}, which the manifest cannot cover.`);
    }
    const unsafe = zipPathProblem(f.path);
    if (unsafe) problems.fatal(null, 'malformed', `${ENTRY.manifest} lists the unsafe path "${f.path}" (it ${unsafe.why}).`);
    if (listed.has(f.path)) problems.fatal(null, 'malformed', `${ENTRY.manifest} lists ${f.path} twice.`);
    listed.set(f.path, f);
  }
  for (const path of zip.entries.keys()) {
    if (path !== ENTRY.manifest && path !== ENTRY.signature && !listed.has(path)) {
      problems.add(null, 'file-mismatch', `The bundle holds ${path}, which the signed manifest does not list: it was added after signing.`);
    }
  }
  for (const [path, f] of listed) {
    const entry = zip.entries.get(path);
    if (!entry) {
      problems.add(null, 'file-mismatch', `${path} is listed in the manifest but missing from the bundle.`);
    } else if (entry.uncompressedSize !== f.bytes) {
      problems.add(null, 'file-mismatch', `${path} holds ${entry.uncompressedSize} bytes, but the manifest says ${f.bytes}: it was changed after signing.`);
    }
  }
  if (!listed.has(ENTRY.publicKey)) problems.add(null, 'malformed', `${ENTRY.manifest} does not list ${ENTRY.publicKey}.`);
  if (!listed.has(ENTRY.events)) problems.fatal(null, 'malformed', `${ENTRY.manifest} does not list ${ENTRY.events}, so the bundle holds no events.`);
  if (!manifest.scope.complete && !listed.has(ENTRY.proofs)) {
    problems.fatal(
      null,
      'malformed',
      `The bundle holds a selection of events but no ${ENTRY.proofs}, so its events cannot be proven to belong to the signed tree head.`,
    );
  }
  return listed;
}

function compareHash(path: string, actual: { sha256: string; bytes: number }, expected: ManifestFile, problems: Problems): void {
  if (actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) {
    problems.add(null, 'file-mismatch', `${path} does not match the manifest (its SHA-256 is ${actual.sha256}, the manifest says ${expected.sha256}): it was changed after signing.`);
  }
}

function checkBufferHash(path: string, bytes: Buffer, listed: Map<string, ManifestFile>, problems: Problems): void {
  const f = listed.get(path);
  if (f) compareHash(path, { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }, f, problems);
}

/**
 * checkpoint.note must be the signed tree head of the manifest as a C2SP checkpoint, signed by the
 * key in public-key.pem under the workspace's origin, and checkpoint.vkey that key's verifier key
 * string. Bundles made before notes existed list neither; their manifest signature stands alone.
 */
async function checkStandardCheckpoint(
  zip: SafeZip,
  manifest: BundleManifest,
  listed: Map<string, ManifestFile>,
  publicKey: KeyObject,
  state: State,
  problems: Problems,
): Promise<void> {
  const head = manifest.tree_head;
  if (listed.has(ENTRY.checkpointNote) && zip.entries.has(ENTRY.checkpointNote)) {
    const bytes = await zip.readBuffer(ENTRY.checkpointNote, MAX_NOTE_BYTES);
    checkBufferHash(ENTRY.checkpointNote, bytes, listed, problems);
    state.checkpointsChecked++;
    const note = checkCheckpointNote(bytes, manifest.workspace.id, publicKey);
    if (!note.ok) {
      problems.add(head.size, note.kind, `${ENTRY.checkpointNote} ${note.reason}.`);
    } else if (note.head.size !== head.size || note.head.root !== head.root) {
      problems.add(
        note.head.size,
        'root-mismatch',
        `${ENTRY.checkpointNote} signs a tree head of ${note.head.size} events (root ${note.head.root.slice(0, 16)}…), not the one the manifest signs (${head.size} events, root ${head.root.slice(0, 16)}…).`,
      );
    }
  }
  if (listed.has(ENTRY.verifierKey) && zip.entries.has(ENTRY.verifierKey)) {
    const bytes = await zip.readBuffer(ENTRY.verifierKey, 1024);
    checkBufferHash(ENTRY.verifierKey, bytes, listed, problems);
    const text = bytes.toString('utf8');
    if (text !== `${checkpointVerifierKey(manifest.workspace.id, publicKey)}\n`) {
      const parsed = text.endsWith('\n') ? parseVerifierKey(text.slice(0, -1)) : null;
      if (!parsed) problems.add(null, 'malformed', `${ENTRY.verifierKey} is not one note verifier key string on one line.`);
      else problems.add(null, 'bad-signature', `${ENTRY.verifierKey} names the key ${parsed.name}+${parsed.keyId.toString('hex')}, not the key in ${ENTRY.publicKey} under the origin of this workspace.`);
    }
  }
}

async function checkConsistency(
  zip: SafeZip,
  manifest: BundleManifest,
  listed: Map<string, ManifestFile>,
  publicKey: KeyObject,
  state: State,
  problems: Problems,
): Promise<void> {
  if (!listed.has(ENTRY.consistency) || !zip.entries.has(ENTRY.consistency)) return;
  const bytes = await zip.readBuffer(ENTRY.consistency, MAX_CONSISTENCY_BYTES);
  checkBufferHash(ENTRY.consistency, bytes, listed, problems);
  const strict = parseStrictJson(bytes);
  if ('problem' in strict) {
    problems.add(null, 'malformed', `${ENTRY.consistency} ${strict.problem}.`);
    return;
  }
  const parsed = consistencyFileSchema.safeParse(strict.value);
  if (!parsed.success) {
    problems.add(null, 'malformed', `${ENTRY.consistency} does not follow its documented format.`);
    return;
  }
  const head = manifest.tree_head;
  if (parsed.data.tree_size !== head.size || parsed.data.root !== head.root) {
    problems.add(head.size, 'bad-proof', `${ENTRY.consistency} proves consistency with another tree head than the one the manifest signs.`);
    return;
  }
  const rootN = Buffer.from(head.root, 'hex');
  for (const entry of parsed.data.proofs) {
    state.checkpointsChecked++;
    const signed = checkpointSignatureValid(publicKey, {
      workspace_id: manifest.workspace.id,
      size: entry.from_size,
      root: entry.from_root,
      ts: entry.from_ts,
      key_id: manifest.checkpoint.key_id,
      signature: entry.from_signature,
    });
    if (!signed) {
      problems.add(entry.from_size, 'bad-signature', `The earlier tree head of ${entry.from_size} events in ${ENTRY.consistency} does not carry a valid signature of this workspace.`);
      continue;
    }
    const path = entry.path.map((h) => Buffer.from(h, 'hex'));
    if (!verifyConsistency(entry.from_size, head.size, Buffer.from(entry.from_root, 'hex'), rootN, path)) {
      problems.add(
        entry.from_size,
        'bad-proof',
        `The consistency proof from the earlier tree head of ${entry.from_size} events does not verify: this bundle does not extend that history.`,
      );
      continue;
    }
    state.consistency.push(entry);
  }
}

const EVENT_KEYS = ['action', 'actor', 'details', 'hash', 'outcome', 'prev_hash', 'resource_id', 'resource_type', 'seq', 'ts'];
const OUTCOMES: ReadonlySet<string> = new Set(['success', 'denied', 'failure']);
const HEX64 = /^[0-9a-f]{64}$/;
/** `"hash":"<64 hex>",` as it sits in a canonical line. */
const HASH_FIELD_BYTES = 74;

/** `bytes` is 0x00 || C(e): the leaf hash's input, and C(e) itself after its first byte (one buffer, no copy). */
type ParsedLine = { event: LedgerEvent; details: string; bytes: Buffer } | { problem: string };

/** One events.ndjson line: shape, canonical form, and C(e). */
function parseEventLine(line: Buffer): ParsedLine {
  let v: unknown;
  try {
    v = JSON.parse(line.toString('utf8'));
  } catch {
    return { problem: 'is not valid JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problem: 'is not a JSON object' };
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== EVENT_KEYS.length || !EVENT_KEYS.every((k) => Object.prototype.hasOwnProperty.call(o, k))) {
    return { problem: 'does not hold exactly the fields of a ledger event' };
  }
  const { seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash } = o;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { problem: 'has no valid seq' };
  if (
    typeof ts !== 'string' ||
    typeof actor !== 'string' ||
    typeof action !== 'string' ||
    typeof resource_type !== 'string' ||
    typeof resource_id !== 'string'
  ) {
    return { problem: `(event ${seq}) has a field of the wrong type` };
  }
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return { problem: `(event ${seq}) has an unknown outcome` };
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return { problem: `(event ${seq}) has details that are not an object` };
  if (typeof prev_hash !== 'string' || !HEX64.test(prev_hash) || typeof hash !== 'string' || !HEX64.test(hash)) {
    return { problem: `(event ${seq}) has a hash that is not 64 lower-case hex digits` };
  }
  // RFC 8785 refuses lone surrogates, and an importer would store them differently from how they
  // were hashed; deep details would overflow the serializer's stack. Checked before serializing.
  for (const [name, text] of [['ts', ts], ['actor', actor], ['action', action], ['resource_type', resource_type], ['resource_id', resource_id]] as const) {
    if (!isWellFormed(text)) return { problem: `(event ${seq}): its ${name} is not well-formed Unicode text (it holds a lone surrogate)` };
  }
  const unsafe = valueProblem(details, MAX_JSON_DEPTH);
  if (unsafe) return { problem: `(event ${seq}): ${describeValueProblem({ ...unsafe, path: ['details', ...unsafe.path] }, MAX_JSON_DEPTH)}` };
  let detailsText: string;
  try {
    // The serializer the ledger writes with: flat details on its fast path, property-tested against the package.
    detailsText = canonicalDetails(details as Record<string, unknown>);
  } catch {
    return { problem: `(event ${seq}) has details that cannot be serialized` };
  }
  // C(e) is built once; the canonical line is C(e) with "hash" inserted after "details" (JCS key
  // order), so the line is checked against C(e) slice by slice instead of serializing it twice.
  const s = JSON.stringify;
  const head = `{"action":${s(action)},"actor":${s(actor)},"details":${detailsText},`;
  const tail = `"outcome":${s(outcome)},"prev_hash":"${prev_hash}","resource_id":${s(resource_id)},"resource_type":${s(resource_type)},"seq":${seq},"ts":${s(ts)}}`;
  // 0x00 || C(e) (U+0000 is the single byte 0x00 in UTF-8): the line is compared with C(e) from byte 1.
  const bytes = Buffer.from(`\u0000${head}${tail}`, 'utf8');
  const k = Buffer.byteLength(head, 'utf8');
  const canonical =
    line.length === bytes.length - 1 + HASH_FIELD_BYTES &&
    line.compare(bytes, 1, k + 1, 0, k) === 0 &&
    line.toString('latin1', k, k + HASH_FIELD_BYTES) === `"hash":"${hash}",` &&
    line.compare(bytes, k + 1, bytes.length, k + HASH_FIELD_BYTES, line.length) === 0;
  if (!canonical) return { problem: `(event ${seq}) is not in canonical RFC 8785 form` };
  const event: LedgerEvent = {
    seq,
    ts,
    actor,
    action,
    resource_type,
    resource_id,
    outcome: outcome as Outcome,
    details: details as Record<string, unknown>,
    prev_hash,
    hash,
  };
  return { event, details: detailsText, bytes };
}

/** Reads proofs.json in lockstep with the events: the header, one proof per line, then the footer. */
class ProofLines {
  private readonly it: AsyncIterator<Buffer>;
  private lineNo = 0;
  private lastHadComma = false;
  private ended = false;
  private readonly problems: Problems;

  constructor(
    readonly reader: LineReader,
    problems: Problems,
  ) {
    this.it = reader.lines()[Symbol.asyncIterator]();
    this.problems = problems;
  }

  private async line(): Promise<Buffer | null> {
    const r = await this.it.next();
    if (r.done) return null;
    this.lineNo++;
    return r.value;
  }

  /** Checks the header against the signed tree head. */
  async header(head: { size: number; root: string }): Promise<void> {
    const first = await this.line();
    const strict = first ? parseStrictJson(Buffer.concat([first, Buffer.from(PROOFS_FOOTER)])) : null;
    const header = proofsHeaderSchema.safeParse(strict && 'value' in strict ? strict.value : null);
    if (!header.success) this.problems.fatal(null, 'malformed', `${ENTRY.proofs} does not start with its documented header line.`);
    if (header.data.tree_size !== head.size || header.data.root !== head.root) {
      this.problems.fatal(head.size, 'bad-proof', `${ENTRY.proofs} proves inclusion in another tree head than the one the manifest signs.`);
    }
  }

  /** The next proof, or null at the footer. */
  async next(): Promise<{ seq: number; path: Buffer[] } | null> {
    if (this.ended) return null;
    const line = await this.line();
    const text = line?.toString('utf8') ?? null;
    if (text === null || text === PROOFS_FOOTER) {
      if (text === null) this.problems.fatal(null, 'malformed', `${ENTRY.proofs} ends without its closing line.`);
      if (this.lastHadComma) this.problems.fatal(null, 'malformed', `${ENTRY.proofs} has a comma after its last proof, so it is not valid JSON.`);
      this.ended = true;
      return null;
    }
    if (this.lineNo > 2 && !this.lastHadComma) {
      this.problems.fatal(null, 'malformed', `Line ${this.lineNo - 1} of ${ENTRY.proofs} lacks the comma that separates proofs.`);
    }
    this.lastHadComma = text.endsWith(',');
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(this.lastHadComma ? text.slice(0, -1) : text);
    } catch {
      parsed = null;
    }
    const proof = proofLineSchema.safeParse(parsed);
    if (!proof.success) this.problems.fatal(null, 'malformed', `Line ${this.lineNo} of ${ENTRY.proofs} is not a proof.`);
    return { seq: proof.data.seq, path: proof.data.path.map((h) => Buffer.from(h, 'hex')) };
  }

  /** After the last event: the footer must come next, then the end of the file. */
  async finish(): Promise<void> {
    if (!this.ended) {
      const extra = await this.next();
      if (extra) this.problems.fatal(extra.seq, 'malformed', `${ENTRY.proofs} holds more proofs than there are events.`);
    }
    const trailing = await this.line();
    if (trailing !== null) this.problems.fatal(null, 'malformed', `${ENTRY.proofs} has content after its closing line.`);
    if (this.reader.endedWithoutNewline) this.problems.add(null, 'malformed', `${ENTRY.proofs} does not end with a newline.`);
  }

  /** Releases the stream if reading stopped early. */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/**
 * A pruned prefix (format.ts, PRUNED_PREFIX_NOTES): the checkpoint signed at the prune point must
 * verify, and for a complete bundle the frontier must fold to its root. Returns the tree at the prune
 * point, which the events of a complete bundle then continue; null when there is nothing to continue.
 */
function checkPrunedPrefix(manifest: BundleManifest, publicKey: KeyObject, state: State, problems: Problems): StreamingRoot | null {
  const p = manifest.pruned;
  if (!p) return null;
  const n = p.through_seq;
  state.checkpointsChecked++;
  const signed = checkpointSignatureValid(publicKey, {
    workspace_id: manifest.workspace.id,
    size: n,
    root: p.checkpoint.root,
    ts: p.checkpoint.ts,
    key_id: manifest.checkpoint.key_id,
    signature: p.checkpoint.signature,
  });
  if (!signed) {
    problems.add(n, 'bad-signature', `The checkpoint signed when events 1–${n} were pruned does not carry a valid signature of workspace ${manifest.workspace.id}: the pruned prefix cannot be proven.`);
  }
  if (n >= manifest.tree_head.size && n > 0) {
    problems.add(n, 'malformed', `The manifest says events 1–${n} were pruned, but the signed tree head holds only ${manifest.tree_head.size} events.`);
  }
  if (!manifest.scope.complete) return null;
  const tree = new StreamingRoot();
  let k = 0;
  for (let l = 52; l >= 0; l--) {
    const width = 2 ** l;
    if (Math.floor(n / width) % 2 !== 1) continue;
    const h = p.frontier[k++];
    if (h === undefined) break;
    tree.pushSubtree(Buffer.from(h, 'hex'), l);
  }
  if (k !== p.frontier.length || tree.size !== n || tree.root().toString('hex') !== p.checkpoint.root) {
    problems.add(n, 'root-mismatch', `The Merkle edge the manifest gives for the ${n} pruned events does not lead to the root signed when they were pruned.`);
  }
  return tree;
}

async function checkEvents(
  zip: SafeZip,
  manifest: BundleManifest,
  listed: Map<string, ManifestFile>,
  state: State,
  problems: Problems,
  opts: InspectOptions,
  prunedTree: StreamingRoot | null = null,
): Promise<void> {
  const eventsInfo = listed.get(ENTRY.events);
  if (!eventsInfo || !zip.entries.has(ENTRY.events)) return;
  const head = manifest.tree_head;
  const complete = manifest.scope.complete;
  const rootBytes = Buffer.from(head.root, 'hex');
  const total = manifest.events.count;
  const reader = new LineReader(await zip.openStream(ENTRY.events), MAX_LINE_BYTES);
  let proofs: ProofLines | null = null;
  if (!complete && zip.entries.has(ENTRY.proofs)) {
    proofs = new ProofLines(new LineReader(await zip.openStream(ENTRY.proofs), MAX_LINE_BYTES), problems);
  }
  // After a pruned prefix a complete bundle's events continue the tree and the chain at the prune point.
  const tree = complete ? (prunedTree ?? new StreamingRoot()) : null;
  let prevSeq = complete && prunedTree ? prunedTree.size : 0;
  let prevHash: string | null = complete && prunedTree ? (manifest.pruned?.last_hash ?? null) : null;
  let firstSeq: number | null = null;
  let lineNo = 0;
  // A complete bundle's chain hashes and tree are hashed in a worker thread while this thread
  // parses the next chunk and stores the last (imports); a selection's leaves are hashed here,
  // beside the inclusion proofs they are checked with.
  // At most two chunks are being hashed at once (the one being checked and the next), so two threads at most.
  const pool = tree ? new HashPool(opts.hashThreads ?? (total > HASH_THREADS_FROM ? Math.min(2, defaultHashThreads()) : 0)) : null;
  let leavesSent = tree?.size ?? 0;
  const hashChunk = (lines: ParsedLine[]): Promise<RangeResult> | null => {
    if (!pool) return null;
    const job = rangeJob(lines, leavesSent);
    if (!job) return null;
    leavesSent += job.offsets.length - 1;
    const hashed = pool.runRange(job);
    // Taken when its chunk is checked; a verification that stops first must not leave it unhandled.
    hashed.catch(() => {});
    return hashed;
  };
  const checkChunk = async (lines: ParsedLine[], hashed: Promise<RangeResult> | null): Promise<void> => {
    const ranged = hashed ? await hashed : null;
    if (ranged && tree) {
      ranged.levels.forEach((level, k) => tree.pushSubtree(Buffer.from(ranged.roots.buffer, ranged.roots.byteOffset + k * 32, 32), level));
    }
    let parsedIndex = 0;
    let nextBad = 0;
    for (const parsed of lines) {
      lineNo++;
      if ('problem' in parsed) {
        problems.add(null, 'malformed', `Line ${lineNo} of ${ENTRY.events} ${parsed.problem}.`);
        prevHash = null;
        if (proofs) await proofs.next();
        continue;
      }
      const { event, bytes } = parsed;
      const seq = event.seq;
      if (seq <= prevSeq) {
        problems.add(seq, seq === prevSeq ? 'duplicate' : 'reordered', `Event ${seq} comes after event ${prevSeq}: events must appear once each, in rising order.`);
      } else if (complete && seq !== prevSeq + 1) {
        const missing = seq - prevSeq > 2 ? `Events ${prevSeq + 1}–${seq - 1} are` : `Event ${prevSeq + 1} is`;
        problems.add(prevSeq + 1, 'gap', `${missing} missing from a bundle that claims to hold every event.`);
      }
      const mismatch = ranged ? ranged.bad[nextBad] === parsedIndex : oneShotHash('sha256', bytes.subarray(1), 'hex') !== event.hash;
      if (ranged && mismatch) nextBad++;
      parsedIndex++;
      if (mismatch) {
        problems.add(seq, 'hash-mismatch', `Event ${seq} does not match its hash: a field was changed after it was written.`);
      }
      if (seq === 1 && event.prev_hash !== ZERO_HASH) {
        problems.add(1, 'broken-link', 'Event 1 does not start the chain: its prev_hash is not 64 zeros.');
      } else if (seq === prevSeq + 1 && prevHash !== null && event.prev_hash !== prevHash) {
        problems.add(seq, 'broken-link', `Event ${seq} does not link to event ${seq - 1}: the chain was cut or rewritten here.`);
      }
      if (proofs) {
        const leaf = prefixedLeafHash(bytes);
        const proof = await proofs.next();
        if (!proof) {
          problems.fatal(seq, 'bad-proof', `Event ${seq} has no inclusion proof in ${ENTRY.proofs}.`);
        } else if (proof.seq !== seq) {
          problems.add(seq, 'bad-proof', `The proof for event ${seq} in ${ENTRY.proofs} is for event ${proof.seq} instead.`);
        } else if (seq > head.size || !verifyInclusion(leaf, seq - 1, head.size, proof.path, rootBytes)) {
          problems.add(
            seq,
            'bad-proof',
            `The inclusion proof of event ${seq} does not lead to the signed root: the event is not part of the signed tree head of ${head.size} events.`,
          );
        }
      }
      firstSeq ??= seq;
      prevSeq = Math.max(prevSeq, seq);
      prevHash = event.hash;
      state.count++;
      if (event.action === 'ledger.prune' && event.outcome === 'success') state.lastPrune = { seq, details: event.details };
      if (state.firstTs === null || event.ts < state.firstTs) state.firstTs = event.ts;
      if (state.lastTs === null || event.ts > state.lastTs) state.lastTs = event.ts;
      const pending = opts.onEvent?.(parsed);
      if (pending) await pending;
      if (state.count % PROGRESS_EVERY === 0) opts.onProgress?.(state.count, total);
    }
  };
  try {
    await proofs?.header(head);
    // One chunk is checked while the next is read and hashed. When reading fails (a line too long, a
    // damaged entry), the chunk read before is checked first: the report is the one checking chunk by
    // chunk gives, and a problem found there comes before the failure.
    const chunks = reader.batches()[Symbol.asyncIterator]();
    let previous: { lines: ParsedLine[]; hashed: Promise<RangeResult> | null } | null = null;
    try {
      for (;;) {
        let next: IteratorResult<Buffer[]>;
        try {
          next = await chunks.next();
        } catch (err) {
          if (previous) await checkChunk(previous.lines, previous.hashed);
          throw err;
        }
        if (next.done) break;
        const lines = next.value.map(parseEventLine);
        const current = { lines, hashed: hashChunk(lines) };
        if (previous) await checkChunk(previous.lines, previous.hashed);
        previous = current;
      }
    } finally {
      // Checking stopped early: the reader lets go of its stream.
      await chunks.return?.(undefined);
    }
    if (previous) await checkChunk(previous.lines, previous.hashed);
    opts.onProgress?.(state.count, total);
    if (reader.endedWithoutNewline) problems.add(null, 'malformed', `The last line of ${ENTRY.events} has no newline: the file may be cut short.`);
    compareHash(ENTRY.events, { sha256: reader.digest(), bytes: reader.bytes }, eventsInfo, problems);
    if (state.count !== manifest.events.count || firstSeq !== manifest.events.first_seq || (state.count > 0 && prevSeq !== manifest.events.last_seq)) {
      problems.add(
        null,
        'malformed',
        `The manifest announces ${manifest.events.count} events (seq ${manifest.events.first_seq ?? '-'} to ${manifest.events.last_seq ?? '-'}), but ${ENTRY.events} holds ${state.count} (seq ${firstSeq ?? '-'} to ${state.count > 0 ? prevSeq : '-'}).`,
      );
    }
    // A complete bundle holds every event after the prefix; a selection carries the prune event with its proof.
    if (manifest.pruned) prunedPrefixRecorded(manifest.pruned, state.lastPrune, problems);
    if (tree) {
      if (tree.size < head.size) {
        problems.add(tree.size + 1, 'truncated-after-checkpoint', `The bundle claims every event up to the signed tree head of ${head.size}, but holds only ${tree.size}: events from ${tree.size + 1} are missing.`);
      } else if (tree.size > head.size) {
        problems.add(head.size + 1, 'malformed', `The bundle holds ${tree.size} events, more than the signed tree head of ${head.size}.`);
      }
      if (!tree.root().equals(rootBytes)) {
        problems.add(
          tree.size,
          'root-mismatch',
          `The Merkle root of the bundle's ${tree.size} events differs from the signed tree head: events were added, removed or rewritten.`,
        );
      }
    }
    if (proofs) {
      await proofs.finish();
      const proofsInfo = listed.get(ENTRY.proofs);
      if (proofsInfo) compareHash(ENTRY.proofs, { sha256: proofs.reader.digest(), bytes: proofs.reader.bytes }, proofsInfo, problems);
    }
  } finally {
    await proofs?.close();
    await pool?.close();
  }
}

/** The hashing job of a chunk's well-formed events, whose leaves start at `start`; null when it has none. */
function rangeJob(lines: ParsedLine[], start: number): RangeJob | null {
  let count = 0;
  let length = 0;
  for (const p of lines) {
    if ('problem' in p) continue;
    count++;
    length += p.bytes.length;
  }
  if (count === 0) return null;
  const bytes = new Uint8Array(length);
  const offsets = new Int32Array(count + 1);
  // Its own memory, never a slice of Node's shared pool: the arrays move to another thread.
  const hashes = Buffer.allocUnsafeSlow(count * 64);
  let at = 0;
  let i = 0;
  for (const p of lines) {
    if ('problem' in p) continue;
    offsets[i] = at;
    bytes.set(p.bytes, at);
    at += p.bytes.length;
    hashes.write(p.event.hash, i * 64, 64, 'latin1');
    i++;
  }
  offsets[count] = at;
  return { bytes, offsets, hashes, start };
}

/**
 * A bundle of a pruned ledger holds the ledger.prune event that made its prefix (a complete one holds
 * every event after the prefix; a selection carries that event with its inclusion proof): the latest
 * one must record the range, policy, date and checkpoint the manifest claims (as workspace
 * verification requires of the database's prune point). Otherwise the manifest's account of the
 * prefix is not the ledger's own.
 */
function prunedPrefixRecorded(p: NonNullable<BundleManifest['pruned']>, recorded: State['lastPrune'], problems: Problems): void {
  const d = recorded?.details;
  // The date the report gives is the signed checkpoint's: pruned_at must be it, and the prune event must name it.
  if (d && d.through_seq === p.through_seq && d.policy === p.policy && d.checkpoint_root === p.checkpoint.root && d.checkpoint_ts === p.checkpoint.ts && p.pruned_at === p.checkpoint.ts) return;
  problems.add(
    p.through_seq,
    'malformed',
    `The manifest says events 1–${p.through_seq} were pruned under ${p.policy} on ${p.pruned_at.slice(0, 10)}, but no prune event among the bundle's events records that range, policy, date and checkpoint${recorded ? ` (the last one, event ${recorded.seq}, records another)` : ''}.`,
  );
}

function bundleReport(problems: Problems, state: State): VerificationReport {
  problems.list.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const p = state.manifest?.pruned;
  const pruned = p
    ? { through_seq: p.through_seq, pruned_at: p.pruned_at, policy: p.policy, checkpoint_root: p.checkpoint.root, description: describePruned({ throughSeq: p.through_seq, prunedAt: p.pruned_at, policy: p.policy }) }
    : undefined;
  const base = buildReport(problems.list, state.count, state.checkpointsChecked, state.manifest?.tree_head.root ?? null, problems.suppressed, pruned);
  const b = state.bundle;
  const from = b ? ` of workspace "${b.workspaceName}" (${b.workspaceId})` : '';
  const n = problems.list.length + problems.suppressed;
  const prefix = pruned ? `; ${pruned.description} (proven by the checkpoint signed then)` : '';
  const summary = base.valid
    ? `VALID: bundle${from}, signed by key ${b?.fingerprint ?? '-'}: ${state.count} event${state.count === 1 ? '' : 's'} verified against the signed tree head of ${b?.treeSize ?? 0} events${prefix}.`
    : `INVALID: ${n} problem${n === 1 ? '' : 's'} in the bundle${from}; do not rely on its content.`;
  return { ...base, summary };
}
