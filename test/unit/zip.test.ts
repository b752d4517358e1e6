import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipSafely, ZIP_DEFAULT_LIMITS, type ZipLimits } from '../../electron/core/zip/zip-read.js';
import { writeZip, type ZipWriteEntry } from '../../electron/core/zip/zip-write.js';
import { CustosError } from '../../electron/core/errors.js';
import {
  buildZip,
  S_IFIFO,
  S_IFLNK,
  unicodePathExtra,
  unixAttributes,
  type RawZipEntry,
} from './helpers/hostile-zip.js';

/** Partial files written beside `out` (fresh hidden names: `.<name>.<random>.partial`). */
function partials(out: string): string[] {
  return readdirSync(dirname(out)).filter((f) => f.startsWith(`.${basename(out)}.`) && f.endsWith('.partial'));
}

const MiB = 1024 * 1024;
let dir: string;
let fileCounter = 0;
let zeros50MiB: Buffer;
let zeros50MiBDeflated: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-zip-'));
  zeros50MiB = Buffer.alloc(50 * MiB);
  zeros50MiBDeflated = deflateRawSync(zeros50MiB);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic incompressible bytes (xorshift), so runs are reproducible. */
function noise(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function tmpPath(name: string): string {
  fileCounter += 1;
  const sub = join(dir, `case-${fileCounter}`);
  mkdirSync(sub);
  return join(sub, name);
}

function writeTmp(name: string, bytes: Buffer): string {
  const path = tmpPath(name);
  writeFileSync(path, bytes);
  return path;
}

async function caught(promise: Promise<unknown>): Promise<CustosError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CustosError);
  return err as CustosError;
}

async function expectRejected(promise: Promise<unknown>, reason: string): Promise<CustosError> {
  const err = await caught(promise);
  expect({ code: err.code, reason: err.details?.reason, message: err.message }).toMatchObject({
    code: 'integrity',
    reason,
  });
  expect(err.message).toMatch(/^The bundle .*\.$/);
  return err;
}

async function drain(stream: Readable): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length;
    return { bytes, error: null };
  } catch (error) {
    return { bytes, error };
  }
}

const manifest = Buffer.from('{"format":"custos-bundle/1"}\n');
const evidence = noise(300_000, 7);
const eventsText = Array.from({ length: 2000 }, (_, i) => `{"seq":${i},"hash":"${'ab'.repeat(32)}"}\n`).join('');

function sampleEntries(evidencePath: string): ZipWriteEntry[] {
  return [
    { path: 'manifest.json', source: manifest },
    { path: 'evidence/photo.bin', source: evidencePath },
    { path: 'events.ndjson', source: () => Readable.from([Buffer.from(eventsText)]) },
    { path: 'evidence/résumé.txt', source: Buffer.from('accented name\n') },
    { path: 'empty.txt', source: Buffer.alloc(0) },
  ];
}

/** Temporary files writeZip left beside `out` (dot names). */
function temporaries(out: string): string[] {
  return readdirSync(join(out, '..')).filter((n) => n.startsWith('.'));
}

describe('writeZip', () => {
  it('writes an archive that the system unzip tests clean and extracts byte for byte', async () => {
    const evidencePath = writeTmp('photo.bin', evidence);
    const out = tmpPath('bundle.zip');
    const result = await writeZip(out, sampleEntries(evidencePath));

    const onDisk = readFileSync(out);
    expect(result.bytes).toBe(onDisk.length);
    expect(result.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    expect(partials(out)).toEqual([]);

    const test = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('No errors detected');

    const extract = (name: string): Buffer =>
      execFileSync('unzip', ['-p', out, name], { maxBuffer: 16 * MiB });
    expect(extract('manifest.json').equals(manifest)).toBe(true);
    expect(extract('evidence/photo.bin').equals(evidence)).toBe(true);
    expect(extract('events.ndjson').toString('utf8')).toBe(eventsText);
    expect(extract('empty.txt').length).toBe(0);
    const listing = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['manifest.json', 'evidence/photo.bin', 'events.ndjson', 'evidence/résumé.txt', 'empty.txt']);
  });

  it('gives byte-identical archives for identical inputs, whatever the time zone', async () => {
    const evidencePath = writeTmp('photo.bin', evidence);
    const savedTz = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const a = tmpPath('a.zip');
      const ra = await writeZip(a, sampleEntries(evidencePath));
      process.env.TZ = 'America/Los_Angeles';
      const b = tmpPath('b.zip');
      const rb = await writeZip(b, sampleEntries(evidencePath));
      expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
      expect(ra).toEqual(rb);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it('reports progress that only grows and ends at the archive size', async () => {
    const evidencePath = writeTmp('photo.bin', evidence);
    const seen: number[] = [];
    const result = await writeZip(tmpPath('p.zip'), sampleEntries(evidencePath), {
      onProgress: (n) => seen.push(n),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((n, i) => i === 0 || n > seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(result.bytes);
  });

  it('leaves no file behind when aborted mid-write', async () => {
    const out = tmpPath('aborted.zip');
    const controller = new AbortController();
    let sawPartial = false;
    let produced = 0;
    // An endless source: only the abort can end this write.
    const endless = (): NodeJS.ReadableStream =>
      new Readable({
        read() {
          produced += 1;
          this.push(noise(256 * 1024, produced));
        },
      });
    const err = await caught(
      writeZip(out, [{ path: 'endless.bin', source: endless }], {
        signal: controller.signal,
        onProgress: (n) => {
          if (n > 1 * MiB && !controller.signal.aborted) {
            sawPartial = temporaries(out).length === 1;
            controller.abort();
          }
        },
      }),
    );
    expect(err.code).toBe('cancelled');
    expect(sawPartial).toBe(true);
    expect(existsSync(out)).toBe(false);
    expect(temporaries(out)).toEqual([]);
  });

  it('writes owner-only through a fresh temporary file: a leftover .partial is never reused, an existing file never replaced', async () => {
    const out = tmpPath('kept.zip');
    const planted = Buffer.from('not ours: a leftover from someone else\n');
    writeFileSync(`${out}.partial`, planted);
    const result = await writeZip(out, [{ path: 'a.txt', source: Buffer.from('a') }]);
    expect(readFileSync(`${out}.partial`).equals(planted)).toBe(true);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(result.sha256);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);

    const before = readFileSync(out);
    const err = await caught(writeZip(out, [{ path: 'b.txt', source: Buffer.from('b') }]));
    expect(err.code).toBe('conflict');
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(temporaries(out)).toEqual([]);
  });

  it('refuses to start when already aborted', async () => {
    const out = tmpPath('never.zip');
    const err = await caught(writeZip(out, [{ path: 'a.txt', source: Buffer.from('a') }], { signal: AbortSignal.abort() }));
    expect(err.code).toBe('cancelled');
    expect(existsSync(out)).toBe(false);
    expect(partials(out)).toEqual([]);
  });

  it('fails cleanly when a source file is missing or a source stream breaks', async () => {
    const out = tmpPath('broken.zip');
    const missing = await caught(
      writeZip(out, [
        { path: 'a.txt', source: Buffer.from('a') },
        { path: 'b.bin', source: join(dir, 'does-not-exist.bin') },
      ]),
    );
    expect(missing.code).toBe('failure');
    // The kind of failure, not the operating system's text (which names the server path).
    expect(missing.message).toBe('The bundle could not be written to "broken.zip" (a file or folder it needed does not exist).');
    expect(missing.message).not.toContain(dir);

    const breaking = (): NodeJS.ReadableStream =>
      new Readable({
        read() {
          this.destroy(new Error('disk went away'));
        },
      });
    const broken = await caught(writeZip(out, [{ path: 'c.bin', source: breaking }]));
    expect(broken.code).toBe('failure');
    expect(broken.message).toBe('The bundle could not be written to "broken.zip" (an internal error).');
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it.each([
    ['../evil.txt', 'path_traversal'],
    ['a/../../evil.txt', 'path_traversal'],
    ['/etc/passwd', 'absolute_path'],
    ['C:/x.txt', 'absolute_path'],
    ['a\\b.txt', 'backslash'],
    ['', 'invalid_name'],
    ['a//b.txt', 'invalid_name'],
    ['./a.txt', 'invalid_name'],
    ['folder/', 'invalid_name'],
  ])('refuses the entry path %j before writing anything', async (path, reason) => {
    const out = tmpPath('bad.zip');
    const err = await caught(writeZip(out, [{ path, source: Buffer.from('x') }]));
    expect(err.code).toBe('validation');
    expect(err.details?.reason).toBe(reason);
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it('refuses names that differ only by letter case', async () => {
    const out = tmpPath('dup.zip');
    const err = await caught(
      writeZip(out, [
        { path: 'Report.pdf', source: Buffer.from('1') },
        { path: 'report.PDF', source: Buffer.from('2') },
      ]),
    );
    expect(err.code).toBe('validation');
    expect(err.details?.reason).toBe('duplicate_entry');
    expect(existsSync(out)).toBe(false);
  });
});

describe('readZipSafely on honest archives', () => {
  it('reads back what writeZip wrote, by stream and by buffer', async () => {
    const evidencePath = writeTmp('photo.bin', evidence);
    const out = tmpPath('bundle.zip');
    await writeZip(out, sampleEntries(evidencePath));
    const before = readdirSync(join(out, '..'));

    const zip = await readZipSafely(out);
    try {
      expect([...zip.entries.keys()]).toEqual([
        'manifest.json',
        'evidence/photo.bin',
        'events.ndjson',
        'evidence/résumé.txt',
        'empty.txt',
      ]);
      expect(zip.entries.get('evidence/photo.bin')).toMatchObject({
        path: 'evidence/photo.bin',
        uncompressedSize: evidence.length,
      });
      expect((await zip.readBuffer('manifest.json', 1024)).equals(manifest)).toBe(true);
      expect((await zip.readBuffer('empty.txt', 0)).length).toBe(0);
      expect((await zip.readBuffer('events.ndjson', 1 * MiB)).toString('utf8')).toBe(eventsText);

      const chunks: Buffer[] = [];
      for await (const chunk of (await zip.openStream('evidence/photo.bin')) as AsyncIterable<Buffer>) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(evidence)).toBe(true);

      await expectRejected(zip.readBuffer('evidence/photo.bin', 1000), 'entry_too_large');
      const missing = await caught(zip.openStream('nope.txt'));
      expect(missing.code).toBe('not_found');
    } finally {
      zip.close();
    }
    // The reader never writes: the folder holds exactly what it held before.
    expect(readdirSync(join(out, '..'))).toEqual(before);
  });

  it('reads archives made by Info-ZIP, skipping folder entries', async () => {
    const src = tmpPath('src');
    mkdirSync(join(src, 'evidence', 'empty-folder'), { recursive: true });
    writeFileSync(join(src, 'evidence', 'note.txt'), 'note\n');
    writeFileSync(join(src, 'manifest.json'), manifest);
    const out = join(src, '..', 'info-zip.zip');
    execFileSync('zip', ['-q', '-r', out, 'evidence', 'manifest.json'], { cwd: src });

    const zip = await readZipSafely(out);
    try {
      expect([...zip.entries.keys()].sort()).toEqual(['evidence/note.txt', 'manifest.json']);
      expect((await zip.readBuffer('evidence/note.txt', 100)).toString()).toBe('note\n');
    } finally {
      zip.close();
    }
  });

  it('exports the documented default limits', () => {
    expect(ZIP_DEFAULT_LIMITS).toEqual({
      maxEntries: 100_000,
      maxEntryBytes: 2 * 1024 * MiB,
      maxTotalBytes: 8 * 1024 * MiB,
      maxCompressionRatio: 200,
      ratioThresholdBytes: 1 * MiB,
    });
  });

  it('honours an abort before opening and while streaming', async () => {
    const out = writeTmp('z.zip', buildZip([{ name: 'big.bin', data: noise(4 * MiB, 3), method: 8 }]));
    expect((await caught(readZipSafely(out, {}, { signal: AbortSignal.abort() }))).code).toBe('cancelled');

    const controller = new AbortController();
    const zip = await readZipSafely(out, {}, { signal: controller.signal });
    try {
      const stream = await zip.openStream('big.bin');
      let bytes = 0;
      const error = await (async () => {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          controller.abort();
        }
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CustosError);
      expect((error as CustosError).code).toBe('cancelled');
      expect(bytes).toBeLessThan(4 * MiB);
    } finally {
      zip.close();
    }
  });
});

interface HostileCase {
  name: string;
  bytes: () => Buffer;
  reason: string;
  limits?: Partial<ZipLimits>;
  /** A fragment the message must contain (usually the entry's name). */
  mentions?: string;
}

const plain = (name: string | Buffer, extra: Partial<RawZipEntry> = {}): RawZipEntry => ({
  name,
  data: Buffer.from('payload\n'),
  ...extra,
});

const hostileCentralDirectories: HostileCase[] = [
  { name: 'zip slip', bytes: () => buildZip([plain('../../evil.sh')]), reason: 'path_traversal', mentions: '../../evil.sh' },
  { name: 'zip slip inside a folder', bytes: () => buildZip([plain('evidence/../../../evil')]), reason: 'path_traversal' },
  { name: 'Windows zip slip', bytes: () => buildZip([plain('..\\..\\evil.bat')]), reason: 'path_traversal', mentions: '..\\..\\evil.bat' },
  { name: 'absolute Unix path', bytes: () => buildZip([plain('/etc/cron.d/evil')]), reason: 'absolute_path', mentions: '/etc/cron.d/evil' },
  { name: 'Windows drive path', bytes: () => buildZip([plain('C:\\Windows\\System32\\evil.dll')]), reason: 'absolute_path' },
  { name: 'drive path with slashes', bytes: () => buildZip([plain('c:/evil.txt')]), reason: 'absolute_path' },
  { name: 'UNC path', bytes: () => buildZip([plain('\\\\server\\share\\evil')]), reason: 'absolute_path' },
  { name: 'backslash separator', bytes: () => buildZip([plain('evidence\\photo.jpg')]), reason: 'backslash', mentions: 'evidence\\photo.jpg' },
  {
    name: 'traversal hidden in a Unicode Path extra field',
    bytes: () => buildZip([plain('innocent.txt', { extra: unicodePathExtra(Buffer.from('innocent.txt'), '../evil.txt') })]),
    reason: 'path_traversal',
    mentions: '../evil.txt',
  },
  { name: 'control character in a name', bytes: () => buildZip([plain('a\u0000.txt')]), reason: 'invalid_name', mentions: '\\u0000' },
  { name: 'empty name', bytes: () => buildZip([plain('')]), reason: 'invalid_name' },
  {
    name: 'a UTF-8 name that is not UTF-8',
    bytes: () => buildZip([plain(Buffer.from([0x61, 0xff, 0x2e, 0x74, 0x78, 0x74]), { flags: 0x800 })]),
    reason: 'invalid_name',
    mentions: 'is not valid UTF-8',
  },
  {
    name: 'a surrogate encoded in a UTF-8 name (CESU-8)',
    bytes: () => buildZip([plain(Buffer.from([0x61, 0xed, 0xa0, 0x80]), { flags: 0x800 })]),
    reason: 'invalid_name',
  },
  {
    name: 'a Unicode Path extra field that is not UTF-8',
    bytes: () => {
      const raw = Buffer.from('innocent.txt');
      const extra = unicodePathExtra(raw, 'x~.txt');
      extra[extra.indexOf('~')] = 0xfe;
      return buildZip([plain('innocent.txt', { extra })]);
    },
    reason: 'invalid_name',
  },
  {
    name: 'symlink entry',
    bytes: () =>
      buildZip([plain('evidence/link', { data: Buffer.from('/etc/passwd'), externalAttributes: unixAttributes(S_IFLNK | 0o777) })]),
    reason: 'symlink',
    mentions: 'evidence/link',
  },
  {
    name: 'named pipe entry',
    bytes: () => buildZip([plain('fifo', { externalAttributes: unixAttributes(S_IFIFO | 0o644) })]),
    reason: 'special_file',
  },
  { name: 'duplicate names', bytes: () => buildZip([plain('manifest.json'), plain('manifest.json')]), reason: 'duplicate_entry', mentions: 'manifest.json' },
  { name: 'names differing only by case', bytes: () => buildZip([plain('README.txt'), plain('readme.TXT')]), reason: 'duplicate_entry', mentions: 'README.txt' },
  {
    name: 'names differing only by Unicode normalisation',
    bytes: () => buildZip([plain('caf\u00e9.txt', { flags: 0x800 }), plain('cafe\u0301.txt', { flags: 0x800 })]),
    reason: 'duplicate_entry',
  },
  { name: 'file clashing with a folder entry', bytes: () => buildZip([plain('evidence'), plain('evidence/', { data: Buffer.alloc(0) })]), reason: 'duplicate_entry' },
  { name: 'encrypted flag', bytes: () => buildZip([plain('secret.txt', { flags: 0x1, method: 8 })]), reason: 'encrypted', mentions: 'secret.txt' },
  { name: 'strong encryption flag', bytes: () => buildZip([plain('secret.txt', { flags: 0x41 })]), reason: 'encrypted' },
  { name: 'unknown compression method', bytes: () => buildZip([plain('a.bz2', { method: 12 })]), reason: 'unsupported_compression' },
  {
    name: 'too many entries',
    bytes: () => buildZip(Array.from({ length: 6 }, (_, i) => plain(`f${i}.txt`))),
    limits: { maxEntries: 5 },
    reason: 'too_many_entries',
  },
  {
    name: 'zip bomb against a low size limit',
    bytes: () => buildZip([{ name: 'zeros.bin', method: 8, payload: zeros50MiBDeflated, uncompressedSize: zeros50MiB.length, crc: 0 }]),
    limits: { maxEntryBytes: 10 * MiB },
    reason: 'entry_too_large',
    mentions: 'zeros.bin',
  },
  {
    name: 'zip bomb by compression ratio',
    bytes: () => buildZip([{ name: 'zeros.bin', method: 8, payload: zeros50MiBDeflated, uncompressedSize: zeros50MiB.length, crc: 0 }]),
    reason: 'compression_ratio',
    mentions: 'zeros.bin',
  },
  {
    name: 'total declared size over the limit',
    bytes: () => buildZip([0, 1, 2].map((i) => ({ name: `part${i}.bin`, data: Buffer.alloc(4 * MiB) }))),
    limits: { maxTotalBytes: 10 * MiB },
    reason: 'total_too_large',
  },
  {
    name: 'overlapping entries sharing one payload',
    bytes: () => buildZip([plain('a.txt'), plain('b.txt', { sharesLocalHeaderOf: 0 })]),
    reason: 'overlapping_entries',
    mentions: 'b.txt',
  },
  {
    name: 'declared compressed size past the end of the file',
    bytes: () => buildZip([plain('a.txt', { method: 8, compressedSize: 5_000_000 })]),
    reason: 'truncated',
    mentions: 'a.txt',
  },
  {
    name: 'stored entry whose two sizes disagree',
    bytes: () => buildZip([plain('a.txt', { uncompressedSize: 100 })]),
    reason: 'size_mismatch',
  },
  {
    name: 'damaged central directory',
    bytes: () => {
      const bytes = buildZip([plain('a.txt'), plain('b.txt')]);
      const central = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      bytes.writeUInt32LE(0xdeadbeef, central);
      return bytes;
    },
    reason: 'malformed',
  },
  {
    name: 'entry count larger than the central directory',
    bytes: () => buildZip([plain('a.txt')], { declaredEntryCount: 50 }),
    reason: 'truncated',
  },
  { name: 'random garbage', bytes: () => noise(64 * 1024, 99), reason: 'not_a_zip', mentions: 'not a complete ZIP archive' },
  { name: 'empty file', bytes: () => Buffer.alloc(0), reason: 'not_a_zip', mentions: 'not a complete ZIP archive' },
];

describe('readZipSafely rejects hostile central directories', () => {
  it.each(hostileCentralDirectories)('$name → $reason', async ({ bytes, reason, limits, mentions }) => {
    const path = writeTmp('hostile.zip', bytes());
    const before = readdirSync(join(path, '..'));
    const err = await expectRejected(readZipSafely(path, limits), reason);
    if (mentions !== undefined) expect(err.message).toContain(mentions);
    expect(readdirSync(join(path, '..'))).toEqual(before);
  });

  it('rejects an archive cut in half, and one missing only its last bytes', async () => {
    const evidencePath = writeTmp('photo.bin', evidence);
    const whole = tmpPath('whole.zip');
    await writeZip(whole, sampleEntries(evidencePath));
    const bytes = readFileSync(whole);

    for (const cut of [bytes.subarray(0, Math.floor(bytes.length / 2)), bytes.subarray(0, bytes.length - 10)]) {
      const err = await expectRejected(readZipSafely(writeTmp('cut.zip', cut)), 'truncated');
      expect(err.message).toContain('The bundle is not a complete ZIP archive');
    }
  });

  it('names a missing bundle file as not found', async () => {
    const err = await caught(readZipSafely(join(dir, 'no-such-bundle.zip')));
    expect(err.code).toBe('not_found');
  });
});

describe('readZipSafely enforces the truth while streaming', () => {
  async function openOnly(entry: RawZipEntry, limits?: Partial<ZipLimits>) {
    const path = writeTmp('stream.zip', buildZip([entry]));
    const zip = await readZipSafely(path, limits);
    return { zip, name: typeof entry.name === 'string' ? entry.name : entry.name.toString() };
  }

  it('stops a lying uncompressed-size header (declared 1000 bytes, really 50 MiB)', async () => {
    const { zip, name } = await openOnly({
      name: 'liar.bin',
      method: 8,
      payload: zeros50MiBDeflated,
      uncompressedSize: 1000,
    });
    try {
      // The central directory looks harmless, so it passes the walk...
      expect(zip.entries.get(name)?.uncompressedSize).toBe(1000);
      // ...but the stream never hands over more than was declared.
      const { bytes, error } = await drain(await zip.openStream(name));
      expect(bytes).toBeLessThanOrEqual(1000);
      expect(error).toBeInstanceOf(CustosError);
      expect((error as CustosError).details?.reason).toBe('size_mismatch');
      expect((error as CustosError).code).toBe('integrity');
      await expectRejected(zip.readBuffer(name, 1 * MiB), 'size_mismatch');
    } finally {
      zip.close();
    }
  });

  it('stops a lying header just under a low size limit', async () => {
    const { zip, name } = await openOnly(
      { name: 'liar.bin', method: 8, payload: zeros50MiBDeflated, uncompressedSize: 1 * MiB, crc: 0 },
      { maxEntryBytes: 1 * MiB },
    );
    try {
      const { bytes, error } = await drain(await zip.openStream(name));
      expect(bytes).toBeLessThanOrEqual(1 * MiB);
      expect((error as CustosError).details?.reason).toBe('size_mismatch');
    } finally {
      zip.close();
    }
  });

  it('rejects an entry that holds less than it declares', async () => {
    const { zip, name } = await openOnly({ name: 'short.txt', method: 8, data: Buffer.from('only this'), uncompressedSize: 5000 });
    try {
      await expectRejected(zip.readBuffer(name, 1 * MiB), 'size_mismatch');
    } finally {
      zip.close();
    }
  });

  it('rejects content whose CRC-32 does not match', async () => {
    const { zip, name } = await openOnly({ name: 'flipped.txt', method: 8, data: Buffer.from('hello world'), crc: 0x12345678 });
    try {
      const err = await expectRejected(zip.readBuffer(name, 1024), 'crc_mismatch');
      expect(err.message).toContain('flipped.txt');
    } finally {
      zip.close();
    }
  });

  it('rejects deflate data that cannot be inflated', async () => {
    // 0xff starts a final block of the reserved type 3, which no inflater accepts.
    const { zip, name } = await openOnly({ name: 'bad.bin', method: 8, payload: Buffer.alloc(64, 0xff), uncompressedSize: 100 });
    try {
      await expectRejected(zip.readBuffer(name, 1024), 'corrupt_data');
    } finally {
      zip.close();
    }
  });

  it('rejects a local header that names a different file than the central directory', async () => {
    const { zip, name } = await openOnly({ name: 'a.txt', localName: '../evil.txt', data: Buffer.from('x') });
    try {
      await expectRejected(zip.openStream(name), 'header_mismatch');
    } finally {
      zip.close();
    }
  });

  it('rejects encryption declared only in the local header', async () => {
    const path = writeTmp('enc.zip', buildZip([{ name: 'a.txt', data: Buffer.from('x') }]));
    const bytes = readFileSync(path);
    bytes.writeUInt16LE(0x1, 6); // local header flags
    writeFileSync(path, bytes);
    const zip = await readZipSafely(path);
    try {
      await expectRejected(zip.openStream('a.txt'), 'encrypted');
    } finally {
      zip.close();
    }
    expect(statSync(path).size).toBe(bytes.length);
  });
});
