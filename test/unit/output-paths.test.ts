import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type ChannelName } from '../../shared/contract.js';
import { fileStamp } from '../../electron/core/files/export-file.js';
import { daysAgo, eventsOf, ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';
import { tempDir, removeTempDirs } from './helpers/workspace.js';

/**
 * The class "a session names a server file" for outputs: no channel that writes a file takes a path.
 * Each writes only a new file in <workspace>/exports/ under a name the core chooses, through a fresh
 * private temporary file, never replacing or reusing what is there (a leftover *.partial included),
 * and the file leaves only through files.download (ledgered).
 */

let f: FerpaFixture;
let outside: string;
let evidenceId: string;
let productionId: string;

/** Each output channel with a request that is valid once no path is added. */
const OUTPUTS: { channel: ChannelName; request: () => Record<string, unknown> }[] = [
  { channel: 'bundles.create', request: () => ({ action: 'cases.*' }) },
  { channel: 'evidence.export', request: () => ({ id: evidenceId, purpose: 'Produce to counsel' }) },
  { channel: 'disclosures.accountingReport', request: () => ({ subjectId: 'STU-2001', audience: 'subject' }) },
  { channel: 'subpoenas.exportProduction', request: () => ({ productionId }) },
];

const FIELDS = ['out', 'outPath', 'destPath', 'outDir', 'dir', 'path', 'file', 'fileName'];

const exportsDir = () => join(f.ws().dir, 'exports');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  f = await ferpaFixture();
  outside = tempDir('custos-outside-');
  f.addSubject({ id: 'STU-2001', name: 'Grace Okonkwo' });
  f.addRecord({ id: 'REC-G', subjectId: 'STU-2001', title: 'Transcript 2025' });
  f.addCase('CASE-2026-0001');
  const { evidence } = await f.call('evidence.ingestContent', {
    fileName: 'statement.txt',
    contentBase64: Buffer.from('A witness statement.\n').toString('base64'),
    title: 'Statement',
    source: 'Email',
  });
  evidenceId = evidence.id;
  const { subpoena } = await f.call('subpoenas.receive', {
    subjectId: 'STU-2001',
    issuer: 'Hall & Brandt LLP',
    type: 'court_order',
    requestedRecords: 'Transcript.',
    servedAt: daysAgo(2),
    dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  });
  await f.call('subpoenas.verify', { id: subpoena.id, note: 'Confirmed with the clerk.' }, 'legal_counsel');
  await f.call('subpoenas.sendNotice', { id: subpoena.id, method: 'Letter' });
  await f.call('subpoenas.scope', { id: subpoena.id, recordIds: ['REC-G'] });
  productionId = (await f.call('subpoenas.produce', { id: subpoena.id })).production.id;
});
afterAll(() => {
  f.close();
  removeTempDirs();
});

describe('output channels take no path', () => {
  it('declares each output request strict, so an unknown key (any path field) fails the schema', () => {
    for (const { channel, request } of OUTPUTS) {
      const schema = contract[channel].request;
      for (const field of FIELDS) {
        expect(schema.safeParse({ ...request(), [field]: '/tmp/x' }).success, `${channel} ${field}`).toBe(false);
      }
    }
  });

  it('refuses every path a caller gives, ledgers one rejection each, and writes nothing anywhere', async () => {
    const targets = [join(outside, 'x.zip'), '/tmp/custos-x', '../../x', '/proc/self/root' + join(outside, 'y.pdf'), join(f.ws().dir, 'x.pdf'), join(exportsDir(), 'chosen.zip')];
    const before = readdirSync(exportsDir());
    for (const { channel, request } of OUTPUTS) {
      for (const field of FIELDS) {
        for (const target of targets) {
          const count = f.ws().db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
          const r = await f.result(channel, { ...request(), [field]: target });
          expect(r.ok, `${channel} ${field}=${target}`).toBe(false);
          expect(!r.ok && r.error.code).toBe('validation');
          const after = f.ws().db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
          const mutates = contract[channel].mutates;
          expect(after.n - count.n, `${channel} ledgers its rejection`).toBe(mutates ? 1 : 0);
        }
      }
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync('/tmp/custos-x')).toBe(false);
    expect(existsSync(join(f.ws().dir, 'x.pdf'))).toBe(false);
    expect(readdirSync(exportsDir())).toEqual(before);
  });
});

describe('output files', () => {
  it('are new owner-only files in exports/, never a leftover *.partial, a taken name or a symbolic link', async () => {
    // Leftovers under every name the core could choose in the next seconds: a *.partial with foreign
    // content, the final name itself, and a link out of the folder. None may be read, reused or replaced.
    const planted = new Map<string, Buffer>();
    const start = Date.now();
    const stems = (s: number) => {
      const stamp = fileStamp(new Date(start + s * 1000));
      return [
        `bundle-Northside_District-${stamp}`,
        `accounting-STU-2001-subject-${stamp}`,
        `production-${productionId}-${stamp}`,
      ];
    };
    for (let s = -1; s <= 20; s++) {
      for (const stem of stems(s)) {
        // Every other second only the *.partial is there, so the final name is free and the partial sits beside it.
        const names = s % 2 === 0 ? [`${stem}.zip.partial`, `${stem}.pdf.partial`] : [`${stem}.zip.partial`, `${stem}.pdf.partial`, `${stem}.zip`, `${stem}.pdf`];
        for (const name of names) {
          const bytes = Buffer.from(`planted by someone else: ${name}\n`);
          writeFileSync(join(exportsDir(), name), bytes);
          planted.set(name, bytes);
        }
        if (s % 2 !== 0) {
          symlinkSync(join(outside, `${stem}-target`), join(exportsDir(), `${stem}-2.zip`));
          symlinkSync(join(outside, `${stem}-target`), join(exportsDir(), `${stem}-2.pdf`));
        }
      }
    }
    const evStem = `evidence-${evidenceId}-statement`;
    for (const name of [`${evStem}.txt`, `${evStem}.txt.partial`]) {
      const bytes = Buffer.from(`planted: ${name}\n`);
      writeFileSync(join(exportsDir(), name), bytes);
      planted.set(name, bytes);
    }
    symlinkSync(join(outside, 'evidence-target'), join(exportsDir(), `${evStem}-2.txt`));

    const made: { channel: string; fileName: string; sha256: string; bytes: number }[] = [];
    for (const { channel, request } of OUTPUTS) {
      const r = (await f.call(channel, request() as never)) as { fileName: string; sha256: string; bytes: number };
      made.push({ channel, ...r });
    }
    for (const [name, bytes] of planted) expect(readFileSync(join(exportsDir(), name)), name).toEqual(bytes);
    expect(readdirSync(outside)).toEqual([]);
    for (const m of made) {
      const path = join(exportsDir(), m.fileName);
      expect(planted.has(m.fileName), m.fileName).toBe(false);
      expect(m.fileName).not.toMatch(/\.partial$|^\./);
      const st = lstatSync(path);
      expect(st.isFile() && !st.isSymbolicLink(), m.fileName).toBe(true);
      if (process.platform !== 'win32') expect(st.mode & 0o777, m.fileName).toBe(0o600);
      const bytes = readFileSync(path);
      expect(sha(bytes), m.fileName).toBe(m.sha256);
      expect(bytes.length).toBe(m.bytes);
    }
    // No temporary file is left behind.
    expect(readdirSync(exportsDir()).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('leave only through files.download, which ledgers the hand-over with the same SHA-256', async () => {
    for (const { channel, request } of OUTPUTS) {
      const r = (await f.call(channel, request() as never)) as { fileName: string; sha256: string };
      const handed = await f.call('files.download', { fileName: r.fileName });
      expect(handed, channel).toMatchObject({ fileName: r.fileName, sha256: r.sha256 });
      expect(eventsOf(f.ws(), 'files.download').at(-1)).toMatchObject({ resource_id: r.fileName, details: { sha256: r.sha256 } });
      expect(f.app.downloads.redeem(handed.ticket)?.path).toBe(join(realpathSync(exportsDir()), r.fileName));
    }
  });
});
