import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

// The SQL of the institution's FERPA settings: one row per setting changed from its shipped default.

export interface FerpaSettingRow {
  key: string;
  value: string;
  changed_at: string;
  changed_by: string;
}

/** The stored setting, or undefined while it has its shipped default. */
export function findFerpaSetting(db: Db, key: string): FerpaSettingRow | undefined {
  return prepared<[string], FerpaSettingRow>(db, 'SELECT key, value, changed_at, changed_by FROM ferpa_settings WHERE key = ?').get(key);
}

/** Stores a setting (replacing its earlier value). */
export function putFerpaSetting(db: Db, row: FerpaSettingRow): void {
  prepared<[string, string, string, string]>(
    db,
    `INSERT INTO ferpa_settings (key, value, changed_at, changed_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
  ).run(row.key, row.value, row.changed_at, row.changed_by);
}
