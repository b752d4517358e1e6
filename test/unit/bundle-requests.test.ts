import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import type { ExportRequest } from '../../shared/contract/exports.js';
import { verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { migrate, openEncryptedDb } from '../../electron/core/db/open.js';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.js';
import { readEntries } from './helpers/bundles.js';
import { exportedPath } from './helpers/outputs.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

type R = { request: ExportRequest };

/** The export_requests rows, as the Exports screen lists them (exports.list). */
async function listed(t: TempWorkspace, session: string): Promise<ExportRequest[]> {
  return (await t.call<{ items: ExportRequest[] }>('exports.list', {}, session)).items;
}

function zips(t: TempWorkspace): string[] {
  const dir = join(t.dir, 'exports');
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A case with one evidence file linked to it: a bundle of it carries the decrypted file. */
async function caseWithEvidence(t: TempWorkspace): Promise<{ caseId: string; evidenceId: string }> {
  const { case: kase } = await t.call<{ case: { id: string } }>('cases.create', { title: 'Records access complaint', type: 'investigation' }, t.admin);
  const { evidence } = await t.call<{ evidence: { id: string } }>(
    'evidence.ingestContent',
    { fileName: 'statement.txt', contentBase64: Buffer.from('Witness statement of the registrar').toString('base64'), title: 'Statement', source: 'Registrar', caseId: kase.id },
    t.admin,
  );
  return { caseId: kase.id, evidenceId: evidence.id };
}

describe('bundles follow the two-person rule (issue 15.4)', () => {
  it('no role makes a case or complete bundle directly (shipped policy): one refusal each, nothing else recorded, no file', async () => {
    const t = await createTempWorkspace();
    const makers: [string, string][] = [
      ['admin', t.admin],
      ['maria.officer', await t.addUser('maria.officer', 'compliance_officer')],
      ['lee.counsel', await t.addUser('lee.counsel', 'legal_counsel')],
      ['ada.auditor', await t.addUser('ada.auditor', 'auditor')],
    ];
    const { caseId } = await caseWithEvidence(t);
    for (const [name, session] of makers) {
      for (const request of [{ caseId }, {}]) {
        const before = t.eventCount();
        const r = await t.result('bundles.create', request, session);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('forbidden');
          expect(r.error.message).toMatch(/another user must approve it/);
        }
        const added = t.events().slice(before);
        expect(added.map((e) => [e.action, e.outcome, e.actor])).toEqual([['bundles.create', 'denied', name]]);
      }
    }
    expect(await listed(t, t.admin)).toEqual([]);
    expect(zips(t)).toEqual([]);
  });

  it('request → no self-approval → another approves → only the requester runs it → listed with its SHA-256 and hand-overs', async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('ada.auditor', 'auditor');
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const { caseId, evidenceId } = await caseWithEvidence(t);

    const { request } = await t.call<R>(
      'bundles.request',
      { title: 'Case bundle for counsel', type: 'INTERNAL', caseId, purpose: 'Review of the complaint', recipient: 'District counsel' },
      auditor,
    );
    // Content decides: an INTERNAL bundle of a case still waits for a second person.
    expect(request).toMatchObject({ format: 'bundle', status: 'pending', caseId, includeEvidence: true, masking: 'none', requestedBy: 'ada.auditor' });
    const asked = t.events().filter((e) => e.resource_id === request.id);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.details).toMatchObject({ format: 'bundle', approval: 'required', approval_reasons: ['evidence-files', 'unmasked-personal-data'] });

    // Not before approval; an auditor may not decide; an officer who requested one may not approve their own.
    expect(await t.result('exports.execute', { id: request.id }, auditor)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.result('exports.approve', { id: request.id }, auditor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const own = await t.call<R>('bundles.request', { title: 'Whole ledger', type: 'AUDIT', purpose: 'Year-end audit', recipient: 'External auditor' }, officer);
    expect(own.request.status).toBe('pending');
    const self = await t.result('exports.approve', { id: own.request.id }, officer);
    expect(self).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!self.ok) expect(self.error.message).toMatch(/different user/);
    expect(zips(t)).toEqual([]);

    const approved = await t.call<R>('exports.approve', { id: request.id, note: 'For counsel only.' }, counsel);
    expect(approved.request).toMatchObject({ status: 'approved', decidedBy: 'david.okafor' });
    // The approval covers the requester's request: the approver cannot run it.
    expect(await t.result('exports.execute', { id: request.id }, counsel)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const done = await t.call<R>('exports.execute', { id: request.id }, auditor);
    expect(done.request).toMatchObject({ status: 'executed', executedBy: 'ada.auditor', format: 'bundle' });
    const file = exportedPath(t, done.request.fileName!);
    expect(done.request.fileName).toMatch(/^bundle-.+\.zip$/);
    expect(sha256File(file)).toBe(done.request.sha256);
    expect(readFileSync(file).length).toBe(done.request.bytes);
    const report = await verifyBundleFile(file);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    const entries = await readEntries(file);
    expect(entries.get(`evidence/${evidenceId}/statement.txt`)?.toString('utf8')).toBe('Witness statement of the registrar');
    expect(entries.has('disclosures.json')).toBe(true);
    expect(done.request.rows).toBe(report.events_checked);

    // A second run of the same approval is refused.
    expect(await t.result('exports.execute', { id: request.id }, auditor)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // Hand-over: ledgered against the file the request lists.
    await t.call('files.download', { fileName: done.request.fileName }, auditor);
    const handOvers = t.events().filter((e) => e.action === 'files.download' && e.resource_id === done.request.fileName);
    expect(handOvers.map((e) => e.actor)).toEqual(['ada.auditor']);

    const row = (await listed(t, officer)).find((r) => r.id === request.id);
    expect(row).toMatchObject({ format: 'bundle', status: 'executed', sha256: done.request.sha256, fileName: done.request.fileName, decidedBy: 'david.okafor' });
    const trail = t.events().filter((e) => e.resource_id === request.id).map((e) => [e.action, e.outcome, e.actor]);
    // (The auditor's approval was refused by role, recorded against the channel: see the first assertions.)
    expect(trail).toEqual([
      ['exports.request', 'success', 'ada.auditor'],
      ['exports.execute', 'failure', 'ada.auditor'],
      ['exports.approve', 'success', 'david.okafor'],
      ['exports.execute', 'denied', 'david.okafor'],
      ['exports.execute', 'success', 'ada.auditor'],
      ['exports.execute', 'failure', 'ada.auditor'],
    ]);
    const executed = t.events().find((e) => e.resource_id === request.id && e.action === 'exports.execute' && e.outcome === 'success')!;
    expect(executed.details).toMatchObject({ format: 'bundle', sha256: done.request.sha256, bytes: done.request.bytes, path: done.request.fileName });
  });

  it('a bundle of filtered events is made directly by an auditor, listed on Exports as decided by policy', async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('ada.auditor', 'auditor');
    const made = await t.call<ResponseOf<'bundles.create'>>('bundles.create', { action: 'users.*' }, auditor);
    expect(made.complete).toBe(false);
    const file = exportedPath(t, made.fileName);
    expect(sha256File(file)).toBe(made.sha256);
    const entries = await readEntries(file);
    expect([...entries.keys()].some((k) => k.startsWith('evidence/') || k === 'disclosures.json')).toBe(false);

    const [row] = await listed(t, auditor);
    expect(row).toMatchObject({
      id: made.requestId,
      format: 'bundle',
      status: 'executed',
      decidedBy: 'policy',
      requestedBy: 'ada.auditor',
      executedBy: 'ada.auditor',
      fileName: made.fileName,
      sha256: made.sha256,
      bytes: made.bytes,
      rows: made.events,
      checkpointSize: made.treeSize,
      filters: { action: 'users.*' },
      includeEvidence: false,
    });
    const asked = t.events().find((e) => e.action === 'exports.request' && e.resource_id === made.requestId)!;
    expect(asked.details).toMatchObject({ approval: 'not-required', approval_reasons: [] });
  });

  it('a ledger-only bundle request of a type policy lets through is approved at once; rejection closes a request for good', async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('ada.auditor', 'auditor');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const internal = await t.call<R>('bundles.request', { title: 'Logins of March', type: 'INTERNAL', filters: { action: 'session.*' }, purpose: 'Internal review', recipient: 'IT' }, auditor);
    expect(internal.request).toMatchObject({ status: 'approved', decidedBy: 'policy' });
    const audit = await t.call<R>('bundles.request', { title: 'Logins of March', type: 'AUDIT', filters: { action: 'session.*' }, purpose: 'External audit', recipient: 'Auditor' }, auditor);
    expect(audit.request.status).toBe('pending');
    await t.call('exports.reject', { id: audit.request.id, reason: 'Not in the audit plan.' }, counsel);
    expect(await t.result('exports.execute', { id: audit.request.id }, auditor)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(zips(t)).toEqual([]);
  });

  it('refuses an unknown case and hostile input before anything is recorded but the refusal', async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('ada.auditor', 'auditor');
    const viewer = await t.addUser('vic.viewer', 'viewer');
    const good = { title: 'Case bundle', type: 'LEGAL', purpose: 'Court order', recipient: 'Court' };
    for (const [input, session, code] of [
      [{ ...good, caseId: 'CASE-NOPE' }, auditor, 'not_found'],
      [{ ...good, type: 'EVERYTHING' }, auditor, 'validation'],
      [{ ...good, title: 'x'.repeat(201) }, auditor, 'validation'],
      [{ ...good, outPath: '/tmp/x.zip' }, auditor, 'validation'],
      [{ ...good, filters: { actor: 'a', sql: '1' } }, auditor, 'validation'],
      [good, viewer, 'forbidden'],
    ] as const) {
      const before = t.eventCount();
      const r = await t.result('bundles.request', input, session);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code } });
      expect(t.events().slice(before).map((e) => [e.action, e.outcome === 'success'])).toEqual([['bundles.request', false]]);
    }
    expect(await listed(t, t.admin)).toEqual([]);
  });

  it('a bundle that fails while written marks its request failed, ledgered once, and leaves no file', async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('ada.auditor', 'auditor');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const { request } = await t.call<R>('bundles.request', { title: 'Whole ledger', type: 'AUDIT', purpose: 'Year-end audit', recipient: 'External auditor' }, auditor);
    await t.call('exports.approve', { id: request.id }, counsel);
    t.app.ws.db.exec(
      `CREATE TEMP TRIGGER refuse_written BEFORE INSERT ON main.events WHEN NEW.action = 'bundles.written'
       BEGIN SELECT RAISE(ABORT, 'injected: the ledger refuses this event'); END`,
    );
    let r;
    try {
      r = await t.result('exports.execute', { id: request.id }, auditor);
    } finally {
      t.app.ws.db.exec('DROP TRIGGER IF EXISTS temp.refuse_written');
    }
    expect(r.ok).toBe(false);
    const [row] = await listed(t, auditor);
    expect(row).toMatchObject({ id: request.id, status: 'failed', sha256: null, fileName: null });
    const runs = t.events().filter((e) => e.resource_id === request.id && e.action === 'exports.execute');
    expect(runs.map((e) => e.outcome)).toEqual(['failure']);
    expect(zips(t)).toEqual([]);
  });
});

describe('migration 014', () => {
  it('keeps every export request and lets a request be a bundle, nothing else', () => {
    const db = openEncryptedDb(join(tempDir('custos-m14-'), 'm.db'), randomBytes(32), { create: true });
    try {
      migrate(db, MIGRATIONS.slice(0, 11));
      const insert = (id: string, format: string) =>
        db
          .prepare(
            `INSERT INTO export_requests (id, title, type, format, status, filters, include_evidence, include_audit_trail, masking, purpose, recipient, requested_by, requested_at)
             VALUES (?, 'T', 'AUDIT', ?, 'pending', '{}', 0, 1, 'none', 'p', 'r', 'admin', '2026-01-01T00:00:00Z')`,
          )
          .run(id, format);
      insert('EXP-2026-0001', 'csv');
      expect(() => insert('EXP-2026-0002', 'bundle')).toThrow(/CHECK/);
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT id, format, status FROM export_requests').all()).toEqual([{ id: 'EXP-2026-0001', format: 'csv', status: 'pending' }]);
      insert('EXP-2026-0002', 'bundle');
      expect(() => insert('EXP-2026-0003', 'zip')).toThrow(/CHECK/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'export_requests' AND name = 'export_requests_status'").all()).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
