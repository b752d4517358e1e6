import { useEffect, useState, type ReactNode } from 'react';
import type { ExportRequest } from '../../../../shared/contract/exports.js';
import type { LedgerEvent } from '../../../../shared/ledger-types.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge, DueBadge, StateBadge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { Icon, type IconName } from '../../components/icons.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatBytes, formatCount, formatDateTime, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { isLive } from '../../store/job.js';
import { EXPORT_TONES, Fact, FORMAT_LABELS, JobProgress, ScopeChips, TYPE_LABELS } from './export-ui.js';
import { useMatchCount } from './scope-fields.js';
import { ledgerRoute } from '../ledger/ledger-route.js';
import { useDownload } from './use-download.js';

interface Step {
  label: string;
  who: string | null;
  when: string | null;
  state: 'done' | 'bad' | 'current' | 'todo';
  icon: IconName;
}

function lifecycle(r: ExportRequest, running: boolean): Step[] {
  const decided = r.decidedAt !== null;
  const rejected = r.status === 'rejected';
  const steps: Step[] = [
    { label: 'Requested', who: r.requestedBy, when: r.requestedAt, state: 'done', icon: 'plus' },
    {
      label: rejected ? 'Rejected' : decided ? (r.decidedBy === 'policy' ? 'Approved by policy' : 'Approved') : 'Approval',
      who: r.decidedBy === 'policy' ? null : r.decidedBy,
      when: r.decidedAt,
      state: rejected ? 'bad' : decided ? 'done' : 'current',
      icon: rejected ? 'x' : 'check',
    },
  ];
  if (!rejected) {
    steps.push({
      label: r.status === 'failed' ? 'Failed' : r.status === 'executed' ? 'Executed' : running ? 'Running' : 'Execution',
      who: r.executedBy,
      when: r.executedAt,
      state: r.status === 'executed' ? 'done' : r.status === 'failed' ? 'bad' : r.status === 'approved' ? 'current' : 'todo',
      icon: r.status === 'failed' ? 'alert' : 'exports',
    });
  }
  return steps;
}

/** Requested → decided → executed, who and when: the request's own audit trail at a glance. */
function Lifecycle({ req, running }: { req: ExportRequest; running: boolean }) {
  return (
    <ol className="exp-life" aria-label={`Lifecycle of ${req.id}`}>
      {lifecycle(req, running).map((s) => (
        <li key={s.label} className={`exp-life__step exp-life__step--${s.state}`}>
          <span className="exp-life__dot" aria-hidden="true">
            <Icon name={s.state === 'todo' || s.state === 'current' ? 'clock' : s.icon} size={12} />
          </span>
          <span className="exp-life__label">{s.label}</span>
          <span className="exp-life__meta">
            {s.when ? (
              <>
                {s.who && <span>{s.who}</span>}
                <span title={formatDateTime(s.when)}>{formatDateTime(s.when)}</span>
              </>
            ) : (
              <span>{s.state === 'current' ? (running && s.label === 'Running' ? 'in progress' : 'waiting') : 'not yet'}</span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Every hand-over of the written file (files.download events), newest first; `version` refetches. */
function useHandOvers(fileName: string | null, version: number): LedgerEvent[] | null {
  const [events, setEvents] = useState<LedgerEvent[] | null>(null);
  useEffect(() => {
    let live = true;
    if (!fileName) return;
    void client.call('ledger.query', { resourceType: 'file', resourceId: fileName, action: 'files.download', limit: 50 }).then((r) => {
      if (live) setEvents(r.ok ? r.value.events : null);
    });
    return () => {
      live = false;
    };
  }, [fileName, version]);
  return fileName ? events : null;
}

function YesNo({ value }: { value: boolean }) {
  return value ? <span>Yes</span> : <span className="muted">No</span>;
}

/**
 * One export request: the next step for this user, what it takes (scope, masking), the decision,
 * and the receipt of what left (SHA-256, rows, bytes, checkpoint), then its ledger events.
 */
export function ExportDetail({
  req,
  onClose,
  onDecide,
  onExecute,
}: {
  req: ExportRequest;
  onClose: () => void;
  onDecide: (d: 'approve' | 'reject') => void;
  /** `countNow`: events the request's scope (filters and case) selects now, if known. */
  onExecute: (countNow: number | null) => void;
}) {
  const me = useAppStore((s) => s.user);
  const profiles = useAppStore((s) => s.maskingProfiles);
  const job = useAppStore((s) => s.executeJob);
  const cancel = useAppStore((s) => s.cancelExecute);
  const dismiss = useAppStore((s) => s.dismissExecute);
  const navigate = useAppStore((s) => s.navigate);
  const { download, busy } = useDownload();
  const [handedOver, setHandedOver] = useState(0);
  const handOvers = useHandOvers(req.status === 'executed' ? req.fileName : null, handedOver);
  const open = req.status === 'pending' || req.status === 'approved';
  const { count, loading: counting } = useMatchCount(req.filters, req.caseId, open);
  const countNow = counting ? null : count;

  const mine = me?.username === req.requestedBy;
  const canDecide = useCan('exports.approve') && !mine;
  // The approval binds the requester: only they may run it (the core refuses anyone else).
  const mayExecute = useCan('exports.execute');
  const canRun = mayExecute && mine;
  const myJob = job && job.requestId === req.id ? job : null;
  const running = myJob !== null && isLive(myJob);
  const otherRun = job && !myJob && isLive(job) ? job.requestId : null;
  const profile = profiles?.find((p) => p.name === req.masking);

  let next: ReactNode = null;
  if (req.status === 'pending') {
    next = canDecide ? (
      <>
        <p className="exp-next__text">
          {req.requestedBy} asks to send this to <strong>{req.recipient}</strong>. Check the scope and masking below, then decide.
        </p>
        <div className="ferpa-actions">
          <button type="button" className="btn btn--primary btn--sm" onClick={() => onDecide('approve')}>
            <Icon name="check" size={14} />
            Approve…
          </button>
          <button type="button" className="btn btn--danger btn--sm" onClick={() => onDecide('reject')}>
            <Icon name="x" size={14} />
            Reject…
          </button>
        </div>
      </>
    ) : (
      <Alert kind="info">
        {mine
          ? `Waiting for another person to approve it. You requested this ${req.format === 'bundle' ? 'bundle' : 'export'}, so you cannot approve it yourself (separation of duties).`
          : 'Waiting for approval by an administrator, a compliance officer or legal counsel other than the requester.'}
      </Alert>
    );
  } else if (req.status === 'approved' && canRun) {
    next = running ? (
      <JobProgress job={myJob} what={`Running ${req.id}`} onCancel={() => void cancel()} testId="export-progress" />
    ) : (
      <>
        {myJob?.status === 'cancelled' && (
          <Alert kind="info">
            Run cancelled after {plural(myJob.done, 'event')}. No file was written; the request is still approved and can run again.
          </Alert>
        )}
        {myJob?.status === 'error' && <Alert kind="error">{myJob.error}</Alert>}
        <p className="exp-next__text">
          Approved{req.decidedBy && req.decidedBy !== 'policy' ? ` by ${req.decidedBy}` : ' by policy'}. Running it writes the file, records its SHA-256 and signs a checkpoint.
          {otherRun && ` ${otherRun} is running now; this one can start when it ends.`}
        </p>
        <div className="ferpa-actions">
          <button
            type="button"
            className="btn btn--primary btn--sm"
            disabled={otherRun !== null}
            onClick={() => {
              if (myJob) dismiss();
              onExecute(countNow);
            }}
          >
            <Icon name="exports" size={14} />
            {req.format === 'bundle' ? 'Make bundle…' : 'Run export…'}
          </button>
        </div>
      </>
    );
  } else if (req.status === 'approved' && mayExecute) {
    next = <Alert kind="info">Approved. Only {req.requestedBy}, who requested it, can run it: the approval covers their request.</Alert>;
  } else if (req.status === 'failed') {
    next = <Alert kind="error">{req.error ?? 'The export failed; no file was kept.'} Ask for a new export once the cause is fixed.</Alert>;
  }

  return (
    <DetailPane title={req.id} badge={<StateBadge state={req.status} tones={EXPORT_TONES} />} onClose={onClose} testId="export-detail">
      <div className="exp-lead">
        <p className="detail__lead">{req.title}</p>
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          title="Every ledger event about this request"
          onClick={() => {
            navigate(ledgerRoute({ resourceType: 'export_request', resourceId: req.id }));
          }}
        >
          <Icon name="ledger" size={14} />
          In the ledger
        </button>
      </div>
      <Lifecycle req={req} running={running} />
      {next && <Section title="Next step">{<div className="exp-next">{next}</div>}</Section>}

      {req.status === 'executed' && req.sha256 && (
        <Section title="What left">
          <div className="exp-receipt exp-receipt--ok" data-testid="export-receipt">
            <div className="exp-hash">
              <span className="exp-hash__label">SHA-256</span>
              <code className="hash" data-testid="export-sha256">
                {req.sha256}
              </code>
              <CopyButton text={req.sha256} label="Copy the file's SHA-256" compact />
            </div>
            <dl className="exp-facts">
              <Fact label={req.format === 'bundle' ? 'Events' : 'Rows'}>{req.rows === null ? '—' : formatCount(req.rows)}</Fact>
              <Fact label="Size">{req.bytes === null ? '—' : formatBytes(req.bytes)}</Fact>
              <Fact label="Checkpoint">{req.checkpointSize === null ? '—' : `${plural(req.checkpointSize, 'event')}`}</Fact>
              <Fact label="Format">{FORMAT_LABELS[req.format].label}</Fact>
            </dl>
            {req.fileName && (
              <div className="exp-receipt__file">
                <span className="mono" data-testid="export-file">
                  {req.fileName}
                </span>
                <button type="button" className="btn btn--sm btn--primary" disabled={busy} onClick={() => void download(req.fileName ?? '', req.sha256).then(() => setHandedOver((n) => n + 1))}>
                  <Icon name="exports" size={14} />
                  {busy ? 'Preparing…' : 'Download'}
                </button>
              </div>
            )}
            {handOvers && (
              <div className="exp-handovers" data-testid="export-handovers">
                {handOvers.length === 0 ? (
                  <span className="muted">Not handed over yet: the file is still only in the workspace&rsquo;s exports folder.</span>
                ) : (
                  <>
                    <span className="exp-handovers__label">
                      Handed over {handOvers.length} {handOvers.length === 1 ? 'time' : 'times'}
                    </span>
                    <ul>
                      {handOvers.slice(0, 5).map((e) => (
                        <li key={e.seq}>
                          {e.actor} · {formatDateTime(e.ts)}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
            )}
            <p className="muted exp-receipt__note">
              Executed by {req.executedBy ?? '—'} on {req.executedAt ? formatDateTime(req.executedAt) : '—'}. The recipient can check the file with <span className="mono">sha256sum</span>; the hash is also in the ledger.
            </p>
          </div>
        </Section>
      )}

      <Section title="Request">
        <Facts
          rows={[
            ['Type', TYPE_LABELS[req.type].label],
            ['Format', FORMAT_LABELS[req.format].label],
            ['Recipient', req.recipient],
            ['Requested', `${formatDateTime(req.requestedAt)} by ${req.requestedBy}`],
            ['Due', req.dueAt ? open ? <span className="exp-due"><span>{formatDateTime(req.dueAt).slice(0, 11)}</span><DueBadge dueAt={req.dueAt} /></span> : formatDateTime(req.dueAt).slice(0, 11) : null],
          ]}
        />
        <div className="exp-quote-block">
          <span className="exp-quote-block__label">Purpose</span>
          <p className="ferpa-quote">{req.purpose}</p>
        </div>
      </Section>

      <Section title="Scope and masking">
        <Facts
          rows={[
            [
              'Case',
              req.caseId ? (
                <button key="c" type="button" className="casework-link mono" onClick={() => navigate(`cases/${req.caseId}`)}>
                  {req.caseId}
                </button>
              ) : null,
            ],
            ['Filters', <ScopeChips key="f" filters={req.filters} caseId={req.caseId} filtersOnly label={`Filters of ${req.id}`} />],
            [
              'Masking',
              <span key="m" className="exp-masking">
                <Badge tone={req.masking === 'none' ? 'neutral' : 'accent'}>{req.masking}</Badge>
                {profile?.description && <span className="muted">{profile.description}</span>}
              </span>,
            ],
            ['Audit trail', <YesNo key="a" value={req.includeAuditTrail} />],
            ['Evidence', <YesNo key="e" value={req.includeEvidence} />],
            ...(open ? ([['Events now', count === null || counting ? 'counting…' : formatCount(count)]] as [string, ReactNode][]) : []),
          ]}
        />
      </Section>

      <Section title="Decision">
        {req.decidedAt ? (
          <>
            <Facts
              rows={[
                [req.status === 'rejected' ? 'Rejected' : 'Approved', `${formatDateTime(req.decidedAt)}${req.decidedBy === 'policy' ? ' by policy' : ` by ${req.decidedBy ?? '—'}`}`],
              ]}
            />
            {req.decisionNote && (
              <div className="exp-quote-block">
                <span className="exp-quote-block__label">{req.status === 'rejected' ? 'Reason' : 'Note'}</span>
                <p className={req.status === 'rejected' ? 'ferpa-quote exp-quote--bad' : 'ferpa-quote'} data-testid="decision-note">
                  {req.decisionNote}
                </p>
              </div>
            )}
          </>
        ) : (
          <p className="muted">No decision yet.</p>
        )}
      </Section>

      <ItemTimeline resourceType="export_request" resourceId={req.id} version={`${req.status}:${req.executedAt ?? ''}:${myJob?.status ?? ''}`} />
    </DetailPane>
  );
}
