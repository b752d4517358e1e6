import { createHash } from 'node:crypto';
import type { HoldRef } from '../../../shared/contract/holds.js';
import type { LedgerPruneDone, RetentionAction, RetentionPolicy, SweepCandidate, SweepHeld, SweepRun } from '../../../shared/contract/retention.js';
import { nextId, yearPrefix } from '../domain/ids.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { CustosError, failureSentence, failureText, isCustosError } from '../errors.js';
import { activeHoldsFor, assertNotHeld } from '../holds/active-holds.js';
import { canonicalBytes } from '../ledger/jcs.js';
import type { Workspace } from '../workspace.js';
import { planLedgerPrune, pruneLedger } from './ledger-prune.js';
import { retentionPolicies } from './policies.js';
import { expiredRows, insertSweep, recordContentRow, setRecordArchived, setRecordPurged, type ExpiredRow, type SweepRow } from './retention-store.js';

/**
 * The retention engine: the one path by which records leave the kept set because their retention
 * ran out. The Retention screen's "Run sweep", `custos sweep`, the 02:00 schedule and the older
 * records.purgeExpired channel all come through here. Every record goes through assertNotHeld, the
 * gate of every destructive path, inside the transaction of the change: a held record is never
 * archived or deleted, whatever its policy says.
 */

/** An expired record with what its policy says to do. */
export interface Due extends ExpiredRow {
  action: RetentionAction;
}

/** The records whose retention ran out before `today` and that the policy in force still has to act on. */
export function dueRecords(ws: Workspace, today: string): Due[] {
  const policies = new Map<string, RetentionPolicy>(retentionPolicies(ws).map((p) => [p.category, p]));
  const due: Due[] = [];
  for (const r of expiredRows(ws.db, today)) {
    const p = policies.get(r.category);
    // A category kept permanently is never swept; an archived record waits until its policy says delete.
    if (!p || p.period === null) continue;
    if (p.action === 'archive' && r.archived_at !== null) continue;
    due.push({ ...r, action: p.action });
  }
  return due;
}

/** SHA-256 (hex) of a record's canonical content, kept in the ledger when the content is destroyed. */
export function recordContentHash(ws: Workspace, id: string): string {
  const r = recordContentRow(ws.db, id);
  const canonical = canonicalBytes({
    id,
    subject: r?.subject_id ?? null,
    category: r?.category ?? null,
    title: r?.title ?? null,
    content: r?.content ?? null,
    source: r?.source ?? null,
    record_date: r?.record_date ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** How the engine ledgers what it does: the action name of its events and, for a sweep, the run id. */
export interface EngineContext {
  actor: string;
  at: Date;
  eventAction: 'retention.sweep' | 'records.purgeExpired';
  run?: string;
}

/**
 * Applies the policy to one due record: archives it or destroys its content (keeping the content's
 * SHA-256 in the event). Call inside `ws.tx`; throws `held` (changing nothing) when a hold covers it.
 */
export function applyRetention(ws: Workspace, r: Due, ctx: EngineContext): void {
  assertNotHeld(ws, 'record', r.id);
  const at = ctx.at.toISOString();
  const run = ctx.run ? { run: ctx.run } : {};
  if (r.action === 'archive') {
    setRecordArchived(ws.db, r.id, ctx.actor, at);
    ws.ledger.append(
      { actor: ctx.actor, action: ctx.eventAction, resource_type: 'record', resource_id: r.id, details: { ...run, subject: r.subject_id, category: r.category, action: 'archive', retention_until: r.retention_until } },
      ctx.at,
    );
    return;
  }
  const hash = recordContentHash(ws, r.id);
  setRecordPurged(ws.db, r.id, ctx.actor, `retention ran out on ${r.retention_until}`, at);
  ws.ledger.append(
    {
      actor: ctx.actor,
      action: ctx.eventAction,
      resource_type: 'record',
      resource_id: r.id,
      details: { ...run, subject: r.subject_id, category: r.category, action: 'delete', retention_until: r.retention_until, content_sha256: hash },
    },
    ctx.at,
  );
}

/** Ledgers a due record the engine left alone because of a hold (outcome denied, naming the holds). */
export function ledgerHeldSkip(ws: Workspace, r: Due, holds: readonly string[], message: string, ctx: EngineContext): void {
  const run = ctx.run ? { run: ctx.run } : {};
  ws.ledger.append(
    {
      actor: ctx.actor,
      action: ctx.eventAction,
      resource_type: 'record',
      resource_id: r.id,
      outcome: 'denied',
      details: { ...run, code: 'held', message, holds: [...holds], category: r.category, action: r.action },
    },
    ctx.at,
  );
}

/**
 * Applies the policy to every due record, skipping (and ledgering) held ones. Call inside `ws.tx`.
 * Returns what was archived, deleted and held.
 */
export function applyToDue(
  ws: Workspace,
  due: readonly Due[],
  ctx: EngineContext,
): { archived: string[]; deleted: string[]; held: SweepHeld[]; holdRefs: Map<string, HoldRef[]> } {
  const archived: string[] = [];
  const deleted: string[] = [];
  const held: SweepHeld[] = [];
  const holdRefs = new Map<string, HoldRef[]>();
  for (const r of due) {
    try {
      applyRetention(ws, r, ctx);
    } catch (err) {
      if (!isCustosError(err, 'held')) throw err;
      const refs = (err.details?.holds ?? []) as HoldRef[];
      holdRefs.set(r.id, refs);
      const holds = refs.map((h) => h.id);
      held.push({ id: r.id, category: r.category, action: r.action, retentionUntil: r.retention_until, holds });
      ledgerHeldSkip(ws, r, holds, failureText(err), ctx);
      continue;
    }
    (r.action === 'archive' ? archived : deleted).push(r.id);
  }
  return { archived, deleted, held, holdRefs };
}

/** The dry run: what a sweep at `at` would archive or delete, and what it would skip because of a hold. Changes nothing. */
export function planSweep(ws: Workspace, at: Date, limit = Number.POSITIVE_INFINITY): {
  asOf: string;
  counts: { archive: number; delete: number; held: number };
  candidates: SweepCandidate[];
  held: SweepHeld[];
  truncated: boolean;
} {
  const asOf = utcDate(at);
  const candidates: SweepCandidate[] = [];
  const held: SweepHeld[] = [];
  const counts = { archive: 0, delete: 0, held: 0 };
  for (const r of dueRecords(ws, asOf)) {
    const holds = activeHoldsFor(ws, 'record', r.id);
    const item = { id: r.id, category: r.category, action: r.action, retentionUntil: r.retention_until };
    if (holds.length > 0) {
      counts.held++;
      if (held.length < limit) held.push({ ...item, holds: holds.map((h) => h.id) });
    } else {
      counts[r.action]++;
      if (candidates.length < limit) candidates.push(item);
    }
  }
  return { asOf, counts, candidates, held, truncated: candidates.length + held.length < counts.archive + counts.delete + counts.held };
}

function toRun(r: SweepRow): SweepRun {
  return { id: r.id, trigger: r.trigger, actor: r.actor, ranAt: r.ran_at, asOf: r.as_of, archived: r.archived, deleted: r.deleted, held: r.held };
}

export { toRun as sweepRunOf };

/**
 * The retention sweep, in one transaction: one retention.sweep event per record it archived,
 * deleted or skipped because of a hold, then the closing retention.sweep.complete event with the
 * counts (seed 002's "scheduled purge complete"), written even when there was nothing to do.
 * Then, in its own transaction, the audit log is pruned to its policy (issue 12.3).
 */
export function runSweep(
  ws: Workspace,
  op: Op,
  trigger: SweepRun['trigger'],
): { run: SweepRun; archived: string[]; deleted: string[]; held: SweepHeld[]; ledger: LedgerPruneDone } {
  const at = opTime(op);
  const records = sweepRecords(ws, { ...op, at }, trigger);
  return { ...records, ledger: pruneAfterSweep(ws, { ...op, at }) };
}

/**
 * The audit-log part of a sweep, after the records' transaction: events older than the audit-log
 * policy are pruned to their hashes (ledger-prune.ts). A failure here leaves the records' sweep
 * done; it is ledgered (ledger.prune, outcome failure) and said in the result.
 */
function pruneAfterSweep(ws: Workspace, op: Op): LedgerPruneDone {
  try {
    const r = pruneLedger(ws, op);
    return { plan: r.plan, prunedThrough: r.pruned?.throughSeq ?? null, description: r.description, vacuumed: r.vacuumed, error: r.postponed ?? null };
  } catch (err) {
    const message = failureSentence('The audit log was not pruned', err);
    ws.record({
      actor: op.actor,
      action: 'ledger.prune',
      resource_type: 'ledger',
      resource_id: 'audit_log',
      outcome: 'failure',
      details: { code: err instanceof CustosError ? err.code : 'failure', message },
    });
    return { plan: planLedgerPrune(ws, opTime(op)), prunedThrough: null, description: null, vacuumed: false, error: message };
  }
}

function sweepRecords(ws: Workspace, op: Op, trigger: SweepRun['trigger']): { run: SweepRun; archived: string[]; deleted: string[]; held: SweepHeld[] } {
  const at = opTime(op);
  const asOf = utcDate(at);
  return ws.tx(() => {
    const id = nextId(ws, yearPrefix('SWEEP', at), 4);
    const ctx: EngineContext = { actor: op.actor, at, eventAction: 'retention.sweep', run: id };
    const { holdRefs: _refs, ...result } = applyToDue(ws, dueRecords(ws, asOf), ctx);
    const row: SweepRow = {
      id,
      trigger,
      actor: op.actor,
      ran_at: at.toISOString(),
      as_of: asOf,
      archived: result.archived.length,
      deleted: result.deleted.length,
      held: result.held.length,
    };
    insertSweep(ws.db, row);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'retention.sweep.complete',
        resource_type: 'retention_sweep',
        resource_id: id,
        details: { run: id, trigger, as_of: asOf, archived: row.archived, deleted: row.deleted, held: row.held },
      },
      at,
    );
    return { run: toRun(row), ...result };
  });
}
