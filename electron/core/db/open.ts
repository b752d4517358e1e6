import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { CustosError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** Opens (or creates) a SQLCipher-4 database with a raw 256-bit key; throws `locked` on a wrong key. */
export function openEncryptedDb(path: string, key: Buffer, opts: { create?: boolean } = {}): Db {
  if (key.length !== 32) throw new CustosError('integrity', 'The database key must be 32 bytes.');
  // Created owner-only before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
  if (opts.create && !existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  const db = new Database(path, { fileMustExist: !opts.create });
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    // Reading the schema is the first moment a wrong key shows itself.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    if (err instanceof Error && /not a database|file is encrypted/i.test(err.message)) {
      throw new CustosError('locked', 'The database could not be decrypted with this key.');
    }
    throw err;
  }
  // Temporary tables and sort spills stay in memory: SQLite's temp files are not encrypted.
  db.pragma('temp_store=MEMORY');
  db.pragma('journal_mode=WAL');
  db.pragma('synchronous=NORMAL');
  db.pragma('foreign_keys=ON');
  db.pragma('secure_delete=ON');
  return db;
}

/** Applies pending migrations, each in its own transaction; refuses a database from a newer Custos. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (from > latest) {
    throw new CustosError(
      'conflict',
      `This workspace was written by a newer version of Custos (schema ${from}, this version knows ${latest}); update Custos to open it.`,
      { schemaVersion: from, supported: latest },
    );
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}
