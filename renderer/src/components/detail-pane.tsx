import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { RESTRICTED } from '../../../shared/data-classes.js';
import { Icon } from './icons.js';

/** The right-hand pane of a list/detail split: the item's id, its state, a Close button and its sections. */
export function DetailPane({ title, badge, onClose, children, testId }: { title: string; badge?: ReactNode; onClose: () => void; children: ReactNode; testId: string }) {
  const id = useId();
  const bodyRef = useRef<HTMLDivElement>(null);
  // Another item opens at its top, not where the previous one was scrolled to (issue 15.9).
  useLayoutEffect(() => {
    if (bodyRef.current) bodyRef.current.scrollTop = 0;
  }, [title]);
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
      {/* Focusable so a long pane scrolls by keyboard even when it offers no button (a closed request). */}
      <div ref={bodyRef} className="detail__body" tabIndex={0}>
        {children}
      </div>
    </section>
  );
}

/** A titled section of a detail pane, with optional actions beside its title. */
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
