import { eventShapes } from '../ledger/details-shape.js';

/** Details of the retention events (see ledger/details-shape.ts). */
export const RETENTION_EVENTS = eventShapes({
  /** An administrator's change of a category's policy: before and after, and how many record dates were recomputed. */
  'retention.setPolicy': { from: 'data', to: 'data', recomputed: 'data' },
  /** At unlock, by the system: record dates written under an earlier policy brought in line with the policy in force. */
  'retention.reconcileDates': { policy: 'data', recomputed: 'data' },
  /**
   * One per record a sweep touched (archived or deleted; a held one is a denied event naming its holds).
   * A deletion keeps content_sha256: the SHA-256 of the record's canonical content before it was destroyed,
   * so it stays provable that the record existed, was lawfully deleted, and when.
   */
  'retention.sweep': { run: 'data', subject: 'subject', category: 'data', action: 'data', retention_until: 'data', content_sha256: 'data' },
  /** The closing event of a sweep (seed 002's "scheduled purge complete"), with its counts. */
  'retention.sweep.complete': { run: 'data', trigger: 'data', as_of: 'data', archived: 'data', deleted: 'data', held: 'data' },
});
