import { fileStamp, publishExport, type ExportedFile } from '../files/export-file.js';
import { opTime, type Op } from '../domain/op.js';
import { getSubject } from '../domain/subject-rows.js';
import { EVENT_SHAPES } from '../event-catalog.js';
import { rowToEvent } from '../ledger/ledger.js';
import { renderPdf } from '../pdf/fonts.js';
import type { Workspace } from '../workspace.js';
import { listPrivacyRequests } from './privacy-requests.js';
import { subjectEventRows, subjectExternalId } from './privacy-store.js';
import { subjectAuditDefinition } from './subject-audit-pdf.js';

/** The actions whose declared details name a subject, and the field names they use (event-catalog.ts). */
function subjectNaming(): { actions: string[]; fields: string[] } {
  const actions: string[] = [];
  const fields = new Set<string>();
  for (const [action, shape] of Object.entries(EVENT_SHAPES)) {
    const named = Object.entries(shape).filter(([k, cls]) => cls === 'subject' && /^[a-z_]+$/.test(k));
    if (named.length === 0) continue;
    actions.push(action);
    for (const [k] of named) fields.add(k);
  }
  return { actions: actions.sort(), fields: [...fields].sort() };
}

/**
 * `privacyRequests.subjectAudit`: seed 003's subject-rights audit as a PDF. A checkpoint is signed
 * first; the audit lists every event of the subject through it (about the subject, or naming it in a
 * field the catalog declares `subject`), grouped as viewed, exported, disclosed, deleted; the file is
 * published into exports/ in the transaction that ledgers it with its SHA-256.
 */
export async function writeSubjectAudit(ws: Workspace, op: Op, subjectId: string): Promise<ExportedFile & { checkpoint: { size: number; root: string }; events: number }> {
  const generated = opTime(op);
  const subject = getSubject(ws, subjectId);
  const anchor = ws.tx(() => ws.signCheckpoint(`subject-audit:${subjectId}`));
  const externalId = subjectExternalId(ws.db, subjectId);
  const ids = externalId ? [subject.id, externalId] : [subject.id];
  const events = subjectEventRows(ws.db, { ids, ...subjectNaming(), throughSeq: anchor.size }).map(rowToEvent);
  const requests = listPrivacyRequests(ws, { subjectId, sort: 'received_at', dir: 'asc', offset: 0, limit: 500 }, generated).items;
  const pdf = await renderPdf(
    subjectAuditDefinition({
      subject: { id: subject.id, displayName: subject.displayName, externalId },
      events,
      requests,
      anchor,
      workspace: { id: ws.id, name: ws.name },
      generatedAt: generated.toISOString(),
      generatedBy: op.actor,
    }),
  );
  const file = publishExport(ws, `subject-audit-${subjectId}-${fileStamp(generated)}`, '.pdf', pdf, (fileName, sha256) =>
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'privacyRequests.subjectAudit',
        resource_type: 'subject',
        resource_id: subjectId,
        details: { subject_id: subjectId, file_name: fileName, sha256, bytes: pdf.length, through_seq: anchor.size, root: anchor.root, events: events.length },
      },
      generated,
    ),
  );
  return { ...file, checkpoint: { size: anchor.size, root: anchor.root }, events: events.length };
}
