import { eventShapes } from '../ledger/details-shape.js';

/** Details of the security-incident events (see ledger/details-shape.ts). */
export const INCIDENT_EVENTS = eventShapes({
  'incidents.create': {
    classification: 'data',
    severity: 'data',
    discovered_at: 'data',
    systems: 'text',
    ssn_exposed: 'data',
    clock_tasks: 'data',
    case: 'data',
  },
  // from/to: the changed fields before and after; the systems affected are typed by people (free text).
  'incidents.update': { changed: 'data', from: 'data', to: 'data', 'from.systemsAffected': 'text', 'to.systemsAffected': 'text', clock_tasks: 'data' },
  'incidents.completeTask': { task: 'data', title: 'data', due_at: 'data', done_at: 'data', late: 'data', note: 'text' },
  'incidents.recordNotification': { notification: 'data', recipient_type: 'data', recipient: 'person', method: 'data', notified_at: 'data' },
  'incidents.addAction': { action: 'data', at: 'data' },
  'incidents.link': { item_type: 'data', item_id: 'data' },
  'incidents.counselReview': { reviewed_at: 'data' },
  'incidents.report': { file_name: 'data', sha256: 'data', bytes: 'data', through_seq: 'data', root: 'data', tasks: 'data', overdue: 'data', notifications: 'data' },
});
