import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadTickets, exportedFile } from '../../electron/core/files/downloads.js';
import { startLoopbackServer, type LoopbackServer } from '../../electron/server.js';
import { rawRequest, type Reply } from './helpers/http.js';
import { makeBundle } from './helpers/outputs.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Files leave the workspace only from its exports folder, hashed and ledgered, through a one-time ticket.

let t: TempWorkspace;
let server: LoopbackServer;
let bundlePath = '';
let bundleName = '';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const get = (path: string, token?: string): Promise<Reply> => rawRequest(server.port, 'GET', path, token ? { authorization: `Bearer ${token}` } : {});

beforeAll(async () => {
  t = await createTempWorkspace();
  server = await startLoopbackServer(t.app, t.dispatch, { rendererDir: tempDir() });
  ({ path: bundlePath, fileName: bundleName } = await makeBundle(t, {}, t.admin));
});

afterAll(async () => {
  await server.close();
  removeTempDirs();
});

describe('files.download', () => {
  it('hands over a bundle once: the ticket streams the exact bytes, the hand-over is ledgered with their hash', async () => {
    const auditor = await t.addUser('ada.auditor', 'auditor');
    const r = await t.call<{ ticket: string; fileName: string; bytes: number; sha256: string }>('files.download', { fileName: bundleName }, auditor);
    const onDisk = readFileSync(bundlePath);
    expect(r.sha256).toBe(sha256(onDisk));
    expect(r.bytes).toBe(onDisk.length);
    const event = t.events().at(-1)!;
    expect(event).toMatchObject({ actor: 'ada.auditor', action: 'files.download', outcome: 'success', resource_id: r.fileName });
    expect(event.details).toMatchObject({ sha256: r.sha256, bytes: r.bytes });

    const first = await get(`/api/download/${r.ticket}`, server.token);
    expect(first.status).toBe(200);
    expect(String(first.headers['content-disposition'])).toContain(`filename="${r.fileName}"`);
    expect(sha256(first.body)).toBe(r.sha256);
    const again = await get(`/api/download/${r.ticket}`, server.token);
    expect(again.status).toBe(404);
  });

  it('refuses the download route without the host token', async () => {
    const r = await t.call<{ ticket: string }>('files.download', { fileName: bundleName }, t.admin);
    expect((await get(`/api/download/${r.ticket}`)).status).toBe(401);
    // The refused attempt did not spend the ticket.
    expect((await get(`/api/download/${r.ticket}?token=${server.token}`)).status).toBe(200);
  });

  it('takes a bare file name only: every path (absolute, relative, either separator, to the file itself) is refused and ledgered', async () => {
    const exportsDir = join(t.dir, 'exports');
    const paths = [bundlePath, join(exportsDir, bundleName), `./${bundleName}`, `exports/${bundleName}`, `..\\exports\\${bundleName}`, `${bundleName}/`, `.${bundleName}`, '..', '.', '', `${bundleName}\u0000`];
    for (const fileName of paths) {
      const before = t.eventCount();
      const r = await t.result('files.download', { fileName }, t.admin);
      expect(r.ok, fileName).toBe(false);
      expect(t.eventCount(), fileName).toBe(before + 1);
      expect(['denied', 'failure']).toContain(t.events().at(-1)!.outcome);
    }
    // The core's own check holds too, for a caller that skips the contract.
    for (const fileName of paths) expect(() => exportedFile(t.app.ws, fileName), fileName).toThrow(/name alone|no such file/);
    expect(exportedFile(t.app.ws, bundleName)).toBe(realpathSync(bundlePath));
  });

  it('refuses anything outside the exports folder, symlinks out of it and temporary files, and ledgers each refusal', async () => {
    const exportsDir = join(t.dir, 'exports');
    symlinkSync(join(t.dir, 'custos.db'), join(exportsDir, 'innocent.zip'));
    mkdirSync(join(exportsDir, '.bundle-running'));
    writeFileSync(join(exportsDir, '.bundle-running', 'part.zip'), 'partial');
    const hostile = ['custos.db', 'keyslots.json', 'innocent.zip', '.bundle-running', 'no-such-file.zip', '/etc/passwd', '../custos.db'];
    for (const path of hostile) {
      const before = t.eventCount();
      const r = await t.result('files.download', { fileName: path }, t.admin);
      expect(r.ok, path).toBe(false);
      if (!r.ok) expect(['forbidden', 'not_found', 'validation']).toContain(r.error.code);
      expect(t.eventCount(), path).toBe(before + 1);
      const last = t.events().at(-1)!;
      expect(last.action).toBe('files.download');
      expect(['denied', 'failure']).toContain(last.outcome);
    }
  });

  it('is denied to a viewer', async () => {
    const viewer = await t.addUser('vic.viewer', 'viewer');
    const r = await t.result('files.download', { fileName: bundleName }, viewer);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
  });

  it('tickets expire and die at lock', () => {
    const tickets = new DownloadTickets();
    const d = { path: '/x', fileName: 'x', bytes: 1, sha256: '0'.repeat(64) };
    const old = tickets.issue(d, 0);
    expect(tickets.redeem(old, 120_001)).toBeNull();
    const live = tickets.issue(d);
    tickets.clear();
    expect(tickets.redeem(live)).toBeNull();
  });
});
