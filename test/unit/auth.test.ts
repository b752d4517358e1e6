import { createHash, createPublicKey, createPrivateKey, verify as verifySignature } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalizeImport from 'canonicalize';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PENDING_FAILURES, MAX_UNKNOWN_NAMES, readKeyslots, unknownCounter, userSlotId, type KeyslotFile } from '../../electron/core/db/keyslots.js';
import { inputAgoMs } from '../../electron/core/dispatch.js';
import { securityPolicy } from '../../electron/core/policy.js';
import { openRaw, rawEvents } from './helpers/tamper.js';
import { ADMIN, CallError, PASSPHRASE, createTempWorkspace, removeTempDirs, waitFor, type TempWorkspace } from './helpers/workspace.js';

afterAll(removeTempDirs);

type Canonicalize = (input: unknown) => string | undefined;
const canonicalize: Canonicalize =
  typeof canonicalizeImport === 'function' ? canonicalizeImport : (canonicalizeImport as { default: Canonicalize }).default;

const WRONG = 'this is not the passphrase';
const policy = JSON.parse(readFileSync(new URL('../../resources/policies/security.json', import.meta.url), 'utf8')) as {
  maxFailedLogins: number;
  lockoutMinutes: number;
};

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (err instanceof CallError) return err.code;
    throw err;
  }
}

function setLockedUntil(dir: string, slotId: string, value: string | null): void {
  const f = readKeyslots(dir) as KeyslotFile;
  f.slots = f.slots.map((s) => (s.id === slotId ? { ...s, lockedUntil: value } : s));
  writeFileSync(join(dir, 'keyslots.json'), `${JSON.stringify(f, null, 2)}\n`);
}

/** RFC 6962 root of a list of leaf hashes, written out from the RFC's recursion. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.of(1))
    .update(mth(leaves.slice(0, k)))
    .update(mth(leaves.slice(k)))
    .digest();
}

/** Checks checkpoint.json independently: the key from the database, the root from the leaves, the signature. */
function checkpointCoversAll(t: TempWorkspace, key: Buffer): { size: number; lastAction: string; lastDetails: string } {
  const cp = JSON.parse(readFileSync(join(t.dir, 'checkpoint.json'), 'utf8')) as {
    workspace_id: string;
    size: number;
    root: string;
    ts: string;
    key_id: string;
    signature: string;
  };
  const db = openRaw(t.dir, key, { readonly: true });
  try {
    const rows = rawEvents(db);
    const pkcs8 = (db.prepare("SELECT value FROM meta WHERE key = 'signing_key_pkcs8'").get() as { value: string }).value;
    const pub = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
    expect(cp.size).toBe(rows.length);
    expect(cp.root).toBe(mth(rows.map((r) => r.leaf_hash)).toString('hex'));
    expect(cp.key_id).toBe(createHash('sha256').update(pub.export({ format: 'der', type: 'spki' })).digest('hex'));
    const signed = Buffer.from(canonicalize({ workspace_id: cp.workspace_id, size: cp.size, root: cp.root, ts: cp.ts })!, 'utf8');
    expect(verifySignature(null, signed, pub, Buffer.from(cp.signature, 'base64'))).toBe(true);
    const last = rows[rows.length - 1]!;
    return { size: cp.size, lastAction: last.action, lastDetails: last.details };
  } finally {
    db.close();
  }
}

describe('sign-in lockout', () => {
  it('uses the policy in resources/policies/security.json', () => {
    expect(securityPolicy().maxFailedLogins).toBe(policy.maxFailedLogins);
    expect(securityPolicy().lockoutMinutes).toBe(policy.lockoutMinutes);
    expect(policy.maxFailedLogins).toBeGreaterThan(1);
  });

  it(`locks an account after maxFailedLogins failures (rate_limited, even with the right passphrase), ledgered, and unlocks after lockoutMinutes`, async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'viewer.liz', displayName: 'Liz', role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    const slotId = userSlotId(t.workspaceId, 'viewer.liz');
    for (let i = 1; i <= policy.maxFailedLogins; i++) {
      expect(await codeOf(t.login('viewer.liz', WRONG)), `attempt ${i}`).toBe('wrong_credentials');
    }
    const slot = readKeyslots(t.dir)!.slots.find((s) => s.id === slotId)!;
    expect(slot.lockedUntil).not.toBeNull();
    const lockedFor = new Date(slot.lockedUntil!).getTime() - Date.now();
    expect(lockedFor).toBeGreaterThan((policy.lockoutMinutes - 1) * 60_000);
    expect(lockedFor).toBeLessThanOrEqual(policy.lockoutMinutes * 60_000);

    const r = await t.result('session.login', { username: 'viewer.liz', passphrase: PASSPHRASE });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('rate_limited');
      expect(r.error.message).toMatch(new RegExp(`^This account is locked after ${policy.maxFailedLogins} failed sign-ins; try again after \\d\\d:\\d\\d UTC or use the recovery key\\.$`));
    }
    // The workspace was unlocked (admin signed in), so every failure is in the ledger at once.
    const failures = t.events().filter((e) => e.action === 'session.login' && e.actor === 'viewer.liz' && e.outcome === 'failure');
    expect(failures.map((e) => e.details.reason)).toEqual([
      ...Array<string>(policy.maxFailedLogins - 1).fill('wrong-passphrase'),
      'wrong-passphrase-lockout',
      'account-locked',
    ]);
    // Another account is not affected.
    expect(await codeOf(t.login(ADMIN, PASSPHRASE))).toBeNull();

    // lockoutMinutes later (moved into the past instead of waiting).
    setLockedUntil(t.dir, slotId, new Date(Date.now() - 1000).toISOString());
    const s = await t.login('viewer.liz', PASSPHRASE);
    expect((await t.call<{ user: { username: string } }>('session.me', {}, s)).user.username).toBe('viewer.liz');
    expect(readKeyslots(t.dir)!.slots.find((x) => x.id === slotId)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('counts failures while the workspace is locked too, and ledgers them all at the next unlock', async () => {
    const t = await createTempWorkspace();
    t.lock();
    const slotId = userSlotId(t.workspaceId, ADMIN);
    for (let i = 0; i < policy.maxFailedLogins; i++) expect(await codeOf(t.login(ADMIN, WRONG))).toBe('wrong_credentials');
    expect(await codeOf(t.login(ADMIN, PASSPHRASE))).toBe('rate_limited');
    expect(t.app.unlocked).toBe(false);
    expect(readKeyslots(t.dir)!.pending).toHaveLength(policy.maxFailedLogins + 1);
    setLockedUntil(t.dir, slotId, '2000-01-01T00:00:00.000Z');
    await t.login();
    const failures = t.events().filter((e) => e.action === 'session.login' && e.outcome === 'failure');
    expect(failures).toHaveLength(policy.maxFailedLogins + 1);
    for (const f of failures) expect(f.details.recorded).toBe('at-next-unlock');
    expect(failures[failures.length - 1]!.details.reason).toBe('account-locked');
  });
});

describe('lockout details', () => {
  it('wrong current passphrases in users.changePassphrase count towards the same lockout as sign-in', async () => {
    const t = await createTempWorkspace();
    const s = await t.addUser('viewer.pat', 'viewer');
    for (let i = 1; i <= policy.maxFailedLogins; i++) {
      const r = await t.result('users.changePassphrase', { currentPassphrase: WRONG, newPassphrase: 'a new passphrase for pat' }, s);
      expect(r.ok ? null : r.error.code, `attempt ${i}`).toBe('wrong_credentials');
    }
    // Locked now: the right current passphrase is refused, and so is a sign-in with it.
    const again = await t.result('users.changePassphrase', { currentPassphrase: PASSPHRASE, newPassphrase: 'a new passphrase for pat' }, s);
    expect(again.ok ? null : again.error.code).toBe('rate_limited');
    expect(await codeOf(t.login('viewer.pat', PASSPHRASE))).toBe('rate_limited');
    const failed = t.events().filter((e) => e.action === 'users.changePassphrase' && e.outcome === 'failure');
    expect(failed.map((e) => e.details.reason)).toEqual([
      ...Array<string>(policy.maxFailedLogins - 1).fill('wrong-current-passphrase'),
      'wrong-current-passphrase-lockout',
      'account-locked',
    ]);
    // The slot still opens with the old passphrase once the lockout is over.
    setLockedUntil(t.dir, userSlotId(t.workspaceId, 'viewer.pat'), null);
    expect(await t.login('viewer.pat', PASSPHRASE)).toBeTruthy();
  });

  it('an unknown username gets the same answers as a real one: wrong_credentials, then the same rate_limited sentence', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'viewer.real', displayName: 'Real', role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    const answers = async (username: string) => {
      const out: { code: string; message: string }[] = [];
      for (let i = 0; i <= policy.maxFailedLogins; i++) {
        const r = await t.result('session.login', { username, passphrase: WRONG });
        if (r.ok) throw new Error('signed in with a wrong passphrase');
        // The time of day in the lockout sentence is the only thing allowed to differ.
        out.push({ code: r.error.code, message: r.error.message.replace(/\d\d:\d\d UTC/, 'HH:MM UTC') });
      }
      return out;
    };
    const real = await answers('viewer.real');
    const ghost = await answers('viewer.ghost');
    expect(ghost).toEqual(real);
    expect(ghost.at(-1)?.code).toBe('rate_limited');
    expect(ghost.slice(0, -1).every((a) => a.code === 'wrong_credentials')).toBe(true);
    // The counter of the unknown name is kept by its hash only.
    expect(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).not.toContain('viewer.ghost');
    expect(readKeyslots(t.dir)!.unknown.map((u) => u.id)).toEqual([userSlotId(t.workspaceId, 'viewer.ghost')]);
  });

  it('keeps at most MAX_UNKNOWN_NAMES unknown-name counters, dropping one a fresh counter would match, never a lockout in force', () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    const id = (n: number) => n.toString(16).padStart(64, '0');
    const file = {
      unknown: [
        { id: id(0), failedAttempts: 0, lockedUntil: future },
        { id: id(1), failedAttempts: 3, lockedUntil: null },
        ...Array.from({ length: MAX_UNKNOWN_NAMES - 3 }, (_, i) => ({ id: id(i + 2), failedAttempts: 2, lockedUntil: null })),
        { id: id(99_999), failedAttempts: 0, lockedUntil: '2000-01-01T00:00:00.000Z' },
      ],
    } as KeyslotFile;
    unknownCounter(file, id(123_456)).failedAttempts += 1;
    expect(file.unknown).toHaveLength(MAX_UNKNOWN_NAMES);
    // The expired lock went; the lock in force and the counting ones stayed.
    expect(file.unknown.map((u) => u.id)).not.toContain(id(99_999));
    expect(file.unknown.slice(0, 2).map((u) => u.id)).toEqual([id(0), id(1)]);
    // With nothing inert left, the oldest goes.
    unknownCounter(file, id(654_321));
    expect(file.unknown[0]!.id).toBe(id(1));
  });

  it('caps the failure log kept while locked; the dropped count is ledgered at the next unlock', async () => {
    const t = await createTempWorkspace();
    t.lock();
    const f = readKeyslots(t.dir)!;
    f.pending = Array.from({ length: MAX_PENDING_FAILURES }, (_, i) => ({ ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), slotId: null, reason: 'unknown-user' }));
    writeFileSync(join(t.dir, 'keyslots.json'), `${JSON.stringify(f, null, 2)}\n`);
    expect(await codeOf(t.login('someone.else', WRONG))).toBe('wrong_credentials');
    expect(await codeOf(t.login('someone.other', WRONG))).toBe('wrong_credentials');
    const after = readKeyslots(t.dir)!;
    expect(after.pending).toHaveLength(MAX_PENDING_FAILURES);
    expect(after.pendingDropped).toBe(2);
    // The oldest went, the newest stayed.
    expect(after.pending[0]!.ts).toBe(new Date(Date.UTC(2026, 0, 1, 0, 0, 2)).toISOString());
    await t.login();
    const full = t.events().filter((e) => e.details.reason === 'failure-log-full');
    expect(full).toMatchObject([{ outcome: 'failure', details: { dropped: 2, kept: MAX_PENDING_FAILURES } }]);
    expect(readKeyslots(t.dir)).toMatchObject({ pending: [], pendingDropped: 0 });
  });
});

describe('disabled users', () => {
  it('cannot sign in (the same answer as a wrong passphrase), and their open session stops working at once', async () => {
    const t = await createTempWorkspace();
    const before = await t.addUser('co.dora', 'compliance_officer');
    await t.call('users.update', { username: 'co.dora', disabled: true }, t.admin);
    const r = await t.result('session.login', { username: 'co.dora', passphrase: PASSPHRASE });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('wrong_credentials');
      expect(r.error.message).toBe('The username or passphrase is not correct.');
    }
    const failed = t.events().filter((e) => e.action === 'session.login' && e.outcome === 'failure');
    expect(failed).toMatchObject([{ details: { reason: 'unknown-user' } }]);
    const call = await t.result('session.me', {}, before);
    expect(call.ok ? null : call.error.code).toBe('forbidden');
  });

  it('cannot unlock a locked workspace either; the attempt is ledgered at the next unlock', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'legal.lee', displayName: 'Lee', role: 'legal_counsel', passphrase: PASSPHRASE }, t.admin);
    await t.call('users.update', { username: 'legal.lee', disabled: true }, t.admin);
    t.lock();
    expect(await codeOf(t.login('legal.lee', PASSPHRASE))).toBe('wrong_credentials');
    expect(t.app.unlocked).toBe(false);
    await t.login();
    const failed = t.events().filter((e) => e.action === 'session.login' && e.outcome === 'failure');
    expect(failed).toMatchObject([{ details: { reason: 'unknown-user', recorded: 'at-next-unlock' } }]);
  });

  it('a user disabled before keyslots were deleted (a slot still present) is still refused as disabled, with a checkpoint', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'legal.lou', displayName: 'Lou', role: 'legal_counsel', passphrase: PASSPHRASE }, t.admin);
    // What an older version left behind: the disabled flag set, the keyslot kept.
    t.app.ws.db.prepare("UPDATE users SET disabled = 1 WHERE username = 'legal.lou'").run();
    const key = await t.dbKey();
    t.lock();
    expect(await codeOf(t.login('legal.lou', PASSPHRASE))).toBe('forbidden');
    expect(t.app.unlocked).toBe(false);
    const c = checkpointCoversAll(t, key);
    expect(c.lastAction).toBe('session.login');
    expect(JSON.parse(c.lastDetails)).toEqual({ reason: 'disabled' });
  });
});

describe('locking', () => {
  it('locks after the idle time: the next call is refused with locked, and the lock is ledgered and checkpointed', async () => {
    const previous = process.env.CUSTOS_IDLE_LOCK_MINUTES;
    const t = await createTempWorkspace({ login: false });
    try {
      // 0.002 minutes = 120 ms.
      process.env.CUSTOS_IDLE_LOCK_MINUTES = '0.002';
      const locked: string[] = [];
      t.app.onEvent((event, payload) => {
        if (event === 'session.locked') locked.push((payload as { reason: string }).reason);
      });
      const s = await t.login();
      const key = Buffer.from((await t.call<{ key: string }>('workspace.dbKey', {}, s)).key, 'hex');
      const started = Date.now();
      await waitFor(() => !t.app.unlocked, 20_000, 'the idle lock');
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      expect(locked).toEqual(['idle']);
      const r = await t.result('session.me', {}, s);
      expect(r.ok ? null : r.error.code).toBe('locked');
      const c = checkpointCoversAll(t, key);
      expect(c.lastAction).toBe('workspace.lock');
      expect(JSON.parse(c.lastDetails)).toEqual({ reason: 'idle' });
    } finally {
      if (previous === undefined) delete process.env.CUSTOS_IDLE_LOCK_MINUTES;
      else process.env.CUSTOS_IDLE_LOCK_MINUTES = previous;
    }
  });

  it('does not lock a workspace that is in use', async () => {
    const previous = process.env.CUSTOS_IDLE_LOCK_MINUTES;
    const t = await createTempWorkspace({ login: false });
    try {
      process.env.CUSTOS_IDLE_LOCK_MINUTES = '0.01'; // 600 ms
      const s = await t.login();
      for (let i = 0; i < 15; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const r = await t.result('session.me', {}, s);
        expect(r.ok, `call ${i}`).toBe(true);
      }
    } finally {
      if (previous === undefined) delete process.env.CUSTOS_IDLE_LOCK_MINUTES;
      else process.env.CUSTOS_IDLE_LOCK_MINUTES = previous;
      t.lock();
    }
  });

  it('ends a session idle past the limit on its own while another is in use (seed 000: session timeout); the event names the session', async () => {
    const previous = process.env.CUSTOS_IDLE_LOCK_MINUTES;
    const t = await createTempWorkspace({ login: false });
    try {
      process.env.CUSTOS_IDLE_LOCK_MINUTES = '0.01'; // 600 ms
      const active = await t.login();
      t.admin = active;
      const forgotten = await t.addUser('viewer.fern', 'viewer');
      const logins = t.events().filter((e) => e.action === 'session.login' && e.outcome === 'success');
      const fernLogin = logins.find((e) => e.actor === 'viewer.fern')!;
      expect(fernLogin.details).toMatchObject({ role: 'viewer', host: 'Direct call', session: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(new Set(logins.map((e) => e.details.session)).size).toBe(logins.length);
      // The administrator keeps working; the viewer does nothing.
      await waitFor(
        () => {
          void t.result('session.me', {}, active);
          return t.events().some((e) => e.action === 'session.logout');
        },
        10_000,
        'the idle session to end',
      );
      expect(t.app.unlocked).toBe(true);
      const gone = await t.result('session.me', {}, forgotten);
      expect(gone.ok ? null : gone.error.code).toBe('unauthenticated');
      expect((await t.result('session.me', {}, active)).ok).toBe(true);
      expect(t.events().filter((e) => e.action === 'session.logout' || e.action === 'workspace.lock')).toMatchObject([
        { actor: 'system', resource_id: 'viewer.fern', action: 'session.logout', details: { requested: 'idle', idle_minutes: 0.01, session: fernLogin.details.session, host: 'Direct call' } },
      ]);
    } finally {
      if (previous === undefined) delete process.env.CUSTOS_IDLE_LOCK_MINUTES;
      else process.env.CUSTOS_IDLE_LOCK_MINUTES = previous;
      t.lock();
    }
  });

  it('counts a session idle from its person’s last input, as the page reports it: a page reloading what others change does not keep it', async () => {
    const previous = process.env.CUSTOS_IDLE_LOCK_MINUTES;
    const t = await createTempWorkspace({ login: false });
    try {
      process.env.CUSTOS_IDLE_LOCK_MINUTES = '0.01'; // 600 ms
      const active = await t.login();
      t.admin = active;
      const tab = await t.addUser('viewer.tab', 'viewer');
      // The forgotten tab keeps calling (its page reloads lists and the top bar), but nobody has touched it for a minute.
      await waitFor(
        () => {
          void t.result('session.me', {}, active);
          void t.dispatch('ledger.head', {}, { sessionId: tab, inputAgoMs: 60_000 });
          return t.events().some((e) => e.action === 'session.logout');
        },
        10_000,
        'the untouched tab to end',
      );
      expect(t.app.unlocked).toBe(true);
      const gone = await t.result('session.me', {}, tab);
      expect(gone.ok ? null : gone.error.code).toBe('unauthenticated');
      expect(t.events().filter((e) => e.action === 'session.logout')).toMatchObject([{ actor: 'system', resource_id: 'viewer.tab', details: { requested: 'idle' } }]);
    } finally {
      if (previous === undefined) delete process.env.CUSTOS_IDLE_LOCK_MINUTES;
      else process.env.CUSTOS_IDLE_LOCK_MINUTES = previous;
      t.lock();
    }
  });

  it('reads a host’s input age only as whole milliseconds', () => {
    expect([inputAgoMs('0'), inputAgoMs('1500'), inputAgoMs(250)]).toEqual([0, 1500, 250]);
    for (const bad of ['-1', '1e3', ' 5', '1.5', 'abc', '', '9'.repeat(13), -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, ['5'], {}]) {
      expect(inputAgoMs(bad), String(bad)).toBeUndefined();
    }
  });

  it('a viewer who is not the last session ends only their own session; the workspace stays unlocked for the others', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.mia', 'viewer');
    const r = await t.result('session.lock', {}, viewer);
    expect(r).toEqual({ ok: true, value: {} });
    await new Promise((done) => setTimeout(done, 50));
    expect(t.app.unlocked).toBe(true);
    const gone = await t.result('session.me', {}, viewer);
    expect(gone.ok ? null : gone.error.code).toBe('unauthenticated');
    expect((await t.result('session.me', {}, t.admin)).ok).toBe(true);
    expect(t.events().filter((e) => e.action === 'session.logout' || e.action === 'workspace.lock')).toMatchObject([
      { actor: 'viewer.mia', action: 'session.logout', details: { requested: 'lock' } },
    ]);
  });

  it('manual lock by the last session closes the database (a call afterwards is locked) and writes a checkpoint covering the lock event', async () => {
    const t = await createTempWorkspace();
    const key = await t.dbKey();
    const viewer = await t.addUser('viewer.mo', 'viewer');
    await t.call('session.logout', {}, t.admin);
    const reasons: string[] = [];
    t.app.onEvent((event, payload) => {
      if (event === 'session.locked') reasons.push((payload as { reason: string }).reason);
    });
    const r = await t.result('session.lock', {}, viewer);
    expect(r).toEqual({ ok: true, value: {} });
    await waitFor(() => !t.app.unlocked, 5_000, 'the manual lock');
    expect(reasons).toEqual(['manual']);
    for (const s of [viewer, t.admin]) {
      const after = await t.result('users.list', {}, s);
      expect(after.ok ? null : after.error.code).toBe('locked');
    }
    const c = checkpointCoversAll(t, key);
    expect(c.lastAction).toBe('workspace.lock');
    expect(JSON.parse(c.lastDetails)).toEqual({ reason: 'manual' });
    const db = openRaw(t.dir, key, { readonly: true });
    try {
      const last = rawEvents(db).at(-1)!;
      expect(last.actor).toBe('viewer.mo');
    } finally {
      db.close();
    }
  });
});

describe('users to choose from', () => {
  it('users.choices gives the roles that assign work the active users (names and roles only); others are refused', async () => {
    const t = await createTempWorkspace();
    const staff = await t.addStaff();
    await t.call('users.update', { username: 'sam.wright', disabled: true }, t.admin);
    for (const session of [t.admin, staff.officer, staff.counsel]) {
      const r = await t.call<{ items: { username: string; displayName: string; role: string }[] }>('users.choices', {}, session);
      expect(r.items.map((u) => u.username).sort()).toEqual([ADMIN, 'david.okafor', 'maria.chen', 'priya.raman']);
      for (const u of r.items) expect(Object.keys(u).sort()).toEqual(['displayName', 'role', 'username']);
    }
    expect(await t.result('users.choices', {}, staff.auditor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
