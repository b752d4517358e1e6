import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { CustosError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { Workspace } from '../workspace.js';
import { renderAccounting } from './accounting-pdf.js';
import { accountingFor } from './disclosures.js';
import { now as clockNow } from '../clock.js';

/**
 * `disclosures.accountingReport`: the per-subject accounting as a PDF, written to `outPath` (which must
 * not exist yet) or returned inline for the browser to save. Its SHA-256 goes into the ledger event.
 */
export async function accountingReport(
  ws: Workspace,
  actor: string,
  input: { subjectId: string; asOf?: string; audience: 'subject' | 'internal'; outPath?: string },
  now: Date = clockNow(),
): Promise<{ path: string | null; pdfBase64: string | null; sha256: string; bytes: number; entries: number }> {
  if (input.outPath !== undefined) {
    if (!isAbsolute(input.outPath)) throw new CustosError('validation', 'Choose the output file as an absolute path.');
    if (existsSync(input.outPath)) throw new CustosError('conflict', `${input.outPath} already exists; choose a new file name.`);
    if (!existsSync(dirname(input.outPath))) throw new CustosError('not_found', `The folder ${dirname(input.outPath)} does not exist.`);
  }
  const accounting = accountingFor(ws, input.subjectId, input.audience, input.asOf, now);
  const pdf = await renderAccounting(accounting, { workspaceName: ws.name, generatedAt: now.toISOString(), generatedBy: actor });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  ws.tx(() => {
    ws.ledger.append({
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
        path: input.outPath ?? null,
      },
    }, now);
    if (input.outPath) writeFileAtomic(input.outPath, pdf);
  });
  return { path: input.outPath ?? null, pdfBase64: input.outPath ? null : pdf.toString('base64'), sha256, bytes: pdf.length, entries: accounting.entries.length };
}
