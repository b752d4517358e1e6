import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract.js';
import { maxBodyOf } from '../../shared/contract/define.js';
import { rawRequest, socketPost, type Reply } from './helpers/http.js';
import { PASSPHRASE, removeTempDirs, tempDir, waitFor } from './helpers/workspace.js';

// The loopback host as `custos serve` runs it, driven over HTTP with the wire protocol of DESIGN §1.

const CLI = resolve('bin/custos.js');

let child: ChildProcessWithoutNullStreams;
let dir: string;
let base: string;
let port: number;
let token: string;
let stderr = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

/** A raw HTTP request (so Host and Origin can be set, and a refused upload still yields its answer). */
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> => rawRequest(port, method, path, headers, body);

function api(channel: string, input: unknown, opts: { session?: string; token?: string | null; origin?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const t = opts.token === undefined ? token : opts.token;
  if (t !== null) headers.authorization = `Bearer ${t}`;
  if (opts.session) headers['x-custos-session'] = opts.session;
  if (opts.origin) headers.origin = opts.origin;
  return send('POST', `/api/${channel}`, headers, JSON.stringify(input));
}

beforeAll(async () => {
  dir = join(tempDir('custos-serve-'), 'ws');
  child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], { env: { ...process.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', () => reject(new Error(`custos serve exited early: ${stderr}`)));
  });
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)$/.exec(first);
  if (!m) throw new Error(`The first line of stdout is not the URL: ${first}`);
  port = Number(m[1]);
  token = m[2]!;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  removeTempDirs();
});

describe('custos serve', () => {
  let session = '';

  it('prints the URL with its token on the first line and listens on 127.0.0.1 only', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(port).toBeGreaterThan(0);
    expect(token.length).toBeGreaterThanOrEqual(32);
    await waitFor(() => /127\.0\.0\.1 only/.test(stderr), 10_000, 'the notice on stderr');
  });

  it('refuses a missing or wrong host token with 401', async () => {
    for (const t of [null, '', 'wrong', `${token}x`, token.slice(1)]) {
      const r = await api('workspace.status', {}, { token: t });
      expect(r.status, String(t)).toBe(401);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    expect((await send('GET', '/api/contract')).status).toBe(401);
    expect((await send('GET', '/api/contract', { authorization: `Bearer wrong` })).status).toBe(401);
  });

  it('refuses a foreign Origin with 403, even with the right token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const r = await api('workspace.status', {}, { origin });
      expect(r.status, origin).toBe(403);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const same = await api('workspace.status', {}, { origin: base });
    expect(same.status).toBe(200);
  });

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    const r = await send('POST', '/api/workspace.status', { host: `evil.example:${port}`, authorization: `Bearer ${token}` }, '{}');
    expect(r.status).toBe(403);
  });

  it('answers an unknown channel with 404', async () => {
    for (const name of ['users.delete', 'nope', '__proto__', 'constructor']) {
      const r = await api(name, {});
      expect(r.status, name).toBe(404);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });

  it('answers a body over the channel’s declared limit with 413', async () => {
    const limit = maxBodyOf(contract['session.login']);
    const big = JSON.stringify({ username: 'x', passphrase: 'y'.repeat(limit + 10) });
    const r = await socketPost(port, '/api/session.login', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, Buffer.from(big, 'utf8'));
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'validation', message: 'The request body is too large.' } });
    // A body just under the limit is read (and refused by validation, with 200).
    const ok = await api('session.login', { username: 'x', passphrase: 'y'.repeat(limit - 100) });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('answers invalid JSON with a validation Result', async () => {
    const r = await send('POST', '/api/workspace.status', { authorization: `Bearer ${token}` }, '{not json');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('GET /api/contract lists every channel with its access and whether it mutates', async () => {
    const r = await send('GET', '/api/contract', { authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    const body = r.json as { channels: { name: string; access: unknown; mutates: boolean; summary: string; request: unknown }[] };
    const listed = new Map(body.channels.map((c) => [c.name, c]));
    expect([...listed.keys()].sort()).toEqual(Object.keys(contract).sort());
    for (const [name, def] of Object.entries(contract)) {
      const c = listed.get(name)!;
      expect(c.access, name).toEqual(def.access);
      expect(c.mutates, name).toBe(def.mutates);
      expect(c.summary.length, name).toBeGreaterThan(0);
    }
    expect(listed.get('users.create')!.request).toMatchObject({ type: 'object' });
  });

  it('creates the workspace over HTTP, signs in, and calls with X-Custos-Session', async () => {
    const status = await api('workspace.status', {});
    expect(status.json).toMatchObject({ ok: true, value: { state: 'uninitialized' } });
    const init = await api('workspace.init', { workspaceName: 'Served', username: 'admin', displayName: 'Admin', passphrase: PASSPHRASE });
    expect(init.json).toMatchObject({ ok: true, value: { recoveryKey: expect.any(String) } });
    const wrong = await api('session.login', { username: 'admin', passphrase: 'not the passphrase!' });
    expect(wrong.status).toBe(200);
    expect(wrong.json).toMatchObject({ ok: false, error: { code: 'wrong_credentials', message: 'The username or passphrase is not correct.' } });
    const login = await api('session.login', { username: 'admin', passphrase: PASSPHRASE });
    expect(login.status).toBe(200);
    const value = (login.json as { ok: true; value: { session: string; user: { role: string } } }).value;
    expect(value.user.role).toBe('admin');
    session = value.session;
    const me = await api('session.me', {}, { session });
    expect(me.json).toMatchObject({ ok: true, value: { user: { username: 'admin' } } });
    const anonymous = await api('session.me', {});
    expect(anonymous.status).toBe(200);
    expect(anonymous.json).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const forged = await api('session.me', {}, { session: 'x'.repeat(43) });
    expect(forged.json).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const created = await api('users.create', { username: 'viewer.web', displayName: 'Web', role: 'viewer', passphrase: PASSPHRASE }, { session });
    expect(created.json).toMatchObject({ ok: true });
  });

  it('streams core events over SSE to a signed-in caller with the token, and to no one else', async () => {
    // Without a session, or with one that does not exist, there is no stream.
    expect((await fetch(`${base}/api/events?token=${token}`)).status).toBe(401);
    expect((await fetch(`${base}/api/events?token=${token}&session=${'x'.repeat(43)}`)).status).toBe(401);
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events?token=${token}&session=${encodeURIComponent(session)}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let seen = '';
    const got = (async () => {
      while (!seen.includes('event: job.progress')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += Buffer.from(value).toString('utf8');
      }
    })();
    const verify = await api('ledger.verify', { jobId: 'sse-test-1' }, { session });
    expect(verify.json).toMatchObject({ ok: true, value: { valid: true } });
    await got;
    controller.abort();
    expect(seen).toMatch(/event: job\.progress\ndata: \{"jobId":"sse-test-1"/);
    const refused = await fetch(`${base}/api/events?token=wrong&session=${encodeURIComponent(session)}`);
    expect(refused.status).toBe(401);
  });

  it('stops cleanly on SIGTERM (exit 0), and the workspace verifies afterwards', async () => {
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The shutdown locked the workspace with a checkpoint.
    const r = spawnSync(process.execPath, [CLI, 'verify', dir, '--json'], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { valid: boolean; problems: unknown[] };
    expect(report).toMatchObject({ valid: true, problems: [] });
    const events = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { createCore } = await import(${JSON.stringify(resolve('dist/electron/core/create-core.js'))});
         const { app } = createCore(${JSON.stringify(dir)});
         app.login('admin', ${JSON.stringify(PASSPHRASE)});
         const rows = app.ws.db.prepare("SELECT action, details FROM events WHERE action = 'workspace.lock'").all();
         console.log(JSON.stringify(rows));
         app.shutdown();`,
      ],
      { env: process.env, encoding: 'utf8' },
    );
    expect(events.status, events.stderr).toBe(0);
    // The serve shutdown and the CLI verify each locked with reason "closed".
    expect(JSON.parse(events.stdout)).toEqual([
      { action: 'workspace.lock', details: '{"reason":"closed"}' },
      { action: 'workspace.lock', details: '{"reason":"closed"}' },
    ]);
  });
});
