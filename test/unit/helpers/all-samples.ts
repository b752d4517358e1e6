import { auditSamples } from './audit-samples.js';
import { complianceSamples } from './compliance-samples.js';
import { consentSamples } from './consent-samples.js';
import { domainSamples } from './domain-samples.js';
import { fileSamples } from './file-samples.js';
import { mfaSamples } from './mfa-samples.js';
import { incidentSamples } from './incident-samples.js';
import { coreSamples, type MutatingSample } from './mutating-samples.js';
import { workflowSamples } from './workflow-samples.js';
import { reportSamples } from './report-samples.js';
import { retentionSamples } from './retention-samples.js';
import { bundleRequestSamples } from './bundle-request-samples.js';
import { alertSamples } from './alert-samples.js';
import { privacySamples } from './privacy-samples.js';
import { witnessSamples } from './witness-samples.js';
import { scheduleSamples } from './schedule-samples.js';

/** Every domain's samples of mutating channels; add a domain's table here. */
export const allSamples: Record<string, MutatingSample> = {
  ...coreSamples,
  ...domainSamples,
  ...fileSamples,
  ...auditSamples,
  ...complianceSamples,
  ...workflowSamples,
  ...mfaSamples,
  ...consentSamples,
  ...reportSamples,
  ...incidentSamples,
  ...retentionSamples,
  ...bundleRequestSamples,
  ...alertSamples,
  ...privacySamples,
  ...witnessSamples,
  ...scheduleSamples,
};
