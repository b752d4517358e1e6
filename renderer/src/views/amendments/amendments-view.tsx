import { useState } from 'react';
import type { Amendment } from '../../../../shared/contract/amendments.js';
import { AMENDMENT_MATTER_LABELS, AMENDMENT_STATES } from '../../../../shared/contract/amendments.js';
import type { Tone } from '../../components/badge.js';
import { DueBadge, StateBadge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { NextStep } from '../../components/next-step.js';
import { ListCountOf, SearchStateFilters } from '../../components/list-toolbar.js';
import { HeaderButton } from '../../components/page-header.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useListPage } from '../../store/use-list.js';
import { AmendmentActionDialog, ReceiveAmendmentDialog, type AmendmentAction } from './amendment-dialogs.js';

export const AMENDMENT_TONES: Record<string, Tone> = {
  received: 'accent',
  under_review: 'accent',
  amended: 'ok',
  denied: 'warn',
  hearing_requested: 'warn',
  hearing_scheduled: 'warn',
  decided: 'neutral',
  closed: 'neutral',
};

const OPEN = new Set(['received', 'under_review']);

const COLUMNS: Column<Amendment>[] = [
  { key: 'id', label: 'Request', width: '132px', render: (a) => <span className="mono">{a.id}</span> },
  { key: 'subject', label: 'Subject', width: 'minmax(110px, 1fr)', render: (a) => <span>{a.subjectName}</span>, title: (a) => a.subjectId },
  { key: 'record', label: 'Record', width: 'minmax(130px, 1.2fr)', render: (a) => <span>{a.recordTitle}</span>, title: (a) => `${a.recordId} · ${a.recordCategory}` },
  { key: 'state', label: 'State', width: '150px', render: (a) => <StateBadge state={a.state} tones={AMENDMENT_TONES} /> },
  { key: 'received', label: 'Received', width: '100px', render: (a) => <span className="num">{formatDate(a.receivedAt)}</span> },
  { key: 'due', label: 'Decision due', width: '110px', render: (a) => <DueBadge dueAt={a.dueAt} done={!OPEN.has(a.state)} />, keep: true },
];

const ACTION_LABELS: Record<AmendmentAction, string> = {
  'amendments.startReview': 'Start review',
  'amendments.decide': 'Decide',
  'amendments.requestHearing': 'Hearing requested',
  'amendments.scheduleHearing': 'Schedule hearing',
  'amendments.recordHearingOutcome': 'Record hearing outcome',
  'amendments.fileStatement': 'File statement',
  'amendments.close': 'Close',
};

/** FERPA amendment requests (34 CFR 99.20–22): the list beside the open request, its next step as the primary action. */
export function AmendmentsView() {
  const { items, error, query: filter, detail, load, search, setSearch, select } = useListPage('amendmentList', 'amendments');
  const canReceive = useCan('amendments.receive');
  const [receiving, setReceiving] = useState(false);
  const [action, setAction] = useState<AmendmentAction | null>(null);

  const a = detail?.amendment;
  const primary = detail?.allowedActions[0] ?? null;
  return (
    <ListDetailPage
      title="Amendments"
      subtitle="Requests to amend education records (34 CFR 99.20–22): review, decision, hearing and the subject’s statement."
      actions={
        canReceive && (
          <HeaderButton icon="plus" primary onClick={() => setReceiving(true)}>
            Log a request
          </HeaderButton>
        )
      }
      toolbar={
        <>
          <SearchStateFilters
            channel="amendments.list"
            text={search}
            state={filter.state}
            states={AMENDMENT_STATES}
            onChange={(f) => {
              setSearch(f.text);
              if (f.state !== filter.state) void load({ state: f.state });
            }}
          />
          <ListCountOf list="amendmentList" noun="request" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !search &&
        !filter.state && (
          <EmptyState
            icon="amendments"
            title="No amendment requests yet"
            action={
              canReceive ? (
                <button type="button" className="btn btn--primary" onClick={() => setReceiving(true)}>
                  Log a request
                </button>
              ) : undefined
            }
          >
            When a student asks to amend a record they believe is inaccurate or misleading, log it here; the decision deadline comes from policy.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={a?.id ?? null} onOpen={select} label="Amendment requests" testId="amendments-grid" />}
      detail={
        a &&
        detail && (
          <DetailPane title={a.id} badge={<StateBadge state={a.state} tones={AMENDMENT_TONES} />} onClose={() => select(null)} testId="amendment-detail">
            <NextStep actions={detail.allowedActions.map((act) => ({ channel: act, label: ACTION_LABELS[act], primary: act === primary, onClick: () => setAction(act) }))} />
            <Section title="Request">
              <Facts
                rows={[
                  ['Subject', `${a.subjectName} (${a.subjectId})`],
                  ['Record', `${a.recordTitle} · ${a.recordCategory} (${a.recordId})`],
                  ['About', AMENDMENT_MATTER_LABELS[a.matter]],
                  ['Received', formatDateTime(a.receivedAt)],
                  ['Decision due', a.answer ? 'none: answered when received' : OPEN.has(a.state) ? <DueBadge dueAt={a.dueAt} /> : formatDate(a.dueAt)],
                  ['Case', a.caseId],
                ]}
              />
              <p className="muted">Requested change</p>
              <p className="ferpa-quote">{a.requestedChange}</p>
              <p className="muted">Reason given</p>
              <p className="ferpa-quote">{a.reason}</p>
            </Section>
            {a.answer && (
              <Section title="Answered: not amendable">
                <p className="muted">The amendment procedure does not reach this matter, so there is no decision to appeal and no hearing.</p>
                <p className="ferpa-quote" data-testid="amendment-answer">
                  {a.answer}
                </p>
              </Section>
            )}
            {(a.decision || a.reviewer) && (
              <Section title="Review and decision">
                <Facts
                  rows={[
                    ['Reviewer', a.reviewer],
                    ['Decision', a.decision],
                    ['Decided', a.decidedAt ? `${formatDateTime(a.decidedAt)} by ${a.decidedBy ?? ''}` : null],
                    ['Reason', a.decisionReason],
                    ['Amendment', a.amendmentText],
                  ]}
                />
              </Section>
            )}
            {a.hearingRequestedAt && (
              <Section title="Hearing (99.22)">
                <Facts
                  rows={[
                    ['Requested', formatDateTime(a.hearingRequestedAt)],
                    ['Hold by', a.hearingDueAt && !a.hearingAt ? <DueBadge dueAt={a.hearingDueAt} /> : (a.hearingDueAt ? formatDate(a.hearingDueAt) : undefined)],
                    ['Date', a.hearingAt ? formatDateTime(a.hearingAt) : null],
                    ['Place', a.hearingLocation],
                    ['Officer', a.hearingOfficer],
                    ['Outcome', a.hearingOutcome],
                    ['Reason', a.hearingOutcomeReason],
                  ]}
                />
              </Section>
            )}
            {detail.statements.length > 0 && (
              <Section title="Statements of disagreement">
                <p className="muted">Attached automatically to every later disclosure of this record (99.21(c)).</p>
                {detail.statements.map((s) => (
                  <div key={s.id}>
                    <p className="muted">
                      <span className="mono">{s.id}</span> · filed {formatDate(s.filedAt)}
                    </p>
                    <p className="ferpa-quote ferpa-quote--statement">{s.text}</p>
                  </div>
                ))}
              </Section>
            )}
            {detail.notices.length > 0 && (
              <Section title={`Notices to earlier recipients (${detail.notices.length})`}>
                <p className="muted">Recorded when the record was amended: each recipient of it before was told what changed.</p>
                <ul className="ferpa-list" data-testid="amendment-notices">
                  {detail.notices.map((n) => (
                    <li key={n.id}>
                      <span className="mono">{n.disclosureId}</span>
                      <span>{n.recipient}</span>
                      <span className="muted">notified {formatDate(n.notifiedAt)}</span>
                    </li>
                  ))}
                </ul>
              </Section>
            )}
            {detail.notices.length === 0 && detail.priorDisclosures.length > 0 && (
              <Section title="Earlier disclosures of this record">
                <p className="muted">If the record is amended, each of these recipients is notified of the change.</p>
                <ul className="ferpa-list">
                  {detail.priorDisclosures.map((d) => (
                    <li key={d.id}>
                      <span className="mono">{d.id}</span>
                      <span>{d.recipient}</span>
                      <span className="muted">{formatDate(d.disclosedAt)}</span>
                    </li>
                  ))}
                </ul>
              </Section>
            )}
            <ItemTimeline resourceType="amendment" resourceId={a.id} version={a.updatedAt} />
          </DetailPane>
        )
      }
    >
      <ReceiveAmendmentDialog open={receiving} onClose={() => setReceiving(false)} onCreated={(id) => select(id)} />
      {a && <AmendmentActionDialog action={action} amendment={a} onClose={() => setAction(null)} title={action ? `${ACTION_LABELS[action]}: ${a.id}` : ''} />}
    </ListDetailPage>
  );
}
