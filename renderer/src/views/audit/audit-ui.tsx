import type { ReactNode } from 'react';
import type { FindingSeverity, ImportSummary } from '../../../../shared/contract/bundles.js';
import { Badge, type Tone } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { formatDateTime } from '../../lib/format.js';
import './audit.css';

/** Shared pieces of the Audit review screens. */

export const STATUS_TONES: Record<ImportSummary['status'], Tone> = { verifying: 'warn', verified: 'accent', reviewed: 'ok' };
export const STATUS_LABELS: Record<ImportSummary['status'], string> = { verifying: 'Verifying', verified: 'Verified', reviewed: 'Reviewed' };
export const SEVERITY_TONES: Record<FindingSeverity, Tone> = { high: 'danger', medium: 'warn', low: 'accent', info: 'neutral' };
export const SEVERITY_LABELS: Record<FindingSeverity, string> = { high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/** A labelled fact in a <dl className="kv">, kept together as one pair. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv__pair">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function StatusBadge({ status }: { status: ImportSummary['status'] }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

export function SeverityBadge({ severity }: { severity: FindingSeverity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{SEVERITY_LABELS[severity]}</Badge>;
}

/** VALID / INVALID, as an auditor's tool says it. */
export function VerdictBadge({ valid, label }: { valid: boolean; label?: string }) {
  return (
    <Badge tone={valid ? 'ok' : 'danger'} size="lg">
      <Icon name={valid ? 'shieldCheck' : 'shieldAlert'} size={14} />
      {label ?? (valid ? 'VALID' : 'INVALID')}
    </Badge>
  );
}

/** A verification summary without its leading VALID/INVALID, which the badge beside it already says. */
export function summaryText(summary: string): string {
  const rest = summary.replace(/^(VALID|INVALID):\s*/, '');
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** A key fingerprint in groups of four (read aloud to compare), with a copy button. */
export function Fingerprint({ value, compact }: { value: string; compact?: boolean }) {
  if (compact) {
    const groups = value.split(' ');
    return (
      <span className="fingerprint fingerprint--compact mono" title={value}>
        {groups.slice(0, 4).join(' ')} …
      </span>
    );
  }
  return (
    <span className="fingerprint">
      <span className="fingerprint__value mono" data-testid="fingerprint">
        {value}
      </span>
      <CopyButton text={value} label="Copy the key fingerprint" compact />
    </span>
  );
}

/** A full hash, wrapped, with a copy button. */
export function HashValue({ value, label }: { value: string; label: string }) {
  return (
    <span className="kv__hash">
      <span className="hash">{value}</span>
      <CopyButton text={value} label={`Copy the ${label}`} compact />
    </span>
  );
}

export type PinState = 'new-source' | 'matches' | 'differs' | 'own' | null;

/** How a bundle's signing key stands against the key pinned for its source workspace. */
export function PinStatus({ pin, pinnedAt, pinnedBy, pinnedFingerprint, accepted = true }: { pin: PinState; pinnedAt?: string; pinnedBy?: string; pinnedFingerprint?: string; accepted?: boolean }) {
  const when = pinnedAt ? ` on ${formatDateTime(pinnedAt)}${pinnedBy ? ` by ${pinnedBy}` : ''}` : '';
  let tone: Tone = 'neutral';
  let title: string;
  let body: ReactNode;
  if (pin === 'differs') {
    tone = 'danger';
    title = 'Differs from the pinned key';
    body = (
      <>
        This source workspace was pinned to another key{when}. A bundle signed by a different key is refused.
        {pinnedFingerprint && (
          <span className="pin__pinned">
            Pinned key: <span className="mono">{pinnedFingerprint}</span>
          </span>
        )}
      </>
    );
  } else if (pin === 'matches') {
    tone = 'ok';
    title = 'Matches the pinned key';
    body = <>The same key signed the bundles imported before from this workspace (pinned{when}).</>;
  } else if (pin === 'own') {
    tone = 'neutral';
    title = 'This workspace';
    body = <>Signed with this workspace&rsquo;s own key: it made this bundle.</>;
  } else if (pin === 'new-source') {
    tone = 'accent';
    title = accepted ? 'New source: key pinned' : 'New source';
    body = accepted ? (
      <>First bundle from this workspace: its key is now pinned{when}. Compare the fingerprint with the one the source gave you by another channel (phone, letter).</>
    ) : (
      <>No bundle from this workspace was imported before, so no key was pinned.</>
    );
  } else {
    title = 'Unknown';
    body = <>The bundle could not be read far enough to name its key.</>;
  }
  return (
    <div className={`pin pin--${tone}`} data-testid="pin-status">
      <Badge tone={tone}>{title}</Badge>
      <span className="pin__text">{body}</span>
    </div>
  );
}

const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "12 Mar 2026" in local time. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/** "12 Mar 2026 – 30 Nov 2026" for an import's events. */
export function periodText(first: string | null, last: string | null): string {
  if (!first || !last) return 'No events';
  const f = formatDate(first);
  const l = formatDate(last);
  return f === l ? f : `${f} – ${l}`;
}
