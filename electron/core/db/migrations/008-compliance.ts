import type { Migration } from './index.js';

/**
 * Compliance programs (issue 11): how this workspace stands against the requirements of the
 * frameworks shipped in resources/frameworks/. The frameworks' text is data; what is stored here is
 * workspace state: which frameworks are switched on, each requirement's status, owner and next
 * assessment, and the assessments themselves. Assessments are append-only: a status changes only by
 * a new assessment, so the history of a requirement is its list of assessments (and their events).
 */
export const migration008: Migration = {
  version: 8,
  name: 'compliance',
  sql: `
    CREATE TABLE compliance_frameworks (
      id TEXT PRIMARY KEY,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL
    );
    CREATE TABLE compliance_requirements (
      framework_id TEXT NOT NULL,
      requirement_id TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'not_assessed'
        CHECK (status IN ('compliant', 'partially_compliant', 'non_compliant', 'not_assessed', 'not_applicable')),
      implemented INTEGER NOT NULL DEFAULT 0 CHECK (implemented IN (0, 1)),
      assigned_to TEXT,
      last_assessed_at TEXT,
      next_assessment_at TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (framework_id, requirement_id)
    );
    CREATE INDEX compliance_requirements_next ON compliance_requirements (next_assessment_at);
    CREATE TABLE compliance_assessments (
      id TEXT PRIMARY KEY,
      framework_id TEXT NOT NULL,
      requirement_id TEXT NOT NULL,
      status TEXT NOT NULL,
      previous_status TEXT NOT NULL,
      implemented INTEGER NOT NULL CHECK (implemented IN (0, 1)),
      notes TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '[]',
      assessed_by TEXT NOT NULL,
      assessed_at TEXT NOT NULL,
      next_assessment_at TEXT,
      FOREIGN KEY (framework_id, requirement_id) REFERENCES compliance_requirements (framework_id, requirement_id)
    );
    CREATE INDEX compliance_assessments_requirement ON compliance_assessments (framework_id, requirement_id, assessed_at);
    CREATE TRIGGER compliance_assessments_no_update BEFORE UPDATE ON compliance_assessments
      BEGIN SELECT RAISE(ABORT, 'an assessment cannot be changed; record a new one'); END;
    CREATE TRIGGER compliance_assessments_no_delete BEFORE DELETE ON compliance_assessments
      BEGIN SELECT RAISE(ABORT, 'an assessment cannot be removed'); END;
  `,
};
