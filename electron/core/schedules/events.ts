import { eventShapes } from '../ledger/details-shape.js';

const CONTENT = {
  name: 'text',
  type: 'data',
  format: 'data',
  filters: 'data',
  'filters.actor': 'person',
  case_id: 'data',
  include_audit_trail: 'data',
  include_evidence: 'data',
  masking: 'data',
  recipient: 'person',
  cadence: 'data',
  weekday: 'data',
  month_day: 'data',
  time_of_day: 'data',
  approval: 'data',
  approval_reasons: 'data',
} as const;

/** Details of the scheduled-export events (see ledger/details-shape.ts). */
export const SCHEDULE_EVENTS = eventShapes({
  'schedules.create': CONTENT,
  // approval_voided: the change ended an approval the schedule had.
  'schedules.update': { ...CONTENT, approval_voided: 'data' },
  'schedules.setActive': { active: 'data' },
  'schedules.approve': { note: 'text' },
  'schedules.delete': { name: 'text' },
  // Missed occurrences skipped in favour of one catch-up run of the latest (ran_instead).
  'schedules.skip': { missed: 'data', first: 'data', ran_instead: 'data' },
  // Only written when a due run cannot start (outcome failure, with a reason).
  'schedules.run': { occurrence: 'data' },
});
