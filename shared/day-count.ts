/*
 * Days left until a deadline, counted once for the whole product (the core's due list, the
 * Dashboard, the Deadlines screen and every details pane): calendar days in the workspace's time
 * zone. An item due on 5 December is "due today" all of 5 December and "1 day overdue" all of
 * 6 December there, whatever the hour of its due instant, the hour now, or a DST change between.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone as Intl names it, or null when Intl does not know it. */
export function canonicalTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The time zone of the machine this code runs on (the default of a workspace that has chosen none). */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The calendar date (YYYY-MM-DD) of an instant in `zone`. A bare YYYY-MM-DD is already a date, and so
 * is a stored instant (a string) at exactly 00:00:00.000Z: the core stores a date entered without a time that way
 * (domain/deadlines.ts toUtcIso), and "due 31 January" must stay 31 January west of Greenwich too.
 */
export function calendarDate(at: Date | string, zone: string): string {
  if (typeof at === 'string' && DATE_ONLY.test(at)) return at;
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a date: ${String(at)}`);
  if (typeof at === 'string' && d.getTime() % DAY_MS === 0) return d.toISOString().slice(0, 10);
  const parts = Object.fromEntries(formatter(zone).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Whole days from date `a` to date `b` (both YYYY-MM-DD), counted on the calendar (no hours, so no DST). */
function dateDiff(a: string, b: string): number {
  const utc = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((utc(b) - utc(a)) / DAY_MS);
}

/**
 * Calendar days from today to the due date, both in `zone`: 0 when due today, 1 tomorrow,
 * −1 when it was due yesterday. `due` is an instant (RFC 3339) or a date (YYYY-MM-DD).
 */
export function daysUntil(due: string, now: Date, zone: string): number {
  const v = dateDiff(calendarDate(now, zone), calendarDate(due, zone));
  return v === 0 ? 0 : v; // no -0
}

/** The words for a day count: "due today", "1 day left", "3 days left", "1 day overdue", "10 days overdue". */
export function dayCountLabel(days: number): string {
  if (days === 0) return 'due today';
  const n = Math.abs(days);
  return `${n} ${n === 1 ? 'day' : 'days'} ${days > 0 ? 'left' : 'overdue'}`;
}
