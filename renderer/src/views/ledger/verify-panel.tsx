import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { ProblemTable } from '../../components/problem-table.js';
import { formatCount, formatDate, formatDuration, plural } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { isLive, jobPercent } from '../../store/job.js';

/** Progress, cancel, and the report of "Verify now". */
export function VerifyPanel() {
  const job = useAppStore((s) => s.verify);
  const cancel = useAppStore((s) => s.cancelVerify);
  const dismiss = useAppStore((s) => s.dismissVerify);
  if (!job) return null;

  if (isLive(job)) {
    const pct = jobPercent(job);
    return (
      <section className="verify verify--running" aria-label="Verification" data-testid="verify-panel">
        <div className="verify__line">
          <div className="verify__status" role="status">
            <strong>{job.status === 'cancelling' ? 'Cancelling…' : 'Verifying the ledger…'}</strong>{' '}
            <span className="muted num">
              {formatCount(job.done)}
              {job.total ? ` of ${formatCount(job.total)}` : ''} events{pct !== null ? ` (${pct}%)` : ''}
            </span>
          </div>
          <button type="button" className="btn btn--sm" onClick={() => void cancel()} disabled={job.status === 'cancelling'}>
            <Icon name="stop" size={12} />
            Cancel
          </button>
        </div>
        <div
          className="progress"
          role="progressbar"
          aria-label="Verification progress"
          aria-valuemin={0}
          aria-valuemax={job.total ?? undefined}
          aria-valuenow={job.total ? job.done : undefined}
        >
          <div className="progress__bar" style={{ width: `${pct ?? 5}%` }} />
        </div>
      </section>
    );
  }

  const took = job.finishedAt ? formatDuration(job.finishedAt - job.startedAt) : '';
  if (job.status === 'cancelled' || job.status === 'error') {
    return (
      <section className="verify" aria-label="Verification" data-testid="verify-panel">
        <div className="verify__line">
          {job.status === 'cancelled' ? (
            <Alert kind="info">Verification cancelled after {plural(job.done, 'event')}. Nothing was concluded.</Alert>
          ) : (
            <Alert kind="error">{job.error}</Alert>
          )}
          <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={dismiss} aria-label="Close verification result">
            <Icon name="x" />
          </button>
        </div>
      </section>
    );
  }

  const report = job.report;
  if (!report) return null;
  // The report's words are the CLI's; on screen the prune date reads like every other date.
  const prunedDay = report.pruned?.pruned_at.slice(0, 10);
  const summary = prunedDay ? report.summary.replace(`pruned on ${prunedDay}`, `pruned on ${formatDate(prunedDay)}`) : report.summary;
  return (
    <section className={report.valid ? 'verify verify--ok' : 'verify verify--bad'} aria-label="Verification report" data-testid="verify-panel">
      <div className="verify__line">
        <div className="verify__result" role="status">
          <Badge tone={report.valid ? 'ok' : 'danger'} size="lg">
            <Icon name={report.valid ? 'shieldCheck' : 'shieldAlert'} size={14} />
            {report.valid ? 'VALID' : 'INVALID'}
          </Badge>
          <span className="verify__summary">{summary}</span>
        </div>
        <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={dismiss} aria-label="Close verification report">
          <Icon name="x" />
        </button>
      </div>
      <dl className="verify__facts">
        <div>
          <dt>Events checked</dt>
          <dd className="num">{formatCount(report.events_checked)}</dd>
        </div>
        <div>
          <dt>Checkpoints checked</dt>
          <dd className="num">{formatCount(report.checkpoints_checked)}</dd>
        </div>
        {report.pruned && (
          <div data-testid="verify-pruned">
            <dt>Pruned (hashes kept)</dt>
            <dd title={report.pruned.description}>
              Events 1–{formatCount(report.pruned.through_seq)}, {formatDate(report.pruned.pruned_at.slice(0, 10))}
            </dd>
          </div>
        )}
        <div>
          <dt>Problems</dt>
          <dd className="num">{formatCount(report.problems.length)}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd className="num">{took}</dd>
        </div>
        {report.witnessed && report.witnessed.length > 0 && (
          <div>
            <dt>Witnessed heads</dt>
            <dd className="num" data-testid="verify-witnessed">
              {report.witnessed.every((w) => w.consistent)
                ? `${formatCount(report.witnessed.length)} extended`
                : `${formatCount(report.witnessed.filter((w) => !w.consistent).length)} of ${formatCount(report.witnessed.length)} NOT extended`}
            </dd>
          </div>
        )}
        {report.root && (
          <div className="verify__root">
            <dt>Root</dt>
            <dd>
              <CopyButton text={report.root} label="Copy root hash" compact />
            </dd>
          </div>
        )}
      </dl>
      <ProblemTable problems={report.problems} className="verify__problems" />
    </section>
  );
}
