import { loadPolicy } from '../policy.js';

export interface EvidencePolicy {
  chunkBytes: number;
  inlineIngestMaxBytes: number;
  inlineViewMaxBytes: number;
}

/** resources/policies/evidence.json. */
export function evidencePolicy(): EvidencePolicy {
  return loadPolicy<EvidencePolicy>('evidence');
}
