import { CustosError } from '../errors.js';
import { loadPolicy } from '../policy.js';

export interface RetentionCategory {
  key: string;
  label: string;
  /** ISO 8601 duration (P7Y, P3Y6M, P30D) counted from the record's date; null = permanent. */
  period: string | null;
  erasable: boolean;
  source: string;
}

interface RetentionFile {
  categories: Record<string, Omit<RetentionCategory, 'key'>>;
}

/** The record categories of resources/policies/retention.json, in file order. */
export function retentionCategories(): RetentionCategory[] {
  const file = loadPolicy<RetentionFile>('retention');
  return Object.entries(file.categories).map(([key, c]) => ({ key, ...c }));
}

/** The category; throws validation for a key the policy does not define. */
export function retentionCategory(key: string): RetentionCategory {
  const c = retentionCategories().find((x) => x.key === key);
  if (!c) {
    const keys = retentionCategories().map((x) => x.key).join(', ');
    throw new CustosError('validation', `There is no record category ${key}; use one of ${keys}.`);
  }
  return c;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/;

/** Adds an ISO 8601 date duration (years, months, days) to a YYYY-MM-DD date. */
export function addDuration(date: string, period: string): string {
  const m = DURATION.exec(period);
  if (!m || period === 'P') throw new CustosError('failure', `The retention policy has a period Custos cannot read: ${period}.`);
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + Number(m[1] ?? 0), d.getUTCMonth() + Number(m[2] ?? 0), d.getUTCDate() + Number(m[3] ?? 0));
  return d.toISOString().slice(0, 10);
}

/** The last day a record of this category and date must be kept; null when it is kept permanently. */
export function retentionUntil(category: string, recordDate: string): string | null {
  const c = retentionCategory(category);
  return c.period ? addDuration(recordDate, c.period) : null;
}

/** True when retention has run out by `today` (YYYY-MM-DD): the day after retention_until. */
export function retentionExpired(until: string | null, today: string): boolean {
  return until !== null && until < today;
}
