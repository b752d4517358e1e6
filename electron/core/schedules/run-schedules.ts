import { SCHEDULE_OWNERS } from '../../../shared/contract/schedules.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import { findUserRow } from '../auth/auth-store.js';
import type { CaseResourceProvider } from '../cases/case-scope.js';
import { now as clockNow } from '../clock.js';
import { CustosError } from '../errors.js';
import { insertExportRequestRow } from '../exports/exports-store.js';
import { getMaskingProfile } from '../exports/masking.js';
import { contentsProblem, executeScheduledExport, getExportRequest, nextExportRequestId } from '../exports/requests.js';
import { copiedExportContent, exportContentDetails } from '../exports/export-content.js';
import { exportScope } from '../exports/scope.js';
import { workspaceTimeZone } from '../time-zone.js';
import type { Workspace } from '../workspace.js';
import { countOccurrences, latestOccurrence, nextOccurrence } from '../domain/cadence.js';
import { cadenceOf } from './schedules.js';
import { insertScheduleRunRow, runnableScheduleRows, type ScheduleRow, setScheduleHandledRow } from './schedules-store.js';

/*
 * Running scheduled exports when due: on the hosts' timer tick, at sign-in (catch-up), and from
 * `custos run-due`. A schedule whose occurrences passed unhandled runs ONCE, for the latest of them
 * (the export covers the ledger as it stands now, so N runs would make N near-identical files); the
 * earlier ones are recorded as one "skipped" row and one schedules.skip event with how many were
 * missed. Each run is an export request (requested by the schedule's owner, approved by the
 * schedule's approval or by policy, listed on Exports), executed at once by the system: the file
 * lands in the workspace's exports folder and its SHA-256 is ledgered (exports.execute). A run that
 * cannot start (the case is gone, the owner may no longer export) is recorded as failed, and so is
 * a run whose export fails; either way the occurrence counts as handled, so a broken schedule does
 * not retry on every tick (the next occurrence tries again).
 */

/** What one due schedule did. */
export interface ScheduleRunResult {
  schedule: string;
  name: string;
  occurrence: string;
  /** Earlier occurrences skipped in favour of this one. */
  skipped: number;
  status: 'executed' | 'failed';
  requestId: string | null;
  fileName: string | null;
  sha256: string | null;
  error: string | null;
}

const SYSTEM = 'system';

/** Why this schedule cannot run now, or null. */
function runProblem(ws: Workspace, r: ScheduleRow, providers: readonly CaseResourceProvider[]): string | null {
  const owner = findUserRow(ws.db, r.owner);
  if (!owner || owner.disabled === 1) return `The schedule's owner ${r.owner} is disabled or no longer exists; another user must define the schedule again.`;
  if (!SCHEDULE_OWNERS.includes(owner.role)) return `The schedule's owner ${r.owner} is now ${owner.role} and may no longer request exports.`;
  try {
    getMaskingProfile(r.masking);
    const problem = contentsProblem(r.format, r.include_evidence === 1, r.include_audit_trail === 1);
    if (problem) return problem;
    exportScope(ws, { filters: JSON.parse(r.filters) as LedgerFilter, caseId: r.case_id, throughSeq: 0 }, providers);
  } catch (err) {
    // The core's own sentences only: an unexpected error's text stays out of the ledger and the answer.
    return err instanceof CustosError ? err.message : 'The schedule’s content could not be checked against the workspace.';
  }
  return null;
}

/** Records the occurrence(s) of a due schedule in one transaction: skipped ones, and the run's request or its failure. */
function startRun(ws: Workspace, r: ScheduleRow, latest: Date, missed: number, first: Date | null, problem: string | null, at: Date): string | null {
  const occurrence = latest.toISOString();
  return ws.tx(() => {
    if (missed > 0 && first) {
      insertScheduleRunRow(ws.db, { schedule_id: r.id, occurrence: first.toISOString(), kind: 'skipped', request_id: null, missed, error: null, at: at.toISOString() });
      ws.ledger.append(
        { actor: SYSTEM, action: 'schedules.skip', resource_type: 'export_schedule', resource_id: r.id, details: { missed, first: first.toISOString(), ran_instead: occurrence } },
        at,
      );
    }
    setScheduleHandledRow(ws.db, r.id, occurrence);
    if (problem) {
      insertScheduleRunRow(ws.db, { schedule_id: r.id, occurrence, kind: 'failed', request_id: null, missed: 0, error: problem, at: at.toISOString() });
      ws.ledger.append(
        { actor: SYSTEM, action: 'schedules.run', resource_type: 'export_schedule', resource_id: r.id, outcome: 'failure', details: { occurrence, reason: problem } },
        at,
      );
      return null;
    }
    const id = nextExportRequestId(ws, at);
    const day = occurrence.slice(0, 10);
    const decidedBy = r.approval === 'approved' ? r.approved_by : 'policy';
    insertExportRequestRow(ws.db, {
      id,
      title: `${r.name} (scheduled, ${day})`,
      ...copiedExportContent(r),
      status: 'approved',
      due_at: at.toISOString(),
      requested_by: r.owner,
      requested_at: at.toISOString(),
      decided_by: decidedBy,
      decided_at: r.approval === 'approved' ? r.approved_at : at.toISOString(),
      decision_note:
        r.approval === 'approved'
          ? `Approved with scheduled export ${r.id}; that approval covers each of its runs.`
          : `Policy: ${r.type} exports of masked data without the evidence register need no approval (scheduled export ${r.id}).`,
    });
    insertScheduleRunRow(ws.db, { schedule_id: r.id, occurrence, kind: 'run', request_id: id, missed: 0, error: null, at: at.toISOString() });
    ws.ledger.append(
      {
        actor: SYSTEM,
        action: 'exports.request',
        resource_type: 'export_request',
        resource_id: id,
        details: {
          ...exportContentDetails(r),
          approval: r.approval === 'approved' ? 'required' : 'not-required',
          approval_reasons: r.approval === 'approved' ? ['schedule'] : [],
          schedule: r.id,
          occurrence,
        },
      },
      at,
    );
    return id;
  });
}

/** Runs one due schedule (see the file's note). */
async function runOne(ws: Workspace, r: ScheduleRow, latest: Date, zone: string, providers: readonly CaseResourceProvider[], now: Date): Promise<ScheduleRunResult> {
  const c = cadenceOf(r);
  const handled = new Date(r.handled_through);
  const all = countOccurrences(c, handled, now, zone);
  const missed = Math.max(0, all - 1);
  const first = missed > 0 ? nextOccurrence(c, handled, zone) : null;
  const problem = runProblem(ws, r, providers);
  const base = { schedule: r.id, name: r.name, occurrence: latest.toISOString(), skipped: missed };
  const requestId = startRun(ws, r, latest, missed, first, problem, now);
  if (!requestId) return { ...base, status: 'failed', requestId: null, fileName: null, sha256: null, error: problem };
  try {
    const done = await executeScheduledExport(ws, SYSTEM, requestId, providers);
    return { ...base, status: 'executed', requestId, fileName: done.fileName, sha256: done.sha256, error: null };
  } catch (err) {
    // executeScheduledExport ledgered the failure (exports.execute, failure) and marked the request failed.
    const message = err instanceof CustosError ? err.message : 'The export could not be written.';
    return { ...base, status: 'failed', requestId, fileName: null, sha256: null, error: ws.isOpen ? (getExportRequest(ws, requestId).error ?? message) : message };
  }
}

/** Schedules being run now, per workspace: a tick while a run is still writing does not start it twice. */
const inProgress = new WeakMap<Workspace, Promise<ScheduleRunResult[]>>();

/**
 * Runs every schedule that is due at `now` (see the file's note); resolves to what each did (empty
 * when none was due). Never rejects: failures are ledgered and reported in the results. A call
 * while a previous one still runs waits for that one and reports nothing new.
 */
export async function runDueSchedules(ws: Workspace, providers: readonly CaseResourceProvider[], now: Date = clockNow()): Promise<ScheduleRunResult[]> {
  const running = inProgress.get(ws);
  if (running) {
    await running.catch(() => []);
    return [];
  }
  const work = (async () => {
    const results: ScheduleRunResult[] = [];
    try {
      if (!ws.isOpen || ws.db.inTransaction) return results;
      const zone = workspaceTimeZone(ws).timeZone;
      for (const { id } of runnableScheduleRows(ws.db)) {
        if (!ws.isOpen) break;
        // Read again after the runs before it (they awaited their files): a schedule paused, deleted
        // or sent back for approval meanwhile does not run, and an edited one runs as it is now.
        const r = runnableScheduleRows(ws.db).find((x) => x.id === id);
        if (!r) continue;
        const latest = latestOccurrence(cadenceOf(r), now, zone);
        if (!latest || latest.getTime() <= new Date(r.handled_through).getTime()) continue;
        try {
          results.push(await runOne(ws, r, latest, zone, providers, now));
        } catch {
          // The start could not be recorded (nothing changed); the next check tries again.
        }
      }
    } catch {
      // The workspace closed under the check (a lock): a timer's promise must never reject; the next unlock catches up.
    }
    return results;
  })();
  inProgress.set(ws, work);
  try {
    return await work;
  } finally {
    inProgress.delete(ws);
  }
}
