import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHANNEL_NAMES, contract } from '../../shared/contract.js';
import { allSamples } from './helpers/all-samples.js';
import { sampleContext } from './helpers/mutating-samples.js';
import { createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// Issue 9 §1: one assertCaseOpen, used by every service that files something under a case. A closed
// case takes no new work of any kind: every mutating channel whose request names a case refuses a
// closed one with `conflict`, ledgers the refusal, and changes nothing else.

afterAll(removeTempDirs);

function shapeOf(schema: z.ZodType): Record<string, unknown> {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, unknown>;
  const inner = (schema as unknown as { def?: { in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType } }).def;
  const next = inner?.in ?? inner?.innerType ?? inner?.schema;
  return next ? shapeOf(next) : {};
}

/** Channels whose `caseId` chooses what to read out, not where to file: a closed case stays exportable. */
const SCOPE_ONLY: Record<string, string> = {
  'exports.request': 'exports the events of a case',
  'bundles.create': 'bundles the events and evidence of a case',
  'bundles.request': 'asks for a bundle of the events and evidence of a case',
};

/** Mutating channels whose request can file something under a case (`caseId`). */
const FILING = CHANNEL_NAMES.filter((c) => contract[c].mutates && 'caseId' in shapeOf(contract[c].request) && !Object.hasOwn(SCOPE_ONLY, c));

describe('a closed case takes no new work', () => {
  it('finds the channels that file under a case', () => {
    expect(FILING).toEqual(expect.arrayContaining(['holds.create', 'evidence.ingestContent', 'amendments.receive', 'subpoenas.receive', 'disclosures.record', 'accessRequests.create']));
  });

  for (const channel of FILING) {
    it(`${channel} refuses a closed case and records the refusal`, async () => {
      const t = await createTempWorkspace();
      const ctx = await sampleContext(t);
      const sample = allSamples[channel];
      if (!sample) throw new Error(`${channel} has no sample in test/unit/helpers/*-samples.ts`);
      const request = (await sample.request(ctx)) as Record<string, unknown>;
      const made = await ctx.call<{ case: { id: string } }>('cases.create', { title: `Closed ${ctx.unique()}`, type: 'investigation', description: 'Done.' });
      await ctx.call('cases.setStatus', { id: made.case.id, status: 'closed', reason: 'Resolved.' });
      const session = await ctx.session(sample.as ?? 'admin');
      const before = t.eventCount();
      const r = await t.result(channel, { ...request, caseId: made.case.id }, session);
      expect(r.ok ? null : r.error.code).toBe('conflict');
      expect(r.ok ? '' : r.error.message).toContain('is closed');
      const added = t.events().slice(before);
      expect(added.map((e) => [e.action, e.outcome])).toEqual([[channel, 'failure']]);
    });
  }
});
