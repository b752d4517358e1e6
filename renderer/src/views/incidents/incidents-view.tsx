import { useState } from 'react';
import {
  INCIDENT_CLASSIFICATION_LABELS,
  INCIDENT_STATUSES,
  NOTIFICATION_RECIPIENT_LABELS,
  type Incident,
  type IncidentTask,
} from '../../../../shared/contract/incidents.js';
import { Badge, StateBadge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCount } from '../../components/list-toolbar.js';
import { NextStep } from '../../components/next-step.js';
import { HeaderButton } from '../../components/page-header.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { useDownload } from '../exports/use-download.js';
import { ActionEntryDialog, CompleteTaskDialog, CounselReviewDialog, CreateIncidentDialog, LinkDialog, NotificationDialog, StatusDialog } from './incident-dialogs.js';

const STATUS_TONES = { open: 'danger', contained: 'warn', closed: 'neutral' } as const;
const SEVERITY_TONES = { critical: 'danger', high: 'danger', medium: 'warn', low: 'neutral' } as const;
const LINK_ROUTES = { case: 'cases', evidence: 'evidence', hold: 'holds' } as const;
const HOUR = 3_600_000;

/** "5 hours overdue", "due in 3 hours", "due in 2 days": the breach clock counts hours. */
function dueText(dueAt: string, now = Date.now()): string {
  const ms = new Date(dueAt).getTime() - now;
  const hours = Math.abs(ms) / HOUR;
  const n = hours < 48 ? Math.max(1, Math.round(hours)) : Math.round(hours / 24);
  const span = `${n} ${hours < 48 ? 'hour' : 'day'}${n === 1 ? '' : 's'}`;
  return ms < 0 ? `${span} overdue` : `due in ${span}`;
}

function ClockBadge({ i }: { i: Incident }) {
  if (i.clock.tasks === 0) return <span className="muted">—</span>;
  return (
    <span>
      {i.clock.done}/{i.clock.tasks}
      {i.clock.overdue > 0 && (
        <>
          {' '}
          <Badge tone="danger">{i.clock.overdue} overdue</Badge>
        </>
      )}
    </span>
  );
}

function TaskState({ t }: { t: IncidentTask }) {
  if (t.state === 'not_applicable') return <Badge>not applicable</Badge>;
  if (t.state === 'done') return <Badge tone={t.late ? 'warn' : 'ok'}>{t.late ? 'done late' : 'done'}</Badge>;
  return <Badge tone={t.overdue ? 'danger' : 'accent'}>{t.overdue ? 'overdue' : 'open'}</Badge>;
}

const COLUMNS: Column<Incident>[] = [
  { key: 'id', label: 'Incident', width: '120px', render: (i) => <span className="mono">{i.id}</span> },
  { key: 'title', label: 'Title', width: 'minmax(160px, 2fr)', render: (i) => <span>{i.title}</span>, title: (i) => i.title },
  { key: 'class', label: 'Classification', width: '120px', render: (i) => <span>{INCIDENT_CLASSIFICATION_LABELS[i.classification]}</span> },
  { key: 'severity', label: 'Severity', width: '90px', render: (i) => <StateBadge state={i.severity} tones={SEVERITY_TONES} /> },
  { key: 'status', label: 'Status', width: '90px', render: (i) => <StateBadge state={i.status} tones={STATUS_TONES} /> },
  { key: 'clock', label: 'Clock done', width: '140px', render: (i) => <ClockBadge i={i} /> },
  { key: 'discovered', label: 'Discovered', width: '150px', render: (i) => <span>{formatDateTime(i.discoveredAt)}</span> },
];

type Dialog = 'create' | 'notify' | 'action' | 'link' | 'review' | null;

/** Security incidents: the list beside the open incident with its breach clock, notifications, actions, links and report. */
export function IncidentsView() {
  const { items, total, error, query, detail, load, search, setSearch, searchable, select } = useListPage('incidentList', 'incidents');
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const navigate = useAppStore((s) => s.navigate);
  const canCreate = useCan('incidents.create');
  const canComplete = useCan('incidents.completeTask');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [completing, setCompleting] = useState<IncidentTask | null>(null);
  const [moving, setMoving] = useState<'contained' | 'closed' | null>(null);
  const { download, busy } = useDownload();

  async function report() {
    if (!i) return;
    const r = await mutate('incidents.report', { id: i.id });
    if (!r.ok) return notify('error', r.error.message);
    await download(r.value.fileName, r.value.sha256);
  }

  const i = detail?.incident;
  const tasks = detail?.tasks ?? [];
  return (
    <ListDetailPage
      title="Incidents"
      subtitle="Security incidents and the data-breach clock of the incident response plan: what is due within 1, 24 and 72 hours of discovery, who was notified, and the incident report."
      actions={
        canCreate && (
          <HeaderButton icon="plus" primary onClick={() => setDialog('create')}>
            New incident
          </HeaderButton>
        )
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, title, system…" onChange={setSearch} />}
          <SelectFilter label="Status" value={query.state} onChange={(v) => void load({ state: v })} any="Any status" options={INCIDENT_STATUSES} />
          <ListCount shown={items?.length} total={total} onMore={() => void load({}, true)}>
            {total === null ? 'Loading…' : `${formatCount(total)} incident${total === 1 ? '' : 's'}`}
          </ListCount>
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !query.search &&
        !query.state && (
          <EmptyState
            icon="alert"
            title="No security incidents"
            action={
              canCreate ? (
                <button type="button" className="btn btn--primary" onClick={() => setDialog('create')}>
                  Record an incident
                </button>
              ) : undefined
            }
          >
            Record an incident when one is discovered. A data breach starts the 72-hour clock: isolate and preserve within an hour, scope within a day, notify within three.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={i?.id ?? null} onOpen={select} label="Security incidents" testId="incidents-grid" />}
      detail={
        i &&
        detail && (
          <DetailPane title={i.id} badge={<StateBadge state={i.status} tones={STATUS_TONES} />} onClose={() => select(null)} testId="incident-detail">
            <p className="detail__lead">{i.title}</p>
            <NextStep
              actions={[
                { channel: 'incidents.report', label: busy ? 'Preparing report…' : 'Download report', primary: true, disabled: busy, onClick: () => void report() },
                i.status !== 'closed' && { channel: 'incidents.recordNotification', label: 'Record notification…', onClick: () => setDialog('notify') },
                i.status !== 'closed' && { channel: 'incidents.addAction', label: 'Add response action…', onClick: () => setDialog('action') },
                i.status !== 'closed' && { channel: 'incidents.link', label: 'Link…', onClick: () => setDialog('link') },
                { channel: 'incidents.counselReview', label: i.counselReviewedAt ? 'Review again…' : 'Record counsel review…', onClick: () => setDialog('review') },
                i.status === 'open' && { channel: 'incidents.update', label: 'Mark contained…', onClick: () => setMoving('contained') },
                i.status !== 'closed' && { channel: 'incidents.update', label: 'Close…', danger: true, onClick: () => setMoving('closed') },
              ]}
            />
            {tasks.length > 0 && (
              <Section title={`Breach clock (${i.clock.done} of ${i.clock.tasks} done${i.clock.overdue ? `, ${i.clock.overdue} overdue` : ''})`}>
                <div className="casework-table" tabIndex={0} role="region" aria-label={`Breach clock of ${i.id}`}>
                  <table className="table" data-testid="incident-clock">
                    <caption className="visually-hidden">Tasks due 1, 24 and 72 hours after discovery</caption>
                    <thead>
                      <tr>
                        <th scope="col">Task</th>
                        <th scope="col">Due</th>
                        <th scope="col">State</th>
                      </tr>
                    </thead>
                    <tbody>
                      {tasks.map((t) => (
                        <tr key={t.key} className={t.overdue ? 'is-bad' : undefined} data-task={t.key}>
                          <td>
                            <div>{t.title}</div>
                            <div className="muted">{t.phase}</div>
                            {t.note && <div className="muted">{t.note}</div>}
                          </td>
                          <td title={formatDateTime(t.dueAt)}>
                            <div>{formatDateTime(t.dueAt)}</div>
                            {t.state === 'open' && <div className={t.overdue ? '' : 'muted'}>{dueText(t.dueAt)}</div>}
                          </td>
                          <td>
                            <TaskState t={t} />
                            {t.doneAt && <div className="muted">{`${formatDateTime(t.doneAt)} · ${t.doneBy ?? ''}`}</div>}
                            {canComplete && t.state === 'open' && i.status !== 'closed' && (
                              <div>
                                <button type="button" className="btn btn--ghost btn--sm" onClick={() => setCompleting(t)} aria-label={`Complete: ${t.title}`}>
                                  Complete…
                                </button>
                              </div>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Section>
            )}
            <Section title="Incident">
              <Facts
                rows={[
                  ['Classification', INCIDENT_CLASSIFICATION_LABELS[i.classification]],
                  ['Severity', <StateBadge key="s" state={i.severity} tones={SEVERITY_TONES} />],
                  ['Discovered', formatDateTime(i.discoveredAt)],
                  ['Systems affected', i.systemsAffected.join(', ') || null],
                  ['SSNs exposed', i.ssnExposed ? 'yes' : 'no'],
                  ['Recorded', `${formatDateTime(i.createdAt)} by ${i.createdBy}`],
                  ['Counsel review', i.counselReviewedAt ? `${formatDateTime(i.counselReviewedAt)} by ${i.counselReviewedBy ?? ''}` : 'not yet reviewed'],
                  ['Closed', i.closedAt ? formatDateTime(i.closedAt) : null],
                ]}
              />
              {i.description && <p className="ferpa-quote">{i.description}</p>}
              {detail.counselReviewNote && <p className="ferpa-quote">{detail.counselReviewNote}</p>}
            </Section>
            <Section title={`Notifications (${detail.notifications.length})`}>
              {detail.notifications.length === 0 ? (
                <p className="muted">Nobody has been recorded as notified yet.</p>
              ) : (
                <ul className="ferpa-list">
                  {detail.notifications.map((n) => (
                    <li key={n.id}>
                      <span>{`${NOTIFICATION_RECIPIENT_LABELS[n.recipientType]}: ${n.recipient}`}</span>
                      <span className="muted">{`${n.method.replace('_', ' ')} · ${formatDateTime(n.notifiedAt)} · recorded by ${n.recordedBy}`}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={`Response actions (${detail.actions.length})`}>
              {detail.actions.length === 0 ? (
                <p className="muted">No response actions recorded.</p>
              ) : (
                <ul className="ferpa-list">
                  {detail.actions.map((a) => (
                    <li key={a.id}>
                      <span>{a.text}</span>
                      <span className="muted">{`${formatDateTime(a.at)} · ${a.by}`}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={`Linked (${detail.links.length})`}>
              {detail.links.length === 0 ? (
                <p className="muted">Not linked to any case, evidence item or hold.</p>
              ) : (
                <ul className="ferpa-list">
                  {detail.links.map((l) => (
                    <li key={`${l.itemType}:${l.itemId}`}>
                      <button type="button" className="casework-link mono" onClick={() => navigate(`${LINK_ROUTES[l.itemType]}/${l.itemId}`)}>
                        {l.itemId}
                      </button>
                      <span>{l.title}</span>
                      <span className="muted">{l.itemType}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <ItemTimeline resourceType="incident" resourceId={i.id} version={i.updatedAt} />
          </DetailPane>
        )
      }
    >
      <CreateIncidentDialog open={dialog === 'create'} onClose={() => setDialog(null)} onCreated={(id) => select(id)} />
      {i && (
        <>
          <CompleteTaskDialog incidentId={i.id} task={completing} onClose={() => setCompleting(null)} />
          <NotificationDialog open={dialog === 'notify'} incidentId={i.id} onClose={() => setDialog(null)} />
          <ActionEntryDialog open={dialog === 'action'} incidentId={i.id} onClose={() => setDialog(null)} />
          <LinkDialog open={dialog === 'link'} incidentId={i.id} onClose={() => setDialog(null)} />
          <CounselReviewDialog open={dialog === 'review'} incidentId={i.id} onClose={() => setDialog(null)} />
          <StatusDialog incident={i} to={moving} onClose={() => setMoving(null)} />
        </>
      )}
    </ListDetailPage>
  );
}
