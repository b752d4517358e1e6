import type { MutatingSample, SampleContext } from './mutating-samples.js';

// Samples of the privacy-rights request channels for test/unit/mutating-channels.test.ts.

async function subject(ctx: SampleContext): Promise<string> {
  const s = await ctx.call<{ subject: { id: string } }>('subjects.create', { kind: 'student', displayName: `Ada Privacy ${ctx.unique()}` });
  return s.subject.id;
}

async function request(ctx: SampleContext, right: 'access' | 'erasure' = 'access'): Promise<string> {
  const r = await ctx.call<{ request: { id: string } }>('privacyRequests.create', {
    subjectId: await subject(ctx),
    regime: 'gdpr',
    right,
    requester: 'The student',
    description: 'Asks for a copy of everything held.',
  });
  return r.request.id;
}

export const privacySamples: Record<string, MutatingSample> = {
  'privacyRequests.create': {
    request: async (ctx) => ({ subjectId: await subject(ctx), regime: 'ccpa', right: 'delete', requester: 'Parent of the student', description: 'Delete what you hold.' }),
  },
  'privacyRequests.extend': { request: async (ctx) => ({ id: await request(ctx), reason: 'Records are spread over three archives.' }) },
  'privacyRequests.complete': {
    request: async (ctx) => {
      const id = await request(ctx, 'erasure');
      const { request: r } = await ctx.call<{ request: { subjectId: string } }>('privacyRequests.get', { id });
      await ctx.call('records.create', { subjectId: r.subjectId, category: 'communications', title: 'Advisor email', content: 'Hello.', recordDate: '2026-01-05' });
      return { id, outcome: 'Erased what the law allows; the rest is kept and listed.' };
    },
  },
  'privacyRequests.reject': { request: async (ctx) => ({ id: await request(ctx), reason: 'Identity could not be verified.' }) },
  'privacyRequests.subjectAudit': { request: async (ctx) => ({ subjectId: await subject(ctx) }) },
};
