import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ResponseOf } from '../../../../shared/contract.js';
import type { AuditLogPolicyView, RetentionPolicy } from '../../../../shared/contract/retention.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCount } from '../../components/list-toolbar.js';
import { NextStep } from '../../components/next-step.js';
import { HeaderButton } from '../../components/page-header.js';
import { formatCount, formatDate, formatDateTime, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { EditAuditLogDialog, EditPolicyDialog, RunSweepDialog } from './retention-dialogs.js';
import { ACTION_LABELS, ACTION_TONES, CLASSIFICATION_LABELS, periodLabel, TRIGGER_LABELS } from './retention-ui.js';
import './retention.css';

type Overview = ResponseOf<'retention.policies'>;
type Plan = ResponseOf<'retention.preview'>;

const COLUMNS: Column<RetentionPolicy>[] = [
  { key: 'category', label: 'Record category', width: 'minmax(180px, 2fr)', render: (p) => <span>{p.label}</span>, title: (p) => `${p.label} (${p.category})` },
  { key: 'period', label: 'Kept for', width: '110px', render: (p) => (p.periodValue === null ? <span className="muted">Permanently</span> : <span>{periodLabel(p)}</span>) },
  { key: 'action', label: 'Then', width: '84px', render: (p) => (p.periodValue === null ? <span className="muted">—</span> : <Badge tone={ACTION_TONES[p.action]}>{ACTION_LABELS[p.action]}</Badge>) },
  { key: 'classification', label: 'Classification', width: '110px', render: (p) => <span>{CLASSIFICATION_LABELS[p.classification]}</span> },
  { key: 'source', label: 'Policy', width: '92px', render: (p) => (p.customized ? <Badge tone="accent">Changed</Badge> : <span className="muted">Default</span>) },
];

/** The sweep's schedule and last run, for the toolbar. */
function ScheduleFacts({ overview }: { overview: Overview | null }) {
  if (!overview) return <span className="muted">Loading…</span>;
  const last = overview.lastSweep;
  return (
    <div className="retention-schedule" data-testid="retention-schedule">
      <span>
        <strong>Next sweep</strong> {formatDateTime(overview.nextSweepAt)}
      </span>
      <span>
        <strong>Last sweep</strong>{' '}
        {last ? (
          <>
            <span className="mono">{last.id}</span> {formatDateTime(last.ranAt)} ({TRIGGER_LABELS[last.trigger]}): {formatCount(last.archived)} archived, {formatCount(last.deleted)} deleted,{' '}
            {formatCount(last.held)} held
          </>
        ) : (
          'none yet'
        )}
      </span>
    </div>
  );
}

/** The audit log's own retention (issue 12.3): how long events stay whole, what is pruned already and what the next sweep would prune. */
/** A shorter audit-log period asked for: who asked and when; a second person (never the one who asked) approves or rejects it. */
function PendingAuditLog({ pending, onDecided }: { pending: NonNullable<AuditLogPolicyView['pending']>; onDecided: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const me = useAppStore((s) => s.user);
  const canDecide = useCan('retention.decideAuditLogPolicy') && me?.username !== pending.requestedBy;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    const res = await mutate('retention.decideAuditLogPolicy', { requestId: pending.id, approve });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      // A request replaced meanwhile: show the one that is waiting now.
      if (res.error.code === 'conflict') onDecided();
      return;
    }
    notify('success', approve ? `Approved: audit-log events are now kept whole for ${periodLabel(pending)}.` : 'Rejected: the audit-log period stays as it was.');
    onDecided();
  };
  return (
    <div className="retention-pending" data-testid="retention-audit-log-pending">
      <Alert kind="warn">
        {pending.requestedBy} asked on {formatDateTime(pending.requestedAt)} to keep whole events for {periodLabel(pending)} only. A shorter period makes the sweep prune sooner, so it
        waits for a second person: another administrator or a compliance officer.
      </Alert>
      {error && <Alert kind="error">{error}</Alert>}
      {canDecide && (
        <div className="retention-pending__actions">
          <button type="button" className="btn btn--sm btn--primary" disabled={busy} onClick={() => void decide(true)}>
            Approve shorter period
          </button>
          <button type="button" className="btn btn--sm" disabled={busy} onClick={() => void decide(false)}>
            Reject
          </button>
        </div>
      )}
    </div>
  );
}

function AuditLogSection({ overview, plan, onEdit, onDecided }: { overview: Overview | null; plan: Plan | null; onEdit: (() => void) | null; onDecided: () => void }) {
  const policy = overview?.auditLog;
  if (!policy) return null;
  const ledger = plan?.ledger;
  let next = '—';
  if (ledger) {
    const before = ledger.cutoff ? `older than ${formatDate(ledger.cutoff.slice(0, 10))}` : '';
    if (ledger.policy === null) next = 'Nothing: the audit log is kept in full';
    else if (ledger.count === 0) next = `Nothing: no further events are ${before}`;
    else if (ledger.holds.length > 0) next = `Nothing: ${formatCount(ledger.count)} events are ${before}, but pruning waits while ${ledger.holds.join(', ')} ${ledger.holds.length === 1 ? 'is' : 'are'} active`;
    else next = `Would prune events ${formatCount(ledger.fromSeq)}–${formatCount(ledger.throughSeq)} (${formatCount(ledger.count)}), ${before}`;
  }
  return (
    <Section title="Audit log">
      <div data-testid="retention-audit-log">
        <Facts
          rows={[
            ['Whole events kept for', policy.periodValue === null ? 'Permanently (never pruned)' : `${periodLabel(policy)}, then pruned to their hashes`],
            ['Pruned so far', ledger && ledger.prunedThrough > 0 ? `Events 1–${formatCount(ledger.prunedThrough)}` : 'Nothing'],
            ['Next sweep', next],
            ['Changed', policy.updatedAt ? `${formatDateTime(policy.updatedAt)} by ${policy.updatedBy ?? '—'}` : 'Never: the shipped default (seven years)'],
          ]}
        />
        {policy.pending && <PendingAuditLog pending={policy.pending} onDecided={onDecided} />}
        {onEdit && (
          <button type="button" className="btn btn--sm" onClick={onEdit}>
            Edit audit-log policy…
          </button>
        )}
      </div>
    </Section>
  );
}

/** The dry run, beside the policies when none is open: what the next sweep would do and what a hold keeps. */
function PreviewPane({ plan, error, onRefresh, auditLog }: { plan: Plan | null; error: string | null; onRefresh: () => void; auditLog: ReactNode }) {
  return (
    <section className="detail ferpa-detail" aria-labelledby="retention-preview-title" data-testid="retention-preview">
      <header className="detail__header">
        <div className="detail__heading">
          <h2 id="retention-preview-title">Sweep preview</h2>
          {plan && <Badge>{`as of ${formatDate(plan.asOf)}`}</Badge>}
        </div>
        <button type="button" className="btn btn--sm" onClick={onRefresh}>
          Refresh
        </button>
      </header>
      {/* Focusable so the lists can be scrolled from the keyboard. */}
      <div className="detail__body" tabIndex={0} role="region" aria-label="Sweep preview lists">
        {error && <Alert kind="error">{error}</Alert>}
        {!plan && !error && <p className="muted">Loading…</p>}
        {plan && (
          <>
            <p className="detail__lead">
              A dry run changes nothing. The next sweep would archive {formatCount(plan.counts.archive)} and delete {plural(plan.counts.delete, 'record')}; {formatCount(plan.counts.held)}{' '}
              {plan.counts.held === 1 ? 'is' : 'are'} skipped because a legal hold covers {plan.counts.held === 1 ? 'it' : 'them'}.
            </p>
            {auditLog}
            <Section title={`Would be archived or deleted (${formatCount(plan.counts.archive + plan.counts.delete)})`}>
              {plan.candidates.length === 0 ? (
                <p className="muted">Nothing has run out of retention.</p>
              ) : (
                <table className="table table--compact retention-table" aria-label="Records the sweep would archive or delete">
                  <thead>
                    <tr>
                      <th scope="col">Record</th>
                      <th scope="col">Category</th>
                      <th scope="col">Ran out</th>
                      <th scope="col">Action</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.candidates.map((c) => (
                      <tr key={c.id}>
                        <td className="mono">{c.id}</td>
                        <td>{c.category.replace(/_/g, ' ')}</td>
                        <td>{formatDate(c.retentionUntil)}</td>
                        <td>
                          <Badge tone={ACTION_TONES[c.action]}>{ACTION_LABELS[c.action]}</Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
            <Section title={`Skipped: under legal hold (${formatCount(plan.counts.held)})`}>
              {plan.held.length === 0 ? (
                <p className="muted">No expired record is under hold.</p>
              ) : (
                <table className="table table--compact retention-table" aria-label="Expired records kept because of a legal hold">
                  <thead>
                    <tr>
                      <th scope="col">Record</th>
                      <th scope="col">Category</th>
                      <th scope="col">Held by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.held.map((h) => (
                      <tr key={h.id}>
                        <td className="mono">{h.id}</td>
                        <td>{h.category.replace(/_/g, ' ')}</td>
                        <td className="mono" title={`Retention ran out ${formatDate(h.retentionUntil)}`}>
                          {h.holds.join(', ')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
            {plan.truncated && <p className="muted">The lists show the first {formatCount(plan.candidates.length + plan.held.length)}; the counts are complete. `custos sweep --dry-run` lists all.</p>}
          </>
        )}
      </div>
    </section>
  );
}

/** One category's policy: what it keeps, for how long, what happens then, and who changed it. */
function PolicyPane({ p, onEdit, onClose }: { p: RetentionPolicy; onEdit: () => void; onClose: () => void }) {
  return (
    <DetailPane title={p.label} badge={p.customized ? <Badge tone="accent">Changed</Badge> : <Badge>Shipped default</Badge>} onClose={onClose} testId="retention-policy">
      <p className="detail__lead">{p.label}</p>
      <NextStep actions={[{ channel: 'retention.setPolicy', label: 'Edit policy…', primary: true, onClick: onEdit }]} />
      <Section title="Policy">
        <Facts
          rows={[
            ['Kept for', p.periodValue === null ? 'Permanently (never swept)' : `${periodLabel(p)} from the record’s date`],
            ['Then', p.periodValue === null ? '—' : p.action === 'archive' ? 'Archive: read-only, out of default lists, still exportable' : 'Delete: content destroyed, its SHA-256 kept in the ledger'],
            ['Classification', CLASSIFICATION_LABELS[p.classification]],
            ['Legal hold', 'Always respected: a held record is never archived or deleted'],
            ['Erasable on request', p.erasable ? 'Yes' : 'No, only once retention has run out under a delete policy'],
            ['Basis', p.source],
            ['Changed', p.updatedAt ? `${formatDateTime(p.updatedAt)} by ${p.updatedBy ?? '—'}` : 'Never: the shipped default'],
          ]}
        />
      </Section>
    </DetailPane>
  );
}

/** Retention: the policy of each record category (administrators edit it), the daily sweep's schedule and last run, and a dry run of the next one. */
export function RetentionView() {
  const canPreview = useCan('retention.preview');
  const canSweep = useCan('retention.sweep');
  const [overview, setOverview] = useState<Overview | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'edit' | 'sweep' | 'audit-log' | null>(null);
  const canEditAuditLog = useCan('retention.setAuditLogPolicy');

  const reload = useCallback(async () => {
    const r = await client.call('retention.policies', {});
    if (r.ok) {
      setOverview(r.value);
      setError(null);
    } else setError(r.error.message);
    if (canPreview) {
      const p = await client.call('retention.preview', { limit: 500 });
      if (p.ok) {
        setPlan(p.value);
        setPlanError(null);
      } else setPlanError(p.error.message);
    }
  }, [canPreview]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const policies = overview?.policies ?? null;
  const open = policies?.find((p) => p.category === openId) ?? null;
  return (
    <ListDetailPage
      title="Retention"
      subtitle="How long each category of record, and the audit log, is kept and what happens then. A sweep runs daily at 02:00 (and at sign-in when one was missed); nothing under legal hold is archived, deleted or pruned."
      actions={
        <>
          {canPreview && (
            <HeaderButton icon="refresh" onClick={() => void reload()}>
              Preview sweep
            </HeaderButton>
          )}
          {canSweep && (
            <HeaderButton icon="check" primary onClick={() => setDialog('sweep')}>
              Run sweep now…
            </HeaderButton>
          )}
        </>
      }
      toolbar={
        <>
          <ScheduleFacts overview={overview} />
          <ListCount>{policies ? `${formatCount(policies.length)} record ${policies.length === 1 ? 'category' : 'categories'}` : 'Loading…'}</ListCount>
        </>
      }
      error={error}
      list={<ItemTable rows={policies ?? []} columns={COLUMNS} getId={(p) => p.category} selectedId={openId} onOpen={setOpenId} label="Retention policies" testId="retention-grid" />}
      detail={
        open ? (
          <PolicyPane p={open} onEdit={() => setDialog('edit')} onClose={() => setOpenId(null)} />
        ) : (
          canPreview && (
            <PreviewPane
              plan={plan}
              error={planError}
              onRefresh={() => void reload()}
              auditLog={<AuditLogSection overview={overview} plan={plan} onEdit={canEditAuditLog ? () => setDialog('audit-log') : null} onDecided={() => void reload()} />}
            />
          )
        )
      }
    >
      {open && dialog === 'edit' && <EditPolicyDialog policy={open} onClose={() => setDialog(null)} onDone={() => void reload()} />}
      {dialog === 'sweep' && <RunSweepDialog counts={plan?.counts ?? null} ledgerCount={plan?.ledger?.holds.length ? 0 : plan?.ledger?.count} onClose={() => setDialog(null)} onDone={() => void reload()} />}
      {dialog === 'audit-log' && overview?.auditLog && <EditAuditLogDialog policy={overview.auditLog} onClose={() => setDialog(null)} onDone={() => void reload()} />}
    </ListDetailPage>
  );
}
