import type { MutatingSample } from './mutating-samples.js';

/**
 * Samples of the bundle request channel (issue 15.4: bundles follow the two-person rule). Its
 * approval, run and listing go through exports.approve/execute/list, sampled with the exports.
 */
export const bundleRequestSamples: Record<string, MutatingSample> = {
  'bundles.request': {
    as: 'auditor',
    // A bundle request is an export request: it is recorded as exports.request.
    actions: ['exports.request'],
    request: () => ({ title: 'Audit log bundle', type: 'AUDIT', purpose: 'Annual audit of access', recipient: 'External auditor' }),
  },
};
