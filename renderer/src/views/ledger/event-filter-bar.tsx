import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { LedgerFilter } from '../../../../shared/contract/core.js';
import { Icon } from '../../components/icons.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { plural } from '../../lib/format.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { cleanFilter } from '../../store/ledger-view-slice.js';

/** Suggestions for the filter inputs (distinct values of the events being filtered). */
export interface EventFacets {
  actors: readonly string[];
  actions: readonly string[];
  resourceTypes: readonly string[];
}

/** Each filter's name for people, in the order filters are listed (chips, export scopes). */
export const FILTER_LABELS: Record<keyof LedgerFilter, string> = {
  from: 'From',
  to: 'To',
  actor: 'Actor',
  action: 'Action',
  resourceType: 'Resource type',
  resourceId: 'Resource id',
  outcome: 'Outcome',
  text: 'Text',
  throughSeq: 'Up to event',
};

function same(a: LedgerFilter, b: LedgerFilter): boolean {
  return JSON.stringify(cleanFilter(a)) === JSON.stringify(cleanFilter(b));
}

/**
 * Filter inputs over ledger-shaped events (typed values apply after a short pause), the active
 * filters as chips, and the match count. Used by the ledger viewer and by imported bundles.
 */
export function EventFilterBar({
  label,
  idPrefix,
  filter,
  onChange,
  total,
  facets,
  countTestId,
  afterCount,
  status,
  end,
}: {
  /** Accessible name of the filter section. */
  label: string;
  /** Prefix of the inputs' ids (`ledger` → `ledger-text`, `ledger-actor`…). */
  idPrefix: string;
  filter: LedgerFilter;
  onChange: (filter: LedgerFilter) => void;
  total: number | null;
  facets: EventFacets | null;
  countTestId: string;
  /** Shown right after the count when no filter is active (e.g. "newer events"). */
  afterCount?: ReactNode;
  /** Shown right after the count whatever the filters (e.g. the search index catching up). */
  status?: ReactNode;
  /** Shown at the end of the summary row (e.g. saved filters). */
  end?: ReactNode;
}) {
  const [draft, setDraft] = useState<LedgerFilter>(filter);
  const debounced = useDebounced(draft, 300);
  const committed = useRef<LedgerFilter>(filter);
  const ids = { actors: useId(), actions: useId(), types: useId() };
  const id = (k: string) => `${idPrefix}-${k}`;

  // Typing settles → query.
  useEffect(() => {
    if (same(debounced, committed.current)) return;
    committed.current = debounced;
    onChange(debounced);
  }, [debounced, onChange]);

  // A filter set elsewhere (a chip, the detail pane, a saved filter, a chart) → show it in the inputs.
  useEffect(() => {
    if (same(filter, committed.current)) return;
    committed.current = filter;
    setDraft(filter);
  }, [filter]);

  const set = (k: keyof LedgerFilter) => (v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));
  /** Selects and dates apply at once; only typing waits. */
  const apply = (next: LedgerFilter) => {
    setDraft(next);
    committed.current = next;
    onChange(next);
  };
  const setNow = (k: keyof LedgerFilter) => (v: string) => apply({ ...draft, [k]: v || undefined });
  const active = Object.entries(cleanFilter(filter)) as [keyof LedgerFilter, string][];

  return (
    <section className="filters" aria-label={label}>
      <div className="filters__row">
        <SearchFilter label="Search" id={id('text')} value={draft.text ?? ''} placeholder="Actor, action, resource or details" onChange={set('text')} />
        <SelectFilter label="Outcome" id={id('outcome')} value={draft.outcome ?? ''} onChange={setNow('outcome')}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="denied">Denied</option>
          <option value="failure">Failure</option>
        </SelectFilter>
        <div className="filter filter--date">
          <label htmlFor={id('from')} className="filter__label">
            From
          </label>
          <input id={id('from')} className="input input--sm" type="date" value={draft.from ?? ''} max={draft.to} onChange={(e) => setNow('from')(e.target.value)} />
        </div>
        <div className="filter filter--date">
          <label htmlFor={id('to')} className="filter__label">
            To
          </label>
          <input id={id('to')} className="input input--sm" type="date" value={draft.to ?? ''} min={draft.from} onChange={(e) => setNow('to')(e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor={id('actor')} className="filter__label">
            Actor
          </label>
          <input
            id={id('actor')}
            className="input input--sm"
            list={ids.actors}
            placeholder="Anyone"
            value={draft.actor ?? ''}
            onChange={(e) => set('actor')(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id={ids.actors}>{facets?.actors.map((a) => <option key={a} value={a} />)}</datalist>
        </div>
        <div className="filter">
          <label htmlFor={id('action')} className="filter__label">
            Action
          </label>
          <input
            id={id('action')}
            className="input input--sm"
            list={ids.actions}
            placeholder="e.g. session.* "
            value={draft.action ?? ''}
            onChange={(e) => set('action')(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={id('action-hint')}
          />
          <span id={id('action-hint')} className="visually-hidden">
            End with an asterisk to match every action that starts with the text before it.
          </span>
          <datalist id={ids.actions}>
            {facets && [...new Set(facets.actions.map((a) => `${a.split('.')[0]}.*`))].map((p) => <option key={p} value={p} />)}
            {facets?.actions.map((a) => <option key={a} value={a} />)}
          </datalist>
        </div>
        <div className="filter">
          <label htmlFor={id('rtype')} className="filter__label">
            Resource type
          </label>
          <input
            id={id('rtype')}
            className="input input--sm"
            list={ids.types}
            placeholder="Any"
            value={draft.resourceType ?? ''}
            onChange={(e) => set('resourceType')(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id={ids.types}>{facets?.resourceTypes.map((t) => <option key={t} value={t} />)}</datalist>
        </div>
        <div className="filter">
          <label htmlFor={id('rid')} className="filter__label">
            Resource id
          </label>
          <input
            id={id('rid')}
            className="input input--sm"
            placeholder="Exact id"
            value={draft.resourceId ?? ''}
            onChange={(e) => set('resourceId')(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      </div>
      <div className="filters__summary">
        <span className="filters__count" role="status" aria-live="polite" data-testid={countTestId}>
          {total === null ? 'Counting…' : `${plural(total, 'event')}${active.length ? (total === 1 ? ' matches' : ' match') : ''}`}
        </span>
        {status}
        {active.length === 0 && afterCount}
        {active.length > 0 && (
          <ul className="chips" aria-label="Active filters">
            {active.map(([k, v]) => (
              <li key={k} className="chip">
                <span className="chip__key">{FILTER_LABELS[k]}</span>
                <span className="chip__value">{v}</span>
                <button type="button" className="chip__remove" aria-label={`Remove filter ${FILTER_LABELS[k]}: ${v}`} onClick={() => apply({ ...filter, [k]: undefined })}>
                  <Icon name="x" size={12} />
                </button>
              </li>
            ))}
            <li>
              <button type="button" className="btn btn--ghost btn--sm" onClick={() => apply({})}>
                Clear all
              </button>
            </li>
          </ul>
        )}
        {end}
      </div>
    </section>
  );
}
