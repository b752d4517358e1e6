import type { Db } from '../db/open.js';
import { loadPolicy } from '../policy.js';
import type { ReportBody } from './report-kit.js';
import type { AccessRequestRow, EventGroup, LedgerWindow, Period } from './reports-store.js';

/** What every kind computes its figures from: the database, the ledger window and the period. */
export interface ReportInput {
  db: Db;
  /** Ledger events up to the anchor's size within the period. */
  window: LedgerWindow;
  /** The period as half-open UTC instants, for the tables. */
  period: Period;
  /** When the report is made (for "overdue as of generation"). */
  now: Date;
  /** The window's events per action, outcome and actor (one pass, read on first use). */
  groups(): EventGroup[];
}

export type KindBuilder = (input: ReportInput) => ReportBody;

/** FERPA's access deadline (resources/policies/deadlines.json). */
export function ferpaAccessDays(): number {
  return loadPolicy<{ accessRequest: { responseDays: number } }>('deadlines').accessRequest.responseDays;
}

const DAY = 86_400_000;

/** How requests received in a period stand against a response period of `days`. */
export interface RequestTiming {
  received: number;
  fulfilled: number;
  onTime: number;
  late: number;
  withdrawn: number;
  open: number;
  /** Open, and past the response period at generation. */
  openOverdue: number;
  /** Median whole days from receipt to fulfilment ('—' when none was fulfilled). */
  medianDays: number | string;
}

/** Whole days (rounded up) between two instants. */
export function daysBetween(from: string, to: string): number {
  return Math.ceil((Date.parse(to) - Date.parse(from)) / DAY);
}

/** The median of whole-day spans (rounded when it falls between two), or '—' when there are none. */
export function medianOf(spans: readonly number[]): number | string {
  const sorted = [...spans].sort((a, b) => a - b);
  if (sorted.length === 0) return '—';
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** True when a request received at `requestedAt` was answered at `resolvedAt` within `days`. */
export function answeredWithin(requestedAt: string, resolvedAt: string, days: number): boolean {
  return Date.parse(resolvedAt) - Date.parse(requestedAt) <= days * DAY;
}

/** The timing of access requests against `days`, as of `now`. */
export function requestTiming(rows: readonly AccessRequestRow[], days: number, now: Date): RequestTiming {
  const fulfilled = rows.filter((r) => r.state === 'fulfilled' && r.resolved_at);
  const onTime = fulfilled.filter((r) => answeredWithin(r.requested_at, r.resolved_at!, days)).length;
  const open = rows.filter((r) => r.state === 'open');
  return {
    received: rows.length,
    fulfilled: fulfilled.length,
    onTime,
    late: fulfilled.length - onTime,
    withdrawn: rows.filter((r) => r.state === 'withdrawn').length,
    open: open.length,
    openOverdue: open.filter((r) => now.getTime() - Date.parse(r.requested_at) > days * DAY).length,
    medianDays: medianOf(fulfilled.map((r) => daysBetween(r.requested_at, r.resolved_at!))),
  };
}
