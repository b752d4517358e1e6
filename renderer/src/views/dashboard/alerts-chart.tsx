import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ALERT_RULE_LABELS, ALERT_RULES, type AlertRule } from '../../../../shared/contract/alerts.js';
import type { ResponseOf } from '../../../../shared/contract.js';
import { client } from '../../api/client.js';
import { CardHeader } from '../../components/card-header.js';
import { axisTick, CHART_VARS, countTooltip, tooltipBox, tooltipCursor } from '../../components/chart-style.js';
import { formatCount, formatDay, plural } from '../../lib/format.js';
import { useCssVars } from '../../lib/use-css-vars.js';
import { useAppStore } from '../../store/index.js';

const EXTRA_VARS = ['--accent', '--warn'] as const;

/** One colour per rule, from the theme. */
function ruleColours(c: Record<(typeof CHART_VARS)[number] | (typeof EXTRA_VARS)[number], string>): Record<AlertRule, string> {
  return {
    failed_sign_ins: c['--chart-denied'],
    denied_calls: c['--chart-failure'],
    export_volume: c['--chart-success'],
    bulk_record_views: c['--warn'],
    outside_working_hours: c['--text-muted'],
  };
}

type PerDay = ResponseOf<'alerts.perDay'>;

/** The Dashboard's card of alerts per day by rule; re-read as the ledger grows. Only for roles that read alerts. */
export function AlertsChartCard({ days }: { days: number }) {
  const size = useAppStore((s) => s.head?.size ?? 0);
  const navigate = useAppStore((s) => s.navigate);
  const c = useCssVars([...CHART_VARS, ...EXTRA_VARS]);
  const [data, setData] = useState<PerDay | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('alerts.perDay', { days }).then((r) => {
      if (!live) return;
      if (r.ok) setData(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [size, days]);
  const colours = ruleColours(c);
  const rows = data?.days.map((d) => ({ day: d.date, ...d.counts })) ?? [];
  const byRule = ALERT_RULES.map((r) => [r, rows.reduce((s, d) => s + ((d as Record<string, number | string>)[r] as number), 0)] as const).filter(([, n]) => n > 0);
  const summary = data
    ? `In the last ${days} days: ${plural(data.total, 'alert')}${byRule.length ? `, ${byRule.map(([r, n]) => `${formatCount(n)} ${ALERT_RULE_LABELS[r].toLowerCase()}`).join(', ')}` : ''}.`
    : 'Loading alerts.';
  return (
    <section className="card dashboard__chart" aria-labelledby="alerts-chart-title">
      <CardHeader id="alerts-chart-title" title="Alerts" subtitle={<>Alerts per day, last {days} days, by rule</>}>
        <button type="button" className="btn btn--ghost btn--sm" onClick={() => navigate('alerts')}>
          Open alerts
        </button>
      </CardHeader>
      <div className="card__body">
        {error ? (
          <p className="muted">{error}</p>
        ) : !data ? (
          <div className="chart chart--loading" aria-busy="true" />
        ) : (
          <figure className="chart" aria-label={summary} data-testid="alerts-chart">
            <div className="chart__canvas" aria-hidden="true">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: -12 }} barCategoryGap="18%" accessibilityLayer={false}>
                  <CartesianGrid vertical={false} stroke={c['--chart-grid']} />
                  <XAxis dataKey="day" tickFormatter={formatDay} tick={axisTick(c)} tickLine={false} axisLine={{ stroke: c['--border'] }} interval="preserveStartEnd" minTickGap={24} />
                  <YAxis tick={axisTick(c)} tickLine={false} axisLine={false} allowDecimals={false} tickFormatter={(n: number) => formatCount(n)} width={56} />
                  <Tooltip cursor={tooltipCursor(c)} labelFormatter={(d) => formatDay(String(d))} formatter={countTooltip} {...tooltipBox(c)} />
                  <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, color: c['--text-muted'] }} />
                  {ALERT_RULES.map((r, i) => (
                    <Bar key={r} dataKey={r} name={ALERT_RULE_LABELS[r]} stackId="a" fill={colours[r]} radius={i === ALERT_RULES.length - 1 ? [2, 2, 0, 0] : undefined} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </div>
            <figcaption className="visually-hidden">{summary}</figcaption>
          </figure>
        )}
      </div>
    </section>
  );
}
