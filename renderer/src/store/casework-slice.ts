import type { ResponseOf } from '../../../shared/contract.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

export type { CaseDetail, CaseQuery, EvidenceDetail, EvidenceQuery, HoldDetail, HoldQuery, SubjectDetail, SubjectQuery } from './lists.js';
export type RecordCategory = ResponseOf<'records.categories'>['categories'][number];

/**
 * What case management holds besides its lists (store/lists.ts): the open case's ledger timeline,
 * paged, and the record categories of the retention policy.
 */
export interface CaseworkSlice {
  caseTimeline: { events: LedgerEvent[]; total: number } | null;
  /** The record categories of the retention policy (resources/policies/retention.json), fetched once. */
  recordCategories: RecordCategory[] | null;

  loadCaseTimeline(id: string, more?: boolean): Promise<void>;
  loadRecordCategories(): Promise<void>;
  /** Reads the categories again if they were loaded (a retention policy changed: periods and actions follow it). */
  reloadRecordCategories(): Promise<void>;
}

export const initialCaseworkData = {
  caseTimeline: null,
  recordCategories: null,
} satisfies Partial<CaseworkSlice>;

export const createCaseworkSlice: SliceCreator<CaseworkSlice> = (set, get) => ({
  ...initialCaseworkData,

  async loadCaseTimeline(id, more) {
    const offset = more ? (get().caseTimeline?.events.length ?? 0) : 0;
    const r = await client.call('cases.timeline', { id, offset, limit: 100 });
    if (!r.ok) return;
    set({ caseTimeline: { events: more ? [...(get().caseTimeline?.events ?? []), ...r.value.events] : r.value.events, total: r.value.total } });
  },
  async loadRecordCategories() {
    if (get().recordCategories) return;
    const r = await client.call('records.categories', {});
    if (r.ok) set({ recordCategories: r.value.categories });
  },
  async reloadRecordCategories() {
    if (!get().recordCategories) return;
    const r = await client.call('records.categories', {});
    if (r.ok) set({ recordCategories: r.value.categories });
  },
});
