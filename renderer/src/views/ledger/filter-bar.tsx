import { formatCount } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { EventFilterBar } from './event-filter-bar.js';
import { SavedFilters } from './saved-filters.js';
import { SearchIndexStatus } from './search-index-status.js';

/** The ledger's filters: the shared event filter bar bound to the ledger viewer's state, with saved filters. */
export function FilterBar() {
  const filter = useAppStore((s) => s.filter);
  const total = useAppStore((s) => s.total);
  const facets = useAppStore((s) => s.facets);
  const setFilter = useAppStore((s) => s.setFilter);
  const refreshList = useAppStore((s) => s.refreshList);
  // Pruned events (audit-log retention) are not listed, so they are not "newer" either.
  const headSize = useAppStore((s) => (s.head ? s.head.size - (s.head.prunedThrough ?? 0) : null));
  const newer = total !== null && headSize !== null && headSize > total ? headSize - total : 0;

  return (
    <EventFilterBar
      label="Filter the ledger"
      idPrefix="ledger"
      filter={filter}
      onChange={setFilter}
      total={total}
      facets={facets}
      countTestId="ledger-count"
      status={<SearchIndexStatus />}
      afterCount={
        newer > 0 && (
          <button type="button" className="btn btn--sm filters__newer" onClick={() => refreshList()}>
            {formatCount(newer)} newer {newer === 1 ? 'event' : 'events'} · Show
          </button>
        )
      }
      end={<SavedFilters current={filter} onApply={setFilter} />}
    />
  );
}
