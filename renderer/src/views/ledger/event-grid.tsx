import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { Alert } from '../../components/alert.js';
import { OutcomeBadge } from '../../components/badge.js';
import { EmptyState } from '../../components/empty-state.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { ScaledScroll } from '../../lib/scaled-scroll.js';
import { rowAt } from '../../store/ledger-view-slice.js';

const ROW = 30;
const HEADER = 32;
/** Past this height the scroll space is compressed (see ScaledScroll), so millions of events still scroll end to end. */
const MAX_REAL_HEIGHT = 8_000_000;

export interface EventGridProps {
  /** Accessible name of the grid. */
  label: string;
  /** Prefix of row ids (`ledger` → `ledger-row-3`), for aria-activedescendant. */
  idPrefix: string;
  testId: string;
  /** Matching events, or null while counting. */
  total: number | null;
  /** Loaded pages of PAGE_SIZE rows (see ledger-view-slice), by page number. */
  pages: Readonly<Record<number, LedgerEvent[]>>;
  /** Changes with every new query, which starts at the top. */
  queryVersion: number;
  listError: string | null;
  selectedIndex: number | null;
  /** Seq of the event shown in the detail pane; null when the pane is closed. */
  detailSeq: number | null;
  ensureRows(first: number, last: number): void;
  select(index: number | null): void;
  /** Opens (or loads) the event's detail; a stable function, since the detail follows the keys through it. */
  openDetail(seq: number): unknown;
  closeDetail(): void;
  clearFilters(): void;
}

/**
 * Ledger-shaped events as a virtualized grid: pages are fetched only for the rows on screen.
 * Arrows, Page Up/Down, Home and End move; Enter opens the detail, which then follows the keys.
 */
export function EventGrid({
  label,
  idPrefix,
  testId,
  total,
  pages,
  queryVersion,
  listError,
  selectedIndex,
  detailSeq,
  ensureRows,
  select,
  openDetail,
  closeDetail,
  clearFilters,
}: EventGridProps) {
  const detailOpen = detailSeq !== null;

  const scrollRef = useRef<HTMLDivElement>(null);
  const [scaled, setScaled] = useState<ScaledScroll | null>(null);
  const count = total ?? 0;
  const realTotal = scaled ? scaled.setVirtualHeight(HEADER + count * ROW) : HEADER + count * ROW;

  // The virtualizer scrolls a ScaledScroll standing in front of the real container.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scaled as unknown as HTMLDivElement | null,
    estimateSize: () => ROW,
    overscan: 10,
    paddingStart: HEADER,
    scrollPaddingStart: HEADER,
    observeElementRect: (instance, cb) => {
      const el = scrollRef.current;
      if (!el) return;
      const report = () => cb({ width: el.clientWidth, height: el.clientHeight });
      report();
      const ro = new ResizeObserver(report);
      ro.observe(el);
      return () => ro.disconnect();
    },
  });

  const viewport = virtualizer.scrollRect?.height ?? 0;
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const scrolling = virtualizer.isScrolling;

  const setGridRef = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    setScaled(el ? new ScaledScroll(el, MAX_REAL_HEIGHT) : null);
  }, []);

  // A new query starts at the top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [queryVersion]);

  // Fetch the pages on screen; while the scrollbar is being dragged, wait until it settles.
  useEffect(() => {
    if (total === null || total === 0) return;
    const t = window.setTimeout(() => ensureRows(first, last), scrolling ? 150 : 0);
    return () => window.clearTimeout(t);
  }, [first, last, total, scrolling, queryVersion, ensureRows, pages]);

  // With the detail pane open, it follows the keyboard selection.
  const selectedSeq = selectedIndex !== null ? rowAt(pages, selectedIndex)?.seq : undefined;
  useEffect(() => {
    if (!detailOpen || selectedSeq === undefined || selectedSeq === detailSeq) return;
    const t = window.setTimeout(() => void openDetail(selectedSeq), 120);
    return () => window.clearTimeout(t);
  }, [detailOpen, selectedSeq, detailSeq, openDetail]);

  const moveTo = useCallback(
    (index: number) => {
      if (count === 0) return;
      const i = Math.max(0, Math.min(count - 1, index));
      select(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [count, select, virtualizer],
  );

  // One tab stop: the grid holds the focus and names the cursor row with aria-activedescendant, so
  // rows can come and go with the virtualiser; with the detail open, the focus stays here and the
  // detail follows the arrows (each event opens at its top).
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return;
    const pageRows = Math.max(1, Math.floor((viewport - HEADER) / ROW) - 1);
    const cur = selectedIndex ?? -1;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(cur + 1);
        break;
      case 'ArrowUp':
        moveTo(cur <= 0 ? 0 : cur - 1);
        break;
      case 'PageDown':
        moveTo(cur + pageRows);
        break;
      case 'PageUp':
        moveTo(cur - pageRows);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(count - 1);
        break;
      case 'Enter':
      case ' ': {
        const ev = selectedIndex !== null ? rowAt(pages, selectedIndex) : undefined;
        if (ev) void openDetail(ev.seq);
        break;
      }
      case 'Escape':
        if (detailOpen) closeDetail();
        else return;
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  if (listError) {
    return (
      <div className="ledger-table ledger-table--message">
        <Alert kind="error">{listError}</Alert>
      </div>
    );
  }

  if (total === 0) {
    return (
      <div className="ledger-table ledger-table--message">
        <EmptyState
          icon="filter"
          title="No events match these filters"
          action={
            <button type="button" className="btn" onClick={clearFilters}>
              Clear filters
            </button>
          }
        >
          Widen the date range, remove a filter, or end an action with <code>*</code> to match a whole family (e.g. <code>session.*</code>).
        </EmptyState>
      </div>
    );
  }

  const selectedRendered = selectedIndex !== null && items.some((it) => it.index === selectedIndex);

  return (
    <div
      ref={setGridRef}
      className="ledger-table"
      role="grid"
      tabIndex={0}
      aria-label={label}
      aria-rowcount={total === null ? -1 : total + 1}
      aria-colcount={6}
      aria-busy={total === null}
      aria-activedescendant={selectedRendered ? `${idPrefix}-row-${selectedIndex}` : undefined}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      <div role="rowgroup" className="lt__head">
        <div role="row" aria-rowindex={1} className="lt__row lt__row--head">
          <div role="columnheader" className="lt__cell lt__cell--seq">
            Seq
          </div>
          <div role="columnheader" className="lt__cell">
            Time
          </div>
          <div role="columnheader" className="lt__cell">
            Actor
          </div>
          <div role="columnheader" className="lt__cell">
            Action
          </div>
          <div role="columnheader" className="lt__cell">
            Resource
          </div>
          <div role="columnheader" className="lt__cell">
            Outcome
          </div>
        </div>
      </div>
      <div role="rowgroup" className="lt__body" style={{ height: Math.max(0, realTotal - HEADER) }}>
        {total === null && (
          <div className="lt__loading" role="row" aria-rowindex={2}>
            <div role="gridcell">Loading events…</div>
          </div>
        )}
        {items.map((item) => {
          const ev = rowAt(pages, item.index);
          const selected = item.index === selectedIndex;
          return (
            <div
              key={item.key}
              id={`${idPrefix}-row-${item.index}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              className={selected ? 'lt__row lt__row--selected' : 'lt__row'}
              style={{ top: (scaled ? scaled.realTopOf(item.start) : item.start) - HEADER }}
              data-seq={ev?.seq}
              onClick={() => {
                select(item.index);
                if (ev) void openDetail(ev.seq);
                scrollRef.current?.focus({ preventScroll: true });
              }}
            >
              {ev ? (
                <>
                  <div role="gridcell" className="lt__cell lt__cell--seq num">
                    {ev.seq}
                  </div>
                  <div role="gridcell" className="lt__cell num" title={ev.ts}>
                    {formatDateTime(ev.ts)}
                  </div>
                  <div role="gridcell" className="lt__cell">
                    {ev.actor}
                  </div>
                  <div role="gridcell" className="lt__cell mono">
                    {ev.action}
                  </div>
                  <div role="gridcell" className="lt__cell" title={`${ev.resource_type} ${ev.resource_id}`}>
                    <span className="lt__rtype">{ev.resource_type}</span> {ev.resource_id}
                  </div>
                  <div role="gridcell" className="lt__cell">
                    <OutcomeBadge outcome={ev.outcome} quiet />
                  </div>
                </>
              ) : (
                <div role="gridcell" className="lt__cell lt__cell--pending" aria-colspan={6}>
                  <span className="skeleton" />
                  <span className="visually-hidden">Loading row {formatCount(item.index + 1)}</span>
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
