import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { downloadFile } from '../../api/download.js';
import { Alert } from '../../components/alert.js';
import { Icon } from '../../components/icons.js';
import { HeaderButton } from '../../components/page-header.js';
import { ProblemTable } from '../../components/problem-table.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime, plural, shortHash } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import type { ImportDetail } from '../../store/audit-slice.js';
import { formatBytes } from '../../lib/format.js';
import { StatCard } from '../dashboard/stat-card.js';
import { AuditActivity } from './audit-events.js';
import { Fact, Fingerprint, HashValue, periodText, PinStatus, StatusBadge, summaryText, VerdictBadge } from './audit-ui.js';
import { AddFindingDialog, FindingsList, ReviewDialog } from './findings.js';
import { CheckList } from './verification-report.js';
import { CardHeader } from '../../components/card-header.js';
import { useCan } from '../../lib/use-can.js';
import { CountersignDialog } from './countersign-dialog.js';

export type BundleTab = 'overview' | 'activity' | 'findings';
const TABS: { id: BundleTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'activity', label: 'Events and charts' },
  { id: 'findings', label: 'Findings and review' },
];

function scopeText(imp: ImportDetail['import']): string {
  if (imp.complete) return 'The complete ledger up to the signed tree head';
  const parts = Object.entries(imp.filters)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (imp.caseId) parts.unshift(`case ${imp.caseId}`);
  return `A selection (${parts.join(', ') || 'filtered'}), each event with an inclusion proof`;
}

function Overview({ data }: { data: ImportDetail }) {
  const imp = data.import;
  const pin = data.pin ? (data.pin.matches ? (data.pin.pinnedByThisImport ? 'new-source' : 'matches') : 'differs') : null;
  return (
    <div className="audit-grid">
      <section className="card" aria-labelledby="audit-verification-title" data-testid="bundle-verification">
        <CardHeader id="audit-verification-title" title="Verification" subtitle="Checked on import, before anyone could read it">
          <VerdictBadge valid={data.report.valid} />
        </CardHeader>
        <div className="card__body audit-stack">
          <p className="audit-report__summary">{summaryText(data.report.summary)}</p>
          {imp.warnings.map((w) => (
            <Alert key={w} kind="warn">
              {w}
            </Alert>
          ))}
          <CheckList report={data.report} pin={pin} />
          <ProblemTable problems={data.report.problems} className="audit-problems" testId="problems" />
          <dl className="kv audit-kv">
            <Fact label="Signing key">
              <Fingerprint value={imp.fingerprint} />
            </Fact>
            <Fact label="Key pin">
              <PinStatus pin={pin} pinnedAt={data.pin?.pinnedAt} pinnedBy={data.pin?.pinnedBy} />
            </Fact>
            <Fact label="Tree head">
              {plural(imp.treeSize, 'event')}, signed {formatDateTime(imp.checkpointTs)}
            </Fact>
            <Fact label="Root">
              <HashValue value={imp.root} label="Merkle root" />
            </Fact>
            <Fact label="Consistency">
              {data.consistency.length === 0
                ? 'No earlier tree head of this workspace to prove against.'
                : `Proven to extend ${data.consistency.map((c) => `${plural(c.fromSize, 'event')} (${formatDateTime(c.fromTs)})`).join(', ')}.`}
            </Fact>
          </dl>
        </div>
      </section>
      <section className="card" aria-labelledby="audit-provenance-title" data-testid="bundle-provenance">
        <CardHeader id="audit-provenance-title" title="Provenance" subtitle="Where the bundle came from and how it arrived" />
        <div className="card__body">
          <dl className="kv audit-kv">
            <Fact label="Source">
              <strong>{imp.sourceWorkspaceName}</strong>
              <div className="muted mono audit-small">{imp.sourceWorkspaceId}</div>
            </Fact>
            <Fact label="Made">
              {formatDateTime(imp.bundleCreatedAt)} by {imp.bundleCreatedBy}
            </Fact>
            <Fact label="Scope">{scopeText(imp)}</Fact>
            <Fact label="Events">
              {formatCount(imp.events)}, {periodText(imp.firstTs, imp.lastTs)}
            </Fact>
            <Fact label="File">
              {imp.fileName} <span className="muted">({formatBytes(imp.fileBytes)})</span>
            </Fact>
            <Fact label="SHA-256">
              <HashValue value={imp.fileSha256} label="bundle SHA-256" />
            </Fact>
            <Fact label="Imported">
              {formatDateTime(imp.importedAt)} by {imp.importedBy}
            </Fact>
            <Fact label="Review">
              {imp.status === 'reviewed' ? `Reviewed ${formatDateTime(imp.reviewedAt ?? '')} by ${imp.reviewedBy ?? ''}` : 'Not yet reviewed'}
            </Fact>
          </dl>
        </div>
      </section>
    </div>
  );
}

function ReviewPanel({ data, onReview }: { data: ImportDetail; onReview: (() => void) | null }) {
  const imp = data.import;
  if (imp.status === 'reviewed') {
    return (
      <div className="audit-review audit-review--done" data-testid="review-status">
        <Icon name="shieldCheck" size={18} />
        <div>
          <strong>
            Reviewed by {imp.reviewedBy} on {formatDateTime(imp.reviewedAt ?? '')}
          </strong>
          {imp.reviewNote ? <p className="audit-review__note">{imp.reviewNote}</p> : <p className="muted">No review note.</p>}
        </div>
      </div>
    );
  }
  return (
    <div className="audit-review" data-testid="review-status">
      <Icon name="clock" size={18} />
      <div>
        <strong>Awaiting review</strong>
        <p className="muted">Record your findings, then mark the bundle reviewed to sign off. The sign-off is ledgered; findings cannot be added after it.</p>
      </div>
      {onReview && (
        <button type="button" className="btn btn--primary" onClick={onReview}>
          Mark reviewed…
        </button>
      )}
    </div>
  );
}

/** One imported bundle: overview (verification, provenance), events with filters and charts, findings and the review sign-off. */
export function BundleDetail({ id, tab, onTab, onBack }: { id: number; tab: BundleTab; onTab: (tab: BundleTab) => void; onBack: () => void }) {
  const detail = useAppStore((s) => s.auditDetail);
  const openImport = useAppStore((s) => s.openImport);
  const openEvent = useAppStore((s) => s.openAuditEvent);
  const makeReport = useAppStore((s) => s.makeImportReport);
  const notify = useAppStore((s) => s.notify);
  const [dialog, setDialog] = useState<'finding' | 'review' | 'countersign' | null>(null);
  const mayCountersign = useCan('witness.countersign');
  const [findingSeq, setFindingSeq] = useState<number | null>(null);
  const [reporting, setReporting] = useState(false);
  const tabRefs = useRef<Record<BundleTab, HTMLButtonElement | null>>({ overview: null, activity: null, findings: null });

  useEffect(() => {
    void openImport(id);
  }, [id, openImport]);

  if (!detail || detail.id !== id || (!detail.data && !detail.error)) {
    return (
      <div className="page__body">
        <Spinner label="Loading the bundle…" />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <div className="page__body audit-stack">
        <Alert kind="error">{detail.error}</Alert>
        <div>
          <button type="button" className="btn" onClick={onBack}>
            Back to all bundles
          </button>
        </div>
      </div>
    );
  }
  const data = detail.data;
  const imp = data.import;
  const open = imp.status === 'verified';
  const findings = data.findings;
  const high = findings.filter((f) => f.severity === 'high').length;

  function addFinding(seq: number | null) {
    setFindingSeq(seq);
    setDialog('finding');
  }

  function showEvent(seq: number) {
    onTab('activity');
    void openEvent(seq);
  }

  async function report() {
    setReporting(true);
    const r = await makeReport();
    if (!r.ok) {
      setReporting(false);
      notify('error', r.error.message);
      return;
    }
    const d = await downloadFile(r.value.fileName);
    setReporting(false);
    if (d.ok) notify('success', `Verification report saved as ${d.value.fileName} (SHA-256 ${shortHash(d.value.sha256)}, recorded in the ledger).`);
    else notify('error', `The report was written to the exports folder as ${r.value.fileName}, but it could not be handed to the browser: ${d.error.message}`);
  }

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>, i: number) {
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    const t = TABS[next]!.id;
    onTab(t);
    tabRefs.current[t]?.focus();
  }

  return (
    <>
      <header className="page__header page__header--tight audit-head">
        <div className="audit-head__text">
          <a
            className="audit-back"
            href="#/audit"
            onClick={(e) => {
              e.preventDefault();
              onBack();
            }}
          >
            <Icon name="chevronRight" size={12} />
            All bundles
          </a>
          <div className="audit-head__title">
            <h1 className="page__title">
              {imp.sourceWorkspaceName} · bundle {imp.id}
            </h1>
            <StatusBadge status={imp.status} />
          </div>
          <p className="page__subtitle">
            {imp.fileName} · {plural(imp.events, 'event')}, {periodText(imp.firstTs, imp.lastTs)} · imported {formatDateTime(imp.importedAt)} by {imp.importedBy}
          </p>
        </div>
        <div className="page__actions">
          <HeaderButton icon="exports" onClick={() => void report()} disabled={reporting}>
            {reporting ? 'Writing the report…' : 'Verification report (PDF)'}
          </HeaderButton>
          {mayCountersign && data.report.valid && (
            <HeaderButton icon="shieldCheck" onClick={() => setDialog('countersign')}>
              Countersign…
            </HeaderButton>
          )}
          {open && (
            <HeaderButton icon="plus" onClick={() => addFinding(null)}>
              Add finding
            </HeaderButton>
          )}
          {open && (
            <HeaderButton icon="check" primary onClick={() => setDialog('review')}>
              Mark reviewed…
            </HeaderButton>
          )}
        </div>
      </header>
      <div className="audit-tabs" role="tablist" aria-label="Bundle">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`audit-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`audit-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'audit-tab audit-tab--active' : 'audit-tab'}
            onClick={() => onTab(t.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t.label}
            {t.id === 'activity' && <span className="audit-tab__count">{formatCount(imp.events)}</span>}
            {t.id === 'findings' && <span className="audit-tab__count">{formatCount(findings.length)}</span>}
          </button>
        ))}
      </div>
      {tab === 'overview' && (
        <div className="page__body audit-panel" role="tabpanel" id="audit-panel-overview" aria-labelledby="audit-tab-overview">
          <section className="stat-row" aria-label="Bundle at a glance">
            <StatCard label="Verification" value={data.report.valid ? 'Valid' : 'INVALID'} tone={data.report.valid ? 'ok' : 'danger'} note={`${plural(data.report.events_checked, 'event')} checked`} icon="shieldCheck" />
            <StatCard label="Events" value={formatCount(imp.events)} note={periodText(imp.firstTs, imp.lastTs)} icon="ledger" />
            <StatCard
              label="Findings"
              value={formatCount(findings.length)}
              tone={high > 0 ? 'danger' : 'neutral'}
              note={findings.length === 0 ? 'None recorded yet' : `${high} high · ${findings.length - high} other`}
              icon="bookmark"
            />
            <StatCard
              label="Review"
              value={imp.status === 'reviewed' ? 'Reviewed' : 'Open'}
              tone={imp.status === 'reviewed' ? 'ok' : 'neutral'}
              note={imp.status === 'reviewed' ? `by ${imp.reviewedBy ?? ''}, ${formatDateTime(imp.reviewedAt ?? '')}` : 'Awaiting your sign-off'}
              icon="check"
            />
          </section>
          <Overview data={data} />
        </div>
      )}
      {tab === 'activity' && (
        <div className="audit-panel audit-panel--fill" role="tabpanel" id="audit-panel-activity" aria-labelledby="audit-tab-activity">
          <AuditActivity onFinding={open ? (seq) => addFinding(seq) : null} showCharts />
        </div>
      )}
      {tab === 'findings' && (
        <div className="page__body audit-panel audit-stack" role="tabpanel" id="audit-panel-findings" aria-labelledby="audit-tab-findings">
          <ReviewPanel data={data} onReview={open ? () => setDialog('review') : null} />
          <section className="card" aria-labelledby="audit-findings-title">
            <CardHeader id="audit-findings-title" title="Findings" subtitle="Recorded in the ledger with who and when; never edited">
              {open && findings.length > 0 && (
                <button type="button" className="btn btn--sm" onClick={() => addFinding(null)}>
                  <Icon name="plus" size={13} />
                  Add finding
                </button>
              )}
            </CardHeader>
            <div className="card__body">
              <FindingsList findings={findings} onShowEvent={showEvent} onAdd={open ? () => addFinding(null) : null} />
            </div>
          </section>
        </div>
      )}
      <AddFindingDialog
        open={dialog === 'finding'}
        seq={findingSeq}
        onClose={() => {
          setDialog(null);
        }}
      />
      <ReviewDialog open={dialog === 'review'} onClose={() => setDialog(null)} imp={imp} findings={findings} />
      <CountersignDialog open={dialog === 'countersign'} imp={imp} onClose={() => setDialog(null)} />
    </>
  );
}
