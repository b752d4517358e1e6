import type { ChannelName } from '../../shared/contract.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatch } from '../../electron/core/dispatch.js';
import { handlers } from '../../electron/core/handlers/index.js';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

/** Everything but the ledger: every table's rows (events and Merkle nodes excluded) plus the key file. */
function stateDigest(t: TempWorkspace): string {
  const db = t.app.ws.db;
  const h = createHash('sha256');
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('events', 'merkle_nodes') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const name of tables) {
    h.update(name);
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()) h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  h.update(readFileSync(join(t.dir, 'keyslots.json')));
  h.update(readFileSync(join(t.dir, 'checkpoint.json')));
  return h.digest('hex');
}

describe('dispatch', () => {
  it('checks the session first: no session → unauthenticated, even for an invalid body (ledgered as denied)', async () => {
    const t = await createTempWorkspace();
    const before = t.eventCount();
    const r = await t.result('users.create', { username: 'X' }, undefined);
    expect(r.ok ? null : r.error.code).toBe('unauthenticated');
    const r2 = await t.result('users.create', { username: 'X' }, 'not-a-session');
    expect(r2.ok ? null : r2.error.code).toBe('unauthenticated');
    const events = t.events().slice(before);
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ action: 'users.create', outcome: 'denied', actor: 'unknown', details: { reason: 'no-session' } });
  });

  it('checks the role before the input: a viewer sending an invalid users.create gets forbidden, not validation', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.val', 'viewer');
    const before = t.eventCount();
    const state = stateDigest(t);
    const r = await t.result('users.create', { username: 42, role: 'emperor' }, viewer);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('forbidden');
      expect(r.error.message).toBe('Your role (viewer) may not use users.create.');
      // Nothing about the schema leaks to someone who may not call the channel.
      expect(r.error.details).toBeUndefined();
      expect(r.error.message).not.toMatch(/username|passphrase|role:/);
    }
    const events = t.events().slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'viewer.val', action: 'users.create', outcome: 'denied', resource_type: 'channel', details: { reason: 'role', role: 'viewer' } });
    expect(stateDigest(t)).toBe(state);
  });

  it('validates the input of an allowed caller: validation error with the field, one failure event, no other change', async () => {
    const t = await createTempWorkspace();
    const before = t.eventCount();
    const state = stateDigest(t);
    const r = await t.result('users.create', { username: 'new.user', displayName: 'New', role: 'admin', passphrase: 'short' }, t.admin);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation');
      expect(r.error.message).toBe('The request is not valid. passphrase: A passphrase needs at least 12 characters.');
    }
    const events = t.events().slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: ADMIN, action: 'users.create', outcome: 'failure', details: { code: 'validation' } });
    expect(stateDigest(t)).toBe(state);
  });

  it('a mutation the service rejects leaves exactly one ledger event and no other change', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'dup.user', displayName: 'Dup', role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    const cases: [string, unknown, string][] = [
      ['users.create', { username: 'dup.user', displayName: 'Again', role: 'admin', passphrase: PASSPHRASE }, 'conflict'],
      ['users.update', { username: ADMIN, role: 'viewer' }, 'conflict'],
      ['users.update', { username: 'no.such.user', displayName: 'Ghost' }, 'not_found'],
    ];
    for (const [channel, input, code] of cases) {
      const before = t.eventCount();
      const head = t.app.ws.ledger.head();
      const state = stateDigest(t);
      const r = await t.result(channel as ChannelName, input, t.admin);
      expect(r.ok ? null : r.error.code, channel).toBe(code);
      const events = t.events().slice(before);
      expect(events, channel).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: channel, outcome: 'failure', seq: head.size + 1, prev_hash: head.lastHash, details: { code } });
      expect(stateDigest(t), channel).toBe(state);
    }
  });

  it("a rejection the service ledgered itself is recorded once, and the core's `ledgered` note never reaches the caller", async () => {
    const t = await createTempWorkspace();
    const before = t.eventCount();
    const r = await t.result('users.changePassphrase', { currentPassphrase: 'not the passphrase', newPassphrase: 'a brand new passphrase 2026' }, t.admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });
    if (!r.ok) expect(r.error.details ?? {}).not.toHaveProperty('ledgered');
    expect(t.events().slice(before).map((e) => [e.action, e.outcome])).toEqual([['users.changePassphrase', 'failure']]);
  });

  it('answers an unknown channel with not_found and a sentence, ledgering nothing', async () => {
    const t = await createTempWorkspace();
    const before = t.eventCount();
    for (const name of ['users.delete', '__proto__', 'constructor', 'toString', '']) {
      const r = await t.result(name as ChannelName, {}, t.admin);
      expect(r.ok ? null : r.error.code, name).toBe('not_found');
      if (!r.ok) expect(r.error.message).toBe(`There is no channel named ${name}.`);
    }
    expect(t.eventCount()).toBe(before);
  });

  it('answers with locked when the workspace is locked, for any non-public channel', async () => {
    const t = await createTempWorkspace();
    const s = t.admin;
    t.lock();
    for (const name of ['users.list', 'users.create', 'ledger.head']) {
      const r = await t.result(name as ChannelName, {}, s);
      expect(r.ok ? null : r.error.code, name).toBe('locked');
    }
  });

  it('ledger.head reports the last verification that ran: a refused attempt (a viewer) verified nothing and does not count', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('vic.viewer', 'viewer');
    await t.call('ledger.verify', {}, t.admin);
    const verified = t.lastEvent('ledger.verify')!;
    expect(await t.result('ledger.verify', {}, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(t.lastEvent('ledger.verify')).toMatchObject({ outcome: 'denied' });
    const head = await t.call<{ lastVerification: { at: string; valid: boolean; size: number } | null }>('ledger.head', {}, t.admin);
    expect(head.lastVerification).toEqual({ at: verified.ts, valid: true, size: verified.details.size });
  });

  it('validates responses too: a handler returning the wrong shape becomes a failure, not a leak', async () => {
    const t = await createTempWorkspace();
    const logged: unknown[] = [];
    const broken = createDispatch(
      t.app,
      { ...handlers, 'session.me': () => ({ user: { username: 'x', secret: 'should never cross' }, idleLockMinutes: 'soon' }) as never },
      (err) => logged.push(err),
    );
    const r = await broken('session.me', {}, { sessionId: t.admin });
    expect(r).toEqual({ ok: false, error: { code: 'failure', message: 'Something went wrong inside Custos; the action was not completed.' } });
    expect(logged).toHaveLength(1);
    // And the real handler passes the same response schema.
    const ok = await t.result('session.me', {}, t.admin);
    expect(ok.ok).toBe(true);
  });

  it('refuses ill-formed Unicode anywhere in a request before the schema, naming the field without echoing it, one failure event', async () => {
    const t = await createTempWorkspace();
    const cases: [unknown, RegExp, string][] = [
      [{ username: ADMIN, displayName: 'Ann\ud800' }, /^The request is not valid: displayName is not well-formed Unicode text \(it holds a lone surrogate\)\. Send/, 'displayName'],
      [{ username: '\udc00', displayName: 'Ann' }, /^The request is not valid: username is not well-formed Unicode text/, 'username'],
      // Fields the schema would strip are checked too: the whole raw request is.
      [{ username: ADMIN, extra: [{ ok: 'fine' }, { note: 'x\udbff' }] }, /: extra\.1\.note is not well-formed Unicode text/, 'extra.1.note'],
      [{ username: ADMIN, extra: { ['k\udfff']: 1 } }, /: an object at extra has a field name that is not well-formed Unicode/, 'extra'],
      [{ ['\ud800']: 1 }, /: the top-level object has a field name that is not well-formed Unicode/, ''],
      [{ username: ADMIN, ['x'.repeat(500)]: 'y\ud800' }, /: x{40}… is not well-formed Unicode text/, `${'x'.repeat(40)}…`],
    ];
    for (const [input, message, path] of cases) {
      const before = t.eventCount();
      const state = stateDigest(t);
      const r = await t.result('users.update', input, t.admin);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('validation');
        expect(r.error.message).toMatch(message);
        expect(r.error.details).toEqual({ issues: [{ path, message: expect.any(String) }] });
        // The answer never carries the offending text back.
        expect(JSON.stringify(r.error)).not.toMatch(/\\ud[89a-f]/);
      }
      const events = t.events().slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: ADMIN, action: 'users.update', outcome: 'failure', details: { code: 'validation' } });
      expect(stateDigest(t)).toBe(state);
    }
    const verified = await t.call<{ valid: boolean }>('ledger.verify', {}, t.admin);
    expect(verified.valid).toBe(true);
  });

  it('refuses ill-formed Unicode on public channels too (session.login), and after the role check for others', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.uni', 'viewer');
    const before = t.eventCount();
    const login = await t.result('session.login', { username: 'admin\ud800', passphrase: PASSPHRASE });
    expect(login.ok ? null : login.error.code).toBe('validation');
    expect(login.ok ? '' : login.error.message).toMatch(/^The request is not valid: username is not well-formed Unicode/);
    // The second factor's code too: refused before the passphrase is even tried.
    const otp = await t.result('session.login', { username: 'admin', passphrase: PASSPHRASE, otp: '12345\ud800' });
    expect(otp.ok ? '' : otp.error.message).toMatch(/^The request is not valid: otp is not well-formed Unicode/);
    expect(t.eventCount()).toBe(before);
    // A caller without the right still learns only that (forbidden), whatever the request holds.
    const r = await t.result('users.create', { username: '\ud800' }, viewer);
    expect(r.ok ? null : r.error.code).toBe('forbidden');
    const unknown = await t.dispatch('no.such\ud800', {}, { sessionId: t.admin });
    expect(unknown.ok ? null : unknown.error.message).toBe('There is no channel named no.such\ufffd.');
  });

  it('refuses requests nested deeper than 32 levels with a sentence, however deep, without crashing', async () => {
    const t = await createTempWorkspace();
    for (const levels of [33, 200_000]) {
      let deep: unknown = 'leaf';
      for (let i = 0; i < levels; i++) deep = [deep];
      const before = t.eventCount();
      const r = await t.result('users.update', { username: ADMIN, extra: deep }, t.admin);
      expect(r.ok ? null : r.error.code, String(levels)).toBe('validation');
      expect(r.ok ? '' : r.error.message).toMatch(/^The request is not valid: extra\.0\.0\..*nests objects and lists more than 32 levels deep\./);
      expect(t.eventCount()).toBe(before + 1);
    }
    // 32 levels are fine (the schema then judges the request).
    let ok: unknown = 'leaf';
    for (let i = 0; i < 31; i++) ok = [ok];
    const r = await t.result('users.update', { username: ADMIN, displayName: 'Fine', extra: ok }, t.admin);
    expect(r.ok).toBe(true);
  });

  it('accepts NUL, U+FFFE, U+FFFF and astral characters (well-formed) and stores them as sent', async () => {
    const t = await createTempWorkspace();
    const name = 'N\u0000\ufffe\uffff😀\u{10ffff}';
    await t.call('users.update', { username: ADMIN, displayName: name }, t.admin);
    const last = t.events().at(-1)!;
    expect(last).toMatchObject({ action: 'users.update', details: { changes: { displayName: { to: name } } } });
    const verified = await t.call<{ valid: boolean }>('ledger.verify', {}, t.admin);
    expect(verified.valid).toBe(true);
  });

  it('strips unknown request fields before the handler sees them', async () => {
    const t = await createTempWorkspace();
    let seen: unknown;
    const spy = createDispatch(t.app, {
      ...handlers,
      'users.update': (req, ctx) => {
        seen = req;
        return handlers['users.update'](req, ctx);
      },
    });
    const r = await spy('users.update', { username: ADMIN, displayName: 'Renamed', isAdmin: true, sql: 'DROP TABLE users' }, { sessionId: t.admin });
    expect(r.ok).toBe(true);
    expect(seen).toEqual({ username: ADMIN, displayName: 'Renamed' });
  });
});
