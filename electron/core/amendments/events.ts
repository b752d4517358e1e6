import { eventShapes } from '../ledger/details-shape.js';

// Every amendment transition names the record, its subject and the states it moves between.
const step = { subject_id: 'subject', record_id: 'data', from: 'data', to: 'data', case_id: 'data' } as const;

/** Details of the FERPA amendment events (see ledger/details-shape.ts). */
export const AMENDMENT_EVENTS = eventShapes({
  'amendments.receive': { ...step, received_at: 'data', due_at: 'data', matter: 'data', answered: 'data' },
  'amendments.startReview': step,
  'amendments.decide': { ...step, decision: 'data' },
  'amendments.requestHearing': { ...step, hearing_due_at: 'data' },
  'amendments.scheduleHearing': { ...step, hearing_at: 'data', rescheduled: 'data' },
  'amendments.recordHearingOutcome': { ...step, outcome: 'data' },
  'amendments.close': step,
  // One per earlier recipient told of an agreed amendment (written with amendments.decide or recordHearingOutcome).
  'amendments.notifyRecipient': { notice_id: 'data', amendment_id: 'data', subject_id: 'subject', record_id: 'data', disclosed_at: 'data' },
  'amendments.fileStatement': { statement_id: 'data', subject_id: 'subject', record_id: 'data', filed_at: 'data', state: 'data' },
});
