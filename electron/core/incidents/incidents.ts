import type {
  Incident,
  IncidentAction,
  IncidentClassification,
  IncidentDetail,
  IncidentLink,
  IncidentNotification,
  IncidentStatus,
  IncidentTask,
} from '../../../shared/contract/incidents.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { nextId, yearlyId } from '../domain/ids.js';
import { toUtcIso } from '../domain/deadlines.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { addHours, breachClockPolicy, startsClock } from './breach-clock.js';
import {
  actionsOfIncident,
  clockCounts,
  findIncidentRow,
  incidentRowsPage,
  insertAction,
  insertIncident,
  insertLink,
  insertNotification,
  insertTask,
  linkedItemTitle,
  linksOfIncident,
  notificationsOfIncident,
  setConditionalTasks,
  setCounselReview,
  setIncidentFields,
  setTaskDone,
  tasksOfIncident,
  touchIncident,
  type IncidentQuery,
  type IncidentRow,
  type TaskRow,
} from './incidents-store.js';

/** Allowed status changes (DESIGN §10 style): anything else is refused with `conflict`. */
const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = { open: ['contained', 'closed'], contained: ['closed'], closed: [] };

function incidentRow(ws: Workspace, id: string): IncidentRow {
  const row = findIncidentRow(ws.db, id);
  if (!row) throw new CustosError('not_found', `There is no incident ${id}.`, { resourceType: 'incident', resourceId: id });
  return row;
}

function assertNotClosed(row: IncidentRow, what: string): void {
  if (row.status === 'closed') {
    throw new CustosError('conflict', `Incident ${row.id} is closed; ${what} needs an open incident.`, { resourceType: 'incident', resourceId: row.id });
  }
}

/** A time given by the caller (or now), as UTC RFC 3339; never in the future, never before `notBefore`. */
function pastTime(input: string | undefined, now: Date, label: string, notBefore?: { at: string; label: string }): string {
  const iso = input ? toUtcIso(input) : now.toISOString();
  if (iso > now.toISOString()) throw new CustosError('validation', `The ${label} (${iso}) is in the future; give the time it actually happened.`);
  if (notBefore && iso < notBefore.at) throw new CustosError('validation', `The ${label} (${iso}) is before ${notBefore.label} (${notBefore.at}).`);
  return iso;
}

function toTask(r: TaskRow, nowIso: string): IncidentTask {
  return {
    key: r.task_key,
    hours: r.hours,
    phase: r.phase,
    title: r.title,
    dueAt: r.due_at,
    state: r.state,
    doneAt: r.done_at,
    doneBy: r.done_by,
    note: r.note,
    overdue: r.state === 'open' && r.due_at < nowIso,
    late: r.state === 'done' && r.done_at !== null && r.done_at > r.due_at,
  };
}

function toIncident(ws: Workspace, r: IncidentRow, now: Date): Incident {
  const c = clockCounts(ws.db, r.id, now.toISOString());
  return {
    id: r.id,
    title: r.title,
    classification: r.classification as IncidentClassification,
    severity: r.severity as Incident['severity'],
    status: r.status,
    discoveredAt: r.discovered_at,
    description: r.description,
    systemsAffected: JSON.parse(r.systems_affected) as string[],
    ssnExposed: r.ssn_exposed === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    counselReviewedAt: r.counsel_reviewed_at,
    counselReviewedBy: r.counsel_reviewed_by,
    counselReviewRequired: c.tasks > 0 && breachClockPolicy().close.requireCounselReview,
    clock: { tasks: c.tasks, done: c.done, overdue: c.overdue, nextDueAt: c.next },
  };
}

/** Creates the breach clock's tasks for an incident from the policy, due from its discovery; returns how many. */
function startClock(ws: Workspace, incidentId: string, discoveredAt: string, ssnExposed: boolean): number {
  let position = 0;
  for (const phase of breachClockPolicy().phases) {
    for (const t of phase.tasks) {
      const applies = t.when === undefined || (t.when === 'ssn_exposed' && ssnExposed);
      insertTask(ws.db, {
        incidentId,
        key: t.key,
        position: position++,
        hours: phase.hours,
        phase: phase.label,
        title: t.title,
        condition: t.when ?? null,
        dueAt: addHours(discoveredAt, phase.hours),
        state: applies ? 'open' : 'not_applicable',
      });
    }
  }
  return position;
}

function linkItem(ws: Workspace, incidentId: string, type: IncidentLink['itemType'], itemId: string, by: string, at: string): boolean {
  // A closed case takes no new work (issue 9: one assertCaseOpen for whatever files under a case).
  if (type === 'case') assertCaseOpen(ws, itemId, 'an incident');
  if (linkedItemTitle(ws.db, type, itemId) === undefined) {
    const what = { case: 'case', evidence: 'evidence item', hold: 'legal hold' }[type];
    throw new CustosError('not_found', `There is no ${what} ${itemId} to link.`, { resourceType: type, resourceId: itemId });
  }
  return insertLink(ws.db, { incidentId, type, itemId, by, at });
}

/** The incident as of `now` (clock counts); throws not_found. */
export function getIncident(ws: Workspace, id: string, now: Date): Incident {
  return toIncident(ws, incidentRow(ws, id), now);
}

/** The incident with its tasks, notifications, response actions and links, as of `now`. */
export function incidentDetail(ws: Workspace, id: string, now: Date): IncidentDetail {
  const row = incidentRow(ws, id);
  const nowIso = now.toISOString();
  return {
    incident: toIncident(ws, row, now),
    tasks: tasksOfIncident(ws.db, id).map((t) => toTask(t, nowIso)),
    notifications: notificationsOfIncident(ws.db, id).map(
      (n): IncidentNotification => ({
        id: n.id,
        recipientType: n.recipient_type as IncidentNotification['recipientType'],
        recipient: n.recipient,
        method: n.method as IncidentNotification['method'],
        notifiedAt: n.notified_at,
        recordedBy: n.recorded_by,
        note: n.note,
      }),
    ),
    actions: actionsOfIncident(ws.db, id).map((a): IncidentAction => ({ id: a.id, at: a.at, by: a.by, text: a.text })),
    links: linksOfIncident(ws.db, id),
    counselReviewNote: row.counsel_review_note,
  };
}

/** A page of incidents with the total, clock counts as of `now`. */
export function listIncidents(ws: Workspace, q: IncidentQuery, now: Date): { items: Incident[]; total: number } {
  const { rows, total } = incidentRowsPage(ws.db, q);
  return { items: rows.map((r) => toIncident(ws, r, now)), total };
}

/**
 * Records an incident; one classified as a data breach (breach-clock.json `classifications`) starts
 * the 1/24/72-hour clock from its discovery time. A given case is linked in the same transaction.
 */
export function createIncident(
  ws: Workspace,
  op: Op,
  input: {
    title: string;
    classification: IncidentClassification;
    severity: Incident['severity'];
    discoveredAt?: string | undefined;
    description: string;
    systemsAffected: readonly string[];
    ssnExposed: boolean;
    caseId?: string | undefined;
  },
): Incident {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const discoveredAt = pastTime(input.discoveredAt, at, 'discovery time');
    const id = yearlyId(ws, 'INC', at);
    const systems = [...new Set(input.systemsAffected)];
    insertIncident(ws.db, {
      id,
      title: input.title,
      classification: input.classification,
      severity: input.severity,
      discoveredAt,
      description: input.description,
      systemsJson: JSON.stringify(systems),
      ssnExposed: input.ssnExposed,
      createdBy: op.actor,
      at: now,
    });
    const clockTasks = startsClock(input.classification) ? startClock(ws, id, discoveredAt, input.ssnExposed) : 0;
    if (input.caseId) linkItem(ws, id, 'case', input.caseId, op.actor, now);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'incidents.create',
        resource_type: 'incident',
        resource_id: id,
        details: {
          classification: input.classification,
          severity: input.severity,
          discovered_at: discoveredAt,
          systems,
          ssn_exposed: input.ssnExposed,
          clock_tasks: clockTasks,
          ...(input.caseId ? { case: input.caseId } : {}),
        },
      },
      at,
    );
    return toIncident(ws, incidentRow(ws, id), at);
  });
}

/**
 * An incident on the breach clock closes only once its response is finished: every task that
 * applies is done (the 72-hour notices among them), and counsel has reviewed the response when the
 * policy asks for it. Otherwise the tasks would leave the due list unfinished.
 */
function assertClockFinished(row: IncidentRow, tasks: readonly TaskRow[]): void {
  const open = tasks.filter((task) => task.state === 'open');
  const missing = [
    ...(open.length > 0 ? [`${open.length} breach-clock task${open.length === 1 ? ' is' : 's are'} still open (${open.map((task) => task.title).join('; ')})`] : []),
    ...(breachClockPolicy().close.requireCounselReview && !row.counsel_reviewed_at ? ['legal counsel has not reviewed the response'] : []),
  ];
  if (missing.length === 0) return;
  throw new CustosError(
    'conflict',
    `Incident ${row.id} cannot be closed yet: ${missing.join(', and ')}. Complete each task (with a note saying why, if it did not apply) and ask counsel to record their review.`,
    { resourceType: 'incident', resourceId: row.id },
  );
}

/**
 * Changes an incident. Reclassifying it as a data breach starts the clock from its discovery time;
 * once a clock runs the incident cannot be reclassified away from it. Whether SSNs were exposed
 * decides whether the identity-monitoring task applies.
 */
export function updateIncident(
  ws: Workspace,
  op: Op,
  input: {
    id: string;
    title?: string | undefined;
    description?: string | undefined;
    status?: IncidentStatus | undefined;
    severity?: Incident['severity'] | undefined;
    classification?: IncidentClassification | undefined;
    systemsAffected?: readonly string[] | undefined;
    ssnExposed?: boolean | undefined;
  },
): Incident {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const row = incidentRow(ws, input.id);
    assertNotClosed(row, 'a change');
    const before = {
      title: row.title,
      description: row.description,
      status: row.status,
      severity: row.severity,
      classification: row.classification,
      systemsAffected: JSON.parse(row.systems_affected) as string[],
      ssnExposed: row.ssn_exposed === 1,
    };
    const after = {
      title: input.title ?? before.title,
      description: input.description ?? before.description,
      status: input.status ?? before.status,
      severity: input.severity ?? before.severity,
      classification: input.classification ?? before.classification,
      systemsAffected: input.systemsAffected ? [...new Set(input.systemsAffected)] : before.systemsAffected,
      ssnExposed: input.ssnExposed ?? before.ssnExposed,
    };
    if (after.status !== before.status && !TRANSITIONS[before.status].includes(after.status)) {
      throw new CustosError('conflict', `Incident ${row.id} is ${before.status}; it cannot go back to ${after.status}.`, { resourceType: 'incident', resourceId: row.id });
    }
    const hasClock = tasksOfIncident(ws.db, row.id).length > 0;
    if (hasClock && !startsClock(after.classification)) {
      throw new CustosError('conflict', `Incident ${row.id} runs the data-breach clock; it cannot be reclassified as ${after.classification}.`, {
        resourceType: 'incident',
        resourceId: row.id,
      });
    }
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    if (changed.length === 0) return toIncident(ws, row, at);
    setIncidentFields(ws.db, row.id, {
      ...after,
      systemsJson: JSON.stringify(after.systemsAffected),
      closedAt: after.status === 'closed' ? now : null,
      updatedAt: now,
    });
    let clockTasks = 0;
    if (!hasClock && startsClock(after.classification)) clockTasks = startClock(ws, row.id, row.discovered_at, after.ssnExposed);
    else if (hasClock && after.ssnExposed !== before.ssnExposed) setConditionalTasks(ws.db, row.id, 'ssn_exposed', after.ssnExposed);
    // Judged on the tasks as this very change leaves them (a clock it starts, a task it reopens); a
    // refusal rolls the whole change back.
    if (after.status === 'closed' && before.status !== 'closed') {
      const tasks = tasksOfIncident(ws.db, row.id);
      if (tasks.length > 0) assertClockFinished(row, tasks);
    }
    const pick = (o: typeof before) => Object.fromEntries(changed.filter((k) => k !== 'description' && k !== 'title').map((k) => [k, o[k]]));
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'incidents.update',
        resource_type: 'incident',
        resource_id: row.id,
        details: { changed, from: pick(before), to: pick(after), ...(clockTasks ? { clock_tasks: clockTasks } : {}) },
      },
      at,
    );
    return toIncident(ws, incidentRow(ws, row.id), at);
  });
}

/** Marks one task of the breach clock done with a note (a done or not-applicable task is refused: conflict). */
export function completeTask(ws: Workspace, op: Op, input: { id: string; task: string; note: string; doneAt?: string | undefined }): { incident: Incident; task: IncidentTask } {
  const at = opTime(op);
  return ws.tx(() => {
    const row = incidentRow(ws, input.id);
    assertNotClosed(row, 'completing a task');
    const task = tasksOfIncident(ws.db, row.id).find((t) => t.task_key === input.task);
    if (!task) throw new CustosError('not_found', `Incident ${row.id} has no task "${input.task}".`, { resourceType: 'incident', resourceId: row.id });
    if (task.state !== 'open') {
      const why = task.state === 'done' ? `was done ${task.done_at ?? ''} by ${task.done_by ?? ''}` : 'does not apply to this incident';
      throw new CustosError('conflict', `The task "${task.title}" of ${row.id} ${why}.`, { resourceType: 'incident', resourceId: row.id });
    }
    const doneAt = pastTime(input.doneAt, at, 'completion time', { at: row.discovered_at, label: 'the discovery of the incident' });
    setTaskDone(ws.db, row.id, task.task_key, op.actor, doneAt, input.note);
    touchIncident(ws.db, row.id, at.toISOString());
    const late = doneAt > task.due_at;
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'incidents.completeTask',
        resource_type: 'incident',
        resource_id: row.id,
        details: { task: task.task_key, title: task.title, due_at: task.due_at, done_at: doneAt, late, note: input.note },
      },
      at,
    );
    const nowIso = at.toISOString();
    const done = tasksOfIncident(ws.db, row.id).find((t) => t.task_key === task.task_key)!;
    return { incident: toIncident(ws, incidentRow(ws, row.id), at), task: toTask(done, nowIso) };
  });
}

/** Records who was told of the incident, when and how (append-only). */
export function recordNotification(
  ws: Workspace,
  op: Op,
  input: { id: string; recipientType: IncidentNotification['recipientType']; recipient: string; method: IncidentNotification['method']; notifiedAt?: string | undefined; note: string },
): IncidentNotification {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const row = incidentRow(ws, input.id);
    assertNotClosed(row, 'recording a notification');
    const notifiedAt = pastTime(input.notifiedAt, at, 'notification time', { at: row.discovered_at, label: 'the discovery of the incident' });
    const id = nextId(ws, `${row.id}-N`, 2);
    insertNotification(ws.db, {
      id,
      incident_id: row.id,
      recipient_type: input.recipientType,
      recipient: input.recipient,
      method: input.method,
      notified_at: notifiedAt,
      recorded_by: op.actor,
      recorded_at: now,
      note: input.note,
    });
    touchIncident(ws.db, row.id, now);
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'incidents.recordNotification',
        resource_type: 'incident',
        resource_id: row.id,
        details: { notification: id, recipient_type: input.recipientType, recipient: input.recipient, method: input.method, notified_at: notifiedAt },
      },
      at,
    );
    return { id, recipientType: input.recipientType, recipient: input.recipient, method: input.method, notifiedAt, recordedBy: op.actor, note: input.note };
  });
}

/** Adds a response action to the incident's timeline (append-only). */
export function addAction(ws: Workspace, op: Op, input: { id: string; text: string; at?: string | undefined }): IncidentAction {
  const at = opTime(op);
  return ws.tx(() => {
    const row = incidentRow(ws, input.id);
    assertNotClosed(row, 'a new response action');
    const when = pastTime(input.at, at, 'time of the action');
    const id = nextId(ws, `${row.id}-A`, 2);
    insertAction(ws.db, { id, incident_id: row.id, at: when, by: op.actor, text: input.text });
    touchIncident(ws.db, row.id, at.toISOString());
    ws.ledger.append({ actor: op.actor, action: 'incidents.addAction', resource_type: 'incident', resource_id: row.id, details: { action: id, at: when } }, at);
    return { id, at: when, by: op.actor, text: input.text };
  });
}

/** Links the incident to a case, an evidence item or a legal hold (linking twice is refused: conflict). */
export function linkIncident(ws: Workspace, op: Op, input: { id: string; itemType: IncidentLink['itemType']; itemId: string }): IncidentLink {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const row = incidentRow(ws, input.id);
    assertNotClosed(row, 'a new link');
    if (!linkItem(ws, row.id, input.itemType, input.itemId, op.actor, now)) {
      throw new CustosError('conflict', `Incident ${row.id} is already linked to ${input.itemType} ${input.itemId}.`, { resourceType: 'incident', resourceId: row.id });
    }
    touchIncident(ws.db, row.id, now);
    ws.ledger.append(
      { actor: op.actor, action: 'incidents.link', resource_type: 'incident', resource_id: row.id, details: { item_type: input.itemType, item_id: input.itemId } },
      at,
    );
    return linksOfIncident(ws.db, row.id).find((l) => l.itemType === input.itemType && l.itemId === input.itemId)!;
  });
}

/** Records legal counsel's review of the incident response (seed 002: review the process with legal counsel). */
export function counselReview(ws: Workspace, op: Op, input: { id: string; note: string }): Incident {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const row = incidentRow(ws, input.id);
    // The review is part of the record of the response: written once, never replaced.
    if (row.counsel_reviewed_at) {
      throw new CustosError('conflict', `Counsel already reviewed ${row.id} (${row.counsel_reviewed_by ?? 'someone'}, ${row.counsel_reviewed_at}); a review is not replaced. Add a response action for anything further.`, {
        resourceType: 'incident',
        resourceId: row.id,
      });
    }
    setCounselReview(ws.db, row.id, op.actor, now, input.note);
    ws.ledger.append({ actor: op.actor, action: 'incidents.counselReview', resource_type: 'incident', resource_id: row.id, details: { reviewed_at: now } }, at);
    return toIncident(ws, incidentRow(ws, row.id), at);
  });
}
