import { eventShapes } from '../ledger/details-shape.js';

/** Details of the FERPA settings events (see ledger/details-shape.ts). */
export const FERPA_EVENTS = eventShapes({
  'ferpa.setPolicy': { setting: 'data', from: 'data', to: 'data', reason: 'text' },
});
