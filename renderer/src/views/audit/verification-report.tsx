import type { ReactNode } from 'react';
import type { ResponseOf } from '../../../../shared/contract.js';
import { Badge } from '../../components/badge.js';
import { Icon } from '../../components/icons.js';
import { ProblemTable } from '../../components/problem-table.js';
import { formatBytes, formatDateTime, plural } from '../../lib/format.js';
import { Fact, Fingerprint, HashValue, PinStatus, summaryText, VerdictBadge, type PinState } from './audit-ui.js';

/** The report as the contract carries it (problem kinds as strings). */
type VerificationReport = ResponseOf<'imports.get'>['report'];

/** What the verifier checks, in its order, and the problem kinds that fail each check (as in the PDF report). */
const CHECKS: { label: string; kinds: string[] }[] = [
  { label: 'Bundle structure', kinds: ['malformed'] },
  { label: 'Manifest and tree-head signatures', kinds: ['bad-signature'] },
  { label: 'File hashes against the manifest', kinds: ['file-mismatch'] },
  { label: 'Event hashes', kinds: ['hash-mismatch'] },
  { label: 'Hash chain (links, gaps, order)', kinds: ['broken-link', 'gap', 'reordered', 'duplicate'] },
  { label: 'Signed tree head (Merkle root, proofs)', kinds: ['root-mismatch', 'bad-proof'] },
  { label: 'History of earlier imports', kinds: ['truncated-after-checkpoint'] },
];

/** The checks as a list of ticks and crosses, with the pinned-key check last. */
export function CheckList({ report, pin }: { report: VerificationReport; pin: PinState }) {
  const rows = CHECKS.map((c) => ({ label: c.label, failed: report.problems.filter((p) => c.kinds.includes(p.kind)).length }));
  rows.push({ label: 'Signing key against the pinned key', failed: pin === 'differs' ? 1 : 0 });
  return (
    <ul className="audit-checks" aria-label="Checks">
      {rows.map((c) => (
        <li key={c.label} className={c.failed ? 'audit-check audit-check--bad' : 'audit-check audit-check--ok'}>
          <Icon name={c.failed ? 'x' : 'check'} size={13} />
          <span>{c.label}</span>
          <span className="audit-check__state">{c.failed ? `failed (${c.failed})` : 'passed'}</span>
        </li>
      ))}
    </ul>
  );
}

export interface ReportFacts {
  workspaceName: string;
  workspaceId: string;
  fingerprint: string;
  fileName: string;
  fileBytes: number;
  fileSha256: string;
  treeSize: number;
  checkpointTs: string;
  createdBy: string;
  createdAt: string;
  complete: boolean;
  events: number;
}

/**
 * The verification of one bundle file, as an auditor's tool shows it: the verdict, the one
 * sentence that says why when it was refused, where it came from and who signed it, each check,
 * and each problem with its seq and kind.
 */
export function VerificationReportView({
  report,
  facts,
  pin,
  pinnedAt,
  pinnedBy,
  pinnedFingerprint,
  accepted,
  reason,
  headline,
}: {
  report: VerificationReport;
  facts: ReportFacts | null;
  pin: PinState;
  pinnedAt?: string;
  pinnedBy?: string;
  pinnedFingerprint?: string;
  accepted: boolean;
  reason: string | null;
  headline: ReactNode;
}) {
  // A valid bundle can still be refused (it was made by this workspace, or another import changed its
  // history meanwhile): the verdict stays VALID and the refusal is said as "not imported", not as a fault.
  const refusedValid = !accepted && report.valid;
  return (
    <div className={accepted ? 'audit-report audit-report--ok' : 'audit-report audit-report--bad'} data-testid="verification-report">
      <div className="audit-report__verdict" role="status">
        <VerdictBadge valid={report.valid} />
        {!accepted && (refusedValid ? <Badge size="lg">NOT IMPORTED</Badge> : <VerdictBadge valid={false} label="REJECTED" />)}
        <span className="audit-report__headline">{headline}</span>
      </div>
      {!accepted && reason && (
        <p className={refusedValid ? 'audit-report__reason audit-report__reason--info' : 'audit-report__reason'} data-testid="reject-reason">
          <Icon name={refusedValid ? 'info' : 'shieldAlert'} size={16} />
          <span>{reason}</span>
        </p>
      )}
      <p className="audit-report__summary">{summaryText(report.summary)}</p>
      {facts && (
        <dl className="kv audit-report__facts">
          <Fact label="Source">
            <strong>{facts.workspaceName}</strong> <span className="muted mono">{facts.workspaceId}</span>
          </Fact>
          <Fact label="Signing key">
            <Fingerprint value={facts.fingerprint} />
          </Fact>
          <Fact label="Key pin">
            <PinStatus pin={pin} pinnedAt={pinnedAt} pinnedBy={pinnedBy} pinnedFingerprint={pin === 'differs' ? pinnedFingerprint : undefined} accepted={accepted} />
          </Fact>
          <Fact label="Bundle file">
            {facts.fileName} <span className="muted">({formatBytes(facts.fileBytes)})</span>
          </Fact>
          <Fact label="SHA-256">
            <HashValue value={facts.fileSha256} label="bundle SHA-256" />
          </Fact>
          <Fact label="Contents">
            {facts.complete ? 'The complete ledger' : 'A selection of the ledger'}: {plural(facts.events, 'event')}; tree head of {plural(facts.treeSize, 'event')} signed{' '}
            {formatDateTime(facts.checkpointTs)}
          </Fact>
          <Fact label="Made">
            {formatDateTime(facts.createdAt)} by {facts.createdBy}
          </Fact>
        </dl>
      )}
      {/* A refused bundle is judged at its first problem, so only the problems say anything; an accepted one passed every check. */}
      {accepted || refusedValid ? <CheckList report={report} pin={pin} /> : <ProblemTable problems={report.problems} className="audit-problems" testId="problems" />}
    </div>
  );
}
