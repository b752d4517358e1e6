import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openSlot,
  readKeyslots,
  recoverySlotId,
  userSlotId,
  type Keyslot,
  type KeyslotFile,
} from '../../electron/core/db/keyslots.js';
import { applyRekey, prepareRekey, recordRekey } from '../../electron/core/db/rekey.js';
import { openRaw, rawEvents } from './helpers/tamper.js';
import { ADMIN, CallError, PASSPHRASE, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// Issue item 3: keys must not follow people. Disabling a user deletes their keyslot and gives the
// database a new key; what they kept (their passphrase, an old keyslots.json) opens nothing current.

afterAll(removeTempDirs);

function slotsOf(dir: string): KeyslotFile {
  const f = readKeyslots(dir);
  if (!f) throw new Error('no keyslots.json');
  return f;
}

function opens(dir: string, key: Buffer): boolean {
  try {
    openRaw(dir, key, { readonly: true }).close();
    return true;
  } catch {
    return false;
  }
}

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (err instanceof CallError) return err.code;
    throw err;
  }
}

/** Every event of the workspace on disk, read with a raw key (the workspace may be locked). */
function eventsOnDisk(t: TempWorkspace, key: Buffer): { action: string; actor: string; details: Record<string, unknown> }[] {
  const db = openRaw(t.dir, key, { readonly: true });
  try {
    return rawEvents(db).map((e) => ({ action: e.action, actor: e.actor, details: JSON.parse(e.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('disabling a user re-keys the database', () => {
  it("deletes the user's keyslot; their passphrase and a kept keyslots.json open only the old key, which no longer opens custos.db", async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.vera', 'viewer');
    const oldKey = await t.dbKey();
    const keptFile = JSON.parse(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')) as KeyslotFile;
    const veraId = userSlotId(t.workspaceId, 'viewer.vera');
    const res = await t.call<{ user: { disabled: boolean }; recoveryKey: string | null }>('users.update', { username: 'viewer.vera', disabled: true }, t.admin);
    expect(res.user.disabled).toBe(true);
    expect(res.recoveryKey).toBeNull();
    const f = slotsOf(t.dir);
    expect(f.slots.map((s) => s.id)).not.toContain(veraId);
    expect(f).toMatchObject({ generation: 2, rekey: null });
    const newKey = await t.dbKey();
    expect(newKey.equals(oldKey)).toBe(false);
    // What the departed viewer kept: her passphrase and the old key file. They give her the old key only.
    const hers = openSlot(t.workspaceId, keptFile.slots.find((s) => s.id === veraId)!, PASSPHRASE)!;
    expect(hers.equals(oldKey)).toBe(true);
    t.lock();
    expect(opens(t.dir, hers)).toBe(false);
    expect(opens(t.dir, newKey)).toBe(true);
    // Every remaining slot and the recovery key hold the new key (re-wrapped without their secrets).
    expect(openSlot(t.workspaceId, f.slots.find((s) => s.id === userSlotId(t.workspaceId, ADMIN))!, PASSPHRASE)?.equals(newKey)).toBe(true);
    expect(openSlot(t.workspaceId, f.slots.find((s) => s.id === recoverySlotId(t.workspaceId))!, t.recoveryKey)?.equals(newKey)).toBe(true);
    // Ledgered together: the update and the re-key that carries it.
    const events = eventsOnDisk(t, newKey);
    const i = events.findIndex((e) => e.action === 'workspace.rekey');
    expect(events[i]).toMatchObject({ actor: ADMIN, details: { reason: 'user-disabled', user: 'viewer.vera', generation: 2, previous: 1, slots_kept: 2, slots_removed: 1 } });
    expect(events[i - 1]).toMatchObject({ action: 'users.update', details: { changes: { disabled: { from: false, to: true } } } });
    expect(events.filter((e) => e.action === 'workspace.rekey')).toHaveLength(1);
    const s = await t.login();
    expect((await t.call<{ valid: boolean }>('ledger.verify', {}, s)).valid).toBe(true);
    expect(await codeOf(t.login('viewer.vera', PASSPHRASE))).toBe('wrong_credentials');
  });

  it('a sign-in through a keyslot left over from before a re-key is a recorded failure, open or locked', async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.lou', 'viewer');
    const kept = JSON.parse(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')) as KeyslotFile;
    const louId = userSlotId(t.workspaceId, 'viewer.lou');
    await t.call('users.update', { username: 'viewer.lou', disabled: true }, t.admin);
    // Her old slot put back beside the current ones: her passphrase opens it, but only to the old key.
    const current = slotsOf(t.dir);
    writeFileSync(join(t.dir, 'keyslots.json'), JSON.stringify({ ...current, slots: [...current.slots, kept.slots.find((x) => x.id === louId)!] }));
    const before = t.eventCount();
    expect(await codeOf(t.login('viewer.lou', PASSPHRASE))).toBe('integrity');
    expect(t.events().slice(before).map((e) => [e.action, e.outcome, e.actor, e.details.reason])).toEqual([['session.login', 'failure', 'viewer.lou', 'stale-keyslot']]);
    // Locked: recorded at the next unlock, like every failure while locked.
    t.lock();
    expect(await codeOf(t.login('viewer.lou', PASSPHRASE))).toBe('wrong_credentials');
    const key = await (async () => {
      t.admin = await t.login();
      return t.dbKey();
    })();
    const stale = eventsOnDisk(t, key).filter((e) => e.action === 'session.login' && e.details.reason === 'stale-keyslot');
    expect(stale).toHaveLength(2);
  });

  it('a refused disable (the ledger refuses the re-key event) changes nothing: same key, same key file, user still enabled', async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.nell', 'viewer');
    const key = await t.dbKey();
    const before = readFileSync(join(t.dir, 'keyslots.json'), 'utf8');
    t.app.ws.db.exec(
      "CREATE TEMP TRIGGER refuse_rekey BEFORE INSERT ON main.events WHEN NEW.action = 'workspace.rekey' AND NEW.outcome = 'success' BEGIN SELECT RAISE(ABORT, 'injected'); END",
    );
    expect(await codeOf(t.call('users.update', { username: 'viewer.nell', disabled: true }, t.admin))).toBe('failure');
    t.app.ws.db.exec('DROP TRIGGER temp.refuse_rekey');
    expect(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).toBe(before);
    expect((await t.dbKey()).equals(key)).toBe(true);
    expect((await t.call<{ items: { username: string; disabled: boolean }[] }>('users.list', {}, t.admin)).items.find((u) => u.username === 'viewer.nell')?.disabled).toBe(false);
    // Refusing the last administrator is answered before anything is written.
    expect(await codeOf(t.call('users.update', { username: ADMIN, disabled: true }, t.admin))).toBe('conflict');
    expect(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).toBe(before);
  });

  it('keeps evidence written before the re-key readable and its hash intact', async () => {
    const t = await createTempWorkspace();
    await t.addUser('co.cody', 'compliance_officer');
    const bytes = randomBytes(3000);
    const { evidence } = await t.call<{ evidence: { id: string } }>(
      'evidence.ingestContent',
      { fileName: 'note.bin', contentBase64: bytes.toString('base64'), title: 'Note', source: 'Upload' },
      t.admin,
    );
    await t.call('users.update', { username: 'co.cody', disabled: true }, t.admin);
    expect(slotsOf(t.dir).generation).toBe(2);
    expect(await t.call('evidence.verify', { id: evidence.id }, t.admin)).toMatchObject({ valid: true });
    const content = await t.call<{ contentBase64: string }>('evidence.content', { id: evidence.id, purpose: 'check after re-key' }, t.admin);
    expect(Buffer.from(content.contentBase64, 'base64').equals(bytes)).toBe(true);
    // And after a second re-key, for items from both generations.
    const later = await t.call<{ evidence: { id: string } }>('evidence.ingestContent', { fileName: 'b.txt', contentBase64: 'aGk=', title: 'B', source: 'Upload' }, t.admin);
    await t.call('workspace.rekey', {}, t.admin);
    t.lock();
    const s = await t.login();
    for (const id of [evidence.id, later.evidence.id]) expect(await t.call('evidence.verify', { id }, s)).toMatchObject({ valid: true });
  });

  it('enabling a user again needs a new passphrase for them (their old keyslot is gone)', async () => {
    const t = await createTempWorkspace();
    await t.addUser('aud.ava', 'auditor');
    await t.call('users.update', { username: 'aud.ava', disabled: true }, t.admin);
    expect(await codeOf(t.call('users.update', { username: 'aud.ava', disabled: false }, t.admin))).toBe('validation');
    await t.call('users.update', { username: 'aud.ava', disabled: false, passphrase: 'a fresh passphrase for ava' }, t.admin);
    expect(await codeOf(t.login('aud.ava', PASSPHRASE))).toBe('wrong_credentials');
    expect(await t.login('aud.ava', 'a fresh passphrase for ava')).toBeTruthy();
  });

  it('the recovery key cannot give a disabled user a keyslot', async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.rex', 'viewer');
    await t.call('users.update', { username: 'viewer.rex', disabled: true }, t.admin);
    t.lock();
    expect(await codeOf(t.call('session.recover', { recoveryKey: t.recoveryKey, username: 'viewer.rex', newPassphrase: 'rex wants back in now' }))).toBe('forbidden');
    expect(slotsOf(t.dir).slots.map((s) => s.id)).not.toContain(userSlotId(t.workspaceId, 'viewer.rex'));
  });
});

describe('a re-key cut off by a crash', () => {
  async function setup() {
    const t = await createTempWorkspace();
    await t.addUser('viewer.cid', 'viewer');
    const oldKey = await t.dbKey();
    const cidId = userSlotId(t.workspaceId, 'viewer.cid');
    const ws = t.app.ws;
    const disable = () => {
      ws.db.prepare("UPDATE users SET disabled = 1 WHERE username = 'viewer.cid'").run();
      ws.ledger.append({ actor: ADMIN, action: 'users.update', resource_type: 'user', resource_id: 'viewer.cid', details: { changes: { disabled: { from: false, to: true } } } });
      return { user: 'viewer.cid' };
    };
    return { t, oldKey, cidId, ws, disable };
  }

  it('after step 1 (new key in keyslots.json only): the next unlock drops the new key and nothing happened', async () => {
    const { t, oldKey, cidId, ws } = await setup();
    const plan = prepareRekey(ws, [cidId]);
    expect(slotsOf(t.dir).rekey).toMatchObject({ generation: 2, previous: 1 });
    ws.close(); // the process dies: no lock event, no checkpoint
    await t.login();
    expect((await t.dbKey()).equals(oldKey)).toBe(true);
    expect(plan.newKey.equals(Buffer.alloc(32))).toBe(false);
    const f = slotsOf(t.dir);
    expect(f).toMatchObject({ generation: 1, rekey: null });
    expect(f.slots.every((s) => s.wraps.every((w) => w.generation === 1))).toBe(true);
    expect(t.events().filter((e) => e.action === 'workspace.rekey')).toHaveLength(0);
    expect(await t.login('viewer.cid', PASSPHRASE)).toBeTruthy();
  });

  it('after step 2 (ledgered, database not yet re-encrypted): the next unlock finishes it; the leaving user cannot be the one to unlock', async () => {
    const { t, oldKey, cidId, ws, disable } = await setup();
    const plan = prepareRekey(ws, [cidId]);
    const newKey = Buffer.from(plan.newKey);
    recordRekey(ws, plan, ADMIN, 'user-disabled', disable);
    ws.close();
    expect(opens(t.dir, oldKey)).toBe(true);
    expect(await codeOf(t.login('viewer.cid', PASSPHRASE))).toBe('wrong_credentials');
    expect(t.app.unlocked).toBe(false);
    await t.login();
    expect(opens(t.dir, oldKey)).toBe(false);
    expect((await t.dbKey()).equals(newKey)).toBe(true);
    const f = slotsOf(t.dir);
    expect(f).toMatchObject({ generation: 2, rekey: null });
    expect(f.slots.map((s) => s.id)).not.toContain(cidId);
    expect(t.events().filter((e) => e.action === 'workspace.rekey')).toHaveLength(1);
    expect((await t.call<{ valid: boolean }>('ledger.verify', {}, t.admin)).valid).toBe(true);
  });

  it('while a re-key is unfinished in an open workspace, no slot is made (it would miss the new key); lock and sign in finishes it', async () => {
    const { t, cidId, ws, disable } = await setup();
    const plan = prepareRekey(ws, [cidId]);
    const newKey = Buffer.from(plan.newKey);
    recordRekey(ws, plan, ADMIN, 'user-disabled', disable);
    // As if SQLCipher had failed to re-encrypt: the workspace stays open under the old key.
    expect(await codeOf(t.call('users.create', { username: 'late.lee', displayName: 'Lee', role: 'viewer', passphrase: PASSPHRASE }, t.admin))).toBe('conflict');
    expect(await codeOf(t.call('users.changePassphrase', { currentPassphrase: PASSPHRASE, newPassphrase: 'a passphrase too soon' }, t.admin))).toBe('conflict');
    t.lock();
    t.admin = await t.login();
    expect((await t.dbKey()).equals(newKey)).toBe(true);
    expect(slotsOf(t.dir)).toMatchObject({ generation: 2, rekey: null });
  });

  it('after step 3 (database re-encrypted, old generation still in keyslots.json): the next unlock, even by recovery, tidies the key file', async () => {
    const { t, oldKey, cidId, ws, disable } = await setup();
    const plan = prepareRekey(ws, [cidId]);
    const newKey = Buffer.from(plan.newKey);
    recordRekey(ws, plan, ADMIN, 'user-disabled', disable);
    applyRekey(ws, plan);
    ws.close();
    expect(opens(t.dir, oldKey)).toBe(false);
    expect(opens(t.dir, newKey)).toBe(true);
    await t.call('session.recover', { recoveryKey: t.recoveryKey, username: ADMIN, newPassphrase: 'the admin forgot it all' });
    const f = slotsOf(t.dir);
    expect(f).toMatchObject({ generation: 2, rekey: null });
    expect(f.slots.map((s) => s.id)).not.toContain(cidId);
    await t.login(ADMIN, 'the admin forgot it all');
    expect((await t.dbKey()).equals(newKey)).toBe(true);
  });
});

describe('custos rekey (workspace.rekey) and the rotation deadline', () => {
  it('re-keys on request for administrators only, ledgered, and moves the rotation deadline 90 days on', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.val', 'viewer');
    const created = t.events()[0]!.ts;
    const asOf = new Date(Date.parse(created) + 91 * 86_400_000).toISOString();
    const before = await t.call<{ items: { kind: string; dueAt: string; overdue: boolean }[] }>('deadlines.list', { asOf }, t.admin);
    const due = before.items.find((d) => d.kind === 'key_rotation');
    expect(due).toMatchObject({ overdue: true });
    expect(Date.parse(due!.dueAt) - Date.parse(created)).toBeGreaterThanOrEqual(90 * 86_400_000 - 5_000);
    expect(Date.parse(due!.dueAt) - Date.parse(created)).toBeLessThanOrEqual(90 * 86_400_000 + 5_000);
    // Viewers cannot re-key, so the item is not theirs.
    const theirs = await t.call<{ items: { kind: string }[] }>('deadlines.list', { asOf }, viewer);
    expect(theirs.items.some((d) => d.kind === 'key_rotation')).toBe(false);
    expect(await codeOf(t.call('workspace.rekey', {}, viewer))).toBe('forbidden');

    const oldKey = await t.dbKey();
    const progress: unknown[] = [];
    const off = t.app.onEvent((event, payload) => {
      if (event === 'job.progress') progress.push(payload);
    });
    const res = await t.call<{ generation: number; rotatedAt: string; slotsKept: number; slotsRemoved: number; recoveryKey: string | null }>(
      'workspace.rekey',
      { jobId: 'rekey-job-1' },
      t.admin,
    );
    off();
    expect(progress.at(-1)).toEqual({ jobId: 'rekey-job-1', phase: 'rekey', done: 4, total: 4 });
    expect(res).toMatchObject({ generation: 2, slotsKept: 3, slotsRemoved: 0, recoveryKey: null });
    expect((await t.dbKey()).equals(oldKey)).toBe(false);
    expect(t.events().filter((e) => e.action === 'workspace.rekey')).toMatchObject([
      { actor: 'viewer.val', outcome: 'denied' },
      { actor: ADMIN, outcome: 'success', details: { reason: 'requested', generation: 2 } },
    ]);
    const after = await t.call<{ items: { kind: string; dueAt: string; overdue: boolean }[] }>('deadlines.list', { asOf }, t.admin);
    expect(after.items.find((d) => d.kind === 'key_rotation')).toMatchObject({ dueAt: new Date(Date.parse(res.rotatedAt) + 90 * 86_400_000).toISOString() });
    // The viewer's session survives a re-key (the open database just has a new key); after a lock they still sign in.
    t.lock();
    expect(await t.login('viewer.val', PASSPHRASE)).toBeTruthy();
  });
});

/** A slot in the format-1 layout: the database key wrapped directly under the passphrase. */
function legacySlot(workspaceId: string, id: string, kind: Keyslot['kind'], dbKey: Buffer, secret: string): Keyslot {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { name: 'scrypt' as const, N: 16384, r: 8, p: 1, salt: salt.toString('base64') };
  const kek = scryptSync(secret.normalize('NFC'), salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(`custos-keyslot/1\0${workspaceId}\0${id}\0${kind}\0${kdf.N}\0${kdf.r}\0${kdf.p}\0${kdf.salt}`));
  const wrapped = Buffer.concat([cipher.update(dbKey), cipher.final()]);
  return { id, kind, kdf, cipher: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), wrapped: wrapped.toString('base64'), wraps: [], failedAttempts: 0, lockedUntil: null };
}

describe('users disabled before this version', () => {
  it('keep their slot only until the next re-key, which removes it', async () => {
    const t = await createTempWorkspace();
    await t.addUser('legal.lou', 'legal_counsel');
    // What an older version left behind: the disabled flag set, the keyslot kept.
    t.app.ws.db.prepare("UPDATE users SET disabled = 1 WHERE username = 'legal.lou'").run();
    const louId = userSlotId(t.workspaceId, 'legal.lou');
    expect(slotsOf(t.dir).slots.map((s) => s.id)).toContain(louId);
    const res = await t.call<{ slotsKept: number; slotsRemoved: number }>('workspace.rekey', {}, t.admin);
    expect(res).toMatchObject({ slotsKept: 2, slotsRemoved: 1 });
    expect(slotsOf(t.dir).slots.map((s) => s.id)).not.toContain(louId);
  });
});

describe('format-1 key files', () => {
  it('open as before, upgrade each slot when its owner signs in, and a re-key mints a new recovery key when the old one cannot follow', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'viewer.old', displayName: 'Old', role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    const key = await t.dbKey();
    t.lock();
    const id = t.workspaceId;
    const v1 = {
      format: 'custos-keyslots/1',
      workspaceId: id,
      workspaceName: 'Test workspace',
      slots: [
        legacySlot(id, userSlotId(id, ADMIN), 'user', key, PASSPHRASE),
        legacySlot(id, userSlotId(id, 'viewer.old'), 'user', key, PASSPHRASE),
        legacySlot(id, recoverySlotId(id), 'recovery', key, t.recoveryKey),
      ].map(({ wraps: _w, ...s }) => s),
      pending: [],
    };
    writeFileSync(join(t.dir, 'keyslots.json'), `${JSON.stringify(v1, null, 2)}\n`);
    const s = await t.login();
    const f = slotsOf(t.dir);
    expect(JSON.parse(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).format).toBe('custos-keyslots/2');
    expect(f.slots.find((x) => x.id === userSlotId(id, ADMIN))?.publicKey).toBeDefined();
    expect(f.slots.find((x) => x.id === userSlotId(id, 'viewer.old'))?.publicKey).toBeUndefined();
    const res = await t.call<{ slotsRemoved: number; recoveryKey: string | null }>('workspace.rekey', {}, s);
    // The viewer's slot could not follow (nobody had their passphrase); the recovery key is new.
    expect(res.slotsRemoved).toBe(1);
    expect(res.recoveryKey).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{1,5})+$/);
    t.lock();
    expect(await codeOf(t.login('viewer.old', PASSPHRASE))).toBe('wrong_credentials');
    expect(await codeOf(t.call('session.recover', { recoveryKey: t.recoveryKey, username: ADMIN, newPassphrase: 'another admin passphrase' }))).toBe('wrong_credentials');
    await t.call('session.recover', { recoveryKey: res.recoveryKey, username: 'viewer.old', newPassphrase: 'viewer is back again' });
    expect(await t.login('viewer.old', 'viewer is back again')).toBeTruthy();
  });
});
