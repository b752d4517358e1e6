import type { LedgerFilter } from '../../../../shared/contract/core.js';
import { routeId, routeSegment } from '../../lib/routes.js';

/** The filter fields a ledger link can carry, in the order they are written. */
const KEYS = ['text', 'outcome', 'from', 'to', 'actor', 'action', 'resourceType', 'resourceId'] as const satisfies readonly (keyof LedgerFilter)[];
const OUTCOMES = new Set(['success', 'denied', 'failure']);

/**
 * The Ledger's route: its filters and the open event, so a view of the ledger can be linked to,
 * reloaded and gone back to — `#/ledger/4521/outcome/denied/actor/sam.wright` (the event first, then
 * filter name and value pairs, each value percent-encoded).
 */
export function ledgerRoute(filter: LedgerFilter, seq?: number | null): string {
  const parts = ['ledger'];
  if (seq !== undefined && seq !== null) parts.push(String(seq));
  for (const k of KEYS) {
    const v = filter[k];
    if (v) parts.push(k, routeSegment(v));
  }
  return parts.join('/');
}

/** The filter and open event a ledger route names; fields it does not know, or cannot read, are left out. */
export function parseLedgerRoute(route: string): { filter: LedgerFilter; seq: number | null } {
  const [, ...segs] = route.split('/');
  let seq: number | null = null;
  if (segs[0] !== undefined && /^[1-9]\d{0,14}$/.test(segs[0])) seq = Number(segs.shift());
  const filter: LedgerFilter = {};
  for (let i = 0; i + 1 < segs.length; i += 2) {
    const k = segs[i] as (typeof KEYS)[number];
    const v = routeId(segs[i + 1] ?? '');
    if (!v || !(KEYS as readonly string[]).includes(k)) continue;
    if (k === 'outcome') {
      if (OUTCOMES.has(v)) filter.outcome = v as LedgerFilter['outcome'];
    } else filter[k] = v.slice(0, 200);
  }
  return { filter, seq };
}
