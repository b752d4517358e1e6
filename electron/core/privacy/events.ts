import { eventShapes } from '../ledger/details-shape.js';

const resolved = { subject_id: 'subject', regime: 'data', right: 'data', from: 'data', to: 'data', at: 'data', late: 'data' } as const;

/** Details of the privacy-rights request events (see ledger/details-shape.ts). */
export const PRIVACY_EVENTS = eventShapes({
  'privacyRequests.create': { subject_id: 'subject', regime: 'data', right: 'data', received_at: 'data', due_at: 'data', case_id: 'data', to: 'data' },
  'privacyRequests.extend': { subject_id: 'subject', from: 'data', to: 'data', original_due_at: 'data', due_at: 'data', reason: 'text' },
  'privacyRequests.complete': { ...resolved, erased: 'data', kept: 'data', kept_categories: 'data', held_records: 'data' },
  'privacyRequests.reject': { ...resolved, reason: 'text' },
  'privacyRequests.subjectAudit': { subject_id: 'subject', file_name: 'data', sha256: 'data', bytes: 'data', through_seq: 'data', root: 'data', events: 'data' },
});
