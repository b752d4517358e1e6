import { useVirtualizer } from '@tanstack/react-virtual';
import { isValidElement, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { RESTRICTED } from '../../../shared/data-classes.js';
import { Restricted } from './detail-pane.js';
import './list-detail.css';

/** The list of a list/detail screen (cases, evidence, holds, amendments, subpoenas, disclosures, exports). */

export interface Column<T> {
  key: string;
  label: string;
  /** CSS grid track, e.g. `minmax(120px, 1fr)`. */
  width: string;
  render: (row: T) => ReactNode;
  title?: (row: T) => string;
  /** Never left out when the list is narrow (the first two columns never are either). */
  keep?: boolean;
}

const ROW = 34;

/** The least width a column's track needs: its pixels, or a minmax's minimum (a bare fraction gets a little). */
function minWidthOf(track: string): number {
  const m = /^(\d+)px$/.exec(track) ?? /^minmax\((\d+)px/.exec(track);
  return m ? Number(m[1]) : 80;
}

/**
 * The columns that fit `width`: when the list is narrow (a detail pane beside it, a small window),
 * columns are left out from the right, never the first two or those marked `keep`, so no column is
 * cut off and the row never scrolls sideways. What is left out shows in the open item's pane.
 */
export function fitColumns<T>(columns: Column<T>[], width: number | null): Column<T>[] {
  if (width === null) return columns;
  const shown = [...columns];
  const need = () => shown.reduce((n, c) => n + minWidthOf(c.width), 0);
  for (let i = shown.length - 1; i >= 2 && need() > width; i--) if (!shown[i]!.keep) shown.splice(i, 1);
  return shown;
}

/** A virtualized, keyboard-driven list: arrows, Page Up/Down, Home and End move; Enter, Space or a click opens the row beside the list. */
export function ItemTable<T>({
  rows,
  columns: allColumns,
  getId,
  selectedId,
  onOpen,
  label,
  testId,
}: {
  rows: T[];
  columns: Column<T>[];
  getId: (row: T) => string;
  selectedId: string | null;
  onOpen: (id: string) => void;
  label: string;
  testId: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The keyboard cursor names a row, not a position: a re-sort or a reload keeps it on the same item.
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const shown = fitColumns(allColumns, width);
  const rowMinWidth = shown.reduce((n, c) => n + minWidthOf(c.width), 0);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });
  const template = shown.map((c) => c.width).join(' ');
  const indexOf = (id: string | null) => (id === null ? -1 : rows.findIndex((r) => getId(r) === id));
  const cursorIndex = indexOf(cursorId);
  const selectedIndex = indexOf(selectedId);
  const active = cursorIndex >= 0 ? cursorIndex : selectedIndex >= 0 ? selectedIndex : null;

  function move(to: number) {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    virtualizer.scrollToIndex(i, { align: 'auto' });
    const row = rows[i];
    if (!row) return;
    setCursorId(getId(row));
    onOpen(getId(row));
  }

  // One tab stop (the grid; the row under the cursor is its aria-activedescendant, so a virtualised
  // row that scrolls out of the DOM never takes the focus with it). The open item follows the cursor
  // and the focus stays here, so the arrows keep browsing while the detail shows each row.
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return;
    const cur = active ?? -1;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW * 10) / ROW) - 2);
    if (e.key === 'ArrowDown') move(cur + 1);
    else if (e.key === 'ArrowUp') move(cur <= 0 ? 0 : cur - 1);
    else if (e.key === 'PageDown') move(cur + page);
    else if (e.key === 'PageUp') move(cur - page);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if ((e.key === 'Enter' || e.key === ' ') && active !== null) move(active);
    else if ((e.key === 'Enter' || e.key === ' ') && rows.length > 0) move(0);
    else return;
    e.preventDefault();
  }

  const items = virtualizer.getVirtualItems();
  const activeRendered = active !== null && items.some((it) => it.index === active);
  return (
    <div
      ref={scrollRef}
      className="ft"
      role="grid"
      tabIndex={0}
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={shown.length}
      aria-activedescendant={activeRendered ? `${testId}-row-${active}` : undefined}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      <div role="rowgroup" className="ft__head">
        <div role="row" aria-rowindex={1} className="ft__row ft__row--head" style={{ gridTemplateColumns: template, minWidth: rowMinWidth }}>
          {shown.map((c) => (
            <div key={c.key} role="columnheader" className="ft__cell">
              {c.label}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="ft__body" style={{ height: virtualizer.getTotalSize(), minWidth: rowMinWidth }}>
        {items.map((item) => {
          const row = rows[item.index] as T;
          const id = getId(row);
          const selected = id === selectedId;
          const cls = ['ft__row', selected && 'ft__row--selected', item.index === active && 'ft__row--cursor'].filter(Boolean).join(' ');
          return (
            <div
              key={id}
              id={`${testId}-row-${item.index}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              className={cls}
              style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)` }}
              data-id={id}
              onClick={() => {
                setCursorId(id);
                onOpen(id);
                scrollRef.current?.focus({ preventScroll: true });
              }}
            >
              {shown.map((c) => (
                <div key={c.key} role="gridcell" className="ft__cell" title={c.title?.(row)}>
                  {restrictedShown(c.render(row))}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** A cell that holds only the core's restricted marker (`<span>[restricted]</span>`) says Restricted instead. */
function restrictedShown(node: ReactNode): ReactNode {
  return isValidElement<{ children?: unknown }>(node) && node.props.children === RESTRICTED ? <Restricted /> : node;
}
