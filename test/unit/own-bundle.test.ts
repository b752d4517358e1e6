import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { OWN_BUNDLE_REASON } from '../../electron/core/imports/import-bundle.js';
import { readEntries, seedEvents, writeEntries } from './helpers/bundles.js';
import { pathGrant } from './helpers/grants.js';
import { makeBundle, type MadeBundle } from './helpers/outputs.js';
import { createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Issue 15 item 5: a valid bundle brought back into the workspace that made it is said to be valid
// and not importable here, instead of "INVALID / REJECTED, malformed".

type Imported = ResponseOf<'imports.run'>;

let ws: TempWorkspace;
let bundle: MadeBundle;

beforeAll(async () => {
  ws = await createTempWorkspace({ name: 'District Records' });
  seedEvents(ws, 40);
  bundle = await makeBundle(ws, {}, ws.admin);
});
afterAll(() => {
  ws.app.shutdown();
  removeTempDirs();
});

async function importInto(t: TempWorkspace, path: string, fingerprint?: string): Promise<Imported> {
  return t.call<Imported>('imports.run', { grant: await pathGrant(t, t.admin, 'bundle', path), ...(fingerprint ? { trustFingerprint: fingerprint } : {}) }, t.admin);
}

describe('a bundle imported into its own workspace', () => {
  it('is reported valid, with every check passed, and not imported, for that reason alone', async () => {
    const before = ws.eventCount();
    const r = await importInto(ws, bundle.path);
    expect(r.accepted).toBe(false);
    expect(r.report.valid).toBe(true);
    expect(r.report.problems).toEqual([]);
    expect(r.report.summary).toMatch(/^VALID/);
    expect(r.reason).toBe(OWN_BUNDLE_REASON);
    expect(r.reason).toMatch(/is valid/);
    expect(r.reason).toMatch(/cannot import its own/);
    expect(r.bundle?.workspaceId).toBe(ws.workspaceId);
    // Nothing staged stays behind, and the refusal is one ledger event with the same sentence.
    expect(ws.app.ws.db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
    const after = ws.eventsAfter(before);
    expect(after.filter((e) => e.action === 'imports.run').map((e) => [e.outcome, e.details.reason])).toEqual([['failure', OWN_BUNDLE_REASON]]);
  });

  it('is still judged on its content: a tampered one of its own is INVALID for what is wrong with it', async () => {
    const entries = await readEntries(bundle.path);
    const lines = entries.get('events.ndjson')!.toString('utf8');
    entries.set('events.ndjson', Buffer.from(lines.replace('"success"', '"denied"'), 'utf8'));
    const tampered = join(tempDir('custos-own-'), 'tampered.zip');
    await writeEntries(tampered, entries);
    const r = await importInto(ws, tampered);
    expect(r.accepted).toBe(false);
    expect(r.report.valid).toBe(false);
    expect(r.reason).not.toBe(OWN_BUNDLE_REASON);
  });

  it('imports into another workspace as it is', async () => {
    const other = await createTempWorkspace({ name: 'State auditor' });
    try {
      const r = await importInto(other, bundle.path, bundle.fingerprint);
      expect(r.accepted).toBe(true);
      expect(r.report.valid).toBe(true);
    } finally {
      other.app.shutdown();
    }
  });
});
