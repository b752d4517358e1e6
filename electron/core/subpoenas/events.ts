import { eventShapes } from '../ledger/details-shape.js';

const step = { subject_id: 'subject', from: 'data', to: 'data', case_id: 'data' } as const;

/** Details of the subpoena events (see ledger/details-shape.ts). */
export const SUBPOENA_EVENTS = eventShapes({
  'subpoenas.receive': { ...step, type: 'data', served_at: 'data', due_at: 'data', notice_due_at: 'data' },
  // counsel: the legal counsel who confirmed it (the verifier, or the counsel they named).
  'subpoenas.verify': { ...step, counsel: 'person' },
  'subpoenas.sendNotice': { ...step, sent_at: 'data', method: 'text' },
  'subpoenas.exemptNotice': { ...step, ground: 'data', until: 'data', at: 'data' },
  'subpoenas.scope': { ...step, records: 'data' },
  'subpoenas.produce': {
    ...step,
    production_id: 'data',
    disclosure_id: 'data',
    records: 'data',
    statements: 'data',
    bates_first: 'data',
    bates_last: 'data',
    pages: 'data',
    pdf_sha256: 'data',
    manifest_sha256: 'data',
    withheld_from_subject: 'data',
  },
  'subpoenas.close': step,
  'subpoenas.quash': step,
  'subpoenas.withdraw': step,
  'subpoenas.exportProduction': { subpoena_id: 'data', dir: 'data', file_name: 'data', sha256: 'data', bytes: 'data', files: 'data', manifest_sha256: 'data', pdf_sha256: 'data' },
});
