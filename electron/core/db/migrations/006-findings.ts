import type { Migration } from './index.js';

/**
 * Findings on imported bundles (the import_findings table of 004) become an auditor's record:
 * append-only, written only on a verified import that has not been signed off as reviewed, and
 * tied to one of that import's events when they name a seq. A mistaken finding is answered by a
 * new one, never by editing the old.
 */
export const migration006: Migration = {
  version: 6,
  name: 'findings',
  sql: `
    CREATE TRIGGER import_findings_no_update BEFORE UPDATE ON import_findings
      BEGIN SELECT RAISE(ABORT, 'a finding cannot be changed; record a new one'); END;
    CREATE TRIGGER import_findings_no_delete BEFORE DELETE ON import_findings
      BEGIN SELECT RAISE(ABORT, 'a finding cannot be removed'); END;
    CREATE TRIGGER import_findings_verified_only BEFORE INSERT ON import_findings
      WHEN (SELECT status FROM imports WHERE id = NEW.import_id) IS NOT 'verified'
      BEGIN SELECT RAISE(ABORT, 'findings are recorded only on a verified import that is not yet reviewed'); END;
    CREATE TRIGGER import_findings_event_exists BEFORE INSERT ON import_findings
      WHEN NEW.seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM imported_events WHERE import_id = NEW.import_id AND seq = NEW.seq)
      BEGIN SELECT RAISE(ABORT, 'a finding can only refer to an event of its import'); END;
  `,
};
