import type { ScheduleCadence } from '../../../shared/contract/schedules.js';

/*
 * When a schedule's occurrences fall: on calendar days of the workspace's time zone, at a wall-clock
 * time there. Daily every day; weekly on one weekday (1 = Monday … 7 = Sunday); monthly on one day
 * of the month, the month's last day when it is shorter (31 → 30 April, 28 or 29 February). A time
 * that does not exist on a day (skipped by a spring-forward change) runs when the clocks have moved
 * on, as long after the change as it was meant after it (02:30 → 03:30); a time that occurs twice
 * (autumn) runs at the first.
 */

const DAY_MS = 86_400_000;
/** How far back or ahead an occurrence is looked for: a monthly schedule's next run is at most 31 days away. */
const SEARCH_DAYS = 62;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    partsFormatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading of `at` in `zone`. */
function wallClock(at: Date, zone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(partsFormatter(zone).formatToParts(at).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

/** How far `zone` is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: Date, zone: string): number {
  const w = wallClock(at, zone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant at which `zone` reads y-m-d h:min (m 1-based); see the file's note for gaps and repeats. */
export function zonedInstant(y: number, m: number, d: number, h: number, min: number, zone: string): Date {
  const naive = Date.UTC(y, m - 1, d, h, min);
  // The offsets a few hours either side: the two readings around a change.
  const before = offsetAt(new Date(naive - 12 * 3_600_000), zone);
  const after = offsetAt(new Date(naive + 12 * 3_600_000), zone);
  // The offset before the change gives the earlier instant, so an autumn repeat runs at the first.
  for (const off of [before, after]) {
    const t = new Date(naive - off);
    const w = wallClock(t, zone);
    if (w.y === y && w.m === m && w.d === d && w.h === h && w.min === min) return t;
  }
  // No instant reads it (spring gap): the wall time as if the old offset still held, which lands after the change.
  return new Date(naive - before);
}

/** YYYY-MM-DD plus `n` days, on the calendar. */
function addDaysToDate(y: number, m: number, d: number, n: number): { y: number; m: number; d: number } {
  const t = new Date(Date.UTC(y, m - 1, d) + n * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Whether the schedule runs on this calendar day. */
function runsOn(c: ScheduleCadence, y: number, m: number, d: number): boolean {
  if (c.cadence === 'daily') return true;
  if (c.cadence === 'weekly') {
    const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
    return (dow === 0 ? 7 : dow) === c.weekday;
  }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d === Math.min(c.monthDay ?? 1, last);
}

function timeParts(c: ScheduleCadence): { h: number; min: number } {
  const [h, min] = c.timeOfDay.split(':').map(Number);
  return { h: h ?? 0, min: min ?? 0 };
}

/** The occurrence on a calendar day, or null when the schedule does not run that day. */
function occurrenceOn(c: ScheduleCadence, day: { y: number; m: number; d: number }, zone: string): Date | null {
  if (!runsOn(c, day.y, day.m, day.d)) return null;
  const { h, min } = timeParts(c);
  return zonedInstant(day.y, day.m, day.d, h, min, zone);
}

/** The latest occurrence at or before `at`, or null when there is none in the last two months (never for a valid cadence). */
export function latestOccurrence(c: ScheduleCadence, at: Date, zone: string): Date | null {
  const today = wallClock(at, zone);
  for (let i = 0; i <= SEARCH_DAYS; i += 1) {
    const occ = occurrenceOn(c, addDaysToDate(today.y, today.m, today.d, -i), zone);
    if (occ && occ.getTime() <= at.getTime()) return occ;
  }
  return null;
}

/** The first occurrence strictly after `at`. */
export function nextOccurrence(c: ScheduleCadence, at: Date, zone: string): Date {
  const today = wallClock(at, zone);
  for (let i = 0; i <= SEARCH_DAYS; i += 1) {
    const occ = occurrenceOn(c, addDaysToDate(today.y, today.m, today.d, i), zone);
    if (occ && occ.getTime() > at.getTime()) return occ;
  }
  throw new RangeError('A schedule has no occurrence in the next two months.');
}

/**
 * How many occurrences fall after `after` and at or before `through` (both instants), counting at
 * most `cap` (a schedule paused for years does not walk every day it missed).
 */
export function countOccurrences(c: ScheduleCadence, after: Date, through: Date, zone: string, cap = 10_000): number {
  let n = 0;
  let t = after;
  while (n < cap) {
    const next = nextOccurrence(c, t, zone);
    if (next.getTime() > through.getTime()) break;
    n += 1;
    t = next;
  }
  return n;
}
