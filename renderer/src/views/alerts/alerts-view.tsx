import { useState } from 'react';
import { ALERT_RULE_LABELS, ALERT_RULES, ALERT_STATUSES, type Alert } from '../../../../shared/contract/alerts.js';
import { StateBadge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf } from '../../components/list-toolbar.js';
import { NextStep } from '../../components/next-step.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { AcknowledgeDialog, EscalateDialog } from './alert-dialogs.js';
import { RiskTable } from './risk-table.js';
import './alerts.css';

const STATUS_TONES = { open: 'danger', acknowledged: 'neutral', escalated: 'warn' } as const;
const SEVERITY_TONES = { critical: 'danger', high: 'danger', medium: 'warn', low: 'neutral' } as const;

function windowText(a: Alert): string {
  return `${formatDateTime(a.windowStart)} – ${formatDateTime(a.windowEnd)}`;
}

const COLUMNS: Column<Alert>[] = [
  { key: 'id', label: 'Alert', width: '130px', render: (a) => <span className="mono">{a.id}</span> },
  { key: 'rule', label: 'Rule', width: 'minmax(150px, 1fr)', render: (a) => <span>{ALERT_RULE_LABELS[a.rule]}</span> },
  { key: 'subject', label: 'User', width: '130px', render: (a) => <span>{a.subject}</span> },
  { key: 'summary', label: 'What happened', width: 'minmax(200px, 2fr)', render: (a) => <span>{a.summary}</span>, title: (a) => a.summary },
  { key: 'severity', label: 'Severity', width: '90px', render: (a) => <StateBadge state={a.severity} tones={SEVERITY_TONES} /> },
  { key: 'status', label: 'Status', width: '110px', render: (a) => <StateBadge state={a.status} tones={STATUS_TONES} /> },
  { key: 'window', label: 'When', width: '150px', render: (a) => <span>{formatDateTime(a.windowStart)}</span> },
];

/** Alerts the rules fired over the ledger: the list beside the open alert, and each user's risk score. */
export function AlertsView() {
  const { items, error, query, detail, load, search, setSearch, select } = useListPage('alertList', 'alerts');
  const navigate = useAppStore((s) => s.navigate);
  const [dialog, setDialog] = useState<'ack' | 'escalate' | null>(null);
  const a = detail?.alert;
  const filtered = Boolean(query.search || query.state || query.rule);

  return (
    <ListDetailPage
      title="Alerts"
      subtitle="What the alert rules caught in the ledger: bursts of failed sign-ins or denied calls, exports far above a user's habit, record views in bulk, work outside hours. Acknowledge with a note, or escalate into an incident."
      toolbar={
        <>
          <SearchFilter label="Search" value={search} placeholder="Id, user, summary…" onChange={setSearch} />
          <SelectFilter label="Status" value={query.state} onChange={(v) => void load({ state: v })} any="Any status" options={ALERT_STATUSES} />
          <SelectFilter label="Rule" value={query.rule} onChange={(v) => void load({ rule: v })} any="Any rule" options={ALERT_RULES} optionLabel={(r) => ALERT_RULE_LABELS[r]} />
          <ListCountOf list="alertList" noun="alert" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !filtered && (
          <EmptyState icon="shieldCheck" title="No alerts">
            The rules read every event of the ledger as it is appended. When one sees a burst of failed sign-ins or denied calls, an unusual export, bulk record views or work outside hours, its alert
            appears here.
          </EmptyState>
        )
      }
      list={
        <div className="alerts__list">
          <section className="card alerts__risk" aria-labelledby="risk-title">
            <h2 id="risk-title" className="alerts__risk-title">
              Risk by user
            </h2>
            <RiskTable onPick={(subject) => void load({ search: subject, state: '' })} />
          </section>
          <ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={a?.id ?? null} onOpen={select} label="Alerts" testId="alerts-grid" />
        </div>
      }
      detail={
        a &&
        detail && (
          <DetailPane title={a.id} badge={<StateBadge state={a.status} tones={STATUS_TONES} />} onClose={() => select(null)} testId="alert-detail">
            <p className="detail__lead">{a.summary}</p>
            {a.status === 'open' && (
              <NextStep
                actions={[
                  { channel: 'alerts.acknowledge', label: 'Acknowledge…', primary: true, onClick: () => setDialog('ack') },
                  { channel: 'alerts.escalate', label: 'Escalate to incident…', onClick: () => setDialog('escalate') },
                ]}
              />
            )}
            <Section title="Alert">
              <Facts
                rows={[
                  ['Rule', ALERT_RULE_LABELS[a.rule]],
                  ['User', a.subject],
                  ['Severity', <StateBadge key="s" state={a.severity} tones={SEVERITY_TONES} />],
                  ['Window', windowText(a)],
                  ['Counted', `${formatCount(a.count)} (the line is ${formatCount(a.threshold)})`],
                  ['Own average', a.baseline === null ? null : formatCount(Math.round(a.baseline))],
                  ['Fired', formatDateTime(a.firedAt)],
                  [a.status === 'escalated' ? 'Escalated' : 'Acknowledged', a.handledAt ? `${formatDateTime(a.handledAt)} by ${a.handledBy ?? ''}` : null],
                  [
                    'Incident',
                    a.incidentId ? (
                      <button key="i" type="button" className="casework-link mono" onClick={() => navigate(`incidents/${a.incidentId}`)}>
                        {a.incidentId}
                      </button>
                    ) : null,
                  ],
                ]}
              />
              {a.note && <p className="ferpa-quote">{a.note}</p>}
            </Section>
            <Section title={`Events counted (${detail.events.length}${detail.more ? '+' : ''})`}>
              {detail.events.length === 0 ? (
                <p className="muted">The events are no longer in the ledger's readable part.</p>
              ) : (
                <div className="casework-table" tabIndex={0} role="region" aria-label={`Events counted by ${a.id}`}>
                  <table className="table table--compact" data-testid="alert-events">
                    <caption className="visually-hidden">The ledger events the rule counted in the window</caption>
                    <thead>
                      <tr>
                        <th scope="col">Seq</th>
                        <th scope="col">Time</th>
                        <th scope="col">Action</th>
                        <th scope="col">Outcome</th>
                      </tr>
                    </thead>
                    <tbody>
                      {detail.events.map((e) => (
                        <tr key={e.seq}>
                          <td className="mono">{e.seq}</td>
                          <td>{formatDateTime(e.ts)}</td>
                          <td className="mono">{e.action}</td>
                          <td>{e.outcome}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
            <ItemTimeline resourceType="alert" resourceId={a.id} version={a.handledAt ?? a.firedAt} />
          </DetailPane>
        )
      }
    >
      {a && (
        <>
          <AcknowledgeDialog alert={a} open={dialog === 'ack'} onClose={() => setDialog(null)} />
          <EscalateDialog alert={a} open={dialog === 'escalate'} onClose={() => setDialog(null)} onEscalated={() => setDialog(null)} />
        </>
      )}
    </ListDetailPage>
  );
}
