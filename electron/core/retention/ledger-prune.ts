import type { PeriodUnit } from '../../../shared/contract/retention.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { isoPeriod, periodParts } from '../domain/retention-policy.js';
import { AUDIT_LOG_APPROVERS } from '../../../shared/contract/retention.js';
import { findUserRow } from '../auth/auth-store.js';
import { CustosError } from '../errors.js';
import { forgetIndexedText } from '../ledger/text-index.js';
import { insertCheckpoint, signCheckpoint } from '../ledger/checkpoint.js';
import { leafHash, rootAt } from '../ledger/merkle.js';
import { fastEventBytes } from '../ledger/event-bytes.js';
import { ZERO_HASH } from '../../../shared/ledger-types.js';
import { hash as oneShotHash } from 'node:crypto';
import { describePruned, policyWords, prunePointOf, type PrunePoint } from '../ledger/prune-point.js';
import { loadPolicy } from '../policy.js';
import type { Workspace } from '../workspace.js';
import {
  activeHoldIds,
  auditLogPolicyRow,
  blankEventBodies,
  decideAuditLogRequest,
  insertAuditLogRequest,
  pendingAuditLogRequest,
  roleChangedSince,
  eventHashAt,
  eventRowsBetween,
  eventTs,
  latestCheckpointUpTo,
  insertPrune,
  lastSeqBefore,
  pageStats,
  upsertAuditLogPolicy,
  vacuum,
} from './ledger-prune-store.js';

/**
 * Audit-log retention (issue 12, item 3). Events older than the audit-log policy (seed 002: seven
 * years) lose their bodies; their seq, ts, prev_hash, hash and leaf_hash stay, with the Merkle nodes,
 * and a checkpoint signed at the prune point is stored first. Verification then proves the events
 * that remain and reports the pruned prefix by its range, date and policy.
 *
 * A legal hold suspends pruning altogether: while any hold is active nothing is pruned (a denied
 * ledger.prune event names the holds). Working out which old events concern a held matter would
 * need every hold's scope applied to every event's resource; suspending the routine destruction
 * schedule during a hold is the rule records managers apply, and it can never prune too much.
 */

/** The audit-log retention policy in force. */
export interface AuditLogPolicy {
  label: string;
  source: string;
  /** Null with periodUnit null: the audit log is kept in full, never pruned. */
  periodValue: number | null;
  periodUnit: PeriodUnit | null;
  /** ISO 8601 duration (P7Y), or null. */
  period: string | null;
  customized: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  /** A shorter period asked for and waiting for a second person (the two-person rule), or null. */
  pending: AuditLogPending | null;
}

/** A request to shorten the audit-log period, waiting for another administrator or a compliance officer. */
export interface AuditLogPending {
  id: number;
  periodValue: number;
  periodUnit: PeriodUnit;
  period: string;
  requestedBy: string;
  requestedAt: string;
}

interface AuditLogDefault {
  label: string;
  source: string;
  period: string | null;
}

/** Prunes at least this many events, or this share of the ledger, rewrite the file to give the space back. */
const VACUUM_MIN_EVENTS = 10_000;
const VACUUM_MIN_SHARE = 0.25;

/** The audit-log policy: the shipped default of resources/policies/retention.json, or an administrator's change of it. */
export function auditLogPolicy(ws: Workspace): AuditLogPolicy {
  const shipped = loadPolicy<{ audit_log: AuditLogDefault }>('retention').audit_log;
  const row = auditLogPolicyRow(ws.db);
  const parts = row ? (row.period_value !== null && row.period_unit !== null ? { value: row.period_value, unit: row.period_unit } : null) : periodParts(shipped.period);
  return {
    label: shipped.label,
    source: shipped.source,
    periodValue: parts?.value ?? null,
    periodUnit: parts?.unit ?? null,
    period: parts ? isoPeriod(parts.value, parts.unit) : null,
    customized: row !== undefined,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
    pending: pendingOf(ws),
  };
}

function pendingOf(ws: Workspace): AuditLogPending | null {
  const r = pendingAuditLogRequest(ws.db);
  return r
    ? { id: r.id, periodValue: r.period_value, periodUnit: r.period_unit, period: isoPeriod(r.period_value, r.period_unit), requestedBy: r.requested_by, requestedAt: r.requested_at }
    : null;
}

/** A period's parts: whole months (years count twelve) and days (weeks count seven, as isoPeriod writes them). */
function periodSpan(period: string): { months: number; days: number; minDays: number; maxDays: number } {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(period);
  if (!m || period === 'P') throw new CustosError('failure', `The audit-log policy has a period Custos cannot read: ${period}.`);
  const [y, mo, d] = [Number(m[1] ?? 0), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  // A year is 365 or 366 days, a month 28 to 31.
  return { months: 12 * y + mo, days: d, minDays: 365 * y + 28 * mo + d, maxDays: 366 * y + 31 * mo + d };
}

/**
 * True when `after` could ever make the sweep prune sooner than `before`: a shorter period, or any
 * period after "keep in full". Periods in the same kind of unit compare exactly; a period in days
 * against one in months or years counts as shorter unless its fewest days reach the other's most
 * (P365D after P1Y is shorter in a leap year, so it needs the second person).
 */
export function shortens(before: string | null, after: string | null): boolean {
  if (after === null) return false;
  if (before === null) return true;
  const b = periodSpan(before);
  const a = periodSpan(after);
  if (a.months === 0 && b.months === 0) return a.days < b.days;
  if (a.days === 0 && b.days === 0) return a.months < b.months;
  return a.minDays < b.maxDays;
}

/**
 * An administrator changes the audit-log period (or keeps the log in full with null). A longer period
 * applies at once (ledger.setRetention with before and after); a shorter one, which makes the sweep
 * prune sooner, is only asked for (ledger.setRetention.request) and applies when a second person
 * approves it (decideAuditLogPolicy). A new request replaces one still pending, and a longer period
 * applied meanwhile withdraws it.
 */
export function setAuditLogPolicy(ws: Workspace, op: Op, input: { periodValue: number | null; periodUnit: PeriodUnit | null }): AuditLogPolicy {
  const at = opTime(op);
  if ((input.periodValue === null) !== (input.periodUnit === null)) {
    throw new CustosError('validation', 'Give both a period and its unit, or neither to keep the audit log in full.');
  }
  if (input.periodValue !== null && (!Number.isInteger(input.periodValue) || input.periodValue < 1 || input.periodValue > 1200)) {
    throw new CustosError('validation', 'The audit-log period must be a whole number from 1 to 1200.');
  }
  return ws.tx(() => {
    const before = auditLogPolicy(ws);
    const to = input.periodValue !== null && input.periodUnit !== null ? isoPeriod(input.periodValue, input.periodUnit) : null;
    // A request still pending was asked against the period in force: any change (a new request, or a
    // longer period applied now) withdraws it, so no one approves a shortening weighed against another
    // policy. Saving the period in force again changes nothing and leaves it pending.
    const replaced = before.pending && to !== before.period ? before.pending : null;
    if (replaced) decideAuditLogRequest(ws.db, replaced.id, 'withdrawn', at.toISOString(), op.actor);
    if (input.periodValue !== null && input.periodUnit !== null && shortens(before.period, to)) {
      const id = insertAuditLogRequest(ws.db, { period_value: input.periodValue, period_unit: input.periodUnit, requested_at: at.toISOString(), requested_by: op.actor });
      ws.ledger.append(
        {
          actor: op.actor,
          action: 'ledger.setRetention.request',
          resource_type: 'retention_policy',
          resource_id: 'audit_log',
          details: { request_id: id, from: { period: before.period }, to: { period: to }, replaces: replaced?.id ?? null },
        },
        at,
      );
      return auditLogPolicy(ws);
    }
    upsertAuditLogPolicy(ws.db, { period_value: input.periodValue, period_unit: input.periodUnit, updated_at: at.toISOString(), updated_by: op.actor });
    const after = auditLogPolicy(ws);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'ledger.setRetention',
        resource_type: 'retention_policy',
        resource_id: 'audit_log',
        details: { from: { period: before.period }, to: { period: after.period }, ...(replaced ? { withdraws: replaced.id } : {}) },
      },
      at,
    );
    return after;
  });
}

/**
 * The second person decides the pending request to shorten the audit-log period: approved, it
 * applies (ledger.setRetention, naming who asked); rejected, nothing changes (ledger.setRetention.reject).
 * The person who asked cannot decide it.
 */
export function decideAuditLogPolicy(ws: Workspace, op: Op, input: { requestId: number; approve: boolean }): AuditLogPolicy {
  const at = opTime(op);
  const resource = { resourceType: 'retention_policy', resourceId: 'audit_log' };
  return ws.tx(() => {
    const before = auditLogPolicy(ws);
    const pending = before.pending;
    if (!pending) throw new CustosError('not_found', 'No change of the audit-log period is waiting for approval.', resource);
    // The decision is about the request the approver read: one replaced meanwhile is not decided unseen.
    if (pending.id !== input.requestId) {
      throw new CustosError(
        'conflict',
        `The request you decided was replaced: ${pending.requestedBy} now asks for ${policyWords(pending.period)} (request ${pending.id}). Read it and decide again.`,
        resource,
      );
    }
    const problem = secondPersonProblem(ws, op.actor, pending);
    if (problem) throw new CustosError('forbidden', problem, resource);
    decideAuditLogRequest(ws.db, pending.id, input.approve ? 'approved' : 'rejected', at.toISOString(), op.actor);
    if (!input.approve) {
      ws.ledger.append(
        { actor: op.actor, action: 'ledger.setRetention.reject', resource_type: 'retention_policy', resource_id: 'audit_log', details: { request_id: pending.id, to: { period: pending.period }, requested_by: pending.requestedBy } },
        at,
      );
      return auditLogPolicy(ws);
    }
    upsertAuditLogPolicy(ws.db, { period_value: pending.periodValue, period_unit: pending.periodUnit, updated_at: at.toISOString(), updated_by: op.actor });
    const after = auditLogPolicy(ws);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'ledger.setRetention',
        resource_type: 'retention_policy',
        resource_id: 'audit_log',
        details: { from: { period: before.period }, to: { period: after.period }, request_id: pending.id, requested_by: pending.requestedBy },
      },
      at,
    );
    return after;
  });
}

/**
 * Why `actor` cannot be the second person for `pending`, or null. Not the one who asked; an
 * administrator or compliance officer now; an account that existed, in that role, when the request
 * was made (a second person cannot be created or promoted for the occasion).
 */
function secondPersonProblem(ws: Workspace, actor: string, pending: AuditLogPending): string | null {
  const needs = `Shortening the audit log needs a second person`;
  if (pending.requestedBy === actor) {
    return `${needs}: you asked for ${policyWords(pending.period)}, so another administrator or a compliance officer must approve or reject it.`;
  }
  const user = findUserRow(ws.db, actor);
  if (!user || user.disabled === 1 || !AUDIT_LOG_APPROVERS.includes(user.role)) return `${needs}: an administrator or a compliance officer decides it.`;
  if (user.created_at > pending.requestedAt || roleChangedSince(ws.db, actor, pending.requestedAt)) {
    return `${needs} who held their role before it was asked for: ${actor} was created or given a new role since ${pending.requestedBy} asked.`;
  }
  return null;
}

/** The day before which events are older than `period`, counted back from `asOf` (YYYY-MM-DD), as an RFC 3339 instant. */
export function pruneCutoff(asOf: string, period: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(period);
  if (!m || period === 'P') throw new CustosError('failure', `The audit-log policy has a period Custos cannot read: ${period}.`);
  const d = new Date(`${asOf}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - Number(m[1] ?? 0), d.getUTCMonth() - Number(m[2] ?? 0), d.getUTCDate() - Number(m[3] ?? 0));
  return d.toISOString();
}

/** What a prune at a given instant would do (the dry run), or why it would do nothing. */
export interface PrunePlan {
  asOf: string;
  /** The period in force (ISO 8601), null when the audit log is kept in full. */
  policy: string | null;
  /** Events with ts before this instant are older than the policy. */
  cutoff: string | null;
  /** Events already pruned (1..prunedThrough); 0 when never. */
  prunedThrough: number;
  /** The events the prune would cover: fromSeq..throughSeq (count 0: nothing). */
  fromSeq: number;
  throughSeq: number;
  count: number;
  /** Active legal holds that suspend pruning (count is then what they hold back). */
  holds: string[];
  /** One sentence for the screen and the CLI. */
  summary: string;
}

/** The dry run of audit-log pruning at `at`. Changes nothing. */
export function planLedgerPrune(ws: Workspace, at: Date): PrunePlan {
  const asOf = utcDate(at);
  const policy = auditLogPolicy(ws).period;
  const prunedThrough = prunePointOf(ws.db)?.throughSeq ?? 0;
  const base = { asOf, policy, prunedThrough, fromSeq: prunedThrough + 1 };
  if (policy === null) return { ...base, cutoff: null, throughSeq: prunedThrough, count: 0, holds: [], summary: 'The audit log is kept in full (no audit-log retention period is set).' };
  const cutoff = pruneCutoff(asOf, policy);
  // The newest event always stays whole: it is what the prune event links to.
  const size = ws.ledger.head().size;
  const through = Math.min(lastSeqBefore(ws.db, cutoff), size - 1);
  const count = Math.max(0, through - prunedThrough);
  const holds = count > 0 ? activeHoldIds(ws.db) : [];
  const before = `older than ${cutoff.slice(0, 10)}`;
  const summary =
    count === 0
      ? `No audit-log events are ${before}${prunedThrough > 0 ? ` beyond the ${prunedThrough} already pruned` : ''}.`
      : holds.length > 0
        ? `${count} audit-log event${count === 1 ? ' is' : 's are'} ${before}, but pruning is suspended while legal hold${holds.length === 1 ? '' : 's'} ${holds.join(', ')} ${holds.length === 1 ? 'is' : 'are'} active.`
        : `${count} audit-log event${count === 1 ? '' : 's'} (${prunedThrough + 1}–${through}) ${count === 1 ? 'is' : 'are'} ${before} and would be pruned to their hashes.`;
  return { ...base, cutoff, throughSeq: count > 0 ? through : prunedThrough, count, holds, summary };
}

/** What a prune did. */
export interface PruneResult {
  plan: PrunePlan;
  /** The new prune point; null when nothing was pruned. */
  pruned: PrunePoint | null;
  /** Why a due prune was put off to the next sweep (a page-by-page ledger reader was running). */
  postponed?: string;
  /** The report's words for it ("events 1–N pruned on DATE under policy P"). */
  description: string | null;
  /** Whether the database file was rewritten to give back the space; its size in bytes before and after. */
  vacuumed: boolean;
  bytesBefore: number;
  bytesAfter: number;
}

function dbBytes(ws: Workspace): number {
  const s = pageStats(ws.db);
  return s.pages * s.pageSize;
}

const PRUNE_CHECK_CHUNK = 5000;

const POSTPONED = 'Nothing was pruned: a bundle, export or verification is reading the ledger. The next sweep prunes.';

/**
 * The seqs among `from`..`through` whose stored body does not give its stored hash and leaf hash,
 * whose link does not name the event before it, or (when a signed head lies in the range) whose
 * leaves do not give that head's root. Empty when every body pruning would drop is the one signed.
 */
function damagedBeforePrune(ws: Workspace, from: number, through: number): number[] {
  const bad: number[] = [];
  let prev = from === 1 ? ZERO_HASH : eventHashAt(ws.db, from - 1);
  let expected = from;
  for (let start = from; start <= through; start += PRUNE_CHECK_CHUNK) {
    for (const r of eventRowsBetween(ws.db, start, Math.min(through, start + PRUNE_CHECK_CHUNK - 1))) {
      const bytes = fastEventBytes(r);
      const ok =
        r.seq === expected &&
        r.prev_hash === prev &&
        oneShotHash('sha256', bytes, 'hex') === r.hash &&
        leafHash(bytes).equals(r.leaf_hash);
      if (!ok) bad.push(r.seq);
      prev = r.hash;
      expected = r.seq + 1;
    }
  }
  if (expected !== through + 1) bad.push(expected);
  const head = latestCheckpointUpTo(ws.db, through);
  if (head && head.size > 0 && rootAt(ws.ledger.source, head.size).toString('hex') !== head.root) bad.push(head.size);
  return [...new Set(bad)].sort((a, b) => a - b);
}

/**
 * Prunes the audit log to the policy in force, in one transaction: a checkpoint of size N is signed
 * and stored, the prune point recorded, the bodies of events up to N blanked, one ledger.prune
 * event appended with the range, the policy and the checkpoint, and the new head signed. A large prune then rewrites the file
 * (VACUUM) so the space is given back. While a legal hold is active nothing is pruned and a denied
 * ledger.prune event names the holds (only when something was due).
 */
export function pruneLedger(ws: Workspace, op: Op, opts: { vacuum?: 'auto' | 'always' | 'never' } = {}): PruneResult {
  const at = opTime(op);
  const bytesBefore = dbBytes(ws);
  const result = ws.tx((): { plan: PrunePlan; pruned: PrunePoint | null; postponed?: string } => {
    const plan = planLedgerPrune(ws, at);
    if (plan.count === 0 || plan.policy === null || plan.cutoff === null) return { plan, pruned: null };
    // Nothing is pruned in the cases below; one ledger.prune event says why.
    const refuse = (outcome: 'denied' | 'failure', details: Record<string, unknown>): void => {
      ws.ledger.append({ actor: op.actor, action: 'ledger.prune', resource_type: 'ledger', resource_id: 'audit_log', outcome, details }, at);
    };
    if (plan.holds.length > 0) {
      refuse('denied', { code: 'held', message: plan.summary, holds: plan.holds, policy: plan.policy, cutoff: plan.cutoff, from_seq: plan.fromSeq, through_seq: plan.throughSeq });
      return { plan, pruned: null };
    }
    if (ws.ledgerReadersRunning > 0) {
      // A bundle, export or verification is reading events page by page: blanking bodies between
      // two of its pages would hand it events that no longer match their hashes. The next sweep prunes.
      refuse('failure', { code: 'conflict', message: POSTPONED, policy: plan.policy, cutoff: plan.cutoff, from_seq: plan.fromSeq, through_seq: plan.throughSeq });
      return { plan, pruned: null, postponed: POSTPONED };
    }
    const n = plan.throughSeq;
    // Pruning keeps only hashes: first prove the bodies it drops are the ones hashed, linked and
    // signed. A body changed behind the ledger's back must stay visible to verification, never be
    // blanked into a prefix that verifies.
    const damaged = damagedBeforePrune(ws, plan.fromSeq, n);
    if (damaged.length > 0) {
      refuse('failure', {
        code: 'integrity',
        message: `Nothing was pruned: events ${damaged.slice(0, 10).join(', ')}${damaged.length > 10 ? ` and ${damaged.length - 10} more` : ''} do not match their hashes, links or signed tree head; verify the ledger.`,
        seqs: damaged.slice(0, 100),
        from_seq: plan.fromSeq,
        through_seq: n,
      });
      return { plan, pruned: null };
    }
    const checkpoint = signCheckpoint(ws.signingKey, { workspace_id: ws.id, size: n, root: rootAt(ws.ledger.source, n).toString('hex'), ts: at.toISOString() });
    insertCheckpoint(ws.db, checkpoint, `prune:${n}`);
    const firstTs = eventTs(ws.db, plan.fromSeq) ?? '';
    const lastTs = eventTs(ws.db, n) ?? '';
    insertPrune(ws.db, {
      from_seq: plan.fromSeq,
      through_seq: n,
      pruned_at: at.toISOString(),
      actor: op.actor,
      policy: plan.policy,
      cutoff: plan.cutoff,
      checkpoint_root: checkpoint.root,
      checkpoint_ts: checkpoint.ts,
    });
    const changed = blankEventBodies(ws.db, plan.fromSeq, n);
    if (changed !== plan.count) throw new CustosError('integrity', `Pruning expected to blank ${plan.count} events but found ${changed}; nothing was pruned.`);
    // The derived search index forgets the pruned text too (it holds no copy, but its terms would still match).
    forgetIndexedText(ws.db, n);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'ledger.prune',
        resource_type: 'ledger',
        resource_id: 'audit_log',
        details: {
          from_seq: plan.fromSeq,
          through_seq: n,
          events: plan.count,
          first_ts: firstTs,
          last_ts: lastTs,
          policy: plan.policy,
          cutoff: plan.cutoff,
          checkpoint_size: n,
          checkpoint_root: checkpoint.root,
          checkpoint_ts: checkpoint.ts,
        },
      },
      at,
    );
    // A signed head over the prune event too, so the latest checkpoint (checkpoint.json, the top bar) covers it.
    ws.signCheckpoint('prune');
    return { plan, pruned: prunePointOf(ws.db) };
  });
  const mode = opts.vacuum ?? 'auto';
  const size = ws.ledger.head().size;
  const big = result.plan.count >= VACUUM_MIN_EVENTS || result.plan.count >= VACUUM_MIN_SHARE * size;
  let vacuumed = false;
  if (result.pruned !== null && (mode === 'always' || (mode === 'auto' && big))) {
    try {
      vacuum(ws.db);
      vacuumed = true;
    } catch {
      // The prune is committed either way; the space is given back by a later prune's VACUUM.
    }
  }
  return { ...result, description: result.pruned ? describePruned(result.pruned) : null, vacuumed, bytesBefore, bytesAfter: dbBytes(ws) };
}
