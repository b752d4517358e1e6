import { eventShapes } from './details-shape.js';

/** Details of the ledger's own events (see details-shape.ts). */
export const LEDGER_EVENTS = eventShapes({
  // Only a filter's actor names a person.
  'ledger.query': { filter: 'data', 'filter.actor': 'person' },
  'ledger.verify': { valid: 'data', size: 'data', problems: 'data', root: 'data' },
  'ledger.checkpoint': { reason: 'data' },
});
