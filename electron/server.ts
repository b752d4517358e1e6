import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { contract, isChannelName } from '../shared/contract.js';
import type { CustosApp } from './core/app.js';
import type { Dispatch } from './core/dispatch.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { contentDisposition } from './core/files/downloads.js';

export interface LoopbackServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** Channels that carry an uploaded bundle (base64, up to the contract's 8 MiB) get a larger body. */
const UPLOAD_CHANNELS: ReadonlySet<string> = new Set(['imports.run', 'bundles.verify']);
const MAX_UPLOAD_BODY = 12 * 1024 * 1024;
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
      return { name, access: def.access, mutates: def.mutates, summary: def.summary, request, response };
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
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = app.onEvent((event, payload) => {
    const line = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of sseClients) c.write(line);
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
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!url.pathname.startsWith('/api/')) return serveStatic(url.pathname, res);

    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : (url.searchParams.get('token') ?? '');
    if (!sameSecret(given, token)) return send(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'The host token is missing or wrong; open the URL that `custos serve` printed.' } });

    if (req.method === 'GET' && url.pathname === '/api/contract') return send(res, 200, describeContract());
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/api/download/')) return serveDownload(url.pathname.slice('/api/download/'.length), res);
    const channel = url.pathname.slice('/api/'.length);
    if (req.method !== 'POST' || !isChannelName(channel)) {
      return send(res, 404, { ok: false, error: { code: 'not_found', message: `There is no channel named ${channel}.` } });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = UPLOAD_CHANNELS.has(channel) ? MAX_UPLOAD_BODY : MAX_BODY;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        send(res, 413, { ok: false, error: { code: 'validation', message: 'The request body is too large.' } });
        req.destroy();
        return;
      }
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
    const result = await dispatch(channel, input, { sessionId: typeof session === 'string' ? session : undefined, signal: gone.signal });
    if (gone.signal.aborted) return;
    send(res, 200, result);
  }

  /** Streams a file handed over by `files.download`: the ticket is single-use and short-lived. */
  function serveDownload(ticket: string, res: ServerResponse): void {
    const d = app.downloads.redeem(decodeURIComponent(ticket));
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
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
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
        for (const c of sseClients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
