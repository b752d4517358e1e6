import { useState } from 'react';
import { EVIDENCE_STATUSES, type Evidence } from '../../../../shared/contract/evidence.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge, StateBadge } from '../../components/badge.js';
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
import { formatBytes, formatDateTime, shortHash } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { download, EVIDENCE_TONES } from '../cases/casework-ui.js';
import { DisposeDialog, IngestDialog, SealDialog, TransferDialog, ViewContentDialog } from './evidence-dialogs.js';
import { ExportEvidenceDialog } from './export-evidence-dialog.js';

const COLUMNS: Column<Evidence>[] = [
  { key: 'id', label: 'Item', width: '130px', render: (e) => <span className="mono">{e.id}</span> },
  { key: 'title', label: 'Title', width: 'minmax(180px, 2fr)', render: (e) => <span>{e.title}</span>, title: (e) => `${e.title} (${e.originalName})` },
  { key: 'status', label: 'Status', width: '110px', render: (e) => <StateBadge state={e.status} tones={EVIDENCE_TONES} /> },
  {
    key: 'integrity',
    label: 'Integrity',
    width: '120px',
    render: (e) => (e.integrity === 'integrity_failed' ? <Badge tone="danger">FAILED</Badge> : <span className="muted">{e.lastVerifiedAt ? 'verified' : 'hashed at intake'}</span>),
  },
  { key: 'custodian', label: 'Custodian', width: 'minmax(120px, 1fr)', render: (e) => <span>{e.custodian}</span> },
  { key: 'size', label: 'Size', width: '90px', render: (e) => <span>{formatBytes(e.sizeBytes)}</span> },
  { key: 'collected', label: 'Collected', width: '150px', render: (e) => <span>{formatDateTime(e.collectedAt)}</span> },
];

type Dialog = 'ingest' | 'transfer' | 'dispose' | 'view' | 'export' | null;

/** Evidence under chain of custody: ingest, transfer, seal/release, re-verify, view (ledgered) and dispose (never while held). */
export function EvidenceView() {
  const { items, error, query, detail, load, open, search, setSearch, searchable, select } = useListPage('evidenceList', 'evidence');
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const navigate = useAppStore((s) => s.navigate);
  const canIngest = useCan('evidence.ingestFile');
  const canDispose = useCan('evidence.dispose');
  const canReport = useCan('evidence.custodyReport');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [seal, setSeal] = useState<'seal' | 'release' | null>(null);
  const [content, setContent] = useState<{ id: string; fileName: string; mediaType: string; contentBase64: string; purpose: string } | null>(null);
  const [verifying, setVerifying] = useState(false);


  const e = detail?.evidence;
  const held = detail?.holds ?? [];
  const shown = content && e && content.id === e.id ? content : null;

  async function verify() {
    if (!e) return;
    setVerifying(true);
    const r = await mutate('evidence.verify', { id: e.id });
    setVerifying(false);
    if (!r.ok) return notify('error', r.error.message);
    if (r.value.valid) notify('success', `${e.id} verified: the content matches the SHA-256 recorded at intake.`);
    else notify('error', `${e.id} FAILED verification: ${r.value.reason ?? 'the content does not match its intake hash'}`);
  }

  // A download is a second, separate access: asked of the core again (and ledgered), never saved from what is on screen.
  async function downloadContent(purpose: string) {
    if (!e) return;
    const r = await client.call('evidence.content', { id: e.id, purpose, intent: 'download' });
    if (!r.ok) return notify('error', r.error.message);
    download(r.value.fileName, r.value.mediaType, { base64: r.value.contentBase64 });
    void open(e.id);
  }

  async function custodyReport(format: 'csv' | 'json') {
    if (!e) return;
    const r = await client.call('evidence.custodyReport', { id: e.id, format });
    if (!r.ok) return notify('error', r.error.message);
    download(r.value.fileName, r.value.mediaType, { text: r.value.content });
  }

  const disposeBlocked = held.length > 0 ? `Under legal hold ${held.map((h) => h.id).join(', ')}; release the hold first.` : e?.status === 'sealed' ? 'Sealed; release it first.' : null;
  const textual = shown && (shown.mediaType.startsWith('text/') || /json|xml|csv|rfc822/.test(shown.mediaType));
  return (
    <ListDetailPage
      title="Evidence"
      subtitle="Items under chain of custody, stored encrypted and hashed at intake; every view, download and transfer is on the record."
      actions={
        canIngest && (
          <HeaderButton icon="plus" primary onClick={() => setDialog('ingest')}>
            Ingest evidence
          </HeaderButton>
        )
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, title, source, file name, hash…" onChange={setSearch} />}
          <SelectFilter label="Status" value={query.status} onChange={(v) => void load({ status: v as Evidence['status'] | '' })} any="Any status" options={EVIDENCE_STATUSES} />
          <SelectFilter label="Integrity" value={query.integrity} onChange={(v) => void load({ integrity: v as Evidence['integrity'] | '' })}>
            <option value="">Any</option>
            <option value="ok">OK</option>
            <option value="integrity_failed">Failed</option>
          </SelectFilter>
          <ListCountOf list="evidenceList" noun="item" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !query.search &&
        !query.status &&
        !query.integrity && (
          <EmptyState
            icon="evidence"
            title="No evidence yet"
            action={
              canIngest ? (
                <button type="button" className="btn btn--primary" onClick={() => setDialog('ingest')}>
                  Ingest the first item
                </button>
              ) : undefined
            }
          >
            Ingest files collected for a case: Custos records their SHA-256, stores them encrypted, and keeps the chain of custody from collection to disposal.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={e?.id ?? null} onOpen={select} label="Evidence" testId="evidence-grid" />}
      detail={
        e &&
        detail && (
          <DetailPane title={e.id} badge={<StateBadge state={e.status} tones={EVIDENCE_TONES} />} onClose={() => select(null)} testId="evidence-detail">
            <p className="detail__lead">{e.title}</p>
            {e.integrity === 'integrity_failed' && (
              <Alert kind="error">
                Integrity check FAILED{e.lastVerifiedAt ? ` on ${formatDateTime(e.lastVerifiedAt)}` : ''}: the stored content no longer matches the SHA-256 recorded at intake. Do not rely on this item; restore
                the workspace's evidence folder from a backup and re-verify.
              </Alert>
            )}
            {held.length > 0 && e.status !== 'disposed' && (
              <Alert kind="warn">
                Under legal hold {held.map((h) => `${h.id} (${h.title})`).join('; ')}. It cannot be disposed of until {held.length === 1 ? 'the hold is' : 'every one of these holds is'} released.
              </Alert>
            )}
            {e.status !== 'disposed' && (
              <NextStep
                actions={[
                  { channel: 'evidence.content', label: 'View content…', primary: true, onClick: () => setDialog('view') },
                  { channel: 'evidence.export', label: 'Export file…', onClick: () => setDialog('export') },
                  { channel: 'evidence.verify', label: verifying ? 'Verifying…' : 'Re-verify', disabled: verifying, onClick: () => void verify() },
                  { channel: 'evidence.transfer', label: 'Transfer…', onClick: () => setDialog('transfer') },
                  e.status !== 'sealed' && { channel: 'evidence.seal', label: 'Seal…', onClick: () => setSeal('seal') },
                  e.status === 'sealed' && { channel: 'evidence.release', label: 'Release…', onClick: () => setSeal('release') },
                  { channel: 'evidence.dispose', label: 'Dispose…', danger: true, disabled: disposeBlocked !== null, title: disposeBlocked ?? undefined, onClick: () => setDialog('dispose') },
                ]}
              >
                {canDispose && disposeBlocked && <p className="muted">Dispose is unavailable: {disposeBlocked}</p>}
              </NextStep>
            )}
            {shown && (
              <Section
                title="Content"
                actions={
                  <button type="button" className="btn btn--ghost btn--sm" onClick={() => void downloadContent(shown.purpose)} title="Saves a plaintext copy; the download is recorded in the ledger">
                    Download
                  </button>
                }
              >
                {textual ? (
                  <pre className="casework-preview" data-testid="evidence-content">
                    {new TextDecoder().decode(Uint8Array.from(atob(shown.contentBase64), (c) => c.charCodeAt(0)))}
                  </pre>
                ) : shown.mediaType.startsWith('image/') ? (
                  <img className="casework-preview-img" alt={`Content of ${e.id}`} src={`data:${shown.mediaType};base64,${shown.contentBase64}`} />
                ) : (
                  <p className="muted">
                    {shown.fileName} ({shown.mediaType}) cannot be shown here; download it to open it.
                  </p>
                )}
              </Section>
            )}
            <Section title="Item">
              <Facts
                rows={[
                  ['File', `${e.originalName} (${e.mediaType})`],
                  ['Size', formatBytes(e.sizeBytes)],
                  [
                    'SHA-256',
                    <span key="h" className="kv__hash">
                      <span className="hash" title={e.sha256}>
                        {shortHash(e.sha256, 12)}
                      </span>
                      <CopyButton text={e.sha256} label="Copy the SHA-256" compact />
                    </span>,
                  ],
                  ['Source', e.source],
                  ['Collected', `${formatDateTime(e.collectedAt)} by ${e.collectedBy}`],
                  ['Custodian', e.custodian],
                  ['Location', e.location],
                  ['Last verified', e.lastVerifiedAt ? formatDateTime(e.lastVerifiedAt) : 'at intake'],
                  [
                    'Cases',
                    e.caseIds.length === 0
                      ? null
                      : e.caseIds.map((id) => (
                          <button key={id} type="button" className="casework-link mono" onClick={() => navigate(`cases/${id}`)}>
                            {id}
                          </button>
                        )),
                  ],
                  ['Disposed', e.disposedAt ? `${formatDateTime(e.disposedAt)} by ${e.disposedBy ?? ''}: ${e.disposeReason ?? ''}` : null],
                ]}
              />
              {e.description && <p className="ferpa-quote">{e.description}</p>}
            </Section>
            <Section
              title="Chain of custody"
              actions={
                // The report is titles, parties and purposes: only roles that read evidence content get it.
                canReport && (
                  <span className="ferpa-actions">
                    <button type="button" className="btn btn--ghost btn--sm" onClick={() => void custodyReport('csv')}>
                      Export CSV
                    </button>
                    <button type="button" className="btn btn--ghost btn--sm" onClick={() => void custodyReport('json')}>
                      Export JSON
                    </button>
                  </span>
                )
              }
            >
              <div className="casework-table" tabIndex={0} role="region" aria-label={`Chain of custody of ${e.id}`}>
                <table className="table" data-testid="custody-chain">
                  <caption className="visually-hidden">Chain of custody of {e.id}, oldest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">What</th>
                      <th scope="col">Who</th>
                      <th scope="col">From → to, where, why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.chain.map((c) => (
                      <tr key={c.ledgerSeq} className={c.outcome === 'success' ? undefined : 'is-bad'}>
                        <td>{formatDateTime(c.at)}</td>
                        <td>
                          {c.kind}
                          {c.outcome !== 'success' ? ` (${c.outcome})` : ''}
                        </td>
                        <td>{c.actor}</td>
                        <td>
                          {c.fromParty || c.toParty ? (
                            <div>
                              {c.fromParty ?? '—'} → {c.toParty ?? '—'}
                            </div>
                          ) : null}
                          {c.location && <div className="muted">{c.location}</div>}
                          {c.purpose && <div>{c.purpose}</div>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Section>
          </DetailPane>
        )
      }
    >
      <IngestDialog open={dialog === 'ingest'} onClose={() => setDialog(null)} onCreated={(id) => select(id)} />
      {e && (
        <>
          <TransferDialog open={dialog === 'transfer'} evidence={e} onClose={() => setDialog(null)} />
          <DisposeDialog open={dialog === 'dispose'} evidence={e} onClose={() => setDialog(null)} />
          <ExportEvidenceDialog
            open={dialog === 'export'}
            evidence={e}
            onClose={() => {
              setDialog(null);
              void open(e.id);
            }}
          />
          <SealDialog action={seal} evidence={e} onClose={() => setSeal(null)} />
          <ViewContentDialog
            open={dialog === 'view'}
            evidence={e}
            onClose={() => setDialog(null)}
            onLoaded={(c, purpose) => {
              setContent({ id: e.id, ...c, purpose });
              void open(e.id);
            }}
          />
        </>
      )}
    </ListDetailPage>
  );
}
