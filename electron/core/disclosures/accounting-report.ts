import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportsDir, fileStamp, freeName, namePart, sha256Of, type ExportedFile } from '../files/export-file.js';
import { discardTemp, publishFile, writeTempFileSync } from '../fs/atomic.js';
import type { Workspace } from '../workspace.js';
import { renderAccounting } from './accounting-pdf.js';
import { accountingFor } from './disclosures.js';
import { now as clockNow } from '../clock.js';

/**
 * `disclosures.accountingReport`: the per-subject accounting as a PDF, written as a new file in the
 * workspace's exports folder (`accounting-<subject>-<audience>-<time>.pdf`) for `files.download`.
 * The file is published in the transaction that appends its ledger event (with its SHA-256): if
 * either fails, neither is left.
 */
export async function accountingReport(
  ws: Workspace,
  actor: string,
  input: { subjectId: string; asOf?: string; audience: 'subject' | 'internal' },
  now: Date = clockNow(),
): Promise<ExportedFile & { entries: number }> {
  const accounting = accountingFor(ws, input.subjectId, input.audience, input.asOf, now);
  const pdf = await renderAccounting(accounting, { workspaceName: ws.name, generatedAt: now.toISOString(), generatedBy: actor });
  const sha256 = sha256Of(pdf);
  const dir = exportsDir(ws);
  const fileName = freeName(dir, ['accounting', namePart(accounting.subjectId, 40), accounting.audience, fileStamp(now)].join('-'), '.pdf');
  const path = join(dir, fileName);
  let tmp: string | undefined = writeTempFileSync(dir, pdf);
  let published = false;
  try {
    ws.tx(() => {
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
      );
      // Last in the transaction: once published, nothing after it can roll the event back.
      publishFile(tmp!, path);
      tmp = undefined;
      published = true;
    });
  } catch (err) {
    // A commit that fails after the publish takes the file back with the event.
    if (published) rmSync(path, { force: true });
    throw err;
  } finally {
    discardTemp(tmp);
  }
  return { path, fileName, sha256, bytes: pdf.length, entries: accounting.entries.length };
}
