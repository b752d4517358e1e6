import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, type ChannelName } from '../../shared/contract.js';
import { DEFAULT_MAX_BODY, maxBodyOf } from '../../shared/contract/define.js';
import { describeContract, startLoopbackServer, type LoopbackServer } from '../../electron/server.js';
import { socketPost } from './helpers/http.js';
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

/** A POST of `body` to a channel over a plain socket (helpers/http.ts): with a length, chunked, or only its head. */
async function post(channel: string, body: Buffer, opts: { session?: string; chunked?: boolean; headOnly?: boolean } = {}): Promise<Answer> {
  const headers = { Authorization: `Bearer ${server.token}`, ...(opts.session ? { 'X-Custos-Session': opts.session } : {}), 'Content-Type': 'application/json' };
  return (await socketPost(server.port, `/api/${channel}`, headers, body, opts)) as Answer;
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
