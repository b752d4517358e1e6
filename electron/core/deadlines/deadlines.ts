import type { Deadline, DeadlineKind } from '../../../shared/contract/deadlines.js';
import { pageOf, type PageQuery } from '../db/list-page.js';
import { assessmentsDue } from '../compliance/programs.js';
import { dueAcrossHolds } from '../holds/custodians.js';
import { incidentTaskDeadlines } from '../incidents/clock-deadlines.js';
import { privacyRequestDeadlines } from '../privacy/privacy-deadlines.js';
import { securityPolicy } from '../policy.js';
import { stepsDue } from '../workflows/workflows.js';
import type { Workspace } from '../workspace.js';
import { addDays, deadlinePolicy } from '../domain/deadlines.js';
import { calendarDate, daysUntil } from '../../../shared/day-count.js';
import { workspaceTimeZone } from '../time-zone.js';
import { keyRotationMeta, openAccessDueRows, openAmendmentDueRows, openSubpoenaDueRows } from './deadlines-store.js';

type Raw = Omit<Deadline, 'dueDate' | 'daysRemaining' | 'overdue' | 'dueSoon'>;

/** Deadlines counted in hours (seed 002's 1/24/72-hour breach clock), not calendar days. */
const HOURLY_KINDS: ReadonlySet<DeadlineKind> = new Set<DeadlineKind>(['incident_task']);

function amendmentDeadlines(ws: Workspace, hearingDecisionDays: number, now: string): Raw[] {
  const rows = openAmendmentDueRows(ws.db);
  const out: Raw[] = [];
  for (const r of rows) {
    const base = { refType: 'amendment', refId: r.id, subjectId: r.subject_id, state: r.state };
    if (r.state === 'received' || r.state === 'under_review') {
      out.push({ ...base, kind: 'amendment_decision', title: `Decide amendment request ${r.id} (${r.name})`, dueAt: r.due_at });
    } else if (r.state === 'hearing_requested' && r.hearing_due_at) {
      out.push({ ...base, kind: 'amendment_hearing', title: `Hold the hearing on ${r.id} (${r.name})`, dueAt: r.hearing_due_at });
    } else if (r.state === 'hearing_scheduled' && r.hearing_at) {
      // Until the hearing date the hearing is what is due; after it, its written decision.
      if (r.hearing_at > now) {
        out.push({ ...base, kind: 'amendment_hearing', title: `Hearing on ${r.id} (${r.name})`, dueAt: r.hearing_at });
      } else {
        out.push({
          ...base,
          kind: 'amendment_hearing_decision',
          title: `Write the hearing decision on ${r.id} (${r.name})`,
          dueAt: addDays(r.hearing_at, hearingDecisionDays),
        });
      }
    }
  }
  return out;
}

function subpoenaDeadlines(ws: Workspace): Raw[] {
  const rows = openSubpoenaDueRows(ws.db);
  const out: Raw[] = [];
  for (const r of rows) {
    const base = { refType: 'subpoena', refId: r.id, subjectId: r.subject_id, state: r.state };
    if (r.state === 'received' || r.state === 'verified') {
      out.push({ ...base, kind: 'subpoena_notice', title: `Notify ${r.name} of subpoena ${r.id} before compliance`, dueAt: r.notice_due_at });
    }
    out.push({ ...base, kind: 'subpoena_response', title: `Respond to subpoena ${r.id} from ${r.issuer}`, dueAt: r.due_at });
  }
  return out;
}

function accessDeadlines(ws: Workspace): Raw[] {
  const rows = openAccessDueRows(ws.db);
  return rows.map((r) => ({
    kind: 'access_request' as const,
    refType: 'access_request',
    refId: r.id,
    subjectId: r.subject_id,
    state: 'open',
    title: `Give ${r.name} access to their records (${r.id})`,
    dueAt: r.due_at,
  }));
}

/**
 * Hold reminders and escalations, as the holds area computes them (`dueAcrossHolds`, periods in
 * resources/policies/holds.json), so the due list and the Holds screen never disagree.
 */
function holdDeadlines(ws: Workspace, now: Date): Raw[] {
  return dueAcrossHolds(ws, 3650, now).map((d) => ({
    kind: d.kind === 'escalation' ? ('hold_escalation' as const) : ('hold_reminder' as const),
    refType: 'hold',
    refId: d.holdId,
    subjectId: null,
    state: 'active',
    title:
      d.kind === 'escalation'
        ? `Escalate: ${d.custodianName} has not acknowledged hold ${d.holdId} (${d.holdTitle})`
        : `Remind ${d.custodianName} of hold ${d.holdId} (${d.holdTitle})`,
    dueAt: d.dueAt,
  }));
}

/** Re-assessments of the requirements of switched-on frameworks (issue 11: overdue assessments on the due list). */
function assessmentDeadlines(ws: Workspace): Raw[] {
  return assessmentsDue(ws).map((a) => ({
    kind: 'assessment' as const,
    refType: 'requirement',
    refId: `${a.frameworkId} ${a.requirementId}`,
    subjectId: null,
    state: a.status,
    title: `Assess ${a.shortName} ${a.requirementId} (${a.title})`,
    dueAt: a.dueAt,
  }));
}

/** Pending steps of open workflows (issue 11: overdue steps on the due list). */
function workflowStepDeadlines(ws: Workspace): Raw[] {
  return stepsDue(ws).map((s) => ({
    kind: 'workflow_step' as const,
    refType: 'workflow',
    refId: s.instanceId,
    subjectId: null,
    state: 'pending',
    title: `${s.stepTitle} (${s.title})`,
    dueAt: s.dueAt,
  }));
}

/**
 * The next re-key of the database (resources/policies/security.json keyRotationDays, seed 002:
 * quarterly), counted from the last re-key or, before the first, from the workspace's creation.
 */
function keyRotationDeadline(ws: Workspace): Raw[] {
  const meta = keyRotationMeta(ws.db);
  const last = meta.find((m) => m.key === 'key_rotated_at')?.value ?? meta.find((m) => m.key === 'created_at')?.value;
  if (!last) return [];
  return [
    {
      kind: 'key_rotation',
      refType: 'workspace',
      refId: ws.id,
      subjectId: null,
      state: 'due',
      title: 'Re-key the workspace database (custos rekey, or disable a departed user)',
      dueAt: addDays(last, securityPolicy().keyRotationDays),
    },
  ];
}

/** The one due list of DESIGN §9 and issue 5 item 8: every open deadline, soonest first, as of `now`. */
export function listDeadlines(
  ws: Workspace,
  now: Date,
  opts: { kinds?: readonly DeadlineKind[]; withinDays?: number; keyRotation?: boolean } = {},
): Deadline[] {
  const policy = deadlinePolicy();
  const nowIso = now.toISOString();
  const raw = [
    ...amendmentDeadlines(ws, policy.amendment.hearingDecisionDays, nowIso),
    ...subpoenaDeadlines(ws),
    ...accessDeadlines(ws),
    ...holdDeadlines(ws, now),
    ...assessmentDeadlines(ws),
    ...workflowStepDeadlines(ws),
    ...incidentTaskDeadlines(ws),
    ...privacyRequestDeadlines(ws),
    ...(opts.keyRotation ? keyRotationDeadline(ws) : []),
  ];
  const kinds = opts.kinds && opts.kinds.length > 0 ? new Set(opts.kinds) : null;
  // Calendar days in the workspace's zone: an item is due on a day, and overdue from the next; a
  // task of the breach clock counts hours and is overdue the moment its due time passes.
  const { timeZone } = workspaceTimeZone(ws);
  return raw
    .filter((d) => !kinds || kinds.has(d.kind))
    .map((d) => {
      const days = daysUntil(d.dueAt, now, timeZone);
      const overdue = HOURLY_KINDS.has(d.kind) ? d.dueAt < nowIso : days < 0;
      return { ...d, dueDate: calendarDate(d.dueAt, timeZone), daysRemaining: days, overdue, dueSoon: !overdue && days <= policy.dueSoonDays };
    })
    .filter((d) => opts.withinDays === undefined || d.overdue || d.daysRemaining <= opts.withinDays)
    .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.refId.localeCompare(b.refId)));
}

const byDue = (a: Deadline, b: Deadline): number => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.refId.localeCompare(b.refId));
const DEADLINE_SORTS = {
  due_at: byDue,
  kind: (a: Deadline, b: Deadline) => a.kind.localeCompare(b.kind) || byDue(a, b),
};

/** `deadlines.list`: a page of the due list (soonest first by default), matching the search box, and the total. */
export function deadlinePage(
  ws: Workspace,
  now: Date,
  q: PageQuery & { search?: string | undefined; kinds?: readonly DeadlineKind[] | undefined; withinDays?: number | undefined; keyRotation: boolean },
): { items: Deadline[]; total: number } {
  const needle = q.search?.toLowerCase();
  const all = listDeadlines(ws, now, {
    keyRotation: q.keyRotation,
    ...(q.kinds ? { kinds: q.kinds } : {}),
    ...(q.withinDays !== undefined ? { withinDays: q.withinDays } : {}),
  }).filter((d) => !needle || d.title.toLowerCase().includes(needle) || d.refId.toLowerCase().includes(needle));
  return pageOf(all, DEADLINE_SORTS, q);
}
