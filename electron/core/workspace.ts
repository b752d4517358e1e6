import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '../../shared/ledger-types.js';
import {
  FIRST_GENERATION,
  formatRecoveryKey,
  makeSlot,
  readKeyslots,
  recoverySlotId,
  userSlotId,
  writeKeyslots,
  type KeyslotFile,
} from './db/keyslots.js';
import { migrate, openEncryptedDb, type Db } from './db/open.js';
import { acquireWorkspaceLock, type StaleHolder } from './db/workspace-lock.js';
import { CustosError } from './errors.js';
import { insertCheckpoint, signCheckpoint, writeCheckpointFile } from './ledger/checkpoint.js';
import { signCheckpointNote, writeCheckpointNote } from './ledger/checkpoint-note.js';
import { Ledger, type AppendInput } from './ledger/ledger.js';
import { generateSigningKey, loadSigningKey, type SigningKey } from './ledger/signing.js';
import { securityPolicy, type ScryptParams } from './policy.js';

export const DB_FILE = 'custos.db';
export const EVIDENCE_DIR = 'evidence';
export const EXPORTS_DIR = 'exports';

export interface InitOptions {
  workspaceName: string;
  username: string;
  displayName: string;
  passphrase: string;
  scrypt?: ScryptParams;
}

/** An unlocked workspace: the open encrypted database, its ledger and its signing key. */
export class Workspace {
  readonly ledger: Ledger;
  readonly signingKey: SigningKey;
  readonly id: string;
  readonly name: string;
  /** The process that held the folder before and died without closing it, if any (for the unlock event). */
  staleHolder: StaleHolder | null = null;
  private closed = false;
  private ledgerReaders = 0;

  private constructor(
    readonly dir: string,
    readonly db: Db,
    private dbKey: Buffer,
    private readonly releaseLock: () => void,
  ) {
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    const id = meta.get('workspace_id');
    const name = meta.get('workspace_name');
    const key = meta.get('signing_key_pkcs8');
    if (!id || !name || !key) throw new CustosError('integrity', 'The workspace database is missing its identity; it may be damaged.');
    this.id = id;
    this.name = name;
    this.signingKey = loadSigningKey(Buffer.from(key, 'base64'));
    this.ledger = new Ledger(db);
  }

  /** Creates a workspace folder with its first administrator; returns it unlocked plus the recovery key (shown once). */
  static create(dir: string, opts: InitOptions): { ws: Workspace; recoveryKey: string; adminId: string } {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new CustosError('conflict', `The folder ${dir} is not empty; choose a new or empty folder for the workspace.`);
    }
    mkdirSync(join(dir, EVIDENCE_DIR), { recursive: true, mode: 0o700 });
    mkdirSync(join(dir, EXPORTS_DIR), { recursive: true, mode: 0o700 });
    const { release: releaseLock } = acquireWorkspaceLock(dir);
    const dbKey = randomBytes(32);
    const workspaceId = randomUUID();
    let db: Db;
    try {
      db = openEncryptedDb(join(dir, DB_FILE), dbKey, { create: true });
    } catch (err) {
      releaseLock();
      throw err;
    }
    migrate(db);
    const now = new Date().toISOString();
    const adminId = randomUUID();
    db.transaction(() => {
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('workspace_id', workspaceId);
      meta.run('workspace_name', opts.workspaceName);
      meta.run('created_at', now);
      meta.run('signing_key_pkcs8', generateSigningKey().toString('base64'));
      db.prepare(
        'INSERT INTO users (id, username, display_name, role, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)',
      ).run(adminId, opts.username, opts.displayName, 'admin', now);
    })();
    const ws = new Workspace(dir, db, dbKey, releaseLock);
    ws.tx(() => {
      ws.ledger.append({
        actor: opts.username,
        action: 'workspace.init',
        resource_type: 'workspace',
        resource_id: workspaceId,
        details: { workspace_name: opts.workspaceName, admin: opts.username },
      });
      ws.ledger.append({
        actor: opts.username,
        action: 'users.create',
        resource_type: 'user',
        resource_id: opts.username,
        details: { role: 'admin', display_name: opts.displayName },
      });
    });
    const params = opts.scrypt ?? securityPolicy().scrypt;
    const recoveryBytes = randomBytes(securityPolicy().recoveryKeyBytes);
    const recoveryKey = formatRecoveryKey(recoveryBytes);
    const keys = [{ generation: FIRST_GENERATION, key: dbKey }];
    const slots: KeyslotFile = {
      format: 'custos-keyslots/2',
      workspaceId,
      workspaceName: opts.workspaceName,
      generation: FIRST_GENERATION,
      rekey: null,
      slots: [
        makeSlot(workspaceId, userSlotId(workspaceId, opts.username), 'user', keys, opts.passphrase, params),
        makeSlot(workspaceId, recoverySlotId(workspaceId), 'recovery', keys, recoveryKey, params),
      ],
      pending: [],
      pendingDropped: 0,
      unknown: [],
    };
    ws.tx(() => ws.signCheckpoint('init'));
    // keyslots.json last: until it exists the folder reads as an unfinished workspace.
    writeKeyslots(dir, slots);
    return { ws, recoveryKey, adminId };
  }

  /** Opens a workspace with its unwrapped database key, holding the folder's exclusive lock while open. */
  static open(dir: string, dbKey: Buffer): Workspace {
    const { release: releaseLock, staleHolder } = acquireWorkspaceLock(dir);
    let db: Db;
    try {
      db = openEncryptedDb(join(dir, DB_FILE), dbKey);
    } catch (err) {
      releaseLock();
      throw err;
    }
    try {
      migrate(db);
      // A copy: callers wipe the key they unwrapped, and the open workspace still needs it.
      const ws = new Workspace(dir, db, Buffer.from(dbKey), releaseLock);
      ws.staleHolder = staleHolder;
      return ws;
    } catch (err) {
      db.close();
      releaseLock();
      throw err;
    }
  }

  /** The raw database key (for `custos db-key` and new keyslots). */
  key(): Buffer {
    return Buffer.from(this.dbKey);
  }

  /**
   * The root key of the encrypted files beside the database (evidence, retained productions). It is
   * the database key of the first generation, kept in the database from the first re-key on, so
   * files stay readable when the database key changes; each file also needs its salt from the database.
   */
  fileKey(): Buffer {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'file_root_key'").get() as { value: string } | undefined;
    return row ? Buffer.from(row.value, 'hex') : this.key();
  }

  /**
   * Re-encrypts the whole database under a new key (SQLCipher rekey: every page rewritten in one
   * rollback-journal transaction, so a crash leaves the old key valid). Rekeying is not possible
   * in WAL mode, so the WAL is folded in first and switched back on after.
   */
  changeDbKey(newKey: Buffer): void {
    this.assertOpen();
    if (newKey.length !== 32) throw new CustosError('integrity', 'The database key must be 32 bytes.');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma('journal_mode=DELETE');
    try {
      this.db.pragma(`rekey="x'${newKey.toString('hex')}'"`);
    } finally {
      this.db.pragma('journal_mode=WAL');
    }
    this.dbKey.fill(0);
    this.dbKey = Buffer.from(newKey);
  }

  /**
   * Runs `fn`, which reads ledger events page by page across awaits (a bundle, an export, a
   * verification). While any such reader runs, audit-log pruning is postponed: blanking bodies
   * between two of its pages would hand it events that no longer match their hashes.
   */
  async whileReadingLedger<T>(fn: () => Promise<T>): Promise<T> {
    this.ledgerReaders++;
    try {
      return await fn();
    } finally {
      this.ledgerReaders--;
    }
  }

  /** How many page-by-page ledger readers are running (whileReadingLedger). */
  get ledgerReadersRunning(): number {
    return this.ledgerReaders;
  }

  /**
   * Runs `fn` in one SQLite transaction; the ledger's in-memory head is restored if it throws.
   * Every mutation and the ledger event that records it go through here together.
   */
  tx<T>(fn: () => T): T {
    this.assertOpen();
    if (this.db.inTransaction) return fn();
    const restore = this.ledger.snapshot();
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (err) {
      restore();
      throw err;
    }
    this.ledger.notify();
    return result;
  }

  /** Appends one event in its own transaction (for events that record no other change). */
  record(input: AppendInput): void {
    this.tx(() => this.ledger.append(input));
  }

  /** Signs the current tree head, stores it and replaces checkpoint.json and checkpoint.note; call inside `tx`. */
  signCheckpoint(reason: string): Checkpoint {
    const { size } = this.ledger.head();
    const c = signCheckpoint(this.signingKey, {
      workspace_id: this.id,
      size,
      root: this.ledger.root(),
      ts: new Date().toISOString(),
    });
    insertCheckpoint(this.db, c, reason);
    writeCheckpointNote(this.dir, signCheckpointNote(this.signingKey, this.id, c));
    writeCheckpointFile(this.dir, c);
    return c;
  }

  /** The latest checkpoint stored in the database. */
  latestCheckpoint(): Checkpoint | null {
    const row = this.db
      .prepare('SELECT size, root, ts, key_id, signature FROM checkpoints ORDER BY id DESC LIMIT 1')
      .get() as Omit<Checkpoint, 'workspace_id'> | undefined;
    return row ? { workspace_id: this.id, ...row } : null;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new CustosError('locked', 'The workspace is locked; sign in again to continue.');
  }

  /** Closes the database and wipes the key from memory. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A failed WAL checkpoint is harmless: the WAL is encrypted and replayed on next open.
    }
    try {
      this.db.close();
    } finally {
      this.dbKey.fill(0);
      this.releaseLock();
    }
  }
}

/** What a folder is: no workspace yet, or a workspace (locked until someone signs in). */
export function inspectFolder(dir: string): { state: 'uninitialized' } | { state: 'workspace'; slots: KeyslotFile } {
  const slots = readKeyslots(dir);
  if (!slots) return { state: 'uninitialized' };
  if (!existsSync(join(dir, DB_FILE))) {
    throw new CustosError('integrity', `The workspace at ${dir} has a key file but no database (${DB_FILE}).`);
  }
  return { state: 'workspace', slots };
}
