import { eventShapes } from '../ledger/details-shape.js';

/** Details of the export-request events (see ledger/details-shape.ts). */
export const EXPORT_EVENTS = eventShapes({
  'exports.request': {
    type: 'data',
    format: 'data',
    // The ledger filters: only their actor names a person.
    filters: 'data',
    'filters.actor': 'person',
    case_id: 'data',
    include_audit_trail: 'data',
    include_evidence: 'data',
    masking: 'data',
    recipient: 'person',
    approval: 'data',
    approval_reasons: 'data',
    // A scheduled export's run: the schedule that made it and the occurrence it is for.
    schedule: 'data',
    occurrence: 'data',
  },
  'exports.approve': { note: 'text' },
  'exports.reject': { note: 'text' },
  // The CLI's copy of an executed export to where --out says (the local user's own path).
  'exports.copy': { path: 'data', sha256: 'data', bytes: 'data' },
  'exports.execute': {
    format: 'data',
    rows: 'data',
    evidence_items: 'data',
    bytes: 'data',
    sha256: 'data',
    masking: 'data',
    filters: 'data',
    'filters.actor': 'person',
    through_seq: 'data',
    path: 'data',
  },
});
