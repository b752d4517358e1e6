import { useState } from 'react';
import type { Subpoena } from '../../../../shared/contract/subpoenas.js';
import { SUBPOENA_STATES, SUBPOENA_TYPE_LABELS } from '../../../../shared/contract/subpoenas.js';
import type { Tone } from '../../components/badge.js';
import { DueBadge, StateBadge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Alert } from '../../components/alert.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { NextStep } from '../../components/next-step.js';
import { ListCountOf, SearchStateFilters } from '../../components/list-toolbar.js';
import { HeaderButton } from '../../components/page-header.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatDate, formatDateTime, plural, shortHash } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useListPage } from '../../store/use-list.js';
import { ReceiveSubpoenaDialog, SubpoenaActionDialog, type SubpoenaAction } from './subpoena-dialogs.js';
import { useCategoryLabels } from '../../lib/use-category-labels.js';

export const SUBPOENA_TONES: Record<string, Tone> = {
  received: 'accent',
  verified: 'accent',
  notice_sent: 'accent',
  notice_exempt: 'warn',
  scoped: 'accent',
  produced: 'ok',
  closed: 'neutral',
  quashed: 'neutral',
  withdrawn: 'neutral',
};

const OPEN = new Set(['received', 'verified', 'notice_sent', 'notice_exempt', 'scoped']);

const COLUMNS: Column<Subpoena>[] = [
  { key: 'id', label: 'Subpoena', width: '130px', render: (s) => <span className="mono">{s.id}</span> },
  { key: 'type', label: 'Type', width: '150px', render: (s) => <span>{SUBPOENA_TYPE_LABELS[s.type]}</span> },
  { key: 'issuer', label: 'Issued by', width: 'minmax(140px, 1.3fr)', render: (s) => <span>{s.issuer}</span>, title: (s) => `${s.issuer} ${s.court}` },
  { key: 'subject', label: 'Subject', width: 'minmax(110px, 1fr)', render: (s) => <span>{s.subjectName}</span>, title: (s) => s.subjectId },
  { key: 'state', label: 'State', width: '120px', render: (s) => <StateBadge state={s.state} tones={SUBPOENA_TONES} />, keep: true },
  { key: 'due', label: 'Response due', width: '110px', render: (s) => <DueBadge dueAt={s.dueAt} done={!OPEN.has(s.state)} />, keep: true },
];

const ACTION_LABELS: Record<SubpoenaAction, string> = {
  'subpoenas.verify': 'Verify',
  'subpoenas.sendNotice': 'Record notice',
  'subpoenas.exemptNotice': 'Exempt from notice',
  'subpoenas.scope': 'Define scope',
  'subpoenas.produce': 'Produce…',
  'subpoenas.close': 'Close',
  'subpoenas.quash': 'Quashed',
  'subpoenas.withdraw': 'Withdrawn',
  'subpoenas.exportProduction': 'Export production…',
};

/** Subpoena responses (seed 002 protocol): verify, notify (or record the exemption), scope, produce, close. */
export function SubpoenasView() {
  const categoryName = useCategoryLabels();
  const { items, error, query: filter, detail, load, search, setSearch, select } = useListPage('subpoenaList', 'subpoenas');
  const canReceive = useCan('subpoenas.receive');
  const [receiving, setReceiving] = useState(false);
  const [action, setAction] = useState<SubpoenaAction | null>(null);

  const s = detail?.subpoena;
  const production = detail?.production ?? null;
  const actions: SubpoenaAction[] = [...(detail?.allowedActions ?? []), ...(production ? (['subpoenas.exportProduction'] as const) : [])];
  return (
    <ListDetailPage
      title="Subpoenas"
      subtitle="Subpoenas and court orders: verification, notice to the student before compliance, scope and a Bates-numbered production."
      actions={
        canReceive && (
          <HeaderButton icon="plus" primary onClick={() => setReceiving(true)}>
            Log a subpoena
          </HeaderButton>
        )
      }
      toolbar={
        <>
          <SearchStateFilters
            channel="subpoenas.list"
            text={search}
            state={filter.state}
            states={SUBPOENA_STATES}
            onChange={(f) => {
              setSearch(f.text);
              if (f.state !== filter.state) void load({ state: f.state });
            }}
          />
          <ListCountOf list="subpoenaList" noun="subpoena" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !search &&
        !filter.state && (
          <EmptyState
            icon="subpoenas"
            title="No subpoenas yet"
            action={
              canReceive ? (
                <button type="button" className="btn btn--primary" onClick={() => setReceiving(true)}>
                  Log a subpoena
                </button>
              ) : undefined
            }
          >
            Log each subpoena or court order when it is served; Custos tracks the 3-day notice, the scope and the production.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={s?.id ?? null} onOpen={select} label="Subpoenas" testId="subpoenas-grid" />}
      detail={
        s &&
        detail && (
          <DetailPane title={s.id} badge={<StateBadge state={s.state} tones={SUBPOENA_TONES} />} onClose={() => select(null)} testId="subpoena-detail">
            <NextStep actions={actions.map((act, i) => ({ channel: act, label: ACTION_LABELS[act], primary: i === 0, onClick: () => setAction(act) }))} />
            {detail.productionRefusal && (
              <Alert kind="warn">
                <strong>Court order needed.</strong> <span data-testid="production-refusal">{detail.productionRefusal}</span>
              </Alert>
            )}
            <Section title="Subpoena">
              <Facts
                rows={[
                  ['Type', SUBPOENA_TYPE_LABELS[s.type]],
                  ['Issued by', s.issuer],
                  ['Court', s.court],
                  ['Docket', s.docket],
                  ['Subject', `${s.subjectName} (${s.subjectId})`],
                  ['Served', formatDateTime(s.servedAt)],
                  ['Response due', OPEN.has(s.state) ? <DueBadge dueAt={s.dueAt} /> : formatDate(s.dueAt)],
                  ['Case', s.caseId],
                ]}
              />
              <p className="muted">Records requested</p>
              <p className="ferpa-quote">{s.requestedRecords}</p>
            </Section>
            <Section title="Verification and notice">
              <Facts
                rows={[
                  ['Verified', s.verifiedAt ? `${formatDateTime(s.verifiedAt)} by ${s.verifiedBy ?? ''}${s.verifiedWith && s.verifiedWith !== s.verifiedBy ? `, confirmed by counsel ${s.verifiedWith}` : ''}` : null],
                  ['How', s.verificationNote],
                  [
                    'Notice due',
                    s.noticeSentAt || s.noticeExemptGround ? formatDate(s.noticeDueAt) : OPEN.has(s.state) ? <DueBadge dueAt={s.noticeDueAt} /> : formatDate(s.noticeDueAt),
                  ],
                  ['Notice sent', s.noticeSentAt ? `${formatDateTime(s.noticeSentAt)} (${s.noticeMethod ?? ''})${s.noticeLate ? ' — late' : ''}` : null],
                  ['Exemption', s.noticeExemptGround ? `${s.noticeExemptGround.replace(/_/g, ' ')}: ${s.noticeExemptReason ?? ''}` : null],
                  ['Order lapses', (s.nondisclosureUntil ? formatDate(s.nondisclosureUntil) : null)],
                ]}
              />
            </Section>
            {s.scope.length > 0 && (
              <Section title="Scope">
                <ul className="ferpa-list">
                  {s.scope.map((r) => (
                    <li key={r.id}>
                      <span className="mono">{r.id}</span>
                      <span>{r.title}</span>
                      <span className="muted">{categoryName(r.category)}</span>
                    </li>
                  ))}
                </ul>
              </Section>
            )}
            {production && (
              <Section title="Production">
                <Facts
                  rows={[
                    ['Production', production.id],
                    ['Bates', `${production.batesFirst} to ${production.batesLast} (${plural(production.pageCount, 'page')})`],
                    ['Produced', `${formatDateTime(production.producedAt)} by ${production.producedBy}`],
                    [
                      'PDF SHA-256',
                      <span key="h" className="kv__hash">
                        <span className="hash">{shortHash(production.pdfSha256, 12)}</span>
                        <CopyButton text={production.pdfSha256} label="Copy the PDF's SHA-256" compact />
                      </span>,
                    ],
                    ['Manifest SHA-256', <span key="m" className="hash">{shortHash(production.manifestSha256, 12)}</span>],
                    ['Disclosure', production.disclosureId],
                  ]}
                />
                <p className="muted">{production.pageHashDefinition}</p>
                <div className="ferpa-files">
                  <table className="table">
                    <caption className="visually-hidden">Files of the production with their SHA-256</caption>
                    <thead>
                      <tr>
                        <th scope="col">File</th>
                        <th scope="col">Bates</th>
                        <th scope="col">SHA-256</th>
                      </tr>
                    </thead>
                    <tbody>
                      {production.files.map((f) => (
                        <tr key={f.entry}>
                          <td className="mono">{f.entry}</td>
                          <td>{f.bates ?? ''}</td>
                          <td className="hash" title={f.sha256}>
                            {shortHash(f.sha256, 10)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Section>
            )}
            {s.endReason && (
              <Section title="Outcome">
                <p>{s.endReason}</p>
              </Section>
            )}
            <ItemTimeline resourceType="subpoena" resourceId={s.id} version={s.updatedAt} />
          </DetailPane>
        )
      }
    >
      <ReceiveSubpoenaDialog open={receiving} onClose={() => setReceiving(false)} onCreated={(id) => select(id)} />
      {s && (
        <SubpoenaActionDialog
          action={action}
          subpoena={s}
          productionId={production?.id ?? null}
          onClose={() => setAction(null)}
          title={action ? `${ACTION_LABELS[action].replace('…', '')}: ${s.id}` : ''}
        />
      )}
    </ListDetailPage>
  );
}
