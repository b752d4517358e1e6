import { detailsShape } from '../../../electron/core/event-catalog.js';

interface EventLike {
  seq: number;
  action: string;
  outcome: string;
  details: Record<string, unknown> | string;
}

/**
 * Every details field of `events` that its action does not declare (each domain's events.ts), as
 * "seq action.field" lines; an undeclared action counts as one line. Empty when all are declared.
 */
export function undeclaredDetails(events: EventLike[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const details = typeof e.details === 'string' ? (JSON.parse(e.details) as Record<string, unknown>) : e.details;
    const shape = detailsShape(e.action, e.outcome as 'success' | 'denied' | 'failure');
    if (!shape) {
      out.push(`${e.seq} ${e.action} (no declared shape)`);
      continue;
    }
    for (const key of Object.keys(details)) if (!Object.hasOwn(shape, key)) out.push(`${e.seq} ${e.action}.${key}`);
  }
  return out;
}
