import type { Deadline } from '../../../shared/contract/deadlines.js';
import type { Workspace } from '../workspace.js';
import { openTaskDueRows } from './incidents-store.js';

/** The open tasks of every running breach clock, as entries of the one due list (deadlines.list, the Dashboard). */
export function incidentTaskDeadlines(ws: Workspace): Omit<Deadline, 'dueDate' | 'daysRemaining' | 'overdue' | 'dueSoon'>[] {
  return openTaskDueRows(ws.db).map((t) => ({
    kind: 'incident_task' as const,
    refType: 'incident',
    refId: t.incident_id,
    subjectId: null,
    state: 'open',
    title: `${t.title} (${t.hours}-hour clock of ${t.incident_id}: ${t.incident_title})`,
    dueAt: t.due_at,
  }));
}
