import type { MutatingSample, SampleContext } from './mutating-samples.js';

const CONTENT = {
  type: 'INTERNAL',
  format: 'csv',
  masking: 'pseudonymize-people',
  purpose: 'Daily review of access',
  recipient: 'Compliance office',
  cadence: 'daily',
  timeOfDay: '06:00',
} as const;

/** A schedule owned by the administrator; `legal` makes one that waits for approval. */
async function schedule(ctx: SampleContext, legal = false): Promise<string> {
  return (await created(ctx, legal)).id;
}

async function created(ctx: SampleContext, legal = false): Promise<{ id: string; updatedAt: string }> {
  const r = await ctx.call<{ schedule: { id: string; updatedAt: string } }>('schedules.create', { ...CONTENT, name: `Extract ${ctx.unique()}`, ...(legal ? { type: 'LEGAL' } : {}) });
  return r.schedule;
}

/** Samples of the scheduled-export channels. */
export const scheduleSamples: Record<string, MutatingSample> = {
  'schedules.create': { as: 'compliance_officer', request: () => ({ ...CONTENT, name: 'Daily access extract' }) },
  'schedules.update': { request: async (ctx) => ({ id: await schedule(ctx), ...CONTENT, name: 'Renamed extract', timeOfDay: '07:15' }) },
  'schedules.setActive': { request: async (ctx) => ({ id: await schedule(ctx), active: false }) },
  'schedules.approve': { as: 'legal_counsel', request: async (ctx) => {
      const s = await created(ctx, true);
      return { id: s.id, updatedAt: s.updatedAt, note: 'Fine.' };
    },
  },
  'schedules.delete': { request: async (ctx) => ({ id: await schedule(ctx) }) },
};
