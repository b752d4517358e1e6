import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { seedEvents, snapshot } from './helpers/bundles.js';
import { pathGrant } from './helpers/grants.js';
import { makeBundle, type MadeBundle } from './helpers/outputs.js';
import { impostor } from './helpers/impostor.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// Issue 7: trust on first import needs a person. A forged bundle that arrives first for a workspace
// id must not take over its pinned key; an administrator can revoke a pin; a lookalike name is flagged.

type Imported = ResponseOf<'imports.run'>;

let src: TempWorkspace;

beforeAll(async () => {
  src = await createTempWorkspace({ name: 'District Records' });
  seedEvents(src, 40);
});
afterAll(removeTempDirs);

async function bundleOf(t: TempWorkspace): Promise<MadeBundle> {
  return makeBundle(t, {}, t.admin);
}

const GROUPED = /^(?:[0-9a-f]{4} ){15}[0-9a-f]{4}$/;

describe('trust on first import', () => {
  it('does not pin an unknown key by itself: it asks a person to confirm the fingerprint, changing nothing but one ledger event', async () => {
    const aud = await createTempWorkspace({ name: 'Audit firm' });
    const auditor = await aud.addUser('avery.auditor', 'auditor');
    const b = await bundleOf(src);
    const before = snapshot(aud);
    const r = await aud.result('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', b.path) }, auditor);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('confirmation_required');
    expect(r.error.message).toMatch(/first bundle from workspace "District Records".*compare its key's fingerprint with the sender out of band/);
    expect(r.error.details).toMatchObject({ workspaceId: src.workspaceId, workspaceName: 'District Records', fingerprint: b.fingerprint, keyId: b.keyId, mismatch: false, warnings: [] });
    expect(r.error.details!.fingerprint).toMatch(GROUPED);
    const after = snapshot(aud);
    expect(after.tables).toEqual(before.tables);
    expect(after.events).toBe(before.events + 1);
    expect(aud.events().at(-1)).toMatchObject({ action: 'imports.run', outcome: 'failure', actor: 'avery.auditor', details: { code: 'confirmation_required' } });
    // Waiting for a person is not a rejected bundle.
    const list = await aud.call<ResponseOf<'imports.list'>>('imports.list', {}, auditor);
    expect(list).toMatchObject({ items: [], total: 0, sources: [], rejected: [] });

    // A fingerprint that is not the bundle's key is refused the same way, saying so.
    const wrong = await aud.result('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', b.path), trustFingerprint: 'ab12 '.repeat(16).trim() }, auditor);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'confirmation_required', details: { mismatch: true, fingerprint: b.fingerprint } } });

    // Confirmed (as read aloud: grouped, any case), it imports and pins, recording who confirmed.
    const ok = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', b.path), trustFingerprint: b.fingerprint.toUpperCase() }, auditor);
    expect(ok).toMatchObject({ accepted: true, pinned: true, pin: 'new-source', pinnedSource: { keyId: b.keyId, pinnedBy: 'avery.auditor' }, warnings: [] });
    const trail = aud.events().slice(-2);
    expect(trail).toMatchObject([
      { action: 'imports.pin', actor: 'avery.auditor', resource_type: 'import_source', resource_id: src.workspaceId, details: { key_id: b.keyId, fingerprint: b.fingerprint, confirmed_by: 'avery.auditor' } },
      { action: 'imports.run', outcome: 'success', details: { pinned: true } },
    ]);

    // The next bundle of that workspace imports without asking: its key is the pinned one.
    seedEvents(src, 3, 'later');
    const later = await bundleOf(src);
    expect(await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', later.path) }, auditor)).toMatchObject({ accepted: true, pin: 'matches', pinned: false });
  });

  it('a forged bundle that arrives first cannot take a workspace over; a pin an administrator revokes (ledgered) is asked for again', async () => {
    const aud = await createTempWorkspace({ name: 'Audit firm' });
    const auditor = await aud.addUser('avery.auditor', 'auditor');
    const forger = await impostor(src.workspaceId);
    const forged = await bundleOf(forger);
    forger.lock();
    const real = await bundleOf(src);
    expect(forged.keyId).not.toBe(real.keyId);

    // The forged bundle arrives first: it shows its own fingerprint, which the sender's does not match.
    const asked = await aud.result('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', forged.path) }, auditor);
    expect(asked).toMatchObject({ ok: false, error: { code: 'confirmation_required', details: { workspaceId: src.workspaceId, fingerprint: forged.fingerprint } } });
    // The auditor confirms the sender's real fingerprint: the forged bundle does not match it.
    expect(await aud.result('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', forged.path), trustFingerprint: real.fingerprint }, auditor)).toMatchObject({ ok: false, error: { code: 'confirmation_required', details: { mismatch: true } } });

    // Suppose someone confirmed the forged key by mistake: an administrator revokes the pin, with a reason.
    await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', forged.path), trustFingerprint: forged.fingerprint }, auditor);
    expect(await aud.result('imports.pins', {}, auditor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await aud.result('imports.pins.revoke', { workspaceId: src.workspaceId, reason: 'not ours' }, auditor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const pins = await aud.call<ResponseOf<'imports.pins'>>('imports.pins', {}, aud.admin);
    expect(pins).toMatchObject({ pins: [{ workspaceId: src.workspaceId, keyId: forged.keyId, pinnedBy: 'avery.auditor' }], revoked: [] });
    const { revoked } = await aud.call<ResponseOf<'imports.pins.revoke'>>('imports.pins.revoke', { workspaceId: src.workspaceId, reason: 'The district never used this key.' }, aud.admin);
    expect(revoked).toMatchObject({ workspaceId: src.workspaceId, keyId: forged.keyId, revokedBy: 'admin', reason: 'The district never used this key.' });
    expect(aud.events().at(-1)).toMatchObject({
      action: 'imports.pins.revoke',
      actor: 'admin',
      resource_id: src.workspaceId,
      details: { key_id: forged.keyId, reason: 'The district never used this key.', pinned_by: 'avery.auditor' },
    });
    expect(await aud.call<ResponseOf<'imports.pins'>>('imports.pins', {}, aud.admin)).toMatchObject({ pins: [], revoked: [{ keyId: forged.keyId }] });
    expect(await aud.result('imports.pins.revoke', { workspaceId: src.workspaceId, reason: 'again' }, aud.admin)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The next bundle of that workspace asks again.
    expect(await aud.result('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', real.path) }, auditor)).toMatchObject({ ok: false, error: { code: 'confirmation_required', details: { fingerprint: real.fingerprint } } });
    const realImport = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', real.path), trustFingerprint: real.fingerprint }, auditor);
    const pinOf = async (id: number) => (await aud.call<ResponseOf<'imports.get'>>('imports.get', { id }, auditor)).pin;
    expect(await pinOf(realImport.import!.id)).toMatchObject({ pinnedByThisImport: true, matches: true });
    const forgedImport = (await aud.call<ResponseOf<'imports.list'>>('imports.list', {}, auditor)).items.find((i) => i.keyId === forged.keyId)!;
    expect(await pinOf(forgedImport.id)).toMatchObject({ pinnedByThisImport: false, matches: false });
    // Nothing removes a pin without its recorded revocation.
    expect(() => aud.app.ws.db.prepare('DELETE FROM import_sources').run()).toThrow(/only by a recorded revocation/);

    // With the real key confirmed it imported: what the revoked key signed is no history the real one must extend.
    const got = await aud.call<ResponseOf<'imports.pins'>>('imports.pins', {}, aud.admin);
    expect(got.pins).toMatchObject([{ workspaceId: src.workspaceId, keyId: real.keyId }]);
  });

  it('flags a bundle whose workspace name is that of a pinned workspace with another id, on verify, on the question and on the import', async () => {
    const aud = await createTempWorkspace({ name: 'Audit firm' });
    const real = await bundleOf(src);
    await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, aud.admin, 'bundle', real.path), trustFingerprint: real.fingerprint }, aud.admin);
    const lookalike = await createTempWorkspace({ name: 'district  RECORDS' });
    const b = await bundleOf(lookalike);
    lookalike.lock();

    const verified = await aud.call<ResponseOf<'bundles.verify'>>('bundles.verify', { grant: await pathGrant(aud, aud.admin, 'bundle', b.path) }, aud.admin);
    expect(verified.pin).toBe('new-source');
    expect(verified.warnings).toHaveLength(1);
    expect(verified.warnings[0]).toMatch(/named "district {2}RECORDS" like the pinned workspace "District Records".*it is not that workspace/);
    expect(aud.events().at(-1)).toMatchObject({ action: 'bundles.verify', details: { warnings: verified.warnings } });

    const asked = await aud.result('imports.run', { grant: await pathGrant(aud, aud.admin, 'bundle', b.path) }, aud.admin);
    expect(asked).toMatchObject({ ok: false, error: { code: 'confirmation_required', details: { warnings: verified.warnings } } });

    const imported = await aud.call<Imported>('imports.run', { grant: await pathGrant(aud, aud.admin, 'bundle', b.path), trustFingerprint: b.fingerprint }, aud.admin);
    expect(imported).toMatchObject({ accepted: true, warnings: verified.warnings, import: { warnings: verified.warnings } });
    const got = await aud.call<ResponseOf<'imports.get'>>('imports.get', { id: imported.import!.id }, aud.admin);
    expect(got.import.warnings).toEqual(verified.warnings);
    expect(aud.events().find((e) => e.action === 'imports.run' && e.outcome === 'success' && e.details.source_workspace_id === lookalike.workspaceId)?.details.warnings).toEqual(verified.warnings);
  });
});
