import type { ResponseOf } from '../../../shared/contract.js';
import type { MutatingSample, SampleContext } from './mutating-samples.js';

/** Switches HIPAA on unless it already is (samples share a workspace). */
async function hipaaOn(ctx: SampleContext): Promise<void> {
  const { items } = await ctx.call<ResponseOf<'frameworks.list'>>('frameworks.list', { limit: 50 });
  if (!items.find((f) => f.id === 'hipaa')?.enabled) await ctx.call('frameworks.setEnabled', { id: 'hipaa', enabled: true });
}

/** Samples of the compliance-program channels: HIPAA switched on first where a requirement is named. */
export const complianceSamples: Record<string, MutatingSample> = {
  'frameworks.setEnabled': {
    as: 'compliance_officer',
    request: async (ctx) => {
      const { items } = await ctx.call<ResponseOf<'frameworks.list'>>('frameworks.list', { limit: 50 });
      return { id: 'gdpr', enabled: !items.find((f) => f.id === 'gdpr')!.enabled };
    },
  },
  'requirements.assess': {
    as: 'compliance_officer',
    request: async (ctx) => {
      await hipaaOn(ctx);
      return { frameworkId: 'hipaa', requirementId: '§164.312(b)', status: 'compliant', implemented: true, notes: 'Every access and denial is ledgered; the chain verifies.' };
    },
  },
  'requirements.assign': {
    as: 'compliance_officer',
    request: async (ctx) => {
      await hipaaOn(ctx);
      const ref = { frameworkId: 'hipaa', requirementId: '§164.312(b)' };
      const { requirement } = await ctx.call<ResponseOf<'requirements.get'>>('requirements.get', ref);
      return { ...ref, assignee: requirement.assignedTo === 'admin' ? null : 'admin' };
    },
  },
};
