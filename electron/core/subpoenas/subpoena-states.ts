import type { SubpoenaState } from '../../../shared/contract/subpoenas.js';
import { CustosError } from '../errors.js';

/**
 * DESIGN §10: received → verified → notice_sent | notice_exempt → scoped → produced → closed,
 * or quashed / withdrawn at any point before production.
 */
export const SUBPOENA_TRANSITIONS: Record<SubpoenaState, readonly SubpoenaState[]> = {
  received: ['verified', 'quashed', 'withdrawn'],
  verified: ['notice_sent', 'notice_exempt', 'quashed', 'withdrawn'],
  notice_sent: ['scoped', 'quashed', 'withdrawn'],
  notice_exempt: ['scoped', 'quashed', 'withdrawn'],
  // Re-scoping before production keeps the state; it is not a transition.
  scoped: ['scoped', 'produced', 'quashed', 'withdrawn'],
  produced: ['closed'],
  closed: [],
  quashed: [],
  withdrawn: [],
};

const LABEL: Record<SubpoenaState, string> = {
  received: 'received but not yet verified',
  verified: 'verified but the subject has not been notified',
  notice_sent: 'notified but not yet scoped',
  notice_exempt: 'exempt from notice but not yet scoped',
  scoped: 'scoped',
  produced: 'produced',
  closed: 'closed',
  quashed: 'quashed',
  withdrawn: 'withdrawn',
};

/** Throws `conflict` unless the table allows `from → to`. */
export function assertSubpoenaTransition(id: string, from: SubpoenaState, to: SubpoenaState, action: string): void {
  if (!SUBPOENA_TRANSITIONS[from].includes(to)) {
    throw new CustosError('conflict', `Subpoena ${id} is ${LABEL[from]}, so it cannot ${action} now.`, {
      resourceType: 'subpoena',
      resourceId: id,
      from,
      to,
    });
  }
}
