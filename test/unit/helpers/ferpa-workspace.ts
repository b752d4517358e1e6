import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { Role } from '../../../shared/roles.js';
import type { Result } from '../../../shared/result.js';
import type { CustosApp } from '../../../electron/core/app.js';
import { createCore } from '../../../electron/core/create-core.js';
import type { Dispatch } from '../../../electron/core/dispatch.js';
import type { Workspace } from '../../../electron/core/workspace.js';

export const PASS = 'correct horse battery staple';

/** A real workspace in a temp folder, driven through the dispatch, with one signed-in user per role. */
export interface FerpaFixture {
  dir: string;
  app: CustosApp;
  dispatch: Dispatch;
  ws: () => Workspace;
  /** Calls a channel as a role (admin by default); throws with the error code when the result is not ok. */
  call: <C extends ChannelName>(channel: C, input: RequestOf<C>, as?: Role) => Promise<ResponseOf<C>>;
  /** Calls a channel and returns the raw Result. */
  result: (channel: ChannelName, input: unknown, as?: Role) => Promise<Result<unknown>>;
  addSubject: (s: { id: string; name: string; optOut?: boolean; optOutAt?: string }) => void;
  addRecord: (r: { id: string; subjectId: string; category?: string; title?: string; content?: string; status?: string }) => void;
  addCase: (id: string) => void;
  close: () => void;
}

const USERS: { username: string; role: Role }[] = [
  { username: 'olivia.officer', role: 'compliance_officer' },
  { username: 'leo.counsel', role: 'legal_counsel' },
  { username: 'ada.auditor', role: 'auditor' },
  { username: 'vic.viewer', role: 'viewer' },
];

export async function ferpaFixture(): Promise<FerpaFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-ferpa-'));
  const wsDir = join(dir, 'ws');
  const { app, dispatch } = createCore(wsDir, { log: (err) => console.error(err) });
  const init = await dispatch('workspace.init', { workspaceName: 'Northside District', username: 'admin', displayName: 'Admin', passphrase: PASS });
  if (!init.ok) throw new Error(init.error.message);
  const sessions = new Map<Role, string>();
  const login = async (username: string): Promise<string> => {
    const r = await dispatch('session.login', { username, passphrase: PASS });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { session: string }).session;
  };
  sessions.set('admin', await login('admin'));
  for (const u of USERS) {
    const r = await dispatch('users.create', { username: u.username, displayName: u.username, role: u.role, passphrase: PASS }, { sessionId: sessions.get('admin') });
    if (!r.ok) throw new Error(r.error.message);
    sessions.set(u.role, await login(u.username));
  }
  const result = (channel: ChannelName, input: unknown, as: Role = 'admin') => dispatch(channel, input, { sessionId: sessions.get(as) });
  const call = async <C extends ChannelName>(channel: C, input: RequestOf<C>, as: Role = 'admin'): Promise<ResponseOf<C>> => {
    const r = await result(channel, input, as);
    if (!r.ok) throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { code: r.error.code });
    return r.value as ResponseOf<C>;
  };
  const ws = () => app.ws;
  const now = new Date().toISOString();
  // Subjects, records and cases belong to another area (migration 002); the fixture writes their rows directly.
  const addSubject: FerpaFixture['addSubject'] = (s) => {
    app.ws.db
      .prepare(
        `INSERT INTO subjects (id, kind, display_name, email, directory_opt_out, directory_opt_out_at, created_by, created_at, updated_at)
         VALUES (?, 'student', ?, ?, ?, ?, 'admin', ?, ?)`,
      )
      .run(s.id, s.name, `${s.id.toLowerCase()}@example.edu`, s.optOut ? 1 : 0, s.optOut ? (s.optOutAt ?? '2000-01-01T00:00:00.000Z') : null, now, now);
  };
  const addRecord: FerpaFixture['addRecord'] = (r) => {
    app.ws.db
      .prepare(
        `INSERT INTO records (id, subject_id, category, title, content, source, record_date, status, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'Student information system', '2025-06-01T00:00:00.000Z', ?, 'admin', ?, ?)`,
      )
      .run(r.id, r.subjectId, r.category ?? 'academic', r.title ?? `Record ${r.id}`, r.status && r.status !== 'active' ? null : (r.content ?? `Content of ${r.id}`), r.status ?? 'active', now, now);
  };
  const addCase: FerpaFixture['addCase'] = (id) => {
    app.ws.db
      .prepare(`INSERT INTO cases (id, title, type, created_by, created_at, updated_at) VALUES (?, ?, 'subpoena', 'admin', ?, ?)`)
      .run(id, `Case ${id}`, now, now);
  };
  return {
    dir,
    app,
    dispatch,
    ws,
    call,
    result,
    addSubject,
    addRecord,
    addCase,
    close: () => {
      app.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ledger events of one action, oldest first. */
export function eventsOf(ws: Workspace, action: string): { seq: number; actor: string; resource_id: string; outcome: string; details: Record<string, unknown> }[] {
  return (ws.db.prepare('SELECT seq, actor, resource_id, outcome, details FROM events WHERE action = ? ORDER BY seq').all(action) as {
    seq: number;
    actor: string;
    resource_id: string;
    outcome: string;
    details: string;
  }[]).map((e) => ({ ...e, details: JSON.parse(e.details) as Record<string, unknown> }));
}

/** Days before now as an RFC 3339 instant. */
export function daysAgo(n: number, from: Date = new Date()): string {
  return new Date(from.getTime() - n * 86_400_000).toISOString();
}
