import { auditSamples } from './audit-samples.js';
import { complianceSamples } from './compliance-samples.js';
import { domainSamples } from './domain-samples.js';
import { fileSamples } from './file-samples.js';
import { coreSamples, type MutatingSample } from './mutating-samples.js';
import { retentionSamples } from './retention-samples.js';

/** Every domain's samples of mutating channels; add a domain's table here. */
export const allSamples: Record<string, MutatingSample> = {
  ...coreSamples,
  ...domainSamples,
  ...fileSamples,
  ...auditSamples,
  ...complianceSamples,
  ...retentionSamples,
};
