import { Bar, Legend } from 'recharts';
import { formatCount } from '../lib/format.js';

/** The theme's colours the charts draw with (read through useCssVars, so they follow light and dark). */
export const CHART_VARS = ['--chart-success', '--chart-denied', '--chart-failure', '--chart-grid', '--text-muted', '--bg', '--border', '--text'] as const;
export type ChartColors = Record<(typeof CHART_VARS)[number], string>;

/** Axis ticks in small muted text. */
export function axisTick(c: ChartColors) {
  return { fill: c['--text-muted'], fontSize: 11 };
}

/** The hover band behind the bars under the pointer. */
export function tooltipCursor(c: ChartColors) {
  return { fill: c['--chart-grid'], opacity: 0.5 };
}

/** A tooltip box in the page's colours. */
export function tooltipBox(c: ChartColors) {
  return {
    contentStyle: { background: c['--bg'], border: `1px solid ${c['--border']}`, borderRadius: 6, fontSize: 12, color: c['--text'] },
    labelStyle: { color: c['--text'], fontWeight: 600 },
  };
}

/** A tooltip's value: the count for people, under the series' name. */
export function countTooltip(value: unknown, name: unknown): [string, string] {
  return [formatCount(Number(value)), String(name)];
}

/**
 * The legend and the three outcome series of a BarChart, stacked: success, failure, then denied on
 * top with rounded corners. Called as a function, not a component, so the chart sees the series
 * as its own children.
 */
export function outcomeSeries(c: ChartColors) {
  return (
    <>
      <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, color: c['--text-muted'] }} />
      <Bar dataKey="success" name="Success" stackId="o" fill={c['--chart-success']} isAnimationActive={false} />
      <Bar dataKey="failure" name="Failure" stackId="o" fill={c['--chart-failure']} isAnimationActive={false} />
      <Bar dataKey="denied" name="Denied" stackId="o" fill={c['--chart-denied']} radius={[2, 2, 0, 0]} isAnimationActive={false} />
    </>
  );
}
