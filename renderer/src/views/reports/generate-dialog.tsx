import { useEffect, useState } from 'react';
import type { GeneratedReport, ReportKind } from '../../../../shared/contract/reports.js';
import type { Result } from '../../../../shared/result.js';
import type { ResponseOf } from '../../../../shared/contract.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { CopyButton } from '../../components/copy-button.js';
import { Dialog } from '../../components/dialog.js';
import { TextField } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { formatBytes, plural } from '../../lib/format.js';
import { newJobId } from '../../lib/job-id.js';
import { useAppStore } from '../../store/index.js';
import { cancelJob, endedJob, isLive, jobPercent, takesProgress, type Job } from '../../store/job.js';
import { useDownload } from '../exports/use-download.js';

const DAY = 86_400_000;
const PHASES = ['Signing a checkpoint and counting', 'Laying out the PDF', 'Recording its SHA-256', 'Done'];

type ReportJob = Job & { result: GeneratedReport | null };

/** Today and the first day of the kind's default period, in UTC (what the core takes when none is given). */
function defaultPeriod(kind: ReportKind): { from: string; to: string } {
  const today = new Date();
  const to = today.toISOString().slice(0, 10);
  return { from: new Date(Date.parse(`${to}T00:00:00.000Z`) - (kind.defaultDays - 1) * DAY).toISOString().slice(0, 10), to };
}

/**
 * The period of one report, then its generation as a job with progress and cancel, then its receipt:
 * where it is anchored (tree size, root), its SHA-256 and the download.
 */
export function GenerateDialog({ kind, onClose }: { kind: ReportKind | null; onClose: () => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [job, setJob] = useState<ReportJob | null>(null);
  const refresh = useAppStore((s) => s.listRefresh);
  const loadHead = useAppStore((s) => s.loadHead);
  const { download, busy } = useDownload();

  useEffect(() => {
    if (!kind) return;
    const p = defaultPeriod(kind);
    setFrom(p.from);
    setTo(p.to);
    setJob(null);
  }, [kind]);

  const running = isLive(job);
  const periodError = from && to && from > to ? 'The period must start on or before the day it ends.' : null;

  async function generate() {
    if (!kind || running || periodError) return;
    const jobId = newJobId('report');
    let current: ReportJob = { jobId, status: 'running', done: 0, total: 3, startedAt: Date.now(), finishedAt: null, error: null, result: null };
    const put = (j: ReportJob) => {
      current = j;
      setJob(j);
    };
    put(current);
    const off = client.on('job.progress', (p) => {
      if (takesProgress(current, p.jobId)) put({ ...current, done: p.done, total: p.total ?? current.total });
    });
    let r: Result<ResponseOf<'reports.generate'>>;
    try {
      r = await client.call('reports.generate', { kind: kind.id, jobId, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    } finally {
      off();
    }
    put(endedJob(current, r, (value) => ({ result: value.report, done: 3 })));
    void refresh('reportList');
    void loadHead();
  }

  const cancel = () => cancelJob(job, (j) => setJob(j));
  const result = job?.status === 'done' ? job.result : null;
  const pct = job ? jobPercent(job) : null;

  return (
    <Dialog
      open={kind !== null}
      title={kind ? `${kind.framework}: ${kind.title}` : ''}
      onClose={() => {
        if (!running) onClose();
      }}
      onSubmit={() => void generate()}
      footer={
        result ? (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
            <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void download(result.fileName, result.sha256)}>
              <Icon name="exports" size={14} />
              Download PDF
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose} disabled={running}>
              Cancel
            </button>
            <button type="submit" className="btn btn--primary" disabled={running || periodError !== null}>
              {running ? 'Generating…' : 'Generate report'}
            </button>
          </>
        )
      }
    >
      {kind && (
        <div className="rep-form" data-testid="report-dialog">
          <p className="muted rep-form__explain">
            {kind.description} <span className="rep-ref">{kind.reference}</span>
          </p>
          {!result && (
            <div className="rep-period">
              <TextField label="From" type="date" value={from} onChange={setFrom} disabled={running} error={periodError} />
              <TextField label="To" type="date" value={to} onChange={setTo} disabled={running} />
            </div>
          )}
          {!result && !running && (
            <p className="muted rep-form__note">
              A checkpoint of the ledger is signed first; the report counts the events up to it and prints its size and root, so an auditor can check the numbers against a bundle of the same tree head. The PDF&rsquo;s SHA-256 is recorded in the ledger.
            </p>
          )}
          {job && running && (
            <div className="exp-job" data-testid="report-progress">
              <div className="exp-job__line">
                <div className="exp-job__status" role="status">
                  <strong>{job.status === 'cancelling' ? 'Cancelling…' : `${PHASES[Math.min(job.done, PHASES.length - 1)]}…`}</strong>{' '}
                  <span className="muted num">{pct !== null ? `${pct}%` : ''}</span>
                </div>
                <button type="button" className="btn btn--sm" onClick={() => void cancel()} disabled={job.status === 'cancelling'}>
                  <Icon name="stop" size={12} />
                  Stop
                </button>
              </div>
              <div className="progress" role="progressbar" aria-label="Report progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? 0}>
                <div className="progress__bar" style={{ width: `${Math.max(2, pct ?? 0)}%` }} />
              </div>
            </div>
          )}
          {job?.status === 'cancelled' && <Alert kind="info">The report was cancelled; no file was written.</Alert>}
          {job?.status === 'error' && <Alert kind="error">{job.error}</Alert>}
          {result && (
            <div className="rep-receipt" data-testid="report-receipt">
              <Alert kind="ok">
                Report written: {plural(result.pages, 'page')}, {formatBytes(result.bytes)}, period {result.from} to {result.to}.
              </Alert>
              <dl className="rep-facts">
                <dt>SHA-256</dt>
                <dd className="rep-hash">
                  <code className="hash" data-testid="report-sha256">
                    {result.sha256}
                  </code>
                  <CopyButton text={result.sha256} label="Copy SHA-256" compact />
                </dd>
                <dt>Tree size</dt>
                <dd className="num" data-testid="report-size">
                  {result.checkpointSize}
                </dd>
                <dt>Root</dt>
                <dd className="rep-hash">
                  <code className="hash" data-testid="report-root">
                    {result.checkpointRoot}
                  </code>
                  <CopyButton text={result.checkpointRoot} label="Copy root" compact />
                </dd>
              </dl>
              <p className="muted rep-form__note">The report counts the ledger up to this tree size; its root is printed on the first page and in every footer.</p>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}
