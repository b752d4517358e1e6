import { useEffect, useMemo, useState } from 'react';
import { REPORT_FRAMEWORKS, type GeneratedReport, type ReportKind } from '../../../../shared/contract/reports.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { PageHeader } from '../../components/page-header.js';
import { Spinner } from '../../components/spinner.js';
import { formatBytes, formatCount, formatDate, formatDateTime, formatShort, plural, shortHash } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { useDownload } from '../exports/use-download.js';
import { GenerateDialog } from './generate-dialog.js';
import './reports.css';

const REPORT: Column<GeneratedReport> = {
  key: 'report',
  label: 'Report',
  width: 'minmax(200px, 2fr)',
  render: (r) => (
    <span>
      <span className="rep-fw">{r.framework}</span> {r.title}
    </span>
  ),
  title: (r) => r.fileName,
};
const PERIOD: Column<GeneratedReport> = { key: 'period', label: 'Period', width: '170px', render: (r) => <span className="num">{`${formatDate(r.from)} – ${formatDate(r.to)}`}</span> };
const GENERATED: Column<GeneratedReport> = { key: 'generated', label: 'Generated', width: '128px', render: (r) => <span>{formatShort(r.generatedAt)}</span>, title: (r) => formatDateTime(r.generatedAt) };
const BY: Column<GeneratedReport> = { key: 'by', label: 'By', width: 'minmax(90px, 1fr)', render: (r) => <span>{r.generatedBy}</span> };
const TREE: Column<GeneratedReport> = { key: 'tree', label: 'Tree size', width: '84px', render: (r) => <span className="num">{formatCount(r.checkpointSize)}</span> };
const HASH: Column<GeneratedReport> = { key: 'hash', label: 'SHA-256', width: '120px', render: (r) => <span className="mono">{shortHash(r.sha256)}</span>, title: (r) => r.sha256 };
const SIZE: Column<GeneratedReport> = { key: 'size', label: 'Size', width: '76px', render: (r) => <span className="num">{formatBytes(r.bytes)}</span> };

const WIDE = [REPORT, PERIOD, GENERATED, BY, TREE, HASH, SIZE];
const NARROW = [REPORT, GENERATED, TREE];

/** One generated report: what it covers, the tree head it is anchored to, its hash, and the download. */
function ReportDetail({ report, onClose }: { report: GeneratedReport; onClose: () => void }) {
  const { download, busy } = useDownload();
  return (
    <DetailPane title={report.title} badge={<Badge tone="accent">{report.framework}</Badge>} onClose={onClose} testId="report-detail">
      <div className="ferpa-actions">
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void download(report.fileName, report.sha256)}>
          <Icon name="exports" size={14} />
          Download PDF
        </button>
      </div>
      <Section title="Report">
        <Facts
          rows={[
            ['Kind', <span className="mono">{report.kind}</span>],
            ['Period', `${report.from} to ${report.to}`],
            ['Generated', `${formatDateTime(report.generatedAt)} by ${report.generatedBy}`],
            ['Pages', formatCount(report.pages)],
            ['Size', formatBytes(report.bytes)],
            ['File', <span className="mono rep-break">{report.fileName}</span>],
          ]}
        />
      </Section>
      <Section title="Integrity" actions={<CopyButton text={report.sha256} label="Copy SHA-256" compact />}>
        <Facts
          rows={[
            ['SHA-256', <code className="hash rep-break">{report.sha256}</code>],
            ['Tree size', <span className="num">{formatCount(report.checkpointSize)}</span>],
            ['Root', <code className="hash rep-break">{report.checkpointRoot}</code>],
            ['Signing key', <code className="hash rep-break">{report.keyId}</code>],
            ['Ledger event', <span className="num">#{report.seq}</span>],
          ]}
        />
        <p className="muted rep-note">The figures count the ledger up to this tree size. A bundle of the same tree head lets anyone recount them and check the root.</p>
      </Section>
    </DetailPane>
  );
}

/** One kind as a compact card: framework, title, the regulation's reference, and its Generate button. */
function KindCard({ kind, canGenerate, onGenerate }: { kind: ReportKind; canGenerate: boolean; onGenerate: (k: ReportKind) => void }) {
  return (
    <li className="rep-kind" data-testid={`report-kind-${kind.id}`} title={kind.description}>
      <span className="rep-kind__fw">{kind.framework}</span>
      <span className="rep-kind__title">{kind.title}</span>
      <span className="rep-kind__ref">{kind.reference}</span>
      <span className="rep-kind__foot">
        <span className="muted">Default {plural(kind.defaultDays, 'day')}</span>
        {canGenerate && (
          <button type="button" className="btn btn--sm" onClick={() => onGenerate(kind)} aria-label={`Generate ${kind.framework} ${kind.title}`}>
            Generate…
          </button>
        )}
      </span>
    </li>
  );
}

/**
 * Reports: the pre-built compliance reports by framework, made on request as PDFs anchored to a
 * signed checkpoint, and every report made here with its hash, its anchor and the download.
 */
export function ReportsView() {
  const reports = useAppStore((s) => s.reportList.items);
  const error = useAppStore((s) => s.reportList.error);
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const { load } = useListActions('reportList');
  const canGenerate = useCan('reports.generate');
  const [kinds, setKinds] = useState<ReportKind[] | null>(null);
  const [kindsError, setKindsError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ReportKind | null>(null);

  useEffect(() => {
    void load();
    void client.call('reports.kinds', {}).then((r) => (r.ok ? setKinds(r.value.kinds) : setKindsError(r.error.message)));
  }, [load]);

  // By framework, in the order frameworks are named (the core lists them so already).
  const ordered = useMemo(() => [...(kinds ?? [])].sort((a, b) => REPORT_FRAMEWORKS.indexOf(a.framework) - REPORT_FRAMEWORKS.indexOf(b.framework)), [kinds]);
  const selectedName = route.split('/')[1] ?? null;
  const selected = reports?.find((r) => r.fileName === selectedName) ?? null;
  const select = (name: string | null) => navigate(name ? `reports/${name}` : 'reports');

  return (
    <div className="page page--fill rep-page">
      <PageHeader
        tight
        title="Reports"
        subtitle="Pre-built compliance reports as PDFs. Each states its scope and period, is anchored to a checkpoint signed when it is made (size and root printed), and its SHA-256 is recorded in the ledger."
      />
      {kindsError && <Alert kind="error">{kindsError}</Alert>}
      {kinds === null && !kindsError ? (
        <div className="exp-loading">
          <Spinner label="Loading report kinds" /> <span className="muted">Loading report kinds…</span>
        </div>
      ) : (
        <section className="rep-catalog" aria-labelledby="rep-kinds-title">
          <h2 className="rep-section-title" id="rep-kinds-title">
            Pre-built reports
          </h2>
          <ul className="rep-kinds" aria-labelledby="rep-kinds-title">
            {ordered.map((k) => (
              <KindCard key={k.id} kind={k} canGenerate={canGenerate} onGenerate={setChosen} />
            ))}
          </ul>
        </section>
      )}

      <h2 className="rep-section-title rep-section-title--list">Generated reports{reports && reports.length > 0 ? ` (${formatCount(reports.length)})` : ''}</h2>
      {error && (
        <Alert kind="error">
          {error}{' '}
          <button type="button" className="btn btn--sm" onClick={() => void load()}>
            Try again
          </button>
        </Alert>
      )}
      <div className={selected ? 'ferpa-split ferpa-split--detail rep-split' : 'ferpa-split rep-split'}>
        {reports === null ? (
          !error && (
            <div className="exp-loading">
              <Spinner label="Loading reports" /> <span className="muted">Loading reports…</span>
            </div>
          )
        ) : reports.length === 0 ? (
          <EmptyState icon="report" title="No report generated yet">
            <p>Choose a report above and its period; the PDF is written to the workspace&rsquo;s exports, listed here with its SHA-256 and the tree head it counts, and can be downloaded by anyone who may read the ledger.</p>
          </EmptyState>
        ) : (
          <ItemTable rows={reports} columns={selected ? NARROW : WIDE} getId={(r) => r.fileName} selectedId={selected?.fileName ?? null} onOpen={select} label="Generated reports" testId="reports-grid" />
        )}
        {selected && <ReportDetail report={selected} onClose={() => select(null)} />}
      </div>

      <GenerateDialog
        kind={chosen}
        onClose={() => {
          setChosen(null);
        }}
      />
    </div>
  );
}
