import type { HoldRef } from '../../../shared/contract/holds.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { CustosError, isCustosError } from '../errors.js';
import { assertNotHeld } from '../holds/active-holds.js';
import type { Workspace } from '../workspace.js';
import { destroyRecordContent } from './records.js';
import { expiredRecordRows, purgeCandidateRow, type PurgeCandidateRow } from './subjects-store.js';

/**
 * The retention purge: wipes the content of active records whose retention date has passed.
 * Every record goes through assertNotHeld, the same gate as every other destructive path.
 *
 * - With `ids`, the call is all-or-nothing: a named record that is held refuses the whole call with
 *   `held` (nothing is purged; the dispatch ledgers the refusal); one not yet expired refuses it with `conflict`.
 * - Without `ids`, every expired record is considered; held ones are left intact, listed in `held`,
 *   and each refusal is ledgered (outcome denied) in the same transaction as the purge of the others.
 */
export function purgeExpired(ws: Workspace, op: Op, ids?: readonly string[]): { purged: string[]; held: { id: string; holds: HoldRef[] }[] } {
  const at = opTime(op);
  const today = utcDate(at);
  return ws.tx(() => {
    let candidates: PurgeCandidateRow[];
    if (ids) {
      candidates = [];
      for (const id of new Set(ids)) {
        const r = purgeCandidateRow(ws.db, id);
        if (!r) throw new CustosError('not_found', `There is no record ${id}.`, { resourceType: 'record', resourceId: id });
        assertNotHeld(ws, 'record', id);
        if (r.status !== 'active') throw new CustosError('conflict', `Record ${id} was already ${r.status}.`, { resourceType: 'record', resourceId: id });
        if (r.retention_until === null || r.retention_until >= today) {
          const until = r.retention_until ? `until ${r.retention_until}` : 'permanently';
          throw new CustosError('conflict', `Record ${id} must be kept ${until}; its retention has not run out.`, { resourceType: 'record', resourceId: id });
        }
        candidates.push(r);
      }
    } else {
      candidates = expiredRecordRows(ws.db, today);
    }
    const purged: string[] = [];
    const held: { id: string; holds: HoldRef[] }[] = [];
    for (const r of candidates) {
      try {
        assertNotHeld(ws, 'record', r.id);
      } catch (err) {
        if (!isCustosError(err, 'held')) throw err;
        const holds = (err.details?.holds ?? []) as HoldRef[];
        held.push({ id: r.id, holds });
        ws.ledger.append(
          {
            actor: op.actor,
            action: 'records.purgeExpired',
            resource_type: 'record',
            resource_id: r.id,
            outcome: 'denied',
            details: { code: 'held', message: err.message, holds: holds.map((h) => h.id) },
          },
          at,
        );
        continue;
      }
      destroyRecordContent(ws, r.id, 'purged', op.actor, at, `retention ran out on ${r.retention_until}`);
      ws.ledger.append(
        {
          actor: op.actor,
          action: 'records.purgeExpired',
          resource_type: 'record',
          resource_id: r.id,
          details: { subject: r.subject_id, category: r.category, retention_until: r.retention_until },
        },
        at,
      );
      purged.push(r.id);
    }
    if (candidates.length === 0) {
      ws.ledger.append({ actor: op.actor, action: 'records.purgeExpired', resource_type: 'records', resource_id: 'retention', details: { purged: 0, as_of: today } }, at);
    }
    return { purged, held };
  });
}
