import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyslots, recoverySlotId, userSlotId } from '../../electron/core/db/keyslots.js';
import { openRaw } from './helpers/tamper.js';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

afterAll(removeTempDirs);

describe('workspace init', () => {
  it('creates custos.db, keyslots.json, checkpoint.json, evidence/ and exports/ and leaves the workspace locked', async () => {
    const t = await createTempWorkspace({ login: false });
    for (const f of ['custos.db', 'keyslots.json', 'checkpoint.json']) expect(statSync(join(t.dir, f)).isFile(), f).toBe(true);
    for (const d of ['evidence', 'exports']) expect(statSync(join(t.dir, d)).isDirectory(), d).toBe(true);
    expect(t.app.status()).toMatchObject({ state: 'locked', workspaceId: t.workspaceId, workspaceName: 'Test workspace' });
    // custos.db is not a plain SQLite file: its first 16 bytes are not the SQLite header.
    expect(readFileSync(join(t.dir, 'custos.db')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
  });

  // Skipped on Windows only: POSIX mode bits do not exist there (files are protected by the user profile's ACLs).
  it.skipIf(process.platform === 'win32')('keeps the database, its WAL and the keyslots readable by the owner only', async () => {
    const t = await createTempWorkspace();
    await t.call('cases.list', {}, t.admin).catch(() => undefined);
    for (const f of ['custos.db', 'custos.db-wal', 'keyslots.json', 'checkpoint.json']) {
      const path = join(t.dir, f);
      if (!existsSync(path)) continue;
      expect((statSync(path).mode & 0o777).toString(8), f).toBe('600');
    }
    expect(existsSync(join(t.dir, 'custos.db-wal')), 'the open workspace has a WAL to check').toBe(true);
    for (const d of ['', 'evidence', 'exports']) expect((statSync(join(t.dir, d)).mode & 0o077).toString(8), d || 'workspace folder').toBe('0');
  });

  it('refuses a second init of the same folder with code conflict', async () => {
    const t = await createTempWorkspace({ login: false });
    const r = await t.result('workspace.init', { workspaceName: 'Again', username: 'other', displayName: 'Other', passphrase: PASSPHRASE });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('keeps usernames out of keyslots.json: slot ids are hashes', async () => {
    const t = await createTempWorkspace();
    await t.addUser('viewer.vera', 'viewer');
    const text = readFileSync(join(t.dir, 'keyslots.json'), 'utf8');
    expect(text).not.toContain(ADMIN);
    expect(text).not.toContain('viewer.vera');
    expect(text).not.toContain('vera');
    const file = readKeyslots(t.dir)!;
    expect(file.slots.map((s) => s.id).sort()).toEqual(
      [userSlotId(t.workspaceId, ADMIN), userSlotId(t.workspaceId, 'viewer.vera'), recoverySlotId(t.workspaceId)].sort(),
    );
    for (const s of file.slots) expect(s.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records the KDF and its parameters in every keyslot', async () => {
    const t = await createTempWorkspace({ login: false });
    const file = readKeyslots(t.dir)!;
    expect(file.slots).toHaveLength(2);
    const salts = new Set<string>();
    for (const s of file.slots) {
      // CUSTOS_SCRYPT_N is set by vitest.config.ts; the cost actually used is what the slot records.
      expect(s.kdf).toMatchObject({ name: 'scrypt', N: Number(process.env.CUSTOS_SCRYPT_N), r: 8, p: 1 });
      expect(Buffer.from(s.kdf.salt, 'base64')).toHaveLength(16);
      expect(Buffer.from(s.iv, 'base64')).toHaveLength(12);
      expect(Buffer.from(s.tag, 'base64')).toHaveLength(16);
      expect(Buffer.from(s.wrapped, 'base64')).toHaveLength(32);
      expect(s.cipher).toBe('aes-256-gcm');
      salts.add(s.kdf.salt);
    }
    expect(salts.size).toBe(2);
    expect(file.slots.map((s) => s.kind).sort()).toEqual(['recovery', 'user']);
  });

  it('writes a signed checkpoint at init that covers the init events', async () => {
    const t = await createTempWorkspace({ login: false });
    const cp = JSON.parse(readFileSync(join(t.dir, 'checkpoint.json'), 'utf8')) as { size: number; workspace_id: string };
    expect(cp.workspace_id).toBe(t.workspaceId);
    const key = await (async () => {
      const s = await t.login();
      return (await t.call<{ key: string }>('workspace.dbKey', {}, s)).key;
    })();
    t.lock();
    const db = openRaw(t.dir, Buffer.from(key, 'hex'), { readonly: true });
    try {
      const init = db.prepare("SELECT seq FROM events WHERE action IN ('workspace.init','users.create') ORDER BY seq").all() as { seq: number }[];
      expect(init.map((r) => r.seq)).toEqual([1, 2]);
      const first = db.prepare('SELECT size, reason FROM checkpoints ORDER BY id LIMIT 1').get() as { size: number; reason: string };
      expect(first).toEqual({ size: 2, reason: 'init' });
    } finally {
      db.close();
    }
  });

  it('lock closes the database: no -wal is left behind and the app reports locked', async () => {
    const t = await createTempWorkspace();
    await t.call('users.create', { username: 'co.carl', displayName: 'Carl', role: 'compliance_officer', passphrase: PASSPHRASE }, t.admin);
    expect(existsSync(join(t.dir, 'custos.db-wal'))).toBe(true);
    t.lock();
    expect(t.app.unlocked).toBe(false);
    const wal = join(t.dir, 'custos.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  });
});
