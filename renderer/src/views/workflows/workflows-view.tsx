import { useCallback, useEffect, useState } from 'react';
import { WORKFLOW_STATES, type WorkflowState, type WorkflowSummary, type WorkflowTemplateInfo } from '../../../../shared/contract/workflows.js';
import { client } from '../../api/client.js';
import { DueBadge, StateBadge } from '../../components/badge.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf } from '../../components/list-toolbar.js';
import { HeaderButton } from '../../components/page-header.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { ComplianceTabs } from './compliance-tabs.js';
import { AssignDialog, CancelDialog, RecordStepDialog, ScheduleDialog, StartDialog } from './workflow-dialogs.js';
import { WorkflowPane } from './workflow-detail.js';
import { STATE_TONES } from './workflow-ui.js';
import './workflows.css';
import { formatDate, plural } from '../../lib/format.js';

const COLUMNS: Column<WorkflowSummary>[] = [
  { key: 'id', label: 'Id', width: '118px', render: (w) => <span className="mono">{w.id}</span>, title: (w) => w.id },
  { key: 'title', label: 'Title', width: 'minmax(160px, 2fr)', render: (w) => <span>{w.title}</span>, title: (w) => w.title },
  { key: 'template', label: 'Template', width: 'minmax(120px, 1fr)', render: (w) => <span className="muted">{w.templateTitle}</span>, title: (w) => w.templateTitle },
  {
    key: 'progress',
    label: 'Progress',
    width: '112px',
    render: (w) => (
      <span className="wf-progress" title={`${w.finished} of ${plural(w.steps, 'step')} recorded`}>
        <span className="wf-progress__bar" aria-hidden="true">
          <span style={{ width: `${Math.round((w.finished / Math.max(1, w.steps)) * 100)}%` }} />
        </span>
        <span className="num">
          {w.finished}/{w.steps}
        </span>
      </span>
    ),
  },
  {
    key: 'next',
    label: 'Next step due',
    width: '132px',
    render: (w) => (w.state === 'open' && w.nextDueAt ? <DueBadge dueAt={w.nextDueAt} /> : <span className="muted">—</span>),
    title: (w) => (w.nextDueAt ? `Next step due ${formatDate(w.nextDueAt)}; workflow due ${formatDate(w.dueAt)}` : `Due ${formatDate(w.dueAt)}`),
  },
  { key: 'owner', label: 'Owner', width: 'minmax(90px, 0.7fr)', render: (w) => <span>{w.owner}</span> },
  { key: 'state', label: 'State', width: '96px', render: (w) => <StateBadge state={w.state} tones={STATE_TONES} /> },
];

type Dialog = { kind: 'start' } | { kind: 'schedule' } | { kind: 'record'; stepId: string } | { kind: 'assign' } | { kind: 'cancel' } | null;

/** Workflows (`#/compliance/workflows/<id>`): the instances of the compliance checklists beside the open one and its steps. */
export function WorkflowsView() {
  const { items, error, query, detail, load, search, setSearch, searchable, select } = useListPage('workflowList', 'compliance/workflows');
  const me = useAppStore((s) => s.user?.username ?? '');
  const canStart = useCan('workflows.start');
  const canSchedule = useCan('workflows.schedule');
  const [templates, setTemplates] = useState<WorkflowTemplateInfo[] | null>(null);
  const [templatesError, setTemplatesError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const loadTemplates = useCallback(async () => {
    const r = await client.call('workflows.templates', {});
    if (r.ok) setTemplates(r.value.templates);
    else setTemplatesError(r.error.message);
  }, []);
  useEffect(() => {
    void loadTemplates();
  }, [loadTemplates]);

  const w = detail?.workflow;
  const step = dialog?.kind === 'record' ? detail?.steps.find((s) => s.id === dialog.stepId) : undefined;
  const filtered = Boolean(query.search || query.templateId || query.owner || query.overdue || query.state !== 'open');
  const scheduled = templates?.filter((t) => t.scheduled).length ?? 0;
  const columns = COLUMNS.filter((c) => !(detail && (c.key === 'template' || c.key === 'owner')));
  return (
    <ListDetailPage
      title="Compliance"
      subtitle="Checklists that do the compliance work — quarterly audits, monthly tasks, the year-end retention review, data-subject requests, access reviews — with who did each step, when, and what they found."
      tabs={<ComplianceTabs current="workflows" />}
      actions={
        <>
          {canSchedule && templates && (
            <HeaderButton icon="clock" onClick={() => setDialog({ kind: 'schedule' })}>
              Recurring ({scheduled})…
            </HeaderButton>
          )}
          {canStart && templates && (
            <HeaderButton icon="plus" primary onClick={() => setDialog({ kind: 'start' })}>
              Start workflow…
            </HeaderButton>
          )}
        </>
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, title…" onChange={setSearch} />}
          <SelectFilter label="State" value={query.state} onChange={(v) => void load({ state: v as WorkflowState | '' })} any="Any state" options={WORKFLOW_STATES} />
          <SelectFilter label="Template" value={query.templateId} onChange={(v) => void load({ templateId: v })} any="All templates">
            {(templates ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </SelectFilter>
          {me && (
            <SelectFilter label="Owner" value={query.owner} onChange={(v) => void load({ owner: v })} any="Anyone">
              <option value={me}>Me ({me})</option>
            </SelectFilter>
          )}
          <SelectFilter label="Overdue" value={query.overdue} onChange={(v) => void load({ overdue: v as '' | 'yes' | 'no' })} any="Either">
            <option value="yes">Overdue only</option>
            <option value="no">Not overdue</option>
          </SelectFilter>
          <ListCountOf list="workflowList" noun="workflow" />
        </>
      }
      error={error ?? templatesError}
      empty={
        items && items.length === 0 ? (
          filtered ? (
            <EmptyState icon="compliance" title="No workflow matches these filters">
              Change or clear the filters to see more workflows{query.state === 'open' ? ', or choose “Any state” to see completed and cancelled ones' : ''}.
            </EmptyState>
          ) : (
            <EmptyState
              icon="compliance"
              title="No open workflow"
              action={
                canStart && templates ? (
                  <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'start' })}>
                    Start a workflow
                  </button>
                ) : undefined
              }
            >
              A workflow is a checklist of compliance work with an owner and a due date: each step is recorded with its data, by whom and when, and overdue steps show on Deadlines. Choose “Any state” to see completed and cancelled ones.
            </EmptyState>
          )
        ) : undefined
      }
      list={<ItemTable rows={items ?? []} columns={columns} getId={(x) => x.id} selectedId={w?.id ?? null} onOpen={select} label="Workflows" testId="workflows-grid" />}
      detail={
        detail && (
          <WorkflowPane
            detail={detail}
            onClose={() => select(null)}
            onRecord={(stepId) => setDialog({ kind: 'record', stepId })}
            onAssign={() => setDialog({ kind: 'assign' })}
            onCancel={() => setDialog({ kind: 'cancel' })}
          />
        )
      }
    >
      {templates && dialog?.kind === 'start' && <StartDialog templates={templates} open onClose={() => setDialog(null)} onStarted={(id) => select(id)} />}
      {templates && dialog?.kind === 'schedule' && <ScheduleDialog templates={templates} open onClose={() => setDialog(null)} onChanged={() => void loadTemplates()} />}
      {w && step && <RecordStepDialog workflow={w} step={step} open onClose={() => setDialog(null)} />}
      {w && dialog?.kind === 'assign' && <AssignDialog workflow={w} open onClose={() => setDialog(null)} />}
      {w && dialog?.kind === 'cancel' && <CancelDialog workflow={w} open onClose={() => setDialog(null)} />}
    </ListDetailPage>
  );
}
