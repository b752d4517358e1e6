import { randomUUID } from 'node:crypto';
import canonicalizeImport from 'canonicalize';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalDetails, fastEventBytes, leafInputBytes } from '../../electron/core/ledger/event-bytes.js';
import { leafHash, prefixedLeafHash } from '../../electron/core/ledger/merkle.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { ZERO_HASH } from '../../shared/ledger-types.js';
import { canonicalOfRow, rawEvents, rfc6962Leaf, sha256, type RawEventRow } from './helpers/tamper.js';
import { PASSPHRASE, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

type Canonicalize = (input: unknown) => string | undefined;
const canonicalize: Canonicalize =
  typeof canonicalizeImport === 'function' ? canonicalizeImport : (canonicalizeImport as { default: Canonicalize }).default;

function rows(t: TempWorkspace): RawEventRow[] {
  return rawEvents(t.app.ws.db);
}

describe('ledger append', () => {
  let t: TempWorkspace;

  beforeAll(async () => {
    t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.pat', 'viewer');
    await t.call('users.update', { username: 'viewer.pat', displayName: 'Pat "Quotes" \\ Backslash \u2028 😀 \u0007' }, t.admin);
    await t.result('users.list', {}, viewer); // a denial
    await t.call('ledger.checkpoint', {}, t.admin);
    await t.result('users.create', { username: 'viewer.pat', displayName: 'x', role: 'viewer', passphrase: PASSPHRASE }, t.admin); // a conflict
    await t.call('session.logout', {}, viewer);
  });

  it('numbers events 1, 2, 3 … without gaps', () => {
    const r = rows(t);
    expect(r.length).toBeGreaterThan(8);
    r.forEach((e, i) => expect(e.seq).toBe(i + 1));
    expect(t.app.ws.ledger.head().size).toBe(r.length);
  });

  it('chains every event to the previous one through prev_hash (seq 1 links to 64 zeros)', () => {
    const r = rows(t);
    expect(r[0]!.prev_hash).toBe(ZERO_HASH);
    for (let i = 1; i < r.length; i++) expect(r[i]!.prev_hash, `seq ${r[i]!.seq}`).toBe(r[i - 1]!.hash);
    expect(t.app.ws.ledger.head().lastHash).toBe(r.at(-1)!.hash);
  });

  it('hash = SHA-256 of the RFC 8785 bytes of the event without hash, and leaf = SHA-256(0x00 || those bytes)', () => {
    for (const e of rows(t)) {
      const bytes = canonicalOfRow(e);
      expect(sha256(bytes).toString('hex'), `seq ${e.seq}`).toBe(e.hash);
      expect(rfc6962Leaf(bytes).equals(e.leaf_hash), `leaf ${e.seq}`).toBe(true);
      // The stored details text is itself canonical.
      expect(e.details).toBe(canonicalize(JSON.parse(e.details)));
    }
    // The events hold what the calls did, including awkward characters.
    const update = rows(t).find((e) => e.action === 'users.update')!;
    expect(JSON.parse(update.details).changes.displayName.to).toBe('Pat "Quotes" \\ Backslash \u2028 😀 \u0007');
    expect(rows(t).some((e) => e.outcome === 'denied')).toBe(true);
    expect(rows(t).some((e) => e.outcome === 'failure')).toBe(true);
  });

  it('refuses UPDATE and DELETE on events (triggers)', () => {
    const db = t.app.ws.db;
    expect(() => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE checkpoints SET size = 0').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM checkpoints').run()).toThrow(/append-only/);
    expect(rows(t)[0]!.actor).toBe('admin');
  });

  it('a failed transaction rolls back the change, its event and the in-memory head; the next append continues at the right seq', async () => {
    const ws = t.app.ws;
    const before = rows(t);
    const head = ws.ledger.head();
    const root = ws.ledger.root();
    const id = randomUUID();
    expect(() =>
      ws.tx(() => {
        ws.db.prepare("INSERT INTO users (id, username, display_name, role, disabled, created_at) VALUES (?, 'ghost', 'Ghost', 'viewer', 0, 'now')").run(id);
        ws.ledger.append({ actor: 'admin', action: 'users.create', resource_type: 'user', resource_id: 'ghost' });
        ws.ledger.append({ actor: 'admin', action: 'users.update', resource_type: 'user', resource_id: 'ghost' });
        throw new Error('boom after the event was written');
      }),
    ).toThrow('boom');
    expect(ws.db.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(id)).toEqual({ n: 0 });
    expect(rows(t)).toEqual(before);
    expect(ws.ledger.head()).toEqual(head);
    expect(ws.ledger.root()).toBe(root);

    await t.call('ledger.checkpoint', {}, t.admin);
    const after = rows(t);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ seq: head.size + 1, prev_hash: head.lastHash, action: 'ledger.checkpoint' });
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('refuses an append outside a transaction', () => {
    expect(() => t.app.ws.ledger.append({ actor: 'a', action: 'b', resource_type: 'c', resource_id: 'd' })).toThrow(/inside the transaction/);
  });
});

// Strings that stress JSON escaping: quotes, backslashes, C0 controls, DEL, line/paragraph
// separators, non-BMP characters, lone surrogates.
const tricky = fc.constantFrom('"', '\\', '\u0000', '\u0007', '\b', '\f', '\n', '\r', '\t', '\u001f', '\u007f', '\u2028', '\u2029', '😀', '€', 'é', '\ud800', '\udfff', '</script>', '\u00ad');
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((xs) => xs.join('')),
);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE, 0.1 + 0.2),
);
const { value: jsonish } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, number, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
}));
const details = fc.dictionary(text, jsonish, { maxKeys: 6 });
const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));

describe('fastEventBytes', () => {
  it('equals canonicalize() of the whole event object for random events', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          ts: fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
          actor: text,
          action: text,
          resource_type: text,
          resource_id: text,
          outcome: fc.oneof(fc.constantFrom('success', 'denied', 'failure'), text),
          details,
          prev_hash: fc.oneof(hex64, text),
        }),
        (event) => {
          const expected = Buffer.from(canonicalize(event)!, 'utf8');
          const fast = fastEventBytes({ ...event, details: canonicalDetails(event.details) });
          expect(fast.toString('hex')).toBe(expected.toString('hex'));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('canonicalDetails of flat details (the fast path) equals canonicalize() for random flat objects', () => {
    const primitive = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(text, fc.integer({ min: 0, max: 2 ** 32 }).map(String)), primitive, { maxKeys: 12 }), (d) => {
        let expected: string | undefined;
        try {
          expected = canonicalize(d);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) expect(() => canonicalDetails(d)).toThrow();
        else expect(canonicalDetails(d)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('canonicalDetails keeps the general serializer for what the fast path does not take', () => {
    const noProto = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 'x', 10: true, 9: null });
    class Custom {
      b = 2;
      a = 1;
      toJSON() {
        return { z: 1 };
      }
    }
    const cases: Record<string, unknown>[] = [
      noProto,
      { 10: 'ten', 9: 'nine', '': -0, big: 1e21, small: 5e-7, u: undefined },
      { nested: { b: 1, a: 2 }, list: [3, { d: 1, c: 2 }] },
      new Custom() as unknown as Record<string, unknown>,
      { when: new Date(0) },
    ];
    for (const d of cases) expect(canonicalDetails(d)).toBe(canonicalize(d));
    expect(() => canonicalDetails({ n: Number.NaN })).toThrow();
    expect(() => canonicalDetails({ n: Number.POSITIVE_INFINITY })).toThrow();
  });

  it('leafInputBytes is 0x00 || C(e), and its leaf hash is the RFC 6962 leaf hash of C(e)', () => {
    const parts = {
      seq: 7,
      ts: '2025-01-01T00:00:00.000Z',
      actor: 'ä "quoted" 😀',
      action: 'b',
      resource_type: 'c',
      resource_id: 'd\u2028',
      outcome: 'success',
      details: canonicalDetails({ z: 1, a: '\u0000' }),
      prev_hash: ZERO_HASH,
    };
    const input = leafInputBytes(parts);
    expect(input[0]).toBe(0);
    expect(input.subarray(1).equals(fastEventBytes(parts))).toBe(true);
    expect(prefixedLeafHash(input).equals(leafHash(fastEventBytes(parts)))).toBe(true);
    expect(() => prefixedLeafHash(fastEventBytes(parts))).toThrow();
  });

  it('handles the fixed awkward cases', () => {
    const base = { seq: 9, ts: '2025-01-01T00:00:00.000Z', actor: 'a', action: 'b', resource_type: 'c', resource_id: 'd', outcome: 'success', prev_hash: ZERO_HASH };
    for (const d of [{}, { '': '' }, { b: 1, a: [1, { z: -0, y: 1e21 }], '\u2028': '\u2029' }, { '😀': '\ud83d', é: 'e\u0301' }, { '\u0000': '\u001f\u007f' }]) {
      const event = { ...base, details: d };
      expect(fastEventBytes({ ...event, details: canonicalDetails(d) }).toString('utf8')).toBe(canonicalize(event));
    }
  });
});
