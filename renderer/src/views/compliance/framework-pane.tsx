import { useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { COMPLIANCE_STATUSES, type FrameworkHistoryPoint, type FrameworkSummary } from '../../../../shared/contract/compliance.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { axisTick, CHART_VARS, tooltipBox } from '../../components/chart-style.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { formatCount, formatDate, formatDay } from '../../lib/format.js';
import { useCssVars } from '../../lib/use-css-vars.js';
import { pct, STATUS_LABELS, STATUS_TONES } from './compliance-ui.js';

const LINE_VARS = [...CHART_VARS, '--ok', '--accent'] as const;
const WINDOWS: [number, string][] = [
  [90, '90 days'],
  [365, '1 year'],
];

/** The two numbers over time: compliant and reviewed share of the applicable requirements. */
function HistoryChart({ points, name }: { points: FrameworkHistoryPoint[]; name: string }) {
  const c = useCssVars(LINE_VARS);
  const first = points[0];
  const last = points.at(-1);
  const summary =
    first && last
      ? `${name} from ${formatDate(first.at)} to today: compliant ${pct(first.compliantPct)} → ${pct(last.compliantPct)}, reviewed ${pct(first.reviewedPct)} → ${pct(last.reviewedPct)}.`
      : `${name} has no assessments yet.`;
  const data = points.map((p) => ({ day: p.at.slice(0, 10), compliant: p.compliantPct, reviewed: p.reviewedPct }));
  return (
    <figure className="chart comp-history" aria-label={summary}>
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={c['--chart-grid']} />
            <XAxis dataKey="day" tickFormatter={formatDay} tick={axisTick(c)} tickLine={false} axisLine={{ stroke: c['--border'] }} interval="preserveStartEnd" minTickGap={28} />
            <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={axisTick(c)} tickLine={false} axisLine={false} tickFormatter={(n: number) => `${n}%`} width={40} />
            <Tooltip labelFormatter={(d) => formatDay(String(d))} formatter={(v: unknown, n: unknown) => [v === null ? '—' : `${String(v)}%`, String(n)]} {...tooltipBox(c)} />
            <Legend iconType="plainline" iconSize={14} wrapperStyle={{ fontSize: 12, color: c['--text-muted'] }} />
            <Line type="stepAfter" dataKey="compliant" name="Compliant" stroke={c['--ok']} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line type="stepAfter" dataKey="reviewed" name="Reviewed" stroke={c['--accent']} strokeWidth={2} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}

/**
 * The open framework, when no requirement is: what it is, its two numbers and how they moved (from
 * its ledgered assessments), and its requirements by status — each count filters the list.
 */
export function FrameworkPane({ f, onClose, onStatus }: { f: FrameworkSummary; onClose: () => void; onStatus: (status: string) => void }) {
  const [days, setDays] = useState(365);
  const [history, setHistory] = useState<FrameworkHistoryPoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Reloaded when the numbers change (an assessment was recorded) or the window does.
  const version = `${f.compliantPct}|${f.reviewedPct}|${COMPLIANCE_STATUSES.map((s) => f.counts[s]).join(',')}`;
  useEffect(() => {
    let live = true;
    void client.call('frameworks.history', { id: f.id, days }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setHistory(r.value.points);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [f.id, days, version]);

  return (
    <DetailPane title={f.shortName} badge={f.enabled ? <Badge tone="ok">On</Badge> : <Badge>Off</Badge>} onClose={onClose} testId="framework-detail">
      <p className="detail__lead">{f.name}</p>
      <Section
        title="Compliant and reviewed over time"
        actions={
          <div className="comp-seg" role="group" aria-label="Period">
            {WINDOWS.map(([d, label]) => (
              <button key={d} type="button" className={d === days ? 'comp-seg__btn is-active' : 'comp-seg__btn'} aria-pressed={d === days} onClick={() => setDays(d)}>
                {label}
              </button>
            ))}
          </div>
        }
      >
        <div className="comp-pane__nums">
          <span className="comp-card__num comp-card__num--ok">
            <strong>{pct(f.compliantPct)}</strong> compliant
          </span>
          <span className="comp-card__num comp-card__num--accent">
            <strong>{pct(f.reviewedPct)}</strong> reviewed
          </span>
          <span className="muted">
            of {formatCount(f.applicable)} applicable requirements · {formatCount(f.implemented)} implemented
          </span>
        </div>
        {error ? <Alert kind="error">{error}</Alert> : history ? <HistoryChart points={history} name={f.shortName} /> : <div className="chart chart--loading" aria-busy="true" />}
        <p className="muted comp-pane__note">Replayed from the ledgered assessments: each point counts every requirement as its newest assessment then left it.</p>
      </Section>
      <Section title="Requirements by status">
        <ul className="comp-pane__statuses">
          {COMPLIANCE_STATUSES.map((s) => (
            <li key={s}>
              <button type="button" className="comp-pane__status" onClick={() => onStatus(s)} aria-label={`Show ${STATUS_LABELS[s].toLowerCase()} requirements: ${formatCount(f.counts[s])}`}>
                <Badge tone={STATUS_TONES[s]}>{STATUS_LABELS[s]}</Badge>
                <strong>{formatCount(f.counts[s])}</strong>
              </button>
            </li>
          ))}
        </ul>
        {f.overdue > 0 && (
          <p className="comp-pane__overdue">
            <Badge tone="danger">{formatCount(f.overdue)} overdue</Badge> assessments are past their date.
          </p>
        )}
      </Section>
      <Section title="Framework">
        <Facts
          rows={[
            ['Version', f.version],
            ['Authority', f.authority],
            ['Regions', f.regions.join(', ')],
            ['Sectors', f.sectors.join(', ')],
            ['In force since', formatDay(f.effectiveDate)],
            ['Catalogue reviewed', formatDay(f.reviewDate)],
            ['Source', <span key="u" className="mono comp-pane__url">{f.url}</span>],
          ]}
        />
      </Section>
    </DetailPane>
  );
}
