import type { MutatingSample, SampleContext } from './mutating-samples.js';

// Samples of the security-incident channels for test/unit/mutating-channels.test.ts.

async function breach(ctx: SampleContext): Promise<string> {
  const r = await ctx.call<{ incident: { id: string } }>('incidents.create', {
    title: `Breach ${ctx.unique()}`,
    classification: 'data_breach',
    severity: 'high',
    systemsAffected: ['Registrar mailbox'],
  });
  return r.incident.id;
}

export const incidentSamples: Record<string, MutatingSample> = {
  'incidents.create': {
    as: 'compliance_officer',
    request: (ctx) => ({ title: `Lost laptop ${ctx.unique()}`, classification: 'data_breach', severity: 'medium', systemsAffected: ['Advisor laptop'], ssnExposed: true }),
  },
  'incidents.update': { request: async (ctx) => ({ id: await breach(ctx), status: 'contained', ssnExposed: true }) },
  'incidents.completeTask': { request: async (ctx) => ({ id: await breach(ctx), task: 'isolate', note: 'Mailbox disconnected.' }) },
  'incidents.recordNotification': {
    request: async (ctx) => ({ id: await breach(ctx), recipientType: 'department_of_education', recipient: 'Student Privacy Policy Office', method: 'email' }),
  },
  'incidents.addAction': { request: async (ctx) => ({ id: await breach(ctx), text: 'Forwarding rule removed.' }) },
  'incidents.link': {
    request: async (ctx) => {
      const c = await ctx.call<{ case: { id: string } }>('cases.create', { title: `Case ${ctx.unique()}`, type: 'breach', description: 'Breach case.' });
      return { id: await breach(ctx), itemType: 'case', itemId: c.case.id };
    },
  },
  'incidents.counselReview': { as: 'legal_counsel', request: async (ctx) => ({ id: await breach(ctx), note: 'Notification timing reviewed; adequate.' }) },
  'incidents.report': { request: async (ctx) => ({ id: await breach(ctx) }) },
};
