import type { AmendmentState } from '../../../shared/contract/amendments.js';
import { CustosError } from '../errors.js';

/** DESIGN §10: received → under_review → amended | denied → hearing_requested → hearing_scheduled → decided → closed. */
export const AMENDMENT_TRANSITIONS: Record<AmendmentState, readonly AmendmentState[]> = {
  received: ['under_review'],
  under_review: ['amended', 'denied'],
  amended: ['closed'],
  denied: ['hearing_requested', 'closed'],
  hearing_requested: ['hearing_scheduled'],
  // Rescheduling keeps the state; it is not a transition.
  hearing_scheduled: ['hearing_scheduled', 'decided'],
  decided: ['closed'],
  closed: [],
};

const LABEL: Record<AmendmentState, string> = {
  received: 'received',
  under_review: 'under review',
  amended: 'amended',
  denied: 'denied',
  hearing_requested: 'waiting for its hearing to be scheduled',
  hearing_scheduled: 'scheduled for a hearing',
  decided: 'decided after a hearing',
  closed: 'closed',
};

/** Throws `conflict` unless the table allows `from → to`. */
export function assertAmendmentTransition(id: string, from: AmendmentState, to: AmendmentState, action: string): void {
  if (!AMENDMENT_TRANSITIONS[from].includes(to)) {
    throw new CustosError('conflict', `Amendment request ${id} is ${LABEL[from]}, so it cannot ${action} now.`, {
      resourceType: 'amendment',
      resourceId: id,
      from,
      to,
    });
  }
}
