import type { HoldRef } from '../../../shared/contract/holds.js';
import { keptText } from '../../../shared/kept-text.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import { assertNotHeld } from '../holds/active-holds.js';
import { applyRetention, applyToDue, dueRecords, type Due, type EngineContext } from '../retention/sweep.js';
import type { Workspace } from '../workspace.js';
import { retentionPolicyOf } from '../retention/policies.js';
import { purgeCandidateRow } from './subjects-store.js';

/**
 * records.purgeExpired: the retention engine (retention/sweep.ts) applied from the subject screen.
 * Each expired record is deleted or archived as its category's policy says, through the engine's
 * hold gate, and ledgered as records.purgeExpired.
 *
 * - With `ids`, the call is all-or-nothing: a named record that is held refuses the whole call with
 *   `held` (nothing is changed; the dispatch ledgers the refusal); one not yet expired refuses it with `conflict`.
 * - Without `ids`, every due record is considered; held ones are left intact, listed in `held`,
 *   and each refusal is ledgered (outcome denied) in the same transaction as the others' change.
 */
export function purgeExpired(
  ws: Workspace,
  op: Op,
  ids?: readonly string[],
): { purged: string[]; archived: string[]; held: { id: string; holds: HoldRef[] }[] } {
  const at = opTime(op);
  const today = utcDate(at);
  const ctx: EngineContext = { actor: op.actor, at, eventAction: 'records.purgeExpired' };
  return ws.tx(() => {
    const due = dueRecords(ws, today);
    if (ids) {
      const byId = new Map(due.map((r) => [r.id, r]));
      const picked: Due[] = [];
      for (const id of new Set(ids)) {
        const r = purgeCandidateRow(ws.db, id);
        if (!r) throw new CustosError('not_found', `There is no record ${id}.`, { resourceType: 'record', resourceId: id });
        assertNotHeld(ws, 'record', id);
        if (r.status !== 'active') throw new CustosError('conflict', `Record ${id} was already ${r.status}.`, { resourceType: 'record', resourceId: id });
        const d = byId.get(id);
        if (!d) {
          const why =
            r.retention_until && r.retention_until < today
              ? 'it is already archived as its policy asks'
              : `it must be kept ${keptText(r.retention_until, retentionPolicyOf(ws, r.category).action)}; its retention has not run out`;
          throw new CustosError('conflict', `Record ${id} cannot be purged: ${why}.`, { resourceType: 'record', resourceId: id });
        }
        picked.push(d);
      }
      for (const d of picked) applyRetention(ws, d, ctx);
      return {
        purged: picked.filter((d) => d.action === 'delete').map((d) => d.id),
        archived: picked.filter((d) => d.action === 'archive').map((d) => d.id),
        held: [],
      };
    }
    const result = applyToDue(ws, due, ctx);
    const held = result.held.map((h) => ({ id: h.id, holds: result.holdRefs.get(h.id) ?? [] }));
    if (due.length === 0) {
      ws.ledger.append({ actor: op.actor, action: 'records.purgeExpired', resource_type: 'records', resource_id: 'retention', details: { purged: 0, as_of: today } }, at);
    }
    return { purged: result.deleted, archived: result.archived, held };
  });
}
