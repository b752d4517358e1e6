/**
 * The layering of STYLE.md, as eslint.config.js enforces it: the tree obeys it, and each rule
 * fires on one offending import (and stays quiet on an allowed one), so a weakened config fails here.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const RULE = 'no-restricted-imports';
const eslint = new ESLint({ cwd: ROOT, errorOnUnmatchedPattern: false, ruleFilter: ({ ruleId }) => ruleId === RULE });

async function layeringProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layering', () => {
  it('holds across the tree', async () => {
    const results = await eslint.lintFiles(['electron', 'shared', 'renderer', 'bench', 'scripts', 'test', 'bin']);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => `${relative(ROOT, r.filePath)}:${m.line} ${m.message}`));
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
  });

  const refused: [string, string][] = [
    ['renderer/src/probe.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/probe.ts', "import { join } from 'path';"],
    ['renderer/src/views/probe.tsx', "import { CustosApp } from '../../../electron/core/app.js';"],
    ['renderer/src/views/probe.tsx', "import type { Workspace } from '../../../electron/core/workspace.js';"],
    ['renderer/src/probe.ts', "import policy from '../../resources/policies/security.json';"],
    ['shared/probe.ts', "import { CustosError } from '../electron/core/errors.js';"],
    ['shared/contract/probe.ts', "import { App } from '../../renderer/src/app.js';"],
    ['shared/probe.ts', "import { create } from 'zustand';"],
    ['shared/probe.ts', "import { createHash } from 'node:crypto';"],
    ['electron/core/probe.ts', "import { app } from 'electron';"],
    ['electron/core/ledger/probe.ts', "import { shell } from 'electron/main';"],
    ['electron/core/probe.ts', "import { registerIpc } from '../ipc.js';"],
    ['electron/core/probe.ts', "import { startLoopbackServer } from '../server.js';"],
    ['electron/server.ts', "import { app } from 'electron';"],
    ['electron/cli.ts', "import { dialog } from 'electron';"],
    ['bench/probe.ts', "import { app } from 'electron';"],
    ['test/unit/probe.test.ts', "import { app } from 'electron';"],
    ['electron/preload.ts', "import { CustosApp } from './core/app.js';"],
    ['electron/preload.ts', "import { readFileSync } from 'node:fs';"],
    ['electron/main.ts', "import { App } from '../renderer/src/app.js';"],
  ];
  it.each(refused)('refuses in %s: %s', async (file, code) => {
    expect(await layeringProblems(file, code)).toHaveLength(1);
  });

  const allowed: [string, string][] = [
    ['renderer/src/probe.ts', "import { contract } from '../../shared/contract.js';"],
    ['renderer/src/views/probe.tsx', "import { create } from 'zustand';"],
    ['shared/probe.ts', "import { z } from 'zod';"],
    ['shared/contract/probe.ts', "import { ROLES } from '../roles.js';"],
    ['electron/core/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['electron/core/ledger/probe.ts', "import { CustosError } from '../errors.js';"],
    ['electron/main.ts', "import { app } from 'electron';"],
    ['electron/ipc.ts', "import { ipcMain } from 'electron';"],
    ['electron/preload.ts', "import { contextBridge } from 'electron';"],
    ['electron/preload.ts', "import { IPC_PREFIX } from '../shared/bridge.js';"],
  ];
  it.each(allowed)('allows in %s: %s', async (file, code) => {
    expect(await layeringProblems(file, code)).toEqual([]);
  });
});

describe('react hook rules', () => {
  const hooks = new ESLint({ cwd: ROOT, errorOnUnmatchedPattern: false, ruleFilter: ({ ruleId }) => ruleId.startsWith('react-hooks/') });
  const lint = async (code: string) => {
    const [result] = await hooks.lintText(`${code}\n`, { filePath: join(ROOT, 'renderer/src/views/probe.tsx') });
    return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, severity: m.severity }));
  };

  it('refuses a hook called conditionally (an error) and flags a missing effect dependency (a warning)', async () => {
    const conditional = "import { useState } from 'react';\nexport function Probe({ on }: { on: boolean }) {\n  if (on) { useState(0); }\n  return null;\n}";
    expect(await lint(conditional)).toEqual([{ rule: 'react-hooks/rules-of-hooks', severity: 2 }]);
    const missingDep = "import { useEffect } from 'react';\nexport function Probe({ id }: { id: string }) {\n  useEffect(() => { console.log(id); }, []);\n  return null;\n}";
    expect(await lint(missingDep)).toEqual([{ rule: 'react-hooks/exhaustive-deps', severity: 1 }]);
  });

  it('stays quiet on hooks called at the top level', async () => {
    const fine = "import { useEffect, useState } from 'react';\nexport function Probe({ id }: { id: string }) {\n  const [n] = useState(0);\n  useEffect(() => { console.log(id, n); }, [id, n]);\n  return null;\n}";
    expect(await lint(fine)).toEqual([]);
  });
});

describe('domains inside the core', () => {
  const refusedInCore: [string, string][] = [
    ['electron/core/subjects/probe.ts', "import { createBundle } from '../bundle/create-bundle.js';"],
    ['electron/core/cases/probe.ts', "import { holdRow } from '../holds/hold-rows.js';"],
    ['electron/core/holds/probe.ts', "import { createSubject } from '../subjects/subjects.js';"],
    ['electron/core/disclosures/probe.ts', "import { receiveSubpoena } from '../subpoenas/subpoenas.js';"],
    ['electron/core/exports/formats/probe.ts', "import { importBundle } from '../../imports/import-bundle.js';"],
    ['electron/core/domain/probe.ts', "import { getCase } from '../cases/cases.js';"],
    ['electron/core/ledger/probe.ts', "import { seedDemo } from '../demo/seed-demo.js';"],
    ['electron/core/zip/probe.ts', "import { inspectBundle } from '../bundle/verify-bundle.js';"],
    ['electron/core/compliance/probe.ts', "import { listDeadlines } from '../deadlines/deadlines.js';"],
    ['electron/core/compliance/probe.ts', "import { createBundle } from '../bundle/create-bundle.js';"],
  ];
  it.each(refusedInCore)('refuses an upward import in %s: %s', async (file, code) => {
    expect(await layeringProblems(file, code)).toHaveLength(1);
  });

  const allowedInCore: [string, string][] = [
    ['electron/core/holds/probe.ts', "import { syncCaseWithHolds } from '../cases/case-status.js';"],
    ['electron/core/subpoenas/probe.ts', "import { insertDisclosure } from '../disclosures/disclosures.js';"],
    ['electron/core/subjects/probe.ts', "import { assertCaseOpen } from '../domain/case-guard.js';"],
    ['electron/core/imports/probe.ts', "import { inspectBundle } from '../bundle/verify-bundle.js';"],
    ['electron/core/demo/probe.ts', "import { createCase } from '../cases/cases.js';"],
    ['electron/core/compliance/probe.ts', "import { listDisclosures } from '../disclosures/disclosures.js';"],
    // The due list gathers the compliance program's assessments as it does the FERPA deadlines.
    ['electron/core/deadlines/probe.ts', "import { loadFrameworks } from '../compliance/framework-data.js';"],
  ];
  it.each(allowedInCore)('allows in %s: %s', async (file, code) => {
    expect(await layeringProblems(file, code)).toEqual([]);
  });
});

describe('SQL lives in the store files of the domains', () => {
  const SYNTAX = 'no-restricted-syntax';
  const stores = new ESLint({ cwd: ROOT, errorOnUnmatchedPattern: false, ruleFilter: ({ ruleId }) => ruleId === SYNTAX });
  const problems = async (file: string, code: string) => {
    const [result] = await stores.lintText(`${code}\n`, { filePath: join(ROOT, file) });
    return (result?.messages ?? []).filter((m) => m.ruleId === SYNTAX).map((m) => m.message);
  };
  const inline = "import type { Workspace } from '../workspace.js';\nexport const probe = (ws: Workspace) => ws.db.prepare('SELECT 1').get();";
  const bracketed = "import type { Workspace } from '../workspace.js';\nexport const probe = (ws: Workspace) => ws.db['prepare']('SELECT 1').get();";

  // The domains on the store pattern; the same list as STORE_DOMAINS in eslint.config.js.
  const STORE_FOLDERS = ['holds', 'cases', 'evidence', 'subjects', 'compliance', 'amendments', 'subpoenas', 'disclosures', 'deadlines', 'exports', 'auth', 'imports', 'bundle', 'workflows', 'mfa', 'consents', 'ferpa', 'reports', 'incidents', 'retention', 'demo', 'alerts', 'privacy', 'schedules', 'witness'].map((d) => `electron/core/${d}`);

  it('names the same domains as STORE_DOMAINS in eslint.config.js', () => {
    const config = readFileSync(join(ROOT, 'eslint.config.js'), 'utf8');
    const declared = /const STORE_DOMAINS = \[([^\]]*)\]/.exec(config)?.[1] ?? '';
    expect([...declared.matchAll(/'([a-z]+)'/g)].map((m) => `electron/core/${m[1]}`)).toEqual(STORE_FOLDERS);
  });

  it('holds across the tree: no statement is prepared outside a store file in those domains', async () => {
    const results = await stores.lintFiles(STORE_FOLDERS);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === SYNTAX).map((m) => `${relative(ROOT, r.filePath)}:${m.line} ${m.message}`));
    expect(found).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
  });

  it.each([
    'electron/core/holds/probe.ts',
    'electron/core/cases/probe.ts',
    'electron/core/evidence/probe.ts',
    'electron/core/evidence/blob-store.ts',
    'electron/core/subjects/probe.ts',
    'electron/core/holds/probe-store.ts',
    'electron/core/compliance/probe.ts',
    'electron/core/amendments/probe.ts',
    'electron/core/subpoenas/probe.ts',
    'electron/core/subpoenas/retained-store.ts',
    'electron/core/disclosures/case-timeline.ts',
    'electron/core/deadlines/access-requests.ts',
    'electron/core/exports/scope.ts',
    'electron/core/auth/users.ts',
    'electron/core/imports/import-bundle.ts',
    'electron/core/bundle/create-bundle.ts',
  ])(
    'refuses a statement prepared in service code: %s',
    async (file) => {
      expect(await problems(file, inline)).toEqual([expect.stringContaining('*-store.ts')]);
      expect(await problems(file, bracketed)).toHaveLength(1);
    },
  );

  it("allows it in the domain's store file, and in domains not yet moved to stores", async () => {
    expect(await problems('electron/core/holds/holds-store.ts', inline)).toEqual([]);
    expect(await problems('electron/core/evidence/evidence-store.ts', inline)).toEqual([]);
    expect(await problems('electron/core/amendments/amendments-store.ts', inline)).toEqual([]);
    expect(await problems('electron/core/demo/demo-store.ts', inline)).toEqual([]);
    expect(await problems('electron/core/ledger/probe.ts', inline)).toEqual([]);
  });
});
