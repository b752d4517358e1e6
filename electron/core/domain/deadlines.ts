import { loadPolicy } from '../policy.js';

/** The durations of FERPA and HIPAA work (resources/policies/deadlines.json); never literals in code. */
export interface DeadlinePolicy {
  amendment: { decisionDays: number; hearingDays: number; hearingDecisionDays: number };
  subpoena: { noticeDays: number };
  accessRequest: { responseDays: number };
  accounting: { lookbackYears: number };
  dueSoonDays: number;
}

export function deadlinePolicy(): DeadlinePolicy {
  return loadPolicy<DeadlinePolicy>('deadlines');
}

const DAY_MS = 86_400_000;

/** A date (YYYY-MM-DD, read as midnight UTC) or RFC 3339 instant as a UTC RFC 3339 string. */
export function toUtcIso(input: string): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(input) ? `${input}T00:00:00.000Z` : input);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a date: ${input}`);
  return d.toISOString();
}

/** `iso` plus a number of calendar days (24-hour steps in UTC). */
export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * DAY_MS).toISOString();
}

/** `iso` minus whole calendar years (29 February steps back to 28 February or 1 March as Date does). */
export function subtractYears(iso: string, years: number): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString();
}
