import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { CaseworkSlice } from './casework-slice.js';
import type { AppState } from './types.js';

/** A channel answering `{ items, total }` (shared/contract/list.ts). */
export type ListChannel = { [C in ChannelName]: C extends `${string}.list` ? C : never }[ChannelName];
export type ItemOf<C extends ListChannel> = ResponseOf<C>['items'][number];
/** What a list channel answers beside `items` and `total`. */
export type ExtraOf<C extends ListChannel> = Omit<ResponseOf<C>, 'items' | 'total'>;

/** A page answer split into the slice's fields. */
function pageFields(value: { items: unknown[]; total: number }): { items: unknown[]; total: number; extra: Record<string, unknown> } {
  const { items, total, ...extra } = value;
  return { items, total, extra };
}

/** What a list's detail may load besides itself. */
export type DetailContext = Pick<CaseworkSlice, 'loadCaseTimeline'>;

/** What a ledger event was about; `ledger.appended` names these. */
export interface ResourceRef {
  resource_type: string;
  resource_id: string;
}

/**
 * One list screen: which channel answers it, the request its query makes, how an item is named,
 * how the open item's detail is read, and which ledger resources it shows (so a change elsewhere
 * reloads it only when it shows what changed).
 */
export interface ListDef<C extends ListChannel, Q, D> {
  channel: C;
  /** The query the list starts with (search box, filters, sort). */
  query: Q;
  /** The channel's request for a query, without offset and limit (added here). */
  request(q: Q): Omit<RequestOf<C>, 'offset' | 'limit'>;
  idOf(item: ItemOf<C>): string;
  /** Reads the open item; `store` reaches the parts of the store a detail also loads (a case's timeline). */
  detail?(id: string, store: DetailContext): Promise<Result<D>>;
  /** The key under which a mutating channel answers this list's changed item (`hold` for holds.activate). */
  itemKey: string;
  /** Puts the changed item the server answered into an open detail. */
  patchDetail?(detail: D, item: ItemOf<C>): D;
  /** The ledger resource_type of an item of this list. */
  resource: string;
  /** Other resource types whose change shows in this list's rows or detail (a hold changes a case's counts). */
  related: readonly string[];
  /** True when the list is on screen for this route. */
  visible(route: string): boolean;
  pageSize?: number;
}

/** Declares one list; the generics keep the channel, query and detail types precise. */
export function defineList<C extends ListChannel, Q, D = never>(def: ListDef<C, Q, D>): ListDef<C, Q, D> {
  return def;
}

/** The state of one list (all data; the actions are the slice's list* functions, by key). */
export interface ListData<I, Q, D, E = Record<string, never>> {
  items: I[] | null;
  total: number | null;
  /** What the channel answers beside the page (imports.list: the pinned sources and recent rejections), from the latest read. */
  extra: E | null;
  error: string | null;
  loading: boolean;
  query: Q;
  selectedId: string | null;
  detail: D | null;
  /** Something it shows changed while it was off screen: reload when it comes back. */
  stale: boolean;
}

export function initialListData<I, Q, D, E = Record<string, never>>(query: Q): ListData<I, Q, D, E> {
  return { items: null, total: null, extra: null, error: null, loading: false, query, selectedId: null, detail: null, stale: false };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of lists of different channels
type AnyDef = ListDef<any, any, any>;
export type ListDefs = Record<string, AnyDef>;

export type ListsData<L extends ListDefs> = {
  [K in keyof L]: L[K] extends ListDef<infer C, infer Q, infer D> ? ListData<ItemOf<C>, Q, D, ExtraOf<C>> : never;
};
type QueryOf<L extends ListDefs, K extends keyof L> = L[K] extends ListDef<ListChannel, infer Q, unknown> ? Q : never;

/** The actions of every list, by key. */
export interface ListActions<L extends ListDefs> {
  /** Reads the first page for the query (merged into the current one). */
  listLoad<K extends keyof L>(key: K, query?: Partial<QueryOf<L, K>>): Promise<void>;
  /** Reads the next page and appends it. */
  listMore(key: keyof L): Promise<void>;
  /** Opens an item (reads its detail), or closes it with null. */
  listOpen(key: keyof L, id: string | null): Promise<void>;
  /** Reads the list (the pages already shown) and the open item again. */
  listRefresh(key: keyof L): Promise<void>;
  /** The ledger grew: reload what shows one of `resources` (null: everything on screen); mark the rest stale. */
  resourcesChanged(resources: readonly ResourceRef[] | null): Promise<void>;
  /** The route changed: reload the stale lists that are now on screen. */
  listsRouteChanged(): Promise<void>;
  /**
   * Runs a mutating channel; on success the changed item it answered replaces its row and the open
   * detail at once (the server's value, never a local guess). Other parts follow `ledger.appended`.
   */
  mutate<C extends ChannelName>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
}

const PAGE = 500;

/**
 * `next`, reusing the parts of `prev` that read the same (top-level fields of an object, items of an
 * array), so a reload that changed nothing of an item keeps its object: views and dialogs that
 * depend on it (a dialog that resets when its subpoena changes) do not see a change that did not happen.
 */
export function shareUnchanged<T>(prev: T, next: T): T {
  if (prev === next || prev === null || next === null || typeof prev !== 'object' || typeof next !== 'object') return next;
  if (JSON.stringify(prev) === JSON.stringify(next)) return prev;
  if (Array.isArray(prev) && Array.isArray(next)) {
    const byJson = new Map(prev.map((p) => [JSON.stringify(p), p as unknown]));
    return next.map((n) => byJson.get(JSON.stringify(n)) ?? n) as T;
  }
  if (Array.isArray(prev) || Array.isArray(next)) return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next as Record<string, unknown>)) out[k] = shareUnchanged((prev as Record<string, unknown>)[k], v);
  return out as T;
}

/**
 * The list/detail slice for every list in `defs`: request state, a page of items and the total,
 * loading and error, the open item and its detail, paging and refresh. Each list's data lives
 * under its key; the actions take the key.
 */
export function createListSlice<L extends ListDefs>(defs: L) {
  return (set: (partial: Partial<AppState>) => void, get: () => AppState): ListsData<L> & ListActions<L> => {
    const data = (key: keyof L) => (get() as unknown as Record<keyof L, ListData<unknown, unknown, unknown, unknown>>)[key];
    const patch = (key: keyof L, p: Partial<ListData<unknown, unknown, unknown, unknown>>) => set({ [key]: { ...data(key), ...p } } as Partial<AppState>);
    const keys = Object.keys(defs) as (keyof L & string)[];

    async function fetchPage(key: keyof L, offset: number, limit: number) {
      const def = defs[key]!;
      const d = data(key);
      return client.call(def.channel, { ...def.request(d.query), offset, limit } as RequestOf<ListChannel>);
    }

    async function loadDetail(key: keyof L, id: string): Promise<void> {
      const def = defs[key]!;
      if (!def.detail) return;
      const r = await def.detail(id, get());
      if (data(key).selectedId !== id) return;
      if (r.ok) patch(key, { detail: shareUnchanged(data(key).detail, r.value) });
      else get().notify('error', r.error.message);
    }

    const actions: ListActions<L> = {
      async listLoad(key, query) {
        const def = defs[key]!;
        patch(key, { query: { ...(data(key).query as object), ...query }, loading: true, stale: false });
        const asked = data(key).query;
        const r = await fetchPage(key, 0, def.pageSize ?? PAGE);
        if (data(key).query !== asked) return; // a newer query is on its way
        if (!r.ok) return patch(key, { error: r.error.message, loading: false });
        patch(key, { ...pageFields(r.value), error: null, loading: false });
      },
      async listMore(key) {
        const def = defs[key]!;
        const shown = data(key).items ?? [];
        const r = await fetchPage(key, shown.length, def.pageSize ?? PAGE);
        if (!r.ok) return patch(key, { error: r.error.message });
        patch(key, { items: [...(data(key).items ?? []), ...r.value.items], total: r.value.total, error: null });
      },
      async listOpen(key, id) {
        if (!id) return patch(key, { selectedId: null, detail: null });
        patch(key, { selectedId: id });
        await loadDetail(key, id);
      },
      async listRefresh(key) {
        const def = defs[key]!;
        const d = data(key);
        const work: Promise<void>[] = [];
        if (d.items) {
          const limit = Math.min(PAGE, Math.max(d.items.length, def.pageSize ?? PAGE));
          work.push(
            fetchPage(key, 0, limit).then((r) => {
              if (r.ok) {
                const page = pageFields(r.value);
                patch(key, { ...page, items: shareUnchanged(data(key).items, page.items), error: null });
              }
              else patch(key, { error: r.error.message });
            }),
          );
        }
        if (d.selectedId) work.push(loadDetail(key, d.selectedId));
        patch(key, { stale: false });
        await Promise.all(work);
      },
      async resourcesChanged(resources) {
        const route = get().route;
        const work: Promise<void>[] = [];
        for (const key of keys) {
          const def = defs[key]!;
          const d = data(key);
          if (!d.items && !d.selectedId) continue;
          const types = [def.resource, ...def.related];
          const listHit = resources === null || resources.some((r) => types.includes(r.resource_type));
          const detailHit =
            d.selectedId !== null &&
            (resources === null || resources.some((r) => def.related.includes(r.resource_type) || (r.resource_type === def.resource && r.resource_id === d.selectedId)));
          if (!listHit && !detailHit) continue;
          if (!def.visible(route)) {
            patch(key, { stale: true });
            continue;
          }
          if (listHit && d.items) {
            work.push(
              fetchPage(key, 0, Math.min(PAGE, Math.max(d.items.length, def.pageSize ?? PAGE))).then((r) => {
                if (r.ok) {
                const page = pageFields(r.value);
                patch(key, { ...page, items: shareUnchanged(data(key).items, page.items), error: null });
              }
              }),
            );
          }
          if (detailHit && d.selectedId) work.push(loadDetail(key, d.selectedId));
        }
        await Promise.all(work);
      },
      async listsRouteChanged() {
        const route = get().route;
        await Promise.all(keys.filter((k) => data(k).stale && defs[k]!.visible(route)).map((k) => actions.listRefresh(k)));
      },
      async mutate(channel, input) {
        const r = await client.call(channel, input);
        if (!r.ok) return r;
        const value = r.value as Record<string, unknown>;
        for (const key of keys) {
          const def = defs[key]!;
          const item = value[def.itemKey] as ItemOf<ListChannel> | undefined;
          if (!item || typeof item !== 'object') continue;
          const id = def.idOf(item);
          const d = data(key);
          const items = d.items?.map((i) => (def.idOf(i as ItemOf<ListChannel>) === id ? item : i)) ?? null;
          const detail = d.detail && d.selectedId === id && def.patchDetail ? def.patchDetail(d.detail, item) : d.detail;
          patch(key, { items: shareUnchanged(d.items, items), detail: shareUnchanged(d.detail, detail) });
        }
        return r;
      },
    };

    const lists = Object.fromEntries(keys.map((k) => [k, initialListData(defs[k]!.query)])) as ListsData<L>;
    return { ...lists, ...actions };
  };
}
