import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sqlcipher from '@journeyapps/sqlcipher';
import canonicalizeImport from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// The interop promise of DESIGN §3: the official SQLCipher 4 library (not the one Custos links)
// opens custos.db with the raw key that `workspace.dbKey` / `custos db-key` hands out.

afterAll(removeTempDirs);

type Canonicalize = (input: unknown) => string | undefined;
const canonicalize: Canonicalize =
  typeof canonicalizeImport === 'function' ? canonicalizeImport : (canonicalizeImport as { default: Canonicalize }).default;

type Row = Record<string, unknown>;

/** A tiny promise layer over the callback API of @journeyapps/sqlcipher (node-sqlite3 style). */
function openOfficial(path: string): Promise<sqlcipher.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(path, sqlcipher.OPEN_READONLY, (err) => (err ? reject(err) : resolve(db)));
  });
}
function run(db: sqlcipher.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
}
function get(db: sqlcipher.Database, sql: string, params: unknown[] = []): Promise<Row | undefined> {
  return new Promise((resolve, reject) => db.get(sql, params, (err: Error | null, row: Row | undefined) => (err ? reject(err) : resolve(row))));
}
function all(db: sqlcipher.Database, sql: string): Promise<Row[]> {
  return new Promise((resolve, reject) => db.all(sql, (err: Error | null, rows: Row[]) => (err ? reject(err) : resolve(rows))));
}
function close(db: sqlcipher.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

async function keyed(path: string, hexKey: string): Promise<sqlcipher.Database> {
  const db = await openOfficial(path);
  await run(db, 'PRAGMA cipher_compatibility = 4');
  await run(db, `PRAGMA key = "x'${hexKey}'"`);
  return db;
}

describe('official SQLCipher 4 interop', () => {
  let t: TempWorkspace;
  let hexKey: string;

  beforeAll(async () => {
    t = await createTempWorkspace({ name: 'Interop workspace' });
    await t.call('users.create', { username: 'co.ines', displayName: 'Ines Interop', role: 'compliance_officer', passphrase: PASSPHRASE }, t.admin);
    hexKey = (await t.call<{ key: string }>('workspace.dbKey', {}, t.admin)).key;
    expect(hexKey).toMatch(/^[0-9a-f]{64}$/);
    t.lock();
  });

  it('is really the official library, version 4', async () => {
    const db = await openOfficial(':memory:');
    try {
      const v = await get(db, 'PRAGMA cipher_version');
      expect(String(v?.cipher_version)).toMatch(/^4\./);
    } finally {
      await close(db);
    }
  });

  it('opens custos.db with the raw key and reads a users row and an events row whose hash recomputes', async () => {
    const db = await keyed(join(t.dir, 'custos.db'), hexKey);
    try {
      const user = await get(db, 'SELECT username, display_name, role, disabled FROM users WHERE username = ?', ['co.ines']);
      expect(user).toEqual({ username: 'co.ines', display_name: 'Ines Interop', role: 'compliance_officer', disabled: 0 });
      const admin = await get(db, "SELECT role FROM users WHERE username = 'admin'");
      expect(admin).toEqual({ role: 'admin' });

      const events = await all(db, 'SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash FROM events ORDER BY seq');
      expect(events.length).toBeGreaterThan(3);
      const created = events.find((e) => e.action === 'users.create' && e.resource_id === 'co.ines')!;
      expect(created).toMatchObject({ actor: ADMIN, outcome: 'success' });
      expect(JSON.parse(String(created.details))).toEqual({ role: 'compliance_officer', display_name: 'Ines Interop' });
      // The rows read by another SQLCipher are the very bytes the ledger hashed.
      for (const e of events) {
        const { hash, ...rest } = e;
        const c = canonicalize({ ...rest, details: JSON.parse(String(rest.details)) as unknown })!;
        expect(createHash('sha256').update(c, 'utf8').digest('hex'), `event ${String(e.seq)}`).toBe(hash);
      }
      const check = await get(db, 'PRAGMA cipher_integrity_check');
      // cipher_integrity_check returns no rows when every page's HMAC holds.
      expect(check).toBeUndefined();
    } finally {
      await close(db);
    }
  });

  it('the key from `workspace.dbKey` is the same one the app keeps after a fresh sign-in', async () => {
    const s = await t.login();
    const again = (await t.call<{ key: string }>('workspace.dbKey', {}, s)).key;
    expect(again).toBe(hexKey);
    const dbKeyEvents = t.events().filter((e) => e.action === 'workspace.dbKey');
    expect(dbKeyEvents.map((e) => e.actor)).toEqual([ADMIN, ADMIN]);
    t.lock();
  });

  it('fails with a wrong key', async () => {
    const wrong = hexKey.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const db = await keyed(join(t.dir, 'custos.db'), wrong);
    try {
      await expect(get(db, 'SELECT count(*) AS n FROM users')).rejects.toThrow(/file is not a database|SQLITE_NOTADB/);
    } finally {
      await close(db);
    }
  });

  it('fails without a key', async () => {
    const db = await openOfficial(join(t.dir, 'custos.db'));
    try {
      await expect(get(db, 'SELECT count(*) AS n FROM users')).rejects.toThrow(/file is not a database|SQLITE_NOTADB/);
    } finally {
      await close(db);
    }
  });
  it('after a re-key the official library opens custos.db with the new key from `workspace.dbKey`, and not with the old one', async () => {
    const s = await t.login();
    await t.call('users.update', { username: 'co.ines', disabled: true }, s);
    const newKey = (await t.call<{ key: string }>('workspace.dbKey', {}, s)).key;
    expect(newKey).not.toBe(hexKey);
    t.lock();
    const db = await keyed(join(t.dir, 'custos.db'), newKey);
    try {
      expect(await get(db, "SELECT disabled FROM users WHERE username = 'co.ines'")).toEqual({ disabled: 1 });
      expect(await get(db, 'PRAGMA cipher_integrity_check')).toBeUndefined();
    } finally {
      await close(db);
    }
    const old = await keyed(join(t.dir, 'custos.db'), hexKey);
    try {
      await expect(get(old, 'SELECT count(*) AS n FROM users')).rejects.toThrow(/file is not a database|SQLITE_NOTADB/);
    } finally {
      await close(old);
    }
  });
});
