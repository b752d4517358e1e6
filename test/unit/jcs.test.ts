import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, eventCanonicalBytes, eventDigests, eventHash } from '../../electron/core/ledger/jcs.js';
import { isCustosError } from '../../electron/core/errors.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { ZERO_HASH } from '../../shared/ledger-types.js';

const vectors = fileURLToPath(new URL('../vectors/jcs/', import.meta.url));

function vectorNames(): string[] {
  return readdirSync(`${vectors}output`)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

interface NumberVectors {
  'cyberphone-readme': Array<[string, string]>;
  'rfc8785-appendix-b': Array<[string, string]>;
}

function doubleFromHex(hex: string): number {
  return Buffer.from(hex.padStart(16, '0'), 'hex').readDoubleBE(0);
}

function expectValidationError(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isCustosError(caught, 'validation')).toBe(true);
}

describe('canonicalBytes: RFC 8785 vectors from cyberphone/json-canonicalization', () => {
  it('has the copied vector pairs', () => {
    expect(vectorNames()).toEqual([
      'arrays.json',
      'french.json',
      'simpleString.json',
      'structures.json',
      'unicode.json',
      'values.json',
      'weird.json',
    ]);
  });

  for (const name of vectorNames()) {
    it(`canonicalizes ${name} to the expected bytes`, () => {
      const input = readFileSync(`${vectors}input/${name}`, 'utf8');
      const expected = readFileSync(`${vectors}output/${name}`);
      const actual = canonicalBytes(JSON.parse(input));
      expect(actual.toString('hex')).toBe(expected.toString('hex'));
    });
  }

  it('keeps unnormalized Unicode as is and sorts keys by UTF-16 code units', () => {
    const input = JSON.parse(readFileSync(`${vectors}input/weird.json`, 'utf8')) as Record<string, string>;
    const text = canonicalBytes(input).toString('utf8');
    // U+20AC sorts before U+1F602 (a surrogate pair starting 0xD83D) before U+FB33 in UTF-16.
    expect(text.indexOf('\u20ac')).toBeLessThan(text.indexOf('\u{1F602}'));
    expect(text.indexOf('\u{1F602}')).toBeLessThan(text.indexOf('\ufb33'));
    expect(canonicalBytes({ s: '\u1e0d\u0307' }).toString('hex')).toBe(
      Buffer.from('{"s":"\u1e0d\u0307"}', 'utf8').toString('hex'),
    );
  });
});

describe('canonicalBytes: number serialization', () => {
  const numbers = JSON.parse(readFileSync(`${vectors}numbers.json`, 'utf8')) as NumberVectors;
  const cases = [...numbers['cyberphone-readme'], ...numbers['rfc8785-appendix-b']];

  it('has the copied number samples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const [hex, expected] of cases) {
    it(`serializes 0x${hex} as ${expected}`, () => {
      const value = doubleFromHex(hex);
      expect(canonicalBytes(value).toString('utf8')).toBe(expected);
      expect(canonicalBytes({ n: [value] }).toString('utf8')).toBe(`{"n":[${expected}]}`);
    });
  }

  it('refuses values that are not JSON, with a validation error', () => {
    expectValidationError(() => canonicalBytes(Number.NaN));
    expectValidationError(() => canonicalBytes({ a: Number.POSITIVE_INFINITY }));
    expectValidationError(() => canonicalBytes(undefined));
    expectValidationError(() => canonicalBytes(() => 1));
    expectValidationError(() => canonicalBytes({ big: 10n }));
  });
});

describe('event canonical form (DESIGN §4)', () => {
  const event: LedgerEvent = {
    seq: 1,
    ts: '2025-01-02T03:04:05.678Z',
    actor: 'admin',
    action: 'evidence.custody.transfer',
    resource_type: 'evidence',
    resource_id: 'ev-1',
    outcome: 'success',
    details: { to: 'Zoë', from: 'Ann', count: 2 },
    prev_hash: ZERO_HASH,
    hash: 'f'.repeat(64),
  };
  const expectedText =
    '{"action":"evidence.custody.transfer","actor":"admin","details":{"count":2,"from":"Ann","to":"Zoë"},' +
    `"outcome":"success","prev_hash":"${ZERO_HASH}","resource_id":"ev-1","resource_type":"evidence",` +
    '"seq":1,"ts":"2025-01-02T03:04:05.678Z"}';

  it('is the JCS of every field except hash, prev_hash included', () => {
    expect(eventCanonicalBytes(event).toString('utf8')).toBe(expectedText);
    const withoutHash: Partial<LedgerEvent> = { ...event };
    delete withoutHash.hash;
    expect('hash' in withoutHash).toBe(false);
    expect(eventCanonicalBytes(withoutHash as Omit<LedgerEvent, 'hash'>).equals(eventCanonicalBytes(event))).toBe(true);
  });

  it('ignores properties that are not event fields', () => {
    const row = { ...event, leaf_hash: Buffer.alloc(32) } as LedgerEvent;
    expect(eventCanonicalBytes(row).toString('utf8')).toBe(expectedText);
  });

  it('changes when any hashed field changes', () => {
    const base = eventCanonicalBytes(event);
    expect(eventCanonicalBytes({ ...event, prev_hash: '1'.repeat(64) }).equals(base)).toBe(false);
    expect(eventCanonicalBytes({ ...event, details: { ...event.details, count: 3 } }).equals(base)).toBe(false);
    expect(eventCanonicalBytes({ ...event, hash: '0'.repeat(64) }).equals(base)).toBe(true);
  });

  it('hashes to hex SHA-256 of C(e), and the leaf to SHA-256(0x00 || C(e))', () => {
    const bytes = Buffer.from(expectedText, 'utf8');
    const chain = createHash('sha256').update(bytes).digest('hex');
    const leaf = createHash('sha256').update(Buffer.concat([Buffer.from([0]), bytes])).digest('hex');
    expect(eventHash(event)).toBe(chain);
    const digests = eventDigests(event);
    expect(digests.bytes.toString('utf8')).toBe(expectedText);
    expect(digests.hash).toBe(chain);
    expect(digests.leafHash.toString('hex')).toBe(leaf);
  });
});
