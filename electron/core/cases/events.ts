import { eventShapes } from '../ledger/details-shape.js';

/** Details of the case events (see ledger/details-shape.ts). */
export const CASE_EVENTS = eventShapes({
  'cases.create': { type: 'data', assignee: 'person' },
  'cases.update': { changed: 'data', type: 'data' },
  // from/to are the previous and the new assignee's user names.
  'cases.assign': { from: 'person', to: 'person' },
  'cases.setStatus': { from: 'data', to: 'data', reason: 'text', hold: 'data', automatic: 'data' },
  'cases.addNote': { note: 'data', length: 'data' },
  'cases.link': { item_type: 'data', item_id: 'data' },
  'cases.unlink': { item_type: 'data', item_id: 'data' },
});
