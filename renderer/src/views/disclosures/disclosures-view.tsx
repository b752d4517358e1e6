import { useState } from 'react';
import type { Disclosure } from '../../../../shared/contract/disclosures.js';
import { DISCLOSURE_BASIS_LABELS } from '../../../../shared/contract/disclosures.js';
import { Badge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf, SearchStateFilters } from '../../components/list-toolbar.js';
import { HeaderButton } from '../../components/page-header.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { AccountingDialog, RecordDisclosureDialog } from './disclosure-dialogs.js';
import { useCategoryLabels } from '../../lib/use-category-labels.js';

const COLUMNS: Column<Disclosure>[] = [
  { key: 'date', label: 'Date', width: '96px', render: (d) => <span className="num">{formatDate(d.disclosedAt)}</span> },
  { key: 'id', label: 'Entry', width: '124px', render: (d) => <span className="mono">{d.id}</span> },
  { key: 'subject', label: 'Subject', width: 'minmax(110px, 1fr)', render: (d) => <span>{d.subjectName}</span>, title: (d) => d.subjectId },
  { key: 'recipient', label: 'Recipient', width: 'minmax(140px, 1.4fr)', render: (d) => <span>{d.recipient}</span>, title: (d) => d.recipient },
  { key: 'basis', label: 'Basis', width: 'minmax(110px, 1fr)', render: (d) => <span>{d.basis.replace(/_/g, ' ')}</span>, title: (d) => DISCLOSURE_BASIS_LABELS[d.basis] },
  {
    key: 'flags',
    label: 'Notes',
    width: '150px',
    render: (d) => (
      <>
        {d.statements.length > 0 && <Badge tone="warn">statement</Badge>}
        {!d.subjectVisible && <Badge tone="danger">withheld</Badge>}
        {d.productionId && <Badge tone="accent">production</Badge>}
      </>
    ),
  },
];

/** The record of disclosures (FERPA 99.32, HIPAA 164.528) and the per-subject accounting. */
export function DisclosuresView() {
  const categoryName = useCategoryLabels();
  const { items, error, detail: d, search, setSearch, select } = useListPage('disclosureList', 'disclosures');
  const navigate = useAppStore((s) => s.navigate);
  const canRecord = useCan('disclosures.record');
  const canReport = useCan('disclosures.accountingReport');
  const [recording, setRecording] = useState(false);
  const [accounting, setAccounting] = useState(false);

  return (
    <ListDetailPage
      title="Disclosures"
      subtitle="Every disclosure of personal information: to whom, what, when, by whom and under which authority."
      actions={
        (canReport || canRecord) && (
          <>
            {canReport && (
              <HeaderButton icon="exports" onClick={() => setAccounting(true)}>
                Accounting report
              </HeaderButton>
            )}
            {canRecord && (
              <HeaderButton icon="plus" primary onClick={() => setRecording(true)}>
                Record a disclosure
              </HeaderButton>
            )}
          </>
        )
      }
      toolbar={
        <>
          <SearchStateFilters channel="disclosures.list" text={search} state="" states={[]} onChange={(f) => setSearch(f.text)} />
          <ListCountOf list="disclosureList" noun="disclosure" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !search && (
          <EmptyState
            icon="disclosures"
            title="No disclosures recorded"
            action={
              canRecord ? (
                <button type="button" className="btn btn--primary" onClick={() => setRecording(true)}>
                  Record a disclosure
                </button>
              ) : undefined
            }
          >
            Record each disclosure of a student’s records. Productions for subpoenas are recorded here automatically.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={d?.id ?? null} onOpen={select} label="Record of disclosures" testId="disclosures-grid" />}
      detail={
        d && (
          <DetailPane
            title={d.id}
            badge={d.subjectVisible ? <Badge tone="ok">shown to subject</Badge> : <Badge tone="danger">withheld from subject</Badge>}
            onClose={() => select(null)}
            testId="disclosure-detail"
          >
            <Section title="Disclosure">
              <Facts
                rows={[
                  ['Date', formatDateTime(d.disclosedAt)],
                  ['Subject', `${d.subjectName} (${d.subjectId})`],
                  ['Recipient', d.recipient],
                  ['Basis', DISCLOSURE_BASIS_LABELS[d.basis]],
                  ['Consent', d.consentId ? <span key="c" className="mono">{d.consentId}</span> : null],
                  ['Interest / legal basis', d.basisDetail],
                  ['Purpose', d.purpose],
                  ['Disclosed by', d.disclosedBy],
                  ['Recorded', `${formatDateTime(d.recordedAt)} by ${d.recordedBy}`],
                  [
                    'Subpoena',
                    d.subpoenaId ? (
                      <button key="s" type="button" className="casework-link mono" onClick={() => navigate(`subpoenas/${d.subpoenaId}`)}>
                        {d.subpoenaId}
                      </button>
                    ) : null,
                  ],
                  ['Production', d.productionId],
                  [
                    'File SHA-256',
                    d.fileSha256 ? (
                      <span key="h" className="kv__hash">
                        <span className="hash">{d.fileSha256}</span>
                        <CopyButton text={d.fileSha256} label="Copy the file's SHA-256" compact />
                      </span>
                    ) : null,
                  ],
                  ['Withheld', d.subjectVisible ? null : `${d.withholdingBasis ?? ''}${d.withheldUntil ? ` (until ${formatDate(d.withheldUntil)})` : ''}`],
                ]}
              />
            </Section>
            <Section title="Records disclosed">
              {d.records.length === 0 ? (
                <p className="muted">Directory information only.</p>
              ) : (
                <ul className="ferpa-list">
                  {d.records.map((r) => (
                    <li key={r.id}>
                      <span className="mono">{r.id}</span>
                      <span>{r.title}</span>
                      <span className="muted">{categoryName(r.category)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            {d.statements.length > 0 && (
              <Section title="Statements attached (99.21(c))">
                {d.statements.map((s) => (
                  <div key={s.id}>
                    <p className="muted">
                      <span className="mono">{s.id}</span> on {s.recordId} · filed {formatDate(s.filedAt)}
                    </p>
                    <p className="ferpa-quote ferpa-quote--statement">{s.text}</p>
                  </div>
                ))}
              </Section>
            )}
            {d.notices.length > 0 && (
              <Section title="Notices of amendment sent to this recipient">
                <p className="muted">A record disclosed here was amended afterwards; the recipient was told what changed.</p>
                {d.notices.map((n) => (
                  <div key={n.id} data-testid="disclosure-notice">
                    <p className="muted">
                      <span className="mono">{n.amendmentId}</span> · notified {formatDate(n.notifiedAt)}
                    </p>
                    <p className="ferpa-quote">{n.change}</p>
                  </div>
                ))}
              </Section>
            )}
            {d.productionId && d.subpoenaId ? (
              // Written by the production itself, in the same transaction as its subpoenas.produce event.
              <ItemTimeline resourceType="subpoena" resourceId={d.subpoenaId} version={d.recordedAt} title={`Timeline of ${d.subpoenaId} (its production wrote this entry)`} />
            ) : (
              <ItemTimeline resourceType="disclosure" resourceId={d.id} version={d.recordedAt} />
            )}
          </DetailPane>
        )
      }
    >
      <RecordDisclosureDialog open={recording} onClose={() => setRecording(false)} onCreated={(id) => select(id)} />
      <AccountingDialog open={accounting} onClose={() => setAccounting(false)} subjectId={d?.subjectId ?? ''} />
    </ListDetailPage>
  );
}
