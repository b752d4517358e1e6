import type { MutatingSample } from './mutating-samples.js';

/** Samples of the file hand-over channel: a real bundle (of filtered events, which needs no second person) written to the exports folder first. */
export const fileSamples: Record<string, MutatingSample> = {
  'files.download': {
    as: 'auditor',
    request: async (ctx) => {
      const { fileName } = await ctx.call<{ fileName: string }>('bundles.create', { action: 'session.*' });
      return { fileName };
    },
  },
};
