import type { Migration } from './index.js';

/**
 * Security incidents (issue 13): seed 000's incident (title, classification, severity, status,
 * discovered at, systems affected, response actions, timeline) and seed 002's data-breach clock. The
 * clock's tasks are rows made from resources/policies/breach-clock.json when a breach is recorded, so
 * a later change of the policy never moves the due times of an incident already under way.
 * Notifications and response actions are append-only: the timeline only grows.
 */
export const migration012: Migration = {
  version: 12,
  name: 'incidents',
  sql: `
    CREATE TABLE incidents (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      classification TEXT NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'contained', 'closed')),
      discovered_at TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      systems_affected TEXT NOT NULL DEFAULT '[]',
      ssn_exposed INTEGER NOT NULL DEFAULT 0 CHECK (ssn_exposed IN (0, 1)),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      closed_at TEXT,
      counsel_reviewed_at TEXT,
      counsel_reviewed_by TEXT,
      counsel_review_note TEXT
    );
    CREATE INDEX incidents_discovered ON incidents (discovered_at);
    CREATE TABLE incident_tasks (
      incident_id TEXT NOT NULL REFERENCES incidents (id),
      task_key TEXT NOT NULL,
      position INTEGER NOT NULL,
      hours INTEGER NOT NULL,
      phase TEXT NOT NULL,
      title TEXT NOT NULL,
      condition TEXT,
      due_at TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('open', 'done', 'not_applicable')),
      done_at TEXT,
      done_by TEXT,
      note TEXT,
      PRIMARY KEY (incident_id, task_key)
    );
    CREATE INDEX incident_tasks_due ON incident_tasks (state, due_at);
    CREATE TABLE incident_notifications (
      id TEXT PRIMARY KEY,
      incident_id TEXT NOT NULL REFERENCES incidents (id),
      recipient_type TEXT NOT NULL,
      recipient TEXT NOT NULL,
      method TEXT NOT NULL,
      notified_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX incident_notifications_incident ON incident_notifications (incident_id, notified_at);
    CREATE TABLE incident_actions (
      id TEXT PRIMARY KEY,
      incident_id TEXT NOT NULL REFERENCES incidents (id),
      at TEXT NOT NULL,
      by TEXT NOT NULL,
      text TEXT NOT NULL
    );
    CREATE INDEX incident_actions_incident ON incident_actions (incident_id, at);
    CREATE TABLE incident_links (
      incident_id TEXT NOT NULL REFERENCES incidents (id),
      item_type TEXT NOT NULL CHECK (item_type IN ('case', 'evidence', 'hold')),
      item_id TEXT NOT NULL,
      linked_by TEXT NOT NULL,
      linked_at TEXT NOT NULL,
      PRIMARY KEY (incident_id, item_type, item_id)
    );
    CREATE TRIGGER incident_notifications_no_update BEFORE UPDATE ON incident_notifications
      BEGIN SELECT RAISE(ABORT, 'a recorded notification cannot be changed; record a new one'); END;
    CREATE TRIGGER incident_notifications_no_delete BEFORE DELETE ON incident_notifications
      BEGIN SELECT RAISE(ABORT, 'a recorded notification cannot be removed'); END;
    CREATE TRIGGER incident_actions_no_update BEFORE UPDATE ON incident_actions
      BEGIN SELECT RAISE(ABORT, 'a response action cannot be changed; add a new one'); END;
    CREATE TRIGGER incident_actions_no_delete BEFORE DELETE ON incident_actions
      BEGIN SELECT RAISE(ABORT, 'a response action cannot be removed'); END;
  `,
};
