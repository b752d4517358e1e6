import type { ReactNode } from 'react';

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
