import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { bundleFileName } from '../../electron/core/bundle/evidence-part.js';
import { verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { makeBundle } from './helpers/outputs.js';
import { pathGrant } from './helpers/grants.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';
import { bundleKeyId } from './helpers/bundles.js';

let src: TempWorkspace;
let aud: TempWorkspace;
let out: string;

beforeAll(async () => {
  src = await createTempWorkspace({ name: 'Northfield Records' });
  aud = await createTempWorkspace({ name: 'Auditor' });
  out = tempDir('custos-bundle-parts-');
});
afterAll(() => {
  if (src.app.unlocked) src.lock();
  if (aud.app.unlocked) aud.lock();
  removeTempDirs();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function unzip(path: string, name: string): string {
  const dir = join(out, name);
  mkdirSync(dir);
  const r = spawnSync('unzip', ['-q', path, '-d', dir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

describe('bundle parts: evidence, custody, disclosures.json, report.pdf', () => {
  it('puts a case’s evidence with its custody chain, its disclosures and a report into a bundle that verifies and imports', async () => {
    const { case: kase } = await src.call<{ case: { id: string } }>('cases.create', { title: 'Records request 2026-14', type: 'investigation' }, src.admin);
    const content = Buffer.concat([Buffer.from('Witness statement ✓\n'), Buffer.alloc(200_000, 7)]);
    const { evidence } = await src.call<{ evidence: { id: string; sha256: string } }>(
      'evidence.ingestContent',
      { fileName: 'statement: "final"?.txt', contentBase64: content.toString('base64'), title: 'Witness statement', source: 'Email', caseId: kase.id },
      src.admin,
    );
    expect(evidence.sha256).toBe(sha(content));
    await src.call('evidence.transfer', { id: evidence.id, to: 'Evidence vault', purpose: 'Storage pending review', location: 'Vault B' }, src.admin);

    const { subject } = await src.call<{ subject: { id: string } }>('subjects.create', { displayName: 'Jamie Rivera', email: 'jamie@example.edu', directoryOptOut: false }, src.admin);
    const { categories } = await src.call<{ categories: { key: string }[] }>('records.categories', {}, src.admin);
    const { record } = await src.call<{ record: { id: string } }>(
      'records.create',
      { subjectId: subject.id, category: categories[0]!.key, title: 'Transcript', content: 'A, B, A', recordDate: '2025-06-01' },
      src.admin,
    );
    const { disclosure } = await src.call<{ disclosure: { id: string } }>(
      'disclosures.record',
      { subjectId: subject.id, recordIds: [record.id], recipient: 'State auditor', basis: 'audit_evaluation', basisDetail: 'Annual audit', caseId: kase.id },
      src.admin,
    );
    await src.call('disclosures.record', { subjectId: subject.id, recordIds: [record.id], recipient: 'Other office', basis: 'audit_evaluation', basisDetail: 'Not this case' }, src.admin);

    const r = await makeBundle(src, { caseId: kase.id }, src.admin);
    const path = r.path;
    const report = await verifyBundleFile(path);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);

    const dir = unzip(path, 'case');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; bytes: number }[] };
    const fileName = bundleFileName('statement: "final"?.txt');
    const contentPath = `evidence/${evidence.id}/${fileName}`;
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([contentPath, `evidence/${evidence.id}/custody.json`, 'disclosures.json', 'report.pdf']));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(dir, f.path));
      expect([f.path, sha(bytes), bytes.length]).toEqual([f.path, f.sha256, f.bytes]);
    }
    expect(readFileSync(join(dir, contentPath)).equals(content)).toBe(true);

    const custody = JSON.parse(readFileSync(join(dir, 'evidence', evidence.id, 'custody.json'), 'utf8'));
    expect(custody.evidence).toMatchObject({ id: evidence.id, sha256: sha(content), original_name: 'statement: "final"?.txt' });
    expect(custody.content).toBe(contentPath);
    const kinds = (custody.chain as { kind: string; toParty: string | null; ledgerSeq: number }[]).map((c) => c.kind);
    expect(kinds).toContain('transfer');
    const transfer = custody.chain.find((c: { kind: string }) => c.kind === 'transfer');
    expect(transfer).toMatchObject({ toParty: 'Evidence vault', location: 'Vault B' });
    expect(transfer.ledgerSeq).toBeGreaterThan(0);
    expect(custody.chain.every((c: { ledgerSeq: number }) => c.ledgerSeq <= r.treeSize)).toBe(true);

    const disclosures = JSON.parse(readFileSync(join(dir, 'disclosures.json'), 'utf8'));
    expect(disclosures).toMatchObject({ format: 'custos-disclosures/1', count: 1, scope: { case: kase.id } });
    expect(disclosures.disclosures[0]).toMatchObject({ id: disclosure.id, recipient: 'State auditor', basis: 'audit_evaluation', case_id: kase.id, disclosed_by: 'admin' });
    expect(disclosures.disclosures[0].records.map((x: { id: string }) => x.id)).toEqual([record.id]);

    const pdf = join(dir, 'report.pdf');
    const check = spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain(r.root);
    expect(text).toContain('Page 1 of');
    expect(text).toContain(`evidence/${evidence.id}/custody.json`);
    expect(text).toContain('VERIFY.txt');
    const fonts = spawnSync('pdffonts', [pdf], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((l) => /\byes\b/.test(l))).toBe(true);

    // The content leaving in the bundle is on the item's chain of custody.
    expect(src.events().some((e) => e.action === 'evidence.access' && e.resource_id === evidence.id && e.details.via === 'evidence.export')).toBe(true);

    const imported = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, aud.admin, 'bundle', path), trustFingerprint: (await bundleKeyId(path))! }, aud.admin);
    expect(imported).toMatchObject({ accepted: true, reason: null });
  });

  it('gives a complete bundle disclosures.json and report.pdf but no evidence content', async () => {
    const { path } = await makeBundle(src, {}, src.admin);
    expect((await verifyBundleFile(path)).valid).toBe(true);
    const dir = unzip(path, 'full');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['disclosures.json', 'report.pdf']));
    expect(paths.some((p) => p.startsWith('evidence/'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'disclosures.json'), 'utf8')).count).toBe(2);
  });

  it('refuses with integrity, and writes nothing, when a case’s evidence file was altered', async () => {
    const { case: kase } = await src.call<{ case: { id: string } }>('cases.create', { title: 'Tampered', type: 'investigation' }, src.admin);
    const { evidence } = await src.call<{ evidence: { id: string } }>(
      'evidence.ingestContent',
      { fileName: 'a.txt', contentBase64: Buffer.from('original bytes').toString('base64'), title: 'A', source: 'Test', caseId: kase.id },
      src.admin,
    );
    const { blob_name } = src.app.ws.db.prepare('SELECT blob_name FROM evidence WHERE id = ?').get(evidence.id) as { blob_name: string };
    const file = join(src.dir, 'evidence', `${blob_name}.cev`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20]! ^= 1;
    writeFileSync(file, bytes);
    const before = readdirSync(join(src.dir, 'exports'));
    await expect(makeBundle(src, { caseId: kase.id }, src.admin)).rejects.toMatchObject({ code: 'integrity' });
    expect(readdirSync(join(src.dir, 'exports'))).toEqual(before);
  });

  it('makes evidence file names safe', () => {
    expect(bundleFileName('../../etc/passwd')).toBe('passwd');
    expect(bundleFileName('C:\\dir\\a<b>.pdf')).toBe('a_b_.pdf');
    expect(bundleFileName('...')).toBe('content-file');
    expect(bundleFileName('custody.json')).toBe('content-custody.json');
  });
});
