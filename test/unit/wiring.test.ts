import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundlePartContributor } from '../../electron/core/bundle/parts.js';
import { bufferPart } from '../../electron/core/bundle/parts.js';
import { DEFAULT_WIRING, type CoreWiring } from '../../electron/core/wiring.js';
import { readEntries } from './helpers/bundles.js';
import { makeBundle } from './helpers/outputs.js';
import { createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// Issue 9 §3: bundle parts and case-timeline providers are passed in by createCore(), not registered
// as a side effect of importing a module. A custom wiring changes what bundles carry and what case
// timelines show; the product's wiring is fixed and readable in one place.

afterAll(removeTempDirs);

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const greeting: BundlePartContributor = {
  name: 'greeting',
  contribute: (ctx) => (ctx.scope.caseId ? [bufferPart('greeting.txt', Buffer.from(`case ${ctx.scope.caseId}\n`))] : []),
};

describe('explicit wiring', () => {
  it('the product wiring lists its bundle parts (report last) and case resources, frozen', () => {
    expect(DEFAULT_WIRING.bundleParts.map((p) => p.name)).toEqual(['evidence', 'disclosures', 'report']);
    expect(DEFAULT_WIRING.caseResources.map((p) => p.name)).toEqual(['ferpaItemsOfCase', 'exportRequestsOfCase', 'workflowsOfCase', 'incidentsOfCase']);
    expect(Object.isFrozen(DEFAULT_WIRING) && Object.isFrozen(DEFAULT_WIRING.bundleParts)).toBe(true);
  });

  it('a custom wiring decides what a case bundle carries and what its timeline shows', async () => {
    const wiring: CoreWiring = {
      bundleParts: [greeting, ...DEFAULT_WIRING.bundleParts],
      caseResources: [...DEFAULT_WIRING.caseResources, (_ws, caseId) => [{ resourceType: 'widget', ids: [`W-${caseId}`] }]],
    };
    const t = await createTempWorkspace({ wiring });
    const made = await t.call<{ case: { id: string } }>('cases.create', { title: 'Wired', type: 'investigation', description: 'Wiring test.' }, t.admin);
    const caseId = made.case.id;
    t.app.ws.record({ actor: 'admin', action: 'cases.link', resource_type: 'widget', resource_id: `W-${caseId}`, details: { item_type: 'widget', item_id: 'x' } });
    const timeline = await t.call<{ events: { resource_type: string }[] }>('cases.timeline', { id: caseId, offset: 0, limit: 50 }, t.admin);
    expect(timeline.events.map((e) => e.resource_type)).toContain('widget');

    const bundle = await makeBundle(t, { caseId }, t.admin);
    const entries = await readEntries(bundle.path);
    expect(entries.get('greeting.txt')?.toString()).toBe(`case ${caseId}\n`);
    expect(JSON.parse(entries.get('manifest.json')!.toString()).files.map((f: { path: string }) => f.path)).toContain('greeting.txt');
    const widgetEvents = entries.get('events.ndjson')!.toString().split('\n').filter((l) => l.includes('"widget"'));
    expect(widgetEvents).toHaveLength(1);
  });

  it('the default wiring carries neither', async () => {
    const t = await createTempWorkspace();
    const made = await t.call<{ case: { id: string } }>('cases.create', { title: 'Plain', type: 'investigation', description: 'Default wiring.' }, t.admin);
    const bundle = await makeBundle(t, { caseId: made.case.id }, t.admin);
    expect((await readEntries(bundle.path)).has('greeting.txt')).toBe(false);
  });

  it('no core module registers parts, providers or seeders when it is imported', () => {
    const offenders: string[] = [];
    for (const e of readdirSync(join(ROOT, 'electron/core'), { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !e.name.endsWith('.ts')) continue;
      const file = join(e.parentPath, e.name);
      const text = readFileSync(file, 'utf8');
      // Module-level statements that push into, or set, a shared registry.
      if (/^(?:if \(.*\) )?\w+\.push\(|^register\w*\(|^set\w+Scope\(/m.test(text)) offenders.push(relative(ROOT, file));
      if (/^import '\.{1,2}\//m.test(text)) offenders.push(`${relative(ROOT, file)} (import for side effects)`);
    }
    expect(offenders).toEqual([]);
  });
});
