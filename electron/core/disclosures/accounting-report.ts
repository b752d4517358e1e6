import { fileStamp, namePart, publishExport, type ExportedFile } from '../files/export-file.js';
import type { Workspace } from '../workspace.js';
import { renderAccounting } from './accounting-pdf.js';
import { accountingFor } from './disclosures.js';
import { opTime, type Op } from '../domain/op.js';

/**
 * `disclosures.accountingReport`: the per-subject accounting as a PDF, written as a new file in the
 * workspace's exports folder (`accounting-<subject>-<audience>-<time>.pdf`) for `files.download`.
 * The file is published in the transaction that appends its ledger event (with its SHA-256): if
 * either fails, neither is left.
 */
export async function accountingReport(
  ws: Workspace,
  op: Op,
  input: { subjectId: string; asOf?: string; audience: 'subject' | 'internal' },
): Promise<ExportedFile & { entries: number }> {
  const { actor } = op;
  const now = opTime(op);
  const accounting = accountingFor(ws, input.subjectId, input.audience, input.asOf, now);
  const pdf = await renderAccounting(accounting, { workspaceName: ws.name, generatedAt: now.toISOString(), generatedBy: actor });
  const stem = ['accounting', namePart(accounting.subjectId, 40), accounting.audience, fileStamp(now)].join('-');
  const file = publishExport(ws, stem, '.pdf', pdf, (fileName, sha256) =>
    ws.ledger.append(
      {
        actor,
        action: 'disclosures.accountingReport',
        resource_type: 'subject',
        resource_id: accounting.subjectId,
        details: {
          audience: accounting.audience,
          as_of: accounting.asOf,
          from: accounting.from,
          entries: accounting.entries.map((e) => e.id),
          sha256,
          bytes: pdf.length,
          file_name: fileName,
        },
      },
      now,
    ),
  );
  return { ...file, entries: accounting.entries.length };
}
