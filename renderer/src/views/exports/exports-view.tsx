import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { EXPORT_STATES, type ExportRequest } from '../../../../shared/contract/exports.js';
import { StateBadge } from '../../components/badge.js';
import { EmptyState } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListCount } from '../../components/list-toolbar.js';
import { HeaderButton, PageHeader } from '../../components/page-header.js';
import { SearchFilter } from '../../components/search-filter.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime, formatShort, shortHash } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { isLive } from '../../store/job.js';
import { BundleDialog } from './bundle-dialog.js';
import { DecisionDialog, ExecuteDialog } from './decision-dialogs.js';
import { ExportDetail } from './export-detail.js';
import { EXPORT_TONES, FORMAT_LABELS, LoadError, TYPE_LABELS } from './export-ui.js';
import { RequestDialog } from './request-dialog.js';
import { ExportTabs } from './export-tabs.js';
import { SchedulesView } from './schedules-view.js';

type StatusFilter = ExportRequest['status'] | '' | 'mine-to-decide';

const FILTER_LABELS: Record<Exclude<StatusFilter, 'mine-to-decide'>, string> = {
  '': 'All',
  pending: 'Pending',
  approved: 'Approved',
  executed: 'Executed',
  rejected: 'Rejected',
  failed: 'Failed',
};

const STATUS_TABS = ['', 'pending', 'approved', 'executed', 'rejected', 'failed'] as const;

const ID: Column<ExportRequest> = { key: 'id', label: 'Request', width: '128px', render: (r) => <span className="mono">{r.id}</span> };
const TITLE: Column<ExportRequest> = { key: 'title', label: 'Title', width: 'minmax(180px, 2fr)', render: (r) => <span>{r.title}</span>, title: (r) => `${r.title} — for ${r.recipient}` };
const STATUS: Column<ExportRequest> = { key: 'status', label: 'Status', width: '92px', render: (r) => <StateBadge state={r.status} tones={EXPORT_TONES} /> };
const TYPE: Column<ExportRequest> = { key: 'type', label: 'Type', width: '92px', render: (r) => <span>{TYPE_LABELS[r.type].label}</span> };
const FORMAT: Column<ExportRequest> = { key: 'format', label: 'Format', width: '68px', render: (r) => <span className="exp-format">{FORMAT_LABELS[r.format].label}</span> };
const REQUESTER: Column<ExportRequest> = { key: 'requester', label: 'Requested by', width: 'minmax(96px, 1fr)', render: (r) => <span>{r.requestedBy}</span> };
const APPROVER: Column<ExportRequest> = {
  key: 'approver',
  label: 'Approver',
  width: 'minmax(96px, 1fr)',
  render: (r) => (r.decidedBy === null ? <span className="muted">—</span> : r.decidedBy === 'policy' ? <span className="muted">policy</span> : <span>{r.decidedBy}</span>),
};
const CREATED: Column<ExportRequest> = { key: 'created', label: 'Created', width: '128px', render: (r) => <span>{formatShort(r.requestedAt)}</span>, title: (r) => formatDateTime(r.requestedAt) };
const HASH: Column<ExportRequest> = {
  key: 'hash',
  label: 'SHA-256',
  width: '132px',
  render: (r) => (r.sha256 ? <span className="mono exp-hash-cell">{shortHash(r.sha256)}</span> : <span className="muted">—</span>),
  title: (r) => r.sha256 ?? '',
};

/** All columns when the list has the width; the essentials beside an open request. */
const WIDE = [ID, TITLE, STATUS, TYPE, FORMAT, REQUESTER, APPROVER, CREATED, HASH];
const NARROW = [ID, TITLE, STATUS, REQUESTER, CREATED];

type Dialog = { kind: 'request' } | { kind: 'bundle' } | { kind: 'decide'; decision: 'approve' | 'reject' } | { kind: 'execute'; countNow: number | null } | null;

/** Exports: the requests (`exports`, `exports/<id>`) or the scheduled exports (`exports/scheduled[/<id>]`). */
export function ExportsView() {
  const scheduled = useAppStore((s) => s.route.split('/')[1] === 'scheduled');
  return scheduled ? <SchedulesView /> : <RequestsView />;
}

/**
 * Exports: every request to take records out of the workspace, who asked, who decided, what ran
 * and the SHA-256 of what left (the audit trail of exports), with the next step for this user;
 * and signed bundles of the ledger.
 */
function RequestsView() {
  const requests = useAppStore((s) => s.exportList.items);
  const error = useAppStore((s) => s.exportList.error);
  const { load } = useListActions('exportList');
  const loadProfiles = useAppStore((s) => s.loadMaskingProfiles);
  const execute = useAppStore((s) => s.executeExport);
  const bundleJob = useAppStore((s) => s.bundleJob);
  const notify = useAppStore((s) => s.notify);
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const me = useAppStore((s) => s.user);
  const [status, setStatus] = useState<StatusFilter>('');
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const statusId = useId();

  const canRequest = useCan('exports.request');
  const canDecide = useCan('exports.approve');
  const canBundle = useCan('bundles.create');

  useEffect(() => {
    void load();
    void loadProfiles();
  }, [load, loadProfiles]);

  const selectedId = route.split('/')[1] ?? null;
  const selected = requests?.find((r) => r.id === selectedId) ?? null;
  const select = (id: string | null) => navigate(id ? `exports/${id}` : 'exports');

  const toDecide = useMemo(() => (requests ?? []).filter((r) => r.status === 'pending' && canDecide && r.requestedBy !== me?.username), [requests, canDecide, me?.username]);
  const counts = useMemo(() => {
    const c: Record<string, number> = { '': requests?.length ?? 0 };
    for (const s of EXPORT_STATES) c[s] = 0;
    for (const r of requests ?? []) c[r.status] = (c[r.status] ?? 0) + 1;
    return c;
  }, [requests]);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (requests ?? []).filter((r) => {
      if (status === 'mine-to-decide' ? !toDecide.includes(r) : status && r.status !== status) return false;
      if (!q) return true;
      return [r.id, r.title, r.recipient, r.requestedBy, r.decidedBy ?? '', r.caseId ?? '', r.sha256 ?? '', r.type, r.format].some((v) => v.toLowerCase().includes(q));
    });
  }, [requests, status, search, toDecide]);

  const bundleRunning = isLive(bundleJob);
  const empty = requests !== null && requests.length === 0;

  /** Arrow keys move between the status tabs (one tab stop for the group, as for radio buttons). */
  function onTabsKey(e: KeyboardEvent<HTMLDivElement>) {
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const i = Math.max(0, STATUS_TABS.indexOf(status as (typeof STATUS_TABS)[number]));
    const next = STATUS_TABS[(i + step + STATUS_TABS.length) % STATUS_TABS.length] ?? '';
    setStatus(next);
    const buttons = e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="radio"]');
    buttons[STATUS_TABS.indexOf(next)]?.focus();
  }

  function created(r: ExportRequest) {
    select(r.id);
    setStatus('');
    setSearch('');
    notify(
      'success',
      r.status === 'pending'
        ? `${r.id} requested. Another approver must approve it before it can run.`
        : `${r.id} requested and approved by policy (masked ${TYPE_LABELS[r.type].label.toLowerCase()} exports without the evidence register need no second approval); you can run it now.`,
    );
  }

  function bundleRequested(r: ExportRequest) {
    select(r.id);
    setStatus('');
    setSearch('');
    notify(
      'success',
      r.status === 'pending'
        ? `${r.id} requested. Another approver must approve the bundle before you can make it.`
        : `${r.id} requested and approved by policy; you can make the bundle now.`,
    );
  }

  return (
    <div className="page page--fill ferpa exp-page">
      <PageHeader
        tight
        title="Exports"
        subtitle="Records leave the workspace only through an approved request or a signed bundle. Each run is hashed, checkpointed and ledgered: who exported what, when, with which filters and masking."
        actions={
          canRequest || canBundle ? (
            <>
              {canBundle && (
                <HeaderButton icon={bundleRunning ? 'clock' : 'shieldCheck'} onClick={() => setDialog({ kind: 'bundle' })}>
                  {bundleRunning ? 'Bundle in progress…' : 'Signed bundle…'}
                </HeaderButton>
              )}
              {canRequest && (
                <HeaderButton icon="plus" primary onClick={() => setDialog({ kind: 'request' })}>
                  New export request
                </HeaderButton>
              )}
            </>
          ) : undefined
        }
      >
        <ExportTabs current="requests" />
      </PageHeader>

      {!empty && (
        <div className="ferpa-toolbar exp-toolbar">
          <div className="filter">
            <span className="filter__label" id={statusId}>
              Status
            </span>
            <div className="exp-tabs" role="radiogroup" aria-labelledby={statusId} onKeyDown={onTabsKey}>
              {STATUS_TABS.map((s) => (
                <button
                  key={s || 'all'}
                  type="button"
                  role="radio"
                  aria-checked={status === s}
                  tabIndex={status === s || (status === 'mine-to-decide' && s === '') ? 0 : -1}
                  className={status === s ? 'exp-tab is-active' : 'exp-tab'}
                  onClick={() => setStatus(s)}
                  data-status={s || 'all'}
                >
                  {FILTER_LABELS[s]}
                  <span className="exp-tab__count num">{counts[s] ?? 0}</span>
                </button>
              ))}
            </div>
          </div>
          <SearchFilter label="Search" value={search} placeholder="Id, title, recipient, person, hash…" onChange={setSearch} />
          {toDecide.length > 0 && (
            <button
              type="button"
              className={status === 'mine-to-decide' ? 'exp-attention is-active' : 'exp-attention'}
              aria-pressed={status === 'mine-to-decide'}
              onClick={() => setStatus(status === 'mine-to-decide' ? '' : 'mine-to-decide')}
            >
              <Icon name="alert" size={14} />
              {toDecide.length} {toDecide.length === 1 ? 'awaits' : 'await'} your decision
            </button>
          )}
          <ListCount>{requests === null ? 'Loading…' : `${formatCount(rows.length)} of ${formatCount(requests.length)} request${requests.length === 1 ? '' : 's'}`}</ListCount>
        </div>
      )}
      {error && <LoadError error={error} onRetry={() => void load()} />}

      <div className={selected ? 'ferpa-split ferpa-split--detail' : 'ferpa-split'}>
        {requests === null ? (
          !error && (
            <div className="exp-loading">
              <Spinner label="Loading export requests" /> <span className="muted">Loading export requests…</span>
            </div>
          )
        ) : empty ? (
          <EmptyState
            icon="exports"
            title="No export requests yet"
            action={
              canRequest || canBundle ? (
                <div className="ferpa-actions exp-empty-actions">
                  {canRequest && (
                    <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'request' })}>
                      New export request
                    </button>
                  )}
                  {canBundle && (
                    <button type="button" className="btn" onClick={() => setDialog({ kind: 'bundle' })}>
                      Create a signed bundle
                    </button>
                  )}
                </div>
              ) : undefined
            }
          >
            <p>
              Ask for an export of the audit trail — for a regulator, an auditor or counsel — in CSV, JSON, NDJSON, XML or PDF, with filters and masking. A second person approves it; then it runs, and the SHA-256 of the file is recorded here and in the ledger.
            </p>
            <p className="empty__note">A signed bundle is the self-verifying alternative: the events with their proofs and the workspace&rsquo;s signature.</p>
          </EmptyState>
        ) : rows.length === 0 ? (
          <div className="exp-nomatch">
            <p>
              No export requests {status === 'mine-to-decide' ? 'await your decision' : status ? `are ${status}` : 'match'}
              {search.trim() ? ` for “${search.trim()}”` : ''}.
            </p>
            <button
              type="button"
              className="btn btn--sm"
              onClick={() => {
                setStatus('');
                setSearch('');
              }}
            >
              Show all requests
            </button>
          </div>
        ) : (
          <ItemTable rows={rows} columns={selected ? NARROW : WIDE} getId={(r) => r.id} selectedId={selected?.id ?? null} onOpen={select} label="Export requests" testId="exports-grid" />
        )}
        {selected && (
          <ExportDetail
            req={selected}
            onClose={() => select(null)}
            onDecide={(decision) => setDialog({ kind: 'decide', decision })}
            onExecute={(countNow) => setDialog({ kind: 'execute', countNow })}
          />
        )}
      </div>

      <RequestDialog open={dialog?.kind === 'request'} onClose={() => setDialog(null)} onCreated={created} />
      <BundleDialog open={dialog?.kind === 'bundle'} onClose={() => setDialog(null)} onRequested={bundleRequested} />
      <DecisionDialog req={dialog?.kind === 'decide' ? selected : null} decision={dialog?.kind === 'decide' ? dialog.decision : null} onClose={() => setDialog(null)} />
      <ExecuteDialog
        req={dialog?.kind === 'execute' ? selected : null}
        countNow={dialog?.kind === 'execute' ? dialog.countNow : null}
        onClose={() => setDialog(null)}
        onConfirm={() => {
          if (!selected || dialog?.kind !== 'execute') return;
          void execute(selected.id, dialog.countNow);
        }}
      />
    </div>
  );
}
