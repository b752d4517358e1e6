import { eventShapes } from './details-shape.js';

/** Details of the ledger's own events (see details-shape.ts). */
export const LEDGER_EVENTS = eventShapes({
  // Only a filter's actor names a person.
  'ledger.query': { filter: 'data', 'filter.actor': 'person' },
  'ledger.verify': { valid: 'data', size: 'data', problems: 'data', root: 'data' },
  'ledger.checkpoint': { reason: 'data' },
  /**
   * A change of the audit-log retention period (issue 12.3): before and after; a shortening applied
   * on a second person's approval also names the request and who asked for it; a longer period
   * applied while a shortening waited names the request it withdrew.
   */
  'ledger.setRetention': { from: 'data', to: 'data', request_id: 'data', requested_by: 'person', withdraws: 'data' },
  /** A shorter audit-log period asked for, waiting for a second person (migration 021). */
  'ledger.setRetention.request': { request_id: 'data', from: 'data', to: 'data', replaces: 'data' },
  /** The second person rejected the shorter period asked for. */
  'ledger.setRetention.reject': { request_id: 'data', to: 'data', requested_by: 'person' },
  /**
   * Audit-log pruning: the range whose bodies were dropped, the policy and cutoff, and the checkpoint
   * signed at the prune point; denied (code held, naming the holds) when a legal hold suspended it.
   */
  'ledger.prune': {
    from_seq: 'data',
    through_seq: 'data',
    events: 'data',
    first_ts: 'data',
    last_ts: 'data',
    policy: 'data',
    cutoff: 'data',
    checkpoint_size: 'data',
    checkpoint_root: 'data',
    checkpoint_ts: 'data',
  },
});
