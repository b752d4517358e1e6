import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

// The SQL of retention: policy changes, sweep runs, and what the sweep reads and writes of records.
// Each statement is prepared once per connection.

/** An administrator's change of one category's policy. */
export interface PolicyRow {
  category: string;
  period_value: number | null;
  period_unit: 'days' | 'weeks' | 'months' | 'years' | null;
  action: 'archive' | 'delete';
  classification: 'public' | 'internal' | 'confidential' | 'restricted';
  updated_at: string;
  updated_by: string;
}

/** One sweep that ran. */
export interface SweepRow {
  id: string;
  trigger: 'manual' | 'cli' | 'schedule' | 'unlock';
  actor: string;
  ran_at: string;
  as_of: string;
  archived: number;
  deleted: number;
  held: number;
}

/** A record whose retention ran out, as the sweep reads it. */
export interface ExpiredRow {
  id: string;
  subject_id: string;
  category: string;
  retention_until: string;
  archived_at: string | null;
}

/** What a deletion hashes before it destroys the content. */
export interface RecordContentRow {
  id: string;
  subject_id: string;
  category: string;
  title: string;
  content: string | null;
  source: string;
  record_date: string;
}

/** Every changed policy, by category. */
export function policyRows(db: Db): PolicyRow[] {
  return prepared<[], PolicyRow>(db, 'SELECT category, period_value, period_unit, action, classification, updated_at, updated_by FROM retention_policies ORDER BY category').all();
}

/** Stores a category's changed policy (replacing an earlier change). */
export function upsertPolicy(db: Db, p: PolicyRow): void {
  prepared<[string, number | null, string | null, string, string, string, string]>(
    db,
    `INSERT INTO retention_policies (category, period_value, period_unit, action, classification, legal_hold_override, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?)
     ON CONFLICT (category) DO UPDATE SET period_value = excluded.period_value, period_unit = excluded.period_unit,
       action = excluded.action, classification = excluded.classification, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(p.category, p.period_value, p.period_unit, p.action, p.classification, p.updated_at, p.updated_by);
}

/** Id, date and retention date of every record of a category that has not been destroyed (archived ones included). */
export function keptRecordsOfCategory(db: Db, category: string): { id: string; record_date: string; retention_until: string | null }[] {
  return prepared<[string], { id: string; record_date: string; retention_until: string | null }>(
    db,
    "SELECT id, record_date, retention_until FROM records WHERE category = ? AND status = 'active' ORDER BY id",
  ).all(category);
}

/** Sets a record's retention date (after its category's policy changed). */
export function setRetentionUntil(db: Db, id: string, until: string | null): void {
  prepared<[string | null, string]>(db, 'UPDATE records SET retention_until = ? WHERE id = ?').run(until, id);
}

/** Records not destroyed whose retention ran out before `today` (YYYY-MM-DD), by id; archived ones included. */
export function expiredRows(db: Db, today: string): ExpiredRow[] {
  return prepared<[string], ExpiredRow>(
    db,
    "SELECT id, subject_id, category, retention_until, archived_at FROM records WHERE status = 'active' AND retention_until IS NOT NULL AND retention_until < ? ORDER BY id",
  ).all(today);
}

/** The record as a deletion hashes it, or undefined. */
export function recordContentRow(db: Db, id: string): RecordContentRow | undefined {
  return prepared<[string], RecordContentRow>(db, 'SELECT id, subject_id, category, title, content, source, record_date FROM records WHERE id = ?').get(id);
}

/** Marks an active record archived (read-only from now on). */
export function setRecordArchived(db: Db, id: string, actor: string, at: string): void {
  prepared<[string, string, string, string]>(db, "UPDATE records SET archived_at = ?, archived_by = ?, updated_at = ? WHERE id = ? AND status = 'active'").run(at, actor, at, id);
}

/** Wipes a record's title and content and marks it purged (a tombstone stays). */
export function setRecordPurged(db: Db, id: string, actor: string, reason: string, at: string): void {
  prepared<[string, string, string, string, string]>(
    db,
    "UPDATE records SET content = NULL, title = '', status = 'purged', destroyed_at = ?, destroyed_by = ?, destroy_reason = ?, updated_at = ? WHERE id = ?",
  ).run(at, actor, reason, at, id);
}

/** Stores a sweep that ran. */
export function insertSweep(db: Db, s: SweepRow): void {
  prepared<[string, string, string, string, string, number, number, number]>(
    db,
    'INSERT INTO retention_sweeps (id, trigger, actor, ran_at, as_of, archived, deleted, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(s.id, s.trigger, s.actor, s.ran_at, s.as_of, s.archived, s.deleted, s.held);
}

/** The last sweep that ran, or undefined. */
export function lastSweepRow(db: Db): SweepRow | undefined {
  return prepared<[], SweepRow>(db, 'SELECT * FROM retention_sweeps ORDER BY ran_at DESC, id DESC LIMIT 1').get();
}

/** The time of the workspace's first ledger event (when it was created). */
export function firstEventTs(db: Db): string | undefined {
  return prepared<[], { ts: string }>(db, 'SELECT ts FROM events WHERE seq = 1').get()?.ts;
}
