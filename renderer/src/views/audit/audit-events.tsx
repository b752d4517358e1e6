import { useCallback, useEffect, useState } from 'react';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { Alert } from '../../components/alert.js';
import { Icon } from '../../components/icons.js';
import { Spinner } from '../../components/spinner.js';
import { checkEventIndependently } from '../../lib/independent-check.js';
import { useAppStore } from '../../store/index.js';
import { EventFilterBar } from '../ledger/event-filter-bar.js';
import { EventGrid } from '../ledger/event-grid.js';
import { Check, EventDetails, EventFields, EventHashes, EventPane } from '../ledger/event-pane.js';
import { AuditCharts } from './audit-charts.js';

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
      <Check ok={ok} label="Event hash recomputed in this window" />
    </ul>
  );
}

/** One imported event: its fields, details and hashes, with shortcuts to filter by it or record a finding about it. */
function AuditEventPane({ onFinding }: { onFinding: ((seq: number) => void) | null }) {
  const current = useAppStore((s) => s.auditEvent);
  const close = useAppStore((s) => s.closeAuditEvent);
  const filter = useAppStore((s) => s.auditFilter);
  const setFilter = useAppStore((s) => s.setAuditFilter);
  if (!current) return null;
  const ev = current.event;
  return (
    <EventPane className="detail audit-event" titleId="audit-event-title" testId="audit-event-detail" seq={current.seq} event={ev} loading={!ev} error={current.error} onClose={close}>
      {ev && (
        <>
          <EventFields
            event={ev}
            headingId="audit-event-fields"
            filter={filter}
            onFilter={setFilter}
            resourceLabel="This resource"
            actorLabel={`By ${ev.actor}`}
            actions={
              onFinding && (
                <button type="button" className="btn btn--sm btn--primary" onClick={() => onFinding(ev.seq)}>
                  <Icon name="bookmark" size={13} />
                  Record a finding…
                </button>
              )
            }
          />
          <EventDetails event={ev} headingId="audit-event-details" />
          <EventHashes event={ev} headingId="audit-event-hashes">
            <HashCheck event={ev} />
          </EventHashes>
        </>
      )}
    </EventPane>
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
        <AuditEventPane onFinding={onFinding} />
      </div>
    </div>
  );
}
