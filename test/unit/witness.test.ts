import { spawnSync } from 'node:child_process';
import { createHash, type KeyObject, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import type { VerificationReport } from '../../shared/ledger-types.js';
import { signCheckpoint } from '../../electron/core/ledger/checkpoint.js';
import { checkpointNoteText, signCheckpointNote } from '../../electron/core/ledger/checkpoint-note.js';
import {
  checkCosignedCheckpoint,
  cosignCheckpoint,
  cosignerKeyId,
  cosignerVerifierKey,
  parseCosignerVerifierKey,
} from '../../electron/core/ledger/cosignature.js';
import { rootAt, type MerkleNodeSource } from '../../electron/core/ledger/merkle.js';
import { generateSigningKey, loadSigningKey } from '../../electron/core/ledger/signing.js';
import { verifierKey } from '../../electron/core/ledger/signed-note.js';
import { checkWitnessedHeads } from '../../electron/core/ledger/witnessed-heads.js';
import { bundleKeyId, readEntries, seedEvents, snapshot, type WorkspaceSnapshot } from './helpers/bundles.js';
import { pathGrant } from './helpers/grants.js';
import { impostor } from './helpers/impostor.js';
import { makeBundle, exportedPath } from './helpers/outputs.js';
import { rawEvents, rehashFrom, tamper, type RawDb } from './helpers/tamper.js';
import { PASSPHRASE, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

const CLI = resolve('bin/custos.js');

type Countersigned = ResponseOf<'witness.countersign'>;
type Identity = ResponseOf<'witness.identity'>['identity'];

afterAll(removeTempDirs);

/** Independent of the core: SHA-256(name || 0x0A || 0x04 || raw key)[:4], as c2sp.org/tlog-cosignature defines it. */
function specKeyId(name: string, raw: Buffer): Buffer {
  return createHash('sha256').update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x04]), raw])).digest().subarray(0, 4);
}

function rawOf(publicKey: KeyObject): Buffer {
  return Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
}

describe('cosignature/v1 format (c2sp.org/tlog-cosignature)', () => {
  const key = loadSigningKey(generateSigningKey());
  const name = 'custos-witness/test';
  const text = checkpointNoteText('custos/source', 42, 'ab'.repeat(32));

  it('signs "cosignature/v1\\ntime T\\n" + checkpoint text; the line is key ID || u64 BE time || Ed25519 signature', () => {
    const note = cosignCheckpoint(text, name, key, 1679315147);
    expect(note.startsWith(`${text}\n\u2014 ${name} `)).toBe(true);
    const line = note.slice(text.length + 1, -1);
    const raw = Buffer.from(line.split(' ')[2]!, 'base64');
    expect(raw.length).toBe(4 + 8 + 64);
    // Key ID and timestamp read with nothing from the core.
    expect(raw.subarray(0, 4).equals(specKeyId(name, rawOf(key.publicKey)))).toBe(true);
    expect(raw.readBigUInt64BE(4)).toBe(1679315147n);
    const message = Buffer.from(`cosignature/v1\ntime 1679315147\n${text}`, 'utf8');
    expect(verify(null, message, key.publicKey, raw.subarray(12))).toBe(true);
    // Not a plain note signature over the text (type 0x01 message): domain-separated.
    expect(verify(null, Buffer.from(text), key.publicKey, raw.subarray(12))).toBe(false);
  });

  it("reads the spec's example cosignature line the same way: key ID, then the time of its example message", () => {
    // From c2sp.org/tlog-cosignature: the example's signed message has "time 1679315147".
    const raw = Buffer.from('jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==', 'base64');
    expect(raw.length).toBe(76);
    expect(raw.readBigUInt64BE(4)).toBe(1679315147n);
  });

  it('verifier keys use type 0x04 and a key ID of the name and key; a checkpoint (0x01) key is not a cosigner key', () => {
    const vkey = cosignerVerifierKey(name, key.publicKey);
    const [vName, vId, vKey] = [vkey.slice(0, vkey.indexOf('+')), vkey.split('+')[1]!, vkey.slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1)];
    expect(vName).toBe(name);
    expect(vId).toBe(specKeyId(name, rawOf(key.publicKey)).toString('hex'));
    expect(Buffer.from(vKey, 'base64').equals(Buffer.concat([Buffer.from([0x04]), rawOf(key.publicKey)]))).toBe(true);
    expect(parseCosignerVerifierKey(vkey)?.keyId.equals(cosignerKeyId(name, key.publicKey))).toBe(true);
    expect(parseCosignerVerifierKey(verifierKey(name, key.publicKey))).toBeNull();
    expect(parseCosignerVerifierKey(vkey.replace(vId, '00000000'))).toBeNull();
  });

  it('verifies a cosignature among other signature lines, and refuses a changed text, time, or another key', () => {
    const note = signCheckpointNote(key, 'source', { size: 42, root: 'ab'.repeat(32) });
    const cosigned = `${note}${cosignCheckpoint(checkpointNoteText('custos/source', 42, 'ab'.repeat(32)), name, key, 1700000000).split('\n\n')[1]}`;
    const verifier = parseCosignerVerifierKey(cosignerVerifierKey(name, key.publicKey))!;
    const ok = checkCosignedCheckpoint(Buffer.from(cosigned), verifier);
    expect(ok).toMatchObject({ ok: true, cosignature: { cosigner: name, timestamp: 1700000000, head: { origin: 'custos/source', size: 42 } } });

    expect(checkCosignedCheckpoint(Buffer.from(cosigned.replace('\n42\n', '\n43\n')), verifier)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
    const lines = cosigned.split('\n');
    const last = lines.at(-2)!;
    const raw = Buffer.from(last.split(' ')[2]!, 'base64');
    raw.writeBigUInt64BE(1700000001n, 4);
    const retimed = cosigned.replace(last, `\u2014 ${name} ${raw.toString('base64')}`);
    expect(checkCosignedCheckpoint(Buffer.from(retimed), verifier)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
    const other = loadSigningKey(generateSigningKey());
    const otherVerifier = parseCosignerVerifierKey(cosignerVerifierKey(name, other.publicKey))!;
    expect(checkCosignedCheckpoint(Buffer.from(cosigned), otherVerifier)).toMatchObject({ ok: false, reason: expect.stringMatching(/no signature line by/) });
  });
});

describe('consistency of cosigned heads (RFC 6962 vectors)', () => {
  // transparency-dev/merkle testdata: eight leaf inputs and the published root at every size 0..8.
  const vectors = JSON.parse(readFileSync('test/vectors/rfc6962.json', 'utf8')) as { leaves: string[]; roots: string[] };
  const src: MerkleNodeSource = (() => {
    const leaves = vectors.leaves.map((l) => createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(l, 'hex')])).digest());
    return { leaf: (i: number) => leaves[i]!, stored: () => undefined };
  })();

  it('every published root of a smaller tree is proven extended by the full tree; a wrong root is not', () => {
    const n = vectors.leaves.length;
    const root = rootAt(src, n).toString('hex');
    expect(root).toBe(vectors.roots[n]);
    for (let m = 1; m <= n; m++) {
      const problems: VerificationReport['problems'] = [];
      const [ok] = checkWitnessedHeads(src, n, root, [{ cosigner: 'w', size: m, root: vectors.roots[m]!, cosignedAt: '2026-01-01T00:00:00Z' }], problems);
      expect(ok!.consistent).toBe(true);
      expect(problems).toEqual([]);
    }
    const problems: VerificationReport['problems'] = [];
    checkWitnessedHeads(src, n, root, [{ cosigner: 'witness.example/w1', size: 3, root: vectors.roots[4]!, cosignedAt: '2026-01-02T03:04:05Z' }], problems);
    expect(problems).toEqual([
      {
        seq: 3,
        kind: 'witness-inconsistent',
        message: expect.stringMatching(/^Cosigned by witness\.example\/w1 at size 3 on 2026-01-02 03:04 UTC; today's ledger does not extend it: /),
      },
    ]);
    checkWitnessedHeads(src, n, root, [{ cosigner: 'w', size: n + 1, root, cosignedAt: '2026-01-01T00:00:00Z' }], problems);
    expect(problems.at(-1)!.message).toMatch(/holds only \d+ events/);
  });
});

describe('witness cosignatures: auditor countersigns, source imports, verify holds the ledger to them', () => {
  let src: TempWorkspace;
  let aud: TempWorkspace;
  let importId: number;
  let auditor: string;
  let identity: Identity;
  let made: Countersigned;
  let fileText: string;

  beforeAll(async () => {
    src = await createTempWorkspace({ name: 'District Records' });
    seedEvents(src, 60);
    aud = await createTempWorkspace({ name: 'Audit Office' });
    auditor = await aud.addUser('ava.auditor', 'auditor');
    const b = await makeBundle(src, {}, src.admin);
    const keyId = await bundleKeyId(b.path);
    const r = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', b.path), trustFingerprint: keyId }, auditor);
    importId = r.import!.id;
    identity = (await aud.call<ResponseOf<'witness.identity'>>('witness.identity', {}, auditor)).identity;
  });

  it('the auditor countersigns the verified import: a file with the note and the witness key, recorded and ledgered', async () => {
    made = await aud.call<Countersigned>('witness.countersign', { importId }, auditor);
    const imp = (await aud.call<ResponseOf<'imports.get'>>('imports.get', { id: importId }, auditor)).import;
    expect(made.countersign).toMatchObject({ importId, origin: `custos/${src.workspaceId}`, treeSize: imp.treeSize, root: imp.root, cosigner: `custos-witness/${aud.workspaceId}`, createdBy: 'ava.auditor' });
    fileText = readFileSync(exportedPath(aud, made.file.fileName), 'utf8');
    expect(createHash('sha256').update(fileText).digest('hex')).toBe(made.file.sha256);
    const file = JSON.parse(fileText) as { format: string; witness: { vkey: string }; note: string };
    expect(file.format).toBe('custos-cosignature/1');
    expect(file.witness.vkey).toBe(identity.vkey);
    expect(file.note.startsWith(`custos/${src.workspaceId}\n${imp.treeSize}\n${Buffer.from(imp.root, 'hex').toString('base64')}\n\n\u2014 custos-witness/${aud.workspaceId} `)).toBe(true);
    // The witness key is the auditor workspace's own key, under type 0x04.
    const pub = aud.app.ws.signingKey.publicKey;
    expect(identity.vkey.split('+')[1]).toBe(specKeyId(identity.name, rawOf(pub)).toString('hex'));
    expect(aud.lastEvent('witness.countersign')).toMatchObject({ actor: 'ava.auditor', outcome: 'success', resource_id: String(importId), details: { sha256: made.file.sha256, tree_size: imp.treeSize } });
    const listed = await aud.call<ResponseOf<'witness.countersigns'>>('witness.countersigns', { importId }, auditor);
    expect(listed.countersigns).toEqual([made.countersign]);
  });

  it('only an administrator or an auditor countersigns; others are refused and the denial ledgered', async () => {
    const officer = await aud.addUser('oli.officer', 'compliance_officer');
    const r = await aud.result('witness.countersign', { importId }, officer);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(aud.events().at(-1)).toMatchObject({ action: 'witness.countersign', outcome: 'denied', actor: 'oli.officer' });
  });

  it('after countersigning a newer head of a workspace, an older one is refused (a cosignature names the largest head seen)', async () => {
    seedEvents(src, 5, 'newer');
    const newer = await makeBundle(src, {}, src.admin);
    const r = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', newer.path) }, auditor);
    const second = await aud.call<Countersigned>('witness.countersign', { importId: r.import!.id }, auditor);
    expect(second.countersign.treeSize).toBeGreaterThan(made.countersign.treeSize);
    const before = aud.eventCount();
    const again = await aud.result('witness.countersign', { importId }, auditor);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/already countersigned a larger tree head/) } });
    expect(aud.eventCount()).toBe(before + 1);
    expect(aud.events().at(-1)).toMatchObject({ action: 'witness.countersign', outcome: 'failure' });
  });

  /** Calls a mutating channel expected to fail; checks nothing but one ledgered rejection changed. */
  async function expectRejected(channel: 'witness.import' | 'witness.trust', input: unknown, reason: RegExp): Promise<void> {
    const before: WorkspaceSnapshot = snapshot(src);
    const r = await src.result(channel, input, src.admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(reason);
    const after = snapshot(src);
    expect(after.files).toEqual(before.files);
    expect(after.tables).toEqual(before.tables);
    expect(after.events).toBe(before.events + 1);
    expect(src.events().at(-1)).toMatchObject({ action: channel, outcome: 'failure', details: { message: r.error.message } });
  }

  it('the source refuses a cosignature from a key it does not trust (ledgered), then trusts the key with its fingerprint', async () => {
    await expectRejected('witness.import', { text: fileText }, /a witness key this workspace does not trust/);
    const described = await src.call<ResponseOf<'witness.describeKey'>>('witness.describeKey', { vkey: identity.vkey }, src.admin);
    expect(described).toEqual({ name: identity.name, keyId: identity.vkey.split('+')[1], fingerprint: identity.fingerprint });
    await expectRejected('witness.trust', { vkey: verifierKey('custos/x', src.app.ws.signingKey.publicKey), label: 'Nobody' }, /checkpoint signing key of custos\/x, not a witness key/);
    const { key } = await src.call<ResponseOf<'witness.trust'>>('witness.trust', { vkey: identity.vkey, label: 'Audit Office (Ava)' }, src.admin);
    expect(key).toMatchObject({ name: identity.name, fingerprint: identity.fingerprint, label: 'Audit Office (Ava)', trustedBy: 'admin' });
    expect(src.lastEvent('witness.trust')).toMatchObject({ outcome: 'success', details: { fingerprint: identity.fingerprint, label: 'Audit Office (Ava)' } });
    await expectRejected('witness.trust', { vkey: identity.vkey, label: 'again' }, /already trusted/);
    const viewer = await src.addUser('vic.viewer', 'viewer');
    expect(await src.result('witness.trust', { vkey: identity.vkey, label: 'x' }, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a tampered cosignature, one of another workspace, and one whose root is not this ledger (each ledgered)', async () => {
    const file = JSON.parse(fileText) as { note: string };
    // A changed root: the signature no longer verifies.
    const lines = file.note.split('\n');
    const forgedRoot = { ...file, note: file.note.replace(lines[2]!, Buffer.alloc(32, 7).toString('base64')) };
    await expectRejected('witness.import', { text: JSON.stringify(forgedRoot) }, /does not verify under its trusted key/);

    // Validly cosigned by the trusted witness, but of another workspace's checkpoint.
    const other = await createTempWorkspace({ name: 'Elsewhere' });
    seedEvents(other, 5);
    const otherBundle = await makeBundle(other, {}, other.admin);
    const r = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', otherBundle.path), trustFingerprint: await bundleKeyId(otherBundle.path) }, auditor);
    const otherMade = await aud.call<Countersigned>('witness.countersign', { importId: r.import!.id }, auditor);
    const otherText = readFileSync(exportedPath(aud, otherMade.file.fileName), 'utf8');
    await expectRejected('witness.import', { text: otherText }, new RegExp(`checkpoint of "custos/${other.workspaceId}", not of this workspace`));

    // Validly cosigned by the trusted witness, of this origin, with a root this ledger never had.
    const ws = aud.app.ws;
    const size = made.countersign.treeSize;
    const wrongRoot = cosignCheckpoint(checkpointNoteText(`custos/${src.workspaceId}`, size, 'cd'.repeat(32)), identity.name, ws.signingKey, 1_800_000_000);
    await expectRejected('witness.import', { text: JSON.stringify({ format: 'custos-cosignature/1', witness: { vkey: identity.vkey }, note: wrongRoot }) }, /the witness saw a different ledger/);

    // A size beyond this ledger.
    const beyond = cosignCheckpoint(checkpointNoteText(`custos/${src.workspaceId}`, 10_000, 'cd'.repeat(32)), identity.name, ws.signingKey, 1_800_000_000);
    await expectRejected('witness.import', { text: beyond }, /this ledger has only/);

    // Not a cosignature at all.
    await expectRejected('witness.import', { text: '{"format":"something-else"}' }, /not a cosignature/);
  });

  it('imports the genuine cosignature (ledgered); a second import of it is refused; the list shows it extended', async () => {
    const { cosignature } = await src.call<ResponseOf<'witness.import'>>('witness.import', { text: fileText, fileName: made.file.fileName }, src.admin);
    expect(cosignature).toMatchObject({ cosigner: identity.name, treeSize: made.countersign.treeSize, root: made.countersign.root, cosignedAt: made.countersign.cosignedAt, consistent: true, label: 'Audit Office (Ava)' });
    expect(src.lastEvent('witness.import')).toMatchObject({ outcome: 'success', details: { cosigner: identity.name, tree_size: made.countersign.treeSize } });
    await expectRejected('witness.import', { text: fileText }, /imported already/);
    seedEvents(src, 20, 'later');
    const list = await src.call<ResponseOf<'witness.heads'>>('witness.heads', {}, src.admin);
    expect(list.cosignatures).toEqual([expect.objectContaining({ id: cosignature.id, consistent: true, problem: null })]);
    const report = await src.call<VerificationReport>('ledger.verify', {}, src.admin);
    expect(report.valid).toBe(true);
    expect(report.witnessed).toEqual([{ cosigner: identity.name, size: made.countersign.treeSize, root: made.countersign.root, cosigned_at: made.countersign.cosignedAt, consistent: true }]);
  });

  it('a forged rewrite re-signed with the workspace key passes every checkpoint, yet custos verify names the cosigner', async () => {
    src.lock();
    const key = Buffer.from((await (async () => {
      // The database key, as an attacker holding the workspace (and so its signing key) has it.
      const admin = await src.login();
      const k = await src.call<{ key: string }>('workspace.dbKey', {}, admin);
      src.lock();
      return k.key;
    })()), 'hex');
    const K = 10;
    tamper(src.dir, key, (db: RawDb) => {
      db.prepare("UPDATE events SET actor = 'mallory', details = '{\"rewritten\":true}' WHERE seq = ?").run(K);
      rehashFrom(db, K);
      resignEverything(db, src.dir);
    });
    // Without the witness, nothing would tell: every signed head matches the rewritten ledger.
    const cli = spawnSync(process.execPath, [CLI, 'verify', src.dir, '--json'], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(1);
    const report = JSON.parse(cli.stdout) as VerificationReport;
    expect(report.problems.map((p) => p.kind)).toEqual(['witness-inconsistent']);
    expect(report.problems[0]!.message).toMatch(
      new RegExp(`^Cosigned by custos-witness/${aud.workspaceId} at size ${made.countersign.treeSize} on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC; today's ledger does not extend it`),
    );
    expect(report.witnessed).toEqual([expect.objectContaining({ cosigner: identity.name, consistent: false })]);
    const text = spawnSync(process.execPath, [CLI, 'verify', src.dir], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(text.stdout).toMatch(new RegExp(`witness: ${identity.name.replace('/', '\\/')} cosigned ${made.countersign.treeSize} events at .*NOT extended by today's ledger`));

    // A forger who also removes the stored cosignature and witness key silences the stored check…
    tamper(src.dir, key, (db: RawDb) => {
      db.exec('DELETE FROM witness_cosignatures; DELETE FROM witness_keys;');
    });
    const silenced = spawnSync(process.execPath, [CLI, 'verify', src.dir, '--json'], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(silenced.status, silenced.stderr).toBe(0);
    // …but not the witness's own copy of the cosignature, handed to the verification.
    const file = join(src.dir, '..', 'witness-copy.json');
    writeFileSync(file, fileText);
    const held = spawnSync(process.execPath, [CLI, 'verify', src.dir, '--json', '--cosignature', file], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(held.status, held.stderr).toBe(1);
    const heldReport = JSON.parse(held.stdout) as VerificationReport;
    expect(heldReport.problems.map((p) => p.kind)).toEqual(['witness-inconsistent']);
    // The forger removed the trusted key too: the file's own key is named by its fingerprint, as untrusted here.
    expect(heldReport.problems[0]!.message.startsWith(`Cosigned by ${identity.name} (key ${identity.fingerprint}, given with the file, not a witness key this workspace trusts) at size ${made.countersign.treeSize} on `)).toBe(true);
    // A changed copy does not verify under the key it names: reported, not trusted.
    const copy = JSON.parse(fileText) as { note: string };
    const size = made.countersign.treeSize;
    expect(copy.note).toContain(`\n${size}\n`);
    writeFileSync(file, JSON.stringify({ ...copy, note: copy.note.replace(`\n${size}\n`, `\n${size - 1}\n`) }));
    const changed = spawnSync(process.execPath, [CLI, 'verify', src.dir, '--json', '--cosignature', file], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    expect(changed.status).toBe(1);
    expect((JSON.parse(changed.stdout) as VerificationReport).problems.map((p) => p.kind)).toEqual(['bad-signature']);
  });
});

describe('a witness never vouches for two histories of one workspace', () => {
  const treeSize = async (path: string) => (JSON.parse((await readEntries(path)).get('manifest.json')!.toString('utf8')) as { tree_head: { size: number } }).tree_head.size;

  it('after a pin revocation, heads signed by another key are imported but not countersigned: neither the same size with another root nor a larger one not proven to extend the cosigned head', async () => {
    const src = await createTempWorkspace({ name: 'District Records' });
    seedEvents(src, 80);
    const aud = await createTempWorkspace({ name: 'Audit Office' });
    const auditor = await aud.addUser('ava.auditor', 'auditor');
    const real = await makeBundle(src, {}, src.admin);
    const first = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', real.path), trustFingerprint: await bundleKeyId(real.path) }, auditor);
    const cosigned = (await aud.call<Countersigned>('witness.countersign', { importId: first.import!.id }, auditor)).countersign;

    // Another key, the same workspace id, a ledger of exactly the cosigned size (a bundle appends a fixed number of events).
    const forger = await impostor(src.workspaceId);
    const s0 = forger.eventCount();
    const perBundle = (await treeSize((await makeBundle(forger, {}, forger.admin)).path)) - s0;
    seedEvents(forger, cosigned.treeSize - perBundle - forger.eventCount(), 'fork');
    const sameSize = await makeBundle(forger, {}, forger.admin);
    expect(await treeSize(sameSize.path)).toBe(cosigned.treeSize);
    // The auditor's administrator revokes the pin (say the district reported its key lost) and the new key is confirmed.
    await aud.call('imports.pins.revoke', { workspaceId: src.workspaceId, reason: 'The district reported its key lost.' }, aud.admin);
    const fork = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', sameSize.path), trustFingerprint: await bundleKeyId(sameSize.path) }, auditor);
    expect(fork.accepted).toBe(true);

    const refused = async (importId: number, what: RegExp) => {
      const before = aud.eventCount();
      const countersignsBefore = aud.app.ws.db.prepare('SELECT count(*) AS n FROM witness_countersigns').get();
      const r = await aud.result('witness.countersign', { importId }, auditor);
      expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
      if (r.ok) return;
      expect(r.error.message).toMatch(new RegExp(`^This workspace countersigned a tree head of ${cosigned.treeSize} events of workspace "District Records" on \\d{4}-\\d{2}-\\d{2}; this import has `));
      expect(r.error.message).toMatch(what);
      expect(r.error.message).toMatch(/A cosignature would vouch for a second history of that workspace\.$/);
      expect(aud.eventCount()).toBe(before + 1);
      expect(aud.events().at(-1)).toMatchObject({ action: 'witness.countersign', outcome: 'failure' });
      expect(aud.app.ws.db.prepare('SELECT count(*) AS n FROM witness_countersigns').get()).toEqual(countersignsBefore);
    };
    await refused(fork.import!.id, new RegExp(`a different root for the same ${cosigned.treeSize} events`));

    // The forger's history grows; each of its bundles extends its own, so they import, but none extends the cosigned head.
    seedEvents(forger, 7, 'fork-more');
    const larger = await makeBundle(forger, {}, forger.admin);
    const grown = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', larger.path) }, auditor);
    expect(grown.accepted).toBe(true);
    await refused(grown.import!.id, /events, not proven to extend it/);
  });
});

/** The forger's last step: every checkpoint row, checkpoint.json and checkpoint.note signed again over the rewritten tree, with the workspace's own key. */
function resignEverything(db: RawDb, dir: string): void {
  const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const key = loadSigningKey(Buffer.from(meta.get('signing_key_pkcs8')!, 'base64'));
  const id = meta.get('workspace_id')!;
  const leaves = rawEvents(db).map((r) => r.leaf_hash);
  const source: MerkleNodeSource = { leaf: (i) => leaves[i]!, stored: () => undefined };
  const rows = db.prepare('SELECT id, size, ts FROM checkpoints ORDER BY id').all() as { id: number; size: number; ts: string }[];
  let last = null as ReturnType<typeof signCheckpoint> | null;
  for (const r of rows) {
    const c = signCheckpoint(key, { workspace_id: id, size: r.size, root: rootAt(source, r.size).toString('hex'), ts: r.ts });
    db.prepare('UPDATE checkpoints SET root = ?, signature = ? WHERE id = ?').run(c.root, c.signature, r.id);
    last = c;
  }
  writeFileSync(join(dir, 'checkpoint.json'), `${JSON.stringify(last, null, 2)}\n`);
  writeFileSync(join(dir, 'checkpoint.note'), signCheckpointNote(key, id, last!));
}

describe('witness command line: custos cosign, custos witness key|trust|import|list', () => {
  function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('round-trips a cosignature between two workspaces through the CLI alone', async () => {
    const src = await createTempWorkspace({ name: 'Source by CLI' });
    seedEvents(src, 12);
    const bundle = await makeBundle(src, {}, src.admin);
    const aud = await createTempWorkspace({ name: 'Auditor by CLI' });
    src.lock();
    aud.lock();
    const files = join(src.dir, '..');
    const imported = run(['import', aud.dir, bundle.path, '--trust-fingerprint', bundle.fingerprint, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const importId = (JSON.parse(imported.stdout) as { import: { id: number } }).import.id;

    const out = join(files, 'cosignature.json');
    const cosigned = run(['cosign', aud.dir, '--import', String(importId), '--out', out]);
    expect(cosigned.status, cosigned.stderr).toBe(0);
    expect(cosigned.stdout).toMatch(new RegExp(`^Wrote .*cosignature\\.json: the cosignature by custos-witness/${aud.workspaceId} of custos/${src.workspaceId} at ${bundle.treeSize} events`));
    expect(run(['cosign', aud.dir, '--import', String(importId), '--out', out])).toMatchObject({ status: 1, stderr: expect.stringMatching(/already exists/) });

    const key = run(['witness', 'key', aud.dir]);
    expect(key.status, key.stderr).toBe(0);
    const vkey = key.stdout.trim();
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ witness: { vkey } });

    // Not trusted yet: refused, exit status 1, the reason on stderr.
    const early = run(['witness', 'import', src.dir, out]);
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/does not trust/);
    const trusted = run(['witness', 'trust', src.dir, vkey, '--label', 'Auditor by CLI']);
    expect(trusted.status, trusted.stderr).toBe(0);
    expect(trusted.stdout).toMatch(/key fingerprint: [0-9a-f ]+/);
    const done = run(['witness', 'import', src.dir, out]);
    expect(done.status, done.stderr).toBe(0);
    const list = run(['witness', 'list', src.dir, '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ keys: [{ label: 'Auditor by CLI' }], cosignatures: [{ treeSize: bundle.treeSize, consistent: true }] });
    const verified = run(['verify', src.dir]);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/witness: custos-witness\/.* cosigned \d+ events at .*: today's ledger extends it \(consistency proof verified\)/);
  });
});
