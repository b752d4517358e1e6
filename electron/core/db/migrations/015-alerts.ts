import type { Migration } from './index.js';

/**
 * Alerts from the ledger (issue 13, item 4). Rules over the event stream (resources/policies/alerts.json)
 * run after appends, never inside the append transaction: `alert_cursor` is the last event seq they
 * have read, `alert_counters` what they have counted per rule, subject and fixed window, and `alerts`
 * what fired. The UNIQUE index (rule, subject, window_start) is what makes one alert per rule per
 * subject per window, however often evaluation runs. An alert is open, acknowledged (with a note) or
 * escalated into an incident.
 */
export const migration015: Migration = {
  version: 15,
  name: 'alerts',
  sql: `
    CREATE TABLE alert_cursor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      seq INTEGER NOT NULL,
      evaluated_at TEXT NOT NULL
    );
    CREATE TABLE alert_counters (
      rule TEXT NOT NULL,
      subject TEXT NOT NULL,
      window_start TEXT NOT NULL,
      count INTEGER NOT NULL,
      first_seq INTEGER NOT NULL,
      last_seq INTEGER NOT NULL,
      PRIMARY KEY (rule, subject, window_start)
    ) WITHOUT ROWID;
    CREATE INDEX alert_counters_window ON alert_counters (window_start);
    CREATE TABLE alerts (
      id TEXT PRIMARY KEY,
      rule TEXT NOT NULL,
      subject TEXT NOT NULL,
      window_start TEXT NOT NULL,
      window_end TEXT NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
      summary TEXT NOT NULL,
      count INTEGER NOT NULL,
      threshold INTEGER NOT NULL,
      baseline REAL,
      first_seq INTEGER NOT NULL,
      trigger_seq INTEGER NOT NULL,
      fired_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'escalated')),
      handled_by TEXT,
      handled_at TEXT,
      note TEXT,
      incident_id TEXT REFERENCES incidents (id)
    );
    CREATE UNIQUE INDEX alerts_once_per_window ON alerts (rule, subject, window_start);
    CREATE INDEX alerts_fired ON alerts (fired_at);
    CREATE INDEX alerts_subject ON alerts (subject, fired_at);
  `,
};
