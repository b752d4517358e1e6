import { useCallback, useEffect, useState } from 'react';
import type { ExportSchedule, ScheduleRun } from '../../../../shared/contract/schedules.js';
import { client } from '../../api/client.js';
import { Badge, StateBadge } from '../../components/badge.js';
import { ActionDialog } from '../../components/dialog.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListCount } from '../../components/list-toolbar.js';
import { HeaderButton, PageHeader } from '../../components/page-header.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime, formatShort, shortHash } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { ExportTabs } from './export-tabs.js';
import { FORMAT_LABELS, LoadError, ScopeChips, TYPE_LABELS } from './export-ui.js';
import { ScheduleDialog } from './schedule-dialog.js';
import { APPROVAL_LABELS, APPROVAL_SHORT, APPROVAL_TONES, cadenceWords, formatUpcoming, runResult } from './schedule-ui.js';

function nextRun(s: ExportSchedule): string {
  if (!s.active) return 'Paused';
  if (s.approval === 'pending') return 'After approval';
  if (!s.nextRunAt) return '—';
  return s.missedNow > 0 ? `Due now (${s.missedNow} missed)` : formatUpcoming(s.nextRunAt);
}

function LastRun({ run }: { run: ScheduleRun | null }) {
  if (!run) return <span className="muted">Never</span>;
  const r = runResult(run);
  return (
    <span className="sch-last">
      <Badge tone={r.tone}>{r.label}</Badge> <span className="muted">{formatShort(run.at)}</span>
    </span>
  );
}

const NAME: Column<ExportSchedule> = { key: 'name', label: 'Name', width: 'minmax(180px, 2fr)', render: (s) => <span>{s.name}</span>, title: (s) => `${s.name} — for ${s.recipient}` };
const CADENCE: Column<ExportSchedule> = { key: 'cadence', label: 'Runs', width: 'minmax(150px, 1.4fr)', render: (s) => <span>{cadenceWords(s)}</span> };
const NEXT: Column<ExportSchedule> = {
  key: 'next',
  label: 'Next run',
  width: '150px',
  render: (s) => <span className={s.missedNow > 0 ? 'sch-due' : undefined}>{nextRun(s)}</span>,
  title: (s) => (s.nextRunAt ? formatDateTime(s.nextRunAt) : ''),
};
const LAST: Column<ExportSchedule> = { key: 'last', label: 'Last run', width: '170px', render: (s) => <LastRun run={s.lastRun} /> };
const APPROVAL: Column<ExportSchedule> = {
  key: 'approval',
  label: 'Approval',
  width: '116px',
  render: (s) => <Badge tone={APPROVAL_TONES[s.approval]}>{APPROVAL_SHORT[s.approval]}</Badge>,
  title: (s) => APPROVAL_LABELS[s.approval],
};
const OWNER: Column<ExportSchedule> = { key: 'owner', label: 'Owner', width: 'minmax(96px, 1fr)', render: (s) => <span>{s.owner}</span> };

const WIDE = [NAME, CADENCE, NEXT, LAST, APPROVAL, OWNER];
const NARROW = [NAME, NEXT, APPROVAL];

type Dialog = { kind: 'edit'; schedule: ExportSchedule | null } | { kind: 'approve' } | { kind: 'delete' } | null;

/** Exports › Scheduled: the scheduled exports, when each runs next, how its last run went, its approval, and its runs. */
export function SchedulesView() {
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const notify = useAppStore((s) => s.notify);
  const me = useAppStore((s) => s.user);
  const canCreate = useCan('schedules.create');
  const canApprove = useCan('schedules.approve');
  const [items, setItems] = useState<ExportSchedule[] | null>(null);
  const [timeZone, setTimeZone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<ScheduleRun[] | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const load = useCallback(async () => {
    const r = await client.call('schedules.list', {});
    if (r.ok) {
      setItems(r.value.items);
      setTimeZone(r.value.timeZone);
      setError(null);
    } else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const selectedId = route.split('/')[2] ?? null;
  const selected = items?.find((s) => s.id === selectedId) ?? null;
  const select = (id: string | null) => navigate(id ? `exports/scheduled/${id}` : 'exports/scheduled');

  useEffect(() => {
    setRuns(null);
    if (!selectedId) return;
    let live = true;
    void client.call('schedules.runs', { id: selectedId }).then((r) => {
      if (live && r.ok) setRuns(r.value.runs);
    });
    return () => {
      live = false;
    };
  }, [selectedId, items]);

  const saved = (s: ExportSchedule, created: boolean) => {
    void load();
    select(s.id);
    notify(
      'success',
      s.approval === 'pending'
        ? `${s.name} ${created ? 'created' : 'saved'}. Another approver must approve it before it runs.`
        : `${s.name} ${created ? 'created' : 'saved'}; it next runs ${s.nextRunAt ? formatDateTime(s.nextRunAt) : 'on its schedule'}.`,
    );
  };

  async function setActive(s: ExportSchedule, active: boolean) {
    const r = await client.call('schedules.setActive', { id: s.id, active });
    if (!r.ok) {
      notify('error', r.error.message);
      return;
    }
    notify('success', active ? `${s.name} resumed; the runs that passed while paused are not made up.` : `${s.name} paused.`);
    void load();
  }

  const mine = selected !== null && selected.owner === me?.username;
  const mayManage = selected !== null && (mine || me?.role === 'admin');
  const empty = items !== null && items.length === 0;

  return (
    <div className="page page--fill ferpa exp-page">
      <PageHeader
        tight
        title="Exports"
        subtitle="Scheduled exports run daily, weekly or monthly while the app is open (or when custos run-due runs), each as an export request with its file, SHA-256 and ledger events."
        actions={
          canCreate ? (
            <HeaderButton icon="plus" primary onClick={() => setDialog({ kind: 'edit', schedule: null })}>
              New schedule
            </HeaderButton>
          ) : undefined
        }
      >
        <ExportTabs current="scheduled" />
      </PageHeader>

      {!empty && items && (
        <div className="ferpa-toolbar exp-toolbar">
          <span className="muted">Times are in {timeZone}.</span>
          <ListCount>{`${formatCount(items.length)} schedule${items.length === 1 ? '' : 's'}`}</ListCount>
        </div>
      )}
      {error && <LoadError error={error} onRetry={() => void load()} />}

      <div className={selected ? 'ferpa-split ferpa-split--detail' : 'ferpa-split'}>
        {items === null ? (
          !error && (
            <div className="exp-loading">
              <Spinner label="Loading scheduled exports" /> <span className="muted">Loading scheduled exports…</span>
            </div>
          )
        ) : empty ? (
          <EmptyState
            icon="clock"
            title="No scheduled exports"
            action={
              canCreate ? (
                <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'edit', schedule: null })}>
                  New schedule
                </button>
              ) : undefined
            }
          >
            <p>
              A schedule makes the same export every day, week or month — for example the week&rsquo;s access log for the registrar. Each run is an export request on the Requests tab, with its file and SHA-256.
            </p>
            <p className="empty__note">Content that needs a second person&rsquo;s approval is approved once for the schedule; any change needs approval again.</p>
          </EmptyState>
        ) : (
          <ItemTable rows={items} columns={selected ? NARROW : WIDE} getId={(s) => s.id} selectedId={selected?.id ?? null} onOpen={select} label="Scheduled exports" testId="schedules-grid" />
        )}
        {selected && (
          <DetailPane title={selected.name} badge={<StateBadge state={selected.active ? 'active' : 'paused'} tones={{ active: 'ok', paused: 'neutral' }} />} onClose={() => select(null)} testId="schedule-detail">
            {(selected.approval === 'pending' || mayManage) && (
              <div className="ferpa-actions sch-actions">
                {selected.approval === 'pending' && canApprove && !mine && (
                  <button type="button" className="btn btn--primary btn--sm" onClick={() => setDialog({ kind: 'approve' })}>
                    Approve…
                  </button>
                )}
                {selected.approval === 'pending' && (mine || !canApprove) && <span className="muted">Waiting for another approver.</span>}
                {mine && (
                  <button type="button" className="btn btn--sm" onClick={() => setDialog({ kind: 'edit', schedule: selected })}>
                    Edit…
                  </button>
                )}
                {mayManage && (
                  <button type="button" className="btn btn--sm" onClick={() => void setActive(selected, !selected.active)}>
                    {selected.active ? 'Pause' : 'Resume'}
                  </button>
                )}
                {mayManage && (
                  <button type="button" className="btn btn--sm btn--ghost" onClick={() => setDialog({ kind: 'delete' })}>
                    Delete…
                  </button>
                )}
              </div>
            )}
            <Section title="Schedule">
              <Facts
                rows={[
                  ['Runs', `${cadenceWords(selected)} (${selected.timeZone})`],
                  ['Next run', selected.nextRunAt && selected.active && selected.approval !== 'pending' ? `${formatDateTime(selected.nextRunAt)}${selected.missedNow > 0 ? ` — ${selected.missedNow} missed, caught up with one run` : ''}` : nextRun(selected)],
                  ['Approval', selected.approval === 'approved' ? `Approved by ${selected.approvedBy ?? '—'} on ${formatDateTime(selected.approvedAt ?? '')}` : APPROVAL_LABELS[selected.approval]],
                  ['Owner', selected.owner],
                ]}
              />
            </Section>
            <Section title="Each run">
              <Facts
                rows={[
                  ['Type', TYPE_LABELS[selected.type].label],
                  ['Format', FORMAT_LABELS[selected.format].label],
                  ['Scope', <ScopeChips key="scope" filters={selected.filters} caseId={selected.caseId} label="Scope of each run" />],
                  ['Contents', [selected.includeAuditTrail ? 'audit trail' : null, selected.includeEvidence ? 'evidence register' : null].filter(Boolean).join(' and ')],
                  ['Masking', <span key="m" className="mono">{selected.masking}</span>],
                  ['Recipient', selected.recipient],
                  ['Purpose', selected.purpose],
                ]}
              />
            </Section>
            <Section title="Run history">
              {runs === null ? (
                <Spinner label="Loading runs" />
              ) : runs.length === 0 ? (
                <p className="muted">No run yet.</p>
              ) : (
                <ul className="sch-runs" data-testid="schedule-runs">
                  {runs.map((r) => {
                    const res = runResult(r);
                    return (
                      <li key={r.id} className="sch-run">
                        <Badge tone={res.tone}>{res.label}</Badge>
                        <span className="sch-run__when" title={`For the run due ${formatDateTime(r.occurrence)}`}>
                          {formatDateTime(r.kind === 'skipped' ? r.occurrence : r.at)}
                          {r.kind === 'skipped' && <span className="muted"> (first missed)</span>}
                        </span>
                        {r.requestId && (
                          <a
                            href={`#/exports/${r.requestId}`}
                            className="mono"
                            onClick={(e) => {
                              e.preventDefault();
                              navigate(`exports/${r.requestId}`);
                            }}
                          >
                            {r.requestId}
                          </a>
                        )}
                        {r.sha256 && (
                          <span className="mono muted" title={r.sha256}>
                            {shortHash(r.sha256)}
                          </span>
                        )}
                        {r.error && <span className="sch-run__error">{r.error}</span>}
                      </li>
                    );
                  })}
                </ul>
              )}
            </Section>
          </DetailPane>
        )}
      </div>

      <ScheduleDialog
        open={dialog?.kind === 'edit'}
        editing={dialog?.kind === 'edit' ? dialog.schedule : null}
        timeZone={timeZone}
        onClose={() => setDialog(null)}
        onSaved={(s) => saved(s, !(dialog?.kind === 'edit' && dialog.schedule))}
      />
      {selected && (
        <ActionDialog
          open={dialog?.kind === 'approve'}
          title={`Approve ${selected.name}`}
          submitLabel="Approve schedule"
          onClose={() => setDialog(null)}
          run={async () => {
            const r = await client.call('schedules.approve', { id: selected.id, updatedAt: selected.updatedAt, note: '' });
            if (!r.ok) return r.error.message;
            notify('success', `${selected.name} approved; it runs ${cadenceWords(selected).toLowerCase()} from now on.`);
            void load();
            return null;
          }}
        >
          <p>
            Your approval covers every run of this schedule: {cadenceWords(selected).toLowerCase()}, a {FORMAT_LABELS[selected.format].label} export for {selected.recipient}, masking{' '}
            <span className="mono">{selected.masking}</span>. Any change to it needs approval again.
          </p>
        </ActionDialog>
      )}
      {selected && (
        <ActionDialog
          open={dialog?.kind === 'delete'}
          title={`Delete ${selected.name}`}
          submitLabel="Delete schedule"
          danger
          onClose={() => setDialog(null)}
          run={async () => {
            const r = await client.call('schedules.delete', { id: selected.id });
            if (!r.ok) return r.error.message;
            notify('success', `${selected.name} deleted. The exports it made stay on the Requests tab.`);
            select(null);
            void load();
            return null;
          }}
        >
          <p>No more runs will be made. The exports it already made, with their files and hashes, stay on the Requests tab and in the ledger.</p>
        </ActionDialog>
      )}
    </div>
  );
}
