import type { ReactNode } from 'react';
import { formatDateTime } from '../lib/format.js';

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

const DAY = 86_400_000;

/** Days remaining until `dueAt` as a badge; red once overdue, amber within a week. */
export function DueBadge({ dueAt, done }: { dueAt: string; done?: boolean }) {
  if (done) return <span className="muted">{dueAt.slice(0, 10)}</span>;
  const days = Math.ceil((new Date(dueAt).getTime() - Date.now()) / DAY);
  const overdue = new Date(dueAt).getTime() < Date.now();
  const text = overdue ? (days === 0 ? 'overdue today' : `${-days} d overdue`) : days <= 0 ? 'due today' : `${days} d left`;
  return (
    <Badge tone={overdue ? 'danger' : days <= 7 ? 'warn' : 'neutral'} title={`Due ${formatDateTime(dueAt)}`}>
      {text}
    </Badge>
  );
}
