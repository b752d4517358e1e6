import { loadPolicy } from '../policy.js';

/** One step of the breach clock (resources/policies/breach-clock.json). */
export interface ClockTaskDef {
  key: string;
  title: string;
  /** A condition of the incident the task depends on (`ssn_exposed`); absent: always applies. */
  when?: 'ssn_exposed';
}

/** The data-breach response clock of seed 002, as data. */
export interface BreachClockPolicy {
  /** The classifications that start the clock. */
  classifications: string[];
  phases: { hours: number; label: string; tasks: ClockTaskDef[] }[];
  /** What closing an incident on the clock needs besides every applicable task done. */
  close: { requireCounselReview: boolean };
}

export function breachClockPolicy(): BreachClockPolicy {
  return loadPolicy<BreachClockPolicy>('breach-clock');
}

/** True when an incident of this classification runs the breach clock. */
export function startsClock(classification: string): boolean {
  return breachClockPolicy().classifications.includes(classification);
}

const HOUR_MS = 3_600_000;

/** `iso` plus whole hours, as UTC RFC 3339. */
export function addHours(iso: string, hours: number): string {
  return new Date(new Date(iso).getTime() + hours * HOUR_MS).toISOString();
}
