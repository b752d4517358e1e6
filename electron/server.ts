import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { contract, isChannelName } from '../shared/contract.js';
import { maxBodyOf } from '../shared/contract/define.js';
import { GRANT_PURPOSES, type GrantPurpose } from '../shared/contract/files.js';
import type { User } from '../shared/contract/core.js';
import type { CustosApp, Session } from './core/app.js';
import { CustosError } from './core/errors.js';
import { mayUseFiles } from './core/files/grants.js';
import { inputAgoMs, type Dispatch } from './core/dispatch.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { contentDisposition } from './core/files/downloads.js';

export interface LoopbackServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The longest file name an upload may carry. */
const MAX_NAME = 255;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/** How the session list names a loopback caller: a browser, or the script's own product token (curl/8.5.0, node). */
function clientLabel(req: IncomingMessage): string {
  const agent = req.headers['user-agent'] ?? '';
  if (/\b(Chrome|Firefox|Safari)\//.test(agent)) return 'Loopback: browser';
  const product = agent.split(' ')[0]?.replace(/[^\x20-\x7e]/g, '').slice(0, 40);
  return `Loopback: ${product || 'script'}`;
}

/** A description of every channel, for scripts and auditors' tools (GET /api/contract). */
export function describeContract(): unknown {
  return {
    format: 'custos-contract/1',
    channels: Object.entries(contract).map(([name, def]) => {
      let request: unknown = null;
      let response: unknown = null;
      try {
        request = z.toJSONSchema(def.request, { io: 'input', unrepresentable: 'any' });
        response = z.toJSONSchema(def.response, { unrepresentable: 'any' });
      } catch {
        // A schema that JSON Schema cannot express is still listed by name.
      }
      const job = def.job ? { job: def.job } : {};
      return { name, access: def.access, mutates: def.mutates, ...job, maxBody: maxBodyOf(def), summary: def.summary, request, response };
    }),
  };
}

/**
 * The loopback host: the dispatch over HTTP on 127.0.0.1 only, plus the built renderer.
 * Every API call needs the per-run token; foreign Origins and Host names are refused.
 */
export async function startLoopbackServer(
  app: CustosApp,
  dispatch: Dispatch,
  opts: { port?: number; rendererDir: string; token?: string },
): Promise<LoopbackServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = opts.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  /** Event streams, each bound to the session that opened it; a stream ends with its session. */
  const sseClients = new Map<ServerResponse, string>();
  /** Uploads being received; a lock stops them, so no file outlives the lock that clears the others. */
  const uploading = new Set<AbortController>();
  const unsubscribe = app.onEvent((event, payload) => {
    if (event === 'session.locked') for (const u of uploading) u.abort('locked');
    const line = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const [c, session] of sseClients) {
      if (event !== 'session.locked' && !app.hasSession(session)) {
        sseClients.delete(c);
        c.end();
        continue;
      }
      c.write(line);
    }
  });

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'failure', message: 'The request could not be handled.' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS-rebinding guard: only our own host names reach the app.
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'This host name is not allowed.' } });
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Requests from other origins are refused.' } });
    }
    let url: URL;
    let pathname: string;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, { ok: false, error: { code: 'validation', message: 'The address is malformed.' } });
    }
    if (!pathname.startsWith('/api/')) return serveStatic(pathname, res);

    // The token rides in the query string only where the page cannot send a header (EventSource, a download link).
    const queryTokenAllowed = req.method === 'GET' && (pathname === '/api/events' || pathname.startsWith('/api/download/'));
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : queryTokenAllowed ? (url.searchParams.get('token') ?? '') : '';
    if (!sameSecret(given, token)) return send(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'The host token is missing or wrong; open the URL that `custos serve` printed.' } });

    if (req.method === 'GET' && pathname === '/api/contract') return send(res, 200, describeContract());
    if (req.method === 'GET' && pathname === '/api/events') {
      const header = req.headers['x-custos-session'];
      const session = typeof header === 'string' ? header : (url.searchParams.get('session') ?? undefined);
      if (!app.hasSession(session)) return send(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'Sign in before subscribing to events.' } });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.set(res, session as string);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method === 'GET' && pathname.startsWith('/api/download/')) return serveDownload(pathname.slice('/api/download/'.length), res);
    if (req.method === 'POST' && pathname === '/api/upload') return receiveUpload(req, res, url);
    const channel = pathname.slice('/api/'.length);
    if (req.method !== 'POST' || !isChannelName(channel)) {
      return send(res, 404, { ok: false, error: { code: 'not_found', message: `There is no channel named ${channel}.` } });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // Each channel declares its limit in the contract (files come in through /api/upload, not in JSON).
    const limit = maxBodyOf(contract[channel]);
    if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge(req, res, 'The request body is too large.');
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return tooLarge(req, res, 'The request body is too large.');
      chunks.push(chunk);
    }
    let input: unknown = {};
    if (size > 0) {
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 200, { ok: false, error: { code: 'validation', message: 'The request body is not valid JSON.' } });
      }
    }
    const session = req.headers['x-custos-session'];
    // A client that disconnects before its answer ends its job (an endless verify must not run on unseen).
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const result = await dispatch(channel, input, {
      sessionId: typeof session === 'string' ? session : undefined,
      signal: gone.signal,
      host: clientLabel(req),
      inputAgoMs: inputAgoMs(req.headers['x-custos-input-ago']),
    });
    if (gone.signal.aborted) return;
    send(res, 200, result);
  }

  /**
   * `POST /api/upload?purpose=evidence|bundle&name=…`: the raw body is one file, streamed sealed into
   * the workspace; the answer is a one-time grant for the session that sent it.
   */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const purpose = url.searchParams.get('purpose') ?? '';
    const name = url.searchParams.get('name') ?? 'upload';
    if (!(GRANT_PURPOSES as readonly string[]).includes(purpose) || name.length === 0 || name.length > MAX_NAME) {
      return refuseBody(req, res, 400, { code: 'validation', message: `Say what the file is for (purpose ${GRANT_PURPOSES.join(' or ')}) and give its name (at most ${MAX_NAME} characters).` });
    }
    const header = req.headers['x-custos-session'];
    let session: Session;
    let user: User;
    try {
      session = app.session(typeof header === 'string' ? header : undefined);
      user = app.sessionUser(session);
    } catch (err) {
      const code = err instanceof CustosError ? err.code : 'unauthenticated';
      return refuseBody(req, res, 401, { code, message: err instanceof CustosError ? err.message : 'Your session has ended; sign in again.' });
    }
    const p = purpose as GrantPurpose;
    if (user.disabled || !mayUseFiles(user.role, p)) {
      app.ws.record({ actor: user.username, action: 'files.upload', resource_type: 'channel', resource_id: 'files.upload', outcome: 'denied', details: { reason: 'role', role: user.role, purpose: p } });
      return refuseBody(req, res, 403, { code: 'forbidden', message: `Your role (${user.role}) may not upload files for this.` });
    }
    const max = app.fileGrants.maxBytes[p];
    if (Number(req.headers['content-length'] ?? 0) > max) return tooLarge(req, res, `The file is larger than the ${Math.floor(max / 1024 / 1024)} MiB allowed here.`);
    const gone = new AbortController();
    uploading.add(gone);
    req.on('close', () => {
      if (!req.complete) gone.abort();
    });
    try {
      const value = await app.fileGrants.grantUpload(session.id, p, name, req as AsyncIterable<Buffer>, { workspaceDir: app.ws.dir, signal: gone.signal });
      send(res, 200, { ok: true, value });
    } catch (err) {
      // Checked first: leaving the body unread destroys the request, which also looks like a caller that went away.
      if (err instanceof CustosError && err.details?.tooLarge) return tooLarge(req, res, err.message);
      if (gone.signal.reason === 'locked') return refuseBody(req, res, 401, { code: 'locked', message: 'The workspace locked during the upload; sign in and upload the file again.' });
      if (gone.signal.aborted) return void res.destroy();
      if (err instanceof CustosError) return refuseBody(req, res, err.code === 'rate_limited' ? 429 : 400, { code: err.code, message: err.message });
      throw err;
    } finally {
      uploading.delete(gone);
    }
  }

  /** Answers before the body was read, then closes the connection rather than read the rest of it. */
  function refuseBody(req: IncomingMessage, res: ServerResponse, status: number, error: { code: string; message: string }): void {
    res.setHeader('connection', 'close');
    res.on('finish', () => req.destroy());
    send(res, status, { ok: false, error });
  }

  function tooLarge(req: IncomingMessage, res: ServerResponse, message: string): void {
    refuseBody(req, res, 413, { code: 'validation', message });
  }

  /** Streams a file handed over by `files.download`: the ticket is single-use and short-lived. */
  function serveDownload(ticket: string, res: ServerResponse): void {
    const d = app.downloads.redeem(ticket);
    if (!d || !existsSync(d.path)) {
      return send(res, 404, { ok: false, error: { code: 'not_found', message: 'This download link has expired or was already used; ask for the file again.' } });
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(d.bytes),
      'content-disposition': contentDisposition(d.fileName),
      'x-content-sha256': d.sha256,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    createReadStream(d.path).pipe(res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = normalize(pathname).replace(/^([/\\])+/, '');
    let file = join(opts.rendererDir, rel);
    if (!file.startsWith(opts.rendererDir + sep) && file !== opts.rendererDir) {
      res.writeHead(404).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(opts.rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built; run `npm run build`.');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of sseClients.keys()) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
