import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../../shared/contract.js';
import { client } from '../../api/client.js';
import { formatDateTime, plural } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';

type Risk = ResponseOf<'alerts.risk'>;

/** Each user's risk score over the policy's window, highest first; re-read as the ledger grows. */
export function RiskTable({ onPick }: { onPick: (subject: string) => void }) {
  const size = useAppStore((s) => s.head?.size ?? 0);
  const [risk, setRisk] = useState<Risk | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('alerts.risk', {}).then((r) => {
      if (!live) return;
      if (r.ok) setRisk(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [size]);
  if (error) return <p className="muted">{error}</p>;
  if (!risk) return <p className="muted">Loading…</p>;
  if (risk.items.length === 0) return <p className="muted">{`No alerts, denied calls or failed sign-ins in the last ${plural(risk.days, 'day')}.`}</p>;
  const top = risk.items.slice(0, 8);
  return (
    <div className="casework-table" tabIndex={0} role="region" aria-label="Risk scores by user">
      <table className="table table--compact" data-testid="risk-scores">
        <caption className="visually-hidden">{`Risk score per user over the last ${plural(risk.days, 'day')}: weighted alerts, denied calls and failed sign-ins`}</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col" className="num">
              Alerts
            </th>
            <th scope="col" className="num">
              Denied
            </th>
            <th scope="col" className="num">
              Failed sign-ins
            </th>
            <th scope="col">Last alert</th>
          </tr>
        </thead>
        <tbody>
          {top.map((r) => (
            <tr key={r.subject} data-subject={r.subject}>
              <td>
                <button type="button" className="casework-link" onClick={() => onPick(r.subject)} aria-label={`Show the alerts of ${r.subject}`}>
                  {r.subject}
                </button>
              </td>
              <td className="num">
                <strong>{r.score}</strong>
              </td>
              <td className="num">{r.alerts}</td>
              <td className="num">{r.denied}</td>
              <td className="num">{r.failedSignIns}</td>
              <td>{r.lastAlertAt ? formatDateTime(r.lastAlertAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
