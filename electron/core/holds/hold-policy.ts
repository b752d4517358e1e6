import { loadPolicy } from '../policy.js';

export interface HoldPolicy {
  /** Whether activating a hold requests a signed bundle of its case unless the caller says otherwise. */
  snapshotOnActivate: boolean;
  acknowledgementReminderDays: number;
  escalateAfterDays: number;
  periodicReminderDays: number;
  escalateTo: string;
  notice: { hold: string; reminder: string; escalation: string; release: string };
}

/** resources/policies/holds.json: reminder and escalation periods and the notice texts. */
export function holdPolicy(): HoldPolicy {
  return loadPolicy<HoldPolicy>('holds');
}

/** `iso` plus a number of days, as an RFC 3339 timestamp. */
export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}
