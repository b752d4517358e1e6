import { useEffect, useState } from 'react';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { client } from '../api/client.js';
import { formatDateTime } from '../lib/format.js';
import { useCan } from '../lib/use-can.js';
import { Section } from './detail-pane.js';

/** Ledger events as a compact list, newest first as given; failures and denials stand out. */
export function EventList({ events, label, withResource }: { events: readonly LedgerEvent[]; label?: string; withResource?: boolean }) {
  return (
    <ol className="ferpa-timeline" aria-label={label}>
      {events.map((e) => (
        <li key={e.seq} className={e.outcome === 'success' ? undefined : 'ferpa-timeline__bad'}>
          <span className="mono">{withResource ? `${e.action} · ${e.resource_id}` : e.action}</span>
          <span className="muted">
            {e.actor} · {formatDateTime(e.ts)}
            {e.outcome !== 'success' ? ` · ${e.outcome}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The item's own ledger events, for roles that may query the ledger; `version` changing reloads them. */
export function ItemTimeline({ resourceType, resourceId, version, title = 'Timeline' }: { resourceType: string; resourceId: string; version: string; title?: string }) {
  const allowed = useCan('ledger.query');
  const [events, setEvents] = useState<LedgerEvent[] | null>(null);
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
    <Section title={title}>{events === null ? <p className="muted">Loading…</p> : events.length === 0 ? <p className="muted">No events yet.</p> : <EventList events={events} />}</Section>
  );
}
