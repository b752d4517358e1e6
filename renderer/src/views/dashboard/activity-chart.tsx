import { BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, CHART_VARS, countTooltip, outcomeSeries, tooltipBox, tooltipCursor } from '../../components/chart-style.js';
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

export function ActivityChart({ perDay, days }: { perDay: Day[] | null; days: number }) {
  const c = useCssVars(CHART_VARS);
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
              tick={axisTick(c)}
              tickLine={false}
              axisLine={{ stroke: c['--border'] }}
              interval="preserveStartEnd"
              minTickGap={24}
            />
            <YAxis tick={axisTick(c)} tickLine={false} axisLine={false} tickFormatter={(n: number) => formatCount(n)} width={56} />
            <Tooltip cursor={tooltipCursor(c)} labelFormatter={(d) => formatDay(String(d))} formatter={countTooltip} {...tooltipBox(c)} />
            {outcomeSeries(c)}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
