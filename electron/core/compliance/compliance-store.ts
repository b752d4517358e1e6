import type { ComplianceStatus } from '../../../shared/contract/compliance.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

// Every SQL statement of the compliance program (db/statements.ts: prepared once per connection),
// named after what it returns or does.

export interface RequirementRow {
  framework_id: string;
  requirement_id: string;
  status: ComplianceStatus;
  implemented: number;
  assigned_to: string | null;
  last_assessed_at: string | null;
  next_assessment_at: string | null;
}

export interface AssessmentRow {
  id: string;
  framework_id: string;
  requirement_id: string;
  status: ComplianceStatus;
  previous_status: ComplianceStatus;
  implemented: number;
  notes: string;
  evidence: string;
  assessed_by: string;
  assessed_at: string;
  next_assessment_at: string | null;
}

export function frameworkEnabled(db: Db, id: string): boolean {
  return prepared<[string], { enabled: number }>(db, 'SELECT enabled FROM compliance_frameworks WHERE id = ?').get(id)?.enabled === 1;
}

export function setFrameworkRow(db: Db, id: string, enabled: boolean, at: string, by: string): void {
  prepared(
    db,
    `INSERT INTO compliance_frameworks (id, enabled, changed_at, changed_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
  ).run(id, enabled ? 1 : 0, at, by);
}

/** Gives a requirement its state row (not assessed) unless it has one. */
export function ensureRequirementRow(db: Db, frameworkId: string, requirementId: string, at: string): void {
  prepared(db, 'INSERT OR IGNORE INTO compliance_requirements (framework_id, requirement_id, updated_at) VALUES (?, ?, ?)').run(frameworkId, requirementId, at);
}

export function requirementRowsOfFramework(db: Db, frameworkId: string): RequirementRow[] {
  return prepared<[string], RequirementRow>(db, 'SELECT * FROM compliance_requirements WHERE framework_id = ?').all(frameworkId);
}

export function requirementRow(db: Db, frameworkId: string, requirementId: string): RequirementRow | undefined {
  return prepared<[string, string], RequirementRow>(db, 'SELECT * FROM compliance_requirements WHERE framework_id = ? AND requirement_id = ?').get(frameworkId, requirementId);
}

export function assessmentRowsOfRequirement(db: Db, frameworkId: string, requirementId: string): AssessmentRow[] {
  return prepared<[string, string], AssessmentRow>(
    db,
    'SELECT * FROM compliance_assessments WHERE framework_id = ? AND requirement_id = ? ORDER BY assessed_at DESC, rowid DESC',
  ).all(frameworkId, requirementId);
}

export function insertAssessment(db: Db, a: AssessmentRow): void {
  prepared(
    db,
    `INSERT INTO compliance_assessments (id, framework_id, requirement_id, status, previous_status, implemented, notes, evidence, assessed_by, assessed_at, next_assessment_at)
     VALUES (@id, @framework_id, @requirement_id, @status, @previous_status, @implemented, @notes, @evidence, @assessed_by, @assessed_at, @next_assessment_at)`,
  ).run(a);
}

export function setRequirementAssessed(db: Db, r: Pick<RequirementRow, 'framework_id' | 'requirement_id' | 'status' | 'implemented' | 'last_assessed_at' | 'next_assessment_at'>): void {
  prepared(
    db,
    `UPDATE compliance_requirements SET status = @status, implemented = @implemented, last_assessed_at = @last_assessed_at,
     next_assessment_at = @next_assessment_at, updated_at = @last_assessed_at WHERE framework_id = @framework_id AND requirement_id = @requirement_id`,
  ).run(r);
}

export function setRequirementOwner(db: Db, frameworkId: string, requirementId: string, owner: string | null, at: string): void {
  prepared(db, 'UPDATE compliance_requirements SET assigned_to = ?, updated_at = ? WHERE framework_id = ? AND requirement_id = ?').run(owner, at, frameworkId, requirementId);
}

/** Whether what an assessment links to exists here: an evidence item, an export request. */
export function evidenceItemExists(db: Db, id: string): boolean {
  return prepared<[string], { one: number }>(db, 'SELECT 1 AS one FROM evidence WHERE id = ?').get(id) !== undefined;
}

export function exportRequestExists(db: Db, id: string): boolean {
  return prepared<[string], { one: number }>(db, 'SELECT 1 AS one FROM export_requests WHERE id = ?').get(id) !== undefined;
}

/**
 * The newest event of one of `actions` with `outcome` (and, for verifications, the given `valid`
 * flag in its details), read backwards through the events_action index.
 */
export function latestEventOf(db: Db, actions: readonly string[], outcome: string, valid?: boolean): { seq: number; ts: string; action: string } | undefined {
  let best: { seq: number; ts: string; action: string } | undefined;
  const validClause = valid === undefined ? '' : ` AND json_extract(details, '$.valid') = ${valid ? 1 : 0}`;
  const stmt = prepared<[string, string], { seq: number; ts: string; action: string }>(
    db,
    `SELECT seq, ts, action FROM events WHERE action = ? AND outcome = ?${validClause} ORDER BY seq DESC LIMIT 1`,
  );
  for (const action of actions) {
    const row = stmt.get(action, outcome);
    if (row && (!best || row.seq > best.seq)) best = row;
  }
  return best;
}

/** Every assessment of a framework, oldest first (the history replays them in order). */
export function assessmentRowsOfFramework(db: Db, frameworkId: string): Pick<AssessmentRow, 'requirement_id' | 'status' | 'assessed_at'>[] {
  return prepared<[string], Pick<AssessmentRow, 'requirement_id' | 'status' | 'assessed_at'>>(
    db,
    'SELECT requirement_id, status, assessed_at FROM compliance_assessments WHERE framework_id = ? ORDER BY assessed_at, rowid',
  ).all(frameworkId);
}
