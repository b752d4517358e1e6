import { eventShapes } from '../ledger/details-shape.js';

/** Details of the disclosure events (see ledger/details-shape.ts). */
export const DISCLOSURE_EVENTS = eventShapes({
  'disclosures.record': {
    subject_id: 'subject',
    records: 'data',
    basis: 'data',
    disclosed_at: 'data',
    statements: 'data',
    withheld_from_subject: 'data',
    case_id: 'data',
    consent_id: 'data',
  },
  'disclosures.accountingReport': { audience: 'data', as_of: 'data', from: 'data', entries: 'data', sha256: 'data', bytes: 'data', path: 'data', file_name: 'data' },
});
