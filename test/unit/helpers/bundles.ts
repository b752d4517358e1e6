import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import type { SigningKey } from '../../../electron/core/ledger/signing.js';
import { signBytes } from '../../../electron/core/ledger/signing.js';
import { readZipSafely } from '../../../electron/core/zip/zip-read.js';
import { writeZip } from '../../../electron/core/zip/zip-write.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import type { TempWorkspace } from './workspace.js';

/** Appends `n` ordinary events to an open test workspace (three actors, a few actions, some details). */
export function seedEvents(t: TempWorkspace, n: number, tag = 'seed'): void {
  const ws = t.app.ws;
  const actors = ['maria.chen', 'david.okafor', 'priya.raman'];
  const actions = ['records.view', 'cases.update', 'evidence.custody.transfer'];
  ws.tx(() => {
    for (let i = 0; i < n; i++) {
      ws.ledger.append({
        actor: actors[i % 3]!,
        action: actions[Math.floor(i / 3) % 3]!,
        resource_type: 'record',
        resource_id: `S-${1000 + (i % 17)}`,
        outcome: i % 11 === 0 ? 'denied' : 'success',
        details: { tag, n: i, note: i % 5 === 0 ? 'ü ✓ "quoted", line\nbreak' : 'routine' },
      });
    }
  });
}

/**
 * The signing key id a bundle's manifest names (what a person confirms, as a fingerprint, at the
 * first import of a workspace); undefined when the manifest cannot be read.
 */
export async function bundleKeyId(path: string): Promise<string | undefined> {
  try {
    const zip = await readZipSafely(path);
    try {
      const manifest = JSON.parse((await zip.readBuffer('manifest.json', 1024 * 1024)).toString('utf8')) as { checkpoint?: { key_id?: unknown } };
      return typeof manifest.checkpoint?.key_id === 'string' ? manifest.checkpoint.key_id : undefined;
    } finally {
      zip.close();
    }
  } catch {
    return undefined;
  }
}

/** Every entry of a bundle, read through the safe reader. */
export async function readEntries(path: string): Promise<Map<string, Buffer>> {
  const zip = await readZipSafely(path);
  try {
    const out = new Map<string, Buffer>();
    for (const name of zip.entries.keys()) out.set(name, await zip.readBuffer(name, 512 * 1024 * 1024));
    return out;
  } finally {
    zip.close();
  }
}

/** Writes entries as an honest ZIP (the structure is fine; the content is whatever the test made it). */
export async function writeEntries(path: string, entries: Map<string, Buffer>): Promise<void> {
  await writeZip(
    path,
    [...entries].map(([name, data]) => ({ path: name, source: data })),
  );
}

/**
 * What an attacker who holds the signing key does after editing files: recompute every file's hash
 * and size in the manifest and sign it again, so only the deeper checks can catch the edit.
 */
export function resign(entries: Map<string, Buffer>, key: SigningKey, editManifest?: (m: Record<string, unknown>) => void): void {
  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Record<string, unknown> & {
    files: { path: string; sha256: string; bytes: number }[];
  };
  manifest.files = manifest.files
    .filter((f) => entries.has(f.path))
    .map((f) => {
      const data = entries.get(f.path)!;
      return { path: f.path, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
    });
  editManifest?.(manifest);
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  entries.set('manifest.json', bytes);
  entries.set('manifest.sig', signBytes(key, bytes));
}

/** The events of a bundle's events.ndjson. */
export function bundleEvents(entries: Map<string, Buffer>): LedgerEvent[] {
  return entries
    .get('events.ndjson')!
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as LedgerEvent);
}

/** Replaces events.ndjson with these events (canonical lines, as the writer would). */
export function setBundleEvents(entries: Map<string, Buffer>, events: LedgerEvent[], canonical: (e: unknown) => Buffer): void {
  entries.set('events.ndjson', Buffer.concat(events.map((e) => Buffer.concat([canonical(e), Buffer.from('\n')]))));
}

/** Everything that makes up a workspace's state, in comparable form. */
export interface WorkspaceSnapshot {
  /** Hash of every file except the database files (which the one rejection event must change). */
  files: Record<string, string>;
  /** Hash of the contents of every table except the ledger's own (events, merkle_nodes). */
  tables: Record<string, string>;
  events: number;
}

const DB_FILES = new Set(['custos.db', 'custos.db-wal', 'custos.db-shm']);

function walk(dir: string, root: string, out: Record<string, string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(root, path);
    if (statSync(path).isDirectory()) {
      out[`${rel}/`] = 'dir';
      walk(path, root, out);
    } else if (!DB_FILES.has(rel)) {
      out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  }
}

/** Hashes every file of the workspace folder and every non-ledger table of its open database. */
export function snapshot(t: TempWorkspace): WorkspaceSnapshot {
  const files: Record<string, string> = {};
  walk(t.dir, t.dir, files);
  const db = t.app.ws.db;
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => n !== 'events' && n !== 'merkle_nodes');
  const tables: Record<string, string> = {};
  for (const name of names) {
    const rows = db.prepare(`SELECT * FROM "${name}"`).all();
    const text = rows
      .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
      .sort()
      .join('\n');
    tables[name] = createHash('sha256').update(text).digest('hex');
  }
  return { files, tables, events: t.eventCount() };
}

/**
 * "Unchanged except one ledger event": every file but the database byte-identical, every table but
 * the ledger's identical, and exactly one new event, the failed 'imports.run' that says why.
 */
export function expectOnlyRejectionRecorded(t: TempWorkspace, before: WorkspaceSnapshot, reason: RegExp): void {
  const after = snapshot(t);
  expect(after.files).toEqual(before.files);
  expect(after.tables).toEqual(before.tables);
  expect(after.events).toBe(before.events + 1);
  const last = t.events().at(-1)!;
  expect(last).toMatchObject({ action: 'imports.run', outcome: 'failure' });
  expect(String(last.details.reason)).toMatch(reason);
}
