import { open as openFile } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import * as yauzl from 'yauzl';
import { CustosError, failureText } from '../errors.js';

/** Ceilings the reader enforces on an archive before and while inflating it. */
export interface ZipLimits {
  /** Most entries (central directory records) an archive may hold. */
  maxEntries: number;
  /** Largest uncompressed size one entry may have, declared or actual. */
  maxEntryBytes: number;
  /** Largest sum of declared uncompressed sizes over all entries. */
  maxTotalBytes: number;
  /** Highest uncompressed:compressed ratio allowed for entries above `ratioThresholdBytes`. */
  maxCompressionRatio: number;
  /** Entries at or below this uncompressed size skip the ratio check (tiny files compress absurdly well). */
  ratioThresholdBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const ZIP_DEFAULT_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 100_000,
  maxEntryBytes: 2 * GiB,
  maxTotalBytes: 8 * GiB,
  maxCompressionRatio: 200,
  ratioThresholdBytes: 1 * MiB,
});

/** Stable tokens put in `details.reason` of every 'integrity' error the reader throws. */
export type ZipRejectReason =
  | 'not_a_zip'
  | 'truncated'
  | 'malformed'
  | 'path_traversal'
  | 'absolute_path'
  | 'backslash'
  | 'invalid_name'
  | 'symlink'
  | 'special_file'
  | 'duplicate_entry'
  | 'encrypted'
  | 'unsupported_compression'
  | 'too_many_entries'
  | 'entry_too_large'
  | 'total_too_large'
  | 'compression_ratio'
  | 'overlapping_entries'
  | 'header_mismatch'
  | 'size_mismatch'
  | 'crc_mismatch'
  | 'corrupt_data';

export interface ZipEntryInfo {
  path: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** An archive whose central directory passed every check; file data is checked as it is read. */
export interface SafeZip {
  /** File entries by path, in central-directory order (directory entries are left out). */
  entries: Map<string, ZipEntryInfo>;
  /** Streams one entry's content; the stream fails with an 'integrity' CustosError on any lie or damage. */
  openStream(path: string): Promise<Readable>;
  /** Reads one entry whole, refusing it when it is larger than `maxBytes`. */
  readBuffer(path: string, maxBytes: number): Promise<Buffer>;
  /** Releases the file; streams already open finish first. */
  close(): void;
}

// @types/yauzl describes yauzl 2; these are the yauzl 3 members this file relies on.
interface Yauzl3Entry extends yauzl.Entry {
  fileNameRaw: Buffer;
}
interface LocalFileHeader {
  fileDataStart: number;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  fileName: Buffer;
}
interface Yauzl3ZipFile extends yauzl.ZipFile {
  readLocalFileHeader(
    entry: yauzl.Entry,
    options: { minimal: false },
    callback: (err: Error | null, header: LocalFileHeader) => void,
  ): void;
  openReadStreamLowLevel(
    fileDataStart: number,
    compressedSize: number,
    relativeStart: number,
    relativeEnd: number,
    decompress: boolean,
    uncompressedSize: number,
    callback: (err: Error | null, stream: Readable) => void,
  ): void;
}
type GetFileNameLowLevel = (
  generalPurposeBitFlag: number,
  fileNameBuffer: Buffer,
  extraFields: Array<{ id: number; data: Buffer }>,
  strictFileNames: boolean,
) => string;
const getFileNameLowLevel = (yauzl as unknown as { getFileNameLowLevel: GetFileNameLowLevel })
  .getFileNameLowLevel;

const LOCAL_HEADER_MIN = 30;
const FLAG_ENCRYPTED = 0x1;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Why a ZIP entry name is unsafe, or null when it is a plain relative forward-slash path. */
export function zipPathProblem(name: string): { reason: ZipRejectReason; why: string } | null {
  if (name.length === 0) return { reason: 'invalid_name', why: 'has an empty name' };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses or escapes.
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    return { reason: 'invalid_name', why: 'has control characters in its name' };
  }
  // Judge the path as Windows would read it too, so "..\x" and "C:\x" are caught as what they are.
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    return { reason: 'absolute_path', why: 'has an absolute path' };
  }
  if (slashed.split('/').includes('..')) {
    return { reason: 'path_traversal', why: 'climbs out of the bundle folder with ".."' };
  }
  if (name.includes('\\')) {
    return { reason: 'backslash', why: 'uses backslashes in its path, which ZIP does not allow' };
  }
  const body = name.endsWith('/') ? name.slice(0, -1) : name;
  if (body.split('/').some((part) => part === '' || part === '.')) {
    return { reason: 'invalid_name', why: 'has empty or "." parts in its path' };
  }
  return null;
}

/** The key under which two entry names count as the same file on a case-insensitive disk. */
export function zipDuplicateKey(name: string): string {
  const body = name.endsWith('/') ? name.slice(0, -1) : name;
  return body.normalize('NFC').toLowerCase();
}

/**
 * A ZIP to read: a file by its path (the CLI, a file chosen in the desktop dialog), or bytes already
 * in memory with the name to report (an uploaded bundle, decrypted for reading and never written out).
 */
export type ZipSource = string | { buffer: Buffer; name: string };

/** The name a source is reported by. */
export function zipSourceName(source: ZipSource): string {
  return typeof source === 'string' ? source : source.name;
}

/** Opens a ZIP for reading after checking its whole central directory against `limits`; writes nothing to disk. */
export async function readZipSafely(
  zipPath: ZipSource,
  limits: Partial<ZipLimits> = {},
  opts: { signal?: AbortSignal } = {},
): Promise<SafeZip> {
  const lim: ZipLimits = { ...ZIP_DEFAULT_LIMITS, ...limits };
  const { signal } = opts;
  throwIfAborted(signal);

  let zf: Yauzl3ZipFile;
  try {
    zf = await openYauzl(zipPath);
  } catch (err) {
    throw await openFailure(zipPath, err);
  }
  // yauzl may report a late close error on the ZipFile; it must not crash the process.
  const pending: { reject?: (err: Error) => void } = {};
  zf.on('error', (err: Error) => pending.reject?.(err));

  try {
    const entries = await walkCentralDirectory(zf, lim, pending, signal);
    return makeSafeZip(zf, entries, lim, signal);
  } catch (err) {
    zf.close();
    throw err;
  }
}

interface CheckedEntry {
  info: ZipEntryInfo;
  entry: Yauzl3Entry;
}

function openYauzl(source: ZipSource): Promise<Yauzl3ZipFile> {
  const options = {
    lazyEntries: true,
    autoClose: false,
    // Names are decoded and judged here, so each unsafe name gets its own stable reason.
    decodeStrings: false,
    validateEntrySizes: true,
    strictFileNames: true,
  };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zipfile?: unknown) => (err ? reject(err) : resolve(zipfile as Yauzl3ZipFile));
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source.buffer, options, done);
  });
}

async function openFailure(source: ZipSource, err: unknown): Promise<CustosError> {
  const zipPath = zipSourceName(source);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') {
    return new CustosError('not_found', `The bundle file ${quote(zipPath)} does not exist.`, {
      path: zipPath,
    });
  }
  if (code !== undefined && !code.startsWith('Z_')) {
    // An operating-system failure: its kind, not its text (which names the server path).
    return new CustosError('failure', `The bundle file ${quote(zipPath)} could not be opened (${failureText(err)}).`, { path: zipPath, cause: failureText(err) });
  }
  // A file that starts like a ZIP but has no end record was most likely cut short.
  const head = typeof source === 'string' ? await readHead(source).catch(() => Buffer.alloc(0)) : source.buffer.subarray(0, 4);
  const startsLikeZip = head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  return startsLikeZip
    ? notComplete('truncated', 'it looks cut short or damaged', errorText(err))
    : notComplete('not_a_zip', 'it is not a ZIP file at all', errorText(err));
}

async function readHead(zipPath: string): Promise<Buffer> {
  const handle = await openFile(zipPath, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function walkCentralDirectory(
  zf: Yauzl3ZipFile,
  lim: ZipLimits,
  pending: { reject?: (err: Error) => void },
  signal: AbortSignal | undefined,
): Promise<Map<string, CheckedEntry>> {
  if (zf.entryCount > lim.maxEntries) {
    throw reject(
      'too_many_entries',
      `The bundle was rejected because it holds ${zf.entryCount} entries, more than the ${lim.maxEntries} allowed.`,
      { entryCount: zf.entryCount, limit: lim.maxEntries },
    );
  }

  const byPath = new Map<string, CheckedEntry>();
  const byKey = new Map<string, string>();
  const spans: Array<{ start: number; end: number; name: string }> = [];
  let totalDeclared = 0;

  for (;;) {
    throwIfAborted(signal);
    let entry: Yauzl3Entry | null;
    try {
      entry = await nextEntry(zf, pending);
    } catch (err) {
      throw walkFailure(err);
    }
    if (entry === null) break;

    const name = checkName(entry);
    const isDirectory = name.endsWith('/');
    checkKind(entry, name, isDirectory);

    const key = zipDuplicateKey(name);
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      const why =
        earlier === name ? 'appears more than once' : `differs from ${quote(earlier)} only by letter case`;
      throw rejectEntry('duplicate_entry', name, why, { otherEntry: earlier });
    }
    byKey.set(key, name);

    if ((entry.generalPurposeBitFlag & FLAG_ENCRYPTED) !== 0) {
      throw rejectEntry('encrypted', name, 'is encrypted, and Custos reads only plain entries');
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw rejectEntry(
        'unsupported_compression',
        name,
        `uses compression method ${entry.compressionMethod}, which Custos does not read`,
        { compressionMethod: entry.compressionMethod },
      );
    }

    const { compressedSize, uncompressedSize } = entry;
    // yauzl checks this too; repeated so the rule holds whatever the library's options.
    if (entry.compressionMethod === 0 && compressedSize !== uncompressedSize) {
      throw rejectEntry('size_mismatch', name, 'is stored uncompressed but declares two different sizes', {
        compressedSize,
        uncompressedSize,
      });
    }
    if (uncompressedSize > lim.maxEntryBytes) {
      throw rejectEntry(
        'entry_too_large',
        name,
        `declares ${formatBytes(uncompressedSize)} of content, over the limit of ${formatBytes(lim.maxEntryBytes)}`,
        { declaredBytes: uncompressedSize, limit: lim.maxEntryBytes },
      );
    }
    totalDeclared += uncompressedSize;
    if (totalDeclared > lim.maxTotalBytes) {
      throw reject(
        'total_too_large',
        `The bundle was rejected because its entries declare more than ${formatBytes(lim.maxTotalBytes)} of content in total.`,
        { entry: name, declaredBytes: totalDeclared, limit: lim.maxTotalBytes },
      );
    }
    if (
      uncompressedSize > lim.ratioThresholdBytes &&
      uncompressedSize > compressedSize * lim.maxCompressionRatio
    ) {
      const ratio = compressedSize === 0 ? 'without limit' : `${Math.round(uncompressedSize / compressedSize)}:1`;
      throw rejectEntry(
        'compression_ratio',
        name,
        `would expand ${ratio}, more than the ${lim.maxCompressionRatio}:1 allowed (a likely zip bomb)`,
        { compressedSize, uncompressedSize, limit: lim.maxCompressionRatio },
      );
    }

    const start = entry.relativeOffsetOfLocalHeader;
    const end = start + LOCAL_HEADER_MIN + compressedSize;
    if (end > zf.fileSize) {
      throw notComplete('truncated', `the data of the entry ${quote(name)} runs past the end of the file`);
    }
    spans.push({ start, end, name });

    if (!isDirectory) {
      byPath.set(name, { info: { path: name, compressedSize, uncompressedSize }, entry });
    }
  }

  checkOverlaps(spans);
  return byPath;
}

const FLAG_UTF8 = 0x800;
const UNICODE_PATH_EXTRA = 0x7075;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** True when `bytes` are valid UTF-8 (yauzl would silently turn invalid bytes into U+FFFD). */
function validUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decodes an entry's name the way yauzl would and rejects it if either of its spellings is unsafe. */
function checkName(entry: Yauzl3Entry): string {
  const name = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  // A name that claims to be UTF-8 but is not would be read as something else than was written.
  const unicodePath = entry.extraFields.find((f) => f.id === UNICODE_PATH_EXTRA);
  if (((entry.generalPurposeBitFlag & FLAG_UTF8) !== 0 && !validUtf8(entry.fileNameRaw)) || (unicodePath && !validUtf8(unicodePath.data.subarray(5)))) {
    throw rejectEntry('invalid_name', name, 'has a name that is not valid UTF-8 although the archive says it is');
  }
  // An Info-ZIP Unicode Path field can hide a hostile raw name from us, or show one to other tools.
  const rawName = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, [], true);
  for (const candidate of new Set([name, rawName])) {
    const problem = zipPathProblem(candidate);
    if (problem) throw rejectEntry(problem.reason, candidate, problem.why);
  }
  return name;
}

function checkKind(entry: Yauzl3Entry, name: string, isDirectory: boolean): void {
  // The high 16 bits are the Unix mode when set, whichever host wrote the archive.
  const fileType = Math.floor(entry.externalFileAttributes / 0x10000) & S_IFMT;
  if (fileType === S_IFLNK) throw rejectEntry('symlink', name, 'is a symbolic link');
  if (fileType !== 0 && fileType !== S_IFREG && fileType !== S_IFDIR) {
    throw rejectEntry('special_file', name, 'is a device, pipe or socket, not a file');
  }
  if (fileType === S_IFDIR && !isDirectory) {
    throw rejectEntry('special_file', name, 'is marked as a folder but named like a file');
  }
}

/** Entries whose data overlap are how a tiny archive declares gigabytes (the "overlapping zip bomb"). */
function checkOverlaps(spans: Array<{ start: number; end: number; name: string }>): void {
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i += 1) {
    const before = spans[i - 1]!;
    const here = spans[i]!;
    if (here.start < before.end) {
      throw rejectEntry('overlapping_entries', here.name, `shares its bytes with the entry ${quote(before.name)}`, {
        otherEntry: before.name,
      });
    }
  }
}

function nextEntry(
  zf: Yauzl3ZipFile,
  pending: { reject?: (err: Error) => void },
): Promise<Yauzl3Entry | null> {
  return new Promise((resolve, rejectPromise) => {
    const done = (): void => {
      zf.removeListener('entry', onEntry);
      zf.removeListener('end', onEnd);
      pending.reject = undefined;
    };
    const onEntry = (entry: yauzl.Entry): void => {
      done();
      resolve(entry as Yauzl3Entry);
    };
    const onEnd = (): void => {
      done();
      resolve(null);
    };
    pending.reject = (err) => {
      done();
      rejectPromise(err);
    };
    zf.on('entry', onEntry);
    zf.on('end', onEnd);
    zf.readEntry();
  });
}

/** Maps yauzl's own complaints while reading the central directory onto our reasons. */
function walkFailure(err: unknown): CustosError {
  if (err instanceof CustosError) return err;
  const text = errorText(err);
  if (/encryption/i.test(text)) {
    return reject('encrypted', 'The bundle was rejected because it holds an encrypted entry.', { cause: text });
  }
  if (/size mismatch/i.test(text)) {
    return reject(
      'size_mismatch',
      'The bundle was rejected because an entry declares sizes that contradict each other.',
      { cause: text },
    );
  }
  if (/unexpected EOF/i.test(text)) return notComplete('truncated', 'its table of contents is cut short', text);
  return notComplete('malformed', 'its table of contents is damaged', text);
}

function makeSafeZip(
  zf: Yauzl3ZipFile,
  byPath: Map<string, CheckedEntry>,
  lim: ZipLimits,
  signal: AbortSignal | undefined,
): SafeZip {
  let closed = false;
  const entries = new Map<string, ZipEntryInfo>();
  for (const [path, checked] of byPath) entries.set(path, { ...checked.info });

  const lookup = (path: string): CheckedEntry => {
    const found = byPath.get(path);
    if (!found) {
      throw new CustosError('not_found', `The bundle has no entry named ${quote(path)}.`, { path });
    }
    return found;
  };

  const openStream = async (path: string): Promise<Readable> => {
    const checked = lookup(path);
    if (closed) throw new CustosError('failure', 'The bundle was closed before its entries were read.');
    throwIfAborted(signal);
    const { entry, info } = checked;

    let header: LocalFileHeader;
    let raw: Readable;
    try {
      header = await readLocalHeader(zf, entry);
      checkLocalHeader(header, entry, path);
      raw = await openLowLevel(zf, header.fileDataStart, entry, lim);
    } catch (err) {
      throw streamFailure(err, path);
    }
    return guardStream(raw, entry, info, lim, signal);
  };

  const readBuffer = async (path: string, maxBytes: number): Promise<Buffer> => {
    const { info } = lookup(path);
    if (info.uncompressedSize > maxBytes) {
      throw rejectEntry(
        'entry_too_large',
        path,
        `is ${formatBytes(info.uncompressedSize)}, more than the ${formatBytes(maxBytes)} allowed for it`,
        { declaredBytes: info.uncompressedSize, limit: maxBytes },
      );
    }
    const stream = await openStream(path);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Unreachable while the guard holds the stream to its declared size; kept so memory never depends on it.
      if (size > maxBytes) {
        stream.destroy();
        throw rejectEntry('size_mismatch', path, 'holds more data than its header declares');
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  };

  return {
    entries,
    openStream,
    readBuffer,
    close: () => {
      if (closed) return;
      closed = true;
      zf.close();
    },
  };
}

function readLocalHeader(zf: Yauzl3ZipFile, entry: yauzl.Entry): Promise<LocalFileHeader> {
  return new Promise((resolve, rejectPromise) => {
    zf.readLocalFileHeader(entry, { minimal: false }, (err, header) =>
      err ? rejectPromise(err) : resolve(header),
    );
  });
}

/** Other tools read the local header, so it must tell the same story as the central directory. */
function checkLocalHeader(header: LocalFileHeader, entry: Yauzl3Entry, path: string): void {
  if (!header.fileName.equals(entry.fileNameRaw) || header.compressionMethod !== entry.compressionMethod) {
    throw rejectEntry('header_mismatch', path, 'has a local header that disagrees with the table of contents');
  }
  if ((header.generalPurposeBitFlag & FLAG_ENCRYPTED) !== 0) {
    throw rejectEntry('encrypted', path, 'is encrypted, and Custos reads only plain entries');
  }
}

function openLowLevel(
  zf: Yauzl3ZipFile,
  fileDataStart: number,
  entry: Yauzl3Entry,
  lim: ZipLimits,
): Promise<Readable> {
  if (entry.uncompressedSize > lim.maxEntryBytes) {
    // Already refused during the walk; repeated so the stream can never be opened without it.
    return Promise.reject(rejectEntry('entry_too_large', entry.fileNameRaw.toString('utf8'), 'is over the size limit'));
  }
  return new Promise((resolve, rejectPromise) => {
    // The raw bytes; a deflated entry is inflated here (guardStream checks its count and CRC-32).
    zf.openReadStreamLowLevel(fileDataStart, entry.compressedSize, 0, entry.compressedSize, false, entry.uncompressedSize, (err, stream) => {
      if (err) rejectPromise(err);
      else resolve(entry.compressionMethod === 8 ? inflated(stream) : stream);
    });
  });
}

/** Output chunk of the inflater: zlib's default (16 KiB) makes a million-event bundle cost tens of thousands of stream hops. */
const INFLATE_CHUNK = 256 * 1024;

/** Inflates an entry's raw (deflated) bytes; destroying the result destroys the raw stream too. */
function inflated(raw: Readable): Readable {
  const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
  // Errors can be emitted during the first pipe(); forward them after it, as yauzl does.
  raw.on('error', (err: Error) => setImmediate(() => inflate.destroy(err)));
  inflate.on('close', () => {
    raw.unpipe(inflate);
    raw.destroy();
  });
  raw.pipe(inflate);
  return inflate;
}

/**
 * Wraps an entry's inflated bytes so the caller never receives more than the header declared,
 * and learns at the end if the count or CRC-32 is wrong. yauzl's own size check runs first;
 * this one does not depend on it.
 */
function guardStream(
  raw: Readable,
  entry: Yauzl3Entry,
  info: ZipEntryInfo,
  lim: ZipLimits,
  signal: AbortSignal | undefined,
): Readable {
  const allowed = Math.min(info.uncompressedSize, lim.maxEntryBytes);
  let count = 0;
  let crc = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count += chunk.length;
      if (count > allowed) {
        callback(rejectEntry('size_mismatch', info.path, 'holds more data than its header declares'));
        return;
      }
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (count !== info.uncompressedSize) {
        callback(rejectEntry('size_mismatch', info.path, 'holds less data than its header declares'));
      } else if (crc >>> 0 !== entry.crc32 >>> 0) {
        callback(rejectEntry('crc_mismatch', info.path, 'is damaged: its checksum does not match its content'));
      } else {
        callback();
      }
    },
    destroy(err, callback) {
      signal?.removeEventListener('abort', onAbort);
      // yauzl asks that its stream be unpiped before it is destroyed.
      raw.unpipe(guard);
      raw.destroy();
      callback(err);
    },
  });
  const onAbort = (): void => {
    guard.destroy(cancelled());
  };
  if (signal?.aborted) {
    guard.destroy(cancelled());
    return guard;
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  raw.on('error', (err: Error) => guard.destroy(streamFailure(err, info.path)));
  raw.pipe(guard);
  return guard;
}

/** Maps errors from yauzl or zlib while reading file data onto our reasons. */
function streamFailure(err: unknown, path: string): CustosError {
  if (err instanceof CustosError) return err;
  const text = errorText(err);
  if (/too many bytes/i.test(text)) {
    return rejectEntry('size_mismatch', path, 'holds more data than its header declares', { cause: text });
  }
  if (/not enough bytes/i.test(text)) {
    return rejectEntry('size_mismatch', path, 'holds less data than its header declares', { cause: text });
  }
  if (/overflows file bounds|unexpected EOF/i.test(text)) {
    return notComplete('truncated', `the data of the entry ${quote(path)} runs past the end of the file`, text);
  }
  if (/local file header signature/i.test(text)) {
    return notComplete('malformed', `the entry ${quote(path)} points at bytes that are not a file header`, text);
  }
  if (text === 'closed') {
    return new CustosError('failure', 'The bundle was closed before its entries were read.');
  }
  return rejectEntry('corrupt_data', path, 'is damaged and cannot be decompressed', { cause: text });
}

function reject(reason: ZipRejectReason, message: string, details: Record<string, unknown> = {}): CustosError {
  return new CustosError('integrity', message, { reason, ...details });
}

function rejectEntry(
  reason: ZipRejectReason,
  name: string,
  why: string,
  details: Record<string, unknown> = {},
): CustosError {
  return reject(reason, `The bundle was rejected because the entry ${quote(name)} ${why}.`, {
    entry: name,
    ...details,
  });
}

function notComplete(reason: ZipRejectReason, why: string, cause?: string): CustosError {
  return reject(
    reason,
    `The bundle is not a complete ZIP archive: ${why}. Ask the sender for a new copy.`,
    cause === undefined ? {} : { cause },
  );
}

function cancelled(): CustosError {
  return new CustosError('cancelled', 'Reading the bundle was cancelled.');
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** Quotes a name for a message, escaping control characters and cutting very long names. */
function quote(name: string): string {
  const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  const escaped = shown.replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses or escapes.
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

function formatBytes(n: number): string {
  if (n >= GiB) return `${+(n / GiB).toFixed(1)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
