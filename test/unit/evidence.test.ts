import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import type { Evidence } from '../../shared/contract/evidence.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { exportedPath } from './helpers/outputs.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';
import { RESTRICTED } from '../../shared/data-classes.js';
import { pathGrant } from './helpers/grants.js';

let t: TempWorkspace;
let officer: string;
let counsel: string;
let auditor: string;
let viewer: string;
let src: string;

const CHUNK = 65536;
const HEADER = 20;
const TAG = 16;

beforeAll(async () => {
  t = await createTempWorkspace();
  ({ officer, counsel, auditor, viewer } = await t.addStaff());
  src = tempDir('custos-evidence-src-');
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const lastEvent = (action: string): LedgerEvent | undefined => t.lastEvent(action);
const evidenceFiles = () => readdirSync(join(t.dir, 'evidence'));
const blobOf = (id: string) => join(t.dir, 'evidence', `${(t.app.ws.db.prepare('SELECT blob_name FROM evidence WHERE id = ?').get(id) as { blob_name: string }).blob_name}.cev`);

async function ingestFile(bytes: Buffer, name = 'mailbox-export.eml', extra: Record<string, unknown> = {}): Promise<Evidence> {
  const path = join(src, `${randomBytes(4).toString('hex')}-${name}`);
  writeFileSync(path, bytes);
  return (
    await t.call<{ evidence: Evidence }>(
      'evidence.ingestFile',
      { grant: await pathGrant(t, officer, 'evidence', path), title: `Export ${name}`, source: 'Registrar mail server', collectedBy: 'maria.chen', location: 'Evidence room A', ...extra },
      officer,
    )
  ).evidence;
}

async function content(id: string, session = auditor): Promise<Buffer> {
  const r = await t.call<{ contentBase64: string }>('evidence.content', { id, purpose: 'review for the case' }, session);
  return Buffer.from(r.contentBase64, 'base64');
}

describe('evidence ingest and storage', () => {
  it('streams a file in, hashes it while copying and stores only chunked ciphertext', async () => {
    const bytes = randomBytes(3 * CHUNK + 1234);
    const ev = await ingestFile(bytes);
    expect(ev.id).toMatch(/^EV-\d{4}-\d{4}$/);
    expect(ev.sha256).toBe(sha(bytes));
    const path = join(src, 'check.bin');
    writeFileSync(path, bytes);
    expect(execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]).toBe(ev.sha256);
    expect(ev).toMatchObject({ sizeBytes: bytes.length, status: 'collected', integrity: 'ok', custodian: 'maria.chen', location: 'Evidence room A' });
    const file = blobOf(ev.id);
    const stored = readFileSync(file);
    expect(stored.length).toBe(HEADER + bytes.length + 4 * TAG);
    expect(stored.subarray(0, 8).toString('latin1')).toBe('CUSTOSE1');
    expect(stored.indexOf(bytes.subarray(1000, 1064))).toBe(-1);
    expect(evidenceFiles().filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(lastEvent('evidence.ingestFile')).toMatchObject({ resource_type: 'evidence', resource_id: ev.id, details: { sha256: ev.sha256, size: bytes.length } });
    expect(await content(ev.id)).toEqual(bytes);
    expect(lastEvent('evidence.access')).toMatchObject({ actor: 'priya.raman', resource_id: ev.id, outcome: 'success', details: { via: 'evidence.content' } });
  });

  it('round-trips sizes at and around the chunk boundary, including empty files', async () => {
    for (const n of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK]) {
      const bytes = randomBytes(n);
      const ev = await ingestFile(bytes, `size-${n}.bin`);
      expect(ev.sha256, `size ${n}`).toBe(sha(bytes));
      expect(await content(ev.id), `size ${n}`).toEqual(bytes);
      const v = await t.call<{ valid: boolean }>('evidence.verify', { id: ev.id }, auditor);
      expect(v.valid, `size ${n}`).toBe(true);
      expect(statSync(blobOf(ev.id)).size).toBe(HEADER + n + Math.max(1, Math.ceil(n / CHUNK)) * TAG);
    }
  });

  it('ingests base64 content from the browser host within the policy limit', async () => {
    const bytes = Buffer.from('Incident log line 1\nline 2\n');
    const { evidence } = await t.call<{ evidence: Evidence }>(
      'evidence.ingestContent',
      { fileName: 'C:\\Users\\maria\\incident.log', contentBase64: bytes.toString('base64'), title: 'Incident log', source: 'Upload', mediaType: 'text/plain' },
      counsel,
    );
    expect(evidence).toMatchObject({ originalName: 'incident.log', sha256: sha(bytes), mediaType: 'text/plain', collectedBy: 'david.okafor' });
    expect(lastEvent('evidence.ingestContent')?.resource_id).toBe(evidence.id);
    const big = randomBytes(700_001).toString('base64');
    const r = await t.result('evidence.ingestContent', { fileName: 'big.bin', contentBase64: big, title: 'Too big', source: 'Upload' }, counsel);
    expect(r.ok ? 'ok' : r.error.code).toBe('validation');
  });

  it('links the item to a case at intake and refuses a closed case', async () => {
    const { case: c } = await t.call<{ case: { id: string } }>('cases.create', { title: 'Mailbox review', type: 'investigation' }, officer);
    const ev = await ingestFile(randomBytes(100), 'linked.bin', { caseId: c.id });
    expect(ev.caseIds).toEqual([c.id]);
    const tl = await t.call<{ events: LedgerEvent[] }>('cases.timeline', { id: c.id }, viewer);
    expect(tl.events.map((e) => e.action)).toEqual(expect.arrayContaining(['evidence.ingestFile', 'cases.link', 'cases.create']));
    await t.call('cases.setStatus', { id: c.id, status: 'closed' }, officer);
    const before = evidenceFiles().length;
    await expect(ingestFile(randomBytes(10), 'closed.bin', { caseId: c.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(evidenceFiles().length).toBe(before);
  });
});

describe('chain of custody', () => {
  it('records transfers, seal and release, refuses transitions outside the table, and disposes', async () => {
    const ev = await ingestFile(randomBytes(5000), 'laptop-image.bin');
    const tr = await t.call<{ evidence: Evidence }>('evidence.transfer', { id: ev.id, to: 'Forensics lab (J. Park)', purpose: 'Imaging', location: 'Lab 2' }, officer);
    expect(tr.evidence).toMatchObject({ status: 'transferred', custodian: 'Forensics lab (J. Park)', location: 'Lab 2' });
    expect(lastEvent('evidence.transfer')?.details).toMatchObject({ from: 'maria.chen', to: 'Forensics lab (J. Park)', purpose: 'Imaging', location: 'Lab 2' });
    await expect(t.call('evidence.release', { id: ev.id, purpose: 'Not sealed' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    await t.call('evidence.seal', { id: ev.id, purpose: 'Sealed in bag 4411', location: 'Vault' }, officer);
    const moved = await t.call<{ evidence: Evidence }>('evidence.transfer', { id: ev.id, to: 'Vault custodian', purpose: 'Storage' }, officer);
    expect(moved.evidence.status).toBe('sealed');
    await expect(t.call('evidence.dispose', { id: ev.id, reason: 'Case closed' }, officer)).rejects.toMatchObject({ code: 'conflict' });
    await t.call('evidence.release', { id: ev.id, purpose: 'Review by counsel' }, counsel);
    const file = blobOf(ev.id);
    expect(existsSync(file)).toBe(true);
    const d = await t.call<{ evidence: Evidence }>('evidence.dispose', { id: ev.id, reason: 'Retention period over; counsel approved' }, counsel);
    expect(d.evidence).toMatchObject({ status: 'disposed', disposedBy: 'david.okafor' });
    expect(existsSync(file)).toBe(false);
    expect(t.app.ws.db.prepare('SELECT key_salt, blob_present FROM evidence WHERE id = ?').get(ev.id)).toEqual({ key_salt: null, blob_present: 0 });
    await expect(t.call('evidence.content', { id: ev.id, purpose: 'look' }, auditor)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('evidence.dispose', { id: ev.id, reason: 'again' }, counsel)).rejects.toMatchObject({ code: 'conflict' });

    const { custody, chain } = await t.call<{ custody: { kind: string; fromParty: string | null; toParty: string | null }[]; chain: { kind: string; outcome: string }[] }>(
      'evidence.get',
      { id: ev.id },
      auditor,
    );
    expect(custody.map((c) => c.kind)).toEqual(['intake', 'transfer', 'seal', 'transfer', 'release', 'dispose']);
    expect(custody[1]).toMatchObject({ fromParty: 'maria.chen', toParty: 'Forensics lab (J. Park)' });
    // A viewer sees the same chain without the people in it (personal data, shared/roles.ts).
    const seen = await t.call<{ custody: { kind: string; fromParty: string | null; toParty: string | null }[] }>('evidence.get', { id: ev.id }, viewer);
    expect(seen.custody.map((c) => c.kind)).toEqual(custody.map((c) => c.kind));
    expect(seen.custody[1]).toMatchObject({ fromParty: RESTRICTED, toParty: RESTRICTED });
    expect(chain.map((c) => `${c.kind}:${c.outcome}`)).toEqual(
      expect.arrayContaining(['intake:success', 'transfer:success', 'release:failure', 'dispose:failure', 'dispose:success']),
    );
    const csv = await t.call<{ content: string; fileName: string }>('evidence.custodyReport', { id: ev.id, format: 'csv' }, auditor);
    expect(csv.fileName).toBe(`${ev.id}-custody.csv`);
    expect(csv.content.split('\n')[0]).toBe('ledger_seq,at,kind,actor,from,to,purpose,location,outcome');
    expect(csv.content).toContain('Forensics lab (J. Park)');
    expect(() => t.app.ws.db.prepare('DELETE FROM custody_events').run()).toThrow(/append-only/);
  });

  it('exports content only as a new file in exports/, named by the core and ledgered before the write', async () => {
    const bytes = randomBytes(70_000);
    const ev = await ingestFile(bytes, 'export-me.bin');
    const r = await t.call<ResponseOf<'evidence.export'>>('evidence.export', { id: ev.id, purpose: 'Produce to counsel' }, counsel);
    expect(r).toMatchObject({ sha256: sha(bytes), bytes: bytes.length });
    expect(r.fileName).toMatch(new RegExp(`^evidence-${ev.id}-[\\w-]*export-me\\.bin$`));
    const out = exportedPath(t, r.fileName);
    expect(readFileSync(out)).toEqual(bytes);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(lastEvent('evidence.access')).toMatchObject({ actor: 'david.okafor', details: { via: 'evidence.export', destination: r.fileName } });
    // A second export is a second file; the first is never replaced.
    const again = await t.call<ResponseOf<'evidence.export'>>('evidence.export', { id: ev.id, purpose: 'again' }, counsel);
    expect(again.fileName).toBe(r.fileName.replace(/\.bin$/, '-2.bin'));
    expect(readFileSync(out)).toEqual(bytes);
    const elsewhere = join(tempDir('custos-evidence-out-'), 'copy.bin');
    await expect(t.call('evidence.export', { id: ev.id, destPath: elsewhere, purpose: 'outside' }, counsel)).rejects.toMatchObject({ code: 'validation' });
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('logs every view, download and export of the content on the ledger and the chain of custody, which exports as CSV and JSON', async () => {
    const bytes = Buffer.from('access log sample\n');
    const ev = await ingestFile(bytes, 'access-me.txt');
    const accesses = () => t.events().filter((e) => e.action === 'evidence.access' && e.resource_id === ev.id);
    await t.call('evidence.content', { id: ev.id, purpose: 'Review for the hearing' }, auditor);
    const dl = await t.call<{ contentBase64: string }>('evidence.content', { id: ev.id, purpose: 'Copy for outside counsel', intent: 'download' }, counsel);
    expect(Buffer.from(dl.contentBase64, 'base64')).toEqual(bytes);
    await t.call('evidence.export', { id: ev.id, purpose: 'Produce to the court' }, counsel);
    expect(accesses().map((e) => [e.actor, e.details.via, e.details.purpose])).toEqual([
      ['priya.raman', 'evidence.content', 'Review for the hearing'],
      ['david.okafor', 'evidence.download', 'Copy for outside counsel'],
      ['david.okafor', 'evidence.export', 'Produce to the court'],
    ]);
    // A viewer may see the chain but never the content; the refusal is ledgered by the dispatch.
    expect((await t.result('evidence.content', { id: ev.id, purpose: 'peek', intent: 'download' }, viewer)).ok).toBe(false);

    const { chain } = await t.call<{ chain: { kind: string; actor: string; purpose: string; ledgerSeq: number }[] }>('evidence.get', { id: ev.id }, viewer);
    expect(chain.map((c) => c.kind)).toEqual(['intake', 'view', 'download', 'export']);
    expect(chain.map((c) => c.ledgerSeq)).toEqual(chain.map((c) => c.ledgerSeq).sort((a, b) => a - b));
    // The report is nothing but restricted data (titles, parties, purposes): a viewer is refused it.
    expect(await t.result('evidence.custodyReport', { id: ev.id, format: 'json' }, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const json = await t.call<{ content: string; fileName: string; mediaType: string }>('evidence.custodyReport', { id: ev.id, format: 'json' }, auditor);
    expect(json).toMatchObject({ fileName: `${ev.id}-custody.json`, mediaType: 'application/json' });
    const parsed = JSON.parse(json.content) as { evidence: { id: string; sha256: string }; chain: { kind: string; purpose: string }[] };
    expect(parsed.evidence).toMatchObject({ id: ev.id, sha256: sha(bytes) });
    expect(parsed.chain[0]?.kind).toBe('intake');
    expect(parsed.chain.slice(1).map((c) => `${c.kind}:${c.purpose}`)).toEqual(['view:Review for the hearing', 'download:Copy for outside counsel', 'export:Produce to the court']);
    // Exporting the chain is itself on record, and shows on the chain from then on.
    expect(lastEvent('evidence.custodyReport')).toMatchObject({ actor: 'priya.raman', resource_id: ev.id, details: { format: 'json', entries: 4 } });
    const csv = await t.call<{ content: string }>('evidence.custodyReport', { id: ev.id, format: 'csv' }, auditor);
    const lines = csv.content.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toContain('custodyReport');
  });

  it('sweeps orphan ciphertext and abandoned partial files that the database does not claim', async () => {
    const ev = await ingestFile(randomBytes(300), 'orphan-source.bin');
    const orphan = join(t.dir, 'evidence', 'deadbeef-0000-4000-8000-000000000000.cev');
    copyFileSync(blobOf(ev.id), orphan);
    writeFileSync(join(t.dir, 'evidence', 'abandoned.partial'), randomBytes(64));
    await t.call('evidence.list', {}, viewer);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(join(t.dir, 'evidence', 'abandoned.partial'))).toBe(false);
    expect(existsSync(blobOf(ev.id))).toBe(true);
  });
});

describe('re-verification', () => {
  it('flags a tampered ciphertext loudly: integrity_failed, a failure event, content refused', async () => {
    const bytes = randomBytes(2 * CHUNK + 10);
    const ev = await ingestFile(bytes, 'tamper.bin');
    const file = blobOf(ev.id);
    const raw = readFileSync(file);
    raw[HEADER + CHUNK + 100] = (raw[HEADER + CHUNK + 100] ?? 0) ^ 0x01;
    writeFileSync(file, raw);
    const v = await t.call<{ valid: boolean; reason: string; evidence: Evidence }>('evidence.verify', { id: ev.id }, auditor);
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/Chunk 1 .*failed authentication/);
    expect(v.evidence.integrity).toBe('integrity_failed');
    expect(lastEvent('evidence.verify')).toMatchObject({ outcome: 'failure', resource_id: ev.id, details: { valid: false, expected: ev.sha256 } });
    const flagged = await t.call<{ items: Evidence[] }>('evidence.list', { integrity: 'integrity_failed' }, viewer);
    expect(flagged.items.map((e) => e.id)).toContain(ev.id);
    await expect(t.call('evidence.content', { id: ev.id, purpose: 'look' }, auditor)).rejects.toMatchObject({ code: 'integrity' });
    raw[HEADER + CHUNK + 100] = (raw[HEADER + CHUNK + 100] ?? 0) ^ 0x01;
    writeFileSync(file, raw);
    const restored = await t.call<{ valid: boolean; evidence: Evidence }>('evidence.verify', { id: ev.id }, auditor);
    expect(restored).toMatchObject({ valid: true, evidence: { integrity: 'ok' } });
  });

  it('detects truncation at a chunk boundary, reordered chunks and a changed hash record', async () => {
    const bytes = randomBytes(3 * CHUNK);
    const ev = await ingestFile(bytes, 'struct.bin');
    const file = blobOf(ev.id);
    const good = readFileSync(file);
    const seg = CHUNK + TAG;
    writeFileSync(file, good.subarray(0, HEADER + 2 * seg));
    expect((await t.call<{ valid: boolean }>('evidence.verify', { id: ev.id }, auditor)).valid).toBe(false);
    const swapped = Buffer.concat([good.subarray(0, HEADER), good.subarray(HEADER + seg, HEADER + 2 * seg), good.subarray(HEADER, HEADER + seg), good.subarray(HEADER + 2 * seg)]);
    writeFileSync(file, swapped);
    expect((await t.call<{ valid: boolean }>('evidence.verify', { id: ev.id }, auditor)).valid).toBe(false);
    writeFileSync(file, Buffer.concat([good, good.subarray(HEADER, HEADER + TAG + 5)]));
    expect((await t.call<{ valid: boolean }>('evidence.verify', { id: ev.id }, auditor)).valid).toBe(false);
    writeFileSync(file, good);
    expect((await t.call<{ valid: boolean }>('evidence.verify', { id: ev.id }, auditor)).valid).toBe(true);
    t.app.ws.db.prepare('UPDATE evidence SET sha256 = ? WHERE id = ?').run('0'.repeat(64), ev.id);
    const v = await t.call<{ valid: boolean; reason: string; actual: string }>('evidence.verify', { id: ev.id }, auditor);
    expect(v).toMatchObject({ valid: false, actual: sha(bytes) });
    expect(v.reason).toMatch(/SHA-256/);
  });
});

describe('plaintext never reaches the disk', () => {
  function scan(dir: string, needle: Buffer, hits: string[], depth = 0): void {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p, { throwIfNoEntry: false });
      } catch {
        continue;
      }
      if (!st) continue;
      if (st.isDirectory()) {
        if (depth < 12) scan(p, needle, hits, depth + 1);
      } else if (st.isFile() && st.size >= needle.length && st.size < 64 * 1024 * 1024) {
        try {
          if (readFileSync(p).indexOf(needle) !== -1) hits.push(p);
        } catch {
          // unreadable (another user's file): not ours
        }
      }
    }
  }

  it('keeps a canary out of the workspace folder and the temp folder through ingest, view, verify and lock', async () => {
    const canary = Buffer.from(`CANARY-${randomBytes(24).toString('hex')}-CANARY`);
    const bytes = Buffer.concat([randomBytes(CHUNK - 10), canary, randomBytes(CHUNK), canary]);
    const path = join(src, 'canary-source.bin');
    writeFileSync(path, bytes);
    const { evidence } = await t.call<{ evidence: Evidence }>('evidence.ingestFile', { grant: await pathGrant(t, officer, 'evidence', path), title: 'Canary', source: 'Test' }, officer);
    const small = await t.call<{ evidence: Evidence }>(
      'evidence.ingestContent',
      { fileName: 'canary.txt', contentBase64: Buffer.concat([Buffer.from('note: '), canary]).toString('base64'), title: 'Canary note', source: 'Upload' },
      officer,
    );
    expect(await content(evidence.id)).toEqual(bytes);
    expect((await content(small.evidence.id)).includes(canary)).toBe(true);
    await t.call('evidence.verify', { id: evidence.id }, auditor);
    await t.call('evidence.transfer', { id: evidence.id, to: 'Vault', purpose: 'Storage' }, officer);
    // The source is the user's own file; remove it so that only copies Custos made could match.
    const { rmSync } = await import('node:fs');
    rmSync(path);
    const hits: string[] = [];
    scan(t.dir, canary, hits);
    const { tmpdir } = await import('node:os');
    scan(tmpdir(), canary, hits);
    expect(hits).toEqual([]);
    t.lock();
    scan(t.dir, canary, hits);
    expect(hits).toEqual([]);
    t.admin = await t.login();
    officer = await t.login('maria.chen');
    counsel = await t.login('david.okafor');
    auditor = await t.login('priya.raman');
    viewer = await t.login('sam.wright');
    expect(await content(evidence.id)).toEqual(bytes);
  });
});

describe('evidence roles', () => {
  it('lets auditors verify and view but never change custody; viewers only see metadata', async () => {
    const ev = await ingestFile(randomBytes(64), 'roles.bin');
    for (const session of [auditor, viewer]) {
      for (const [channel, input] of [
        ['evidence.ingestContent', { fileName: 'x.txt', contentBase64: 'eA==', title: 'x', source: 'y' }],
        ['evidence.ingestFile', { grant: 'x'.repeat(32), title: 'x', source: 'y' }],
        ['evidence.transfer', { id: ev.id, to: 'Someone', purpose: 'Because' }],
        ['evidence.seal', { id: ev.id, purpose: 'Because' }],
        ['evidence.release', { id: ev.id, purpose: 'Because' }],
        ['evidence.dispose', { id: ev.id, reason: 'Because' }],
      ] as const) {
        const r = await t.result(channel, input, session);
        expect(r.ok ? 'ok' : r.error.code, channel).toBe('forbidden');
        expect(lastEvent(channel)?.outcome).toBe('denied');
      }
    }
    expect((await t.call<{ valid: boolean }>('evidence.verify', { id: ev.id }, auditor)).valid).toBe(true);
    expect((await t.result('evidence.verify', { id: ev.id }, viewer)).ok).toBe(false);
    expect((await t.result('evidence.content', { id: ev.id, purpose: 'peek' }, viewer)).ok).toBe(false);
    expect((await t.call<{ evidence: Evidence }>('evidence.get', { id: ev.id }, viewer)).evidence.status).toBe('collected');
  });
});
