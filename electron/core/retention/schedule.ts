import type { SweepRun } from '../../../shared/contract/retention.js';
import type { ScheduleCadence } from '../../../shared/contract/schedules.js';
import { now as clockNow } from '../clock.js';
import { latestOccurrence, nextOccurrence } from '../domain/cadence.js';
import { CustosError, failureSentence } from '../errors.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { firstEventTs, lastSweepRow } from './retention-store.js';
import { runSweep, sweepRunOf } from './sweep.js';

/** The daily sweep: seed 002's scheduled job runs daily at 2 AM, in the workspace's time zone (time-zone.ts). */
export const SWEEP_CADENCE: ScheduleCadence = { cadence: 'daily', weekday: null, monthDay: null, timeOfDay: '02:00' };

/** The latest scheduled sweep time at or before `now` (02:00 today in the zone, or yesterday before 02:00). */
export function latestSlot(now: Date, zone: string): Date {
  return latestOccurrence(SWEEP_CADENCE, now, zone)!;
}

/** The first scheduled sweep time after `t`. */
export function nextSlotAfter(t: Date, zone: string): Date {
  return nextOccurrence(SWEEP_CADENCE, t, zone);
}

/** The last sweep that ran, or null. */
export function lastSweep(ws: Workspace): SweepRun | null {
  const r = lastSweepRow(ws.db);
  return r ? sweepRunOf(r) : null;
}

/** Since when the schedule counts: the last sweep, or the workspace's creation when none ran yet. */
function scheduleBase(ws: Workspace, now: Date): Date {
  const ts = lastSweepRow(ws.db)?.ran_at ?? firstEventTs(ws.db);
  return ts ? new Date(ts) : now;
}

/** When the next scheduled sweep is due: the first 02:00 after the last sweep (now, when one was missed). */
export function nextSweepAt(ws: Workspace, now: Date = clockNow()): Date {
  return nextSlotAfter(scheduleBase(ws, now), workspaceTimeZone(ws).timeZone);
}

// A failed scheduled sweep is retried after an hour, not on every tick (one failure event per attempt).
const RETRY_MS = 60 * 60_000;
const lastFailure = new WeakMap<Workspace, number>();

/**
 * Runs the daily sweep as the system if a 02:00 passed since the last one (or since the workspace
 * was created): called on a timer while the app or `custos serve` runs, and at unlock, which catches
 * up a missed run once (not once per missed day). Never throws: a failure is ledgered (outcome
 * failure) and the next tick tries again. Returns the run, or null when none was due or it failed.
 */
export function sweepIfDue(ws: Workspace, trigger: 'schedule' | 'unlock', now: Date = clockNow()): SweepRun | null {
  const failedAt = lastFailure.get(ws);
  if (trigger === 'schedule' && failedAt !== undefined && now.getTime() - failedAt < RETRY_MS) return null;
  try {
    if (!ws.isOpen || ws.db.inTransaction) return null;
    if (nextSweepAt(ws, now).getTime() > now.getTime()) return null;
    return runSweep(ws, { actor: 'system', at: now }, trigger).run;
  } catch (err) {
    lastFailure.set(ws, now.getTime());
    try {
      if (!ws.isOpen) return null;
      const code = err instanceof CustosError ? err.code : 'failure';
      ws.record({
        actor: 'system',
        action: 'retention.sweep.complete',
        resource_type: 'retention_sweep',
        resource_id: 'schedule',
        outcome: 'failure',
        details: { code, message: failureSentence('The scheduled sweep did not run', err), trigger },
      });
    } catch {
      // Nothing more a timer can do; the next tick tries again.
    }
    return null;
  }
}
