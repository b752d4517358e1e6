import { useLayoutEffect, useRef, type ReactNode } from 'react';
import type { LedgerFilter } from '../../../../shared/contract/core.js';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { Alert } from '../../components/alert.js';
import { OutcomeBadge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime } from '../../lib/format.js';

/**
 * The pane beside an event grid that shows one event: its number and outcome, a close button,
 * and, once loaded, the sections. Used by the ledger viewer and by imported bundles; each passes
 * its own ids, so both can be on the page with unique ones.
 */
export function EventPane({
  className,
  titleId,
  testId,
  seq,
  event,
  loading,
  error,
  onClose,
  children,
}: {
  className: string;
  titleId: string;
  testId: string;
  seq: number;
  /** The event once loaded; its outcome is shown next to the title. */
  event: LedgerEvent | null;
  /** True until the event (and whatever else the pane needs) has arrived. */
  loading: boolean;
  error: string | null;
  onClose: () => void;
  children: ReactNode;
}) {
  const bodyRef = useRef<HTMLDivElement>(null);
  // Another event opens at its top, not where the previous one was scrolled to (issue 15.9).
  useLayoutEffect(() => {
    if (bodyRef.current) bodyRef.current.scrollTop = 0;
  }, [seq]);
  return (
    <aside className={className} aria-labelledby={titleId} data-testid={testId}>
      <header className="detail__header">
        <div className="detail__heading">
          <h2 id={titleId}>Event {formatCount(seq)}</h2>
          {event && <OutcomeBadge outcome={event.outcome} />}
        </div>
        <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={onClose} aria-label="Close event detail">
          <Icon name="x" />
        </button>
      </header>
      <div ref={bodyRef} className="detail__body">
        {error && <Alert kind="error">{error}</Alert>}
        {loading && !error && <Spinner label="Loading the event…" />}
        {children}
      </div>
    </aside>
  );
}

/** An event's action, time, actor, resource and outcome, with shortcuts that narrow the filters to its resource or actor. */
export function EventFields({
  event,
  headingId,
  filter,
  onFilter,
  resourceLabel,
  actorLabel,
  actions,
}: {
  event: LedgerEvent;
  headingId: string;
  filter: LedgerFilter;
  onFilter: (filter: LedgerFilter) => void;
  /** Words of the two shortcuts (a narrow pane says less). */
  resourceLabel: string;
  actorLabel: string;
  /** Shown before the shortcuts. */
  actions?: ReactNode;
}) {
  return (
    <section className="detail__section" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        Fields
      </h3>
      <p className="detail__action mono">{event.action}</p>
      <dl className="kv">
        <dt>Time</dt>
        <dd>
          {formatDateTime(event.ts)}
          <div className="hash muted">{event.ts}</div>
        </dd>
        <dt>Actor</dt>
        <dd>{event.actor}</dd>
        <dt>Resource</dt>
        <dd>
          <span className="lt__rtype">{event.resource_type}</span> {event.resource_id}
        </dd>
        <dt>Outcome</dt>
        <dd>{event.outcome}</dd>
      </dl>
      <div className="detail__links">
        {actions}
        <button type="button" className="btn btn--sm" onClick={() => onFilter({ ...filter, resourceType: event.resource_type, resourceId: event.resource_id })}>
          <Icon name="filter" size={13} />
          {resourceLabel}
        </button>
        <button type="button" className="btn btn--sm" onClick={() => onFilter({ ...filter, actor: event.actor })}>
          <Icon name="user" size={13} />
          {actorLabel}
        </button>
      </div>
    </section>
  );
}

/** The event's details object as indented JSON. */
export function EventDetails({ event, headingId }: { event: LedgerEvent; headingId: string }) {
  return (
    <section className="detail__section" aria-labelledby={headingId}>
      <h3 id={headingId}>Details</h3>
      {Object.keys(event.details).length === 0 ? (
        <p className="muted">No details recorded.</p>
      ) : (
        <pre className="json" tabIndex={0} aria-label="Event details as JSON">
          {JSON.stringify(event.details, null, 2)}
        </pre>
      )}
    </section>
  );
}

/** The event's place in the hash chain: its hash and the previous one (and whatever the caller adds), then `children`. */
export function EventHashes({ event, headingId, extra, children }: { event: LedgerEvent; headingId: string; extra?: ReactNode; children?: ReactNode }) {
  return (
    <section className="detail__section" aria-labelledby={headingId}>
      <h3 id={headingId}>Hash chain</h3>
      <dl className="kv">
        <HashRow label="Hash" value={event.hash} />
        <HashRow label="Previous hash" value={event.prev_hash} />
        {extra}
      </dl>
      {children}
    </section>
  );
}

/** A hash in a <dl className="kv">, with a button that copies it. */
export function HashRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="kv__hash">
        <span className="hash">{value}</span>
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} compact />
      </dd>
    </>
  );
}

/** One hash recomputed in this window: a tick when it matches, a cross when it does not, nothing while unknown. */
export function Check({ ok, label }: { ok: boolean | null; label: string }) {
  if (ok === null) return null;
  return (
    <li className={ok ? 'check check--ok' : 'check check--bad'}>
      <Icon name={ok ? 'check' : 'x'} size={13} />
      {label}
      <span className="visually-hidden">{ok ? ': matches' : ': does not match'}</span>
    </li>
  );
}
