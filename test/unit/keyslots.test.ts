import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSlot, readKeyslots, recoverySlotId, userSlotId, type Keyslot, type KeyslotFile } from '../../electron/core/db/keyslots.js';
import { openRaw } from './helpers/tamper.js';
import { ADMIN, CallError, PASSPHRASE, createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

afterAll(removeTempDirs);

const NEW_PASSPHRASE = 'a completely different passphrase';

function slotsOf(dir: string): KeyslotFile {
  const f = readKeyslots(dir);
  if (!f) throw new Error('no keyslots.json');
  return f;
}

function writeSlots(dir: string, f: KeyslotFile): void {
  writeFileSync(join(dir, 'keyslots.json'), `${JSON.stringify(f, null, 2)}\n`);
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** sha256 of every file in the folder (recursively), keyed by relative path. */
function folderHashes(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = join(e.parentPath, e.name).slice(dir.length + 1);
    if (!skip.includes(rel)) out[rel] = sha(join(dir, rel));
  }
  return out;
}

async function expectCallError(p: Promise<unknown>, code: string): Promise<CallError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CallError);
  expect((err as CallError).code).toBe(code);
  return err as CallError;
}

describe('keyslots', () => {
  it('the recovery key opens the recovery slot (and only the recovery slot), and unwraps the database key', async () => {
    const t = await createTempWorkspace();
    const dbKey = await t.dbKey();
    const f = slotsOf(t.dir);
    const recovery = f.slots.find((s) => s.id === recoverySlotId(t.workspaceId))!;
    const admin = f.slots.find((s) => s.id === userSlotId(t.workspaceId, ADMIN))!;
    expect(t.recoveryKey).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{1,5})+$/);
    expect(openSlot(t.workspaceId, recovery, t.recoveryKey)?.equals(dbKey)).toBe(true);
    expect(openSlot(t.workspaceId, admin, t.recoveryKey)).toBeNull();
    expect(openSlot(t.workspaceId, recovery, PASSPHRASE)).toBeNull();
    expect(openSlot(t.workspaceId, admin, PASSPHRASE)?.equals(dbKey)).toBe(true);
  });

  it('session.recover with the recovery key replaces a forgotten passphrase (ledgered) while locked', async () => {
    const t = await createTempWorkspace();
    t.lock();
    // Lower case and spaces instead of dashes: what people type.
    const typed = t.recoveryKey.toLowerCase().replace(/-/g, ' ');
    await t.call('session.recover', { recoveryKey: typed, username: ADMIN, newPassphrase: NEW_PASSPHRASE });
    await expectCallError(t.login(ADMIN, PASSPHRASE), 'wrong_credentials');
    const s = await t.login(ADMIN, NEW_PASSPHRASE);
    expect(s).toBeTruthy();
    const recovered = t.events().filter((e) => e.action === 'session.recover');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ actor: ADMIN, outcome: 'success', details: { method: 'recovery-key' } });
  });

  it('a user created while unlocked can unlock the workspace after it was locked', async () => {
    const t = await createTempWorkspace();
    const dbKey = await t.dbKey();
    await t.call('users.create', { username: 'auditor.ann', displayName: 'Ann', role: 'auditor', passphrase: NEW_PASSPHRASE }, t.admin);
    const slot = slotsOf(t.dir).slots.find((s) => s.id === userSlotId(t.workspaceId, 'auditor.ann'))!;
    // The new slot wraps the real database key, not a wiped buffer.
    expect(openSlot(t.workspaceId, slot, NEW_PASSPHRASE)?.equals(dbKey)).toBe(true);
    expect(dbKey.equals(Buffer.alloc(32))).toBe(false);
    t.lock();
    const s = await t.login('auditor.ann', NEW_PASSPHRASE);
    expect((await t.call<{ user: { role: string } }>('session.me', {}, s)).user.role).toBe('auditor');
  });

  it('a passphrase change rewrites exactly one keyslot; other slots and the database key stay as they were', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('viewer.vic', 'viewer');
    const dbKey = await t.dbKey();
    const before = slotsOf(t.dir);
    const dbBefore = sha(join(t.dir, 'custos.db'));
    await t.call('users.changePassphrase', { currentPassphrase: PASSPHRASE, newPassphrase: NEW_PASSPHRASE }, viewer);
    const after = slotsOf(t.dir);
    const vicId = userSlotId(t.workspaceId, 'viewer.vic');
    expect(after.slots.map((s) => s.id).sort()).toEqual(before.slots.map((s) => s.id).sort());
    for (const s of before.slots) {
      const now = after.slots.find((x) => x.id === s.id)!;
      if (s.id === vicId) {
        expect(now.kdf.salt).not.toBe(s.kdf.salt);
        expect(now.wrapped).not.toBe(s.wrapped);
      } else {
        // Byte-identical serialization of every other slot.
        expect(JSON.stringify(now)).toBe(JSON.stringify(s));
      }
    }
    expect(after.workspaceId).toBe(before.workspaceId);
    // The database is not re-keyed: its main file is untouched (the ledger event sits in the WAL)
    // and the raw key is the same.
    expect(sha(join(t.dir, 'custos.db'))).toBe(dbBefore);
    expect((await t.dbKey()).equals(dbKey)).toBe(true);
    const changed = t.events().filter((e) => e.action === 'users.changePassphrase');
    expect(changed).toMatchObject([{ actor: 'viewer.vic', outcome: 'success' }]);
    t.lock();
    await expectCallError(t.login('viewer.vic', PASSPHRASE), 'wrong_credentials');
    await t.login('viewer.vic', NEW_PASSPHRASE);
    const raw = openRaw(t.dir, dbKey, { readonly: true });
    raw.close();
  });

  it('a wrong current passphrase does not change the keyslot (only its failure count) and is ledgered as a failure', async () => {
    const t = await createTempWorkspace();
    const before = slotsOf(t.dir);
    await expectCallError(t.call('users.changePassphrase', { currentPassphrase: 'not my passphrase at all', newPassphrase: NEW_PASSPHRASE }, t.admin), 'wrong_credentials');
    const adminId = userSlotId(t.workspaceId, ADMIN);
    const after = slotsOf(t.dir);
    expect(after.slots.find((s) => s.id === adminId)).toEqual({ ...before.slots.find((s) => s.id === adminId), failedAttempts: 1 });
    expect(after.slots.filter((s) => s.id !== adminId)).toEqual(before.slots.filter((s) => s.id !== adminId));
    const failed = t.events().filter((e) => e.action === 'users.changePassphrase');
    expect(failed).toMatchObject([{ outcome: 'failure', details: { reason: 'wrong-current-passphrase' } }]);
  });

  it('a wrong passphrase fails with wrong_credentials and a sentence; only the pending failure is recorded, ledgered at the next unlock', async () => {
    const t = await createTempWorkspace();
    t.lock();
    const before = slotsOf(t.dir);
    const filesBefore = folderHashes(t.dir, ['keyslots.json']);
    const err = await expectCallError(t.login(ADMIN, 'wrong passphrase, twelve+'), 'wrong_credentials');
    expect(err.message).toBe('wrong_credentials: The username or passphrase is not correct.');
    expect(t.app.unlocked).toBe(false);
    // Every other file of the workspace is byte-identical.
    expect(folderHashes(t.dir, ['keyslots.json'])).toEqual(filesBefore);
    const after = slotsOf(t.dir);
    const adminId = userSlotId(t.workspaceId, ADMIN);
    for (const s of before.slots) {
      const now = after.slots.find((x) => x.id === s.id)!;
      if (s.id === adminId) expect(now).toEqual({ ...s, failedAttempts: s.failedAttempts + 1 });
      else expect(now).toEqual(s);
    }
    expect(after.pending).toHaveLength(1);
    expect(after.pending[0]).toMatchObject({ slotId: adminId, reason: 'wrong-passphrase' });
    // The typed passphrase never lands in the key file.
    expect(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).not.toContain('wrong passphrase');

    await t.login();
    const events = t.events();
    const failure = events.find((e) => e.action === 'session.login' && e.outcome === 'failure');
    expect(failure).toMatchObject({ actor: ADMIN, resource_id: ADMIN, details: { reason: 'wrong-passphrase', recorded: 'at-next-unlock' } });
    const unlock = events.find((e) => e.action === 'workspace.unlock' && e.seq > failure!.seq);
    expect(unlock).toBeDefined();
    expect(slotsOf(t.dir).pending).toEqual([]);
    expect(slotsOf(t.dir).slots.find((s) => s.id === adminId)!.failedAttempts).toBe(0);
  });

  it('an unknown username fails exactly like a wrong passphrase and records no name', async () => {
    const t = await createTempWorkspace();
    t.lock();
    const err = await expectCallError(t.login('nobody.here', PASSPHRASE), 'wrong_credentials');
    expect(err.message).toBe('wrong_credentials: The username or passphrase is not correct.');
    const f = slotsOf(t.dir);
    expect(f.pending).toMatchObject([{ slotId: null, reason: 'unknown-user' }]);
    expect(readFileSync(join(t.dir, 'keyslots.json'), 'utf8')).not.toContain('nobody');
  });

  it('binds each wrapped key to its KDF parameters: a changed salt encoding or cost makes the slot unopenable', async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.val', 'viewer');
    t.lock();
    const original = slotsOf(t.dir);
    const adminId = userSlotId(t.workspaceId, ADMIN);
    const slot = original.slots.find((s) => s.id === adminId)!;

    // Same salt bytes, different text: the last base64 digit before '==' carries 4 unused bits.
    // scrypt derives the very same key, so only the AAD binding can refuse it.
    const salt = slot.kdf.salt;
    expect(salt).toMatch(/==$/);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = salt[salt.length - 3]!;
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    const aliasSalt = `${salt.slice(0, -3)}${sibling}==`;
    expect(Buffer.from(aliasSalt, 'base64').equals(Buffer.from(salt, 'base64'))).toBe(true);

    const cases: [string, (s: Keyslot) => Keyslot][] = [
      ['salt text', (s) => ({ ...s, kdf: { ...s.kdf, salt: aliasSalt } })],
      ['lower cost N', (s) => ({ ...s, kdf: { ...s.kdf, N: 1024 } })],
      ['r', (s) => ({ ...s, kdf: { ...s.kdf, r: 4 } })],
      ['kind', (s) => ({ ...s, kind: 'recovery' })],
    ];
    for (const [what, change] of cases) {
      const tampered: KeyslotFile = { ...original, slots: original.slots.map((s) => (s.id === adminId ? change(s) : s)) };
      expect(openSlot(t.workspaceId, tampered.slots.find((s) => s.id === adminId)!, PASSPHRASE), what).toBeNull();
      writeSlots(t.dir, tampered);
      await expectCallError(t.login(ADMIN, PASSPHRASE), 'wrong_credentials');
      expect(t.app.unlocked, what).toBe(false);
    }
    // The untouched slot of another user still opens.
    writeSlots(t.dir, original);
    await t.login('viewer.val', PASSPHRASE);
  });

  it("binds each wrapped key to its slot id: a viewer's slot copied over the admin's slot does not open as admin", async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.vin', 'viewer');
    t.lock();
    const f = slotsOf(t.dir);
    const adminId = userSlotId(t.workspaceId, ADMIN);
    const viewerSlot = f.slots.find((s) => s.id === userSlotId(t.workspaceId, 'viewer.vin'))!;
    writeSlots(t.dir, { ...f, slots: f.slots.map((s) => (s.id === adminId ? { ...viewerSlot, id: adminId } : s)) });
    // The attacker knows the viewer's passphrase and tries to sign in as admin with it.
    await expectCallError(t.login(ADMIN, PASSPHRASE), 'wrong_credentials');
    expect(t.app.unlocked).toBe(false);
  });

  it('a damaged keyslots.json is refused with code integrity and a sentence', async () => {
    const t = await createTempWorkspace({ login: false });
    writeFileSync(join(t.dir, 'keyslots.json'), '{"format":"custos-keyslots/1"');
    const r = await t.result('session.login', { username: ADMIN, passphrase: PASSPHRASE });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('integrity');
      expect(r.error.message).toMatch(/^The key file .* is not valid JSON; restore it from a backup\.$/);
    }
    expect(existsSync(join(t.dir, 'custos.db'))).toBe(true);
  });
});
