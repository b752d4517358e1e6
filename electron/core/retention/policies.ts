import type { RetentionPolicy } from '../../../shared/contract/retention.js';
import { opTime, type Op } from '../domain/op.js';
import { addDuration, isoPeriod, periodParts, retentionCategories, retentionCategory, type RetentionCategory } from '../domain/retention-policy.js';
import type { Workspace } from '../workspace.js';
import { keptRecordsOfCategory, policyRows, setRetentionUntil, upsertPolicy, type PolicyRow } from './retention-store.js';

function merge(c: RetentionCategory, row: PolicyRow | undefined): RetentionPolicy {
  const parts = row ? (row.period_value !== null && row.period_unit !== null ? { value: row.period_value, unit: row.period_unit } : null) : periodParts(c.period);
  return {
    category: c.key,
    label: c.label,
    source: c.source,
    periodValue: parts?.value ?? null,
    periodUnit: parts?.unit ?? null,
    period: parts ? isoPeriod(parts.value, parts.unit) : null,
    action: row?.action ?? c.action,
    classification: row?.classification ?? c.classification,
    legalHoldOverride: false,
    erasable: c.erasable,
    customized: row !== undefined,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}

/**
 * The retention policy in force for every record category: the shipped default of
 * resources/policies/retention.json, or an administrator's change of it stored in the workspace.
 */
export function retentionPolicies(ws: Workspace): RetentionPolicy[] {
  const rows = new Map(policyRows(ws.db).map((r) => [r.category, r]));
  return retentionCategories().map((c) => merge(c, rows.get(c.key)));
}

/** The policy in force for one category; throws validation for a category the policy file does not define. */
export function retentionPolicyOf(ws: Workspace, category: string): RetentionPolicy {
  const c = retentionCategory(category);
  return merge(c, policyRows(ws.db).find((r) => r.category === category));
}

/** The last day a record of this category and date must be kept under the policy in force; null = permanently. */
export function policyRetentionUntil(ws: Workspace, category: string, recordDate: string): string | null {
  const p = retentionPolicyOf(ws, category);
  return p.period ? addDuration(recordDate, p.period) : null;
}

function snapshot(p: RetentionPolicy): { period: string | null; action: string; classification: string } {
  return { period: p.period, action: p.action, classification: p.classification };
}

/**
 * An administrator changes a category's policy. The retention date of every record of the category
 * that is still kept is recomputed in the same transaction, so the records list, the erase rule and
 * the sweep all read the policy in force. Ledgered as retention.setPolicy with before and after.
 */
export function setRetentionPolicy(
  ws: Workspace,
  op: Op,
  input: { category: string; periodValue: number | null; periodUnit: RetentionPolicy['periodUnit']; action: RetentionPolicy['action']; classification: RetentionPolicy['classification'] },
): { policy: RetentionPolicy; recomputed: number } {
  const at = opTime(op);
  return ws.tx(() => {
    const before = retentionPolicyOf(ws, input.category);
    const hasPeriod = input.periodValue !== null && input.periodUnit !== null;
    upsertPolicy(ws.db, {
      category: input.category,
      period_value: hasPeriod ? input.periodValue : null,
      period_unit: hasPeriod ? input.periodUnit : null,
      action: input.action,
      classification: input.classification,
      updated_at: at.toISOString(),
      updated_by: op.actor,
    });
    const after = retentionPolicyOf(ws, input.category);
    let recomputed = 0;
    if (after.period !== before.period) {
      for (const r of keptRecordsOfCategory(ws.db, input.category)) {
        const until = after.period ? addDuration(r.record_date, after.period) : null;
        if (until !== r.retention_until) {
          setRetentionUntil(ws.db, r.id, until);
          recomputed++;
        }
      }
    }
    ws.ledger.append(
      { actor: op.actor, action: 'retention.setPolicy', resource_type: 'retention_policy', resource_id: input.category, details: { from: snapshot(before), to: snapshot(after), recomputed } },
      at,
    );
    return { policy: after, recomputed };
  });
}

/**
 * A record's retention date is computed when it is written, so records written under an earlier
 * shipped period (grades were kept without a date before they were archived after 7 years) keep
 * the old date. At every unlock, before anything reads them (the sweep and its dry run, purges, the
 * erase rule, the screens), the dates of a category that disagree with the policy in force are
 * brought in line, in one transaction: one `retention.reconcileDates` event per category changed,
 * by the system, with the policy in force and how many dates moved. Returns how many moved.
 */
export function reconcileRetentionDates(ws: Workspace, op: Op): number {
  const at = opTime(op);
  return ws.tx(() => {
    let total = 0;
    for (const policy of retentionPolicies(ws)) {
      let recomputed = 0;
      for (const r of keptRecordsOfCategory(ws.db, policy.category)) {
        const until = policy.period ? addDuration(r.record_date, policy.period) : null;
        if (until === r.retention_until) continue;
        setRetentionUntil(ws.db, r.id, until);
        recomputed++;
      }
      if (recomputed === 0) continue;
      total += recomputed;
      ws.ledger.append(
        {
          actor: op.actor,
          action: 'retention.reconcileDates',
          resource_type: 'retention_policy',
          resource_id: policy.category,
          details: { policy: snapshot(policy), recomputed },
        },
        at,
      );
    }
    return total;
  });
}
