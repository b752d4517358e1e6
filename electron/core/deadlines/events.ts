import { eventShapes } from '../ledger/details-shape.js';

const resolved = { subject_id: 'subject', from: 'data', to: 'data', at: 'data', late: 'data' } as const;

/** Details of the FERPA access-request events (see ledger/details-shape.ts). */
export const DEADLINE_EVENTS = eventShapes({
  'accessRequests.create': { subject_id: 'subject', requested_at: 'data', due_at: 'data', to: 'data' },
  'accessRequests.fulfill': resolved,
  'accessRequests.withdraw': resolved,
});
