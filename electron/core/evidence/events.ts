import { eventShapes } from '../ledger/details-shape.js';

const custody = { from: 'data', purpose: 'text', location: 'text' } as const;

/** Details of the evidence events (see ledger/details-shape.ts). */
export const EVIDENCE_EVENTS = eventShapes({
  'evidence.ingestFile': { sha256: 'data', size: 'data', file_name: 'text', source: 'text', collected_by: 'person', case: 'data' },
  'evidence.ingestContent': { sha256: 'data', size: 'data', file_name: 'text', source: 'text', collected_by: 'person', case: 'data' },
  // from/to of a transfer are the custodians who handed the item over and took it.
  'evidence.transfer': { from: 'person', to: 'person', purpose: 'text', location: 'text', at: 'data' },
  'evidence.seal': custody,
  'evidence.release': custody,
  'evidence.dispose': { reason: 'text', sha256: 'data', size: 'data', from: 'data', file: 'data' },
  'evidence.verify': { expected: 'data', actual: 'data', valid: 'data', reason: 'text' },
  'evidence.access': { via: 'data', purpose: 'text', sha256: 'data', destination: 'data', reason: 'text' },
  'evidence.custodyReport': { format: 'data', entries: 'data' },
});
