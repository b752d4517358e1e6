import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import type { CustosApp } from '../../electron/core/app.js';
import { createCore } from '../../electron/core/create-core.js';
import { eventLine } from '../../electron/core/bundle/format.js';
import { canonicalDetails, fastEventBytes } from '../../electron/core/ledger/event-bytes.js';
import { canonicalBytes, eventHash, sha256Hex } from '../../electron/core/ledger/jcs.js';
import { generateSigningKey, loadSigningKey, signBytes } from '../../electron/core/ledger/signing.js';
import {
  bundleKeyId,
  bundleEvents,
  expectOnlyRejectionRecorded,
  readEntries,
  resign,
  seedEvents,
  snapshot,
  writeEntries,
} from './helpers/bundles.js';
import { bundleApprover, makeBundle, type MadeBundle } from './helpers/outputs.js';
import { buildZip, S_IFLNK, unixAttributes, type RawZipEntry } from './helpers/hostile-zip.js';
import { pathGrant } from './helpers/grants.js';
import { tamper } from './helpers/tamper.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

type Created = MadeBundle;
type Imported = ResponseOf<'imports.run'>;

let src: TempWorkspace;
let files: string;
let n = 0;
const zipPath = (name: string) => join(files, `${++n}-${name}.zip`);

beforeAll(async () => {
  src = await createTempWorkspace({ name: 'District Records' });
  seedEvents(src, 250);
  files = tempDir('custos-import-files-');
});
afterAll(() => {
  removeTempDirs();
});

async function bundleOf(t: Pick<TempWorkspace, 'call' | 'dir' | 'admin'>, filters: Record<string, string> = {}): Promise<Created> {
  return makeBundle(t, filters, t.admin);
}

/** Imports as the administrator, confirming the key the bundle names (first imports ask for it). */
async function importInto(t: TempWorkspace, path: string): Promise<Imported> {
  const keyId = await bundleKeyId(path);
  return t.call<Imported>('imports.run', { grant: await pathGrant(t, t.admin, 'bundle', path), ...(keyId ? { trustFingerprint: keyId } : {}) }, t.admin);
}

/** Signs in to an existing workspace folder through a fresh app and dispatch (as another run of Custos would). */
async function openExisting(dir: string): Promise<{ app: CustosApp; dir: string; admin: string; call: TempWorkspace['call'] }> {
  const { app, dispatch } = createCore(dir, { log: (err) => console.error('unexpected error in the core:', err) });
  const call = async <T>(channel: string, input: unknown = {}, session?: string): Promise<T> => {
    const r = await dispatch(channel, input, { sessionId: session });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const { session } = await call<{ session: string }>('session.login', { username: ADMIN, passphrase: PASSPHRASE });
  return { app, dir, admin: session, call };
}

describe('importing a verified bundle', () => {
  it('imports it, pins the key, and serves its events, stats and review like the ledger', async () => {
    const aud = await createTempWorkspace({ name: 'Audit firm' });
    const b = await bundleOf(src);
    const r = await importInto(aud, b.path);
    expect(r).toMatchObject({ accepted: true, reason: null, pinned: true, report: { valid: true } });
    expect(r.import).toMatchObject({
      status: 'verified',
      sourceWorkspaceId: src.workspaceId,
      sourceWorkspaceName: 'District Records',
      keyId: b.keyId,
      fingerprint: b.fingerprint,
      fileSha256: b.sha256,
      events: b.events,
      treeSize: b.treeSize,
      root: b.root,
      complete: true,
    });
    const id = r.import!.id;

    const last = aud.events().at(-1)!;
    expect(last).toMatchObject({ action: 'imports.run', outcome: 'success', resource_type: 'import', resource_id: String(id) });
    expect(last.details).toMatchObject({ pinned: true, file_sha256: b.sha256, source_workspace_id: src.workspaceId, events: b.events });

    const list = await aud.call<ResponseOf<'imports.list'>>('imports.list', {}, aud.admin);
    expect(list.items.map((i) => i.id)).toEqual([id]);
    expect(list.sources).toEqual([expect.objectContaining({ workspaceId: src.workspaceId, keyId: b.keyId })]);

    const got = await aud.call<ResponseOf<'imports.get'>>('imports.get', { id }, aud.admin);
    const entries = await readEntries(b.path);
    expect(got.manifest).toBe(entries.get('manifest.json')!.toString('utf8'));
    expect(Buffer.from(got.manifestSignature, 'base64').equals(entries.get('manifest.sig')!)).toBe(true);
    expect(got.report.valid).toBe(true);

    // Pages newest first, with the same filters as ledger.query.
    const all = bundleEvents(entries);
    const page = await aud.call<ResponseOf<'imports.events'>>('imports.events', { importId: id, limit: 10, withTotal: true }, aud.admin);
    expect(page.total).toBe(all.length);
    expect(page.events.map((e) => e.seq)).toEqual(all.slice(-10).reverse().map((e) => e.seq));
    expect(page.events[0]).toEqual(all.at(-1));
    const next = await aud.call<ResponseOf<'imports.events'>>('imports.events', { importId: id, limit: 10, beforeSeq: page.events.at(-1)!.seq }, aud.admin);
    expect(next.events.map((e) => e.seq)).toEqual(all.slice(-20, -10).reverse().map((e) => e.seq));
    const maria = all.filter((e) => e.actor === 'maria.chen' && e.outcome === 'denied');
    const filtered = await aud.call<ResponseOf<'imports.events'>>(
      'imports.events',
      { importId: id, actor: 'maria.chen', outcome: 'denied', limit: 500, withTotal: true },
      aud.admin,
    );
    expect(filtered.total).toBe(maria.length);
    expect(filtered.events.map((e) => e.seq)).toEqual(maria.map((e) => e.seq).reverse());
    const text = await aud.call<ResponseOf<'imports.events'>>('imports.events', { importId: id, text: 'quoted', limit: 500, withTotal: true }, aud.admin);
    expect(text.total).toBe(all.filter((e) => JSON.stringify(e.details).includes('quoted')).length);
    expect(text.total).toBeGreaterThan(0);

    const stats = await aud.call<ResponseOf<'imports.stats'>>('imports.stats', { importId: id }, aud.admin);
    expect(stats.total).toBe(all.length);
    expect(stats.byOutcome.reduce((s, o) => s + o.count, 0)).toBe(all.length);
    expect(stats.byOutcome.find((o) => o.outcome === 'denied')?.count).toBe(all.filter((e) => e.outcome === 'denied').length);
    expect(stats.byActor[0]!.count).toBeGreaterThanOrEqual(stats.byActor.at(-1)!.count);
    expect(stats.perDay.reduce((s, d) => s + d.success + d.denied + d.failure, 0)).toBe(all.length);
    const denied = await aud.call<ResponseOf<'imports.stats'>>('imports.stats', { importId: id, outcome: 'denied' }, aud.admin);
    expect(denied.byOutcome).toEqual([{ outcome: 'denied', count: all.filter((e) => e.outcome === 'denied').length }]);

    const reviewed = await aud.call<ResponseOf<'imports.review'>>('imports.review', { id, note: 'Sampled 20 events; no findings.' }, aud.admin);
    expect(reviewed.import).toMatchObject({ status: 'reviewed', reviewedBy: ADMIN, reviewNote: 'Sampled 20 events; no findings.' });
    expect(aud.events().at(-1)).toMatchObject({ action: 'imports.review', resource_id: String(id) });
    expect(await aud.result('imports.review', { id }, aud.admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // Imported events are read-only, even to SQL inside Custos.
    expect(() => aud.app.ws.db.prepare('UPDATE imported_events SET actor = ? WHERE import_id = ?').run('x', id)).toThrow(/read-only/);
    expect(() => aud.app.ws.db.prepare('DELETE FROM imports WHERE id = ?').run(id)).toThrow(/cannot be deleted/);

    // Verifying without importing tells how the key compares with the pinned one, and is ledgered.
    const v = await aud.call<ResponseOf<'bundles.verify'>>('bundles.verify', { grant: await pathGrant(aud, aud.admin, 'bundle', b.path) }, aud.admin);
    expect(v).toMatchObject({ pin: 'matches', report: { valid: true }, bundle: { workspaceId: src.workspaceId } });
    expect(aud.events().at(-1)).toMatchObject({ action: 'bundles.verify', outcome: 'success' });
  });

  it('accepts an uploaded bundle (by grant) and leaves no copy of it in the workspace', async () => {
    const aud = await createTempWorkspace({ name: 'Upload target' });
    const b = await bundleOf(src, { actor: 'david.okafor' });
    const { grant } = await aud.app.fileGrants.grantUpload(aud.admin, 'bundle', 'from-district.zip', [readFileSync(b.path)], { workspaceDir: aud.dir });
    const r = await aud.call<Imported>('imports.run', { grant, trustFingerprint: b.fingerprint }, aud.admin);
    expect(r).toMatchObject({ accepted: true, import: { fileName: 'from-district.zip', events: b.events, complete: false } });
    expect(readdirSync(join(aud.dir, 'exports'))).toEqual([]);
    expect(readdirSync(join(aud.dir, 'uploads'))).toEqual([]);
    // Channels take no path and no inline upload any more.
    const old = await aud.result('imports.run', { path: b.path }, aud.admin);
    expect(old).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('lets auditors and compliance officers import, not legal counsel or viewers', async () => {
    const aud = await createTempWorkspace({ name: 'Roles' });
    const b = await bundleOf(src);
    const auditor = await aud.addUser('ann.auditor', 'auditor');
    const counsel = await aud.addUser('carl.counsel', 'legal_counsel');
    const viewer = await aud.addUser('vera.viewer', 'viewer');
    expect(await aud.result('imports.run', { grant: 'x'.repeat(32) }, counsel)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await aud.result('imports.run', { grant: 'x'.repeat(32) }, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await aud.result('imports.list', {}, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const r = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', b.path), trustFingerprint: b.fingerprint }, auditor);
    expect(r.accepted).toBe(true);
  });
});

describe('history: pinned keys and consistency proofs', () => {
  it('accepts later and late older bundles of the same history; refuses a duplicate', async () => {
    const aud = await createTempWorkspace({ name: 'History' });
    const a0 = await bundleOf(src);
    seedEvents(src, 20, 'more');
    const a1 = await bundleOf(src, { action: 'cases.*' });
    seedEvents(src, 20, 'more');
    const a2 = await bundleOf(src);

    expect((await importInto(aud, a1.path)).accepted).toBe(true);
    const later = await importInto(aud, a2.path);
    expect(later).toMatchObject({ accepted: true, pinned: false });
    // a0 is older than what was imported, but a2's consistency proofs vouch for its tree head.
    expect((await importInto(aud, a0.path)).accepted).toBe(true);
    const before = snapshot(aud);
    const dup = await importInto(aud, a1.path);
    expect(dup).toMatchObject({ accepted: false, reason: expect.stringMatching(/^This bundle was already imported on \d{4}-\d\d-\d\d as import \d+\.$/) });
    expectOnlyRejectionRecorded(aud, before, /already imported/);
  });

  it('refuses a bundle that claims a pinned workspace but is signed with another key', async () => {
    const aud = await createTempWorkspace({ name: 'Pinning' });
    expect((await importInto(aud, (await bundleOf(src)).path)).pinned).toBe(true);

    // A different workspace made to claim the district's workspace id (its own key signs everything correctly).
    const forger = await createTempWorkspace({ name: 'District Records' });
    seedEvents(forger, 30);
    await bundleApprover(forger);
    const key = await forger.dbKey();
    forger.lock();
    tamper(forger.dir, key, (db) => db.prepare("UPDATE meta SET value = ? WHERE key = 'workspace_id'").run(src.workspaceId));
    forger.admin = await forger.login();
    const forged = await bundleOf(forger);
    const report = await aud.call<ResponseOf<'bundles.verify'>>('bundles.verify', { grant: await pathGrant(aud, aud.admin, 'bundle', forged.path) }, aud.admin);
    // On its own the forged bundle is perfectly valid; only the pinned key gives it away.
    expect(report).toMatchObject({ report: { valid: true }, pin: 'differs', bundle: { workspaceId: src.workspaceId } });

    const before = snapshot(aud);
    const r = await importInto(aud, forged.path);
    expect(r.accepted).toBe(false);
    expect(r.reason).toMatch(/^This bundle claims to come from workspace "District Records" \(.+\) but is signed with the key .+, not the key .+ pinned at its first import on \d{4}-\d\d-\d\d\.$/);
    expect(r.report.problems).toEqual([expect.objectContaining({ kind: 'bad-signature' })]);
    expectOnlyRejectionRecorded(aud, before, /pinned at its first import/);
    forger.lock();
  });

  it('refuses bundles that rewrite the history it already imported', async () => {
    // One workspace, copied while locked: both copies share id, key and the first events, then diverge.
    const orig = await createTempWorkspace({ name: 'Forked' });
    seedEvents(orig, 40);
    await bundleApprover(orig);
    orig.lock();
    const forkDir = join(tempDir(), 'fork');
    cpSync(orig.dir, forkDir, { recursive: true });
    orig.admin = await orig.login();
    const fork = await openExisting(forkDir);
    try {
      seedEvents(orig, 10, 'true history');
      fork.app.ws.tx(() => {
        for (let i = 0; i < 10; i++) {
          fork.app.ws.ledger.append({ actor: 'mallory', action: 'records.view', resource_type: 'record', resource_id: `S-${i}`, details: { tag: 'rewritten' } });
        }
      });
      const honest = await bundleOf(orig);
      const sameSize = await bundleOf(fork);
      expect(sameSize.treeSize).toBe(honest.treeSize);
      expect(sameSize.root).not.toBe(honest.root);
      seedEvents(orig, 5, 'more');
      const fork2 = await bundleOf(fork); // carries a consistency proof from ITS tree head of the same size
      const honest2 = await bundleOf(orig);

      const aud = await createTempWorkspace({ name: 'Consistency' });
      expect((await importInto(aud, honest.path)).accepted).toBe(true);

      const cases: { path: string; reason: RegExp }[] = [
        { path: sameSize.path, reason: /^This bundle rewrites the history of workspace "Forked" .*: its first \d+ events differ from the tree head imported on/ },
        { path: fork2.path, reason: /^This bundle rewrites the history of workspace "Forked"/ },
      ];
      // The forger (who holds the key) strips the revealing proof…
      const stripped = await readEntries(fork2.path);
      const consistency = JSON.parse(stripped.get('consistency.json')!.toString('utf8'));
      const honestEntries = await readEntries(honest.path);
      const honestManifest = JSON.parse(honestEntries.get('manifest.json')!.toString('utf8'));
      const withoutProof = { ...consistency, proofs: consistency.proofs.filter((p: { from_size: number }) => p.from_size !== honest.treeSize) };
      stripped.set('consistency.json', Buffer.from(JSON.stringify(withoutProof)));
      resign(stripped, fork.app.ws.signingKey);
      const p1 = zipPath('stripped');
      await writeEntries(p1, stripped);
      cases.push({ path: p1, reason: /^This bundle \(a tree head of \d+ events\) carries no consistency proof from the tree head of \d+ events imported on .*, so it cannot show that it extends that history rather than rewriting it\.$/ });
      // …or claims the honest tree head (correctly signed) with a proof that cannot hold.
      const claimed = await readEntries(fork2.path);
      const forgedEntry = consistency.proofs.find((p: { from_size: number }) => p.from_size === honest.treeSize);
      const withClaim = {
        ...consistency,
        proofs: [
          ...withoutProof.proofs,
          { ...forgedEntry, from_root: honest.root, from_ts: honestManifest.checkpoint.ts, from_signature: honestManifest.checkpoint.signature },
        ],
      };
      claimed.set('consistency.json', Buffer.from(JSON.stringify(withClaim)));
      resign(claimed, fork.app.ws.signingKey);
      const p2 = zipPath('claimed');
      await writeEntries(p2, claimed);
      cases.push({ path: p2, reason: /^The consistency proof from the earlier tree head of \d+ events does not verify: this bundle does not extend that history\.$/ });

      for (const c of cases) {
        const before = snapshot(aud);
        const r = await importInto(aud, c.path);
        expect(r.accepted, c.path).toBe(false);
        expect(r.reason).toMatch(c.reason);
        expectOnlyRejectionRecorded(aud, before, c.reason);
      }
      // The true history still extends.
      expect((await importInto(aud, honest2.path)).accepted).toBe(true);
    } finally {
      fork.app.shutdown();
      orig.lock();
    }
  });
});

describe('hostile bundles', () => {
  let target: TempWorkspace;
  let full: Map<string, Buffer>;
  let subset: Map<string, Buffer>;
  const zeros = Buffer.alloc(50 * 1024 * 1024);
  const zerosDeflated = deflateRawSync(zeros);

  beforeAll(async () => {
    target = await createTempWorkspace({ name: 'Hostile target' });
    // Something already imported, so "unchanged" covers real rows.
    expect((await importInto(target, (await bundleOf(src, { action: 'cases.*' })).path)).accepted).toBe(true);
    full = await readEntries((await bundleOf(src)).path);
    subset = await readEntries((await bundleOf(src, { actor: 'priya.raman' })).path);
  });

  const raw = (entries: Map<string, Buffer>, extra: RawZipEntry[] = [], skip: string[] = []): Buffer =>
    buildZip([...[...entries].filter(([name]) => !skip.includes(name)).map(([name, data]): RawZipEntry => ({ name, data, method: 8 })), ...extra]);

  async function hostile(name: string, make: () => Promise<Buffer | string> | Buffer | string): Promise<string> {
    const made = await make();
    if (typeof made === 'string') return made;
    const path = zipPath(name);
    writeFileSync(path, made);
    return path;
  }

  async function tampered(base: Map<string, Buffer>, edit: (e: Map<string, Buffer>) => void, sign: boolean): Promise<string> {
    const e = new Map(base);
    edit(e);
    if (sign) resign(e, src.app.ws.signingKey);
    const path = zipPath('tampered');
    await writeEntries(path, e);
    return path;
  }

  const editEvents = (e: Map<string, Buffer>, fn: (events: ReturnType<typeof bundleEvents>) => void) => {
    const events = bundleEvents(e);
    fn(events);
    e.set('events.ndjson', Buffer.from(events.map((x) => `${canonicalBytes(x).toString('utf8')}\n`).join('')));
  };

  /** Edits manifest.json as text (or bytes) and signs exactly those bytes, as a key holder could. */
  const signedManifest = (edit: (text: string) => string | Buffer) =>
    tampered(
      full,
      (e) => {
        const edited = edit(e.get('manifest.json')!.toString('utf8'));
        const bytes = typeof edited === 'string' ? Buffer.from(edited, 'utf8') : edited;
        e.set('manifest.json', bytes);
        e.set('manifest.sig', signBytes(src.app.ws.signingKey, bytes));
      },
      false,
    );

  /** Replaces event 7 with one built from these columns and details text, correctly hashed, and re-signs. */
  const rewrittenEvent7 = (change: { actor?: string; detailsText?: string }) =>
    tampered(
      full,
      (e) => {
        const lines = e.get('events.ndjson')!.toString('utf8').split('\n');
        const ev = JSON.parse(lines[6]!) as ReturnType<typeof bundleEvents>[number];
        const parts = { ...ev, actor: change.actor ?? ev.actor, details: change.detailsText ?? canonicalDetails(ev.details) };
        lines[6] = eventLine({ ...parts, hash: sha256Hex(fastEventBytes(parts)) });
        e.set('events.ndjson', Buffer.from(lines.join('\n'), 'utf8'));
      },
      true,
    );
  const DEEP = 100_000;

  const cases: { name: string; reason: RegExp; make: () => Promise<Buffer | string> | Buffer | string }[] = [
    {
      name: 'a signed manifest with a duplicate key',
      reason: /^manifest\.json has the field "created_by" twice in one object, so readers could disagree on its value\.$/,
      make: () => signedManifest((m) => m.replace('"created_by": "admin"', '"created_by": "someone.else",\n  "created_by": "admin"')),
    },
    {
      name: 'a signed manifest with a duplicate key deeper in',
      reason: /^manifest\.json has the field "size" twice in one object at tree_head, so readers could disagree on its value\.$/,
      make: () => signedManifest((m) => m.replace('"tree_head": {', '"tree_head": {\n    "size": 1,')),
    },
    {
      name: 'a signed manifest holding a lone surrogate',
      reason: /^manifest\.json holds text that is not well-formed Unicode \(a lone surrogate\) at created_by\.$/,
      make: () => signedManifest((m) => m.replace('"created_by": "admin"', '"created_by": "admin\\ud800"')),
    },
    {
      name: 'a signed manifest that is not UTF-8',
      reason: /^manifest\.json is not UTF-8 text \(it holds byte sequences that are not valid UTF-8\)\.$/,
      make: () =>
        signedManifest((m) => {
          const bytes = Buffer.from(m.replace('"created_by": "admin"', '"created_by": "adm~"'), 'utf8');
          bytes[bytes.indexOf('adm~') + 3] = 0xff;
          return bytes;
        }),
    },
    {
      name: 'a signed manifest nested 100 000 levels deep',
      reason: /^manifest\.json nests objects and lists more than 64 levels deep at scope\.filters\.x(\.0)+\.$/,
      make: () => signedManifest((m) => m.replace(/"filters": \{[^}]*\}/, `"filters": {"x": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`)),
    },
    {
      name: 'a consistency.json with a duplicate key',
      reason: /^consistency\.json has the field "root" twice in one object, so readers could disagree on its value\.$/,
      make: () =>
        tampered(
          full,
          (e) => e.set('consistency.json', Buffer.from(e.get('consistency.json')!.toString('utf8').replace('"root":', '"root":"00","root":'), 'utf8')),
          true,
        ),
    },
    {
      name: 'an event whose actor holds a lone surrogate (correctly hashed)',
      reason: /^Line 7 of events\.ndjson \(event 7\): its actor is not well-formed Unicode text \(it holds a lone surrogate\)\.$/,
      make: () => rewrittenEvent7({ actor: 'nobody\udc00' }),
    },
    {
      name: 'an event whose details key holds a lone surrogate (correctly hashed)',
      reason: /^Line 7 of events\.ndjson \(event 7\): an object at details has a field name that is not well-formed Unicode/,
      make: () => rewrittenEvent7({ detailsText: '{"\\ud800":1}' }),
    },
    {
      name: 'an event with details nested 100 000 levels deep',
      reason: /^Line 7 of events\.ndjson \(event 7\): details\.deep(\.0)+ nests objects and lists more than 64 levels deep\.$/,
      make: () => rewrittenEvent7({ detailsText: `{"deep":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}` }),
    },
    { name: 'zip slip', reason: /entry "\.\.\/\.\.\/evil\.sh" climbs out of the bundle folder/, make: () => raw(full, [{ name: '../../evil.sh', data: Buffer.from('echo pwned') }]) },
    { name: 'absolute path', reason: /entry "\/etc\/cron\.d\/evil" has an absolute path/, make: () => raw(full, [{ name: '/etc/cron.d/evil', data: Buffer.from('x') }]) },
    {
      name: 'symlink',
      reason: /entry "evidence\/link" is a symbolic link/,
      make: () => raw(full, [{ name: 'evidence/link', data: Buffer.from('/etc/passwd'), externalAttributes: unixAttributes(S_IFLNK | 0o777) }]),
    },
    {
      name: 'duplicate entries',
      reason: /entry "events\.ndjson" appears more than once/,
      make: () => raw(full, [{ name: 'events.ndjson', data: Buffer.from('{}\n'), method: 8 }]),
    },
    {
      name: 'zip bomb',
      reason: /a likely zip bomb/,
      make: () => raw(full, [{ name: 'evidence/zeros.bin', method: 8, payload: zerosDeflated, uncompressedSize: zeros.length, data: zeros }]),
    },
    {
      name: 'truncated archive',
      reason: /not a complete ZIP archive/,
      make: () => {
        const whole = raw(full);
        return whole.subarray(0, Math.floor(whole.length * 0.6));
      },
    },
    {
      name: 'file not in the manifest',
      reason: /holds notes\.txt, which the signed manifest does not list/,
      make: () => tampered(full, (e) => e.set('notes.txt', Buffer.from('added later')), false),
    },
    {
      name: 'manifest edited after signing',
      reason: /^manifest\.sig is not a valid signature of manifest\.json/,
      make: () => tampered(full, (e) => e.set('manifest.json', Buffer.from(e.get('manifest.json')!.toString('utf8').replace('"created_by": "admin"', '"created_by": "someone.else"'))), false),
    },
    {
      name: 'signed by another key',
      reason: /^manifest\.sig is not a valid signature of manifest\.json by the key in public-key\.pem/,
      make: () => {
        const other = loadSigningKey(generateSigningKey());
        return tampered(full, (e) => e.set('manifest.sig', signBytes(other, e.get('manifest.json')!)), false);
      },
    },
    {
      name: 'another key in public-key.pem',
      reason: /^public-key\.pem holds the key .+, not the key .+ that the manifest names\.$/,
      make: async () => {
        const other = loadSigningKey(generateSigningKey());
        const e = new Map(full);
        e.set('public-key.pem', Buffer.from(other.publicKeyPem));
        resign(e, other);
        const path = zipPath('other-key');
        await writeEntries(path, e);
        return path;
      },
    },
    {
      name: 'an event edited',
      reason: /^Event 7 does not match its hash: a field was changed after it was written\.$/,
      make: () => tampered(full, (e) => editEvents(e, (ev) => void (ev[6]!.actor = 'nobody')), true),
    },
    {
      name: 'events that do not chain',
      reason: /^Event 8 does not link to event 7: the chain was cut or rewritten here\.$/,
      make: () =>
        tampered(
          full,
          (e) =>
            editEvents(e, (ev) => {
              ev[6]!.resource_id = 'S-9999';
              ev[6]!.hash = eventHash(ev[6]!);
            }),
          true,
        ),
    },
    {
      name: 'an event removed from a complete bundle',
      reason: /^Event 10 is missing from a bundle that claims to hold every event\.$/,
      make: () => tampered(full, (e) => editEvents(e, (ev) => void ev.splice(9, 1)), true),
    },
    {
      name: 'a proof that does not match',
      reason: /^The inclusion proof of event \d+ does not lead to the signed root/,
      make: () =>
        tampered(
          subset,
          (e) => {
            const lines = e.get('proofs.json')!.toString('utf8').split('\n');
            lines[3] = lines[3]!.replace(/"path":\["([0-9a-f])/, (_m, c: string) => `"path":["${c === '0' ? '1' : '0'}`);
            e.set('proofs.json', Buffer.from(lines.join('\n')));
          },
          true,
        ),
    },
    {
      name: 'a selection without proofs',
      reason: /holds a selection of events but no proofs\.json/,
      make: () => tampered(subset, (e) => e.delete('proofs.json'), true),
    },
    {
      name: 'not a ZIP at all',
      reason: /it is not a ZIP file at all/,
      make: () => Buffer.from('MZ\u0090\u0000 this is an executable, not a bundle'),
    },
  ];

  for (const c of cases) {
    it(`rejects ${c.name} with a clear reason and leaves the workspace unchanged but for one ledger event`, async () => {
      const path = await hostile(c.name, c.make);
      const before = snapshot(target);
      const r = await importInto(target, path);
      expect(r.accepted).toBe(false);
      expect(r.import).toBeNull();
      expect(r.reason).toMatch(c.reason);
      expect(r.reason).toMatch(/\.$/);
      expect(r.report.valid).toBe(false);
      expectOnlyRejectionRecorded(target, before, c.reason);
      expect(readdirSync(join(target.dir, 'exports'))).toEqual([]);
    });
  }

  it('lists the rejected imports with their reasons, and only the verified import', async () => {
    const list = await target.call<ResponseOf<'imports.list'>>('imports.list', {}, target.admin);
    expect(list.items).toHaveLength(1);
    // The list shows the 20 most recent rejections.
    expect(list.rejected.length).toBe(Math.min(cases.length, 20));
    expect(list.rejected[0]).toMatchObject({ actor: ADMIN, reason: expect.stringMatching(cases.at(-1)!.reason) });
    expect(list.rejected.every((r) => r.fileName?.endsWith('.zip'))).toBe(true);
  });

  it('custos verify reports every problem of a tampered bundle and exits 1', async () => {
    const path = await tampered(full, (e) => editEvents(e, (ev) => void (ev[6]!.actor = 'nobody')), true);
    const r = spawnSync(process.execPath, [resolve('bin/custos.js'), 'verify', path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\s+7 {2}hash-mismatch\s+Event 7 does not match its hash/m);
    expect(r.stdout).toMatch(/root-mismatch/);
    expect(r.stdout).toMatch(/^INVALID: 2 problems in the bundle of workspace "District Records"/m);
  });

  it('custos verify of hostile content (deep nesting, duplicate keys, lone surrogates) prints its report and exits 1, never a stack overflow', async () => {
    const hostileCases: [() => Promise<string>, RegExp][] = [
      [() => rewrittenEvent7({ detailsText: `{"deep":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}` }), /malformed\s+Line 7 of events\.ndjson \(event 7\): details\.deep(\.0)+ nests objects and lists more than 64 levels deep\./],
      [() => signedManifest((m) => m.replace(/"filters": \{[^}]*\}/, `"filters": {"x": ${'{"y":'.repeat(DEEP)}1${'}'.repeat(DEEP)}}`)), /malformed\s+manifest\.json nests objects and lists more than 64 levels deep at scope\.filters\.x(\.y)+\./],
      [() => signedManifest((m) => m.replace('"created_by": "admin"', '"created_by": "x",\n  "created_by": "admin"')), /malformed\s+manifest\.json has the field "created_by" twice in one object/],
      [() => rewrittenEvent7({ actor: '\ud800' }), /malformed\s+Line 7 of events\.ndjson \(event 7\): its actor is not well-formed Unicode text/],
    ];
    for (const [make, problem] of hostileCases) {
      const path = await make();
      const r = spawnSync(process.execPath, [resolve('bin/custos.js'), 'verify', path], { encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/Maximum call stack|RangeError/);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toMatch(problem);
      expect(r.stdout).toMatch(/^INVALID: /m);
    }
  });
});

describe('cancelling an import', () => {
  it('stops, keeps nothing of the bundle, and ledgers the cancel once', async () => {
    const big = await createTempWorkspace({ name: 'Large source' });
    seedEvents(big, 12_000);
    const b = await bundleOf(big);
    big.lock();
    const aud = await createTempWorkspace({ name: 'Cancel target' });
    const jobId = 'import-cancel-1';
    let staged = 0;
    const off = aud.app.onEvent((event, payload) => {
      const p = payload as { jobId: string; phase: string; done: number };
      if (event === 'job.progress' && p.jobId === jobId && p.done >= 5000 && staged === 0) {
        staged = (aud.app.ws.db.prepare('SELECT count(*) AS n FROM imported_events').get() as { n: number }).n;
        void aud.result('jobs.cancel', { jobId }, aud.admin);
      }
    });
    const before = snapshot(aud);
    const r = await aud.result('imports.run', { grant: await pathGrant(aud, aud.admin, 'bundle', b.path), jobId, trustFingerprint: b.fingerprint }, aud.admin);
    off();
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    // Events were being staged when the cancel came, and none of them stayed.
    expect(staged).toBeGreaterThan(0);
    const after = snapshot(aud);
    expect(after.tables).toEqual(before.tables);
    expect(after.events).toBe(before.events + 1);
    expect(aud.events().at(-1)).toMatchObject({ action: 'imports.run', outcome: 'failure', details: { code: 'cancelled' } });
    expect((aud.app.ws.db.prepare('SELECT count(*) AS n FROM imported_events').get() as { n: number }).n).toBe(0);

    // When the ledger cannot record the verdict, the staged events go too.
    aud.app.ws.db.exec(
      "CREATE TEMP TRIGGER refuse_import BEFORE INSERT ON main.events WHEN NEW.action = 'imports.run' AND NEW.outcome = 'success' BEGIN SELECT RAISE(ABORT, 'injected'); END",
    );
    const quiet = console.error;
    console.error = () => {};
    const grant = await pathGrant(aud, aud.admin, 'bundle', b.path);
    const refused = await aud.result('imports.run', { grant, trustFingerprint: b.fingerprint }, aud.admin).finally(() => (console.error = quiet));
    aud.app.ws.db.exec('DROP TRIGGER temp.refuse_import');
    expect(refused.ok).toBe(false);
    expect((aud.app.ws.db.prepare('SELECT count(*) AS n FROM imported_events').get() as { n: number }).n).toBe(0);
    expect((aud.app.ws.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n).toBe(0);

    // And a full import afterwards works.
    expect((await importInto(aud, b.path)).import?.events).toBe(b.events);
  });
});

describe('custos import', () => {
  it('imports a good bundle (exit 0) and refuses a hostile one with one sentence on stderr (exit 1)', async () => {
    expect(existsSync(resolve('dist/electron/cli.js')), 'run `npm run build:node` before the tests').toBe(true);
    const env = { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE };
    const custos = (...args: string[]) => spawnSync(process.execPath, [resolve('bin/custos.js'), ...args], { encoding: 'utf8', env });
    const aud = await createTempWorkspace({ name: 'CLI auditor' });
    aud.lock();
    const good = await bundleOf(src, { actor: 'maria.chen' });
    // The first bundle of a workspace: the fingerprint to compare, and nothing imported until it is confirmed.
    const asked = custos('import', aud.dir, good.path);
    expect(asked.status).toBe(1);
    expect(asked.stderr).toContain(`fingerprint: ${good.fingerprint}`);
    expect(asked.stderr).toContain('Compare this fingerprint with the sender out of band before you trust it');
    const ok = custos('import', aud.dir, good.path, '--trust-fingerprint', good.fingerprint);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^VALID: bundle of workspace "District Records"/m);
    expect(ok.stdout).toMatch(new RegExp(`^Imported ${good.events} events from workspace "District Records" \\(${src.workspaceId}\\) as import 1\\.$`, 'm'));
    expect(ok.stdout).toContain('pinned now');

    const e = await readEntries(good.path);
    e.set('notes.txt', Buffer.from('smuggled'));
    const bad = zipPath('cli-bad');
    await writeEntries(bad, e);
    const refused = custos('import', aud.dir, bad);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/file-mismatch\s+The bundle holds notes\.txt, which the signed manifest does not list/);
    expect(refused.stderr).toBe('custos: The bundle holds notes.txt, which the signed manifest does not list: it was added after signing.\n');
  });
});
