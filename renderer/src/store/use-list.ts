import { useCallback, useEffect, useState } from 'react';
import { useMaySearch } from '../lib/use-can.js';
import { useDebounced } from '../lib/use-debounced.js';
import { useRoutedItem } from '../lib/use-routed-item.js';
import { useAppStore } from './index.js';
import type { ListsData } from './list-slice.js';
import { LISTS, type Lists } from './lists.js';

/** A list's load (a new query, or the next page with `more`) and open, bound to its key and stable across renders. */
export function useListActions<K extends keyof Lists>(key: K) {
  const load = useCallback(
    (query?: Partial<Parameters<Lists[K]['request']>[0]>, more?: boolean): Promise<void> =>
      more ? useAppStore.getState().listMore(key) : useAppStore.getState().listLoad(key, query as never),
    [key],
  );
  const open = useCallback((id: string | null): Promise<void> => useAppStore.getState().listOpen(key, id), [key]);
  return { load, open };
}

/** The text of a list's search box, handed to `load` once typing has paused for a quarter of a second. */
export function useListSearch(initial: string, load: (query: { search: string }) => Promise<void>): [string, (text: string) => void] {
  const [search, setSearch] = useState(initial);
  const debounced = useDebounced(search, 250);
  useEffect(() => {
    void load({ search: debounced });
  }, [debounced, load]);
  return [search, setSearch];
}

/** What `useListPage` gives a screen, typed by its list. */
export type ListPage<K extends keyof Lists> = Pick<ListsData<Lists>[K], 'items' | 'total' | 'error' | 'query' | 'detail'> &
  ReturnType<typeof useListActions<K>> & {
    search: string;
    setSearch: (text: string) => void;
    /** False when the role may not search this list (the core would refuse it): show no box. */
    searchable: boolean;
    select: (id: string | null) => void;
  };

/**
 * Everything a list/detail screen takes from its list (the one preamble of every such screen): the
 * rows, error, query and open detail; load and open; the search box (debounced, and only where the
 * role may search); and `select`, which opens an item and puts it in the address (`#/<route>/<id>`),
 * so an item opened by a link opens here too.
 */
export function useListPage<K extends keyof Lists>(key: K, route: string): ListPage<K> {
  const list = useAppStore((s) => s[key] as ListsData<Lists>[K]);
  const { load, open } = useListActions(key);
  const [search, setSearch] = useListSearch((list.query as { search: string }).search, load as (q: { search: string }) => Promise<void>);
  const searchable = useMaySearch(LISTS[key].channel);
  const select = useRoutedItem(route, list.selectedId, open);
  return { items: list.items, total: list.total, error: list.error, query: list.query, detail: list.detail, load, open, search, setSearch, searchable, select };
}
