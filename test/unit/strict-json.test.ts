import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../electron/core/strict-json.js';
import { MAX_JSON_DEPTH, pathText, valueProblem } from '../../electron/core/unicode.js';

const parse = (text: string | Buffer, depth?: number) => parseStrictJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, depth);

describe('strict JSON for data from outside', () => {
  it('parses what JSON.parse parses when it is well-formed, unique-keyed and shallow enough (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => {
        const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        expect(parse(text)).toEqual({ value: JSON.parse(text) });
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('finds a duplicate key wherever it is, however it is escaped', () => {
    const dup: [string, RegExp][] = [
      ['{"a":1,"a":2}', /^has the field "a" twice in one object, so readers/],
      ['{"a":1,"\\u0061":2}', /^has the field "a" twice in one object/],
      ['{"x":{"a":"}","b":{},"a":[1]}}', /^has the field "a" twice in one object at x,/],
      ['{"f":[{"p":"x"},{"p":"\\"","q":1,"p":"z"}]}', /^has the field "p" twice in one object at f\.1,/],
      ['[{"k\\\\":1,"k\\\\":2}]', /^has the field "k\\\\" twice in one object at 0,/],
    ];
    for (const [text, problem] of dup) {
      const r = parse(text);
      expect('problem' in r ? r.problem : null, text).toMatch(problem);
    }
    // Same names in different objects, and strings that merely look like keys, are fine.
    expect(parse('{"a":{"a":1},"b":[{"a":2},{"a":3}],"c":"\\"a\\":"}')).toHaveProperty('value');
  });

  it('refuses bytes that are not UTF-8, escaped lone surrogates and deep nesting, without quoting them', () => {
    const bad: [string | Buffer, RegExp][] = [
      [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]), /^is not UTF-8 text/],
      [Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), /^is not UTF-8 text/], // a surrogate encoded in UTF-8 (CESU)
      ['{"a":["ok","x\\ud800"]}', /^holds text that is not well-formed Unicode \(a lone surrogate\) at a\.1$/],
      ['{"a":"\\udc00\\ud800"}', /^holds text that is not well-formed Unicode/],
      ['{"o":{"\\udfff":1}}', /^has a field name that is not well-formed Unicode \(a lone surrogate\) in the object at o$/],
      [`{"d":${'['.repeat(65)}${']'.repeat(65)}}`, /^nests objects and lists more than 64 levels deep at d(\.0)+$/],
      ['['.repeat(1_000_000) + ']'.repeat(1_000_000), /^nests objects and lists more than 64 levels deep/],
      ['{"a":1} trailing', /^is not valid JSON \(/],
    ];
    for (const [text, problem] of bad) {
      const r = parse(text);
      expect('problem' in r ? r.problem : null, String(text).slice(0, 40)).toMatch(problem);
      if ('problem' in r) expect(r.problem).not.toMatch(/[\ud800-\udfff]/u);
    }
    // A pair escaped as two escapes is a well-formed character; 64 levels are allowed.
    expect(parse('{"a":"\\ud83d\\ude00"}')).toEqual({ value: { a: '😀' } });
    expect(parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toHaveProperty('value');
  });

  it('agrees with the value walk on lone surrogates and depth (property)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\ud800', 'a\udc00', '\udbff\udbff', '😀'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, text, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 6 }), (v, depth) => {
        const strict = parse(JSON.stringify(v), depth);
        const walked = valueProblem(v, depth);
        // Duplicate keys cannot arise from JSON.stringify, so both judge the same things.
        expect('problem' in strict, JSON.stringify(walked)).toBe(walked !== null);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('shortens long keys in paths without splitting a surrogate pair', () => {
    expect(pathText(['a'.repeat(39) + '😀' + 'b'.repeat(10), 3])).toBe(`${'a'.repeat(39)}….3`);
    expect(pathText(['short', 0, 'x'])).toBe('short.0.x');
  });
});
