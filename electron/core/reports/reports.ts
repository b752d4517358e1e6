import { rmSync } from 'node:fs';
import { REPORT_KINDS, type GeneratedReport, type ReportKind, type ReportKindId } from '../../../shared/contract/reports.js';
import { opTime, utcDate, type Op } from '../domain/op.js';
import { CustosError, failureText } from '../errors.js';
import { exportedFile } from '../files/downloads.js';
import { copyOut, fileStamp, publishExport } from '../files/export-file.js';
import { renderPdf } from '../pdf/fonts.js';
import type { Workspace } from '../workspace.js';
import { pciReq10, soxItgc } from './controls.js';
import { ferpaAnnual, hipaaAuditControls, hipaaDisclosures } from './ferpa-hipaa.js';
import { actionsPerType, recordsExpiringReport, unauthorizedAttempts } from './operations.js';
import { ccpaRequests, gdprArt30, gdprRequests } from './privacy.js';
import type { KindBuilder } from './report-input.js';
import { reportDefinition, type ReportAnchor, type ReportBody } from './report-kit.js';
import { eventGroups, ledgerWindow, reportEventsPage, type EventGroup, type ReportEventQuery, type ReportEventRow } from './reports-store.js';

/** What computes each kind's figures. */
const BUILDERS: Record<ReportKindId, KindBuilder> = {
  'gdpr-art30': gdprArt30,
  'gdpr-dsr': gdprRequests,
  'ferpa-annual': ferpaAnnual,
  'hipaa-disclosures': hipaaDisclosures,
  'hipaa-audit-controls': hipaaAuditControls,
  'sox-itgc': soxItgc,
  'ccpa-requests': ccpaRequests,
  'pci-req10': pciReq10,
  'records-expiring': recordsExpiringReport,
  'actions-30d': actionsPerType,
  'unauthorized-attempts': unauthorizedAttempts,
};

const DAY = 86_400_000;

/** A kind by id; throws not_found. */
export function reportKind(id: string): ReportKind {
  const kind = REPORT_KINDS.find((k) => k.id === id);
  if (!kind) throw new CustosError('not_found', `There is no report kind ${id}; custos report --list names them.`);
  return kind;
}

/** The period of a request: `to` defaults to today (UTC), `from` to the kind's default span ending on `to`. */
export function reportPeriod(kind: ReportKind, req: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = req.to ?? utcDate(now);
  const from = req.from ?? utcDate(new Date(Date.parse(`${to}T00:00:00.000Z`) - (kind.defaultDays - 1) * DAY));
  if (from > to) throw new CustosError('validation', `The period starts on ${from}, after it ends on ${to}; give a start on or before the end.`);
  return { from, to };
}

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CustosError('cancelled', 'Making the report was cancelled; no file was written.');
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Makes a report: signs a checkpoint of the current tree head and reads the figures in that same
 * transaction (events up to its size, the tables as they stand at it), lays the PDF out, then
 * publishes it to the exports folder in the transaction that ledgers its SHA-256 (reports.generate).
 */
export async function generateReport(ws: Workspace, op: Op, req: { kind: ReportKindId; from?: string; to?: string }, opts: GenerateOptions = {}): Promise<GeneratedReport> {
  const kind = reportKind(req.kind);
  const now = opTime(op);
  const { from, to } = reportPeriod(kind, req, now);
  const period = { from: `${from}T00:00:00.000Z`, until: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY).toISOString() };
  const step = (n: number) => opts.onProgress?.(n, 3);
  step(0);
  const { anchor, body } = ws.tx((): { anchor: ReportAnchor; body: ReportBody } => {
    const c = ws.signCheckpoint(`report:${kind.id}`);
    const window = ledgerWindow(ws.db, c.size, period.from, period.until);
    let groups: EventGroup[] | undefined;
    const body = BUILDERS[kind.id]({ db: ws.db, window, period, now, groups: () => (groups ??= eventGroups(ws.db, window)) });
    return { anchor: { workspaceId: ws.id, size: c.size, root: c.root, keyId: c.key_id, signedAt: c.ts }, body };
  });
  cancelled(opts.signal);
  step(1);
  const generatedAt = now.toISOString();
  const pdf = await renderPdf(reportDefinition({ kind, from, to, workspaceName: ws.name, generatedAt, generatedBy: op.actor, anchor }, body));
  cancelled(opts.signal);
  step(2);
  const pages = pageCount(pdf);
  let seq = 0;
  const file = publishExport(ws, `report-${kind.id}-${from}-to-${to}-${fileStamp(now)}`, '.pdf', pdf, (fileName, sha256) => {
    seq = ws.ledger.append(
      {
        actor: op.actor,
        action: 'reports.generate',
        resource_type: 'report',
        resource_id: fileName,
        details: {
          kind: kind.id,
          title: kind.title,
          framework: kind.framework,
          from,
          to,
          checkpoint_size: anchor.size,
          checkpoint_root: anchor.root,
          key_id: anchor.keyId,
          file_name: fileName,
          sha256,
          bytes: pdf.length,
          pages,
        },
      },
      now,
    ).seq;
  });
  step(3);
  return {
    seq,
    kind: kind.id,
    title: kind.title,
    framework: kind.framework,
    from,
    to,
    fileName: file.fileName,
    sha256: file.sha256,
    bytes: file.bytes,
    pages,
    checkpointSize: anchor.size,
    checkpointRoot: anchor.root,
    keyId: anchor.keyId,
    generatedBy: op.actor,
    generatedAt,
  };
}

interface ReportEventDetails {
  kind: ReportKindId;
  title: string;
  framework: GeneratedReport['framework'];
  from: string;
  to: string;
  checkpoint_size: number;
  checkpoint_root: string;
  key_id: string;
  file_name: string;
  sha256: string;
  bytes: number;
  pages: number;
}

function toReport(row: ReportEventRow): GeneratedReport {
  const d = JSON.parse(row.details) as ReportEventDetails;
  return {
    seq: row.seq,
    kind: d.kind,
    title: d.title,
    framework: d.framework,
    from: d.from,
    to: d.to,
    fileName: d.file_name,
    sha256: d.sha256,
    bytes: d.bytes,
    pages: d.pages,
    checkpointSize: d.checkpoint_size,
    checkpointRoot: d.checkpoint_root,
    keyId: d.key_id,
    generatedBy: row.actor,
    generatedAt: row.ts,
  };
}

/** A page of the reports generated here (from their ledger events), newest first by default. */
export function listReports(ws: Workspace, q: ReportEventQuery): { items: GeneratedReport[]; total: number } {
  const page = reportEventsPage(ws.db, q);
  return { items: page.rows.map(toReport), total: page.total };
}

/**
 * Copies a generated report to `dest` for the command line (`custos report --out`): never over an
 * existing file, checked against the SHA-256 its reports.generate event recorded, ledgered
 * (`reports.copy`). Sessions have no channel for this: they never name a path.
 */
export async function copyReportTo(ws: Workspace, op: Op, report: Pick<GeneratedReport, 'fileName' | 'sha256' | 'bytes'>, dest: string): Promise<void> {
  try {
    await copyOut(exportedFile(ws, report.fileName), dest, report.sha256);
  } catch (err) {
    if (err instanceof CustosError && err.code === 'conflict') throw new CustosError('conflict', `${dest} already exists; choose a new file name.`);
    if (err instanceof CustosError) throw err;
    throw new CustosError('validation', `${dest} cannot be created (${failureText(err)}).`);
  }
  try {
    ws.record({ actor: op.actor, action: 'reports.copy', resource_type: 'report', resource_id: report.fileName, details: { path: dest, sha256: report.sha256, bytes: report.bytes } });
  } catch (err) {
    // No copy leaves without its ledger event.
    rmSync(dest, { force: true });
    throw err;
  }
}
