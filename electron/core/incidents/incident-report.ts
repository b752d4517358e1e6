import { fileStamp, publishExport, type ExportedFile } from '../files/export-file.js';
import { opTime, type Op } from '../domain/op.js';
import { iterateEvents } from '../ledger/query.js';
import { renderPdf } from '../pdf/fonts.js';
import type { Workspace } from '../workspace.js';
import { incidentReportDefinition } from './incident-report-pdf.js';
import { incidentDetail } from './incidents.js';

/**
 * `incidents.report`: the incident report of seed 002 as a PDF. A checkpoint is signed first and the
 * report states that tree head (size, root, signature) and lists the incident's events through it;
 * the file is published into the exports folder in the transaction that ledgers it with its SHA-256
 * (if either fails, neither is left).
 */
export async function writeIncidentReport(ws: Workspace, op: Op, id: string): Promise<ExportedFile & { checkpoint: { size: number; root: string } }> {
  const generated = opTime(op);
  // Read first (not_found before anything is signed), then anchor, then read the events through the anchor.
  incidentDetail(ws, id, generated);
  const anchor = ws.tx(() => ws.signCheckpoint(`incident:${id}`));
  const detail = incidentDetail(ws, id, generated);
  const events = [...iterateEvents(ws.db, { resourceType: 'incident', resourceId: id })].filter((e) => e.seq <= anchor.size);
  const pdf = await renderPdf(
    incidentReportDefinition({ detail, events, anchor, workspace: { id: ws.id, name: ws.name }, generatedAt: generated.toISOString(), generatedBy: op.actor }),
  );
  const file = publishExport(ws, `incident-report-${id}-${fileStamp(generated)}`, '.pdf', pdf, (fileName, sha256) =>
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'incidents.report',
        resource_type: 'incident',
        resource_id: id,
        details: {
          file_name: fileName,
          sha256,
          bytes: pdf.length,
          through_seq: anchor.size,
          root: anchor.root,
          tasks: detail.incident.clock.tasks,
          overdue: detail.incident.clock.overdue,
          notifications: detail.notifications.length,
        },
      },
      generated,
    ),
  );
  return { ...file, checkpoint: { size: anchor.size, root: anchor.root } };
}
