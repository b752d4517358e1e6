import type { Migration } from './index.js';

/**
 * Workflows (issue 11, item 5): instances of the templates shipped in resources/workflows/ and their
 * steps. The templates' text is data; what is stored here is the work: who owns an instance, who
 * else follows it, when it is due, which case it belongs to, and each step's outcome with its data,
 * who recorded it and when. `period` names the period of a recurring template's instance (2026-Q4,
 * 2026-12, 2026) and is unique per template, so creating the instances that are due is idempotent.
 * `workflow_schedules` holds the recurring templates this workspace runs.
 */
export const migration009: Migration = {
  version: 9,
  name: 'workflows',
  sql: `
    CREATE TABLE workflow_instances (
      id TEXT PRIMARY KEY,
      template_id TEXT NOT NULL,
      title TEXT NOT NULL,
      owner TEXT NOT NULL,
      stakeholders TEXT NOT NULL DEFAULT '[]',
      due_at TEXT NOT NULL,
      case_id TEXT REFERENCES cases (id),
      period TEXT,
      state TEXT NOT NULL CHECK (state IN ('open', 'completed', 'cancelled')),
      note TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (template_id, period)
    );
    CREATE INDEX workflow_instances_state ON workflow_instances (state, due_at);
    CREATE TABLE workflow_steps (
      instance_id TEXT NOT NULL REFERENCES workflow_instances (id),
      step_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      due_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped')),
      data TEXT NOT NULL DEFAULT '{}',
      note TEXT,
      done_by TEXT,
      done_at TEXT,
      PRIMARY KEY (instance_id, step_id)
    );
    CREATE INDEX workflow_steps_pending ON workflow_steps (status, due_at);
    CREATE TABLE workflow_schedules (
      template_id TEXT PRIMARY KEY,
      scheduled_by TEXT NOT NULL,
      scheduled_at TEXT NOT NULL
    );
  `,
};
