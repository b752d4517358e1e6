import { useEffect, useState } from 'react';
import { COMPLIANCE_STATUSES, type ComplianceStatus, type RequirementState } from '../../../../shared/contract/compliance.js';
import { PRIORITIES, type Priority } from '../../../../shared/compliance-data.js';
import { Badge, DueBadge } from '../../components/badge.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf } from '../../components/list-toolbar.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { useMaySearch } from '../../lib/use-can.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { useRoutedItem } from '../../lib/use-routed-item.js';
import { useUserChoices } from '../../lib/use-users.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { AssessDialog, AssignDialog } from './compliance-dialogs.js';
import { PRIORITY_TONES, requirementKey, STATUS_LABELS } from './compliance-ui.js';
import './compliance.css';
import { FrameworkCards } from './framework-cards.js';
import { FrameworkPane } from './framework-pane.js';
import { RequirementPane } from './requirement-detail.js';
import { StatusBadge } from './status-badge.js';
import { ComplianceTabs } from '../workflows/compliance-tabs.js';
import { WorkflowsView } from '../workflows/workflows-view.js';
import { formatDate } from '../../lib/format.js';

const COLUMNS: Column<RequirementState>[] = [
  { key: 'framework', label: 'Framework', width: '84px', render: (r) => <span>{r.frameworkName}</span>, title: (r) => r.frameworkId },
  { key: 'id', label: 'Requirement', width: '140px', render: (r) => <span className="mono">{r.requirementId}</span>, title: (r) => r.requirementId },
  { key: 'title', label: 'Title', width: 'minmax(140px, 2fr)', render: (r) => <span>{r.title}</span>, title: (r) => r.title },
  { key: 'priority', label: 'Priority', width: '86px', render: (r) => <Badge tone={PRIORITY_TONES[r.priority]}>{r.priority}</Badge> },
  { key: 'status', label: 'Status', width: '152px', render: (r) => <StatusBadge status={r.status} /> },
  {
    key: 'next',
    label: 'Next assessment',
    width: '120px',
    render: (r) => (r.nextAssessmentAt ? <DueBadge dueAt={r.nextAssessmentAt} /> : <span className="muted">—</span>),
    title: (r) => (r.nextAssessmentAt ? `Next assessment ${formatDate(r.nextAssessmentAt)}` : 'Not scheduled'),
  },
  { key: 'owner', label: 'Owner', width: 'minmax(80px, 0.6fr)', render: (r) => (r.assignedTo ? <span>{r.assignedTo}</span> : <span className="muted">—</span>) },
];

/** The Compliance area: frameworks and requirements (`#/compliance`), or workflows (`#/compliance/workflows/<id>`). */
export function ComplianceView() {
  const sub = useAppStore((s) => s.route.split('/')[1]);
  return sub === 'workflows' ? <WorkflowsView /> : <RequirementsView />;
}

/** Compliance programs: the frameworks switched on here with their two numbers, and their requirements beside the open one. */
function RequirementsView() {
  const frameworks = useAppStore((s) => s.frameworkList.items);
  const frameworksError = useAppStore((s) => s.frameworkList.error);
  const items = useAppStore((s) => s.requirementList.items);
  const error = useAppStore((s) => s.requirementList.error);
  const query = useAppStore((s) => s.requirementList.query);
  const detail = useAppStore((s) => s.requirementList.detail);
  const { load: loadFrameworks } = useListActions('frameworkList');
  const { load, open } = useListActions('requirementList');
  const r = detail?.requirement;
  // `#/compliance/<framework id> <requirement id>` opens that requirement (links from the due list).
  const select = useRoutedItem('compliance', r ? requirementKey(r.frameworkId, r.requirementId) : null, open);
  const searchable = useMaySearch('requirements.list');
  const me = useAppStore((s) => s.user?.username);
  const users = useUserChoices();
  const [text, setText] = useState(query.search);
  const debounced = useDebounced(text, 250);
  const [dialog, setDialog] = useState<'assess' | 'assign' | null>(null);

  useEffect(() => {
    void loadFrameworks();
  }, [loadFrameworks]);
  useEffect(() => {
    void load({ search: debounced });
  }, [debounced, load]);

  const anyOn = frameworks?.some((f) => f.enabled) ?? false;
  const filtered = Boolean(query.search || query.frameworkId || query.status || query.priority || query.overdue || query.assignedTo);
  const onFrameworks = frameworks?.filter((f) => f.enabled) ?? [];
  // With one framework chosen and no requirement open, the pane shows the framework itself.
  const selectedFramework = query.frameworkId ? onFrameworks.find((f) => f.id === query.frameworkId) : undefined;
  // One framework shown needs no framework column; with a requirement open, its owner shows in the pane.
  const columns = COLUMNS.filter((c) => !(c.key === 'framework' && query.frameworkId) && !(c.key === 'owner' && (detail || selectedFramework)));
  return (
    <ListDetailPage
      title="Compliance"
      subtitle="The regulations and standards this workspace is held to: how much of each is assessed and compliant, what is overdue, and the evidence each assessment rests on."
      tabs={<ComplianceTabs current="requirements" />}
      toolbar={
        <>
          <FrameworkCards frameworks={frameworks} selectedId={query.frameworkId} onSelect={(id) => void load({ frameworkId: id })} />
          {searchable && <SearchFilter label="Search" value={text} placeholder="Id, title, text…" onChange={setText} />}
          <SelectFilter label="Framework" value={query.frameworkId} onChange={(v) => void load({ frameworkId: v })} any="All switched on">
            {onFrameworks.map((f) => (
              <option key={f.id} value={f.id}>
                {f.shortName}
              </option>
            ))}
          </SelectFilter>
          <SelectFilter label="Status" value={query.status} onChange={(v) => void load({ status: v as ComplianceStatus | '' })} any="Any status" options={COMPLIANCE_STATUSES} optionLabel={(s) => STATUS_LABELS[s]} />
          <SelectFilter label="Priority" value={query.priority} onChange={(v) => void load({ priority: v as Priority | '' })} any="Any priority" options={PRIORITIES} />
          <SelectFilter label="Owner" value={query.assignedTo} onChange={(v) => void load({ assignedTo: v })} any="Anyone">
            {me && <option value={me}>Me ({me})</option>}
            {Array.isArray(users) &&
              users
                .filter((u) => u.username !== me)
                .map((u) => (
                  <option key={u.username} value={u.username}>
                    {u.displayName}
                  </option>
                ))}
          </SelectFilter>
          <SelectFilter label="Overdue" value={query.overdue} onChange={(v) => void load({ overdue: v as '' | 'yes' | 'no' })} any="Either">
            <option value="yes">Overdue only</option>
            <option value="no">Not overdue</option>
          </SelectFilter>
          <ListCountOf list="requirementList" noun="requirement" />
        </>
      }
      error={error ?? frameworksError}
      empty={
        items && items.length === 0 ? (
          !anyOn && !query.frameworkId ? (
            <EmptyState icon="compliance" title="No framework switched on">
              Switch on a framework above to track its requirements: each gets a status, an owner and a next assessment date, and every assessment is ledgered.
            </EmptyState>
          ) : filtered ? (
            <EmptyState icon="compliance" title="No requirement matches these filters">
              Change or clear the filters to see more requirements.
            </EmptyState>
          ) : undefined
        ) : undefined
      }
      list={
        <ItemTable
          rows={items ?? []}
          columns={columns}
          getId={(x) => requirementKey(x.frameworkId, x.requirementId)}
          selectedId={r ? requirementKey(r.frameworkId, r.requirementId) : null}
          onOpen={select}
          label="Requirements"
          testId="requirements-grid"
        />
      }
      detail={
        detail ? (
          <RequirementPane detail={detail} onClose={() => select(null)} onAssess={() => setDialog('assess')} onAssign={() => setDialog('assign')} onOpen={select} />
        ) : (
          selectedFramework && <FrameworkPane f={selectedFramework} onClose={() => void load({ frameworkId: '' })} onStatus={(s) => void load({ status: s as ComplianceStatus })} />
        )
      }
    >
      {r && dialog === 'assess' && <AssessDialog requirement={r} open onClose={() => setDialog(null)} />}
      {r && dialog === 'assign' && <AssignDialog requirement={r} open onClose={() => setDialog(null)} />}
    </ListDetailPage>
  );
}
