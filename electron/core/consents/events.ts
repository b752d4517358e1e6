import { eventShapes } from '../ledger/details-shape.js';

/** Details of the consent events (see ledger/details-shape.ts). */
export const CONSENT_EVENTS = eventShapes({
  'consents.record': {
    subject_id: 'subject',
    given_by: 'data',
    categories: 'data',
    records: 'data',
    signed_at: 'data',
    expires_at: 'data',
  },
  'consents.revoke': { subject_id: 'subject', revoked_at: 'data', reason: 'text' },
});
