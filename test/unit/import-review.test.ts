import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { seedEvents } from './helpers/bundles.js';
import { bundleApprover, exportedPath, makeBundle, type MadeBundle } from './helpers/outputs.js';
import { tamper } from './helpers/tamper.js';
import { pathGrant } from './helpers/grants.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

type Imported = ResponseOf<'imports.run'>;
type Created = MadeBundle;

let src: TempWorkspace;

beforeAll(async () => {
  src = await createTempWorkspace({ name: 'District Records' });
  seedEvents(src, 120);
});
afterAll(removeTempDirs);

/** An auditor's workspace with a fresh bundle of `src` imported by an auditor; returns their session and the import. */
async function auditorWithImport(): Promise<{ aud: TempWorkspace; auditor: string; bundle: Created; imported: Imported }> {
  const aud = await createTempWorkspace({ name: 'Audit firm' });
  const auditor = await aud.addUser('avery.auditor', 'auditor', 'Avery Auditor');
  const bundle = await makeBundle(src, {}, src.admin);
  const imported = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', bundle.path), trustFingerprint: bundle.fingerprint }, auditor);
  expect(imported.accepted).toBe(true);
  return { aud, auditor, bundle, imported };
}

function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('findings on an imported bundle', () => {
  it('are recorded with their ledger event, listed oldest first, and returned by imports.get', async () => {
    const { aud, auditor, imported } = await auditorWithImport();
    const id = imported.import!.id;
    const before = aud.eventCount();
    const a = await aud.call<ResponseOf<'imports.findings.add'>>(
      'imports.findings.add',
      { importId: id, severity: 'high', title: 'Denied record views by one user', body: 'maria.chen was denied 4 times in a week.', seq: 12 },
      auditor,
    );
    expect(a.finding).toMatchObject({ importId: id, severity: 'high', seq: 12, createdBy: 'avery.auditor', body: 'maria.chen was denied 4 times in a week.' });
    expect(aud.eventCount()).toBe(before + 1);
    expect(aud.events().at(-1)).toMatchObject({
      action: 'imports.findings.add',
      outcome: 'success',
      actor: 'avery.auditor',
      resource_type: 'import',
      resource_id: String(id),
      details: { finding_id: a.finding.id, severity: 'high', seq: 12 },
    });
    const b = await aud.call<ResponseOf<'imports.findings.add'>>('imports.findings.add', { importId: id, severity: 'info', title: 'Sampled', body: 'Sampled 20 events.' }, auditor);
    expect(b.finding.seq).toBeNull();

    const listed = await aud.call<ResponseOf<'imports.findings'>>('imports.findings', { importId: id }, auditor);
    expect(listed.findings.map((f) => f.id)).toEqual([a.finding.id, b.finding.id]);
    const got = await aud.call<ResponseOf<'imports.get'>>('imports.get', { id }, auditor);
    expect(got.findings).toEqual(listed.findings);
    expect(got.pin).toMatchObject({ pinnedByThisImport: true, matches: true, pinnedBy: 'avery.auditor' });
  });

  it('refuse an unknown event, an empty title, a viewer, and any finding once the review is signed off', async () => {
    const { aud, auditor, imported } = await auditorWithImport();
    const id = imported.import!.id;
    const unknown = await aud.result('imports.findings.add', { importId: id, severity: 'low', title: 'x', body: 'y', seq: 99_999 }, auditor);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/no event with seq 99999/) } });
    expect(aud.events().at(-1)).toMatchObject({ action: 'imports.findings.add', outcome: 'failure' });
    const empty = await aud.result('imports.findings.add', { importId: id, severity: 'low', title: '  ', body: 'y' }, auditor);
    expect(empty).toMatchObject({ ok: false, error: { code: 'validation' } });
    const viewer = await aud.addUser('vic.viewer', 'viewer');
    expect(await aud.result('imports.findings.add', { importId: id, severity: 'low', title: 'x', body: 'y' }, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await aud.result('imports.report', { id }, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await aud.call('imports.review', { id, note: 'Done.' }, auditor);
    const late = await aud.result('imports.findings.add', { importId: id, severity: 'low', title: 'Late', body: 'After sign-off.' }, auditor);
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/marked reviewed by avery\.auditor/) } });
    expect(await aud.result('imports.findings', { importId: 999 }, auditor)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('are append-only, even to SQL inside Custos', async () => {
    const { aud, auditor, imported } = await auditorWithImport();
    const id = imported.import!.id;
    const { finding } = await aud.call<ResponseOf<'imports.findings.add'>>('imports.findings.add', { importId: id, severity: 'low', title: 'Keep', body: 'Kept.' }, auditor);
    const db = aud.app.ws.db;
    expect(() => db.prepare("UPDATE import_findings SET title = 'changed' WHERE id = ?").run(finding.id)).toThrow(/cannot be changed/);
    expect(() => db.prepare('DELETE FROM import_findings WHERE id = ?').run(finding.id)).toThrow(/cannot be removed/);
    const insert = db.prepare("INSERT INTO import_findings (import_id, seq, severity, title, note, created_at, created_by) VALUES (?, ?, 'low', 't', 'n', 'now', 'x')");
    expect(() => insert.run(id, 99_999)).toThrow(/only refer to an event of its import/);
    await aud.call('imports.review', { id }, auditor);
    expect(() => insert.run(id, null)).toThrow(/verified import that is not yet reviewed/);
  });
});

describe('the verification report PDF', () => {
  it('is written to the exports folder, ledgered with its SHA-256, passes qpdf, embeds its fonts, and says what was verified and found', async () => {
    const { aud, auditor, bundle, imported } = await auditorWithImport();
    const id = imported.import!.id;
    await aud.call('imports.findings.add', { importId: id, severity: 'high', title: 'Denied views of S-1003', body: 'Repeated denials of record views; ask the registrar.', seq: 12 }, auditor);
    await aud.call('imports.findings.add', { importId: id, severity: 'info', title: 'Sample checked', body: 'Twenty events compared with the paper log.' }, auditor);

    const made = await aud.call<ResponseOf<'imports.report'>>('imports.report', { id }, auditor);
    // Named, never placed: the answer is a bare name in the exports folder.
    expect(made.fileName).toMatch(new RegExp(`^verification-report-import-${id}-\\d{8}T\\d{6}Z\\.pdf$`));
    const r = { ...made, path: exportedPath(aud, made.fileName) };
    const bytes = readFileSync(r.path);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.bytes).toBe(bytes.length);
    expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(statSync(r.path).mode & 0o077).toBe(0);
    expect(readdirSync(join(aud.dir, 'exports')).filter((f) => f.startsWith('.') || f.endsWith('.partial'))).toEqual([]);
    expect(aud.events().at(-1)).toMatchObject({
      action: 'imports.report',
      outcome: 'success',
      actor: 'avery.auditor',
      resource_id: String(id),
      details: { sha256: r.sha256, bytes: r.bytes, bundle_sha256: bundle.sha256, valid: true, findings: 2 },
    });

    const check = spawnSync('qpdf', ['--check', r.path], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const fonts = execFileSync('pdffonts', [r.path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    // Columns: name type encoding emb sub uni object ID; every font is embedded.
    for (const line of fonts) expect(line.split(/\s+/).slice(-5)[0], line).toBe('yes');

    const text = pdfText(r.path);
    expect(text).toContain('Verification report');
    expect(text).toContain('District Records');
    expect(text).toContain('VALID');
    expect(squeeze(text)).toContain(bundle.keyId);
    expect(squeeze(text)).toContain(squeeze(bundle.fingerprint));
    expect(text).toMatch(/New source: pinned at this import/);
    expect(squeeze(text)).toContain(bundle.sha256);
    expect(squeeze(text)).toContain(bundle.root);
    for (const check of ['Bundle structure', 'Signatures', 'File hashes', 'Event hashes', 'Hash chain', 'Signed tree head', 'History', 'Signing key']) expect(text).toContain(check);
    expect(text).toContain('No problems were found.');
    expect(text).toContain('Activity summary');
    expect(text).toContain('maria.chen');
    expect(text).toContain('records.view');
    expect(text).toContain('Denied views of S-1003');
    expect(text).toContain('Repeated denials of record views; ask the registrar.');
    expect(text).toMatch(/About event 12: \S+ by \S+/);
    expect(text).toContain('Not yet reviewed');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [r.path], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);

    // After the sign-off the next report shows the review; both files stay.
    await aud.call('imports.review', { id, note: 'Reviewed with the district registrar.' }, auditor);
    const again = { ...(await aud.call<ResponseOf<'imports.report'>>('imports.report', { id }, auditor)), path: '' };
    again.path = exportedPath(aud, again.fileName);
    expect(again.fileName).not.toBe(r.fileName);
    expect(existsSync(r.path)).toBe(true);
    const reviewed = pdfText(again.path);
    expect(reviewed).toContain('Reviewed with the district registrar.');
    expect(reviewed).toMatch(/Reviewed by\s+avery\.auditor/);
  });

  it('is refused for an unknown import, with nothing written', async () => {
    const { aud, auditor } = await auditorWithImport();
    expect(await aud.result('imports.report', { id: 4242 }, auditor)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(readdirSync(join(aud.dir, 'exports')).filter((f) => f.endsWith('.pdf') || f.startsWith('.'))).toEqual([]);
  });
});

describe('imports.run and the pinned key', () => {
  it('says whether the key is new, matches the pinned one, or differs (and then shows the pinned one)', async () => {
    const { aud, auditor, imported } = await auditorWithImport();
    expect(imported).toMatchObject({ pin: 'new-source', pinned: true, pinnedSource: { workspaceId: src.workspaceId, keyId: imported.bundle!.keyId } });

    seedEvents(src, 5, 'later');
    const later = await makeBundle(src, {}, src.admin);
    const second = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', later.path) }, auditor);
    expect(second).toMatchObject({ accepted: true, pin: 'matches', pinned: false });
    const got = await aud.call<ResponseOf<'imports.get'>>('imports.get', { id: second.import!.id }, auditor);
    expect(got.pin).toMatchObject({ pinnedByThisImport: false, matches: true });

    // Another workspace made to claim the district's id: valid on its own, refused by the pin.
    const forger = await createTempWorkspace({ name: 'District Records' });
    await bundleApprover(forger);
    const key = await forger.dbKey();
    forger.lock();
    tamper(forger.dir, key, (db) => db.prepare("UPDATE meta SET value = ? WHERE key = 'workspace_id'").run(src.workspaceId));
    forger.admin = await forger.login();
    const forged = await makeBundle(forger, {}, forger.admin);
    forger.lock();
    const refused = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', forged.path) }, auditor);
    expect(refused).toMatchObject({ accepted: false, pin: 'differs', pinnedSource: { keyId: imported.bundle!.keyId }, bundle: { keyId: forged.keyId } });
    expect(refused.reason).toMatch(/pinned at its first import/);
  });
});

describe('imports.list', () => {
  it('lists refused bundles with their reason, but not imports the user cancelled', async () => {
    const aud = await createTempWorkspace({ name: 'Audit firm' });
    const base = { actor: 'admin', action: 'imports.run', resource_type: 'bundle', outcome: 'failure' as const };
    aud.app.ws.record({ ...base, resource_id: 'a.zip', details: { reason: 'Event 9 does not match its hash.', file_name: 'a.zip' } });
    // What the dispatch records when the job is cancelled (see recordRejection).
    aud.app.ws.record({ ...base, resource_id: 'imports.run', details: { code: 'cancelled', message: 'Reading the bundle was cancelled.' } });
    const list = await aud.call<ResponseOf<'imports.list'>>('imports.list', {}, aud.admin);
    expect(list.rejected).toEqual([expect.objectContaining({ fileName: 'a.zip', reason: 'Event 9 does not match its hash.' })]);
  });
});
