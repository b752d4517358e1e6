import { useCallback, useEffect, useState } from 'react';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { Alert } from '../../components/alert.js';
import { OutcomeBadge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { checkEventIndependently } from '../../lib/independent-check.js';
import { useAppStore } from '../../store/index.js';
import { EventFilterBar } from '../ledger/event-filter-bar.js';
import { EventGrid } from '../ledger/event-grid.js';
import { AuditCharts } from './audit-charts.js';

function HashRow({ label, value }: { label: string; value: string }) {
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

/** Recomputes the event's hash from its canonical bytes in this window, so the reader need not trust the import. */
function HashCheck({ event }: { event: LedgerEvent }) {
  const [ok, setOk] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    setOk(null);
    void checkEventIndependently(event, '', null).then((c) => {
      if (live) setOk(c.hashMatches);
    });
    return () => {
      live = false;
    };
  }, [event]);
  if (ok === null) return <Spinner label="Recomputing the hash…" />;
  return (
    <ul className="checks">
      <li className={ok ? 'check check--ok' : 'check check--bad'}>
        <Icon name={ok ? 'check' : 'x'} size={13} />
        Event hash recomputed in this window
        <span className="visually-hidden">{ok ? ': matches' : ': does not match'}</span>
      </li>
    </ul>
  );
}

/** One imported event: its fields, details and hashes, with shortcuts to filter by it or record a finding about it. */
function EventPane({ onFinding }: { onFinding: ((seq: number) => void) | null }) {
  const current = useAppStore((s) => s.auditEvent);
  const close = useAppStore((s) => s.closeAuditEvent);
  const filter = useAppStore((s) => s.auditFilter);
  const setFilter = useAppStore((s) => s.setAuditFilter);
  if (!current) return null;
  const ev = current.event;
  return (
    <aside className="detail audit-event" aria-labelledby="audit-event-title" data-testid="audit-event-detail">
      <header className="detail__header">
        <div className="detail__heading">
          <h2 id="audit-event-title">Event {formatCount(current.seq)}</h2>
          {ev && <OutcomeBadge outcome={ev.outcome} />}
        </div>
        <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={close} aria-label="Close event detail">
          <Icon name="x" />
        </button>
      </header>
      <div className="detail__body">
        {current.error && <Alert kind="error">{current.error}</Alert>}
        {!ev && !current.error && <Spinner label="Loading the event…" />}
        {ev && (
          <>
            <section className="detail__section" aria-labelledby="audit-event-fields">
              <h3 id="audit-event-fields" className="visually-hidden">
                Fields
              </h3>
              <p className="detail__action mono">{ev.action}</p>
              <dl className="kv">
                <dt>Time</dt>
                <dd>
                  {formatDateTime(ev.ts)}
                  <div className="hash muted">{ev.ts}</div>
                </dd>
                <dt>Actor</dt>
                <dd>{ev.actor}</dd>
                <dt>Resource</dt>
                <dd>
                  <span className="lt__rtype">{ev.resource_type}</span> {ev.resource_id}
                </dd>
                <dt>Outcome</dt>
                <dd>{ev.outcome}</dd>
              </dl>
              <div className="detail__links">
                {onFinding && (
                  <button type="button" className="btn btn--sm btn--primary" onClick={() => onFinding(ev.seq)}>
                    <Icon name="bookmark" size={13} />
                    Record a finding…
                  </button>
                )}
                <button type="button" className="btn btn--sm" onClick={() => setFilter({ ...filter, resourceType: ev.resource_type, resourceId: ev.resource_id })}>
                  <Icon name="filter" size={13} />
                  This resource
                </button>
                <button type="button" className="btn btn--sm" onClick={() => setFilter({ ...filter, actor: ev.actor })}>
                  <Icon name="user" size={13} />
                  By {ev.actor}
                </button>
              </div>
            </section>
            <section className="detail__section" aria-labelledby="audit-event-details">
              <h3 id="audit-event-details">Details</h3>
              {Object.keys(ev.details).length === 0 ? (
                <p className="muted">No details recorded.</p>
              ) : (
                <pre className="json" tabIndex={0} aria-label="Event details as JSON">
                  {JSON.stringify(ev.details, null, 2)}
                </pre>
              )}
            </section>
            <section className="detail__section" aria-labelledby="audit-event-hashes">
              <h3 id="audit-event-hashes">Hash chain</h3>
              <dl className="kv">
                <HashRow label="Hash" value={ev.hash} />
                <HashRow label="Previous hash" value={ev.prev_hash} />
              </dl>
              <HashCheck event={ev} />
            </section>
          </>
        )}
      </div>
    </aside>
  );
}

/**
 * The bundle's activity: the same filters as the ledger viewer, charts from imports.stats that
 * follow them, and a virtualized grid of the matching events with the selected one beside it.
 */
export function AuditActivity({ onFinding, showCharts }: { onFinding: ((seq: number) => void) | null; showCharts: boolean }) {
  const filter = useAppStore((s) => s.auditFilter);
  const total = useAppStore((s) => s.auditTotal);
  const facets = useAppStore((s) => s.auditFacets);
  const stats = useAppStore((s) => s.auditStats);
  const statsError = useAppStore((s) => s.auditStatsError);
  const setFilter = useAppStore((s) => s.setAuditFilter);
  const pages = useAppStore((s) => s.auditPages);
  const queryVersion = useAppStore((s) => s.auditQueryVersion);
  const listError = useAppStore((s) => s.auditListError);
  const selectedIndex = useAppStore((s) => s.auditSelectedIndex);
  const detailSeq = useAppStore((s) => s.auditEvent?.seq ?? null);
  const ensureRows = useAppStore((s) => s.ensureAuditRows);
  const select = useAppStore((s) => s.selectAuditRow);
  const openEvent = useAppStore((s) => s.openAuditEvent);
  const closeEvent = useAppStore((s) => s.closeAuditEvent);
  const clearFilters = useCallback(() => setFilter({}), [setFilter]);

  return (
    <div className="audit-activity">
      <EventFilterBar label="Filter the bundle's events" idPrefix="audit" filter={filter} onChange={setFilter} total={total} facets={facets} countTestId="audit-count" />
      {showCharts && (
        <div className="audit-activity__charts">
          {statsError ? <Alert kind="error">{statsError}</Alert> : <AuditCharts stats={stats} filter={filter} onFilter={setFilter} />}
        </div>
      )}
      <div className={detailSeq !== null ? 'ledger__split ledger__split--detail audit-activity__split' : 'ledger__split audit-activity__split'}>
        <EventGrid
          label="Events of this bundle, newest first"
          idPrefix="audit"
          testId="audit-grid"
          total={total}
          pages={pages}
          queryVersion={queryVersion}
          listError={listError}
          selectedIndex={selectedIndex}
          detailSeq={detailSeq}
          ensureRows={ensureRows}
          select={select}
          openDetail={openEvent}
          closeDetail={closeEvent}
          clearFilters={clearFilters}
        />
        <EventPane onFinding={onFinding} />
      </div>
    </div>
  );
}
