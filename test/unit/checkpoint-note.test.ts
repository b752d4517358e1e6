import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { checkpointNoteText, parseCheckpointText } from '../../electron/core/ledger/checkpoint-note.js';
import { loadSigningKey } from '../../electron/core/ledger/signing.js';
import { noteKeyId, openNote, parseVerifierKey, signNote, verifierKey } from '../../electron/core/ledger/signed-note.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import type { VerificationReport } from '../../shared/ledger-types.js';
import { readEntries, resign, seedEvents, writeEntries } from './helpers/bundles.js';
import { makeBundle } from './helpers/outputs.js';
import { openRaw, tamper } from './helpers/tamper.js';
import { createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Issue 14 §5: every signed tree head is also a C2SP tlog-checkpoint signed note. Checked against
// the published examples of golang.org/x/mod/sumdb/note (note_test.go) and read back by a verifier
// that is not ours (Python's `cryptography`, and OpenSSL through the commands of VERIFY.txt).

afterAll(removeTempDirs);

/** golang.org/x/mod/sumdb/note note_test.go: PeterNeumann's keys, text and signature line. */
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function peterSigningKey() {
  const seed = Buffer.from(PETER_SKEY.slice('PRIVATE+KEY+PeterNeumann+c74f20a3+'.length), 'base64');
  expect(seed[0]).toBe(0x01);
  return loadSigningKey(Buffer.concat([PKCS8_ED25519, seed.subarray(1)]));
}

describe('signed notes, against the published examples', () => {
  it('derives the key ID and verifier key of the published key, and signs the published note byte for byte', () => {
    const key = peterSigningKey();
    expect(noteKeyId('PeterNeumann', key.publicKey).toString('hex')).toBe('c74f20a3');
    expect(verifierKey('PeterNeumann', key.publicKey)).toBe(PETER_VKEY);
    expect(signNote(TEXT, 'PeterNeumann', key)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens the published notes: known signatures verify, unknown ones are kept unverified, a changed byte is refused', () => {
    const peter = parseVerifierKey(PETER_VKEY)!;
    const enoch = parseVerifierKey(ENOCH_VKEY)!;
    expect(peter.keyId.toString('hex')).toBe('c74f20a3');
    const both = Buffer.from(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`);
    const one = openNote(both, [peter]);
    expect(one).toMatchObject({ ok: true, text: TEXT });
    if (!one.ok) return;
    expect(one.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(one.unverified.map((s) => `${s.name}+${s.keyId.toString('hex')}`)).toEqual(['EnochRoot+af0cfe78']);
    const two = openNote(both, [peter, enoch]);
    expect(two.ok && two.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    // No known key signed it: refused.
    expect(openNote(both, [])).toMatchObject({ ok: false, kind: 'bad-signature' });
    // A changed text, or a changed signature by a known key: refused.
    expect(openNote(Buffer.from(`${TEXT.replace('problem,', 'problem;')}\n${PETER_SIG}`), [peter])).toMatchObject({ ok: false, kind: 'bad-signature' });
    expect(openNote(Buffer.from(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`), [peter])).toMatchObject({ ok: false });
    // The published malformed encodings.
    for (const bad of [TEXT, `${TEXT}\n`, `${TEXT}\n${PETER_SIG.slice(0, -1)}`, `\x01${TEXT}\n${PETER_SIG}`, `${TEXT}\n${PETER_SIG}Unexpected line.\n`]) {
      expect(openNote(Buffer.from(bad), [peter])).toMatchObject({ ok: false, kind: 'malformed' });
    }
    expect(openNote(Buffer.concat([Buffer.from([0xff]), both]), [peter])).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('refuses mangled verifier keys (the published ones with a wrong length and an unknown algorithm, and every truncation)', () => {
    expect(parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toBeNull();
    expect(parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toBeNull();
    for (let i = 1; i < PETER_VKEY.length; i++) expect(parseVerifierKey(PETER_VKEY.slice(0, i))).toBeNull();
    expect(parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'c74f20a4'))).toBeNull();
  });

  it('reads the tlog-checkpoint example of c2sp.org/tlog-checkpoint', () => {
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const head = parseCheckpointText(text)!;
    expect(head).toEqual({ origin: 'example.com/behind-the-sofa', size: 20852163, root: Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64').toString('hex') });
    expect(checkpointNoteText(head.origin, head.size, head.root)).toBe(text);
    for (const bad of ['o\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n', 'o\n1\n\n', 'o\n1\nAAAA\n', '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n']) {
      expect(parseCheckpointText(bad)).toBeNull();
    }
  });
});

/**
 * An independent checkpoint-note verifier (Python, `cryptography`): parses the verifier key,
 * recomputes its key ID, checks it is the key of the PEM, opens the note and verifies its Ed25519
 * signature, and prints the checkpoint it holds as JSON.
 */
const PY_VERIFIER = String.raw`
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives import serialization

note = open(sys.argv[1], 'rb').read().decode('utf-8')
vkey = open(sys.argv[2], 'r', encoding='utf-8').read().rstrip('\n')
pem = serialization.load_pem_public_key(open(sys.argv[3], 'rb').read())
name, key_hash, key_b64 = vkey.split('+', 2)
key = base64.b64decode(key_b64, validate=True)
assert key[0] == 1 and len(key) == 33, 'not an Ed25519 verifier key'
pub = key[1:]
assert hashlib.sha256(name.encode() + b'\n' + b'\x01' + pub).digest()[:4].hex() == key_hash, 'key ID mismatch'
assert pem.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == pub, 'not the PEM key'
assert note.endswith('\n')
cut = note.rindex('\n\n')
text, sigs = note[:cut + 1], note[cut + 2:-1].split('\n')
ok = False
for line in sigs:
    dash, signer, b64 = line.split(' ')
    assert dash == '\u2014'
    raw = base64.b64decode(b64, validate=True)
    if signer == name and raw[:4].hex() == key_hash:
        Ed25519PublicKey.from_public_bytes(pub).verify(raw[4:], text.encode('utf-8'))
        ok = True
assert ok, 'no signature by the key'
origin, size, root = text.split('\n')[:3]
assert origin == name
print(json.dumps({'origin': origin, 'size': int(size), 'root': base64.b64decode(root, validate=True).hex()}))
`;

function pyVerify(dir: string, note: string, vkey: string, pem: string): { status: number | null; head: { origin: string; size: number; root: string } | null; stderr: string } {
  const script = join(dir, 'verify_note.py');
  writeFileSync(script, PY_VERIFIER);
  const r = spawnSync('python3', [script, note, vkey, pem], { encoding: 'utf8' });
  return { status: r.status, head: r.status === 0 ? (JSON.parse(r.stdout) as { origin: string; size: number; root: string }) : null, stderr: r.stderr };
}

describe('checkpoint.note beside the database and in every bundle', () => {
  let t: TempWorkspace;
  let key: Buffer;

  beforeAll(async () => {
    t = await createTempWorkspace({ name: 'Note Office' });
    key = await t.dbKey();
    seedEvents(t, 40);
  });

  async function bundleDir(request: Record<string, unknown> = {}): Promise<{ dir: string; zip: string; manifest: { tree_head: { size: number; root: string }; workspace: { id: string } } }> {
    const made = await makeBundle(t, request, t.admin);
    const dir = tempDir('custos-note-bundle-');
    for (const [name, data] of await readEntries(made.path)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    return { dir, zip: made.path, manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) };
  }

  it("a bundle's checkpoint.note is its signed tree head, and an implementation that is not ours verifies it", async () => {
    for (const filters of [{}, { actor: 'maria.chen' }]) {
      const { dir, manifest } = await bundleDir(filters);
      const origin = `custos/${t.workspaceId}`;
      const py = pyVerify(dir, join(dir, 'checkpoint.note'), join(dir, 'checkpoint.vkey'), join(dir, 'public-key.pem'));
      expect(py.status, py.stderr).toBe(0);
      expect(py.head).toEqual({ origin, size: manifest.tree_head.size, root: manifest.tree_head.root });
      const note = readFileSync(join(dir, 'checkpoint.note'), 'utf8');
      expect(note).toBe(`${origin}\n${manifest.tree_head.size}\n${Buffer.from(manifest.tree_head.root, 'hex').toString('base64')}\n\n— ${origin} ${note.split(' ').at(-1)}`);
      expect(readFileSync(join(dir, 'checkpoint.vkey'), 'utf8')).toMatch(new RegExp(`^custos/${t.workspaceId}\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}\\n$`));
    }
  });

  it('the OpenSSL commands of VERIFY.txt verify the note signature and derive its key ID', async () => {
    const { dir } = await bundleDir();
    const verifyTxt = readFileSync(join(dir, 'VERIFY.txt'), 'utf8');
    const lines = verifyTxt.split('\n').map((l) => l.trim());
    const sigCommands = lines.filter((l) => l.startsWith('head -n 3 checkpoint.note') || l.startsWith('tail -n 1 checkpoint.note') || l.includes('-in note.txt -sigfile note.sig'));
    expect(sigCommands).toHaveLength(3);
    const sig = spawnSync('sh', ['-c', sigCommands.join(' && ')], { cwd: dir, encoding: 'utf8' });
    expect(sig.status, sig.stderr).toBe(0);
    expect(sig.stdout).toContain('Signature Verified Successfully');
    const idLine = lines.find((l) => l.startsWith('{ printf'))!;
    const id = spawnSync('sh', ['-c', idLine], { cwd: dir, encoding: 'utf8' });
    const vkeyId = readFileSync(join(dir, 'checkpoint.vkey'), 'utf8').split('+')[1]!;
    expect(id.stdout.trim()).toBe(vkeyId);
    expect(lines[lines.indexOf(idLine) + 1]).toBe(`must print ${vkeyId}. checkpoint.vkey holds the key as a note verifier key string`);
    // The same commands fail on a note whose text was changed.
    writeFileSync(join(dir, 'checkpoint.note'), readFileSync(join(dir, 'checkpoint.note'), 'utf8').replace(/\n\d+\n/, '\n1\n'));
    expect(spawnSync('sh', ['-c', sigCommands.join(' && ')], { cwd: dir, encoding: 'utf8' }).status).not.toBe(0);
  });

  it('checkpoint.note beside the database names the same head as checkpoint.json, and verifies independently', async () => {
    const { dir: bundle } = await bundleDir();
    t.lock();
    const note = readFileSync(join(t.dir, 'checkpoint.note'), 'utf8');
    const json = JSON.parse(readFileSync(join(t.dir, 'checkpoint.json'), 'utf8')) as { size: number; root: string };
    const py = pyVerify(bundle, join(t.dir, 'checkpoint.note'), join(bundle, 'checkpoint.vkey'), join(bundle, 'public-key.pem'));
    expect(py.status, py.stderr).toBe(0);
    expect(py.head).toEqual({ origin: `custos/${t.workspaceId}`, size: json.size, root: json.root });
    expect(note.startsWith(`custos/${t.workspaceId}\n${json.size}\n`)).toBe(true);
    t.admin = await t.login();
  });

  it('a bundle whose checkpoint.note or checkpoint.vkey was swapped, even with the manifest signed again, is reported', async () => {
    const first = await bundleDir();
    seedEvents(t, 3, 'later');
    const second = await makeBundle(t, {}, t.admin);
    const signing = t.app.ws.signingKey;

    const entries = await readEntries(second.path);
    entries.set('checkpoint.note', readFileSync(join(first.dir, 'checkpoint.note')));
    resign(entries, signing);
    const swapped = join(tempDir('custos-note-swap-'), 'swapped.zip');
    await writeEntries(swapped, entries);
    const report = await verifyBundleFile(swapped);
    expect(report.problems.map((p) => [p.seq, p.kind])).toEqual([[first.manifest.tree_head.size, 'root-mismatch']]);
    expect(report.problems[0]!.message).toMatch(/^checkpoint\.note signs a tree head of \d+ events/);

    const flipped = await readEntries(second.path);
    const text = flipped.get('checkpoint.note')!.toString('utf8');
    const b64 = text.split(' ').at(-1)!.trim();
    const raw = Buffer.from(b64, 'base64');
    raw[20]! ^= 0x01;
    flipped.set('checkpoint.note', Buffer.from(text.replace(b64, raw.toString('base64'))));
    flipped.set('checkpoint.vkey', Buffer.from(`${verifierKey('custos/someone-else', signing.publicKey)}\n`));
    resign(flipped, signing);
    const bad = join(tempDir('custos-note-flip-'), 'flipped.zip');
    await writeEntries(bad, flipped);
    const r2 = await verifyBundleFile(bad);
    expect(r2.problems.map((p) => p.kind).sort()).toEqual(['bad-signature', 'bad-signature']);
    expect(r2.problems.map((p) => p.message).join(' ')).toMatch(/checkpoint\.note carries a signature by custos\/.* that does not verify/);
    expect(r2.problems.map((p) => p.message).join(' ')).toMatch(/checkpoint\.vkey names the key custos\/someone-else\+/);

    // Without re-signing, the edited note is also a file the manifest does not cover.
    const plain = await readEntries(second.path);
    plain.set('checkpoint.note', readFileSync(join(first.dir, 'checkpoint.note')));
    const p3 = join(tempDir('custos-note-plain-'), 'plain.zip');
    await writeEntries(p3, plain);
    expect(new Set((await verifyBundleFile(p3)).problems.map((p) => p.kind))).toEqual(new Set(['file-mismatch', 'root-mismatch']));
  });

  describe('workspace verification', () => {
    let template: string;
    let total: number;
    /** checkpoint.json and checkpoint.note of an earlier lock. */
    let earlier: { dir: string; size: number };

    beforeAll(async () => {
      t.lock();
      earlier = { dir: tempDir('custos-note-earlier-'), size: (JSON.parse(readFileSync(join(t.dir, 'checkpoint.json'), 'utf8')) as { size: number }).size };
      for (const f of ['checkpoint.json', 'checkpoint.note']) copyFileSync(join(t.dir, f), join(earlier.dir, f));
      t.admin = await t.login();
      seedEvents(t, 25, 'after');
      t.lock();
      template = t.dir;
      const db = openRaw(template, key, { readonly: true });
      total = (db.prepare('SELECT max(seq) AS n FROM events').get() as { n: number }).n;
      db.close();
    });

    function copy(fn?: (dir: string) => void): string {
      const dir = join(tempDir('custos-note-ws-'), 'ws');
      cpSync(template, dir, { recursive: true });
      fn?.(dir);
      return dir;
    }

    async function verifyDir(dir: string): Promise<VerificationReport> {
      const db = openRaw(dir, key, { readonly: true });
      try {
        const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
        const publicKey = createPublicKey(createPrivateKey({ key: Buffer.from(meta.get('signing_key_pkcs8')!, 'base64'), format: 'der', type: 'pkcs8' }));
        return await verifyWorkspaceDb(db, dir, { id: meta.get('workspace_id')!, publicKey });
      } finally {
        db.close();
      }
    }

    const kinds = (r: VerificationReport) => r.problems.map((p) => [p.seq, p.kind]);

    it('untampered: valid, the note counted among the checkpoints', async () => {
      const r = await verifyDir(copy());
      expect(r.problems).toEqual([]);
      const db = openRaw(template, key, { readonly: true });
      const stored = (db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
      db.close();
      expect(r.checkpoints_checked).toBe(stored + 2);
    });

    it('a missing, altered or foreign checkpoint.note is reported', async () => {
      expect(kinds(await verifyDir(copy((d) => rmSync(join(d, 'checkpoint.note')))))).toEqual([[null, 'malformed']]);
      const edited = await verifyDir(copy((d) => writeFileSync(join(d, 'checkpoint.note'), readFileSync(join(d, 'checkpoint.note'), 'utf8').replace(`\n${total}\n`, `\n${total + 5}\n`))));
      expect(kinds(edited)).toEqual([[null, 'bad-signature']]);
      expect(edited.problems[0]!.message).toMatch(/^checkpoint\.note beside the database carries a signature by custos\/.* that does not verify\.$/);
      const other = loadSigningKey(Buffer.concat([PKCS8_ED25519, Buffer.alloc(32, 7)]));
      const foreign = await verifyDir(
        copy((d) => writeFileSync(join(d, 'checkpoint.note'), signNote(`custos/${t.workspaceId}\n${total}\n${Buffer.alloc(32).toString('base64')}\n`, 'custos/other', other))),
      );
      expect(kinds(foreign)).toEqual([[null, 'bad-signature']]);
      expect(foreign.problems[0]!.message).toMatch(/carries no signature by the expected key/);
    });

    it('an older genuine note is no problem; a note the key holder signed over another root is a root-mismatch at its size', async () => {
      expect((await verifyDir(copy((d) => copyFileSync(join(earlier.dir, 'checkpoint.note'), join(d, 'checkpoint.note'))))).problems).toEqual([]);
      const db = openRaw(template, key, { readonly: true });
      const pkcs8 = (db.prepare("SELECT value FROM meta WHERE key = 'signing_key_pkcs8'").get() as { value: string }).value;
      db.close();
      const signing = loadSigningKey(Buffer.from(pkcs8, 'base64'));
      const origin = `custos/${t.workspaceId}`;
      const forged = await verifyDir(copy((d) => writeFileSync(join(d, 'checkpoint.note'), signNote(checkpointNoteText(origin, total - 2, 'ab'.repeat(32)), origin, signing))));
      expect(kinds(forged)).toEqual([[total - 2, 'root-mismatch']]);
      expect(forged.problems[0]!.message).toBe(`The Merkle root of the first ${total - 2} events differs from the tree head signed in checkpoint.note: events up to ${total - 2} were rewritten.`);
    });

    it('deleted tail events with the database checkpoints and checkpoint.json rolled back to an earlier lock: checkpoint.note still catches it', async () => {
      const dir = copy((d) => {
        tamper(d, key, (db) => {
          db.prepare('DELETE FROM events WHERE seq > ?').run(earlier.size);
          db.prepare('DELETE FROM checkpoints WHERE size > ?').run(earlier.size);
        });
        copyFileSync(join(earlier.dir, 'checkpoint.json'), join(d, 'checkpoint.json'));
      });
      expect(kinds(await verifyDir(dir))).toEqual([[earlier.size + 1, 'truncated-after-checkpoint']]);
      // Through the CLI, which signs in first: the unlock records the larger of the two signed heads on disk.
      const cliDir = join(tempDir('custos-note-cli-'), 'ws');
      cpSync(dir, cliDir, { recursive: true });
      const cli = spawnSync(process.execPath, [resolve('bin/custos.js'), 'verify', cliDir, '--json'], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });
      expect(cli.status, cli.stderr).toBe(1);
      const report = JSON.parse(cli.stdout) as VerificationReport;
      expect(kinds(report)).toEqual([[earlier.size + 1, 'truncated-after-checkpoint']]);
      expect(report.problems[0]!.message).toMatch(new RegExp(`its signed checkpoint covered ${total} events but only ${earlier.size} were left`));
      // The same with the earlier note too: nothing left to tell (the case a witness cosignature covers).
      copyFileSync(join(earlier.dir, 'checkpoint.note'), join(dir, 'checkpoint.note'));
      expect((await verifyDir(dir)).problems).toEqual([]);
    });
  });
});
