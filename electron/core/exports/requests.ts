import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { ExportFormatName, ExportRequest } from '../../../shared/contract/exports.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import { exportContentDetails, exportContentOf, exportContentRow } from './export-content.js';
import type { Role } from '../../../shared/roles.js';
import { now as clockNow } from '../clock.js';
import { yearlyId, yearPrefix } from '../domain/ids.js';
import { CustosError, failureText } from '../errors.js';
import { exportedFile } from '../files/downloads.js';
import { copyOut } from '../files/export-file.js';
import { loadPolicy } from '../policy.js';
import { EXPORTS_DIR, type Workspace } from '../workspace.js';
import { CSV_EVIDENCE_MESSAGE, writeExport } from './formats/index.js';
import { createMasker, getMaskingProfile, leavesPeopleInClear } from './masking.js';
import { countEventsInScope, countEvidenceInScope, eventsInScope, evidenceInScope, exportScope, type ExportScope } from './scope.js';
import type { CaseResourceProvider } from '../cases/case-scope.js';
import { opTime, type Op } from '../domain/op.js';
import {
  type ExportRequestQuery,
  exportRequestRowsPage,
  type ExportRequestRow,
  findExportRequestRow,
  insertExportRequestRow,
  optedOutSubjectRows,
  seedExportIdCounter,
  setExportDecided,
  setExportExecuted,
  setExportFailed,
} from './exports-store.js';

interface ExportPolicy {
  approvalRequired: Record<ExportRequest['type'], boolean>;
  approverRoles: Role[];
  pdfMaxRows: number;
  defaultDueDays: number;
}

function toRequest(r: ExportRequestRow): ExportRequest {
  return {
    id: r.id,
    title: r.title,
    ...exportContentOf(r),
    status: r.status,
    dueAt: r.due_at,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    executedBy: r.executed_by,
    executedAt: r.executed_at,
    fileName: r.output_path === null ? null : basename(r.output_path),
    sha256: r.sha256,
    bytes: r.bytes,
    rows: r.rows,
    checkpointSize: r.checkpoint_size,
    error: r.error,
  };
}

/** The last event an export's scope reaches: its checkpoint, or the filter's throughSeq when that is earlier (events and evidence register alike). */
function scopeEnd(filters: LedgerFilter, size: number): number {
  return Math.min(size, filters.throughSeq ?? size);
}

export function exportPolicy(): ExportPolicy {
  return loadPolicy<ExportPolicy>('exports');
}

/** One export request; throws not_found. */
export function getExportRequest(ws: Workspace, id: string): ExportRequest {
  const row = findExportRequestRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no export request ${id}.`, { resourceType: 'export_request', resourceId: id });
  return toRequest(row);
}

/** A page of export requests (newest first by default), by status or free text, and the total. */
export function listExportRequests(
  ws: Workspace,
  q: ExportRequestQuery,
): { items: ExportRequest[]; total: number } {
  const page = exportRequestRowsPage(ws.db, q);
  return { items: page.rows.map(toRequest), total: page.total };
}

/** The next EXP-<year>-NNNN from the one id allocator; a workspace from before it starts its counter after its existing requests. */
export function nextExportRequestId(ws: Workspace, at: Date): string {
  const prefix = yearPrefix('EXP', at);
  seedExportIdCounter(ws.db, prefix);
  return yearlyId(ws, 'EXP', at);
}

export interface NewExportRequest {
  title: string;
  type: ExportRequest['type'];
  format: ExportFormatName;
  filters: LedgerFilter;
  caseId?: string;
  includeEvidence: boolean;
  includeAuditTrail: boolean;
  masking: string;
  purpose: string;
  recipient: string;
  dueAt?: string;
}

/**
 * Why a request for these contents in this format can never run, or null. Checked when the
 * request is made and again before it runs (a request stored by an older version may predate it).
 */
export function contentsProblem(format: ExportRequest['format'], includeEvidence: boolean, includeAuditTrail: boolean): string | null {
  if (!includeEvidence && !includeAuditTrail) {
    return 'There is nothing to export: include the audit trail, the evidence register, or both.';
  }
  if (format === 'csv' && includeEvidence) return CSV_EVIDENCE_MESSAGE;
  return null;
}

/**
 * A PDF is laid out whole in memory, so it is capped by policy; a request whose scope is
 * already over the cap is refused now rather than approved and then failing when it runs.
 */
function pdfLimitProblem(ws: Workspace, input: NewExportRequest, scope: ExportScope, maxRows: number): string | null {
  const max = maxRows.toLocaleString('en-US');
  if (input.includeAuditTrail) {
    const events = countEventsInScope(ws, scope);
    if (events > maxRows) {
      return (
        `A PDF export is limited to ${max} events and this request covers ${events.toLocaleString('en-US')}; ` +
        'narrow the filters, the dates or the case, or choose JSON, NDJSON, XML or CSV.'
      );
    }
  }
  if (input.includeEvidence) {
    const { pdfRows } = countEvidenceInScope(ws, scope);
    if (pdfRows > maxRows) {
      return (
        `A PDF export is limited to ${max} evidence rows (items and custody entries) and this request covers ${pdfRows.toLocaleString('en-US')}; ` +
        'narrow the case or the dates, or choose JSON, NDJSON or XML.'
      );
    }
  }
  return null;
}

/** Why a request must be approved by a second person whatever its type: what it would carry. */
export type ContentApprovalReason = 'evidence-register' | 'unmasked-personal-data';

/**
 * What in a request's content always needs approval by another user, whatever type the requester
 * chose: the evidence register, or people left in clear (no masking, or a profile that leaves
 * actors, person ids or the details that name people readable).
 */
export function contentApprovalReasons(input: Pick<NewExportRequest, 'includeEvidence' | 'masking'>): ContentApprovalReason[] {
  const reasons: ContentApprovalReason[] = [];
  if (input.includeEvidence) reasons.push('evidence-register');
  if (leavesPeopleInClear(getMaskingProfile(input.masking))) reasons.push('unmasked-personal-data');
  return reasons;
}

/**
 * Records a request. It is approved by policy at once only when its type needs no approval and
 * its content is masked without the evidence register; otherwise it waits for another user.
 * `providers` (createCore's wiring) complete the case's scope.
 */
export function requestExport(ws: Workspace, op: Op, input: NewExportRequest, providers: readonly CaseResourceProvider[]): ExportRequest {
  const { actor } = op;
  getMaskingProfile(input.masking);
  const policy = exportPolicy();
  // Resolved first: an unknown case is refused before anything is counted or recorded.
  const scope = exportScope(ws, { filters: input.filters, caseId: input.caseId ?? null, throughSeq: scopeEnd(input.filters, ws.ledger.head().size) }, providers);
  const problem =
    contentsProblem(input.format, input.includeEvidence, input.includeAuditTrail) ??
    (input.format === 'pdf' ? pdfLimitProblem(ws, input, scope, policy.pdfMaxRows) : null);
  if (problem) throw new CustosError('validation', problem, { format: input.format, includeEvidence: input.includeEvidence, includeAuditTrail: input.includeAuditTrail });
  const now = opTime(op);
  const due = input.dueAt ?? new Date(now.getTime() + policy.defaultDueDays * 86_400_000).toISOString();
  const byContent = contentApprovalReasons(input);
  // The type is the requester's claim; the content is what leaves, so it can only add a second person.
  const needsApproval = policy.approvalRequired[input.type] !== false || byContent.length > 0;
  return ws.tx(() => {
    const id = nextExportRequestId(ws, now);
    const content = exportContentRow(input);
    insertExportRequestRow(ws.db, {
      id,
      title: input.title,
      ...content,
      status: needsApproval ? 'pending' : 'approved',
      due_at: due,
      requested_by: actor,
      requested_at: now.toISOString(),
      decided_by: needsApproval ? null : 'policy',
      decided_at: needsApproval ? null : now.toISOString(),
      decision_note: needsApproval ? null : `Policy: ${input.type} exports of masked data without the evidence register need no approval.`,
    });
    ws.ledger.append({
      actor,
      action: 'exports.request',
      resource_type: 'export_request',
      resource_id: id,
      details: {
        ...exportContentDetails(content),
        approval: needsApproval ? 'required' : 'not-required',
        approval_reasons: [...(policy.approvalRequired[input.type] !== false ? ['type'] : []), ...byContent],
      },
    }, now);
    return getExportRequest(ws, id);
  });
}

/** Approves or rejects a pending request; the requester can never decide their own. */
export function decideExport(ws: Workspace, op: Op, id: string, decision: 'approve' | 'reject', note: string): ExportRequest {
  return ws.tx(() => {
    const req = getExportRequest(ws, id);
    if (req.status !== 'pending') {
      throw new CustosError('conflict', `Export request ${id} is ${req.status}; only a pending request can be ${decision === 'approve' ? 'approved' : 'rejected'}.`, { resourceType: 'export_request', resourceId: id });
    }
    if (req.requestedBy === op.actor) {
      throw new CustosError('forbidden', `You requested ${id}; a different user must ${decision} it (separation of duties).`, { resourceType: 'export_request', resourceId: id });
    }
    if (!op.role || !exportPolicy().approverRoles.includes(op.role)) {
      throw new CustosError('forbidden', `Your role (${op.role ?? 'none'}) may not decide export requests.`, { resourceType: 'export_request', resourceId: id });
    }
    const status = decision === 'approve' ? 'approved' : 'rejected';
    const decidedAt = opTime(op);
    setExportDecided(ws.db, id, status, op.actor, decidedAt.toISOString(), note);
    ws.ledger.append({ actor: op.actor, action: `exports.${decision}`, resource_type: 'export_request', resource_id: id, details: { note } }, decidedAt);
    return getExportRequest(ws, id);
  });
}

const EXTENSIONS: Record<ExportFormatName, string> = { csv: 'csv', json: 'json', ndjson: 'ndjson', xml: 'xml', pdf: 'pdf' };

/** What identifies a subject who opted out of directory information (FERPA 99.37): ids, student id, name, email. */
function optedOutValues(ws: Workspace): string[] {
  const rows = optedOutSubjectRows(ws.db);
  return rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === 'string' && v.length > 0));
}

/**
 * Runs an approved request: signs a checkpoint, streams what it covers (masked) into the file —
 * the events when it includes the audit trail, then the evidence register when it includes
 * evidence — and records the file's SHA-256 with a second checkpoint that covers the export
 * event. Progress reports events written against the number of events in scope.
 */
export async function executeExport(
  ws: Workspace,
  op: Op,
  id: string,
  providers: readonly CaseResourceProvider[],
  opts: { signal?: AbortSignal; onProgress?: (rows: number, total: number) => void },
): Promise<ExportRequest> {
  const { actor } = op;
  const req = runnableRequest(ws, op, id);
  if (req.format === 'bundle') {
    // Run through bundle/bundle-requests.ts (exports.execute routes it there); never written as a data export.
    throw new CustosError('conflict', `Export request ${id} is a signed bundle; it runs as a bundle, not as a data export.`, { resourceType: 'export_request', resourceId: id });
  }
  const problem = contentsProblem(req.format, req.includeEvidence, req.includeAuditTrail);
  if (problem) {
    // Stored before the check existed: it can never run, so it is marked failed (ledgered with it).
    ws.tx(() => {
      setExportFailed(ws.db, id, problem);
      ws.ledger.append({ actor, action: 'exports.execute', resource_type: 'export_request', resource_id: id, outcome: 'failure', details: { reason: problem } });
    });
    throw new CustosError('validation', problem, { resourceType: 'export_request', resourceId: id, ledgered: true });
  }
  // Always a new file of the workspace's exports folder; the random part makes the name unguessable in advance.
  const exportsDir = join(ws.dir, EXPORTS_DIR);
  mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
  const outPath = join(exportsDir, `${id}-${randomBytes(8).toString('hex')}.${EXTENSIONS[req.format as ExportFormatName]}`);
  return whileRunning(ws, id, () => runExport(ws, actor, req, outPath, providers, opts));
}

/**
 * Runs an approved request of a scheduled export (schedules/run-schedules.ts) as `actor` (the
 * system): the schedule's approval covers its runs, so the requester check of a person's run does
 * not apply; every other rule of executeExport does.
 */
export async function executeScheduledExport(
  ws: Workspace,
  actor: string,
  id: string,
  providers: readonly CaseResourceProvider[],
): Promise<ExportRequest> {
  const req = getExportRequest(ws, id);
  if (req.status !== 'approved' || req.format === 'bundle') {
    throw new CustosError('conflict', `Export request ${id} is ${req.status}; only an approved data export can run on a schedule.`, { resourceType: 'export_request', resourceId: id });
  }
  if (running.get(ws)?.has(id)) {
    throw new CustosError('conflict', `Export request ${id} is running now; wait for it to finish.`, { resourceType: 'export_request', resourceId: id });
  }
  const exportsDir = join(ws.dir, EXPORTS_DIR);
  mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
  const outPath = join(exportsDir, `${id}-${randomBytes(8).toString('hex')}.${EXTENSIONS[req.format as ExportFormatName]}`);
  return whileRunning(ws, id, () => runExport(ws, actor, req, outPath, providers, {}));
}

/**
 * The checks every run of a request passes first, whatever it writes (an export here, a signed
 * bundle in bundle/bundle-requests.ts): approved, not running now, and run by its requester.
 */
export function runnableRequest(ws: Workspace, op: Op, id: string): ExportRequest {
  const req = getExportRequest(ws, id);
  if (req.status !== 'approved') {
    throw new CustosError('conflict', `Export request ${id} is ${req.status}; only an approved request can run.`, { resourceType: 'export_request', resourceId: id });
  }
  if (running.get(ws)?.has(id)) {
    // One approval, one file: a second run while the first is writing would make another.
    throw new CustosError('conflict', `Export request ${id} is running now; wait for it to finish.`, { resourceType: 'export_request', resourceId: id });
  }
  if (req.requestedBy !== op.actor) {
    // The approval was given to the requester's request, not to whoever may run exports.
    throw new CustosError('forbidden', `Only ${req.requestedBy}, who requested ${id}, may run it; ask them, or make a request of your own.`, {
      resourceType: 'export_request',
      resourceId: id,
    });
  }
  return req;
}

/** Runs `fn` with request `id` marked as running, so a second run of it is refused meanwhile. */
export async function whileRunning<T>(ws: Workspace, id: string, fn: () => Promise<T>): Promise<T> {
  const runs = running.get(ws) ?? new Set<string>();
  running.set(ws, runs);
  runs.add(id);
  try {
    return await fn();
  } finally {
    runs.delete(id);
  }
}

/** Export requests being written right now, per open workspace. */
const running = new WeakMap<Workspace, Set<string>>();

async function runExport(
  ws: Workspace,
  actor: string,
  req: ExportRequest,
  outPath: string,
  providers: readonly CaseResourceProvider[],
  opts: { signal?: AbortSignal; onProgress?: (rows: number, total: number) => void },
): Promise<ExportRequest> {
  const id = req.id;
  const anchor = ws.tx(() => ws.signCheckpoint(`export:${id}`));
  const filters: LedgerFilter = req.filters;
  const masker = req.masking === 'none' ? undefined : createMasker(getMaskingProfile(req.masking), randomBytes(32), { optedOut: optedOutValues(ws) });
  const meta = {
    title: req.title,
    workspaceName: ws.name,
    workspaceId: ws.id,
    generatedAt: clockNow().toISOString(),
    requestedBy: req.requestedBy,
    approvedBy: req.decidedBy ?? undefined,
    filters: { ...filters, ...(req.caseId ? { case: req.caseId } : {}), through_seq: anchor.size },
    masking: req.masking,
    checkpoint: { size: anchor.size, root: anchor.root, key_id: anchor.key_id, signature: anchor.signature },
    includes: { auditTrail: req.includeAuditTrail, evidence: req.includeEvidence },
  };
  const scope = exportScope(ws, { filters, caseId: req.caseId, throughSeq: scopeEnd(filters, anchor.size) }, providers);
  const total = req.includeAuditTrail ? countEventsInScope(ws, scope) : 0;
  const onProgress = opts.onProgress;
  try {
    const result = await ws.whileReadingLedger(() =>
      writeExport(req.format as ExportFormatName, req.includeAuditTrail ? eventsInScope(ws, scope) : [], outPath, masker ? { ...meta, ...masker.meta(meta) } : meta, {
        signal: opts.signal,
        ...(onProgress ? { onProgress: (rows: number) => onProgress(rows, total) } : {}),
        mask: masker,
        ...(req.includeEvidence ? { evidence: evidenceInScope(ws, scope), ...(masker ? { maskEvidence: masker.evidence } : {}) } : {}),
        pdfMaxRows: exportPolicy().pdfMaxRows,
      }),
    );
    return ws.tx(() => {
      const executedAt = clockNow();
      setExportExecuted(ws.db, id, {
        by: actor,
        at: executedAt.toISOString(),
        outputPath: outPath,
        sha256: result.sha256,
        bytes: result.bytes,
        rows: result.rows,
        checkpointSize: anchor.size,
      });
      ws.ledger.append({
        actor,
        action: 'exports.execute',
        resource_type: 'export_request',
        resource_id: id,
        details: {
          format: req.format,
          rows: result.rows,
          ...(req.includeEvidence ? { evidence_items: result.evidenceItems ?? 0 } : {}),
          bytes: result.bytes,
          sha256: result.sha256,
          masking: req.masking,
          filters: req.filters,
          through_seq: anchor.size,
          path: outPath,
        },
      }, executedAt);
      ws.signCheckpoint(`export:${id}:done`);
      return getExportRequest(ws, id);
    });
  } catch (err) {
    // The file did not exist before (its name is fresh); if it was written but not recorded, it must not stay behind.
    rmSync(outPath, { force: true });
    const cancelled = err instanceof CustosError && err.code === 'cancelled';
    const message = err instanceof CustosError ? err.message : 'The export could not be written.';
    if (!ws.isOpen) throw err;
    ws.tx(() => {
      if (!cancelled) setExportFailed(ws.db, id, message);
      ws.ledger.append({ actor, action: 'exports.execute', resource_type: 'export_request', resource_id: id, outcome: 'failure', details: { reason: cancelled ? 'cancelled' : message } });
    });
    throw new CustosError(err instanceof CustosError ? err.code : 'failure', message, { resourceType: 'export_request', resourceId: id, ledgered: true });
  }
}

/**
 * Copies the file of an executed export to `dest` for the command line (`custos export --out`):
 * only its executor may, never over an existing file, owner-only, checked against the recorded
 * SHA-256; ledgered (`exports.copy`). Sessions have no channel for this: they never name a path.
 */
export async function copyExportTo(ws: Workspace, op: Op, id: string, dest: string): Promise<{ path: string; sha256: string; bytes: number }> {
  const { actor } = op;
  const req = getExportRequest(ws, id);
  const refuse = (code: 'forbidden' | 'conflict' | 'validation', message: string): never => {
    ws.record({ actor, action: 'exports.copy', resource_type: 'export_request', resource_id: id, outcome: code === 'forbidden' ? 'denied' : 'failure', details: { code, message } });
    throw new CustosError(code, message, { resourceType: 'export_request', resourceId: id, ledgered: true });
  };
  if (!isAbsolute(dest)) refuse('validation', 'The output path must be absolute.');
  if (req.status !== 'executed' || !req.fileName || !req.sha256) refuse('conflict', `Export request ${id} is ${req.status}; only an executed export can be copied.`);
  if (req.executedBy !== actor) refuse('forbidden', `Only ${req.executedBy ?? 'its executor'}, who ran ${id}, may copy its file.`);
  // The one hash-checked copy-out (files/export-file.ts): via a private temporary file beside `dest`,
  // published without replacing anything (a file or link planted at that name is never written through).
  try {
    await copyOut(exportedFile(ws, req.fileName!), dest, req.sha256!);
  } catch (err) {
    if (err instanceof CustosError && err.code === 'conflict') return refuse('conflict', `${dest} already exists; choose a new file name.`);
    if (err instanceof CustosError) throw err;
    return refuse('validation', `${dest} cannot be created (${failureText(err)}).`);
  }
  const sha256 = req.sha256!;
  const bytes = statSync(dest).size;
  ws.record({ actor, action: 'exports.copy', resource_type: 'export_request', resource_id: id, details: { path: dest, sha256, bytes } });
  return { path: dest, sha256, bytes };
}
