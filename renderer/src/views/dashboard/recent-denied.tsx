import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { CardHeader } from '../../components/card-header.js';
import { formatDateTime, formatShort } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { ledgerRoute } from '../ledger/ledger-route.js';

/** The event in the Ledger, among the refusals of the same action (the filter a reviewer would set next). */
function deniedRoute(e: LedgerEvent): string {
  return ledgerRoute({ outcome: 'denied', action: e.action }, e.seq);
}

function reason(e: LedgerEvent): string {
  const d = e.details as { reason?: unknown; code?: unknown; message?: unknown };
  if (typeof d.message === 'string') return d.message;
  if (typeof d.reason === 'string') return d.reason;
  if (typeof d.code === 'string') return d.code;
  return '—';
}

/** The latest refused actions: who tried what, and why it was refused. */
export function RecentDenied({ events, canOpen }: { events: LedgerEvent[] | null; canOpen: boolean }) {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <section className="card" aria-labelledby="denied-title">
      <CardHeader id="denied-title" title="Recent denied actions" subtitle="Requests the workspace refused, newest first" />
      {events === null ? (
        <div className="card__body muted">Loading…</div>
      ) : events.length === 0 ? (
        <div className="card__body card__body--empty">
          <p className="muted">No action has been denied. Refused requests — a role without the right, an item under hold — appear here.</p>
        </div>
      ) : (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {events.slice(0, 8).map((e) => (
              <tr key={e.seq}>
                <td className="nowrap muted num" title={formatDateTime(e.ts)}>
                  {formatShort(e.ts)}
                </td>
                <td className="nowrap">{e.actor}</td>
                <td>
                  {canOpen ? (
                    <a
                      href={`#/${deniedRoute(e)}`}
                      className="mono link-quiet"
                      onClick={(ev) => {
                        ev.preventDefault();
                        navigate(deniedRoute(e));
                      }}
                      aria-label={`${e.action} on ${e.resource_type} ${e.resource_id}, event ${e.seq}: open in the ledger`}
                    >
                      {e.action}
                    </a>
                  ) : (
                    <span className="mono">{e.action}</span>
                  )}
                </td>
                <td className="cell-clip muted" title={reason(e)}>
                  {reason(e)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
