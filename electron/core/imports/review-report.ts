import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { renderPdf } from '../pdf/fonts.js';
import { fileStamp, publishExport, type ExportedFile } from '../files/export-file.js';
import type { Workspace } from '../workspace.js';
import { importPin, listFindings } from './findings.js';
import { importStats, queryImportedEvents, readableImport, storedConsistency, storedReport, toImportSummary } from './imports-store.js';
import { reviewReportDefinition, type ReviewReportInput } from './review-report-pdf.js';
import { opTime, type Op } from '../domain/op.js';

/** Rows in the report's actor and action tables. */
const TOP = 20;

/** Everything the report shows, read from the database now. */
export function reviewReportInput(ws: Workspace, id: number, generatedBy: string, generatedAt: string): ReviewReportInput {
  const row = readableImport(ws.db, id);
  const findings = listFindings(ws.db, id);
  const findingEvents = new Map<number, LedgerEvent>();
  for (const seq of new Set(findings.map((f) => f.seq).filter((s): s is number => s !== null))) {
    const [event] = queryImportedEvents(ws.db, id, { beforeSeq: seq + 1, limit: 1 }).events;
    if (event?.seq === seq) findingEvents.set(seq, event);
  }
  return {
    import: toImportSummary(row),
    report: storedReport(row),
    pin: importPin(ws.db, row),
    consistency: storedConsistency(row).map((c) => ({ fromSize: c.from_size, fromRoot: c.from_root, fromTs: c.from_ts })),
    stats: importStats(ws.db, id, {}, TOP),
    findings,
    findingEvents,
    workspace: { id: ws.id, name: ws.name },
    generatedAt,
    generatedBy,
  };
}

/**
 * Writes the verification report of an imported bundle as a PDF into the workspace's exports
 * folder and ledgers it with its SHA-256. The file is published in the transaction that appends
 * the event: if the ledger refuses the event, no report is left behind.
 */
export async function writeReviewReport(ws: Workspace, op: Op, id: number): Promise<ExportedFile> {
  const { actor } = op;
  const generated = opTime(op);
  const input = reviewReportInput(ws, id, actor, generated.toISOString());
  const pdf = await renderPdf(reviewReportDefinition(input));
  return publishExport(ws, `verification-report-import-${id}-${fileStamp(generated)}`, '.pdf', pdf, (fileName, sha256) =>
    ws.ledger.append(
      {
        actor,
        action: 'imports.report',
        resource_type: 'import',
        resource_id: String(id),
        details: {
          file_name: fileName,
          sha256,
          bytes: pdf.length,
          bundle_sha256: input.import.fileSha256,
          source_workspace_id: input.import.sourceWorkspaceId,
          valid: input.report.valid,
          status: input.import.status,
          findings: input.findings.length,
        },
      },
      generated,
    ),
  );
}
