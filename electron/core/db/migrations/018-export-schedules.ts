import type { Migration } from './index.js';

/**
 * Scheduled exports (issue 12.7): a schedule holds the fields of an export request, a cadence
 * (daily, weekly on a weekday, monthly on a day) and a time of day in the workspace's time zone.
 * Each occurrence it handles is a row of export_schedule_runs: a run (tied to the export request it
 * made, whose status says how the run went), the missed occurrences it skipped, or a run that
 * could not even start (its reason in `error`). A deleted schedule keeps its row (deleted_at) so
 * its history stays linked.
 */
export const migration018: Migration = {
  version: 18,
  name: 'export-schedules',
  sql: `
    CREATE TABLE export_schedules (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('REGULATORY','AUDIT','LEGAL','INTERNAL')),
      format TEXT NOT NULL CHECK (format IN ('csv','json','ndjson','xml','pdf')),
      filters TEXT NOT NULL,
      case_id TEXT,
      include_evidence INTEGER NOT NULL,
      include_audit_trail INTEGER NOT NULL,
      masking TEXT NOT NULL,
      purpose TEXT NOT NULL,
      recipient TEXT NOT NULL,
      cadence TEXT NOT NULL CHECK (cadence IN ('daily','weekly','monthly')),
      weekday INTEGER CHECK (weekday BETWEEN 1 AND 7),
      month_day INTEGER CHECK (month_day BETWEEN 1 AND 31),
      time_of_day TEXT NOT NULL,
      owner TEXT NOT NULL,
      active INTEGER NOT NULL,
      approval TEXT NOT NULL CHECK (approval IN ('not-required','pending','approved')),
      approved_by TEXT,
      approved_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      handled_through TEXT NOT NULL,
      deleted_at TEXT
    );
    CREATE TABLE export_schedule_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      schedule_id TEXT NOT NULL REFERENCES export_schedules (id),
      occurrence TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('run','skipped','failed')),
      request_id TEXT,
      missed INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      at TEXT NOT NULL
    );
    CREATE INDEX export_schedule_runs_schedule ON export_schedule_runs (schedule_id, id);
  `,
};
