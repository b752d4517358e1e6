import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { isCustosError } from '../../electron/core/errors.js';
import type { AppendInput } from '../../electron/core/ledger/ledger.js';
import { fastEventBytes } from '../../electron/core/ledger/event-bytes.js';
import { sha256Hex } from '../../electron/core/ledger/jcs.js';
import { CHANNEL_NAMES, contract, type ChannelName } from '../../shared/contract.js';
import type { VerificationReport } from '../../shared/ledger-types.js';
import { ROLES, type Role } from '../../shared/roles.js';
import { allSamples } from './helpers/all-samples.js';
import { sampleContext } from './helpers/mutating-samples.js';
import { makeBundle } from './helpers/outputs.js';
import { rawEvents } from './helpers/tamper.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

const LONE = ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud83d', '\ude00b', '\udc00\ud800'];
const AWKWARD = ['\u0000', '\ufffe', '\uffff', '😀', '\u{10ffff}', '\u2028', '"\\', 'é'];

/** Random text: lone surrogates (high and low), NUL, U+FFFE/U+FFFF, astral characters, now and then very long. */
const hostileText = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.oneof(fc.constantFrom(...LONE, ...AWKWARD), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '😀', '\u0000'), fc.constantFrom(...LONE, '')).map(([c, tail]) => c.repeat(70_000) + tail) },
);

/** The usual field names of requests, besides each channel's own. */
const USUAL_FIELDS = ['id', 'title', 'name', 'reason', 'caseId', 'username', 'displayName', 'description', 'fileName', 'text', 'actor', 'action', 'query', 'notes', 'body'];

/** A channel's own request field names, where its schema is an object (possibly behind a transform). */
function fieldsOf(schema: z.ZodType): string[] {
  const s = schema as unknown as { shape?: Record<string, unknown>; in?: { shape?: Record<string, unknown> } };
  return Object.keys(s.shape ?? s.in?.shape ?? {});
}

// Calls that would end the test's own sessions or lock the workspace mid-run; their inputs are
// checked by the same dispatch code as every other channel's.
const SKIP = new Set(['session.lock', 'session.logout']);
const CHANNELS = CHANNEL_NAMES.filter((c) => !SKIP.has(c));

function requestArb(channel: string): fc.Arbitrary<Record<string, unknown>> {
  const own = fieldsOf(contract[channel as keyof typeof contract].request);
  const field = fc.oneof(fc.constantFrom(...own, ...USUAL_FIELDS), hostileText);
  const value = fc.oneof(
    { weight: 5, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.array(hostileText, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...USUAL_FIELDS), hostileText), hostileText, { maxKeys: 3 }) },
  );
  return fc.dictionary(field, value, { minKeys: 1, maxKeys: 5 });
}

async function verifyAll(t: TempWorkspace): Promise<{ ledger: VerificationReport; bundle: VerificationReport }> {
  const ledger = await t.call<VerificationReport>('ledger.verify', {}, t.admin);
  const made = await makeBundle(t, {}, t.admin);
  const bundle = await verifyBundleFile(made.path);
  return { ledger, bundle };
}

/** Every stored row re-serializes to the bytes of its hash: what is stored is what was hashed. */
function expectStoredAsHashed(t: TempWorkspace): void {
  for (const row of rawEvents(t.app.ws.db)) expect(sha256Hex(fastEventBytes(row)), `event ${row.seq}`).toBe(row.hash);
}

describe('ill-formed Unicode never reaches the ledger', () => {
  it('the reported case: an auditor sending a lone surrogate in an id leaves the ledger VALID and bundles still work', async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('audrey.auditor', 'auditor');
    const before = t.eventCount();
    for (const [channel, input] of [
      ['evidence.verify', { id: 'EV-\ud800' }],
      ['bundles.create', { caseId: 'CASE-\ud800' }],
      ['imports.report', { id: '\udfff' }],
      ['evidence.get', { id: 'EV-\udc00' }],
    ] as const) {
      const r = await t.result(channel, input, auditor);
      expect(r.ok, channel).toBe(false);
      if (!r.ok) {
        expect(r.error.code, channel).toBe('validation');
        expect(r.error.message, channel).toMatch(/^The request is not valid: (id|caseId) is not well-formed Unicode text/);
        expect(JSON.stringify(r.error), channel).not.toMatch(/\\ud[89a-f]/);
      }
    }
    // The three mutating channels each ledgered their refusal; the read did not.
    const refusals = t.events().slice(before);
    expect(refusals.map((e) => [e.action, e.outcome, e.details.code])).toEqual([
      ['evidence.verify', 'failure', 'validation'],
      ['bundles.create', 'failure', 'validation'],
      ['imports.report', 'failure', 'validation'],
    ]);
    expectStoredAsHashed(t);
    const { ledger, bundle } = await verifyAll(t);
    expect(ledger.valid, ledger.summary).toBe(true);
    expect(bundle.valid, bundle.summary).toBe(true);
  });

  it('stores NUL, U+FFFE, U+FFFF and astral characters exactly as hashed', async () => {
    const t = await createTempWorkspace();
    const awkward = `a\u0000b\ufffe\uffff😀\u{10ffff}\u2028end`;
    const made = await t.call<{ case: { id: string; title: string } }>('cases.create', { title: awkward, type: 'investigation', description: awkward }, t.admin);
    expect(made.case.title).toBe(awkward);
    await t.call('users.create', { username: 'nul.user', displayName: awkward, role: 'viewer', passphrase: 'correct horse battery staple' }, t.admin);
    await t.call('users.update', { username: 'nul.user', displayName: `${awkward}!` }, t.admin);
    const stored = t.events().filter((e) => JSON.stringify(e.details).includes('\\u0000b\ufffe\uffff😀'));
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expectStoredAsHashed(t);
    const { ledger, bundle } = await verifyAll(t);
    expect(ledger.valid, ledger.summary).toBe(true);
    expect(bundle.valid, bundle.summary).toBe(true);
  });

  it('every channel, every role, random hostile strings in every field: the ledger verifies VALID and bundles of it verify', async () => {
    const t = await createTempWorkspace();
    const sessions = new Map<Role, string>([['admin', t.admin]]);
    for (const role of ROLES) if (role !== 'admin') sessions.set(role, await t.addUser(`fuzz.${role}`, role));
    const call = async (channel: string, role: Role | null, input: unknown) => {
      const r = await t.result(channel as ChannelName, input, role ? sessions.get(role) : undefined);
      // Whatever the answer, it never carries ill-formed text back.
      expect(JSON.stringify(r), channel).not.toMatch(/(?<!\\)(\\\\)*\\ud[89a-f]/);
      if (!r.ok) expect(r.error.code, `${channel}: ${r.error.message}`).not.toBe('failure');
    };

    // Every channel once as every role (and without a session), with a lone surrogate in every field.
    for (const channel of CHANNELS) {
      const input = Object.fromEntries([...fieldsOf(contract[channel].request), 'id', 'title'].map((f) => [f, `x\ud800${f}`]));
      for (const role of [...ROLES, null]) await call(channel, role, input);
    }
    // The two left out of the random calls are refused before their handler when a field is ill-formed.
    for (const channel of SKIP) {
      for (const role of ROLES) {
        const r = await t.result(channel as ChannelName, { note: 'x\ud800' }, sessions.get(role));
        expect(r.ok ? null : r.error.code, `${channel} as ${role}`).toBe('validation');
      }
    }
    // Then random requests.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS).chain((c) => fc.tuple(fc.constant(c), fc.constantFrom<Role | null>(...ROLES, null), requestArb(c))), async ([channel, role, input]) => {
        await call(channel, role, input);
      }),
      { numRuns: 250, seed: 20261202 },
    );
    // A signed-in session of each role must still work (nothing above may lock the workspace).
    expect(t.app.unlocked).toBe(true);
    expectStoredAsHashed(t);
    const { ledger, bundle } = await verifyAll(t);
    expect(ledger.valid, ledger.summary).toBe(true);
    expect(ledger.problems).toEqual([]);
    expect(bundle.valid, bundle.summary).toBe(true);
  }, 180_000);
});

/** Free-text fields of a valid request (not ids, dates, paths, enums or secrets) with `suffix` added. */
function withText(request: unknown, suffix: string): { request: unknown; changed: number } {
  if (typeof request !== 'object' || request === null) return { request, changed: 0 };
  let changed = 0;
  const out: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    const isFreeText = typeof value === 'string' && /\s/.test(value) && !/passphrase|path|out|dest|recoveryKey|base64/i.test(key);
    if (isFreeText) {
      out[key] = value + suffix;
      changed++;
    }
  }
  return { request: out, changed };
}

describe('valid requests with awkward text, through every mutating channel', () => {
  it('stores NUL, U+FFFE/U+FFFF and astral text as hashed and refuses lone surrogates, for every sample; the ledger and a bundle verify', async () => {
    const t = await createTempWorkspace();
    const ctx = await sampleContext(t);
    let stored = 0;
    for (const [channel, sample] of Object.entries(allSamples)) {
      // Sessions and the workspace itself are exercised by the random test above.
      if (channel.startsWith('session.') || channel.startsWith('workspace.')) continue;
      const session = await ctx.session(sample.as ?? 'admin');
      const base = await sample.request(ctx);
      const lone = withText(base, ' x\udc00');
      if (lone.changed > 0) {
        const r = await t.result(channel as ChannelName, lone.request, session);
        expect(r.ok ? null : r.error.code, channel).toBe('validation');
      }
      const awkward = withText(base, ' \u0000\ufffe\uffff😀\u{10ffff}');
      const r = await t.result(channel as ChannelName, awkward.request, session);
      if (!r.ok) expect(r.error.code, `${channel}: ${r.error.message}`).not.toBe('failure');
      if (r.ok && awkward.changed > 0) stored++;
    }
    // Most samples carry free text and accept it.
    expect(stored).toBeGreaterThan(25);
    expect(rawEvents(t.app.ws.db).some((e) => e.details.includes('\\u0000\ufffe\uffff😀'))).toBe(true);
    expectStoredAsHashed(t);
    const { ledger, bundle } = await verifyAll(t);
    expect(ledger.valid, ledger.summary).toBe(true);
    expect(bundle.valid, bundle.summary).toBe(true);
  }, 180_000);
});

describe('ledger append', () => {
  let t: TempWorkspace;
  beforeAll(async () => {
    t = await createTempWorkspace();
  });

  const base = { actor: 'admin', action: 'cases.update', resource_type: 'case', resource_id: 'CASE-1', details: { note: 'fine' } };
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 100; i++) deep = { d: deep };
  let abyss: unknown[] = [];
  for (let i = 0; i < 100_000; i++) abyss = [abyss];
  const bad: [string, AppendInput, RegExp][] = [
    ['a lone high surrogate in resource_id', { ...base, resource_id: 'CASE-\ud800' }, /its resource_id is not well-formed Unicode/],
    ['a lone low surrogate in actor', { ...base, actor: '\udc00admin' }, /its actor is not well-formed Unicode/],
    ['a lone surrogate in action', { ...base, action: 'cases.\udbff' }, /its action is not well-formed/],
    ['a lone surrogate in resource_type', { ...base, resource_type: '\udfff' }, /its resource_type is not well-formed/],
    ['a lone surrogate in a details value', { ...base, details: { list: ['ok', 'x\ud800'] } }, /details\.list\.1 is not well-formed Unicode/],
    ['a lone surrogate in a details key', { ...base, details: { nested: { ['k\udc00']: 1 } } }, /object at details\.nested has a field name that is not well-formed/],
    ['details nested 100 levels deep', { ...base, details: deep }, /nests objects and lists more than 64 levels deep/],
    ['details nested 100 000 levels deep', { ...base, details: { abyss } }, /nests objects and lists more than 64 levels deep/],
  ];
  it.each(bad)('refuses an event with %s (integrity) and appends nothing', (_name, input, reason) => {
    const ws = t.app.ws;
    const head = ws.ledger.head();
    const root = ws.ledger.root();
    const count = t.eventCount();
    let thrown: unknown;
    try {
      ws.record(input);
    } catch (err) {
      thrown = err;
    }
    expect(isCustosError(thrown, 'integrity'), String(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(reason);
    expect((thrown as Error).message).toMatch(/Nothing was recorded\.$/);
    expect((thrown as Error).message).not.toMatch(/[\ud800-\udfff]/u);
    expect(t.eventCount()).toBe(count);
    expect(ws.ledger.head()).toEqual(head);
    expect(ws.ledger.root()).toBe(root);
  });

  it('stores what it hashed for any well-formed text (property)', () => {
    const ws = t.app.ws;
    // Any well-formed text: every code point (NUL, U+FFFE, U+FFFF, astral ones included), and those for sure.
    const text = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...AWKWARD)), { maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, text, fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 })), { maxKeys: 4 }), (actor, action, resourceId, details) => {
        const e = ws.tx(() => ws.ledger.append({ actor, action, resource_type: 'fuzz', resource_id: resourceId, details }));
        const row = rawEvents(ws.db).at(-1)!;
        expect(row.seq).toBe(e.seq);
        expect([row.actor, row.action, row.resource_id]).toEqual([actor, action, resourceId]);
        expect(sha256Hex(fastEventBytes(row))).toBe(row.hash);
      }),
      { numRuns: 300, seed: 1202 },
    );
    expect(t.app.ws.ledger.head().size).toBe(t.eventCount());
  });

  it('leaves a ledger that verifies after all of the above', async () => {
    const r = await t.call<VerificationReport>('ledger.verify', {}, t.admin);
    expect(r.valid, r.summary).toBe(true);
  });
});
