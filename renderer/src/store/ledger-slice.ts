import type { ResponseOf } from '../../../shared/contract.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

export type LedgerHead = ResponseOf<'ledger.head'>;
export type LedgerStats = ResponseOf<'ledger.stats'>;
export type LedgerFacets = ResponseOf<'ledger.facets'>;

export interface LedgerData {
  head: LedgerHead | null;
  headError: string | null;
  stats: LedgerStats | null;
  statsError: string | null;
  facets: LedgerFacets | null;
}

export const initialLedgerData: LedgerData = { head: null, headError: null, stats: null, statsError: null, facets: null };

/** Ledger summary data shared by the top bar, the dashboard and the viewer's suggestions. */
export interface LedgerSlice extends LedgerData {
  loadHead(): Promise<void>;
  loadStats(days?: number): Promise<void>;
  loadFacets(): Promise<void>;
  /** Signs the current tree head now (ledgered), then refreshes the head. */
  signCheckpoint(): Promise<Result<ResponseOf<'ledger.checkpoint'>>>;
}

export const createLedgerSlice: SliceCreator<LedgerSlice> = (set, get) => ({
  ...initialLedgerData,
  async loadHead() {
    const r = await client.call('ledger.head', {});
    if (r.ok) set({ head: r.value, headError: null });
    else set({ headError: r.error.message });
  },
  async loadStats(days = 30) {
    const r = await client.call('ledger.stats', { days });
    if (r.ok) set({ stats: r.value, statsError: null });
    else set({ statsError: r.error.message });
  },
  async loadFacets() {
    const r = await client.call('ledger.facets', {});
    if (r.ok) set({ facets: r.value });
  },
  async signCheckpoint() {
    const r = await client.call('ledger.checkpoint', {});
    if (r.ok) await get().loadHead();
    return r;
  },
});
