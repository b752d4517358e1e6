import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.js';

describe('migration 002 (cases)', () => {
  it('creates the tables later migrations reference, with append-only triggers', () => {
    const db = new Database(':memory:');
    for (const m of MIGRATIONS) db.exec(m.sql);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['cases', 'subjects', 'records', 'evidence', 'custody_events', 'legal_holds', 'hold_custodians', 'hold_notices', 'case_links']) {
      expect(tables).toContain(t);
    }
    db.prepare("INSERT INTO cases (id, title, type, created_by, created_at, updated_at) VALUES ('CASE-1', 't', 'audit', 'a', 'x', 'x')").run();
    db.prepare("INSERT INTO case_notes (id, case_id, author, body, created_at) VALUES ('n1', 'CASE-1', 'a', 'b', 'x')").run();
    expect(() => db.prepare("UPDATE case_notes SET body = 'c'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM case_notes').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO cases (id, title, type, created_by, created_at, updated_at) VALUES ('CASE-2', 't', 'party', 'a', 'x', 'x')").run()).toThrow();
  });
});
