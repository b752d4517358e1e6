import type { Control, Framework, Requirement } from '../../../shared/compliance-data.js';
import type {
  Assessment,
  ComplianceStatus,
  EvidenceLink,
  FrameworkHistoryPoint,
  FrameworkSummary,
  RequirementState,
  WorkspaceProof,
} from '../../../shared/contract/compliance.js';
import { COMPLIANCE_STATUSES } from '../../../shared/contract/compliance.js';
import { findUser } from '../auth/users.js';
import { pageOf, type PageQuery } from '../db/list-page.js';
import { addDays, toUtcIso } from '../domain/deadlines.js';
import { yearlyId } from '../domain/ids.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import {
  assessmentRowsOfFramework,
  assessmentRowsOfRequirement,
  ensureRequirementRow,
  evidenceItemExists,
  exportRequestExists,
  frameworkEnabled,
  insertAssessment,
  requirementRow,
  requirementRowsOfFramework,
  setFrameworkRow,
  setRequirementAssessed,
  setRequirementOwner,
  type AssessmentRow,
  type RequirementRow,
} from './compliance-store.js';
import { exportedFile } from '../files/downloads.js';
import type { Workspace } from '../workspace.js';
import { loadControls, loadFrameworks } from './framework-data.js';
import { workspaceProofs } from './proofs.js';

// A workspace's compliance program: which shipped frameworks are switched on, and how it stands
// against each of their requirements. The frameworks' text is data (framework-data.ts); the state
// is in compliance_requirements, changed only by an assessment (append-only) or an assignment,
// each ledgered in the transaction that makes it.

const PRIORITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

function framework(id: string): Framework {
  const f = loadFrameworks().find((x) => x.id === id);
  if (!f) throw new CustosError('not_found', `Custos ships no framework ${id}; choose one of: ${loadFrameworks().map((x) => x.id).join(', ')}.`);
  return f;
}

function requirementOf(f: Framework, requirementId: string): Requirement {
  const r = f.requirements.find((x) => x.requirementId === requirementId);
  if (!r) throw new CustosError('not_found', `${f.shortName} has no requirement ${requirementId}.`, requirementResource({ frameworkId: f.id, requirementId }));
  return r;
}

function isEnabled(ws: Workspace, id: string): boolean {
  return frameworkEnabled(ws.db, id);
}

function rowsOf(ws: Workspace, frameworkId: string): Map<string, RequirementRow> {
  const rows = requirementRowsOfFramework(ws.db, frameworkId);
  return new Map(rows.map((r) => [r.requirement_id, r]));
}

function intervalOf(f: Framework, r: Requirement): number {
  return r.assessmentIntervalDays ?? f.assessmentIntervalDays;
}

/** Overdue: it applies, and its next assessment date has passed (a requirement never assessed is "not assessed", not overdue). */
function isOverdue(row: RequirementRow | undefined, at: string): boolean {
  return !!row && row.status !== 'not_applicable' && row.next_assessment_at !== null && row.next_assessment_at < at;
}

function toState(f: Framework, r: Requirement, row: RequirementRow | undefined, at: string): RequirementState {
  return {
    frameworkId: f.id,
    frameworkName: f.shortName,
    requirementId: r.requirementId,
    title: r.title,
    description: r.description,
    type: r.type,
    priority: r.priority,
    assessmentIntervalDays: intervalOf(f, r),
    custosEvidence: [...(r.custosEvidence ?? [])],
    status: row?.status ?? 'not_assessed',
    implemented: row?.implemented === 1,
    assignedTo: row?.assigned_to ?? null,
    lastAssessedAt: row?.last_assessed_at ?? null,
    nextAssessmentAt: row?.next_assessment_at ?? null,
    overdue: isOverdue(row, at),
  };
}

/** Reviewed as of `at`: assessed, and not longer ago than its interval (the card and its history count alike). */
function isReviewed(assessedAt: string, intervalDays: number, at: string): boolean {
  return addDays(assessedAt, intervalDays) >= at;
}

const pct = (n: number, of: number): number | null => (of === 0 ? null : Math.round((n / of) * 1000) / 10);

/** One framework's two numbers and counts, as of `at`. */
export function summarize(ws: Workspace, f: Framework, at: Date): FrameworkSummary {
  const now = at.toISOString();
  const rows = rowsOf(ws, f.id);
  const counts = Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, 0])) as Record<ComplianceStatus, number>;
  let implemented = 0;
  let overdue = 0;
  let reviewed = 0;
  for (const r of f.requirements) {
    const row = rows.get(r.requirementId);
    const status = row?.status ?? 'not_assessed';
    counts[status]++;
    if (status === 'not_applicable') continue;
    if (row?.implemented === 1) implemented++;
    if (isOverdue(row, now)) overdue++;
    if (row?.last_assessed_at && isReviewed(row.last_assessed_at, intervalOf(f, r), now)) reviewed++;
  }
  const applicable = f.requirements.length - counts.not_applicable;
  return {
    id: f.id,
    name: f.name,
    shortName: f.shortName,
    version: f.version,
    authority: f.authority,
    regions: [...f.regions],
    sectors: [...f.sectors],
    effectiveDate: f.effectiveDate,
    reviewDate: f.reviewDate,
    url: f.url,
    enabled: isEnabled(ws, f.id),
    requirements: f.requirements.length,
    applicable,
    counts,
    implemented,
    overdue,
    reviewedPct: pct(reviewed, applicable),
    compliantPct: pct(counts.compliant, applicable),
  };
}

/**
 * `frameworks.history`: the two numbers of a framework as they stood at points over the past `days`,
 * replayed from its append-only assessments (each one a ledger event). A point counts what the
 * same rules as `summarize` count, with each requirement's newest assessment at or before it; the
 * last point is `at` itself, so it equals the card's numbers.
 */
export function frameworkHistory(ws: Workspace, id: string, days: number, at: Date): { frameworkId: string; points: FrameworkHistoryPoint[] } {
  const f = framework(id);
  const assessments = assessmentRowsOfFramework(ws.db, f.id);
  const step = Math.max(1, Math.ceil(days / HISTORY_POINTS));
  const end = at.getTime();
  const first = assessments[0] ? new Date(assessments[0].assessed_at).getTime() : end;
  // From the first assessment (or the window's start, if later), a point every `step` days, then now.
  const from = Math.min(end, Math.max(end - days * DAY_MS, first));
  const times: number[] = [];
  for (let t = end; t > from; t -= step * DAY_MS) times.unshift(t);
  if (times.length === 0 || times[0]! > from) times.unshift(from);
  const latest = new Map<string, { status: ComplianceStatus; assessedAt: string }>();
  const points: FrameworkHistoryPoint[] = [];
  let next = 0;
  for (const t of times) {
    const iso = new Date(t).toISOString();
    for (; next < assessments.length && assessments[next]!.assessed_at <= iso; next++) {
      const a = assessments[next]!;
      latest.set(a.requirement_id, { status: a.status, assessedAt: a.assessed_at });
    }
    let applicable = 0;
    let compliant = 0;
    let reviewed = 0;
    for (const r of f.requirements) {
      const a = latest.get(r.requirementId);
      if (a?.status === 'not_applicable') continue;
      applicable++;
      if (a?.status === 'compliant') compliant++;
      if (a && isReviewed(a.assessedAt, intervalOf(f, r), iso)) reviewed++;
    }
    points.push({ at: iso, assessed: next, reviewedPct: pct(reviewed, applicable), compliantPct: pct(compliant, applicable) });
  }
  return { frameworkId: f.id, points };
}

/** At most this many points (plus now) in a framework's history, whatever its span. */
const HISTORY_POINTS = 90;
const DAY_MS = 86_400_000;

const FRAMEWORK_SORTS: Record<string, (a: FrameworkSummary, b: FrameworkSummary) => number> = {
  name: (a, b) => a.shortName.localeCompare(b.shortName),
  compliant: (a, b) => (a.compliantPct ?? -1) - (b.compliantPct ?? -1) || a.shortName.localeCompare(b.shortName),
  reviewed: (a, b) => (a.reviewedPct ?? -1) - (b.reviewedPct ?? -1) || a.shortName.localeCompare(b.shortName),
  overdue: (a, b) => a.overdue - b.overdue || a.shortName.localeCompare(b.shortName),
};

/** `frameworks.list`: every shipped framework with its numbers. */
export function listFrameworks(ws: Workspace, q: PageQuery & { search?: string | undefined; enabled?: boolean | undefined }, at: Date): { items: FrameworkSummary[]; total: number } {
  const needle = q.search?.toLowerCase();
  const all = loadFrameworks()
    .map((f) => summarize(ws, f, at))
    .filter((s) => q.enabled === undefined || s.enabled === q.enabled)
    .filter((s) => !needle || [s.name, s.shortName, s.authority, ...s.regions, ...s.sectors].some((t) => t.toLowerCase().includes(needle)));
  return pageOf(all, FRAMEWORK_SORTS, q);
}

/**
 * `frameworks.setEnabled`: switching a framework on gives each of its requirements a state row
 * (not assessed) the first time; switching it off keeps that state for when it is switched on again.
 */
export function setFrameworkEnabled(ws: Workspace, op: Op, id: string, enabled: boolean): FrameworkSummary {
  const at = opTime(op);
  const f = framework(id);
  ws.tx(() => {
    const was = isEnabled(ws, f.id);
    if (was === enabled) throw new CustosError('conflict', `${f.shortName} is already switched ${enabled ? 'on' : 'off'} in this workspace.`, { resourceType: 'framework', resourceId: f.id });
    const now = at.toISOString();
    setFrameworkRow(ws.db, f.id, enabled, now, op.actor);
    if (enabled) for (const r of f.requirements) ensureRequirementRow(ws.db, f.id, r.requirementId, now);
    ws.ledger.append(
      { actor: op.actor, action: 'frameworks.setEnabled', resource_type: 'framework', resource_id: f.id, details: { enabled, version: f.version, requirements: f.requirements.length } },
      at,
    );
  });
  return summarize(ws, f, at);
}

const REQUIREMENT_SORTS: Record<string, (a: RequirementState, b: RequirementState) => number> = {
  framework: (a, b) => a.frameworkName.localeCompare(b.frameworkName) || a.requirementId.localeCompare(b.requirementId, 'en', { numeric: true }),
  requirement: (a, b) => a.requirementId.localeCompare(b.requirementId, 'en', { numeric: true }) || a.frameworkName.localeCompare(b.frameworkName),
  priority: (a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || REQUIREMENT_SORTS.framework!(a, b),
  status: (a, b) => COMPLIANCE_STATUSES.indexOf(a.status) - COMPLIANCE_STATUSES.indexOf(b.status) || REQUIREMENT_SORTS.framework!(a, b),
  next_assessment: (a, b) => (a.nextAssessmentAt ?? '9999').localeCompare(b.nextAssessmentAt ?? '9999') || REQUIREMENT_SORTS.framework!(a, b),
};

/**
 * The assessments due of the switched-on frameworks, for the due list: every applicable requirement
 * with a next assessment date (overdue or not; the due list decides what is soon).
 */
export function assessmentsDue(ws: Workspace): { frameworkId: string; shortName: string; requirementId: string; title: string; status: ComplianceStatus; dueAt: string }[] {
  const out: { frameworkId: string; shortName: string; requirementId: string; title: string; status: ComplianceStatus; dueAt: string }[] = [];
  for (const f of loadFrameworks().filter((x) => isEnabled(ws, x.id))) {
    const rows = rowsOf(ws, f.id);
    for (const r of f.requirements) {
      const row = rows.get(r.requirementId);
      if (!row || row.status === 'not_applicable' || row.next_assessment_at === null) continue;
      out.push({ frameworkId: f.id, shortName: f.shortName, requirementId: r.requirementId, title: r.title, status: row.status, dueAt: row.next_assessment_at });
    }
  }
  return out;
}

export interface RequirementQuery extends PageQuery {
  search?: string | undefined;
  frameworkId?: string | undefined;
  status?: ComplianceStatus[] | undefined;
  priority?: Requirement['priority'][] | undefined;
  assignedTo?: string | undefined;
  overdue?: boolean | undefined;
}

/** `requirements.list`: the requirements of the switched-on frameworks (or of one named framework), filtered. */
export function listRequirements(ws: Workspace, q: RequirementQuery, at: Date): { items: RequirementState[]; total: number } {
  const now = at.toISOString();
  const needle = q.search?.toLowerCase();
  const frameworks = q.frameworkId ? [framework(q.frameworkId)] : loadFrameworks().filter((f) => isEnabled(ws, f.id));
  const all: RequirementState[] = [];
  for (const f of frameworks) {
    const rows = rowsOf(ws, f.id);
    for (const r of f.requirements) {
      const s = toState(f, r, rows.get(r.requirementId), now);
      if (q.status && !q.status.includes(s.status)) continue;
      if (q.priority && !q.priority.includes(s.priority)) continue;
      if (q.assignedTo !== undefined && s.assignedTo !== q.assignedTo) continue;
      if (q.overdue !== undefined && s.overdue !== q.overdue) continue;
      if (needle && ![s.requirementId, s.title, s.description].some((t) => t.toLowerCase().includes(needle))) continue;
      all.push(s);
    }
  }
  return pageOf(all, REQUIREMENT_SORTS, q);
}

function toAssessment(r: AssessmentRow): Assessment {
  return {
    id: r.id,
    frameworkId: r.framework_id,
    requirementId: r.requirement_id,
    status: r.status,
    previousStatus: r.previous_status,
    implemented: r.implemented === 1,
    notes: r.notes,
    evidence: JSON.parse(r.evidence) as EvidenceLink[],
    assessedBy: r.assessed_by,
    assessedAt: r.assessed_at,
    nextAssessmentAt: r.next_assessment_at,
  };
}

function stateOf(ws: Workspace, f: Framework, r: Requirement, at: Date): RequirementState {
  const row = requirementRow(ws.db, f.id, r.requirementId);
  return toState(f, r, row, at.toISOString());
}

/** The controls that name this requirement, each with the other requirements it also meets and their status here. */
function controlsOf(ws: Workspace, frameworkId: string, requirementId: string): { id: string; title: string; description: string; alsoMeets: { frameworkId: string; requirementId: string; status: ComplianceStatus | null }[] }[] {
  return loadControls()
    .filter((c: Control) => c.mappings.some((m) => m.framework === frameworkId && m.requirementId === requirementId))
    .map((c) => ({
      id: c.id,
      title: c.title,
      description: c.description,
      alsoMeets: c.mappings
        .filter((m) => !(m.framework === frameworkId && m.requirementId === requirementId))
        .map((m) => ({ frameworkId: m.framework, requirementId: m.requirementId, status: requirementRow(ws.db, m.framework, m.requirementId)?.status ?? null })),
    }));
}

/** `requirements.get`. */
export function getRequirement(
  ws: Workspace,
  frameworkId: string,
  requirementId: string,
  at: Date,
): { requirement: RequirementState; assessments: Assessment[]; controls: ReturnType<typeof controlsOf>; proofs: WorkspaceProof[] } {
  const f = framework(frameworkId);
  const r = requirementOf(f, requirementId);
  const assessments = assessmentRowsOfRequirement(ws.db, f.id, r.requirementId).map(toAssessment);
  return { requirement: stateOf(ws, f, r, at), assessments, controls: controlsOf(ws, f.id, r.requirementId), proofs: workspaceProofs(ws, r.custosEvidence ?? []) };
}

/** How the ledger names a requirement: "<framework> <requirement>", as its link does. */
export function requirementResource(input: { frameworkId: string; requirementId: string }): { resourceType: string; resourceId: string } {
  return { resourceType: 'requirement', resourceId: `${input.frameworkId} ${input.requirementId}` };
}

/** A requirement of a switched-on framework, or a clear refusal. */
function enabledRequirement(ws: Workspace, frameworkId: string, requirementId: string): { f: Framework; r: Requirement; row: RequirementRow } {
  const f = framework(frameworkId);
  const r = requirementOf(f, requirementId);
  if (!isEnabled(ws, f.id)) throw new CustosError('conflict', `${f.shortName} is switched off in this workspace; switch it on to assess its requirements.`, { resourceType: 'framework', resourceId: f.id });
  // Switching a framework on gave each of its requirements a row.
  const row = requirementRow(ws.db, f.id, r.requirementId)!;
  return { f, r, row };
}

/** Every linked piece of evidence must exist in this workspace: a link to nothing is no evidence. */
function checkEvidence(ws: Workspace, links: readonly EvidenceLink[]): void {
  for (const link of links) {
    const missing = (what: string) => new CustosError('validation', `The linked ${what} ${link.id} does not exist in this workspace.`);
    if (link.type === 'evidence' && !evidenceItemExists(ws.db, link.id)) throw missing('evidence item');
    if (link.type === 'export' && !exportRequestExists(ws.db, link.id)) throw missing('export request');
    if (link.type === 'event') {
      const seq = Number(link.id);
      if (!/^\d{1,15}$/.test(link.id) || seq < 1 || seq > ws.ledger.head().size) throw missing('ledger event');
    }
    if (link.type === 'report') {
      try {
        exportedFile(ws, link.id);
      } catch {
        throw missing('report file');
      }
    }
  }
}

export interface AssessInput {
  frameworkId: string;
  requirementId: string;
  status: Exclude<ComplianceStatus, 'not_assessed'>;
  implemented: boolean;
  notes: string;
  evidence: EvidenceLink[];
  nextAssessmentAt?: string | undefined;
}

/**
 * `requirements.assess`: one assessment (append-only) and the requirement's new state, with its
 * ledger event, in one transaction. The next assessment is due at the given date, else after the
 * requirement's interval; it must lie in the future.
 */
export function assessRequirement(ws: Workspace, op: Op, input: AssessInput): { requirement: RequirementState; assessment: Assessment } {
  const at = opTime(op);
  const now = at.toISOString();
  const next = input.nextAssessmentAt ? toUtcIso(input.nextAssessmentAt) : null;
  if (next !== null && next <= now) throw new CustosError('validation', 'The next assessment must be scheduled in the future.');
  const { f, r, assessment } = ws.tx(() => {
    const { f, r, row } = enabledRequirement(ws, input.frameworkId, input.requirementId);
    checkEvidence(ws, input.evidence);
    const nextAt = next ?? addDays(now, intervalOf(f, r));
    const id = yearlyId(ws, 'ASM', at);
    const assessment: AssessmentRow = {
      id,
      framework_id: f.id,
      requirement_id: r.requirementId,
      status: input.status,
      previous_status: row.status,
      implemented: input.implemented ? 1 : 0,
      notes: input.notes,
      evidence: JSON.stringify(input.evidence),
      assessed_by: op.actor,
      assessed_at: now,
      next_assessment_at: nextAt,
    };
    insertAssessment(ws.db, assessment);
    setRequirementAssessed(ws.db, { framework_id: f.id, requirement_id: r.requirementId, status: input.status, implemented: input.implemented ? 1 : 0, last_assessed_at: now, next_assessment_at: nextAt });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'requirements.assess',
        resource_type: 'requirement',
        resource_id: `${f.id} ${r.requirementId}`,
        details: {
          assessment: id,
          from: row.status,
          to: input.status,
          implemented: input.implemented,
          notes: input.notes,
          evidence: input.evidence.map((e) => `${e.type}:${e.id}`),
          next_assessment_at: nextAt,
        },
      },
      at,
    );
    return { f, r, assessment };
  });
  // The answer is the row written and the state it left; the detail's controls and proofs are read on requirements.get.
  return { requirement: stateOf(ws, f, r, at), assessment: toAssessment(assessment) };
}

/** `requirements.assign`: the owner must be an active user; nobody (null) clears it. */
export function assignRequirement(ws: Workspace, op: Op, input: { frameworkId: string; requirementId: string; assignee: string | null }): RequirementState {
  const at = opTime(op);
  ws.tx(() => {
    const { f, r, row } = enabledRequirement(ws, input.frameworkId, input.requirementId);
    if (input.assignee !== null) {
      const user = findUser(ws, input.assignee);
      if (!user || user.disabled) throw new CustosError('validation', `There is no active user named ${input.assignee}.`);
    }
    if (row.assigned_to === input.assignee) throw new CustosError('conflict', `${r.requirementId} is already assigned to ${input.assignee ?? 'nobody'}.`);
    setRequirementOwner(ws.db, f.id, r.requirementId, input.assignee, at.toISOString());
    ws.ledger.append(
      { actor: op.actor, action: 'requirements.assign', resource_type: 'requirement', resource_id: `${f.id} ${r.requirementId}`, details: { from: row.assigned_to, to: input.assignee } },
      at,
    );
  });
  const f = framework(input.frameworkId);
  return stateOf(ws, f, requirementOf(f, input.requirementId), at);
}
