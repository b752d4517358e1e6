import type { Recurrence } from '../../../shared/workflow-data.js';
import { addDays } from '../domain/deadlines.js';

/** One period of a recurring template: its key (unique per template), a label for titles, when it is due and when its instance opens. */
export interface Period {
  key: string;
  label: string;
  dueAt: string;
  opensAt: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The last instant of the UTC day `y-m-d` (m 0-based; a day past the month's end is its last day). */
function endOfDay(y: number, m: number, d: number): Date {
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last), 23, 59, 59, 999));
}

/** The later of the period's start and `opensDaysBefore` days before it is due. */
function opening(start: Date, due: Date, opensDaysBefore: number | undefined): string {
  const s = start.toISOString();
  if (opensDaysBefore === undefined) return s;
  const early = addDays(due.toISOString(), -opensDaysBefore);
  return early > s ? early : s;
}

/**
 * The period of a recurring template that `at` falls in: a month or a quarter (due on its last
 * day), or for a yearly template the year whose due day is the next on or after `at`.
 */
export function currentPeriod(r: Exclude<Recurrence, { every: 'none' }>, at: Date): Period {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (r.every === 'monthly') {
    const due = endOfDay(y, m, 31);
    return { key: `${y}-${String(m + 1).padStart(2, '0')}`, label: `${MONTHS[m]} ${y}`, dueAt: due.toISOString(), opensAt: opening(new Date(Date.UTC(y, m, 1)), due, r.opensDaysBefore) };
  }
  if (r.every === 'quarterly') {
    const q = Math.floor(m / 3);
    const due = endOfDay(y, q * 3 + 2, 31);
    return { key: `${y}-Q${q + 1}`, label: `Q${q + 1} ${y}`, dueAt: due.toISOString(), opensAt: opening(new Date(Date.UTC(y, q * 3, 1)), due, r.opensDaysBefore) };
  }
  const thisYear = endOfDay(y, r.month - 1, r.day);
  const year = at <= thisYear ? y : y + 1;
  const due = year === y ? thisYear : endOfDay(year, r.month - 1, r.day);
  const previous = endOfDay(year - 1, r.month - 1, r.day);
  return { key: String(year), label: String(year), dueAt: due.toISOString(), opensAt: opening(new Date(previous.getTime() + 1), due, r.opensDaysBefore) };
}
