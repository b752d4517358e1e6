import type { IncidentLink, IncidentStatus } from '../../../shared/contract/incidents.js';
import type { Db } from '../db/open.js';
import { listPage, namedWhere, type ListSource, type PageQuery } from '../db/list-page.js';
import { prepared } from '../db/statements.js';

// The SQL of security incidents, their breach-clock tasks, notifications, response actions and links
// (and the titles of the linked cases, evidence items and holds). Each statement is prepared once per connection.

/** An incidents row as stored. */
export interface IncidentRow {
  id: string;
  title: string;
  classification: string;
  severity: string;
  status: IncidentStatus;
  discovered_at: string;
  description: string;
  systems_affected: string;
  ssn_exposed: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  counsel_reviewed_at: string | null;
  counsel_reviewed_by: string | null;
  counsel_review_note: string | null;
}

/** An incident_tasks row as stored. */
export interface TaskRow {
  incident_id: string;
  task_key: string;
  position: number;
  hours: number;
  phase: string;
  title: string;
  condition: string | null;
  due_at: string;
  state: 'open' | 'done' | 'not_applicable';
  done_at: string | null;
  done_by: string | null;
  note: string | null;
}

/** An incident_notifications row as stored. */
export interface NotificationRow {
  id: string;
  incident_id: string;
  recipient_type: string;
  recipient: string;
  method: string;
  notified_at: string;
  recorded_by: string;
  recorded_at: string;
  note: string;
}

/** An incident_actions row as stored. */
export interface ActionRow {
  id: string;
  incident_id: string;
  at: string;
  by: string;
  text: string;
}

// ---- incidents

/** The incident row, or undefined. */
export function findIncidentRow(db: Db, id: string): IncidentRow | undefined {
  return prepared<[string], IncidentRow>(db, 'SELECT * FROM incidents WHERE id = ?').get(id);
}

const SEVERITY_ORDER = "CASE i.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END";
const INCIDENT_LIST: ListSource = {
  select: 'SELECT i.* FROM incidents i',
  from: 'FROM incidents i',
  sorts: { discovered_at: 'i.discovered_at', id: 'i.id', title: 'i.title', severity: SEVERITY_ORDER, status: 'i.status' },
  tiebreak: 'i.id',
};

/** The filters, sort and page of the incident list. */
export type IncidentQuery = PageQuery & { status?: string | undefined; classification?: string | undefined; search?: string | undefined };

/** A page of incident rows with the total. */
export function incidentRowsPage(db: Db, q: IncidentQuery): { rows: IncidentRow[]; total: number } {
  const where = namedWhere(
    [
      ['i.status = @status', 'status', q.status],
      ['i.classification = @classification', 'classification', q.classification],
    ],
    { text: q.search, columns: ['i.id', 'i.title', 'i.description', 'i.systems_affected'] },
  );
  return listPage<IncidentRow>(db, INCIDENT_LIST, where, q);
}

/** Inserts an open incident. */
export function insertIncident(
  db: Db,
  r: { id: string; title: string; classification: string; severity: string; discoveredAt: string; description: string; systemsJson: string; ssnExposed: boolean; createdBy: string; at: string },
): void {
  prepared(
    db,
    `INSERT INTO incidents (id, title, classification, severity, status, discovered_at, description, systems_affected, ssn_exposed, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.title, r.classification, r.severity, r.discoveredAt, r.description, r.systemsJson, r.ssnExposed ? 1 : 0, r.createdBy, r.at, r.at);
}

/** Rewrites the changeable fields of an incident. */
export function setIncidentFields(
  db: Db,
  id: string,
  f: { title: string; description: string; status: IncidentStatus; severity: string; classification: string; systemsJson: string; ssnExposed: boolean; closedAt: string | null; updatedAt: string },
): void {
  prepared(
    db,
    `UPDATE incidents SET title = ?, description = ?, status = ?, severity = ?, classification = ?, systems_affected = ?, ssn_exposed = ?, closed_at = ?, updated_at = ?
       WHERE id = ?`,
  ).run(f.title, f.description, f.status, f.severity, f.classification, f.systemsJson, f.ssnExposed ? 1 : 0, f.closedAt, f.updatedAt, id);
}

/** Records counsel's review. */
export function setCounselReview(db: Db, id: string, by: string, at: string, note: string): void {
  prepared(db, 'UPDATE incidents SET counsel_reviewed_at = ?, counsel_reviewed_by = ?, counsel_review_note = ?, updated_at = ? WHERE id = ?').run(at, by, note, at, id);
}

/** Marks an incident changed. */
export function touchIncident(db: Db, id: string, at: string): void {
  prepared(db, 'UPDATE incidents SET updated_at = ? WHERE id = ?').run(at, id);
}

// ---- incident_tasks

/** The tasks of an incident, in clock order. */
export function tasksOfIncident(db: Db, incidentId: string): TaskRow[] {
  return prepared<[string], TaskRow>(db, 'SELECT * FROM incident_tasks WHERE incident_id = ? ORDER BY position').all(incidentId);
}

/** Clock counts of an incident: tasks that apply, done, open past `now`, and the next open due time. */
export function clockCounts(db: Db, incidentId: string, now: string): { tasks: number; done: number; overdue: number; next: string | null } {
  return prepared<[string, string, string], { tasks: number; done: number; overdue: number; next: string | null }>(
    db,
    `SELECT count(*) FILTER (WHERE state != 'not_applicable') AS tasks,
            count(*) FILTER (WHERE state = 'done') AS done,
            count(*) FILTER (WHERE state = 'open' AND due_at < ?) AS overdue,
            min(due_at) FILTER (WHERE state = 'open' AND due_at >= ?) AS next
       FROM incident_tasks WHERE incident_id = ?`,
  ).get(now, now, incidentId)!;
}

/** Inserts one task of the breach clock. */
export function insertTask(
  db: Db,
  t: { incidentId: string; key: string; position: number; hours: number; phase: string; title: string; condition: string | null; dueAt: string; state: TaskRow['state'] },
): void {
  prepared(
    db,
    'INSERT INTO incident_tasks (incident_id, task_key, position, hours, phase, title, condition, due_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(t.incidentId, t.key, t.position, t.hours, t.phase, t.title, t.condition, t.dueAt, t.state);
}

/** Marks a task done. */
export function setTaskDone(db: Db, incidentId: string, key: string, by: string, at: string, note: string): void {
  prepared(db, "UPDATE incident_tasks SET state = 'done', done_at = ?, done_by = ?, note = ? WHERE incident_id = ? AND task_key = ?").run(at, by, note, incidentId, key);
}

/** Sets whether an open conditional task applies (open) or not (not_applicable); done tasks stay done. */
export function setConditionalTasks(db: Db, incidentId: string, condition: string, applies: boolean): number {
  return prepared(db, "UPDATE incident_tasks SET state = ? WHERE incident_id = ? AND condition = ? AND state != 'done'").run(applies ? 'open' : 'not_applicable', incidentId, condition).changes;
}

/** Every open task of every incident that is not closed, with its incident's title (the due list). */
export function openTaskDueRows(db: Db): { incident_id: string; task_key: string; title: string; due_at: string; incident_title: string; hours: number }[] {
  return prepared<[], { incident_id: string; task_key: string; title: string; due_at: string; incident_title: string; hours: number }>(
    db,
    `SELECT t.incident_id, t.task_key, t.title, t.due_at, t.hours, i.title AS incident_title FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id
       WHERE t.state = 'open' AND i.status != 'closed' ORDER BY t.due_at, t.position`,
  ).all();
}

// ---- notifications and actions

/** The notifications of an incident, oldest first. */
export function notificationsOfIncident(db: Db, incidentId: string): NotificationRow[] {
  return prepared<[string], NotificationRow>(db, 'SELECT * FROM incident_notifications WHERE incident_id = ? ORDER BY notified_at, id').all(incidentId);
}

/** Inserts a notification. */
export function insertNotification(db: Db, n: NotificationRow): void {
  prepared(
    db,
    'INSERT INTO incident_notifications (id, incident_id, recipient_type, recipient, method, notified_at, recorded_by, recorded_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(n.id, n.incident_id, n.recipient_type, n.recipient, n.method, n.notified_at, n.recorded_by, n.recorded_at, n.note);
}

/** The response actions of an incident, oldest first. */
export function actionsOfIncident(db: Db, incidentId: string): ActionRow[] {
  return prepared<[string], ActionRow>(db, 'SELECT * FROM incident_actions WHERE incident_id = ? ORDER BY at, id').all(incidentId);
}

/** Inserts a response action. */
export function insertAction(db: Db, a: ActionRow): void {
  prepared(db, 'INSERT INTO incident_actions (id, incident_id, at, by, text) VALUES (?, ?, ?, ?, ?)').run(a.id, a.incident_id, a.at, a.by, a.text);
}

// ---- links

/** The title of a case, evidence item or legal hold, or undefined when there is none with that id. */
export function linkedItemTitle(db: Db, type: IncidentLink['itemType'], id: string): string | undefined {
  const sql = {
    case: 'SELECT title FROM cases WHERE id = ?',
    evidence: 'SELECT title FROM evidence WHERE id = ?',
    hold: 'SELECT title FROM legal_holds WHERE id = ?',
  }[type];
  return prepared<[string], { title: string }>(db, sql).get(id)?.title;
}

/** Inserts a link; false when it already existed. */
export function insertLink(db: Db, l: { incidentId: string; type: IncidentLink['itemType']; itemId: string; by: string; at: string }): boolean {
  return (
    prepared(db, 'INSERT OR IGNORE INTO incident_links (incident_id, item_type, item_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)').run(l.incidentId, l.type, l.itemId, l.by, l.at)
      .changes === 1
  );
}

/** The links of an incident with the titles of what they name, cases first. */
export function linksOfIncident(db: Db, incidentId: string): IncidentLink[] {
  return prepared<[string], IncidentLink>(
    db,
    `SELECT l.item_type AS itemType, l.item_id AS itemId, l.linked_at AS linkedAt, l.linked_by AS linkedBy,
            COALESCE(c.title, e.title, h.title, '') AS title
       FROM incident_links l
       LEFT JOIN cases c ON l.item_type = 'case' AND c.id = l.item_id
       LEFT JOIN evidence e ON l.item_type = 'evidence' AND e.id = l.item_id
       LEFT JOIN legal_holds h ON l.item_type = 'hold' AND h.id = l.item_id
       WHERE l.incident_id = ?
       ORDER BY CASE l.item_type WHEN 'case' THEN 0 WHEN 'evidence' THEN 1 ELSE 2 END, l.item_id`,
  ).all(incidentId);
}

/** The case of type breach recorded last (the demo links its incident to it), or undefined. */
export function latestBreachCaseId(db: Db): string | undefined {
  return prepared<[], { id: string }>(db, "SELECT id FROM cases WHERE type = 'breach' ORDER BY rowid DESC LIMIT 1").get()?.id;
}

/** Evidence ids and hold ids filed under a case (the demo links them to the incident too). */
export function caseItemIds(db: Db, caseId: string): { evidence: string[]; holds: string[] } {
  const evidence = prepared<[string], { id: string }>(db, "SELECT item_id AS id FROM case_links WHERE case_id = ? AND item_type = 'evidence' ORDER BY item_id").all(caseId).map((r) => r.id);
  const holds = prepared<[string], { id: string }>(db, 'SELECT id FROM legal_holds WHERE case_id = ? ORDER BY id').all(caseId).map((r) => r.id);
  return { evidence, holds };
}

/** The incidents linked to a case, by id. */
export function incidentIdsOfCase(db: Db, caseId: string): string[] {
  return prepared<[string], { id: string }>(db, "SELECT incident_id AS id FROM incident_links WHERE item_type = 'case' AND item_id = ? ORDER BY incident_id")
    .all(caseId)
    .map((r) => r.id);
}
