import { useState } from 'react';
import { PRIVACY_REGIME_LABELS, PRIVACY_REQUEST_STATES, PRIVACY_RIGHT_LABELS, type PrivacyRequest } from '../../../../shared/contract/privacy.js';
import { Badge, DueBadge, StateBadge } from '../../components/badge.js';
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
import { formatCount, formatDate, formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { useDownload } from '../exports/use-download.js';
import { CreatePrivacyRequestDialog, ResolveDialog } from './privacy-dialogs.js';

const STATE_TONES = { open: 'accent', extended: 'warn', completed: 'ok', rejected: 'neutral' } as const;

function Due({ r }: { r: PrivacyRequest }) {
  if (r.state === 'completed' || r.state === 'rejected') {
    return r.late ? <Badge tone="warn">late</Badge> : <span className="muted">in time</span>;
  }
  return <DueBadge dueAt={r.dueAt} />;
}

const rightText = (r: PrivacyRequest) => `${PRIVACY_REGIME_LABELS[r.regime]} · ${PRIVACY_RIGHT_LABELS[r.right]}`;

const COLUMNS: Column<PrivacyRequest>[] = [
  { key: 'id', label: 'Request', width: '120px', render: (r) => <span className="mono">{r.id}</span> },
  { key: 'subject', label: 'Subject', width: 'minmax(110px, 1fr)', render: (r) => <span>{r.subjectName}</span>, title: (r) => r.subjectName },
  { key: 'right', label: 'Right', width: 'minmax(120px, 1fr)', render: (r) => <span>{rightText(r)}</span>, title: rightText },
  { key: 'state', label: 'State', width: '96px', render: (r) => <StateBadge state={r.state} tones={STATE_TONES} /> },
  { key: 'due', label: 'Due', width: '132px', render: (r) => <Due r={r} /> },
  { key: 'received', label: 'Received', width: '100px', render: (r) => <span>{formatDate(r.receivedAt)}</span>, title: (r) => formatDateTime(r.receivedAt) },
];

type Action = 'extend' | 'complete' | 'reject' | null;

/** Privacy-rights requests (GDPR, CCPA/CPRA): the list beside the open request with its deadline, outcome and erasure. */
export function PrivacyRequestsView() {
  const { items, total, error, query, detail, load, search, setSearch, searchable, select } = useListPage('privacyRequestList', 'requests');
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const canCreate = useCan('privacyRequests.create');
  const [creating, setCreating] = useState(false);
  const [action, setAction] = useState<Action>(null);
  const { download, busy } = useDownload();

  const r = detail?.request;
  const pending = r?.state === 'open' || r?.state === 'extended';

  async function audit() {
    if (!r) return;
    const res = await mutate('privacyRequests.subjectAudit', { subjectId: r.subjectId });
    if (!res.ok) return notify('error', res.error.message);
    await download(res.value.fileName, res.value.sha256);
  }

  const kept = detail?.items.filter((i) => i.result === 'kept') ?? [];
  const erased = detail?.items.filter((i) => i.result === 'erased') ?? [];
  return (
    <ListDetailPage
      title="Requests"
      subtitle="Privacy-rights requests under GDPR (access, rectification, erasure, portability, objection) and CCPA/CPRA (know, delete, correct, opt out), each with its legal deadline."
      actions={
        canCreate && (
          <HeaderButton icon="plus" primary onClick={() => setCreating(true)}>
            New request
          </HeaderButton>
        )
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, subject, requester…" onChange={setSearch} />}
          <SelectFilter label="State" value={query.state} onChange={(v) => void load({ state: v })} any="Any state" options={PRIVACY_REQUEST_STATES} />
          <ListCount shown={items?.length} total={total} onMore={() => void load({}, true)}>
            {total === null ? 'Loading…' : `${formatCount(total)} request${total === 1 ? '' : 's'}`}
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
            icon="user"
            title="No privacy-rights requests"
            action={
              canCreate ? (
                <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
                  Log a request
                </button>
              ) : undefined
            }
          >
            Log a request the day it arrives: GDPR requests are due within one month, CCPA requests within 45 days.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={r?.id ?? null} onOpen={select} label="Privacy-rights requests" testId="privacy-requests-grid" />}
      detail={
        r &&
        detail && (
          <DetailPane title={r.id} badge={<StateBadge state={r.state} tones={STATE_TONES} />} onClose={() => select(null)} testId="privacy-request-detail">
            <p className="detail__lead">{`${rightText(r)} — ${r.subjectName}`}</p>
            <NextStep
              actions={[
                pending && { channel: 'privacyRequests.complete', label: detail.erases ? 'Erase and complete…' : 'Complete…', primary: true, onClick: () => setAction('complete') },
                detail.canExtend && { channel: 'privacyRequests.extend', label: 'Extend deadline…', onClick: () => setAction('extend') },
                pending && { channel: 'privacyRequests.reject', label: 'Reject…', danger: true, onClick: () => setAction('reject') },
                { channel: 'privacyRequests.subjectAudit', label: busy ? 'Preparing audit…' : 'Subject-rights audit (PDF)', disabled: busy, onClick: () => void audit() },
              ]}
            />
            {r.outcome && (
              <Section title={r.state === 'rejected' ? 'Reason for refusal' : 'Outcome'}>
                <p className="ferpa-quote">{r.outcome}</p>
              </Section>
            )}
            {detail.erases && r.state === 'completed' && (
              <Section title={`Erasure: ${erased.length} erased, ${kept.length} kept`}>
                {detail.items.length === 0 ? (
                  <p className="muted">The subject had no records to erase.</p>
                ) : (
                  <div className="casework-table" tabIndex={0} role="region" aria-label={`What the erasure of ${r.id} erased and kept`}>
                    <table className="table" data-testid="privacy-erasure">
                      <caption className="visually-hidden">Each record of the subject and what the erasure did to it</caption>
                      <thead>
                        <tr>
                          <th scope="col">Record</th>
                          <th scope="col">Category</th>
                          <th scope="col">Result and reason</th>
                        </tr>
                      </thead>
                      <tbody>
                        {detail.items.map((i) => (
                          <tr key={i.recordId} data-result={i.result}>
                            <td>
                              <div className="mono">{i.recordId}</div>
                              {i.title && <div className="muted">{i.title}</div>}
                            </td>
                            <td>{i.categoryLabel}</td>
                            <td>
                              <Badge tone={i.result === 'erased' ? 'ok' : i.keptBecause === 'hold' ? 'danger' : 'neutral'}>
                                {i.result === 'erased' ? 'erased' : i.keptBecause === 'hold' ? 'kept: legal hold' : 'kept by law'}
                              </Badge>
                              {i.result === 'kept' && <div className="muted">{i.reason}</div>}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </Section>
            )}
            <Section title="Deadline">
              <Facts
                rows={[
                  ['Received', formatDateTime(r.receivedAt)],
                  ['Due', <span key="due">{`${formatDate(r.dueAt)} `}<Due r={r} /></span>],
                  ['First deadline', r.extendedAt ? formatDate(r.originalDueAt) : null],
                  ['Extended', r.extendedAt ? `${formatDateTime(r.extendedAt)} by ${r.extendedBy ?? ''}` : null],
                  ['Resolved', r.resolvedAt ? `${formatDateTime(r.resolvedAt)} by ${r.resolvedBy ?? ''}` : null],
                ]}
              />
              {r.extensionReason && <p className="ferpa-quote">{r.extensionReason}</p>}
            </Section>
            <Section title="Request">
              <Facts
                rows={[
                  ['Law', PRIVACY_REGIME_LABELS[r.regime]],
                  ['Right', PRIVACY_RIGHT_LABELS[r.right]],
                  ['Subject', `${r.subjectName} (${r.subjectId})`],
                  ['Requester', r.requester],
                  ['Logged by', r.createdBy],
                  ['Case', r.caseId],
                ]}
              />
              <p className="ferpa-quote">{r.description}</p>
            </Section>
            <ItemTimeline resourceType="privacy_request" resourceId={r.id} version={`${r.state}${r.dueAt}`} />
          </DetailPane>
        )
      }
    >
      <CreatePrivacyRequestDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => select(id)} />
      {r && <ResolveDialog request={r} action={action} erases={detail.erases} onClose={() => setAction(null)} />}
    </ListDetailPage>
  );
}
