import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { withSession } from '../../electron/cli.js';
import { readKeyslots, userSlotId } from '../../electron/core/db/keyslots.js';
import { prepareRekey, recordRekey } from '../../electron/core/db/rekey.js';
import { CustosError } from '../../electron/core/errors.js';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// Issue 9 §4: a secret typed wrong answers `wrong_credentials`; `unauthenticated` means only that
// there is no session (any more). The failures are ledgered and counted towards the lockout as before.

afterAll(removeTempDirs);

const WRONG = 'not the right passphrase at all';

function codeOf(r: { ok: boolean; error?: { code: string } }): string | null {
  return r.ok ? null : (r.error?.code ?? null);
}

describe('wrong_credentials', () => {
  it('a wrong passphrase at sign-in (open workspace): wrong_credentials, ledgered and counted', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'viewer.val', displayName: 'Val', role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    const r = await t.result('session.login', { username: 'viewer.val', passphrase: WRONG });
    expect(r).toEqual({ ok: false, error: { code: 'wrong_credentials', message: 'The username or passphrase is not correct.' } });
    expect(t.events().at(-1)).toMatchObject({ actor: 'viewer.val', action: 'session.login', outcome: 'failure', details: { reason: 'wrong-passphrase' } });
    expect(readKeyslots(t.dir)!.slots.find((s) => s.id === userSlotId(t.workspaceId, 'viewer.val'))?.failedAttempts).toBe(1);
  });

  it('a wrong passphrase that would unlock the workspace: wrong_credentials, kept for the next unlock and counted', async () => {
    const t = await createTempWorkspace();
    t.lock();
    expect(codeOf(await t.result('session.login', { username: ADMIN, passphrase: WRONG }))).toBe('wrong_credentials');
    expect(t.app.unlocked).toBe(false);
    const file = readKeyslots(t.dir)!;
    expect(file.pending.map((p) => p.reason)).toEqual(['wrong-passphrase']);
    expect(file.slots.find((s) => s.id === userSlotId(t.workspaceId, ADMIN))?.failedAttempts).toBe(1);
    await t.login();
    expect(t.events().filter((e) => e.action === 'session.login' && e.outcome === 'failure')).toHaveLength(1);
  });

  it('a wrong recovery key: wrong_credentials, ledgered', async () => {
    const t = await createTempWorkspace();
    const r = await t.result('session.recover', { recoveryKey: 'AAAAA-BBBBB-CCCCC-DDDDD', username: ADMIN, newPassphrase: 'a passphrase never set' });
    expect(r).toEqual({ ok: false, error: { code: 'wrong_credentials', message: 'The recovery key is not correct.' } });
    expect(t.events().at(-1)).toMatchObject({ action: 'session.login', outcome: 'failure', details: { reason: 'wrong-recovery-key' } });
  });

  it('a wrong current passphrase at a change: wrong_credentials, one failure event, counted, and the session lives on', async () => {
    const t = await createTempWorkspace();
    const before = t.eventCount();
    const r = await t.result('users.changePassphrase', { currentPassphrase: WRONG, newPassphrase: 'a brand new passphrase' }, t.admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'wrong_credentials', message: 'The current passphrase is not correct.' } });
    expect(t.eventCount()).toBe(before + 1);
    expect(t.events().at(-1)).toMatchObject({ actor: ADMIN, action: 'users.changePassphrase', outcome: 'failure', details: { reason: 'wrong-current-passphrase' } });
    expect(readKeyslots(t.dir)!.slots.find((s) => s.id === userSlotId(t.workspaceId, ADMIN))?.failedAttempts).toBe(1);
    expect((await t.result('session.me', {}, t.admin)).ok).toBe(true);
  });

  it('a passphrase whose keyslot is leaving in an unfinished re-key: wrong_credentials, and the workspace stays locked', async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.lee', 'viewer');
    const ws = t.app.ws;
    const plan = prepareRekey(ws, [userSlotId(t.workspaceId, 'viewer.lee')]);
    recordRekey(ws, plan, ADMIN, 'user-disabled', () => {
      ws.db.prepare("UPDATE users SET disabled = 1 WHERE username = 'viewer.lee'").run();
      ws.ledger.append({ actor: ADMIN, action: 'users.update', resource_type: 'user', resource_id: 'viewer.lee', details: { changes: { disabled: { from: false, to: true } } } });
      return { user: 'viewer.lee' };
    });
    ws.close(); // the process dies before the database is re-encrypted
    const r = await t.result('session.login', { username: 'viewer.lee', passphrase: PASSPHRASE });
    expect(r).toEqual({ ok: false, error: { code: 'wrong_credentials', message: 'The username or passphrase is not correct.' } });
    expect(t.app.unlocked).toBe(false);
  });

  it('an ended session still answers unauthenticated (and the call is ledgered as denied)', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.vi', 'viewer');
    await t.call('session.logout', {}, viewer);
    const r = await t.result('session.me', {}, viewer);
    expect(r).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Your session has ended; sign in again.' } });
    expect(t.events().at(-1)).toMatchObject({ actor: 'unknown', action: 'session.me', outcome: 'denied', details: { reason: 'no-session' } });
    expect(codeOf(await t.result('cases.list', {}, 'no-such-session'))).toBe('unauthenticated');
  });
});

describe('the CLI opening a workspace with a wrong passphrase', () => {
  const saved = process.env.CUSTOS_PASSPHRASE;
  afterEach(() => {
    if (saved === undefined) delete process.env.CUSTOS_PASSPHRASE;
    else process.env.CUSTOS_PASSPHRASE = saved;
  });

  it('fails with wrong_credentials and the sentence it prints, counted for the next unlock', async () => {
    const t = await createTempWorkspace();
    t.lock();
    process.env.CUSTOS_PASSPHRASE = WRONG;
    let ran = false;
    const err = await withSession(t.dir, ADMIN, () => {
      ran = true;
      return Promise.resolve();
    }).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(CustosError);
    expect(err).toMatchObject({ code: 'wrong_credentials', message: 'The username or passphrase is not correct.' });
    expect(readKeyslots(t.dir)!.pending.map((p) => p.reason)).toEqual(['wrong-passphrase']);
  });
});
