import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { eventLine, PROOFS_FORMAT } from '../../electron/core/bundle/format.js';
import { createBundle } from '../../electron/core/bundle/create-bundle.js';
import { inspectBundle, verifyBundleFile } from '../../electron/core/bundle/verify-bundle.js';
import { caseScope } from '../../electron/core/cases/case-scope.js';
import { canonicalDetails } from '../../electron/core/ledger/event-bytes.js';
import { canonicalBytes, eventHash } from '../../electron/core/ledger/jcs.js';
import { ZERO_HASH } from '../../shared/ledger-types.js';
import { bundleEvents, readEntries, resign, seedEvents, writeEntries } from './helpers/bundles.js';
import { bundleApprover, makeBundle } from './helpers/outputs.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';


let src: TempWorkspace;
let out: string;
let n = 0;
const zipPath = (name: string) => join(out, `${++n}-${name}.zip`);

beforeAll(async () => {
  src = await createTempWorkspace({ name: 'Northfield Records' });
  seedEvents(src, 300);
  out = tempDir('custos-bundles-');
});
afterAll(() => {
  if (src.app.unlocked) src.lock();
  removeTempDirs();
});

function run(cmd: string, args: string[], cwd?: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8' });
}

describe('bundle format', () => {
  it('writes each event line as the RFC 8785 serialization of the whole event', () => {
    const text = fc.string({ unit: 'grapheme' });
    fc.assert(
      fc.property(text, text, fc.dictionary(fc.string(), fc.jsonValue()), fc.integer({ min: 1, max: 2 ** 40 }), (actor, rid, details, seq) => {
        const e = {
          seq,
          ts: '2025-01-02T03:04:05.678Z',
          actor,
          action: 'records.view',
          resource_type: 'record',
          resource_id: rid,
          outcome: 'success' as const,
          details: details as Record<string, unknown>,
          prev_hash: ZERO_HASH,
          hash: 'ab'.repeat(32),
        };
        expect(eventLine({ ...e, details: canonicalDetails(e.details) })).toBe(canonicalBytes(e).toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('bundles.create and verifyBundleFile', () => {
  it('makes a complete bundle that verifies, with a fresh checkpoint and an audit trail', async () => {
    const approver = await bundleApprover(src);
    const before = src.eventCount();
    const r = await makeBundle(src, {}, src.admin, approver);
    const path = r.path;
    // The exports.request that lists it on Exports (issue 15.4), its approval by another user and
    // bundles.create come before the tree head.
    expect(r).toMatchObject({ path, complete: true, events: before + 3, treeSize: before + 3 });
    expect(existsSync(path)).toBe(true);

    const report = await verifyBundleFile(path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ valid: true, events_checked: before + 3, root: r.root });
    expect(report.summary).toMatch(/^VALID: bundle of workspace "Northfield Records"/);

    const entries = await readEntries(path);
    expect([...entries.keys()]).toEqual(['manifest.json', 'manifest.sig', 'public-key.pem', 'checkpoint.note', 'checkpoint.vkey', 'VERIFY.txt', 'events.ndjson', 'consistency.json', 'disclosures.json', 'report.pdf']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({
      format: 'custos-bundle/1',
      workspace: { id: src.workspaceId, name: 'Northfield Records' },
      created_by: ADMIN,
      scope: { complete: true, case: null, filters: {} },
      events: { count: before + 3, first_seq: 1, last_seq: before + 3 },
      tree_head: { size: r.treeSize, root: r.root },
      checkpoint: { key_id: r.keyId },
    });
    expect(entries.get('manifest.sig')!.length).toBe(64);

    // The checkpoint in the manifest is the one the workspace stored; the trail says what left, with its hash.
    const head = await src.call<ResponseOf<'ledger.head'>>('ledger.head', {}, src.admin);
    expect(head.checkpoint).toMatchObject({ size: r.treeSize, root: r.root, ts: manifest.checkpoint.ts, signature: manifest.checkpoint.signature });
    const trail = src.events().slice(before);
    expect(trail.map((e) => [e.action, e.outcome, e.actor])).toEqual([
      ['exports.request', 'success', ADMIN],
      ['exports.approve', 'success', 'bundle.approver'],
      ['bundles.create', 'success', ADMIN],
      ['bundles.written', 'success', ADMIN],
      ['exports.execute', 'success', ADMIN],
    ]);
    expect(trail[3]!.details).toMatchObject({ file_name: r.fileName, sha256: r.sha256, bytes: r.bytes, events: before + 3 });
    // Listed on Exports as an export request of format 'bundle', approved by another user, with its hash.
    expect(trail[0]!.resource_id).toBe(r.requestId);
    expect(trail[4]!.details).toMatchObject({ format: 'bundle', sha256: r.sha256, bytes: r.bytes, rows: r.events, through_seq: r.treeSize });
    // The bundle, named by the core, and nothing else (no temporary files) is left in exports/, owner-only.
    expect(r.fileName).toMatch(/^bundle-Northfield_Records-\d{8}T\d{6}Z\.zip$/);
    expect(readdirSync(join(src.dir, 'exports'))).toEqual([r.fileName]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('makes a filtered bundle whose events each carry an inclusion proof, and it verifies', async () => {
    const r = await makeBundle(src, { actor: 'priya.raman', action: 'records.*' }, src.admin);
    const path = r.path;
    expect(r.complete).toBe(false);
    const entries = await readEntries(path);
    const events = bundleEvents(entries);
    expect(events.length).toBe(r.events);
    expect(events.length).toBeGreaterThan(10);
    expect(events.every((e) => e.actor === 'priya.raman' && e.action.startsWith('records.'))).toBe(true);

    const proofs = JSON.parse(entries.get('proofs.json')!.toString('utf8'));
    expect(proofs).toMatchObject({ format: PROOFS_FORMAT, tree_size: r.treeSize, root: r.root });
    expect(proofs.proofs.map((p: { seq: number }) => p.seq)).toEqual(events.map((e) => e.seq));

    const report = await verifyBundleFile(path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ valid: true, events_checked: r.events });
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8')).scope).toEqual({
      complete: false,
      case: null,
      filters: { actor: 'priya.raman', action: 'records.*' },
    });
  });

  it("carries a case's own events, its evidence's and its holds', and refuses an unknown case; an empty selection is a valid bundle", async () => {
    const { case: kase } = await src.call<{ case: { id: string } }>('cases.create', { title: 'Bundle scope case', type: 'investigation' }, src.admin);
    const { evidence } = await src.call<{ evidence: { id: string } }>(
      'evidence.ingestContent',
      { fileName: 'note.txt', contentBase64: Buffer.from('scope').toString('base64'), title: 'Scope note', source: 'Test', caseId: kase.id },
      src.admin,
    );
    const { hold } = await src.call<{ hold: { id: string } }>('holds.create', { caseId: kase.id, title: 'Scope hold' }, src.admin);
    const other = await src.call<{ case: { id: string } }>('cases.create', { title: 'Unrelated case', type: 'audit' }, src.admin);
    const r = await makeBundle(src, { caseId: kase.id }, src.admin);
    const path = r.path;
    const events = bundleEvents(await readEntries(path));
    expect(events.length).toBe(r.events);
    const resources = new Set(events.map((e) => `${e.resource_type}:${e.resource_id}`));
    expect(resources.has(`case:${kase.id}`)).toBe(true);
    expect(resources.has(`evidence:${evidence.id}`)).toBe(true);
    expect(resources.has(`hold:${hold.id}`)).toBe(true);
    expect(resources.has(`case:${other.case.id}`)).toBe(false);
    expect((await verifyBundleFile(path)).valid).toBe(true);

    const before = src.eventCount();
    const unknown = await src.result('bundles.request', { title: 'Bundle of a case', type: 'AUDIT', caseId: 'CASE-NOPE', purpose: 'Audit', recipient: 'Auditor' }, src.admin);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(src.eventCount()).toBe(before + 1);

    const e = await makeBundle(src, { actor: 'nobody.at.all' }, src.admin);
    const empty = e.path;
    expect(e.events).toBe(0);
    const report = await verifyBundleFile(empty);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('refuses any path a caller names (the core names the file), before anything is written', async () => {
    const existing = zipPath('exists');
    writeFileSync(existing, 'keep me');
    const count = src.eventCount();
    const r1 = await src.result('bundles.create', { out: existing }, src.admin);
    expect(r1).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    const r2 = await src.result('bundles.create', { out: 'relative.zip' }, src.admin);
    expect(r2).toMatchObject({ ok: false, error: { code: 'validation' } });
    const r3 = await src.result('bundles.create', { out: join(out, 'x.tar') }, src.admin);
    expect(r3).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(readdirSync(out)).toEqual([basename(existing)]);
    // Each refusal is one ledgered failure; no bundles.create success slipped in.
    const trail = src.events().slice(count);
    expect(trail.map((e) => [e.action, e.outcome])).toEqual([
      ['bundles.create', 'failure'],
      ['bundles.create', 'failure'],
      ['bundles.create', 'failure'],
    ]);
  });

  it('lets an auditor make a bundle of filtered events (a complete one must be requested), but not a viewer', async () => {
    const auditor = await src.addUser('audrey', 'auditor');
    const viewer = await src.addUser('victor', 'viewer');
    const made = await makeBundle(src, { action: 'records.*' }, auditor);
    const path = made.path;
    expect((await verifyBundleFile(path)).valid).toBe(true);
    // Issue 15.4: the whole ledger carries every disclosure with students' names; see bundle-requests.test.ts.
    expect(await src.result('bundles.create', {}, auditor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const denied = await src.result('bundles.create', {}, viewer);
    expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('verification with unzip, openssl and sha256sum only', () => {
  async function checkWithTools(path: string): Promise<{ dir: string; ok: boolean; log: string }> {
    const root = tempDir('custos-tools-');
    const dir = join(root, 'bundle');
    mkdirSync(dir);
    const sumsFile = join(root, 'SHA256SUMS');
    const log: string[] = [];
    const step = (cmd: string, args: string[]) => {
      const r = run(cmd, args, dir);
      log.push(`$ ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`);
      return r;
    };
    const unzip = step('unzip', ['-q', path]);
    if (unzip.status !== 0) return { dir, ok: false, log: log.join('\n') };
    const sig = step('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig']);
    // The check file is built from manifest.json, as VERIFY.txt tells a reader to.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    writeFileSync(sumsFile, manifest.files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
    const sums = step('sha256sum', ['--strict', '-c', sumsFile]);
    // Nothing in the folder that the manifest does not list.
    const listed = new Set([...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.sig']);
    const extra = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
      .filter((p) => !listed.has(p));
    log.push(`extra files: ${JSON.stringify(extra)}`);
    const ok = sig.status === 0 && sig.stdout.includes('Signature Verified Successfully') && sums.status === 0 && extra.length === 0;
    return { dir, ok, log: log.join('\n') };
  }

  it('verifies a complete and a filtered bundle with the commands of VERIFY.txt', async () => {
    for (const filters of [{}, { actor: 'maria.chen' }]) {
      const made = await makeBundle(src, { ...filters }, src.admin);
      const path = made.path;
      const { dir, ok, log } = await checkWithTools(path);
      expect(ok, log).toBe(true);

      // Step 5 of VERIFY.txt: the signed tree head, with openssl alone.
      const verifyTxt = readFileSync(join(dir, 'VERIFY.txt'), 'utf8');
      expect(verifyTxt).toContain('openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig');
      expect(verifyTxt).toContain('sha256sum');
      const commands = verifyTxt
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith("printf '%s'") || l.startsWith('openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in head.json'));
      expect(commands).toHaveLength(3);
      const head = run('sh', ['-c', commands.join(' && ')], dir);
      expect(head.status, head.stderr).toBe(0);
      expect(head.stdout).toContain('Signature Verified Successfully');

      // Step 3: the key's fingerprint is the manifest's key id.
      const keyId = run('sh', ['-c', 'openssl pkey -pubin -in public-key.pem -outform DER | sha256sum'], dir);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(keyId.stdout.split(' ')[0]).toBe(manifest.checkpoint.key_id);
    }
  });

  it('the same tools catch a manifest edited after signing and a file changed after signing', async () => {
    const made = await makeBundle(src, {}, src.admin);
    const path = made.path;
    const entries = await readEntries(path);

    const editedManifest = new Map(entries);
    editedManifest.set('manifest.json', Buffer.from(entries.get('manifest.json')!.toString('utf8').replace('Northfield', 'Southfield')));
    const p1 = zipPath('tools-manifest');
    await writeEntries(p1, editedManifest);
    expect((await checkWithTools(p1)).ok).toBe(false);

    const editedEvents = new Map(entries);
    editedEvents.set('events.ndjson', Buffer.from(entries.get('events.ndjson')!.toString('utf8').replace('routine', 'routinE')));
    const p2 = zipPath('tools-events');
    await writeEntries(p2, editedEvents);
    expect((await checkWithTools(p2)).ok).toBe(false);
  });
});

describe('what verification reports', () => {
  it('refuses a line that parses to the same event with the same hash but is not its RFC 8785 form, whatever is changed', async () => {
    const made = await makeBundle(src, {}, src.admin);
    const entries = await readEntries(made.path);
    const key = src.app.ws.signingKey;
    const lines = entries.get('events.ndjson')!.toString('utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"details":{"') && /"actor":"[A-Za-z]/.test(l));
    expect(i).toBeGreaterThanOrEqual(0);
    const line = lines[i]!;
    const seq = (JSON.parse(line) as { seq: number }).seq;
    const variants: [string, string][] = [
      ['a space after a colon', line.replace('"action":', '"action": ')],
      ['keys out of order', line.replace(/^\{("action":"[^"]*"),("actor":"[^"]*"),/, '{$2,$1,')],
      ['a letter written as an escape', line.replace(/"actor":"([A-Za-z])/, (_m, c: string) => `"actor":"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
      ['details keys out of order', line.replace(/"details":\{("[^"]+":(?:"[^"]*"|[^,{}]+)),("[^"]+":(?:"[^"]*"|[^,{}]+))/, '"details":{$2,$1')],
      ['the hash written in upper case', line.replace(/"hash":"([0-9a-f]{64})"/, (_m, h: string) => `"hash":"${h.toUpperCase()}"`)],
    ];
    for (const [what, changed] of variants) {
      expect(changed, what).not.toBe(line);
      if (what !== 'the hash written in upper case') expect(JSON.parse(changed), what).toEqual(JSON.parse(line));
      const tampered = new Map(entries);
      tampered.set('events.ndjson', Buffer.from(lines.map((l, j) => (j === i ? changed : l)).join('\n')));
      resign(tampered, key);
      const p = zipPath(`not-canonical-${what.replace(/\W+/g, '-')}`);
      await writeEntries(p, tampered);
      const report = await verifyBundleFile(p);
      expect(report.valid, what).toBe(false);
      expect(report.problems.map((x) => x.message).join('\n'), what).toMatch(
        what === 'the hash written in upper case' ? /hash that is not 64 lower-case hex digits/ : new RegExp(`\\(event ${seq}\\) is not in canonical RFC 8785 form`),
      );
    }
  });

  it('reports each kind of tampering with its seq and kind, in the workspace report format', async () => {
    const made = await makeBundle(src, {}, src.admin);
    const path = made.path;
    const entries = await readEntries(path);
    const key = src.app.ws.signingKey;
    const events = bundleEvents(entries);

    // An attacker with the key changes event 5 and rewrites its hash: event 6 no longer links, and the root moves.
    const forged = events.map((e) => ({ ...e }));
    const e5 = forged[4]!;
    e5.details = { ...e5.details, note: 'rewritten' };
    e5.hash = eventHash(e5);
    const tampered = new Map(entries);
    tampered.set('events.ndjson', Buffer.from(forged.map((e) => `${canonicalBytes(e).toString('utf8')}\n`).join('')));
    resign(tampered, key);
    const p = zipPath('report-chain');
    await writeEntries(p, tampered);
    const report = await verifyBundleFile(p);
    expect(report.valid).toBe(false);
    expect(report.problems.map((x) => [x.seq, x.kind])).toEqual([
      [6, 'broken-link'],
      [events.length, 'root-mismatch'],
    ]);
    expect(report.summary).toMatch(/^INVALID: 2 problems/);

    // Without the key, the same edit is a signature and file mismatch.
    const unsigned = new Map(tampered);
    unsigned.set('manifest.json', entries.get('manifest.json')!);
    unsigned.set('manifest.sig', entries.get('manifest.sig')!);
    const p2 = zipPath('report-unsigned');
    await writeEntries(p2, unsigned);
    const kinds = (await verifyBundleFile(p2)).problems.map((x) => x.kind);
    expect(kinds).toContain('file-mismatch');
    expect(kinds).toContain('broken-link');
  });
});

describe('hashing in a worker thread', () => {
  it('gives the very same report as hashing on the reading thread, for an intact bundle and every kind of damage to its events', async () => {
    const made = await makeBundle(src, {}, src.admin);
    const entries = await readEntries(made.path);
    const key = src.app.ws.signingKey;
    const lines = entries.get('events.ndjson')!.toString('utf8').split('\n').slice(0, -1);
    const events = bundleEvents(entries);
    const rehashed = (i: number, edit: (e: (typeof events)[number]) => void) => {
      const e = { ...events[i]!, details: { ...events[i]!.details } };
      edit(e);
      return canonicalBytes(e).toString('utf8');
    };
    const variants: [string, string[]][] = [
      ['intact', lines],
      ['a field changed, hash kept', lines.map((l, i) => (i === 6 || i === 200 ? rehashed(i, (e) => (e.details = { ...e.details, note: 'changed' })) : l))],
      ['a field changed and rehashed', lines.map((l, i) => (i === 4 ? rehashed(i, (e) => ((e.details = { ...e.details, note: 'x' }), (e.hash = eventHash(e)))) : l))],
      ['a line that is not JSON', lines.map((l, i) => (i === 9 ? '{"seq":' : l))],
      ['a line missing', lines.filter((_, i) => i !== 130)],
      ['a line twice', [...lines.slice(0, 51), lines[50]!, ...lines.slice(51)]],
      ['two lines swapped', lines.map((l, i) => (i === 20 ? lines[21]! : i === 21 ? lines[20]! : l))],
    ];
    const n = events.length;
    const expected: Record<string, unknown[]> = {
      intact: [],
      'a field changed, hash kept': [[7, 'hash-mismatch'], [201, 'hash-mismatch'], [n, 'root-mismatch']],
      'a field changed and rehashed': [[6, 'broken-link'], [n, 'root-mismatch']],
      'a line that is not JSON': [[null, 'malformed'], [null, 'malformed'], [10, 'gap'], [n - 1, 'root-mismatch'], [n, 'truncated-after-checkpoint']],
      'a line missing': [[null, 'malformed'], [131, 'gap'], [n - 1, 'root-mismatch'], [n, 'truncated-after-checkpoint']],
      'a line twice': [[null, 'malformed'], [51, 'duplicate'], [n + 1, 'malformed'], [n + 1, 'root-mismatch']],
      'two lines swapped': [[21, 'gap'], [21, 'reordered'], [23, 'broken-link'], [n, 'root-mismatch']],
    };
    for (const [what, changed] of variants) {
      const tampered = new Map(entries);
      tampered.set('events.ndjson', Buffer.from(changed.map((l) => `${l}\n`).join('')));
      if (what !== 'intact') resign(tampered, key);
      const p = zipPath(`threads-${what.replace(/\W+/g, '-')}`);
      await writeEntries(p, tampered);
      for (const stopAtFirstProblem of [false, true]) {
        const here = (await inspectBundle(p, { hashThreads: 0, stopAtFirstProblem })).report;
        const threaded = (await inspectBundle(p, { hashThreads: 1, stopAtFirstProblem })).report;
        expect(threaded, what).toEqual(here);
        expect(here, what).toEqual((await inspectBundle(p, { stopAtFirstProblem })).report);
        expect(here.valid, what).toBe(what === 'intact');
        if (!stopAtFirstProblem) expect(here.problems.map((x) => [x.seq, x.kind]), what).toEqual(expected[what]);
        else {
          // Stopped at the first problem found: one of those the whole check reports.
          expect(here.problems, what).toHaveLength(what === 'intact' ? 0 : 1);
          for (const x of here.problems) expect(expected[what], what).toContainEqual([x.seq, x.kind]);
        }
      }
    }
  });
});

describe('a read that fails after events were read', () => {
  it('still reports what the events before the failure hold, before the failure itself', async () => {
    const made = await makeBundle(src, {}, src.admin);
    const entries = await readEntries(made.path);
    const lines = entries.get('events.ndjson')!.toString('utf8').split('\n').slice(0, -1);
    const events = bundleEvents(entries);
    const changed = { ...events[19]!, details: { ...events[19]!.details, note: 'changed' } };
    lines[19] = canonicalBytes(changed).toString('utf8');
    // Then a line longer than any event may be: reading stops there.
    lines.push(randomBytes(4 * 1024 * 1024).toString('base64'));
    const tampered = new Map(entries);
    tampered.set('events.ndjson', Buffer.from(lines.map((l) => `${l}\n`).join('')));
    resign(tampered, src.app.ws.signingKey);
    const p = zipPath('read-fails-late');
    await writeEntries(p, tampered);
    for (const hashThreads of [0, 1]) {
      const all = (await inspectBundle(p, { hashThreads })).report;
      expect(all.problems.map((x) => [x.seq, x.kind]), `threads ${hashThreads}`).toEqual(expect.arrayContaining([[20, 'hash-mismatch'], [null, 'malformed']]));
      expect(all.events_checked).toBe(events.length);
      const first = (await inspectBundle(p, { hashThreads, stopAtFirstProblem: true })).report;
      expect(first.problems.map((x) => [x.seq, x.kind]), `threads ${hashThreads}`).toEqual([[20, 'hash-mismatch']]);
    }
  });
});

describe('a written bundle and its record', () => {
  it('are one transaction: when what the bundle changes cannot be recorded, neither bundles.written nor the file stays', async () => {
    const before = src.eventCount();
    const filesBefore = readdirSync(join(src.dir, 'exports'));
    const made = createBundle(src.app.ws, {
      actor: ADMIN,
      filters: { action: 'cases.*' },
      parts: src.app.wiring.bundleParts,
      caseScope: (w, caseId) => caseScope(w, caseId, src.app.wiring.caseResources),
      onWritten: () => {
        src.app.ws.ledger.append({ actor: ADMIN, action: 'exports.execute', resource_type: 'export_request', resource_id: 'EXP-TEST', details: {} });
        throw new Error('the request could not be marked executed');
      },
    });
    await expect(made).rejects.toThrow('the request could not be marked executed');
    // The start of the bundle (bundles.create, with its checkpoint) stays; nothing after it.
    expect(src.events().slice(before).map((e) => e.action)).toEqual(['bundles.create']);
    expect(readdirSync(join(src.dir, 'exports'))).toEqual(filesBefore);
  });
});

describe('progress and cancel', () => {
  it('reports progress and, when cancelled, leaves no bundle, no partial file and no temporary files', async () => {
    const big = await createTempWorkspace({ name: 'Big' });
    try {
      seedEvents(big, 20_000);
      const seen: { phase: string; done: number; total: number | null }[] = [];
      const off = big.app.onEvent((event, payload) => {
        if (event === 'job.progress') seen.push(payload as { phase: string; done: number; total: number | null });
      });
      const r = await makeBundle(big, { jobId: 'bundle-progress-1' }, big.admin);
      off();
      const events = seen.filter((p) => p.phase === 'events');
      expect(events.length).toBeGreaterThan(3);
      expect(events.at(-1)).toMatchObject({ done: r.events, total: r.events });

      const jobId = 'bundle-cancel-1';
      const stop = big.app.onEvent((event, payload) => {
        const p = payload as { jobId: string; phase: string; done: number };
        if (event === 'job.progress' && p.jobId === jobId && p.phase === 'events' && p.done > 0) {
          void big.result('jobs.cancel', { jobId }, big.admin);
        }
      });
      const before = big.eventCount();
      // A bundle of filtered events is made directly, so the cancelled call's own request ends with it.
      const res = await big.result('bundles.create', { jobId, from: '2000-01-01' }, big.admin);
      stop();
      expect(res).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      // Only the first bundle: no second one, no temporary file.
      expect(readdirSync(join(big.dir, 'exports'))).toEqual([r.fileName]);
      const trail = big.events().slice(before);
      // The bundle's request (listed on Exports), its start, and the run that was cancelled (ledgered once).
      expect(trail.map((e) => [e.action, e.outcome])).toEqual([
        ['exports.request', 'success'],
        ['bundles.create', 'success'],
        ['exports.execute', 'failure'],
      ]);
      expect(trail[2]!.details).toMatchObject({ reason: 'cancelled' });
      // The request made by that very call is over: nothing approved is left waiting to run.
      const requestId = trail[0]!.resource_id;
      const listed = await big.call<{ items: { id: string; status: string }[] }>('exports.list', { limit: 100 }, big.admin);
      expect(listed.items.find((x) => x.id === requestId)?.status).toBe('failed');
      expect(await big.result('exports.execute', { id: requestId }, big.admin)).toMatchObject({ ok: false });
    } finally {
      big.lock();
    }
  });
});

describe('the custos command', () => {
  const CLI = resolve('bin/custos.js');
  const env = { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE };
  const custos = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });

  it('writes a complete and a filtered bundle that `custos verify` accepts, and rejects a damaged one', async () => {
    expect(existsSync(resolve('dist/electron/cli.js')), 'run `npm run build:node` before the tests').toBe(true);
    const t = await createTempWorkspace({ name: 'CLI source' });
    seedEvents(t, 120);
    await t.addUser('david.okafor', 'legal_counsel');
    t.lock();
    const dir = tempDir('custos-cli-bundle-');
    const full = join(dir, 'full.zip');
    const subset = join(dir, 'subset.zip');

    // The whole ledger carries students' names: the first run records the request and says how to go on.
    const asked = custos('bundle', t.dir, '--out', full);
    expect(asked.status).toBe(1);
    const id = /Recorded as request (EXP-\d{4}-\d{4})\./.exec(asked.stderr)?.[1];
    expect(id, asked.stderr).toBeDefined();
    expect(asked.stderr).toMatch(/another user must approve it/);
    expect(existsSync(full)).toBe(false);
    // Not by its requester; then by another user; then only its requester runs it.
    expect(custos('approve', t.dir, id!).status).toBe(1);
    expect(custos('bundle', t.dir, '--request', id!, '--out', full).status).toBe(1);
    const approved = custos('approve', t.dir, id!, '--user', 'david.okafor', '--note', 'For the external audit.');
    expect(approved.status, approved.stderr).toBe(0);
    expect(custos('bundle', t.dir, '--request', id!, '--out', full, '--user', 'david.okafor').status).toBe(1);
    const b1 = custos('bundle', t.dir, '--request', id!, '--out', full);
    expect(b1.status, b1.stderr).toBe(0);
    expect(b1.stdout).toMatch(new RegExp(`^Wrote .*full\\.zip \\(\\d+ bytes\\) with all \\d+ events of the ledger; listed on Exports as ${id}\\.`));
    const b2 = custos('bundle', t.dir, '--out', subset, '--actor', 'david.okafor', '--from', '2000-01-01', '--to', '2999-12-31', '--action', 'cases.update');
    expect(b2.status, b2.stderr).toBe(0);
    expect(b2.stdout).toMatch(/selected events?, each with an inclusion proof/);

    for (const path of [full, subset]) {
      const v = custos('verify', path);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^VALID: bundle of workspace "CLI source"/m);
    }

    const again = custos('bundle', t.dir, '--request', id!, '--out', full);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^custos: The file .* already exists; choose another name/);

    const damaged = join(dir, 'damaged.zip');
    const bytes = readFileSync(full);
    writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const bad = custos('verify', damaged);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/malformed\s+The bundle is not a complete ZIP archive/);
    expect(bad.stdout).toMatch(/^INVALID: 1 problem/m);
  });
});
