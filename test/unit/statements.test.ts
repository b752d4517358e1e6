import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEncryptedDb, type Db } from '../../electron/core/db/open.js';
import { STATEMENT_CACHE_SIZE, cachedStatementCount, prepared } from '../../electron/core/db/statements.js';
import { removeTempDirs, tempDir } from './helpers/workspace.js';

afterAll(removeTempDirs);

const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function freshDb(path = join(tempDir('custos-statements-'), 's.db'), key = randomBytes(32)): Db {
  const db = openEncryptedDb(path, key, { create: true });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  opened.push(db);
  return db;
}

describe('prepared statements', () => {
  it('compile once per connection and SQL text, and run with typed rows', () => {
    const db = freshDb();
    const insert = prepared<[number, string]>(db, 'INSERT INTO t (id, name) VALUES (?, ?)');
    insert.run(1, 'one');
    expect(prepared(db, 'INSERT INTO t (id, name) VALUES (?, ?)')).toBe(insert);
    const byId = prepared<[number], { name: string }>(db, 'SELECT name FROM t WHERE id = ?');
    expect(byId.get(1)?.name).toBe('one');
    expect(prepared(db, 'SELECT name FROM t WHERE id = ?')).toBe(byId);
    expect(prepared(db, 'SELECT name FROM t WHERE id = ? ')).not.toBe(byId);
    expect(cachedStatementCount(db)).toBe(3);
  });

  it('are never shared between connections, nor handed out for a connection opened again', () => {
    const a = freshDb();
    const b = freshDb();
    const sql = 'SELECT count(*) AS n FROM t';
    const onA = prepared<[], { n: number }>(a, sql);
    const onB = prepared<[], { n: number }>(b, sql);
    expect(onB).not.toBe(onA);
    expect(onA.database).toBe(a);
    expect(onB.database).toBe(b);
    a.close();
    expect(() => onA.get()).toThrow(/database connection is not open/);
    expect(onB.get()?.n).toBe(0);
  });

  it('keep working on a connection re-keyed in place, and are not handed to the connection that opens it next', () => {
    const path = join(tempDir('custos-statements-'), 's.db');
    const db = freshDb(path);
    const insert = prepared<[number, string]>(db, 'INSERT INTO t (id, name) VALUES (?, ?)');
    const byId = prepared<[number], { name: string }>(db, 'SELECT name FROM t WHERE id = ?');
    insert.run(1, 'before');
    // As Workspace.changeDbKey does: the WAL folded in, every page rewritten under the new key.
    const newKey = randomBytes(32);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode=DELETE');
    db.pragma(`rekey="x'${newKey.toString('hex')}'"`);
    db.pragma('journal_mode=WAL');
    expect(prepared(db, 'INSERT INTO t (id, name) VALUES (?, ?)')).toBe(insert);
    insert.run(2, 'after');
    expect(byId.get(1)?.name).toBe('before');
    db.close();
    const reopened = openEncryptedDb(path, newKey);
    opened.push(reopened);
    const again = prepared<[number], { name: string }>(reopened, 'SELECT name FROM t WHERE id = ?');
    expect(again).not.toBe(byId);
    expect(again.database).toBe(reopened);
    expect(again.get(2)?.name).toBe('after');
  });

  it(`keep at most ${STATEMENT_CACHE_SIZE} per connection, dropping the least recently used`, () => {
    const db = freshDb();
    const first = prepared(db, 'SELECT 0 AS n');
    const second = prepared(db, 'SELECT 1 AS n');
    for (let i = 2; i < STATEMENT_CACHE_SIZE; i++) prepared(db, `SELECT ${i} AS n`);
    expect(cachedStatementCount(db)).toBe(STATEMENT_CACHE_SIZE);
    // Using `first` again makes `second` the oldest: it is the one the next new SQL pushes out.
    expect(prepared(db, 'SELECT 0 AS n')).toBe(first);
    prepared(db, `SELECT ${STATEMENT_CACHE_SIZE} AS n`);
    expect(cachedStatementCount(db)).toBe(STATEMENT_CACHE_SIZE);
    expect(prepared(db, 'SELECT 0 AS n')).toBe(first);
    expect(prepared(db, 'SELECT 1 AS n')).not.toBe(second);
    for (let i = 0; i < 3 * STATEMENT_CACHE_SIZE; i++) prepared(db, `SELECT ${i} AS n, 'dynamic' AS kind`);
    expect(cachedStatementCount(db)).toBe(STATEMENT_CACHE_SIZE);
  });
});
