import { useCallback } from 'react';
import { useAppStore } from './index.js';
import type { Lists } from './lists.js';

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

