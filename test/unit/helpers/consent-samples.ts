import type { MutatingSample, SampleContext } from './mutating-samples.js';

// Samples of the consent and FERPA-policy channels for test/unit/mutating-channels.test.ts.

interface Id {
  id: string;
}

async function subjectWithRecord(ctx: SampleContext): Promise<{ subjectId: string; recordId: string }> {
  const { subject } = await ctx.call<{ subject: Id }>('subjects.create', { displayName: `Student ${ctx.unique()}`, kind: 'student' });
  const { record } = await ctx.call<{ record: Id }>('records.create', {
    subjectId: subject.id,
    category: 'grades',
    title: `Grade report ${ctx.unique()}`,
    content: 'TAX 201: B+',
    source: 'registrar',
    recordDate: '2025-12-19',
  });
  return { subjectId: subject.id, recordId: record.id };
}

function consentRequest(s: { subjectId: string; recordId: string }) {
  return {
    subjectId: s.subjectId,
    givenBy: 'student',
    signerName: 'Jordan Student',
    recipient: 'Acme Tax Services',
    purpose: 'Tuition reimbursement.',
    categories: ['attendance'],
    recordIds: [s.recordId],
    signedAt: '2026-01-05',
  };
}

export const consentSamples: Record<string, MutatingSample> = {
  'consents.record': { request: async (ctx) => consentRequest(await subjectWithRecord(ctx)) },
  'consents.revoke': {
    request: async (ctx) => {
      const { consent } = await ctx.call<{ consent: Id }>('consents.record', consentRequest(await subjectWithRecord(ctx)));
      return { id: consent.id, reason: 'The student revoked it in writing.' };
    },
  },
  'ferpa.setPolicy': { request: () => ({ productionRequires: 'court_order_or_lawful_subpoena', reason: 'Board resolution.' }) },
};
