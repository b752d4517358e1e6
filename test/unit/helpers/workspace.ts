import type { ChannelName } from '../../../shared/contract.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../../shared/roles.js';
import type { Result } from '../../../shared/result.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import type { CustosApp } from '../../../electron/core/app.js';
import { createCore } from '../../../electron/core/create-core.js';
import type { CoreWiring } from '../../../electron/core/wiring.js';
import type { Dispatch } from '../../../electron/core/dispatch.js';
import { rowToEvent } from '../../../electron/core/ledger/ledger.js';

/** The first administrator of every test workspace, and the passphrase every test user shares. */
export const ADMIN = 'admin';
export const PASSPHRASE = 'correct horse battery staple';

const made: string[] = [];

/** A fresh folder under os.tmpdir(); removed by `removeTempDirs` (call it from afterAll). */
export function tempDir(prefix = 'custos-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made in this test file. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A dispatch call's error, thrown by `call` so tests can assert on code and message. */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The sessions of the casework staff that the role tests use (`addStaff`). */
export interface Staff {
  officer: string;
  counsel: string;
  auditor: string;
  viewer: string;
}

export interface TempWorkspace {
  dir: string;
  app: CustosApp;
  dispatch: Dispatch;
  workspaceId: string;
  recoveryKey: string;
  /** The administrator's session (after `createTempWorkspace` with login, the default). */
  admin: string;
  /** Calls a channel and returns its Result as is. */
  result(channel: ChannelName, input?: unknown, session?: string): Promise<Result<unknown>>;
  /** Calls a channel and unwraps its value; throws CallError on a failed Result. */
  call<T = Record<string, unknown>>(channel: ChannelName, input?: unknown, session?: string): Promise<T>;
  /** Signs a user in through `session.login`; returns the session id. */
  login(username?: string, passphrase?: string): Promise<string>;
  /** Creates a user with a role (as the administrator) and signs them in; returns their session. */
  addUser(username: string, role: Role, displayName?: string): Promise<string>;
  /** The raw database key, through the `workspace.dbKey` channel (ledgered). */
  dbKey(): Promise<Buffer>;
  /** The casework staff, one signed-in user per working role: their sessions. */
  addStaff(): Promise<Staff>;
  /** Every ledger event of the open workspace, in seq order. */
  events(): LedgerEvent[];
  /** The last event of an action, if any. */
  lastEvent(action: string): LedgerEvent | undefined;
  /** The events after `seq`, in seq order (cheap on a long ledger: read by key, as a poll should). */
  eventsAfter(seq: number): LedgerEvent[];
  /** Number of ledger events of the open workspace. */
  eventCount(): number;
  /** Locks through the app (ledgered, checkpoint written, database closed). */
  lock(): void;
}

/** Creates a workspace in a fresh temp folder through the dispatch and (by default) signs the admin in. */
export async function createTempWorkspace(
  opts: { login?: boolean; dir?: string; name?: string; log?: (err: unknown) => void; wiring?: CoreWiring } = {},
): Promise<TempWorkspace> {
  const dir = opts.dir ?? join(tempDir(), 'ws');
  const { app, dispatch } = createCore(dir, {
    wiring: opts.wiring,
    log:
      opts.log ??
      ((err) => {
        // An unexpected error inside the core shows up in the test output instead of hiding behind code 'failure'.
        console.error('unexpected error in the core:', err);
      }),
  });
  const result = (channel: string, input: unknown = {}, session?: string) => dispatch(channel, input, { sessionId: session });
  const call = async <T>(channel: string, input: unknown = {}, session?: string): Promise<T> => {
    const r = await result(channel, input, session);
    if (!r.ok) throw new CallError(r.error.code, r.error.message, r.error.details);
    return r.value as T;
  };
  const { workspaceId, recoveryKey } = await call<{ workspaceId: string; recoveryKey: string }>('workspace.init', {
    workspaceName: opts.name ?? 'Test workspace',
    username: ADMIN,
    displayName: 'Test Administrator',
    passphrase: PASSPHRASE,
  });
  const login = async (username = ADMIN, passphrase = PASSPHRASE) =>
    (await call<{ session: string }>('session.login', { username, passphrase })).session;
  const ws: TempWorkspace = {
    dir,
    app,
    dispatch,
    workspaceId,
    recoveryKey,
    admin: '',
    result,
    call,
    login,
    async addUser(username, role, displayName = `User ${username}`) {
      await call('users.create', { username, displayName, role, passphrase: PASSPHRASE }, ws.admin);
      return login(username);
    },
    async dbKey() {
      const { key } = await call<{ key: string }>('workspace.dbKey', {}, ws.admin);
      return Buffer.from(key, 'hex');
    },
    async addStaff() {
      return {
        officer: await ws.addUser('maria.chen', 'compliance_officer'),
        counsel: await ws.addUser('david.okafor', 'legal_counsel'),
        auditor: await ws.addUser('priya.raman', 'auditor'),
        viewer: await ws.addUser('sam.wright', 'viewer'),
      };
    },
    events() {
      return (app.ws.db.prepare('SELECT * FROM events ORDER BY seq').all() as Parameters<typeof rowToEvent>[0][]).map(rowToEvent);
    },
    eventsAfter(seq) {
      return (app.ws.db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq').all(seq) as Parameters<typeof rowToEvent>[0][]).map(rowToEvent);
    },
    lastEvent(action) {
      const row = app.ws.db.prepare('SELECT * FROM events WHERE action = ? ORDER BY seq DESC LIMIT 1').get(action) as Parameters<typeof rowToEvent>[0] | undefined;
      return row && rowToEvent(row);
    },
    eventCount() {
      return (app.ws.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    lock() {
      app.lock('manual', ADMIN);
    },
  };
  if (opts.login !== false) ws.admin = await login();
  return ws;
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'the condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
