import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openEncryptedDb } from '../../electron/core/db/open.js';
import { MIGRATIONS, type Migration } from '../../electron/core/db/migrations/index.js';
import { isCustosError } from '../../electron/core/errors.js';
import { openRaw } from './helpers/tamper.js';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs, tempDir } from './helpers/workspace.js';

afterAll(removeTempDirs);

function freshDb() {
  return openEncryptedDb(join(tempDir('custos-migrate-'), 'm.db'), randomBytes(32), { create: true });
}

const good: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE one (x INTEGER);' };
// The first statement succeeds, the second fails: a migration outside a transaction would leave `two_a` behind.
const bad: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE two_a (x INTEGER); CREATE TABLE one (y INTEGER);' };

function tables(db: ReturnType<typeof freshDb>): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are registered one per version, in order, one file each', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    const dir = fileURLToPath(new URL('../../electron/core/db/migrations/', import.meta.url));
    const files = readdirSync(dir).filter((f) => /^\d{3}-.+\.ts$/.test(f)).sort();
    // Every numbered migration file is registered (none forgotten) and numbered like its version.
    expect(files.map((f) => Number(f.slice(0, 3)))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('run each migration in its own transaction: a failing one leaves no partial schema and no version bump', () => {
    const db = freshDb();
    try {
      let caught: unknown;
      try {
        migrate(db, [good, bad]);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(Error);
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(tables(db)).toEqual(['one']);
      // Fixing the migration and running again continues from version 1.
      const fixed: Migration = { ...bad, sql: 'CREATE TABLE two_a (x INTEGER); CREATE TABLE two_b (y INTEGER);' };
      expect(migrate(db, [good, fixed])).toEqual({ from: 1, to: 2 });
      expect(tables(db)).toEqual(['one', 'two_a', 'two_b']);
      expect(migrate(db, [good, fixed])).toEqual({ from: 2, to: 2 });
    } finally {
      db.close();
    }
  });

  it('refuse a database from a future schema version with code conflict, without changing it', () => {
    const db = freshDb();
    try {
      migrate(db, [good]);
      db.pragma('user_version = 7');
      let caught: unknown;
      try {
        migrate(db, [good]);
      } catch (err) {
        caught = err;
      }
      expect(isCustosError(caught, 'conflict')).toBe(true);
      expect((caught as Error).message).toMatch(/newer version of Custos.*schema 7.*knows 1.*update Custos/);
      expect(db.pragma('user_version', { simple: true })).toBe(7);
    } finally {
      db.close();
    }
  });

  it('a workspace whose database is from a future version cannot be unlocked: conflict, with a sentence', async () => {
    const t = await createTempWorkspace();
    const key = await t.dbKey();
    t.lock();
    const future = MIGRATIONS.length + 50;
    const raw = openRaw(t.dir, key);
    raw.pragma(`user_version = ${future}`);
    const eventsBefore = (raw.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    raw.close();
    const r = await t.result('session.login', { username: ADMIN, passphrase: PASSPHRASE });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toBe(
        `This workspace was written by a newer version of Custos (schema ${future}, this version knows ${MIGRATIONS.length}); update Custos to open it.`,
      );
    }
    expect(t.app.unlocked).toBe(false);
    const after = openRaw(t.dir, key, { readonly: true });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(future);
      expect((after.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(eventsBefore);
    } finally {
      after.close();
    }
  });

  it('a new workspace is at the latest schema version', async () => {
    const t = await createTempWorkspace();
    expect(t.app.ws.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});
