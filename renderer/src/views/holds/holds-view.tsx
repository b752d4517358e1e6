import { useState } from 'react';
import { HOLD_STATUSES, type Custodian, type Hold } from '../../../../shared/contract/holds.js';
import { DueBadge, StateBadge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf } from '../../components/list-toolbar.js';
import { NextStep } from '../../components/next-step.js';
import { HeaderButton } from '../../components/page-header.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { HOLD_TONES, NOTICE_TONES } from '../cases/casework-ui.js';
import { AcknowledgeDialog, ActivateDialog, AddCustodianDialog, CreateHoldDialog, ReleaseDialog } from './hold-dialogs.js';

const COLUMNS: Column<Hold>[] = [
  { key: 'id', label: 'Hold', width: '140px', render: (h) => <span className="mono">{h.id}</span> },
  { key: 'title', label: 'Title', width: 'minmax(200px, 2fr)', render: (h) => <span>{h.title}</span>, title: (h) => h.title },
  { key: 'case', label: 'Case', width: '140px', render: (h) => <span className="mono">{h.caseId}</span>, title: (h) => h.caseTitle },
  { key: 'status', label: 'Status', width: '96px', render: (h) => <StateBadge state={h.status} tones={HOLD_TONES} /> },
  {
    key: 'acks',
    label: 'Acknowledged',
    width: '120px',
    render: (h) => {
      const c = h.custodianCounts;
      const all = c.pending + c.sent + c.acknowledged + c.escalated;
      return <span>{all === 0 ? '—' : `${c.acknowledged} of ${all}${c.escalated ? ` · ${c.escalated} escalated` : ''}`}</span>;
    },
  },
  { key: 'updated', label: 'Updated', width: '120px', render: (h) => <span>{formatRelative(h.updatedAt)}</span>, title: (h) => formatDateTime(h.updatedAt) },
];

type Dialog = 'create' | 'activate' | 'release' | 'custodian' | null;

/** Legal holds: the list beside the open hold with its scope, custodians and notices, what it protects and its history. */
export function HoldsView() {
  const { items, error, query, detail, load, search, setSearch, searchable, select } = useListPage('holdList', 'holds');
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const navigate = useAppStore((s) => s.navigate);
  const canCreate = useCan('holds.create');
  const canAck = useCan('holds.acknowledge');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [acking, setAcking] = useState<Custodian | null>(null);

  async function run(channel: 'holds.issueNotices' | 'holds.sendReminders' | 'holds.escalate', what: string) {
    if (!h) return;
    const r = await mutate(channel, { id: h.id });
    if (!r.ok) return notify('error', r.error.message);
    const n = r.value.notices.length;
    notify(n > 0 ? 'success' : 'info', n > 0 ? `${n} ${what}${n === 1 ? '' : 's'} issued; deliver ${n === 1 ? 'it' : 'them'} from the Notices section.` : `No ${what}s are due right now.`);
  }

  const h = detail?.hold;
  const custodians = detail?.custodians ?? [];
  const dueReminders = custodians.filter((c) => c.reminderDueAt && new Date(c.reminderDueAt).getTime() <= Date.now()).length;
  const dueEscalations = custodians.filter((c) => c.escalationDueAt && new Date(c.escalationDueAt).getTime() <= Date.now()).length;
  return (
    <ListDetailPage
      title="Holds"
      subtitle="Legal holds keep evidence and records from being disposed of, purged, erased or overwritten, with notices to custodians and their acknowledgements."
      actions={
        canCreate && (
          <HeaderButton icon="plus" primary onClick={() => setDialog('create')}>
            New hold
          </HeaderButton>
        )
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, title, case…" onChange={setSearch} />}
          <SelectFilter label="Status" value={query.status} onChange={(v) => void load({ status: v as Hold['status'] | '' })} any="Any status" options={HOLD_STATUSES} />
          <ListCountOf list="holdList" noun="hold" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !query.search &&
        !query.status && (
          <EmptyState
            icon="holds"
            title="No legal holds yet"
            action={
              canCreate ? (
                <button type="button" className="btn btn--primary" onClick={() => setDialog('create')}>
                  Create a legal hold
                </button>
              ) : undefined
            }
          >
            Create a hold from a case when litigation or an investigation is anticipated. While it is active, nothing it covers can be destroyed, and Custos tracks the notices to custodians.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={h?.id ?? null} onOpen={select} label="Legal holds" testId="holds-grid" />}
      detail={
        h &&
        detail && (
          <DetailPane title={h.id} badge={<StateBadge state={h.status} tones={HOLD_TONES} />} onClose={() => select(null)} testId="hold-detail">
            <p className="detail__lead">{h.title}</p>
            {h.status !== 'released' && (
              <NextStep
                actions={[
                  h.status === 'draft' && { channel: 'holds.activate', label: 'Activate…', primary: true, onClick: () => setDialog('activate') },
                  h.status === 'active' &&
                    h.custodianCounts.pending > 0 && {
                      channel: 'holds.issueNotices',
                      label: `Issue notices (${h.custodianCounts.pending})`,
                      primary: true,
                      onClick: () => void run('holds.issueNotices', 'hold notice'),
                    },
                  h.status === 'active' && {
                    channel: 'holds.sendReminders',
                    label: `Send due reminders${dueReminders ? ` (${dueReminders})` : ''}`,
                    onClick: () => void run('holds.sendReminders', 'reminder'),
                  },
                  h.status === 'active' && {
                    channel: 'holds.escalate',
                    label: `Escalate overdue${dueEscalations ? ` (${dueEscalations})` : ''}`,
                    onClick: () => void run('holds.escalate', 'escalation'),
                  },
                  { channel: 'holds.addCustodian', label: 'Add custodian', onClick: () => setDialog('custodian') },
                  h.status === 'active' && { channel: 'holds.release', label: 'Release…', danger: true, onClick: () => setDialog('release') },
                ]}
              />
            )}
            <Section title="Hold">
              <Facts
                rows={[
                  [
                    'Case',
                    <button key="c" type="button" className="casework-link mono" onClick={() => navigate(`cases/${h.caseId}`)}>
                      {h.caseId}
                    </button>,
                  ],
                  ['Created', `${formatDateTime(h.createdAt)} by ${h.createdBy}`],
                  ['Activated', h.activatedAt ? `${formatDateTime(h.activatedAt)} by ${h.activatedBy ?? ''}` : null],
                  ['Released', h.releasedAt ? `${formatDateTime(h.releasedAt)} by ${h.releasedBy ?? ''}` : null],
                  ['Release reason', h.releaseReason],
                  ['Protects', `${detail.heldCounts.evidence} evidence item${detail.heldCounts.evidence === 1 ? '' : 's'}, ${detail.heldCounts.records} record${detail.heldCounts.records === 1 ? '' : 's'}${h.status === 'draft' ? ' (once active)' : ''}`],
                ]}
              />
              {h.description && <p className="ferpa-quote">{h.description}</p>}
            </Section>
            <Section title="Scope">
              <Facts
                rows={[
                  ['Linked to the case', 'always held'],
                  ['Subjects', h.scope.subjectIds.join(', ')],
                  ['Categories', h.scope.categories.join(', ')],
                  ['Keywords', h.scope.keywords.map((k) => `"${k}"`).join(', ')],
                  ['Dates', h.scope.dateFrom || h.scope.dateTo ? `${h.scope.dateFrom ?? '…'} to ${h.scope.dateTo ?? '…'}` : null],
                ]}
              />
            </Section>
            <Section title={`Custodians (${custodians.length})`}>
              {custodians.length === 0 ? (
                <p className="muted">No custodians. Add the people who hold relevant material.</p>
              ) : (
                <div className="casework-table" tabIndex={0} role="region" aria-label={`Custodians of ${h.id}`}>
                  <table className="table">
                    <caption className="visually-hidden">Custodians and their notice state</caption>
                    <thead>
                      <tr>
                        <th scope="col">Custodian</th>
                        <th scope="col">Notice</th>
                        <th scope="col">Next</th>
                      </tr>
                    </thead>
                    <tbody>
                      {custodians.map((c) => (
                        <tr key={c.id} className={c.noticeStatus === 'escalated' ? 'is-bad' : undefined}>
                          <td>
                            <div>{c.name}</div>
                            {c.email && <div className="muted">{c.email}</div>}
                          </td>
                          <td>
                            <StateBadge state={c.noticeStatus} tones={NOTICE_TONES} />
                            {c.acknowledgedAt && <div className="muted">{formatDateTime(c.acknowledgedAt)}</div>}
                            {canAck && h.status === 'active' && (c.noticeStatus === 'sent' || c.noticeStatus === 'escalated') && (
                              <div>
                                <button type="button" className="btn btn--ghost btn--sm" onClick={() => setAcking(c)} aria-label={`Record ack from ${c.name}`}>
                                  Record ack
                                </button>
                              </div>
                            )}
                          </td>
                          <td>
                            {c.escalationDueAt ? (
                              <span>
                                escalate <DueBadge dueAt={c.escalationDueAt} />
                              </span>
                            ) : c.reminderDueAt ? (
                              <span>
                                remind <DueBadge dueAt={c.reminderDueAt} />
                              </span>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
            <Section title={`Notices (${detail.notices.length})`}>
              {detail.notices.length === 0 ? (
                <p className="muted">No notices issued yet.</p>
              ) : (
                <div className="casework-stack">
                  {[...detail.notices].reverse().map((n) => (
                    <details key={n.id} className="casework-notice">
                      <summary>
                        <StateBadge state={n.kind} tones={{ hold: 'accent', reminder: 'neutral', escalation: 'danger', release: 'ok' }} />
                        <span>{n.custodianName}</span>
                        <span className="muted">{formatDateTime(n.issuedAt)}</span>
                      </summary>
                      <pre>{n.body}</pre>
                      <div className="ferpa-actions">
                        <CopyButton text={n.body} label={`Copy the ${n.kind} notice to ${n.custodianName}`} />
                      </div>
                    </details>
                  ))}
                </div>
              )}
            </Section>
            {detail.items && (
              <Section title={h.status === 'draft' ? 'Would protect' : h.status === 'active' ? 'Protects' : 'Protected'}>
                {detail.items.evidence.length + detail.items.records.length === 0 ? (
                  <p className="muted">Nothing yet: link items to the case or widen the scope.</p>
                ) : (
                  <ul className="ferpa-list">
                    {detail.items.evidence.map((e) => (
                      <li key={e.id}>
                        <button type="button" className="casework-link mono" onClick={() => navigate(`evidence/${e.id}`)}>
                          {e.id}
                        </button>
                        <span>{e.title}</span>
                        <span className="muted">{e.reason}</span>
                      </li>
                    ))}
                    {detail.items.records.map((r) => (
                      <li key={r.id}>
                        <span className="mono">{r.id}</span>
                        <span>{r.title || r.category}</span>
                        <span className="muted">{r.reason}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            )}
            <ItemTimeline resourceType="hold" resourceId={h.id} version={h.updatedAt} />
          </DetailPane>
        )
      }
    >
      <CreateHoldDialog open={dialog === 'create'} caseId="" onClose={() => setDialog(null)} onCreated={(id) => select(id)} />
      {h && detail && (
        <>
          <ActivateDialog open={dialog === 'activate'} hold={h} counts={detail.heldCounts} onClose={() => setDialog(null)} />
          <ReleaseDialog open={dialog === 'release'} hold={h} onClose={() => setDialog(null)} />
          <AddCustodianDialog open={dialog === 'custodian'} holdId={h.id} onClose={() => setDialog(null)} />
          <AcknowledgeDialog custodian={acking} holdId={h.id} onClose={() => setAcking(null)} />
        </>
      )}
    </ListDetailPage>
  );
}
