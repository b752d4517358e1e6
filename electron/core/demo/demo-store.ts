import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

// Every SQL statement of `custos demo` (db/statements.ts: prepared once per connection), named after
// what it returns. The seeders read what earlier seeders made through these; they write only through
// the domains' services.

const count = (db: Db, sql: string): number => prepared<[], { n: number }>(db, sql).get()?.n ?? 0;

/** How many cases exist (the casework seeder runs once). */
export function caseCount(db: Db): number {
  return count(db, 'SELECT count(*) AS n FROM cases');
}

/** How many requirements have an owner (the compliance seeder runs once). */
export function ownedRequirementCount(db: Db): number {
  return count(db, 'SELECT count(*) AS n FROM compliance_requirements WHERE assigned_to IS NOT NULL');
}

/** How many frameworks have a row (switched on or off at least once). */
export function frameworkRowCount(db: Db): number {
  return count(db, 'SELECT count(*) AS n FROM compliance_frameworks');
}

/** How many amendment requests exist (the FERPA seeder runs once). */
export function amendmentRequestCount(db: Db): number {
  return count(db, 'SELECT count(*) AS n FROM amendment_requests');
}

/** How many workflow instances exist (the workflows seeder runs once). */
export function workflowInstanceCount(db: Db, templateId?: string): number {
  return templateId === undefined
    ? count(db, 'SELECT count(*) AS n FROM workflow_instances')
    : prepared<[string], { n: number }>(db, 'SELECT count(*) AS n FROM workflow_instances WHERE template_id = ?').get(templateId)!.n;
}

/** Up to eight subjects with at least two active records that still have content, by id. */
export function subjectsWithRecords(db: Db): { id: string; name: string }[] {
  return prepared<[], { id: string; name: string }>(
    db,
    `SELECT s.id, s.display_name AS name FROM subjects s
     WHERE (SELECT count(*) FROM records r WHERE r.subject_id = s.id AND r.status = 'active' AND r.content IS NOT NULL) >= 2
     ORDER BY s.id LIMIT 8`,
  ).all();
}

/** A subject's active records that still have content, oldest first. */
export function activeRecordsOf(db: Db, subjectId: string): { id: string; category: string; title: string }[] {
  return prepared<[string], { id: string; category: string; title: string }>(
    db,
    "SELECT id, category, title FROM records WHERE subject_id = ? AND status = 'active' AND content IS NOT NULL ORDER BY record_date, id",
  ).all(subjectId);
}

/** The oldest open subpoena case and the subject linked to it, if any. */
export function openSubpoenaCase(db: Db): { caseId: string; subjectId: string } | undefined {
  return prepared<[], { caseId: string; subjectId: string }>(
    db,
    `SELECT c.id AS caseId, l.item_id AS subjectId FROM cases c JOIN case_links l ON l.case_id = c.id AND l.item_type = 'subject'
     WHERE c.type = 'subpoena' AND c.status <> 'closed' ORDER BY c.created_at, c.id LIMIT 1`,
  ).get();
}

/** The first `limit` students, by id. */
export function studentIds(db: Db, limit: number): string[] {
  return prepared<[number], { id: string }>(db, "SELECT id FROM subjects WHERE kind = 'student' ORDER BY id LIMIT ?")
    .all(limit)
    .map((r) => r.id);
}

/** The pending steps of a workflow instance, in order. */
export function pendingStepIds(db: Db, instanceId: string): string[] {
  return prepared<[string], { step_id: string }>(db, "SELECT step_id FROM workflow_steps WHERE instance_id = ? AND status = 'pending' ORDER BY position")
    .all(instanceId)
    .map((r) => r.step_id);
}

/** The first open case, by id. */
export function firstOpenCaseId(db: Db): string | undefined {
  return prepared<[], { id: string }>(db, "SELECT id FROM cases WHERE status = 'open' ORDER BY id LIMIT 1").get()?.id;
}
