import { useState } from 'react';
import { PolarAngleAxis, RadialBar, RadialBarChart } from 'recharts';
import type { FrameworkSummary } from '../../../../shared/contract/compliance.js';
import { Badge } from '../../components/badge.js';
import { ActionDialog } from '../../components/dialog.js';
import type { FormProblem } from '../../components/form-errors.js';
import { formatCount, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useCssVars } from '../../lib/use-css-vars.js';
import { useAppStore } from '../../store/index.js';
import { pct } from './compliance-ui.js';

const GAUGE_VARS = ['--ok', '--accent', '--border'] as const;

/** Two rings: compliant outside, reviewed inside, each out of 100. */
function Gauge({ f }: { f: FrameworkSummary }) {
  const c = useCssVars(GAUGE_VARS);
  const data = [
    { name: 'Reviewed', value: f.reviewedPct ?? 0, fill: c['--accent'] },
    { name: 'Compliant', value: f.compliantPct ?? 0, fill: c['--ok'] },
  ];
  return (
    <div className="comp-gauge" aria-hidden="true">
      <RadialBarChart width={44} height={44} innerRadius={10} outerRadius={22} barSize={5} data={data} startAngle={90} endAngle={-270} accessibilityLayer={false}>
        <PolarAngleAxis type="number" domain={[0, 100]} tick={false} />
        <RadialBar dataKey="value" background={{ fill: c['--border'] }} cornerRadius={3} isAnimationActive={false} />
      </RadialBarChart>
    </div>
  );
}

function FrameworkCard({ f, selected, onSelect, onSwitch, canSwitch }: { f: FrameworkSummary; selected: boolean; onSelect: () => void; onSwitch: () => void; canSwitch: boolean }) {
  const summary = `${f.shortName}: ${pct(f.compliantPct)} compliant, ${pct(f.reviewedPct)} reviewed, ${f.counts.non_compliant} non-compliant, ${f.overdue} overdue, ${f.counts.not_assessed} not assessed.`;
  const cls = ['comp-card', f.enabled ? 'comp-card--on' : 'comp-card--off', selected && 'comp-card--selected'].filter(Boolean).join(' ');
  return (
    <li className={cls} data-testid={`framework-${f.id}`}>
      {f.enabled ? (
        <button type="button" className="comp-card__main" aria-pressed={selected} onClick={onSelect} title={`${f.name}, ${f.version}`} aria-label={`${summary} Show only its requirements`}>
          <span className="comp-card__name">{f.shortName}</span>
          <span className="comp-card__body">
            <Gauge f={f} />
            <span className="comp-card__nums">
              <span className="comp-card__num comp-card__num--ok">
                <strong data-testid={`compliant-${f.id}`}>{pct(f.compliantPct)}</strong> compliant
              </span>
              <span className="comp-card__num comp-card__num--accent">
                <strong>{pct(f.reviewedPct)}</strong> reviewed
              </span>
            </span>
          </span>
          <span className="comp-card__counts">
            <span className={f.counts.non_compliant ? 'is-bad' : undefined}>{formatCount(f.counts.non_compliant)} non-compliant</span>
            <span className={f.overdue ? 'is-bad' : undefined}>{formatCount(f.overdue)} overdue</span>
            <span>{formatCount(f.counts.not_assessed)} not assessed</span>
          </span>
        </button>
      ) : (
        <div className="comp-card__main" title={`${f.name}, ${f.version}`}>
          <span className="comp-card__name">{f.shortName}</span>
          <span className="comp-card__version">{f.version}</span>
          <span className="comp-card__authority">{f.authority}</span>
          <span className="comp-card__off">{plural(f.requirements, 'requirement')}</span>
        </div>
      )}
      <div className="comp-card__foot">
        {f.enabled ? <Badge tone="ok">On</Badge> : <Badge>Off</Badge>}
        {canSwitch && (
          <button type="button" className={f.enabled ? 'btn btn--ghost btn--sm' : 'btn btn--sm'} onClick={onSwitch} aria-label={`${f.enabled ? 'Switch off' : 'Switch on'} ${f.shortName}`}>
            {f.enabled ? 'Switch off' : 'Switch on'}
          </button>
        )}
      </div>
    </li>
  );
}

/** The shipped frameworks as cards: on or off, and for those on, their two numbers and what needs attention. */
export function FrameworkCards({ frameworks, selectedId, onSelect }: { frameworks: FrameworkSummary[] | null; selectedId: string; onSelect: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const canSwitch = useCan('frameworks.setEnabled');
  const [switchingOff, setSwitchingOff] = useState<FrameworkSummary | null>(null);

  async function setEnabled(f: FrameworkSummary, enabled: boolean): Promise<FormProblem | string | null> {
    const r = await mutate('frameworks.setEnabled', { id: f.id, enabled });
    if (!r.ok) return r.error;
    notify('success', enabled ? `${f.shortName} is switched on: its ${plural(f.requirements, 'requirement')} are now tracked.` : `${f.shortName} is switched off; its assessments are kept.`);
    if (!enabled && selectedId === f.id) onSelect('');
    return null;
  }

  if (!frameworks) return <div className="comp-cards comp-cards--loading" aria-busy="true" />;
  return (
    <>
      <ul className="comp-cards" aria-label="Frameworks">
        {frameworks.map((f) => (
          <FrameworkCard
            key={f.id}
            f={f}
            selected={selectedId === f.id}
            canSwitch={canSwitch}
            onSelect={() => onSelect(selectedId === f.id ? '' : f.id)}
            onSwitch={() => {
              if (f.enabled) setSwitchingOff(f);
              else void setEnabled(f, true).then((err) => err && notify('error', typeof err === 'string' ? err : err.message));
            }}
          />
        ))}
      </ul>
      <ActionDialog
        open={switchingOff !== null}
        title={`Switch off ${switchingOff?.shortName ?? ''}`}
        submitLabel="Switch off"
        danger
        onClose={() => setSwitchingOff(null)}
        run={() => (switchingOff ? setEnabled(switchingOff, false) : Promise.resolve(null))}
      >
        <p>
          {switchingOff?.name} will no longer be tracked: its requirements leave the list and its numbers leave the cards. Its assessments, owners and dates are kept and come back when you switch it on
          again.
        </p>
      </ActionDialog>
    </>
  );
}
