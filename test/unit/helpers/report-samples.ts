import type { MutatingSample } from './mutating-samples.js';

/** Samples of the report channels: an auditor produces a report (auditors read and produce reports, never change records). */
export const reportSamples: Record<string, MutatingSample> = {
  'reports.generate': { as: 'auditor', request: () => ({ kind: 'actions-30d' }) },
};
