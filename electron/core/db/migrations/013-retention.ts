import type { Migration } from './index.js';

/**
 * Retention (issue 12, items 1–2). The shipped policy per record category stays in
 * resources/policies/retention.json; `retention_policies` holds an administrator's changes to it
 * (one row per changed category; no row = the shipped default). A legal hold can never be
 * overridden, so the override column only admits 0. Archive is a record state of its own
 * (`archived_at` set on an active record): read-only, out of default lists, still readable and
 * exportable. `retention_sweeps` is one row per sweep that ran (the daily schedule reads the last).
 */
export const migration013: Migration = {
  version: 13,
  name: 'retention',
  sql: `
    CREATE TABLE retention_policies (
      category TEXT PRIMARY KEY,
      period_value INTEGER CHECK (period_value IS NULL OR period_value BETWEEN 1 AND 1200),
      period_unit TEXT CHECK (period_unit IS NULL OR period_unit IN ('days', 'weeks', 'months', 'years')),
      action TEXT NOT NULL CHECK (action IN ('archive', 'delete')),
      classification TEXT NOT NULL CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
      legal_hold_override INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold_override = 0),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      CHECK ((period_value IS NULL) = (period_unit IS NULL))
    );
    ALTER TABLE records ADD COLUMN archived_at TEXT;
    ALTER TABLE records ADD COLUMN archived_by TEXT;
    CREATE INDEX records_archived ON records (archived_at);
    CREATE TABLE retention_sweeps (
      id TEXT PRIMARY KEY,
      trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'cli', 'schedule', 'unlock')),
      actor TEXT NOT NULL,
      ran_at TEXT NOT NULL,
      as_of TEXT NOT NULL,
      archived INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      held INTEGER NOT NULL
    );
    CREATE INDEX retention_sweeps_ran ON retention_sweeps (ran_at);
  `,
};
