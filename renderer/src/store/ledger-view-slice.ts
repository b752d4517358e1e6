import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { ResponseOf } from '../../../shared/contract.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

/** Rows per `ledger.query` call; the viewer fetches pages on demand as they scroll into view. */
export const PAGE_SIZE = 200;
/** Pages kept in memory; the ones farthest from what is on screen are dropped first. */
const MAX_PAGES = 50;

export type EventDetail = ResponseOf<'ledger.event'>;

export interface LedgerViewData {
  filter: LedgerFilter;
  /** Bumped on every filter change or refresh; answers for an older version are dropped. */
  queryVersion: number;
  total: number | null;
  pages: Readonly<Record<number, LedgerEvent[]>>;
  /** With a search text: how far the free-text index reached at the last answer (it catches up in the background). */
  searchIndex: { indexedThrough: number; size: number } | null;
  listError: string | null;
  selectedIndex: number | null;
  detail: { seq: number; data: EventDetail | null; error: string | null } | null;
}

export const initialLedgerViewData: LedgerViewData = {
  filter: {},
  queryVersion: 0,
  total: null,
  pages: {},
  searchIndex: null,
  listError: null,
  selectedIndex: null,
  detail: null,
};

export interface LedgerViewSlice extends LedgerViewData {
  setFilter(filter: LedgerFilter): void;
  refreshList(): void;
  /** Asks again how far the search index reaches (while it catches up); the list itself is unchanged. */
  refreshSearchIndex(): Promise<void>;
  /** Makes sure the rows from `first` to `last` (list indexes) are loaded or loading. */
  ensureRows(first: number, last: number): void;
  select(index: number | null): void;
  /** Loads an event's detail; `reload` fetches again even when it is already shown (after a new checkpoint). */
  openDetail(seq: number, reload?: boolean): Promise<void>;
  closeDetail(): void;
}

/** Drops empty fields, so `{ actor: '' }` and `{}` are the same query. */
export function cleanFilter(f: LedgerFilter): LedgerFilter {
  const out: LedgerFilter = {};
  for (const [k, v] of Object.entries(f) as [keyof LedgerFilter, string | undefined][]) {
    const t = typeof v === 'string' ? v.trim() : v;
    if (t) (out as Record<string, string>)[k] = t;
  }
  return out;
}

export function sameFilter(a: LedgerFilter, b: LedgerFilter): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k as keyof LedgerFilter] === b[k as keyof LedgerFilter]);
}

const inFlight = new Set<string>();

export const createLedgerViewSlice: SliceCreator<LedgerViewSlice> = (set, get) => {
  async function fetchPage(page: number, withTotal: boolean): Promise<void> {
    const version = get().queryVersion;
    const key = `${version}:${page}`;
    if (inFlight.has(key) || get().pages[page]) return;
    inFlight.add(key);
    const r = await client.call('ledger.query', { ...get().filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE, withTotal });
    inFlight.delete(key);
    if (get().queryVersion !== version) return;
    if (!r.ok) {
      set({ listError: r.error.message });
      return;
    }
    set((s) => {
      const pages: Record<number, LedgerEvent[]> = { ...s.pages, [page]: r.value.events };
      const keys = Object.keys(pages).map(Number);
      if (keys.length > MAX_PAGES) {
        keys.sort((x, y) => Math.abs(y - page) - Math.abs(x - page));
        for (const k of keys.slice(0, keys.length - MAX_PAGES)) delete pages[k];
      }
      // A first page that is not full holds every match, so its length is the total.
      const complete = page === 0 && r.value.events.length < PAGE_SIZE ? r.value.events.length : null;
      const total = withTotal ? (r.value.total ?? 0) : (s.total ?? complete);
      return { pages, listError: null, total, searchIndex: r.value.index ?? s.searchIndex };
    });
  }

  /** The total on its own, for searches: a common term's count can take longer than its first page. */
  async function fetchTotal(): Promise<void> {
    const version = get().queryVersion;
    const r = await client.call('ledger.query', { ...get().filter, limit: 1, withTotal: true });
    if (get().queryVersion !== version) return;
    if (!r.ok) set({ listError: r.error.message });
    else set({ total: r.value.total ?? 0, searchIndex: r.value.index ?? get().searchIndex });
  }

  function restart(filter: LedgerFilter): void {
    set({ filter, queryVersion: get().queryVersion + 1, total: null, pages: {}, searchIndex: null, listError: null, selectedIndex: null });
    if (filter.text) {
      // The first page shows as soon as it is read; the count follows.
      void fetchPage(0, false).then(() => {
        if (get().total === null && get().filter === filter) void fetchTotal();
      });
    } else {
      void fetchPage(0, true);
    }
  }

  return {
    ...initialLedgerViewData,
    setFilter(filter) {
      const clean = cleanFilter(filter);
      if (get().queryVersion > 0 && sameFilter(clean, get().filter)) return;
      restart(clean);
    },
    refreshList() {
      restart(get().filter);
    },
    async refreshSearchIndex() {
      const { filter, queryVersion } = get();
      if (!filter.text) return;
      // The head is cheap to read; asking by searching again would scan what the index has not reached.
      const r = await client.call('ledger.head', {});
      if (r.ok && r.value.textIndex && get().queryVersion === queryVersion) set({ searchIndex: r.value.textIndex });
    },
    ensureRows(first, last) {
      const { total } = get();
      if (total === null) return;
      const lastRow = Math.min(last, total - 1);
      for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(lastRow / PAGE_SIZE); p++) void fetchPage(p, false);
    },
    select(index) {
      set({ selectedIndex: index });
    },
    async openDetail(seq, reload = false) {
      const cur = get().detail;
      if (!reload && cur?.seq === seq && cur.data) return;
      // On reload keep showing the old data until the new answer arrives.
      set({ detail: reload && cur?.seq === seq ? cur : { seq, data: null, error: null } });
      const r = await client.call('ledger.event', { seq });
      if (get().detail?.seq !== seq) return;
      set({ detail: r.ok ? { seq, data: r.value, error: null } : { seq, data: null, error: r.error.message } });
    },
    closeDetail() {
      set({ detail: null });
    },
  };
};

/** The event at a list index, if its page is loaded. */
export function rowAt(pages: Readonly<Record<number, LedgerEvent[]>>, index: number): LedgerEvent | undefined {
  return pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}
