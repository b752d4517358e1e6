import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatDay } from '../../lib/format.js';
import { useCssVars } from '../../lib/use-css-vars.js';

interface Day {
  day: string;
  success: number;
  denied: number;
  failure: number;
}

/** Every day of the window, including quiet ones, so the axis is even. */
function fillDays(perDay: Day[], days: number): Day[] {
  const byDay = new Map(perDay.map((d) => [d.day, d]));
  const out: Day[] = [];
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, success: 0, denied: 0, failure: 0 });
  }
  return out;
}

const VARS = ['--chart-success', '--chart-denied', '--chart-failure', '--chart-grid', '--text-muted', '--bg', '--border', '--text'] as const;

export function ActivityChart({ perDay, days }: { perDay: Day[] | null; days: number }) {
  const c = useCssVars(VARS);
  if (!perDay) return <div className="chart chart--loading" aria-busy="true" />;
  const data = fillDays(perDay, days);
  const sum = data.reduce((t, d) => ({ s: t.s + d.success, d: t.d + d.denied, f: t.f + d.failure }), { s: 0, d: 0, f: 0 });
  const summary = `In the last ${days} days: ${formatCount(sum.s)} successful, ${formatCount(sum.d)} denied and ${formatCount(sum.f)} failed actions.`;
  return (
    <figure className="chart" aria-label={summary}>
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -12 }} barCategoryGap="18%" accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={c['--chart-grid']} />
            <XAxis
              dataKey="day"
              tickFormatter={formatDay}
              tick={{ fill: c['--text-muted'], fontSize: 11 }}
              tickLine={false}
              axisLine={{ stroke: c['--border'] }}
              interval="preserveStartEnd"
              minTickGap={24}
            />
            <YAxis tick={{ fill: c['--text-muted'], fontSize: 11 }} tickLine={false} axisLine={false} tickFormatter={(n: number) => formatCount(n)} width={56} />
            <Tooltip
              cursor={{ fill: c['--chart-grid'], opacity: 0.5 }}
              labelFormatter={(d) => formatDay(String(d))}
              formatter={(value, name) => [formatCount(Number(value)), String(name)]}
              contentStyle={{ background: c['--bg'], border: `1px solid ${c['--border']}`, borderRadius: 6, fontSize: 12, color: c['--text'] }}
              labelStyle={{ color: c['--text'], fontWeight: 600 }}
            />
            <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, color: c['--text-muted'] }} />
            <Bar dataKey="success" name="Success" stackId="o" fill={c['--chart-success']} isAnimationActive={false} />
            <Bar dataKey="failure" name="Failure" stackId="o" fill={c['--chart-failure']} isAnimationActive={false} />
            <Bar dataKey="denied" name="Denied" stackId="o" fill={c['--chart-denied']} radius={[2, 2, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
