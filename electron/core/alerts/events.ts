import { eventShapes } from '../ledger/details-shape.js';

/** Details of the alert events (see ledger/details-shape.ts). The subject of an alert is a user. */
export const ALERT_EVENTS = eventShapes({
  'alerts.fire': {
    rule: 'data',
    title: 'data',
    subject: 'person',
    severity: 'data',
    window_start: 'data',
    window_end: 'data',
    count: 'data',
    threshold: 'data',
    baseline: 'data',
    first_seq: 'data',
    trigger_seq: 'data',
  },
  'alerts.acknowledge': { rule: 'data', subject: 'person', note: 'text' },
  'alerts.escalate': { rule: 'data', subject: 'person', incident: 'data', note: 'text' },
  // Only ever a failure: a run of the rules that could not finish (its code and message).
  'alerts.evaluate': {},
});
