import { useEffect } from 'react';
import type { FrameworkSummary } from '../../../../shared/contract/compliance.js';
import { formatCount } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { pct } from '../compliance/compliance-ui.js';
import { CardHeader } from '../../components/card-header.js';

/** A share out of 100 as a thin bar; the number beside it is what is read (the bar is decoration). */
function Meter({ value, tone }: { value: number | null; tone: 'ok' | 'accent' }) {
  return (
    <span className="posture__meter">
      <span className={`posture__bar posture__bar--${tone}`} aria-hidden="true">
        <span style={{ width: `${value ?? 0}%` }} />
      </span>
      <span className="num">{pct(value)}</span>
    </span>
  );
}

/** Compliance posture: each switched-on framework's two numbers and what needs attention; a row opens its requirements. */
export function ComplianceCard() {
  const frameworks = useAppStore((s) => s.frameworkList.items);
  const error = useAppStore((s) => s.frameworkList.error);
  const navigate = useAppStore((s) => s.navigate);
  const { load } = useListActions('frameworkList');
  const { load: loadRequirements } = useListActions('requirementList');
  useEffect(() => {
    void load({});
  }, [load]);
  const on = frameworks?.filter((f) => f.enabled) ?? null;

  function openFramework(f: FrameworkSummary) {
    void loadRequirements({ frameworkId: f.id, status: '', priority: '', overdue: '', search: '' });
    navigate('compliance');
  }

  return (
    <section className="card" aria-labelledby="posture-title">
      <CardHeader id="posture-title" title="Compliance posture" subtitle="Each framework switched on: the share of requirements compliant and reviewed on time, and what needs attention" />
      {error ? (
        <div className="card__body muted">{error}</div>
      ) : on === null ? (
        <div className="card__body muted">Loading…</div>
      ) : on.length === 0 ? (
        <div className="card__body card__body--empty">
          <p className="muted">No framework is switched on. Switch one on in Compliance to track its requirements here.</p>
        </div>
      ) : (
        <table className="table table--compact posture">
          <thead>
            <tr>
              <th scope="col">Framework</th>
              <th scope="col">Compliant</th>
              <th scope="col">Reviewed</th>
              <th scope="col" className="num">
                Non-compliant
              </th>
              <th scope="col" className="num">
                Overdue
              </th>
            </tr>
          </thead>
          <tbody>
            {on.map((f) => (
              <tr key={f.id} data-testid={`posture-${f.id}`}>
                <td>
                  <a
                    href="#/compliance"
                    className="link-quiet posture__name"
                    onClick={(e) => {
                      e.preventDefault();
                      openFramework(f);
                    }}
                    aria-label={`${f.shortName}: open its requirements in Compliance`}
                  >
                    {f.shortName}
                  </a>
                </td>
                <td>
                  <Meter value={f.compliantPct} tone="ok" />
                </td>
                <td>
                  <Meter value={f.reviewedPct} tone="accent" />
                </td>
                <td className={f.counts.non_compliant > 0 ? 'num is-bad' : 'num'}>{formatCount(f.counts.non_compliant)}</td>
                <td className={f.overdue > 0 ? 'num is-bad' : 'num'}>{formatCount(f.overdue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
