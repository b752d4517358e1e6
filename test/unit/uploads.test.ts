import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, type ChannelName } from '../../shared/contract.js';
import type { Evidence } from '../../shared/contract/evidence.js';
import { startLoopbackServer, type LoopbackServer } from '../../electron/server.js';
import { openRequest, rawRequest, socketPost, type Reply } from './helpers/http.js';
import { pathGrant } from './helpers/grants.js';
import { makeBundle } from './helpers/outputs.js';
import { createTempWorkspace, removeTempDirs, tempDir, waitFor, type TempWorkspace } from './helpers/workspace.js';

// Issue: "No session names a server file". Files come in as uploaded bytes or by a one-time grant
// the desktop shell issues from its own dialog; no channel takes a filesystem path from a session.
// Driven through a real loopback host (electron/server.ts) over HTTP on a real encrypted workspace.

let t: TempWorkspace;
let server: LoopbackServer;
let officer: string;
let officer2: string;
let auditor: string;
let viewer: string;

beforeAll(async () => {
  t = await createTempWorkspace({ name: 'Uploads' });
  server = await startLoopbackServer(t.app, t.dispatch, { rendererDir: tempDir('custos-renderer-') });
  officer = await t.addUser('olga.officer', 'compliance_officer');
  officer2 = await t.addUser('otto.officer', 'compliance_officer');
  auditor = await t.addUser('ari.auditor', 'auditor');
  viewer = await t.addUser('vic.viewer', 'viewer');
});

// Each test starts with no grant pending, so what it finds in the uploads folder is its own.
beforeEach(() => t.app.fileGrants.clear());

afterAll(async () => {
  await server.close();
  t.app.shutdown();
  removeTempDirs();
});

/** A raw HTTP request to the host (the path is sent exactly as given). */
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> => rawRequest(server.port, method, path, headers, body);

const auth = (session?: string): Record<string, string> => ({ authorization: `Bearer ${server.token}`, ...(session ? { 'x-custos-session': session } : {}) });

function api(channel: string, input: unknown, session?: string): Promise<Reply> {
  return send('POST', `/api/${channel}`, { ...auth(session), 'content-type': 'application/json' }, JSON.stringify(input));
}

async function upload(purpose: string, name: string, body: Buffer, session: string): Promise<Reply> {
  return send('POST', `/api/upload?purpose=${purpose}&name=${encodeURIComponent(name)}`, { ...auth(session), 'content-type': 'application/octet-stream' }, body);
}

async function grantOf(purpose: string, name: string, body: Buffer, session: string): Promise<string> {
  const r = await upload(purpose, name, body, session);
  expect(r.status, r.text).toBe(200);
  return (r.json as { value: { grant: string } }).value.grant;
}

/** An upload whose body is sent in pieces (chunked, no length), so the test can look at the disk mid-way. */
function openUpload(purpose: string, name: string, session: string): { req: ClientRequest; done: Promise<Reply> } {
  return openRequest(server.port, 'POST', `/api/upload?purpose=${purpose}&name=${encodeURIComponent(name)}`, auth(session));
}

const uploadsDir = () => join(t.dir, 'uploads');
const uploadsLeft = () => (existsSync(uploadsDir()) ? readdirSync(uploadsDir()) : []);
const lastEvent = (action: string) => t.lastEvent(action);
const evidenceCount = () => (t.app.ws.db.prepare('SELECT count(*) AS n FROM evidence').get() as { n: number }).n;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

// ---------- the contract ----------

/**
 * Request fields of the output side, owned by other fixes of the same issue (outputs: bundles.create,
 * evidence.export, disclosures.accountingReport, subpoena production; exports: exports.execute) and
 * files.download, whose path is confined to the workspace's exports folder. Tolerated while present;
 * delete this list once those fixes are merged.
 */
// files.download names a file of the workspace's own exports folder (a name Custos chose), checked to stay inside it.
const OUTPUT_SIDE = new Set(['files.download.path']);
const PATH_LIKE = /^(path|paths|file|files|filePath|fileName?s?Path|dir|dirs|directory|folder|out|outDir|outPath|destPath|destination|target|source(Path|File))$|(Path|Dir|Folder|File)$/;

type JsonSchema = { type?: string | string[]; enum?: unknown[]; const?: unknown; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; minimum?: number };

function requestSchema(channel: ChannelName): JsonSchema {
  return z.toJSONSchema(contract[channel].request, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Dotted names of every string-valued field (enums excluded: a fixed word is not a path). */
function stringFields(schema: JsonSchema, prefix: string, out: string[]): string[] {
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) stringFields(alt, prefix, out);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const isEnum = sub.enum !== undefined || sub.const !== undefined;
    const types = Array.isArray(sub.type) ? sub.type : [sub.type];
    if (!isEnum && (types.includes('string') || sub.type === undefined)) out.push(`${prefix}.${name}`);
    stringFields(sub, `${prefix}.${name}`, out);
    if (sub.items) stringFields(sub.items, `${prefix}.${name}[]`, out);
  }
  return out;
}

/** A request with `probe` in every string field and harmless values elsewhere. */
function fill(schema: JsonSchema, probe: string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alt = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (alt) return fill(alt, probe);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || schema.properties) return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fill(v, probe)]));
  if (type === 'array') return schema.items ? [fill(schema.items, probe)] : [];
  if (type === 'number' || type === 'integer') return schema.minimum ?? 1;
  if (type === 'boolean') return false;
  return probe;
}

/**
 * Requests to try: every field filled; only the required ones; and the required ones plus each
 * optional field alone (so one bad optional field does not hide what another would do).
 */
function variants(schema: JsonSchema, probe: string): unknown[] {
  const full = fill(schema, probe) as Record<string, unknown>;
  if (typeof full !== 'object' || full === null) return [full];
  const required = Object.fromEntries(Object.entries(full).filter(([k]) => schema.required?.includes(k)));
  const optional = Object.keys(full).filter((k) => !schema.required?.includes(k));
  return [full, required, ...optional.map((k) => ({ ...required, [k]: full[k] }))];
}

describe('no channel takes a filesystem path from a session', () => {
  it('no request field is named like a path (output-side fields of other fixes aside), and the input channels take a grant', () => {
    const found: string[] = [];
    for (const channel of Object.keys(contract) as ChannelName[]) {
      for (const field of stringFields(requestSchema(channel), channel, [])) {
        const last = field.split('.').pop()!.replace('[]', '');
        if (PATH_LIKE.test(last) && !OUTPUT_SIDE.has(field)) found.push(field);
      }
    }
    expect(found).toEqual([]);
    for (const channel of ['evidence.ingestFile', 'bundles.verify', 'imports.run'] as const) {
      expect(Object.keys(requestSchema(channel).properties ?? {}), channel).toContain('grant');
    }
  });

  it('hostile paths in every string field of every channel read nothing and write nothing outside the workspace', async () => {
    const outside = tempDir('custos-outside-');
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    const environ = readFileSync('/proc/self/environ', 'latin1').split('\0').find((v) => v.startsWith('PATH='))!;
    const keyslots = `/proc/self/root${t.dir}/keyslots.json`;
    const probes = ['/proc/self/environ', '/etc/passwd', keyslots, join(outside, 'written.zip')];
    // evidence.ingestContent stores the probe text itself (it is valid base64): only the probed files' contents matter.
    const secrets = new Set([readFileSync('/etc/passwd'), readFileSync('/proc/self/environ'), readFileSync(join(t.dir, 'keyslots.json'))].map(sha));
    // These would end the test's own sessions, or (a wrong current passphrase counts towards lockout) lock the admin out.
    const skip = new Set(['session.lock', 'session.logout', 'workspace.init', 'users.changePassphrase']);
    for (const channel of Object.keys(contract) as ChannelName[]) {
      if (skip.has(channel)) continue;
      for (const probe of probes) {
        for (const input of variants(requestSchema(channel), probe)) {
          const r = await api(channel, input, t.admin);
          expect(r.status, `${channel} ${JSON.stringify(input)}`).toBeLessThan(500);
          expect(r.text.includes(passwd), `${channel} returned /etc/passwd`).toBe(false);
          expect(r.text.includes(environ), `${channel} returned the environment`).toBe(false);
          expect(r.text.includes('"slots"'), `${channel} returned keyslots.json`).toBe(false);
        }
      }
    }
    expect(readdirSync(outside)).toEqual([]);
    const stored = (t.app.ws.db.prepare('SELECT sha256 FROM evidence').all() as { sha256: string }[]).map((r) => r.sha256);
    expect(stored.filter((h) => secrets.has(h))).toEqual([]);
    expect(t.app.ws.db.prepare('SELECT * FROM imports').all()).toEqual([]);
    expect(t.app.unlocked).toBe(true);
  }, 300_000);
});

// ---------- grants ----------

describe('file grants', () => {
  const meta = { title: 'Letter', source: 'Front office scanner' };

  it('an upload becomes evidence through its grant once; a second use is refused and ledgered', async () => {
    const bytes = Buffer.from(`Dear registrar, ${randomBytes(8).toString('hex')}\n`);
    const grant = await grantOf('evidence', 'letter.txt', bytes, officer);
    const r = await api('evidence.ingestFile', { grant, ...meta }, officer);
    const ev = (r.json as { ok: true; value: { evidence: Evidence } }).value.evidence;
    expect(ev).toMatchObject({ originalName: 'letter.txt', sha256: sha(bytes), sizeBytes: bytes.length });
    expect(uploadsLeft()).toEqual([]);
    const count = evidenceCount();
    const size = t.eventCount();
    const again = await api('evidence.ingestFile', { grant, ...meta }, officer);
    expect(again.json).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/already used|expired/) } });
    expect(evidenceCount()).toBe(count);
    expect(t.eventCount()).toBe(size + 1);
    expect(lastEvent('evidence.ingestFile')).toMatchObject({ actor: 'olga.officer', outcome: 'failure', details: { code: 'not_found' } });
  });

  it('refuses a grant for another session (denied, and the owner can still use it) or for another purpose', async () => {
    const bytes = Buffer.from('minutes of the meeting');
    const grant = await grantOf('evidence', 'minutes.txt', bytes, officer);
    const count = evidenceCount();
    const size = t.eventCount();
    const stolen = await api('evidence.ingestFile', { grant, ...meta }, officer2);
    expect(stolen.json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(t.eventCount()).toBe(size + 1);
    expect(lastEvent('evidence.ingestFile')).toMatchObject({ actor: 'otto.officer', outcome: 'denied' });
    expect(evidenceCount()).toBe(count);
    expect((await api('evidence.ingestFile', { grant, ...meta }, officer)).json).toMatchObject({ ok: true });

    const bundleGrant = await grantOf('bundle', 'minutes.zip', bytes, officer);
    const wrong = await api('evidence.ingestFile', { grant: bundleGrant, ...meta }, officer);
    expect(wrong.json).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/chosen for verifying or importing a bundle/) } });
    expect(lastEvent('evidence.ingestFile')).toMatchObject({ outcome: 'failure', details: { code: 'validation' } });
    // An auditor may not hand over evidence at all.
    expect((await upload('evidence', 'x.zip', bytes, auditor)).status).toBe(403);
  });

  it('an unused grant expires: its upload is removed and it is refused', async () => {
    const ttl = t.app.fileGrants.ttlMs;
    t.app.fileGrants.ttlMs = 50;
    let grant: string;
    try {
      grant = await grantOf('evidence', 'slow.txt', Buffer.from('waited too long'), officer);
    } finally {
      t.app.fileGrants.ttlMs = ttl;
    }
    expect(uploadsLeft().length).toBe(1);
    await waitFor(() => uploadsLeft().length === 0, 5_000, 'the expired upload to be removed');
    const r = await api('evidence.ingestFile', { grant, ...meta }, officer);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('pending uploads are removed at lock, and grants do not survive it', async () => {
    const grant = await grantOf('bundle', 'pending.zip', randomBytes(5000), auditor);
    expect(uploadsLeft().length).toBe(1);
    t.lock();
    expect(uploadsLeft()).toEqual([]);
    t.admin = await t.login();
    officer = await t.login('olga.officer');
    officer2 = await t.login('otto.officer');
    auditor = await t.login('ari.auditor');
    viewer = await t.login('vic.viewer');
    expect((await api('bundles.verify', { grant }, auditor)).json).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a lock stops an upload that is still coming, and keeps nothing of it', async () => {
    const { req, done } = openUpload('evidence', 'long.bin', officer);
    req.write(randomBytes(200 * 1024));
    await waitFor(() => uploadsLeft().length === 1, 10_000, 'the upload to start');
    t.lock();
    req.write(randomBytes(1024));
    const r = await done;
    expect(r.json).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(uploadsLeft()).toEqual([]);
    req.destroy();
    t.admin = await t.login();
    officer = await t.login('olga.officer');
    officer2 = await t.login('otto.officer');
    auditor = await t.login('ari.auditor');
    viewer = await t.login('vic.viewer');
  });

  it('a bundle uploaded by an auditor is verified through its grant, and nothing of it stays', async () => {
    const other = await createTempWorkspace({ name: 'Source' });
    const { path } = await makeBundle(other, {}, other.admin);
    other.lock();
    const grant = await grantOf('bundle', 'from-source.zip', readFileSync(path), auditor);
    const r = await api('bundles.verify', { grant }, auditor);
    expect(r.json).toMatchObject({ ok: true, value: { report: { valid: true }, bundle: { workspaceName: 'Source' } } });
    expect(lastEvent('bundles.verify')).toMatchObject({ actor: 'ari.auditor', outcome: 'success', details: { file_name: 'from-source.zip' } });
    expect(uploadsLeft()).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')('reads an uploaded bundle in memory: no plaintext file, named or unlinked, is open while it is verified', async () => {
    const other = await createTempWorkspace({ name: 'Source' });
    const { path } = await makeBundle(other, {}, other.admin);
    other.lock();
    const grant = await grantOf('bundle', 'in-memory.zip', readFileSync(path), auditor);
    // While the verify runs (at each of its progress reports), every file this process holds open
    // inside the workspace must be one it keeps anyway: the database, its WAL, the lock, or a sealed upload.
    const seen: string[] = [];
    const off = t.app.onEvent((event) => {
      if (event !== 'job.progress') return;
      for (const fd of readdirSync('/proc/self/fd')) {
        let target = '';
        try {
          target = readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          continue;
        }
        if (target.startsWith(t.dir)) seen.push(target);
      }
    });
    try {
      const r = await api('bundles.verify', { grant }, auditor);
      expect(r.json).toMatchObject({ ok: true, value: { report: { valid: true } } });
    } finally {
      off();
    }
    expect(seen.length, 'the verify reported progress while it read').toBeGreaterThan(0);
    expect(seen.filter((f) => f.endsWith('(deleted)') || !/\/(custos\.db(-wal|-shm)?|custos\.lock)$|\/uploads?\/[^/]+$/.test(f))).toEqual([]);
    expect(seen.filter((f) => /\.open|\.zip$/.test(f))).toEqual([]);
  });
});

// ---------- path grants (desktop open dialog, CLI) ----------

describe('path grants', () => {
  it('accept only regular files outside the kernel views and the workspace, resolved with realpath', async () => {
    const dir = tempDir('custos-paths-');
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const toEnviron = join(dir, 'innocent.txt');
    symlinkSync('/proc/self/environ', toEnviron);
    const inside = join(t.dir, 'keyslots.json');
    const cases: [string, string][] = [
      [fifo, 'validation'],
      ['/dev/zero', 'forbidden'],
      [dir, 'validation'],
      ['/proc/self/environ', 'forbidden'],
      [`/proc/self/root${inside}`, 'forbidden'],
      [toEnviron, 'forbidden'],
      [inside, 'forbidden'],
      [join(dir, 'missing.txt'), 'not_found'],
      ['relative/file.txt', 'validation'],
    ];
    for (const [path, code] of cases) {
      await expect(t.app.fileGrants.grantPath(officer, 'evidence', path, t.dir), path).rejects.toMatchObject({ code });
    }
    // A file the workspace wrote to its exports folder may be chosen as a bundle, never as evidence.
    mkdirSync(join(t.dir, 'exports'), { recursive: true });
    const exported = join(t.dir, 'exports', 'mine.zip');
    writeFileSync(exported, 'zip');
    await expect(t.app.fileGrants.grantPath(officer, 'evidence', exported, t.dir)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.app.fileGrants.grantPath(officer, 'bundle', exported, t.dir)).resolves.toMatchObject({ fileName: 'mine.zip', bytes: 3 });
    const ok = join(dir, 'scan.txt');
    writeFileSync(ok, 'a scan');
    await expect(t.app.fileGrants.grantPath(officer, 'evidence', ok, t.dir)).resolves.toMatchObject({ fileName: 'scan.txt', bytes: 6 });
  });

  it('refuses a file swapped for another after it was chosen', async () => {
    const dir = tempDir('custos-swap-');
    const path = join(dir, 'report.txt');
    writeFileSync(path, 'the original');
    const grant = await pathGrant(t, officer, 'evidence', path);
    writeFileSync(join(dir, 'other.txt'), 'something else');
    renameSync(join(dir, 'other.txt'), path);
    const r = await api('evidence.ingestFile', { grant, title: 'Report', source: 'Desk' }, officer);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/replaced after it was chosen/) } });
  });

  it('files.pick issues a grant only through the host’s own dialog; the loopback host has none', async () => {
    expect((await api('files.pick', { purpose: 'evidence' }, officer)).json).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const dir = tempDir('custos-pick-');
    const chosen = join(dir, 'chosen.txt');
    writeFileSync(chosen, 'picked in the dialog');
    t.app.pickFile = async () => chosen;
    try {
      const r = await api('files.pick', { purpose: 'evidence' }, officer);
      const picked = (r.json as { value: { picked: { grant: string; fileName: string } } }).value.picked;
      expect(picked).toMatchObject({ fileName: 'chosen.txt', bytes: 20 });
      const ingested = await api('evidence.ingestFile', { grant: picked.grant, title: 'Picked', source: 'Desk' }, officer);
      expect(ingested.json).toMatchObject({ ok: true, value: { evidence: { originalName: 'chosen.txt', sha256: sha(Buffer.from('picked in the dialog')) } } });
      t.app.pickFile = async () => '/proc/self/environ';
      expect((await api('files.pick', { purpose: 'evidence' }, officer)).json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await api('files.pick', { purpose: 'evidence' }, viewer)).json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await api('files.pick', { purpose: 'evidence' }, auditor)).json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(lastEvent('files.pick')).toMatchObject({ actor: 'ari.auditor', outcome: 'denied' });
      t.app.pickFile = async () => null;
      expect((await api('files.pick', { purpose: 'bundle' }, auditor)).json).toMatchObject({ ok: true, value: { picked: null } });
    } finally {
      t.app.pickFile = null;
    }
  });
});

// ---------- the upload endpoint ----------

describe('POST /api/upload', () => {
  it('refuses a body over the purpose’s limit with 413, declared or streamed, and keeps nothing', async () => {
    const max = t.app.fileGrants.maxBytes.evidence;
    t.app.fileGrants.maxBytes.evidence = 64 * 1024;
    try {
      expect((await socketPost(server.port, '/api/upload?purpose=evidence&name=big.bin', auth(officer), Buffer.alloc(1024), { declared: 64 * 1024 + 1 })).status).toBe(413);
      const { req, done } = openUpload('evidence', 'big.bin', officer);
      for (let i = 0; i < 20; i++) req.write(randomBytes(8 * 1024));
      req.end();
      const r = await done;
      expect(r.status).toBe(413);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/larger than/) } });
      // Exactly at the limit is fine.
      await grantOf('evidence', 'fits.bin', randomBytes(64 * 1024), officer);
    } finally {
      t.app.fileGrants.maxBytes.evidence = max;
    }
    t.app.fileGrants.clear();
    expect(uploadsLeft()).toEqual([]);
  });

  it('keeps a pending upload encrypted: no plaintext of it appears in the workspace while it streams or waits', async () => {
    const marker = Buffer.from(`UPLOAD-MARKER-${randomBytes(12).toString('hex')}-`);
    const piece = Buffer.concat(Array.from({ length: 2048 }, () => marker));
    const { req, done } = openUpload('evidence', 'secret.txt', officer);
    req.write(piece);
    req.write(piece);
    // Sealed chunks reach the disk while the body is still coming (the last one waits for the end).
    await waitFor(() => uploadsLeft().some((f) => readFileSync(join(uploadsDir(), f)).length > 64 * 1024), 10_000, 'the upload to reach the disk');
    const hits = () => filesUnder(t.dir).filter((f) => readFileSync(f).includes(marker));
    expect(hits()).toEqual([]);
    req.end(piece);
    const r = await done;
    expect(r.status).toBe(200);
    expect(hits()).toEqual([]);
    const grant = (r.json as { value: { grant: string; bytes: number } }).value;
    expect(grant.bytes).toBe(piece.length * 3);
    const ingested = await api('evidence.ingestFile', { grant: grant.grant, title: 'Secret', source: 'Upload' }, officer);
    const ev = (ingested.json as { value: { evidence: Evidence } }).value.evidence;
    expect(ev.sha256).toBe(sha(Buffer.concat([piece, piece, piece])));
    expect(hits()).toEqual([]);
    expect(uploadsLeft()).toEqual([]);
  });

  it('holds at most eight unused grants per session', async () => {
    for (let i = 0; i < 8; i++) await grantOf('evidence', `f${i}.txt`, Buffer.from(`file ${i}`), officer);
    const r = await upload('evidence', 'ninth.txt', Buffer.from('one too many'), officer);
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(uploadsLeft().length).toBe(8);
    // Another session is not held back by it.
    await grantOf('evidence', 'other.txt', Buffer.from('fine'), officer2);
  });

  it('needs a session with a role that may use the file, and a purpose', async () => {
    const size = t.eventCount();
    const denied = await upload('evidence', 'x.txt', Buffer.from('x'), viewer);
    expect(denied.status).toBe(403);
    expect(t.eventCount()).toBe(size + 1);
    expect(lastEvent('files.upload')).toMatchObject({ actor: 'vic.viewer', outcome: 'denied' });
    expect((await upload('evidence', 'x.txt', Buffer.from('x'), 'x'.repeat(43))).status).toBe(401);
    expect((await send('POST', '/api/upload?purpose=evidence&name=x', auth(), 'x')).status).toBe(401);
    expect((await upload('passwords', 'x.txt', Buffer.from('x'), officer)).status).toBe(400);
    expect((await upload('evidence', 'n'.repeat(300), Buffer.from('x'), officer)).status).toBe(400);
    expect(uploadsLeft()).toEqual([]);
  });
});

// ---------- the loopback host ----------

describe('the loopback host', () => {
  it('takes the token from the query string only for the event stream and downloads', async () => {
    const q = `token=${encodeURIComponent(server.token)}`;
    expect((await send('POST', `/api/session.me?${q}`, { 'x-custos-session': officer, 'content-type': 'application/json' }, '{}')).status).toBe(401);
    expect((await send('GET', `/api/contract?${q}`)).status).toBe(401);
    expect((await send('POST', `/api/upload?purpose=evidence&name=x&${q}`, { 'x-custos-session': officer }, 'x')).status).toBe(401);
    // The same calls with the token in the header work.
    expect((await api('session.me', {}, officer)).json).toMatchObject({ ok: true });
    // A download link carries it in the query (and says the ticket is unknown, not that the token is missing).
    expect((await send('GET', `/api/download/nope?${q}`)).status).toBe(404);
  });

  it('streams events only to a live session', async () => {
    const q = `token=${encodeURIComponent(server.token)}`;
    expect((await send('GET', `/api/events?${q}`)).status).toBe(401);
    expect((await send('GET', `/api/events?${q}&session=${'x'.repeat(43)}`)).status).toBe(401);
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.port}/api/events?${q}&session=${encodeURIComponent(officer)}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    controller.abort();
  });

  it('answers a malformed URL with 400, not 500', async () => {
    expect((await send('GET', '/%E0%A4%A')).status).toBe(400);
    expect((await send('GET', '/api/%E0%A4%A', auth(officer))).status).toBe(400);
    expect((await send('GET', '/api/download/%E0%A4%A', auth(officer))).status).toBe(400);
  });
});
