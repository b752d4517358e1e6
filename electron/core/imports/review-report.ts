import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { now } from '../clock.js';
import { renderPdf } from '../pdf/fonts.js';
import { EXPORTS_DIR, type Workspace } from '../workspace.js';
import { importPin, listFindings } from './findings.js';
import { importStats, queryImportedEvents, readableImport, storedConsistency, storedReport, toImportSummary } from './imports-store.js';
import { reviewReportDefinition, type ReviewReportInput } from './review-report-pdf.js';

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

/** `20261123T103122Z`: a time that sorts and is safe in a file name. */
function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

function freePath(dir: string, base: string): string {
  let path = join(dir, `${base}.pdf`);
  for (let n = 2; existsSync(path) || existsSync(`${path}.partial`); n++) path = join(dir, `${base}-${n}.pdf`);
  return path;
}

function writeDurable(path: string, bytes: Buffer): void {
  // 0o600: the report names people and actions; others on the machine need not read it.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the verification report of an imported bundle as a PDF into the workspace's exports
 * folder and ledgers it with its SHA-256. The file appears (renamed from `.partial`) in the same
 * transaction that appends the event: if the ledger refuses the event, no report is left behind.
 */
export async function writeReviewReport(ws: Workspace, actor: string, id: number): Promise<{ path: string; sha256: string; bytes: number }> {
  const generatedAt = now().toISOString();
  const input = reviewReportInput(ws, id, actor, generatedAt);
  const pdf = await renderPdf(reviewReportDefinition(input));
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const dir = join(ws.dir, EXPORTS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = freePath(dir, `verification-report-import-${id}-${stamp(generatedAt)}`);
  const partial = `${path}.partial`;
  writeDurable(partial, pdf);
  let published = false;
  try {
    ws.tx(() => {
      ws.ledger.append({
        actor,
        action: 'imports.report',
        resource_type: 'import',
        resource_id: String(id),
        details: {
          file_name: path.slice(dir.length + 1),
          sha256,
          bytes: pdf.length,
          bundle_sha256: input.import.fileSha256,
          source_workspace_id: input.import.sourceWorkspaceId,
          valid: input.report.valid,
          status: input.import.status,
          findings: input.findings.length,
        },
      });
      renameSync(partial, path);
      published = true;
    });
  } catch (err) {
    rmSync(partial, { force: true });
    if (published) rmSync(path, { force: true });
    throw err;
  }
  return { path, sha256, bytes: pdf.length };
}
