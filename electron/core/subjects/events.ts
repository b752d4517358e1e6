import { eventShapes } from '../ledger/details-shape.js';

/** Details of the subject and record events (see ledger/details-shape.ts). */
export const SUBJECT_EVENTS = eventShapes({
  'subjects.create': { kind: 'data', external_id: 'subject', directory_opt_out: 'data' },
  'subjects.update': { changed: 'data' },
  'subjects.setDirectoryOptOut': { opt_out: 'data' },
  // evidence: what the status rests on (a tax return, a parent's declaration), in words.
  'subjects.setDependency': { dependent: 'data', from: 'data', evidence: 'text' },
  'records.create': { subject: 'subject', category: 'data', record_date: 'data', retention_until: 'data' },
  'records.view': { subject: 'subject', purpose: 'text' },
  'records.update': { subject: 'subject', changed: 'data', retention_until: 'data' },
  'records.erase': { subject: 'subject', category: 'data', reason: 'text' },
  'records.purgeExpired': { subject: 'subject', category: 'data', retention_until: 'data', purged: 'data', as_of: 'data', action: 'data', content_sha256: 'data' },
});
