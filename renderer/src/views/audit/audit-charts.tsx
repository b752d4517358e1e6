import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LedgerFilter } from '../../../../shared/contract/core.js';
import { axisTick, CHART_VARS, countTooltip, outcomeSeries, tooltipBox, tooltipCursor, type ChartColors } from '../../components/chart-style.js';
import { formatCount, formatDay, plural } from '../../lib/format.js';
import { useCssVars } from '../../lib/use-css-vars.js';
import type { ImportStats } from '../../store/audit-slice.js';

interface Bucket {
  key: string;
  label: string;
  success: number;
  denied: number;
  failure: number;
}

const DAY = 86_400_000;
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * Per-day counts as even buckets from the first to the last day: days for up to three months,
 * weeks (from Monday) up to two years, months beyond, so the axis stays readable.
 */
export function bucketize(perDay: ImportStats['perDay']): { unit: 'day' | 'week' | 'month'; buckets: Bucket[] } {
  if (perDay.length === 0) return { unit: 'day', buckets: [] };
  const first = Date.parse(`${perDay[0]!.day}T00:00:00Z`);
  const last = Date.parse(`${perDay[perDay.length - 1]!.day}T00:00:00Z`);
  const span = Math.round((last - first) / DAY) + 1;
  const unit = span <= 92 ? 'day' : span <= 730 ? 'week' : 'month';
  const keyOf = (t: number): string => {
    const d = new Date(t);
    if (unit === 'day') return d.toISOString().slice(0, 10);
    if (unit === 'month') return d.toISOString().slice(0, 7);
    const monday = t - ((d.getUTCDay() + 6) % 7) * DAY;
    return new Date(monday).toISOString().slice(0, 10);
  };
  const labelOf = (key: string): string => (unit === 'month' ? monthFormat.format(new Date(`${key}-01T00:00:00Z`)) : formatDay(key));
  const buckets = new Map<string, Bucket>();
  for (let t = first; t <= last; t += DAY) {
    const key = keyOf(t);
    if (!buckets.has(key)) buckets.set(key, { key, label: labelOf(key), success: 0, denied: 0, failure: 0 });
  }
  for (const d of perDay) {
    const b = buckets.get(keyOf(Date.parse(`${d.day}T00:00:00Z`)));
    if (!b) continue;
    b.success += d.success;
    b.denied += d.denied;
    b.failure += d.failure;
  }
  return { unit, buckets: [...buckets.values()] };
}

/** The tooltip box, with its items in the text colour too. */
function tooltipStyle(c: ChartColors) {
  return { ...tooltipBox(c), itemStyle: { color: c['--text'] } };
}

function ChartCard({ id, title, subtitle, summary, children, wide }: { id: string; title: string; subtitle: string; summary: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'card audit-chart audit-chart--wide' : 'card audit-chart'} aria-labelledby={id} data-testid={`chart-${id}`}>
      <div className="audit-chart__head">
        <h3 className="card__title" id={id}>
          {title}
        </h3>
        <p className="card__subtitle">{subtitle}</p>
      </div>
      <figure className="chart" aria-label={summary}>
        <div className="audit-chart__canvas" aria-hidden="true">
          {children}
        </div>
        <figcaption className="visually-hidden">{summary}</figcaption>
      </figure>
    </section>
  );
}

function OverTime({ stats, c }: { stats: ImportStats; c: ChartColors }) {
  const { unit, buckets } = bucketize(stats.perDay);
  const peak = buckets.reduce((m, b) => (b.success + b.denied + b.failure > m.n ? { n: b.success + b.denied + b.failure, label: b.label } : m), { n: 0, label: '' });
  const summary =
    buckets.length === 0
      ? 'No activity matches the filters.'
      : `Events per ${unit} from ${buckets[0]!.label} to ${buckets[buckets.length - 1]!.label}, stacked by outcome; the busiest ${unit} (${peak.label}) had ${plural(peak.n, 'event')}.`;
  return (
    <ChartCard id="audit-chart-time" title="Activity over time" subtitle={`Events per ${unit}, by outcome`} summary={summary} wide>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={buckets} margin={{ top: 4, right: 8, bottom: 0, left: -12 }} barCategoryGap="15%" maxBarSize={36} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={c['--chart-grid']} />
          <XAxis dataKey="label" tick={axisTick(c)} tickLine={false} axisLine={{ stroke: c['--border'] }} interval="preserveStartEnd" minTickGap={28} />
          <YAxis tick={axisTick(c)} tickLine={false} axisLine={false} tickFormatter={(n: number) => formatCount(n)} width={52} allowDecimals={false} />
          <Tooltip cursor={tooltipCursor(c)} formatter={countTooltip} {...tooltipStyle(c)} />
          {outcomeSeries(c)}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

interface Ranked {
  name: string;
  count: number;
  color?: string;
}

/** A ranked horizontal bar chart; clicking a bar narrows the filters to it. */
function Ranking({ id, title, subtitle, rows, c, noun, onPick }: { id: string; title: string; subtitle: string; rows: Ranked[]; c: ChartColors; noun: string; onPick: (name: string) => void }) {
  // Room for the longest name (cut at 20 characters), so short names leave the bars their space.
  const labelWidth = Math.min(128, Math.max(44, Math.max(0, ...rows.map((r) => Math.min(r.name.length, 20))) * 6.2 + 10));
  const summary =
    rows.length === 0 ? `No ${noun}s match the filters.` : `${title}: ${rows.slice(0, 5).map((r) => `${r.name} ${formatCount(r.count)}`).join(', ')}${rows.length > 5 ? `, and ${rows.length - 5} more` : ''}.`;
  return (
    <ChartCard id={id} title={title} subtitle={subtitle} summary={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 12, bottom: 0, left: 4 }} barCategoryGap="22%" maxBarSize={16} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke={c['--chart-grid']} />
          <XAxis type="number" tick={axisTick(c)} tickLine={false} axisLine={false} tickFormatter={(n: number) => formatCount(n)} allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="name"
            tick={{ fill: c['--text'], fontSize: 11 }}
            tickLine={false}
            axisLine={{ stroke: c['--border'] }}
            width={labelWidth}
            interval={0}
            tickFormatter={(v: string) => (v.length > 20 ? `${v.slice(0, 19)}…` : v)}
          />
          <Tooltip cursor={tooltipCursor(c)} formatter={(value) => [formatCount(Number(value)), 'Events']} {...tooltipStyle(c)} />
          <Bar
            dataKey="count"
            name="Events"
            fill={c['--chart-success']}
            radius={[0, 2, 2, 0]}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(entry: unknown) => {
              const name = (entry as { payload?: Ranked } | undefined)?.payload?.name;
              if (name) onPick(name);
            }}
          >
            {rows.map((r) => (
              <Cell key={r.name} fill={r.color ?? c['--chart-success']} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** The review charts, from imports.stats under the current filters: over time (stacked by outcome), by outcome, actor and action. */
export function AuditCharts({ stats, filter, onFilter }: { stats: ImportStats | null; filter: LedgerFilter; onFilter: (f: LedgerFilter) => void }) {
  const c = useCssVars(CHART_VARS);
  if (!stats) return <div className="audit-charts audit-charts--loading" aria-busy="true" data-testid="audit-charts" />;
  const outcomeColor = { success: c['--chart-success'], denied: c['--chart-denied'], failure: c['--chart-failure'] };
  const outcomes: Ranked[] = (['success', 'denied', 'failure'] as const).map((o) => ({
    name: o,
    count: stats.byOutcome.find((x) => x.outcome === o)?.count ?? 0,
    color: outcomeColor[o],
  }));
  const actors: Ranked[] = stats.byActor.slice(0, 8).map((r) => ({ name: r.actor, count: r.count }));
  const actions: Ranked[] = stats.byAction.slice(0, 8).map((r) => ({ name: r.action, count: r.count }));
  return (
    <div className="audit-charts" data-testid="audit-charts">
      <OverTime stats={stats} c={c} />
      <Ranking
        id="audit-chart-outcome"
        title="By outcome"
        subtitle="Click a bar to filter"
        rows={outcomes}
        c={c}
        noun="outcome"
        onPick={(o) => onFilter({ ...filter, outcome: o as LedgerFilter['outcome'] })}
      />
      <Ranking
        id="audit-chart-actor"
        title="By actor"
        subtitle="Click a bar to filter"
        rows={actors}
        c={c}
        noun="actor"
        onPick={(a) => onFilter({ ...filter, actor: a })}
      />
      <Ranking
        id="audit-chart-action"
        title="By action"
        subtitle="Click a bar to filter"
        rows={actions}
        c={c}
        noun="action"
        onPick={(a) => onFilter({ ...filter, action: a })}
      />
    </div>
  );
}
