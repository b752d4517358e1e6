import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type ChannelName } from '../../shared/contract.js';
import { fieldProblem, issueSentence } from '../../shared/field-check.js';

// Forms check their fields with the contract's own schemas (shared/field-check.ts): whatever the
// page accepts, the core accepts, and the other way round, for every string field of every channel.

const SAMPLES = ['', ' ', 'a', 'ab', 'abc', 'maria.chen', 'Maria Chen', '-x', 'a'.repeat(11), 'a'.repeat(12), 'a'.repeat(64), 'a'.repeat(65), 'x'.repeat(301), 'x'.repeat(2001), 'EV-2026-0001', '../etc/passwd', '2026-12-02', 'é'];

function stringFields(channel: ChannelName): [string, z.ZodType][] {
  const shape = (contract[channel].request as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape).filter(([, schema]) => schema.safeParse('probe-text').success || schema.safeParse('').success || schema.safeParse('a'.repeat(12)).success);
}

describe('form fields checked by the contract', () => {
  it('agrees with the request schema on every string field of every channel', () => {
    let checked = 0;
    for (const channel of Object.keys(contract) as ChannelName[]) {
      for (const [field, schema] of stringFields(channel)) {
        for (const v of SAMPLES) {
          expect(fieldProblem(channel, field, v, 'the value') === null, `${channel}.${field} ${JSON.stringify(v.slice(0, 20))}`).toBe(schema.safeParse(v).success);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('says what is wrong in words: empty, too short, too long, or the contract’s own sentence', () => {
    expect(fieldProblem('users.create', 'username', '', 'a username')).toBe('Enter a username.');
    expect(fieldProblem('users.create', 'username', 'a', 'a username')).toBe('A username needs at least 2 characters.');
    expect(fieldProblem('users.create', 'username', 'a'.repeat(65), 'a username')).toBe('A username takes at most 64 characters.');
    expect(fieldProblem('users.create', 'username', 'Maria', 'a username')).toBe('A username uses lower-case letters, digits, dot, dash and underscore.');
    expect(fieldProblem('users.create', 'passphrase', 'short', 'a passphrase')).toBe('A passphrase needs at least 12 characters.');
    expect(fieldProblem('exports.reject', 'reason', 'no', 'a reason')).toBe('A reason needs at least 3 characters.');
    expect(fieldProblem('users.create', 'username', 'maria.chen', 'a username')).toBeNull();
  });

  it('fails at once on a field the channel does not have', () => {
    expect(() => fieldProblem('users.create', 'usernme', 'x', 'a username')).toThrow(/no field usernme/);
  });

  it('puts every ill-formed request of every channel in words, never the schema’s own (issue 15.8: what the page shows before calling)', () => {
    const probes: unknown[] = ['', 'x'.repeat(100_001), 12, null, [], {}];
    let sentences = 0;
    for (const channel of Object.keys(contract) as ChannelName[]) {
      const shape = (contract[channel].request as { shape?: Record<string, z.ZodType> }).shape ?? {};
      for (const field of Object.keys(shape)) {
        for (const probe of probes) {
          const r = contract[channel].request.safeParse({ [field]: probe });
          if (r.success) continue;
          for (const issue of r.error.issues) {
            const text = issueSentence(issue as Parameters<typeof issueSentence>[0]);
            expect(text, `${channel}.${field} ${JSON.stringify(issue)}`).not.toMatch(/expected|Too small|Too big|Invalid input|>=|<=/);
            expect(text).toMatch(/[.!?)]$/);
            sentences++;
          }
        }
      }
    }
    expect(sentences).toBeGreaterThan(1000);
    expect(issueSentence({ code: 'too_small', origin: 'string', minimum: 1, path: ['title'], message: 'Too small: expected string to have >=1 characters' })).toBe('Enter a title.');
    expect(issueSentence({ code: 'too_big', origin: 'string', maximum: 300, path: ['caseId'], message: 'Too big' })).toBe('A case id takes at most 300 characters.');
  });
});
