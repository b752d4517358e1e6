import { eventShapes } from '../ledger/details-shape.js';

/** Details of the compliance-program events (see ledger/details-shape.ts). */
export const COMPLIANCE_EVENTS = eventShapes({
  'frameworks.setEnabled': { enabled: 'data', version: 'data', requirements: 'data' },
  'requirements.assess': { assessment: 'data', from: 'data', to: 'data', implemented: 'data', notes: 'text', evidence: 'data', next_assessment_at: 'data' },
  'requirements.assign': { from: 'person', to: 'person' },
});
