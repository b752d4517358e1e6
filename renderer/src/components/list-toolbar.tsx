import type { ReactNode } from 'react';
import type { ChannelName } from '../../../shared/contract.js';
import { formatCount } from '../lib/format.js';
import { useMaySearch } from '../lib/use-can.js';
import { useAppStore } from '../store/index.js';
import type { Lists } from '../store/lists.js';
import { useListActions } from '../store/use-list.js';
import { SearchFilter } from './search-filter.js';
import { SelectFilter } from './select-filter.js';

/** Free-text search (for roles that may search what `channel` reads) and a state filter, for a list's toolbar. */
export function SearchStateFilters({
  channel,
  text,
  state,
  states,
  onChange,
  placeholder = 'Id, name, text…',
}: {
  /** The list channel whose search this box drives. */
  channel: ChannelName;
  text: string;
  state: string;
  states: readonly string[];
  onChange: (f: { text: string; state: string }) => void;
  placeholder?: string;
}) {
  const searchable = useMaySearch(channel, 'search');
  return (
    <>
      {searchable && <SearchFilter label="Search" value={text} placeholder={placeholder} onChange={(v) => onChange({ text: v, state })} />}
      {states.length > 0 && (
        <SelectFilter label="State" value={state} onChange={(v) => onChange({ text, state: v })} any="Any state" options={states} optionLabel={(s) => s.replace(/_/g, ' ')} />
      )}
    </>
  );
}

/** "12 cases", "1 case", or "Loading…" while the list has not arrived. */
export function countLabel(count: number | null | undefined, noun: string, shown?: number | null): string {
  if (count === null || count === undefined) return 'Loading…';
  const nouns = `${noun}${count === 1 ? '' : 's'}`;
  return shown !== null && shown !== undefined && shown < count ? `${formatCount(shown)} of ${formatCount(count)} ${nouns}` : `${formatCount(count)} ${nouns}`;
}

/**
 * The toolbar's count of what the list shows, and "Load more" (when `onMore` is given) while
 * fewer than `total` of the matching rows are loaded.
 */
export function ListCount({ children, shown, total, onMore }: { children: ReactNode; shown?: number | null; total?: number | null; onMore?: () => void }) {
  const more = onMore && shown != null && total != null && shown < total;
  return (
    <div className="ferpa-toolbar__count" aria-live="polite">
      {children}
      {more && (
        <button type="button" className="btn btn--ghost btn--sm casework-toolbar__more" onClick={onMore}>
          Load more
        </button>
      )}
    </div>
  );
}

/**
 * The toolbar's count of a list (`12 of 340 holds`) with its "Load more", read from the store by
 * the list's key: every list/detail screen shows the same words and pages the same way.
 */
export function ListCountOf<K extends keyof Lists>({ list, noun }: { list: K; noun: string }) {
  const shown = useAppStore((s) => s[list].items?.length);
  const total = useAppStore((s) => s[list].total);
  const { load } = useListActions(list);
  return (
    <ListCount shown={shown} total={total} onMore={() => void load({}, true)}>
      {countLabel(total, noun, shown)}
    </ListCount>
  );
}
