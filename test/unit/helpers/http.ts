import { connect } from 'node:net';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';

/** What the loopback host answered: status, headers, the raw body, and the body as text and as JSON (null when not JSON). */
export interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  text: string;
  json: unknown;
}

function collect(res: IncomingMessage, resolve: (r: Reply) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    const text = body.toString('utf8');
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
  });
}

/**
 * A raw HTTP request to a host on 127.0.0.1 (the path is sent exactly as given, Host and Origin can
 * be set). The host may cut an oversized body short once it has answered: EPIPE and ECONNRESET
 * after that are not errors.
 */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => collect(res, resolve));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    req.end(body);
  });
}

/** A request whose body the test writes itself, in pieces (chunked, no length); `done` settles with the answer (status 0 when the host hung up first). */
export function openRequest(port: number, method: string, path: string, headers: Record<string, string> = {}): { req: ClientRequest; done: Promise<Reply> } {
  let req!: ClientRequest;
  const done = new Promise<Reply>((resolve, reject) => {
    req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers, 'transfer-encoding': 'chunked' } }, (res) => collect(res, resolve));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') resolve({ status: 0, headers: {}, body: Buffer.alloc(0), text: '', json: null });
      else reject(err);
    });
  });
  return { req, done };
}

/**
 * A POST over a plain socket, for bodies the host refuses with 413 and closes on before they are
 * sent (node's HTTP client drops such an answer on EPIPE). Sends the head with `Content-Length:
 * declared` (default: the body's length), or chunked without a length (`chunked`: only counting the
 * bytes can stop it), or only the head and the first KiB (`headOnly`); then reads whatever comes
 * back until the socket closes.
 */
export function socketPost(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  opts: { declared?: number; chunked?: boolean; headOnly?: boolean } = {},
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      // The body may come chunked: the JSON object is what lies between the first { and the last }.
      const rest = text.slice(text.indexOf('\r\n\r\n') + 4);
      let json: unknown = null;
      try {
        json = JSON.parse(rest.slice(rest.indexOf('{'), rest.lastIndexOf('}') + 1));
      } catch {
        // not JSON
      }
      resolve({ status, json });
    });
    const length = opts.chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(opts.declared ?? body.length) };
    const head = Object.entries({ Host: `127.0.0.1:${port}`, ...headers, ...length, Connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
    if (opts.headOnly) return void socket.write(body.subarray(0, 1024));
    if (!opts.chunked) return void socket.end(body);
    for (let at = 0; at < body.length; at += 64 * 1024) {
      const piece = body.subarray(at, at + 64 * 1024);
      socket.write(`${piece.length.toString(16)}\r\n`);
      socket.write(piece);
      socket.write('\r\n');
    }
    socket.end('0\r\n\r\n');
  });
}
