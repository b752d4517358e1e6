import type { ReactNode } from 'react';
import type { LedgerFilter } from '../../../../shared/contract/core.js';
import { EXPORT_FORMAT_NAMES, EXPORT_TYPES, type ExportFormatName, type ExportRequest } from '../../../../shared/contract/exports.js';
import type { Tone } from '../../components/badge.js';
import { Alert } from '../../components/alert.js';
import { Icon } from '../../components/icons.js';
import { formatCount } from '../../lib/format.js';
import type { ExportsJob, MaskingProfileInfo } from '../../store/exports-slice.js';
import { jobPercent } from '../../store/job.js';
import { FILTER_LABELS } from '../ledger/event-filter-bar.js';
import './exports.css';

/** Shared words and pieces of the Exports screen. */

export const EXPORT_TONES: Record<ExportRequest['status'], Tone> = {
  pending: 'warn',
  approved: 'accent',
  rejected: 'neutral',
  executed: 'ok',
  failed: 'danger',
};

export const STATUS_LABELS: Record<ExportRequest['status'], string> = {
  pending: 'Awaiting approval',
  approved: 'Approved',
  rejected: 'Rejected',
  executed: 'Executed',
  failed: 'Failed',
};

export const TYPE_LABELS: Record<ExportRequest['type'], { label: string; hint: string }> = {
  REGULATORY: { label: 'Regulatory', hint: 'For a regulator or supervisory authority.' },
  AUDIT: { label: 'Audit', hint: 'For internal or external auditors.' },
  LEGAL: { label: 'Legal', hint: 'For counsel, a court or opposing parties.' },
  INTERNAL: { label: 'Internal', hint: 'For a review inside the organisation.' },
};

export const FORMAT_LABELS: Record<ExportRequest['format'], { label: string; hint: string }> = {
  csv: { label: 'CSV', hint: 'Spreadsheets; one event per row.' },
  json: { label: 'JSON', hint: 'One document with the checkpoint and filters.' },
  ndjson: { label: 'NDJSON', hint: 'One canonical event per line.' },
  xml: { label: 'XML', hint: 'For tools that expect XML.' },
  pdf: { label: 'PDF', hint: 'A readable report, up to 10,000 events.' },
  bundle: { label: 'Bundle', hint: 'A signed, self-verifying ZIP of the events (and, for a case or the whole ledger, its evidence files and disclosures).' },
};

/** The filters that are set, in a fixed order, as text to show. */
export function activeFilters(f: LedgerFilter): [keyof LedgerFilter, string][] {
  return (Object.keys(FILTER_LABELS) as (keyof LedgerFilter)[]).flatMap((k) => {
    const v = f[k];
    if (typeof v === 'number') return [[k, formatCount(v)] as [keyof LedgerFilter, string]];
    return typeof v === 'string' && v.trim() ? [[k, v.trim()] as [keyof LedgerFilter, string]] : [];
  });
}

/** Only the filled-in fields, trimmed; what the core should receive (a seq stays a number). */
export function cleanScope(f: LedgerFilter): LedgerFilter {
  const texts = Object.fromEntries(activeFilters(f).filter(([k]) => k !== 'throughSeq')) as LedgerFilter;
  return f.throughSeq === undefined ? texts : { ...texts, throughSeq: f.throughSeq };
}

/**
 * The scope as read-only chips; "Whole ledger" only when neither filters nor a case narrow it.
 * `filtersOnly`: the case is shown beside it, so only the filters are chips.
 */
export function ScopeChips({ filters, caseId, label, filtersOnly }: { filters: LedgerFilter; caseId?: string | null; label: string; filtersOnly?: boolean }) {
  const active = activeFilters(filters);
  if (active.length === 0 && !caseId) return <span className="muted">Whole ledger (no filters)</span>;
  if (active.length === 0 && filtersOnly) return <span className="muted">None: every event of the case</span>;
  return (
    <ul className="chips" aria-label={label}>
      {caseId && !filtersOnly && (
        <li className="chip exp-chip">
          <span className="chip__key">Case</span>
          <span className="chip__value">{caseId}</span>
        </li>
      )}
      {active.map(([k, v]) => (
        <li key={k} className="chip exp-chip">
          <span className="chip__key">{FILTER_LABELS[k]}</span>
          <span className="chip__value" title={v}>
            {v}
          </span>
        </li>
      ))}
    </ul>
  );
}

const PHASES: Record<string, string> = {
  export: 'Writing events',
  prepare: 'Preparing',
  events: 'Writing events and proofs',
  proofs: 'Writing proofs',
  zip: 'Packing the bundle',
};

/** Progress of a long job with its Cancel button; the words carry the state, the bar supports it. */
export function JobProgress({ job, what, onCancel, testId }: { job: ExportsJob; what: string; onCancel: () => void; testId: string }) {
  const unit = job.phase === 'zip' ? 'bytes' : 'events';
  const pct = unit === 'events' ? jobPercent(job) : null;
  const phase = PHASES[job.phase] ?? job.phase;
  return (
    <div className="exp-job" data-testid={testId}>
      <div className="exp-job__line">
        <div className="exp-job__status" role="status">
          <strong>{job.status === 'cancelling' ? 'Cancelling…' : `${what}…`}</strong>{' '}
          <span className="muted num">
            {phase} · {formatCount(job.done)}
            {job.total && unit === 'events' ? ` of ${formatCount(job.total)}` : ''} {unit}
            {pct !== null ? ` (${pct}%)` : ''}
          </span>
        </div>
        <button type="button" className="btn btn--sm" onClick={onCancel} disabled={job.status === 'cancelling'}>
          <Icon name="stop" size={12} />
          Cancel
        </button>
      </div>
      <div
        className={pct === null ? 'progress exp-job__bar--indeterminate' : 'progress'}
        role="progressbar"
        aria-label={`${what} progress`}
        aria-valuemin={0}
        aria-valuemax={pct === null ? undefined : 100}
        aria-valuenow={pct ?? undefined}
      >
        <div className="progress__bar" style={pct === null ? undefined : { width: `${Math.max(2, pct)}%` }} />
      </div>
    </div>
  );
}

/** A labelled fact in a row of facts (the receipt of an export or bundle). */
export function Fact({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'exp-fact exp-fact--wide' : 'exp-fact'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The masking profiles as radio choices, one per profile with its description (export requests and schedules). */
export function MaskingChoices({ name, profiles, value, onChange }: { name: string; profiles: MaskingProfileInfo[] | null; value: string; onChange: (profile: string) => void }) {
  if (profiles === null) return <p className="muted">Loading masking profiles…</p>;
  return (
    <div className="exp-choices__grid exp-choices__grid--2">
      {profiles.map((p) => (
        <label key={p.name} className={value === p.name ? 'exp-choice is-checked' : 'exp-choice'}>
          <input type="radio" name={name} value={p.name} checked={value === p.name} onChange={() => onChange(p.name)} />
          <span className="exp-choice__label mono">{p.name}</span>
          <span className="exp-choice__hint">{p.description || 'No description.'}</span>
        </label>
      ))}
    </div>
  );
}

/** A list that could not be loaded: what went wrong, and a way to try again. */
export function LoadError({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <div className="exp-error">
      <Alert kind="error">
        {error}{' '}
        <button type="button" className="btn btn--sm" onClick={onRetry}>
          Try again
        </button>
      </Alert>
    </div>
  );
}

/** "Check the N fields marked below", or the core's own sentence when the whole form was refused. */
export function FormProblems({ formError, errors }: { formError: string | null; errors: Record<string, string | undefined> }) {
  if (formError) return <Alert kind="error">{formError}</Alert>;
  const marked = Object.values(errors).filter(Boolean).length;
  return marked > 0 ? <Alert kind="error">Check the {marked === 1 ? 'field' : `${marked} fields`} marked below.</Alert> : null;
}

/** The export type as four described choices. */
export function TypeChoices({ name, value, onChange }: { name: string; value: ExportRequest['type']; onChange: (t: ExportRequest['type']) => void }) {
  return (
    <fieldset className="exp-choices">
      <legend className="field__label">Type</legend>
      <div className="exp-choices__grid exp-choices__grid--4">
        {EXPORT_TYPES.map((t) => (
          <label key={t} className={value === t ? 'exp-choice is-checked' : 'exp-choice'}>
            <input type="radio" name={name} value={t} checked={value === t} onChange={() => onChange(t)} />
            <span className="exp-choice__label">{TYPE_LABELS[t].label}</span>
            <span className="exp-choice__hint">{TYPE_LABELS[t].hint}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The file format as a segmented choice (bundles are made on their own dialog), with what it suits. */
export function FormatChoices({ name, value, onChange }: { name: string; value: ExportFormatName; onChange: (f: ExportFormatName) => void }) {
  return (
    <fieldset className="exp-choices">
      <legend className="field__label">Format</legend>
      <div className="exp-segmented">
        {EXPORT_FORMAT_NAMES.map((f) => (
          <label key={f} className={value === f ? 'exp-segment is-checked' : 'exp-segment'} title={FORMAT_LABELS[f].hint}>
            <input type="radio" name={name} value={f} checked={value === f} onChange={() => onChange(f)} />
            {FORMAT_LABELS[f].label}
          </label>
        ))}
      </div>
      <div className="field__hint">{FORMAT_LABELS[value].hint}</div>
    </fieldset>
  );
}

/** What goes in beside the rows: the audit trail, and the evidence register (not in a CSV, which holds one table). */
export function ContentChecks({
  format,
  includeAuditTrail,
  includeEvidence,
  onChange,
}: {
  format: ExportFormatName;
  includeAuditTrail: boolean;
  includeEvidence: boolean;
  onChange: (change: { includeAuditTrail?: boolean; includeEvidence?: boolean }) => void;
}) {
  return (
    <div className="exp-grid exp-grid--2">
      <label className="checkbox">
        <input type="checkbox" checked={includeAuditTrail} onChange={(e) => onChange({ includeAuditTrail: e.target.checked })} />
        <span>
          Include audit trail
          <span className="field__hint exp-block">The ledger events in scope, with their hashes and the signed checkpoint.</span>
        </span>
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={includeEvidence && format !== 'csv'} disabled={format === 'csv'} onChange={(e) => onChange({ includeEvidence: e.target.checked })} />
        <span>
          Include evidence
          <span className="field__hint exp-block">
            {format === 'csv'
              ? 'A CSV file holds one table: choose JSON, NDJSON, XML or PDF to add the evidence register.'
              : 'The evidence register in scope: each item with its hash, holds and custody chain (file contents travel in a signed bundle of the case).'}
          </span>
        </span>
      </label>
    </div>
  );
}
