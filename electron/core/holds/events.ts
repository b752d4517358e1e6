import { eventShapes } from '../ledger/details-shape.js';

const notice = { custodian_id: 'data', custodian: 'person', notice: 'data' } as const;

/** Details of the legal-hold events (see ledger/details-shape.ts). */
export const HOLD_EVENTS = eventShapes({
  'holds.create': { case: 'data', custodians: 'person', scope: 'text' },
  'holds.update': { changed: 'data', scope: 'text' },
  'holds.activate': { case: 'data' },
  'holds.release': { case: 'data', reason: 'text', release_notices: 'data' },
  'holds.addCustodian': { custodian_id: 'data', custodian: 'person' },
  'holds.issueNotices': notice,
  'holds.sendReminders': notice,
  'holds.acknowledge': { custodian_id: 'data', custodian: 'person', method: 'data', was: 'data' },
  'holds.escalate': { custodian_id: 'data', custodian: 'person', escalated_to: 'person', days_unacknowledged: 'data' },
});
