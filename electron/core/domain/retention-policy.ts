import type { PeriodUnit, RetentionAction } from '../../../shared/contract/retention.js';
import { CustosError } from '../errors.js';
import { loadPolicy } from '../policy.js';

export interface RetentionCategory {
  key: string;
  label: string;
  /** ISO 8601 duration (P7Y, P3Y6M, P30D) counted from the record's date; null = permanent. */
  period: string | null;
  erasable: boolean;
  source: string;
  /** What the retention sweep does once the period has run out (shipped default). */
  action: RetentionAction;
  /** The data classification level the policy applies to (shipped default). */
  classification: 'public' | 'internal' | 'confidential' | 'restricted';
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

/** A period as value and unit (seed 001), from an ISO 8601 duration of one component (P7Y, P18M, P30D). */
export function periodParts(period: string | null): { value: number; unit: PeriodUnit } | null {
  if (period === null) return null;
  const m = DURATION.exec(period);
  if (!m || period === 'P') throw new CustosError('failure', `The retention policy has a period Custos cannot read: ${period}.`);
  const [y, mo, d] = [Number(m[1] ?? 0), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  if (d === 0) return y > 0 && mo === 0 ? { value: y, unit: 'years' } : { value: y * 12 + mo, unit: 'months' };
  if (y === 0 && mo === 0) return d % 7 === 0 ? { value: d / 7, unit: 'weeks' } : { value: d, unit: 'days' };
  throw new CustosError('failure', `The retention policy mixes days with months or years (${period}); give one unit.`);
}

/** The ISO 8601 duration of a period given as value and unit (weeks become days). */
export function isoPeriod(value: number, unit: PeriodUnit): string {
  if (unit === 'years') return `P${value}Y`;
  if (unit === 'months') return `P${value}M`;
  return `P${unit === 'weeks' ? value * 7 : value}D`;
}
