import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page, type Request, type TestInfo } from '@playwright/test';

export { expect };

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'custos.js');
export const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

/** Every E2E passphrase is ≥ 12 characters; key derivation is cheap via CUSTOS_SCRYPT_N. */
export const ADMIN = { username: 'admin', displayName: 'Alex Morgan', passphrase: 'correct horse battery staple' };
export const WORKSPACE_NAME = 'Northfield School District — Records';

export interface CustosServer {
  /** Base URL without the token, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** The URL `custos serve` printed (with #token=…). */
  url: string;
  token: string;
  dir: string;
  /** POST /api/<channel> as a script or an auditor's tool would. */
  api<T = unknown>(channel: string, input?: unknown, session?: string): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
}

export const BASE_ENV = { CUSTOS_SCRYPT_N: '16384' };

/** Runs `custos serve DIR`, resolves with the first stdout line (the URL) and a stop function. */
export async function startServe(dir: string, env: Record<string, string> = {}): Promise<{ server: CustosServer; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', dir], {
    cwd: ROOT,
    env: { ...process.env, ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`custos serve printed no URL within 20 s. stderr: ${stderr}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      ok(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`custos serve exited with ${code}. stderr: ${stderr}`));
    });
  });
  const parsed = new URL(url);
  const token = /token=([^&]+)/.exec(parsed.hash)?.[1] ?? '';
  const origin = parsed.origin;
  const server: CustosServer = {
    origin,
    url,
    token,
    dir,
    async api(channel, input = {}, session) {
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      if (session) headers['x-custos-session'] = session;
      const res = await fetch(`${origin}/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(input) });
      return (await res.json()) as never;
    },
  };
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill('SIGTERM');
    });
  return { server, stop };
}

/** Fills a folder with `custos demo` (realistic users and activity); demo users share ADMIN's passphrase. */
export async function makeDemo(dir: string, events: number): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const child = spawn(process.execPath, [CLI, 'demo', dir, '--events', String(events)], {
      cwd: ROOT,
      env: { ...process.env, ...BASE_ENV, CUSTOS_PASSPHRASE: ADMIN.passphrase },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`custos demo failed (${code}): ${stderr}`))));
  });
}

export function tempDir(prefix = 'custos-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Creates the workspace over HTTP (fast path for tests that are not about first run). */
export async function initWorkspace(server: CustosServer): Promise<{ recoveryKey: string }> {
  const r = await server.api<{ recoveryKey: string }>('workspace.init', {
    workspaceName: WORKSPACE_NAME,
    username: ADMIN.username,
    displayName: ADMIN.displayName,
    passphrase: ADMIN.passphrase,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Signs in over HTTP and returns the session id. */
export async function apiLogin(server: CustosServer, username: string, passphrase: string): Promise<string> {
  const r = await server.api<{ session: string }>('session.login', { username, passphrase });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.session;
}

/** Signs in through the UI's sign-in screen and waits for the app frame. */
export async function signIn(page: Page, username: string, passphrase: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/**
 * Focuses a list grid once its rows are on screen. A grid takes focus while its rows are still
 * loading, and a key pressed then has no row to act on (CI saw Enter open nothing that way).
 */
export async function focusGrid(grid: Locator): Promise<void> {
  // A row with its data (list rows carry data-id, ledger rows data-seq; a placeholder has neither).
  await expect(grid.locator('[role="row"][aria-selected]:is([data-id], [data-seq])').first()).toBeVisible();
  await grid.focus();
}

/** Runs axe on the page and fails on any serious or critical violation (listing them). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const t0 = Date.now();
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  if (process.env.CUSTOS_E2E_TIMING) console.log(`axe ${screen}: ${Date.now() - t0} ms`);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n  ')}`).join('\n');
  expect(report, `axe found serious or critical problems on "${screen}"`).toBe('');
}

/** Saves a screenshot as test-results/screens/<name>.png (gitignored) for people to look at. */
export async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: false });
}

/**
 * Both themes through the OS preference (the app's default "System" theme follows it live):
 * check accessibility and take a screenshot of each, then return to light.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    // Colours move to the new theme by short CSS transitions: axe must read them where they end. Only
    // transitions are awaited (an animation may run long or be paused), and never more than a second.
    await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const transitions = document.getAnimations().filter((a) => a instanceof CSSTransition);
      await Promise.race([Promise.all(transitions.map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 1000))]);
    });
    await expectAccessible(page, `${name} (${colorScheme})`);
    await screen(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** API calls of each page: how many are in flight, and when the last one started or ended. */
const apiActivity = new WeakMap<Page, { inflight: number; lastAt: number }>();

/**
 * Waits until the page has no API call in flight and made none for `quietMs`: the screen has its data.
 * (`waitForLoadState('networkidle')` does not do this after a route change, which is no page load.)
 */
export async function apiSettled(page: Page, quietMs = 400): Promise<void> {
  const activity = apiActivity.get(page);
  if (!activity) throw new Error('apiSettled needs the page of a test of this fixture file.');
  await expect.poll(() => activity.inflight === 0 && Date.now() - activity.lastAt > quietMs, { timeout: 20_000, intervals: [50] }).toBe(true);
}

interface Fixtures {
  /** Options for the server of this test (e.g. a short idle lock). */
  serveEnv: Record<string, string>;
  /** When set, the folder is filled by `custos demo --events N` before the server starts. */
  demoEvents: number | null;
  /** A fresh, uninitialised workspace folder served by `custos serve`. */
  custos: CustosServer;
  /** Fails the test when the page reports a Content Security Policy violation or an uncaught error. */
  pageGuard: void;
}

export const test = base.extend<Fixtures>({
  serveEnv: [{}, { option: true }],
  pageGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(`Uncaught: ${e.message}`));
      const activity = { inflight: 0, lastAt: Date.now() };
      apiActivity.set(page, activity);
      const isApi = (req: Request) => req.method() === 'POST' && new URL(req.url()).pathname.startsWith('/api/');
      const started = (req: Request) => {
        if (!isApi(req)) return;
        activity.inflight++;
        activity.lastAt = Date.now();
      };
      const ended = (req: Request) => {
        if (!isApi(req)) return;
        activity.inflight--;
        activity.lastAt = Date.now();
      };
      page.on('request', started);
      page.on('requestfinished', ended);
      page.on('requestfailed', ended);
      await use();
      expect(problems, 'the page reported CSP violations or uncaught errors').toEqual([]);
    },
    { auto: true },
  ],
  demoEvents: [null, { option: true }],
  custos: async ({ serveEnv, demoEvents }, use, testInfo: TestInfo) => {
    const dir = tempDir();
    if (demoEvents !== null) await makeDemo(dir, demoEvents);
    const { server, stop } = await startServe(dir, serveEnv);
    try {
      await use(server);
    } finally {
      await stop();
      if (testInfo.status === testInfo.expectedStatus) rmSync(dir, { recursive: true, force: true });
    }
  },
});
