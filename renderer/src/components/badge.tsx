import type { ReactNode } from 'react';
import { formatDateTime } from '../lib/format.js';
import { calendarDate, dayCountLabel, daysUntil, machineTimeZone } from '../../../shared/day-count.js';
import { useAppStore } from '../store/index.js';

export type Tone = 'neutral' | 'ok' | 'danger' | 'warn' | 'accent';

export function Badge({ tone = 'neutral', size, children, title }: { tone?: Tone; size?: 'lg'; children: ReactNode; title?: string }) {
  const cls = ['badge', tone !== 'neutral' && `badge--${tone}`, size && `badge--${size}`].filter(Boolean).join(' ');
  return (
    <span className={cls} title={title}>
      {children}
    </span>
  );
}

/**
 * The badge of a ledger outcome, worded for people. In dense lists (`quiet`) success is a dot
 * and a word, so the rare denials and failures are what catches the eye.
 */
export function OutcomeBadge({ outcome, quiet }: { outcome: 'success' | 'denied' | 'failure'; quiet?: boolean }) {
  const tone: Tone = outcome === 'success' ? 'ok' : outcome === 'denied' ? 'danger' : 'warn';
  const label = outcome === 'success' ? 'Success' : outcome === 'denied' ? 'Denied' : 'Failure';
  if (quiet && outcome === 'success') {
    return (
      <span className="outcome-quiet">
        <span className="outcome-quiet__dot" aria-hidden="true" />
        {label}
      </span>
    );
  }
  return <Badge tone={tone}>{label}</Badge>;
}

/** A state as a badge: words for people, a tone for the eye. */
export function StateBadge({ state, tones }: { state: string; tones: Record<string, Tone> }) {
  return <Badge tone={tones[state] ?? 'neutral'}>{state.replace(/_/g, ' ')}</Badge>;
}

/** The zone deadlines are counted in: the workspace's (from the core), else this machine's. */
export function useTimeZone(): string {
  return useAppStore((s) => s.timeZone) ?? machineTimeZone();
}

/**
 * Days remaining until `dueAt` as a badge, in calendar days of the workspace's time zone
 * (shared/day-count.ts, as the core's due list counts them); red once overdue, amber within a week.
 */
export function DueBadge({ dueAt, done }: { dueAt: string; done?: boolean }) {
  const zone = useTimeZone();
  if (done) return <span className="muted">{calendarDate(dueAt, zone)}</span>;
  const days = daysUntil(dueAt, new Date(), zone);
  return (
    <Badge tone={days < 0 ? 'danger' : days <= 7 ? 'warn' : 'neutral'} title={`Due ${calendarDate(dueAt, zone)} (${formatDateTime(dueAt)})`}>
      {dayCountLabel(days)}
    </Badge>
  );
}
