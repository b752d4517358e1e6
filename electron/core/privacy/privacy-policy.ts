import type { PrivacyRegime, PrivacyRight } from '../../../shared/contract/privacy.js';
import { addDays } from '../domain/deadlines.js';
import { loadPolicy } from '../policy.js';

/** A period of calendar months or days, as resources/policies/privacy-requests.json writes it. */
export interface Period {
  months?: number;
  days?: number;
}

/** One regime's periods (resources/policies/privacy-requests.json). */
export interface RegimePolicy {
  label: string;
  response: Period;
  extension: Period;
  erasureRights: PrivacyRight[];
}

export function privacyPolicy(): { regimes: Record<PrivacyRegime, RegimePolicy> } {
  return loadPolicy<{ regimes: Record<PrivacyRegime, RegimePolicy> }>('privacy-requests');
}

/**
 * `iso` plus whole calendar months (UTC), keeping the time of day. A day the target month lacks
 * (31 January + 1 month) falls on that month's last day, as Regulation 1182/71 Art. 3(2)(c) counts.
 */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(d);
  out.setUTCDate(1);
  out.setUTCFullYear(y, m, Math.min(d.getUTCDate(), last));
  return out.toISOString();
}

function addPeriod(iso: string, p: Period): string {
  return addDays(addMonths(iso, p.months ?? 0), p.days ?? 0);
}

/** The first deadline of a request received at `receivedAt`. */
export function responseDue(regime: PrivacyRegime, receivedAt: string): string {
  return addPeriod(receivedAt, privacyPolicy().regimes[regime].response);
}

/**
 * The extended deadline, counted from receipt over the whole period (one month + two, 45 days + 45),
 * so a month-end receipt is not clamped twice (31 January → 30 April, not 28 April).
 */
export function extendedDue(regime: PrivacyRegime, receivedAt: string): string {
  const r = privacyPolicy().regimes[regime];
  return addPeriod(receivedAt, { months: (r.response.months ?? 0) + (r.extension.months ?? 0), days: (r.response.days ?? 0) + (r.extension.days ?? 0) });
}

/** True for the rights whose completion erases the subject's records (GDPR erasure, CCPA deletion). */
export function erasesRecords(regime: PrivacyRegime, right: PrivacyRight): boolean {
  return privacyPolicy().regimes[regime].erasureRights.includes(right);
}
