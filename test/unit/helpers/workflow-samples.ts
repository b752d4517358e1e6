import type { ResponseOf } from '../../../shared/contract.js';
import type { MutatingSample, SampleContext } from './mutating-samples.js';

/** Starts a user access review (three counted steps, in order) and returns its id. */
async function started(ctx: SampleContext): Promise<string> {
  const { workflow } = await ctx.call<ResponseOf<'workflows.start'>>('workflows.start', { templateId: 'access-review', title: `Access review ${ctx.unique()}`, owner: 'admin' });
  return workflow.id;
}

/** Samples of the workflow channels. */
export const workflowSamples: Record<string, MutatingSample> = {
  'workflows.start': {
    as: 'compliance_officer',
    request: (ctx) => ({ templateId: 'gdpr-data-subject-request', title: `Data-subject request ${ctx.unique()}`, owner: 'admin', stakeholders: ['admin'] }),
  },
  'workflows.advance': {
    as: 'legal_counsel',
    request: async (ctx) => ({ id: await started(ctx), stepId: 'list-users', outcome: 'done', data: { accounts: 5 }, note: 'Five accounts.' }),
  },
  'workflows.cancel': {
    as: 'compliance_officer',
    request: async (ctx) => ({ id: await started(ctx), reason: 'Started twice by mistake.' }),
  },
  'workflows.assign': {
    as: 'compliance_officer',
    request: async (ctx) => ({ id: await started(ctx), owner: 'admin', stakeholders: ['compliance-officer.sample'] }),
  },
  'workflows.schedule': {
    as: 'compliance_officer',
    request: async (ctx) => {
      const { templates } = await ctx.call<ResponseOf<'workflows.templates'>>('workflows.templates');
      return { templateId: 'monthly-compliance-tasks', scheduled: !templates.find((t) => t.id === 'monthly-compliance-tasks')!.scheduled };
    },
  },
};
