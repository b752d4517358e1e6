import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../shared/contract/exports.js';
import { writeFileStreaming } from '../../electron/core/fs/atomic.js';
import { copyExportTo } from '../../electron/core/exports/requests.js';
import { exportedPath } from './helpers/outputs.js';
import { CallError, createTempWorkspace, removeTempDirs, tempDir } from './helpers/workspace.js';

afterAll(removeTempDirs);

type R = { request: ExportRequest };

describe('export requests', () => {
  it("honours a subject's directory-information opt-out in every masked export: student id, name and email never appear", async () => {
    const t = await createTempWorkspace();
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const student = { externalId: 'S-77123', displayName: 'Jordan Pike', email: 'jordan.pike@example.edu' };
    await t.call('subjects.create', { ...student, directoryOptOut: true }, t.admin);
    // The student id reaches the ledger through the subject's own event (names and note bodies stay out of it).
    const kase = await t.call<{ case: { id: string } }>('cases.create', { title: 'Records request of Jordan Pike', type: 'investigation' }, t.admin);
    await t.call('cases.addNote', { id: kase.case.id, body: `Called Jordan Pike (${student.externalId}, ${student.email}) back.` }, t.admin);
    const raw = JSON.stringify(t.events());
    expect(raw, 'the fixture puts the student id in the ledger').toContain(student.externalId);
    for (const masking of ['pseudonymize-people', 'redact-details']) {
      const { request } = await t.call<R>('exports.request', { title: `Opt-out check ${masking}`, type: 'AUDIT', format: 'ndjson', masking, purpose: 'Audit of opt-outs', recipient: 'Auditor' }, t.admin);
      if (request.status === 'pending') await t.call('exports.approve', { id: request.id }, counsel);
      const done = await t.call<R>('exports.execute', { id: request.id }, t.admin);
      const text = readFileSync(exportedPath(t, done.request.fileName!), 'utf8');
      expect(done.request.rows, masking).toBeGreaterThan(3);
      for (const value of Object.values(student)) expect(text, `${masking}: ${value}`).not.toContain(value);
    }
  });

  it('needs a different user to approve, then writes the file and records its SHA-256 with a checkpoint', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const { request } = await t.call<R>(
      'exports.request',
      { title: 'Regulator audit trail', type: 'REGULATORY', format: 'csv', filters: { actor: 'admin' }, masking: 'none', purpose: 'Annual review', recipient: 'State DOE' },
      officer,
    );
    expect(request.status).toBe('pending');

    const early = await t.result('exports.execute', { id: request.id }, officer);
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.error.code).toBe('conflict');

    const self = await t.result('exports.approve', { id: request.id }, officer);
    expect(self.ok).toBe(false);
    if (!self.ok) {
      expect(self.error.code).toBe('forbidden');
      expect(self.error.message).toMatch(/different user/);
    }

    const approved = await t.call<R>('exports.approve', { id: request.id, note: 'ok for DOE' }, counsel);
    expect(approved.request.status).toBe('approved');
    expect(approved.request.decidedBy).toBe('david.okafor');

    const checkpointsBefore = (t.app.ws.db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
    const done = await t.call<R>('exports.execute', { id: request.id }, officer);
    expect(done.request.status).toBe('executed');
    const file = exportedPath(t, done.request.fileName!);
    const bytes = readFileSync(file);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.request.sha256);
    expect(bytes.length).toBe(done.request.bytes);
    const lines = bytes.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,ts,actor,action/);
    expect(lines.length - 1).toBe(done.request.rows);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'admin')).toBe(true);
    const checkpointsAfter = (t.app.ws.db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
    expect(checkpointsAfter).toBeGreaterThan(checkpointsBefore);

    const trail = t.events().filter((e) => e.resource_id === request.id).map((e) => [e.action, e.outcome, e.actor]);
    expect(trail).toEqual([
      ['exports.request', 'success', 'maria.chen'],
      ['exports.execute', 'failure', 'maria.chen'],
      ['exports.approve', 'denied', 'maria.chen'],
      ['exports.approve', 'success', 'david.okafor'],
      ['exports.execute', 'success', 'maria.chen'],
    ]);
    const executed = t.events().find((e) => e.action === 'exports.execute' && e.outcome === 'success')!;
    expect(executed.details.sha256).toBe(done.request.sha256);

    const again = await t.result('exports.execute', { id: request.id }, officer);
    expect(again.ok).toBe(false);
  });

  it('refuses auditors and viewers where policy says so, and lets masked INTERNAL exports without the evidence register run without approval', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('sam.wright', 'viewer');
    const denied = await t.result('exports.request', { title: 'x export', type: 'INTERNAL', format: 'json', purpose: 'why not', recipient: 'me' }, viewer);
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.code).toBe('forbidden');

    const { request } = await t.call<R>('exports.request', { title: 'Internal JSON', type: 'INTERNAL', format: 'json', masking: 'redact-people', purpose: 'self check', recipient: 'me' }, t.admin);
    expect(request.status).toBe('approved');
    expect(request.decidedBy).toBe('policy');
    const done = await t.call<R>('exports.execute', { id: request.id }, t.admin);
    const out = exportedPath(t, done.request.fileName!);
    expect(dirname(out)).toBe(join(t.dir, 'exports'));
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { events: { seq: number }[]; meta: { checkpoint: { size: number } } };
    expect(doc.events.length).toBe(done.request.rows);
    expect(doc.events.every((e) => e.seq <= doc.meta.checkpoint.size)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);

    const clash = await t.result('exports.execute', { id: request.id }, t.admin);
    expect(clash.ok).toBe(false);
  });

  it('masks people so that no masked value appears in the file', async () => {
    const t = await createTempWorkspace();
    await t.addUser('grace.hopper', 'compliance_officer');
    const { request } = await t.call<R>('exports.request', { title: 'Masked', type: 'INTERNAL', format: 'ndjson', masking: 'pseudonymize-people', purpose: 'share', recipient: 'vendor' }, t.admin);
    const done = await t.call<R>('exports.execute', { id: request.id }, t.admin);
    const text = readFileSync(exportedPath(t, done.request.fileName!), 'utf8');
    expect(text).not.toContain('grace.hopper');
    expect(text).toMatch(/anon-[0-9a-f]{16}/);
  });

  it('cancelling leaves no file and the request can run again', async () => {
    const t = await createTempWorkspace();
    const dir = join(t.dir, 'exports');
    const { request } = await t.call<R>('exports.request', { title: 'Cancel me', type: 'INTERNAL', format: 'csv', masking: 'redact-people', purpose: 'test', recipient: 'me' }, t.admin);
    const running = t.result('exports.execute', { id: request.id, jobId: 'job-cancel-1' }, t.admin);
    await t.call('jobs.cancel', { jobId: 'job-cancel-1' }, t.admin);
    const r = await running;
    // The cancel is dispatched while the export awaits its first file operation, so it always lands.
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    expect(readdirSync(dir)).toEqual([]);
    const after = t.events().filter((e) => e.resource_id === request.id).map((e) => [e.action, e.outcome]);
    expect(after).toEqual([['exports.request', 'success'], ['exports.execute', 'failure']]);
    const again = await t.call<R>('exports.execute', { id: request.id }, t.admin);
    expect(again.request.status).toBe('executed');
  });

  it("decides approval by content: the auditor's INTERNAL unmasked evidence-register request waits for a second person", async () => {
    const t = await createTempWorkspace();
    const auditor = await t.addUser('ann.auditor', 'auditor');
    const ask = (input: Record<string, unknown>) =>
      t.call<R>('exports.request', { title: 'Register extract', type: 'INTERNAL', format: 'json', purpose: 'Audit sample', recipient: 'Audit file', ...input }, auditor);
    const register = await ask({ includeEvidence: true, masking: 'none' });
    expect(register.request).toMatchObject({ status: 'pending', decidedBy: null, decidedAt: null });
    const event = t.events().find((e) => e.action === 'exports.request' && e.resource_id === register.request.id)!;
    expect(event.details).toMatchObject({ approval: 'required', approval_reasons: ['evidence-register', 'unmasked-personal-data'] });
    // Unmasked people, or a profile that leaves actors and person ids readable, or the register even masked: all wait.
    expect((await ask({ masking: 'none' })).request.status).toBe('pending');
    expect((await ask({ masking: 'redact-details' })).request.status).toBe('pending');
    expect((await ask({ includeEvidence: true, masking: 'pseudonymize-people' })).request.status).toBe('pending');
    // Only masked content without the register is approved by policy.
    const masked = await ask({ masking: 'pseudonymize-people' });
    expect(masked.request).toMatchObject({ status: 'approved', decidedBy: 'policy' });
    // Nobody decides their own; an approver decides the auditor's.
    const self = await t.result('exports.approve', { id: register.request.id }, auditor);
    expect(self.ok).toBe(false);
    expect((await t.call<R>('exports.approve', { id: register.request.id }, t.admin)).request.decidedBy).toBe('admin');
  });

  it('an approved request can be run only by its requester: anyone else is refused, and the refusal is ledgered', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const counsel = await t.addUser('david.okafor', 'legal_counsel');
    const { request } = await t.call<R>('exports.request', { title: 'Evidence register', type: 'AUDIT', format: 'json', includeEvidence: true, purpose: 'Audit', recipient: 'Auditor' }, officer);
    await t.call('exports.approve', { id: request.id }, counsel);
    for (const [who, session] of [['david.okafor', counsel], ['admin', t.admin]] as const) {
      const before = t.eventCount();
      const r = await t.result('exports.execute', { id: request.id }, session);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('forbidden');
        expect(r.error.message).toMatch(/Only maria\.chen, who requested/);
      }
      expect(t.events().slice(before).map((e) => [e.action, e.outcome, e.actor, e.resource_id])).toEqual([['exports.execute', 'denied', who, request.id]]);
    }
    expect(readdirSync(join(t.dir, 'exports'))).toEqual([]);
    const done = await t.call<R>('exports.execute', { id: request.id }, officer);
    expect(done.request).toMatchObject({ status: 'executed', executedBy: 'maria.chen' });
  });

  it('runs an approved request once: a second run while the first is writing is refused', async () => {
    const t = await createTempWorkspace();
    const { request } = await t.call<R>('exports.request', { title: 'Masked', type: 'INTERNAL', format: 'ndjson', masking: 'redact-people', purpose: 'share', recipient: 'me' }, t.admin);
    const first = t.result('exports.execute', { id: request.id }, t.admin);
    const second = await t.result('exports.execute', { id: request.id }, t.admin);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await first).ok).toBe(true);
    expect(readdirSync(join(t.dir, 'exports'))).toHaveLength(1);
  });

  it('refuses an output path: the file always goes to exports/', async () => {
    const t = await createTempWorkspace();
    const { request } = await t.call<R>('exports.request', { title: 'Masked', type: 'INTERNAL', format: 'csv', masking: 'redact-people', purpose: 'share', recipient: 'me' }, t.admin);
    const out = join(tempDir(), 'elsewhere.csv');
    const before = t.eventCount();
    const r = await t.result('exports.execute', { id: request.id, outPath: out }, t.admin);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('validation');
    expect(existsSync(out)).toBe(false);
    expect(t.events().slice(before).map((e) => [e.action, e.outcome])).toEqual([['exports.execute', 'failure']]);
    expect(readdirSync(join(t.dir, 'exports'))).toEqual([]);
    expect((t.app.ws.db.prepare('SELECT status FROM export_requests WHERE id = ?').get(request.id) as { status: string }).status).toBe('approved');
  });

  it('never opens a planted *.partial file or link: it stays untouched, and the export is written beside it', async () => {
    const t = await createTempWorkspace();
    const dir = join(t.dir, 'exports');
    const victim = join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'do not touch');
    const { request } = await t.call<R>('exports.request', { title: 'Masked', type: 'INTERNAL', format: 'csv', masking: 'redact-people', purpose: 'share', recipient: 'me' }, t.admin);
    const planted = join(dir, `${request.id}.csv.partial`);
    writeFileSync(planted, 'planted');
    const link = join(dir, `${request.id}-planted.csv.partial`);
    if (process.platform !== 'win32') symlinkSync(victim, link);
    const done = await t.call<R>('exports.execute', { id: request.id }, t.admin);
    expect(readFileSync(planted, 'utf8')).toBe('planted');
    expect(readFileSync(victim, 'utf8')).toBe('do not touch');
    expect(readdirSync(dir).sort()).toEqual([done.request.fileName!, basename(planted), ...(process.platform !== 'win32' ? [basename(link)] : [])].sort());

    // The writer itself: the old predictable partial name beside the output, a link to the victim, is never written through.
    const out = join(tempDir(), 'direct.csv');
    if (process.platform !== 'win32') symlinkSync(victim, `${out}.partial`);
    const written = await writeFileStreaming(Readable.from(['a,b\r\n']), out);
    expect(written.bytes).toBe(5);
    expect(readFileSync(victim, 'utf8')).toBe('do not touch');
    expect(readFileSync(out, 'utf8')).toBe('a,b\r\n');
    // Nor is an existing output replaced.
    const clash = await writeFileStreaming(Readable.from(['x']), out).catch((e: unknown) => e);
    expect((clash as { code?: string }).code).toBe('conflict');
    expect(readFileSync(out, 'utf8')).toBe('a,b\r\n');
  });

  it('copies an executed export out for the command line: only its executor, never over a file, owner-only, ledgered', async () => {
    const t = await createTempWorkspace();
    await t.addUser('maria.chen', 'compliance_officer');
    const { request } = await t.call<R>('exports.request', { title: 'Masked', type: 'INTERNAL', format: 'csv', masking: 'redact-people', purpose: 'share', recipient: 'me' }, t.admin);
    const done = await t.call<R>('exports.execute', { id: request.id }, t.admin);
    const dest = join(tempDir(), 'copy.csv');
    const copy = await copyExportTo(t.app.ws, { actor: 'admin' }, request.id, dest);
    expect(copy).toMatchObject({ path: dest, sha256: done.request.sha256, bytes: done.request.bytes });
    expect(readFileSync(dest)).toEqual(readFileSync(exportedPath(t, done.request.fileName!)));
    if (process.platform !== 'win32') expect(statSync(dest).mode & 0o777).toBe(0o600);
    expect(t.events().at(-1)).toMatchObject({ action: 'exports.copy', actor: 'admin', outcome: 'success', details: { path: dest, sha256: done.request.sha256 } });
    await expect(copyExportTo(t.app.ws, { actor: 'admin' }, request.id, dest)).rejects.toMatchObject({ code: 'conflict' });
    await expect(copyExportTo(t.app.ws, { actor: 'maria.chen' }, request.id, join(tempDir(), 'mine.csv'))).rejects.toMatchObject({ code: 'forbidden' });
    expect(t.events().slice(-2).map((e) => [e.action, e.outcome, e.actor])).toEqual([
      ['exports.copy', 'failure', 'admin'],
      ['exports.copy', 'denied', 'maria.chen'],
    ]);
  });

  it('rejects with a reason, after which nothing can run', async () => {
    const t = await createTempWorkspace();
    const officer = await t.addUser('maria.chen', 'compliance_officer');
    const { request } = await t.call<R>('exports.request', { title: 'Legal pack', type: 'LEGAL', format: 'pdf', purpose: 'litigation', recipient: 'Outside counsel' }, officer);
    const rejected = await t.call<R>('exports.reject', { id: request.id, reason: 'Scope too wide' }, t.admin);
    expect(rejected.request.status).toBe('rejected');
    await expect(t.call('exports.execute', { id: request.id }, officer)).rejects.toBeInstanceOf(CallError);
  });
});
