import { useVirtualizer } from '@tanstack/react-virtual';
import { isValidElement, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { maySearch } from '../../../../shared/contract.js';
import { RESTRICTED } from '../../../../shared/data-classes.js';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { LEDGER_READERS } from '../../../../shared/roles.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge, type Tone } from '../../components/badge.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { formatDateTime } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import './ferpa.css';

/** Shared pieces of the Amendments, Subpoenas and Disclosures screens (list/detail split, badges, dialogs). */

export interface Column<T> {
  key: string;
  label: string;
  /** CSS grid track, e.g. `minmax(120px, 1fr)`. */
  width: string;
  render: (row: T) => ReactNode;
  title?: (row: T) => string;
}

const ROW = 34;

/** A virtualized, keyboard-driven list: arrows move, Enter or click opens the row beside the list. */
export function ItemTable<T>({
  rows,
  columns,
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
  const [cursor, setCursor] = useState<number | null>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });
  const template = columns.map((c) => c.width).join(' ');
  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => getId(r) === selectedId);
  const active = cursor ?? (selectedIndex >= 0 ? selectedIndex : null);

  function move(to: number) {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    setCursor(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
    const row = rows[i];
    if (row) onOpen(getId(row));
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const cur = active ?? -1;
    if (e.key === 'ArrowDown') move(cur + 1);
    else if (e.key === 'ArrowUp') move(cur <= 0 ? 0 : cur - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if (e.key === 'Enter' && active !== null) move(active);
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
      aria-colcount={columns.length}
      aria-activedescendant={activeRendered ? `${testId}-row-${active}` : undefined}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      <div role="rowgroup" className="ft__head">
        <div role="row" aria-rowindex={1} className="ft__row ft__row--head" style={{ gridTemplateColumns: template }}>
          {columns.map((c) => (
            <div key={c.key} role="columnheader" className="ft__cell">
              {c.label}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="ft__body" style={{ height: virtualizer.getTotalSize() }}>
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
                setCursor(item.index);
                onOpen(id);
                scrollRef.current?.focus({ preventScroll: true });
              }}
            >
              {columns.map((c) => (
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

/** A state as a badge: words for people, a tone for the eye. */
/**
 * The item a FERPA screen shows follows the route: `#/<area>/<id>` opens that item (links from the
 * due list and the ledger), and selecting an item writes the route. Returns the select function.
 */
export function useRoutedItem(area: string, currentId: string | null | undefined, open: (id: string | null) => Promise<void>): (id: string | null) => void {
  const routed = useAppStore((s) => s.route.split('/')[1] ?? null);
  const navigate = useAppStore((s) => s.navigate);
  useEffect(() => {
    if (routed && routed !== currentId) void open(routed);
  }, [routed]);
  return (id) => {
    navigate(id ? `${area}/${id}` : area);
    void open(id);
  };
}

export function StateBadge({ state, tones }: { state: string; tones: Record<string, Tone> }) {
  return <Badge tone={tones[state] ?? 'neutral'}>{state.replace(/_/g, ' ')}</Badge>;
}

const DAY = 86_400_000;

/** Days remaining until `dueAt` as a badge; red once overdue, amber within a week. */
export function DueBadge({ dueAt, done }: { dueAt: string; done?: boolean }) {
  if (done) return <span className="muted">{dueAt.slice(0, 10)}</span>;
  const days = Math.ceil((new Date(dueAt).getTime() - Date.now()) / DAY);
  const overdue = new Date(dueAt).getTime() < Date.now();
  const text = overdue ? (days === 0 ? 'overdue today' : `${-days} d overdue`) : days <= 0 ? 'due today' : `${days} d left`;
  return (
    <Badge tone={overdue ? 'danger' : days <= 7 ? 'warn' : 'neutral'} title={`Due ${formatDateTime(dueAt)}`}>
      {text}
    </Badge>
  );
}

/** The right-hand pane of a list/detail split. */
export function DetailPane({ title, badge, onClose, children, testId }: { title: string; badge?: ReactNode; onClose: () => void; children: ReactNode; testId: string }) {
  const id = useId();
  return (
    <section className="detail ferpa-detail" aria-labelledby={id} data-testid={testId}>
      <header className="detail__header">
        <div className="detail__heading">
          <h2 id={id}>{title}</h2>
          {badge}
        </div>
        <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={onClose} aria-label="Close details">
          <Icon name="x" size={14} />
        </button>
      </header>
      <div className="detail__body">{children}</div>
    </section>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="detail__section" aria-labelledby={id}>
      <div className="detail__section-head">
        <h3 id={id}>{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** What a field the signed-in role may not see shows instead of its value (the core sent '[restricted]'). */
export function Restricted() {
  return (
    <span className="muted" title="Your role does not see this information.">
      Restricted
    </span>
  );
}

/** A cell that holds only the core's restricted marker (`<span>[restricted]</span>`) says Restricted instead. */
function restrictedShown(node: ReactNode): ReactNode {
  return isValidElement<{ children?: unknown }>(node) && node.props.children === RESTRICTED ? <Restricted /> : node;
}

/** Facts as a definition list; empty values show a dash, restricted ones say so. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="kv">
      {rows.map(([k, v]) => (
        <div key={k} className="kv__pair">
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v === RESTRICTED ? <Restricted /> : v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The item's own ledger events (for roles that may read the ledger). */
export function ItemTimeline({ resourceType, resourceId, version, title = 'Timeline' }: { resourceType: string; resourceId: string; version: string; title?: string }) {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  const [events, setEvents] = useState<LedgerEvent[] | null>(null);
  const allowed = LEDGER_READERS.includes(role);
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    void client.call('ledger.query', { resourceType, resourceId, limit: 100, withTotal: false }).then((r) => {
      if (live && r.ok) setEvents([...r.value.events].reverse());
    });
    return () => {
      live = false;
    };
  }, [allowed, resourceType, resourceId, version]);
  if (!allowed) return null;
  return (
    <Section title={title}>
      {events === null ? (
        <p className="muted">Loading…</p>
      ) : events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="ferpa-timeline">
          {events.map((e) => (
            <li key={e.seq} className={e.outcome === 'success' ? undefined : 'ferpa-timeline__bad'}>
              <span className="mono">{e.action}</span>
              <span className="muted">
                {e.actor} · {formatDateTime(e.ts)}
                {e.outcome !== 'success' ? ` · ${e.outcome}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

/** True when the signed-in user may change FERPA data (the core enforces it; this only hides buttons). */
export function useCanMutate(): boolean {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  return role === 'admin' || role === 'compliance_officer' || role === 'legal_counsel';
}

/**
 * A dialog for one action: its fields, an explanation of what will happen, the core's error if it
 * refuses. `run` returns an error sentence or null; the dialog closes on success.
 */
export function ActionDialog({
  open,
  title,
  submitLabel,
  danger,
  onClose,
  run,
  children,
  wide,
  keepOpen,
  done,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  danger?: boolean;
  onClose: () => void;
  run: () => Promise<string | null>;
  children: ReactNode;
  wide?: boolean;
  /** Stay open after a successful run (to show `done`, e.g. a file to download). */
  keepOpen?: boolean;
  /** What the run produced; shown instead of the form, with only a Close button. */
  done?: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) setError(null);
  }, [open]);
  async function submit(_e: FormEvent<HTMLFormElement>) {
    // Once the run produced something, Enter must not run it again.
    if (done) return;
    setBusy(true);
    setError(null);
    const err = await run();
    setBusy(false);
    if (err) setError(err);
    else if (!keepOpen) onClose();
  }
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      onSubmit={(e) => void submit(e)}
      wide={wide}
      footer={
        done ? (
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className={danger ? 'btn btn--danger' : 'btn btn--primary'} disabled={busy}>
              {busy ? 'Working…' : submitLabel}
            </button>
          </>
        )
      }
    >
      {error && <Alert kind="error">{error}</Alert>}
      <div className="ferpa-form">{done ?? children}</div>
    </Dialog>
  );
}

export function TextArea({ label, value, onChange, hint, rows = 3 }: { label: string; value: string; onChange: (v: string) => void; hint?: ReactNode; rows?: number }) {
  return (
    <Field label={label} hint={hint}>
      {(p) => <textarea className="input ferpa-textarea" rows={rows} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

export function Input({
  label,
  value,
  onChange,
  hint,
  type = 'text',
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  type?: 'text' | 'date' | 'datetime-local';
  placeholder?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      {(p) => <input className="input" type={type} placeholder={placeholder} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

export function Select({ label, value, onChange, options, hint }: { label: string; value: string; onChange: (v: string) => void; options: [string, string][]; hint?: ReactNode }) {
  return (
    <Field label={label} hint={hint}>
      {(p) => (
        <select className="select" {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A `datetime-local` value as an RFC 3339 instant (the core stores UTC); empty stays undefined. */
export function localToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The list toolbar: free-text search (for roles that may search what it reads) and a state filter. */
export function ListToolbar({
  channel,
  text,
  state,
  states,
  onChange,
  count,
  noun,
}: {
  /** The list channel whose search this box drives. */
  channel: 'amendments.list' | 'subpoenas.list' | 'disclosures.list';
  text: string;
  state: string;
  states: readonly string[];
  onChange: (f: { text: string; state: string }) => void;
  count: number | null;
  noun: string;
}) {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  return (
    <div className="ferpa-toolbar">
      {maySearch(role, channel, 'search') && <SearchFilter label="Search" value={text} placeholder="Id, name, text…" onChange={(v) => onChange({ text: v, state })} />}
      {states.length > 0 && (
        <SelectFilter label="State" value={state} onChange={(v) => onChange({ text, state: v })} any="Any state" options={states} optionLabel={(s) => s.replace(/_/g, ' ')} />
      )}
      <ListCount>{count === null ? 'Loading…' : `${count} ${noun}${count === 1 ? '' : 's'}`}</ListCount>
    </div>
  );
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

interface SubjectOption {
  id: string;
  displayName: string;
}

/** Picks a subject by name or id: a text box with suggestions from `subjects.list`. */
export function SubjectPicker({ value, onChange, label = 'Subject' }: { value: string; onChange: (id: string) => void; label?: string }) {
  const listId = useId();
  const [options, setOptions] = useState<SubjectOption[]>([]);
  const [search, setSearch] = useState('');
  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      void client.call('subjects.list', { ...(search.trim() ? { search: search.trim() } : {}), limit: 50 }).then((r) => {
        if (live && r.ok) setOptions(r.value.items.map((s) => ({ id: s.id, displayName: s.displayName })));
      });
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [search]);
  const match = options.find((o) => o.id === value);
  return (
    <Field label={label} hint={match ? match.displayName : 'Type a name or id and pick the subject.'}>
      {(p) => (
        <>
          <input
            className="input"
            list={listId}
            autoComplete="off"
            {...p}
            value={value}
            onChange={(e) => {
              onChange(e.target.value);
              setSearch(e.target.value);
            }}
          />
          <datalist id={listId}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.displayName}
              </option>
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

interface RecordOption {
  id: string;
  title: string;
  category: string;
  status: string;
}

/** The subject's records as checkboxes (several) or radio buttons (one); only active records can be chosen. */
export function RecordChooser({
  subjectId,
  value,
  onChange,
  multiple,
  legend,
}: {
  subjectId: string;
  value: string[];
  onChange: (ids: string[]) => void;
  multiple: boolean;
  legend: string;
}) {
  const [records, setRecords] = useState<RecordOption[] | null>(null);
  const name = useId();
  useEffect(() => {
    let live = true;
    setRecords(null);
    if (!subjectId.trim()) return;
    const t = window.setTimeout(() => {
      void client.call('subjects.get', { id: subjectId.trim() }).then((r) => {
        if (live) setRecords(r.ok ? r.value.records.map((x) => ({ id: x.id, title: x.title, category: x.category, status: x.status })) : []);
      });
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [subjectId]);
  return (
    <fieldset className="ferpa-records">
      <legend className="field__label">{legend}</legend>
      {!subjectId.trim() ? (
        <p className="muted">Choose the subject first.</p>
      ) : records === null ? (
        <p className="muted">Loading records…</p>
      ) : records.length === 0 ? (
        <p className="muted">No records found for {subjectId}.</p>
      ) : (
        records.map((r) => (
          <label key={r.id} className="ferpa-check">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              disabled={r.status !== 'active'}
              checked={value.includes(r.id)}
              onChange={(e) => {
                if (!multiple) onChange([r.id]);
                else onChange(e.target.checked ? [...value, r.id] : value.filter((x) => x !== r.id));
              }}
            />
            <span className="mono">{r.id}</span>
            <span>{r.title}</span>
            <span className="muted">
              {r.category}
              {r.status !== 'active' ? ` · ${r.status}` : ''}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}
