import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, type ChannelName } from '../../shared/contract.js';
import { DEFAULT_MAX_BODY, maxBodyOf } from '../../shared/contract/define.js';
import { describeContract, startLoopbackServer, type LoopbackServer } from '../../electron/server.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Issue 9 §4: how a channel runs (as a job) and how large its request may be are fields of its
// contract entry, read by the hosts; nothing in a host names a channel or sniffs its schema for them.

let t: TempWorkspace;
let server: LoopbackServer;

beforeAll(async () => {
  t = await createTempWorkspace();
  server = await startLoopbackServer(t.app, t.dispatch, { rendererDir: tempDir() });
});

afterAll(async () => {
  await server.close();
  removeTempDirs();
});

/** The top-level fields of a channel's request (every request of the contract is an object schema). */
function requestFields(name: ChannelName): string[] {
  const request: unknown = contract[name].request;
  expect(request && typeof request === 'object' && 'shape' in request, `${name}: the request is an object schema`).toBe(true);
  return Object.keys((request as { shape: object }).shape);
}

describe('the contract declares jobs and body limits', () => {
  it('every channel whose request carries a jobId declares `job`, and no other does', () => {
    const withJobId = CHANNEL_NAMES.filter((c) => requestFields(c).includes('jobId')).sort();
    const declared = CHANNEL_NAMES.filter((c) => contract[c].job !== undefined).sort();
    expect(declared).toEqual(withJobId);
    expect(withJobId.length).toBeGreaterThan(5);
  });

  it('a `long` job takes an optional jobId of the caller; a `cancels` channel requires the jobId it names', () => {
    for (const c of CHANNEL_NAMES) {
      const def = contract[c];
      if (!def.job) continue;
      const shape = (def.request as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
      const jobIdField = shape.jobId!;
      expect(jobIdField.safeParse(undefined).success, c).toBe(def.job === 'long');
      expect(jobIdField.safeParse('job-abcdef').success, c).toBe(true);
    }
    expect(contract['jobs.cancel'].job).toBe('cancels');
  });

  it('every declared body limit is a whole number of bytes; the channels open without a session are small', () => {
    for (const c of CHANNEL_NAMES) {
      const limit = maxBodyOf(contract[c]);
      expect(Number.isSafeInteger(limit) && limit > 0, c).toBe(true);
      if (contract[c].access === 'public') expect(limit, c).toBeLessThanOrEqual(64 * 1024);
    }
    expect(maxBodyOf(contract['cases.create'])).toBe(DEFAULT_MAX_BODY);
    // Base64 content at its limit does not fit the default.
    expect(maxBodyOf(contract['evidence.ingestContent'])).toBeGreaterThan(DEFAULT_MAX_BODY);
  });

  it('GET /api/contract tells scripts each channel’s body limit and job kind', () => {
    const described = describeContract() as { channels: { name: ChannelName; maxBody: number; job?: string }[] };
    for (const c of described.channels) {
      expect(c.maxBody, c.name).toBe(maxBodyOf(contract[c.name]));
      expect(c.job, c.name).toBe(contract[c.name].job);
    }
  });
});

interface Answer {
  status: number;
  json: { ok: boolean; error?: { code: string; message: string } } | null;
}

/**
 * A POST over a plain socket (the host may answer and close before the whole body is sent, which
 * node's HTTP client drops on EPIPE). `chunked` sends no length, so only counting the bytes can stop it.
 */
function post(channel: string, body: Buffer, opts: { session?: string; chunked?: boolean; headOnly?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const rest = text.slice(text.indexOf('\r\n\r\n') + 4);
      let json: Answer['json'] = null;
      try {
        json = JSON.parse(rest.slice(rest.indexOf('{'), rest.lastIndexOf('}') + 1)) as Answer['json'];
      } catch {
        // not JSON
      }
      resolve({ status, json });
    });
    const length = opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`;
    const session = opts.session ? `X-Custos-Session: ${opts.session}\r\n` : '';
    socket.write(
      `POST /api/${channel} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n${session}Content-Type: application/json\r\n${length}\r\nConnection: close\r\n\r\n`,
    );
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

/** A JSON body of exactly `bytes` bytes: `fields` with the last one's string value padded. */
function bodyOf(fields: Record<string, string>, pad: string, bytes: number): Buffer {
  const bare = Buffer.byteLength(JSON.stringify({ ...fields, [pad]: '' }));
  return Buffer.from(JSON.stringify({ ...fields, [pad]: 'a'.repeat(bytes - bare) }));
}

const TOO_LARGE = { ok: false, error: { code: 'validation', message: 'The request body is too large.' } };

describe('the loopback host applies each channel’s declared body limit', () => {
  const cases: { channel: ChannelName; fields: Record<string, string>; pad: string; signedIn: boolean }[] = [
    { channel: 'session.login', fields: { username: 'admin' }, pad: 'passphrase', signedIn: false },
    { channel: 'cases.create', fields: { type: 'other' }, pad: 'title', signedIn: true },
    { channel: 'evidence.ingestContent', fields: { fileName: 'a.txt', title: 't', source: 's' }, pad: 'contentBase64', signedIn: true },
  ];

  it.each(cases)('$channel: a body of exactly its limit is read (and judged by the schema); one byte more is refused with 413', async ({ channel, fields, pad, signedIn }) => {
    const limit = maxBodyOf(contract[channel]);
    const session = signedIn ? t.admin : undefined;
    const before = t.eventCount();
    const fits = await post(channel, bodyOf(fields, pad, limit), { session });
    expect(fits.status).toBe(200);
    expect(fits.json).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(fits.json?.error?.message).not.toBe(TOO_LARGE.error.message);

    for (const chunked of [false, true]) {
      const over = await post(channel, bodyOf(fields, pad, limit + 1), { session, chunked });
      expect(over.status, `chunked: ${chunked}`).toBe(413);
      expect(over.json, `chunked: ${chunked}`).toMatchObject(TOO_LARGE);
    }
    // The refused body got as far as the validation of the one that fit, whose rejection alone is ledgered (mutations only).
    expect(t.eventCount() - before).toBe(contract[channel].mutates && signedIn ? 1 : 0);
  });

  it('a body the default limit refuses is read by the channel that declares a larger one', async () => {
    const over = DEFAULT_MAX_BODY + 1000;
    expect((await post('cases.create', bodyOf({ type: 'other' }, 'title', over), { session: t.admin })).status).toBe(413);
    const read = await post('evidence.ingestContent', bodyOf({ fileName: 'a.txt', title: 't', source: 's' }, 'contentBase64', over), { session: t.admin });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('every channel refuses a declared length over its limit before reading the body', async () => {
    for (const c of CHANNEL_NAMES) {
      const r = await post(c, Buffer.alloc(maxBodyOf(contract[c]) + 1, 0x20), { session: t.admin, headOnly: true });
      expect(r.status, c).toBe(413);
    }
  });
});
