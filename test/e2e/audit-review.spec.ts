import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { readZipSafely } from '../../electron/core/zip/zip-read.js';
import { writeZip } from '../../electron/core/zip/zip-write.js';
import { ADMIN, BASE_ENV, checkScreen, expect, expectAccessible, makeDemo, signIn, tempDir, test, type CustosServer } from './fixtures.js';

// Each screen and dialog is checked by axe in two themes, which is slow on small machines.
test.slow();

const CLI = resolve(import.meta.dirname, '..', '..', 'bin', 'custos.js');
const AUDITOR = { username: 'avery.auditor', displayName: 'Avery Quinn', passphrase: 'auditor passphrase 2026' };
const AUDIT_WORKSPACE = 'Hartwell & Co. — External Audit';

interface Bundle {
  path: string;
  fingerprint: string;
  keyId: string;
  sha256: string;
  events: number;
}

/** Runs the CLI on a workspace; resolves with its exit status and output. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...BASE_ENV, CUSTOS_PASSPHRASE: ADMIN.passphrase },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * A demo workspace with `events` events and a bundle of its whole ledger, made with the CLI as a
 * sender would under the two-person rule: the administrator requests it, the compliance officer
 * approves it, the administrator runs it.
 */
async function demoBundle(events: number): Promise<Bundle> {
  const dir = join(tempDir('custos-audit-src-'), 'ws');
  await makeDemo(dir, events);
  const out = join(tempDir('custos-audit-bundle-'), 'northfield-ledger.zip');
  const asked = await runCli(['bundle', dir, '--out', out, '--purpose', 'Annual external audit', '--recipient', 'Hartwell & Co.']);
  const id = /Recorded as request (EXP-\d{4}-\d{4})\./.exec(asked.stderr)?.[1];
  if (asked.code !== 1 || !id) throw new Error(`custos bundle should have recorded a request (${asked.code}): ${asked.stderr}`);
  const approved = await runCli(['approve', dir, id, '--user', 'maria.chen']);
  if (approved.code !== 0) throw new Error(`custos approve failed (${approved.code}): ${approved.stderr}`);
  const made = await runCli(['bundle', dir, '--request', id, '--out', out, '--json']);
  if (made.code !== 0) throw new Error(`custos bundle --request failed (${made.code}): ${made.stderr}`);
  const r = JSON.parse(made.stdout) as { path: string; fingerprint: string; keyId: string; sha256: string; events: number };
  return { path: r.path, fingerprint: r.fingerprint, keyId: r.keyId, sha256: r.sha256, events: r.events };
}

/** The bundle with one event's actor changed inside events.ndjson, rezipped as an honest ZIP (only the content lies). */
async function tampered(b: Bundle): Promise<string> {
  const zip = await readZipSafely(b.path);
  const entries = new Map<string, Buffer>();
  try {
    for (const name of zip.entries.keys()) entries.set(name, await zip.readBuffer(name, 64 * 1024 * 1024));
  } finally {
    zip.close();
  }
  const events = entries.get('events.ndjson')!.toString('utf8');
  // Same length, so only the SHA-256 of events.ndjson (and the event's own hash) can tell.
  const changed = events.replace('"actor":"maria.chen"', '"actor":"maria.chan"');
  expect(changed).not.toBe(events);
  entries.set('events.ndjson', Buffer.from(changed, 'utf8'));
  const out = join(tempDir('custos-audit-tampered-'), 'northfield-ledger-edited.zip');
  await writeZip(
    out,
    [...entries].map(([path, source]) => ({ path, source })),
  );
  return out;
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function initAuditWorkspace(custos: CustosServer): Promise<void> {
  await ok(custos.api('workspace.init', { workspaceName: AUDIT_WORKSPACE, username: ADMIN.username, displayName: ADMIN.displayName, passphrase: ADMIN.passphrase }));
}

async function openAuditReview(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit review' }).click();
  await expect(page.getByRole('heading', { name: 'Audit review', level: 1 })).toBeVisible();
}

async function importFile(page: Page, path: string, name: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Import bundle…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a log bundle' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Bundle file').setInputFiles({ name, mimeType: 'application/zip', buffer: readFileSync(path) });
  await expect(dialog.getByText(/^northfield-ledger.*\.zip, \d/)).toBeVisible();
  return dialog;
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

test('an auditor imports a bundle, sees it verified, filters and charts its events, records a finding, signs off and exports the report', async ({ page, custos }) => {
  const bundle = await demoBundle(300);
  await initAuditWorkspace(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  // The administrator creates the auditor.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Add user' }).click();
  const add = page.getByRole('dialog', { name: 'Add a user' });
  await add.getByLabel('Name', { exact: true }).fill(AUDITOR.displayName);
  await add.getByLabel('Username').fill(AUDITOR.username);
  await add.getByLabel('Role').selectOption('auditor');
  await add.getByLabel('Initial passphrase').fill(AUDITOR.passphrase);
  await add.getByLabel('Confirm passphrase').fill(AUDITOR.passphrase);
  await add.getByRole('button', { name: 'Add user' }).click();
  await expect(add).toBeHidden();
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, AUDITOR.username, AUDITOR.passphrase);

  // Nothing imported yet: the screen says what it is for and offers the first step.
  await openAuditReview(page);
  await expect(page.getByRole('heading', { name: 'No bundles imported yet' })).toBeVisible();
  await checkScreen(page, '90-audit-empty');

  // Import: pick the file, verify, read the report.
  const dialog = await importFile(page, bundle.path, 'northfield-ledger.zip');
  await checkScreen(page, '91-audit-import-dialog');
  await dialog.getByRole('button', { name: 'Verify and import' }).click();
  // The first bundle of a workspace: its key is trusted only once the auditor compared its fingerprint with the sender.
  const trust = page.getByRole('dialog', { name: 'Confirm the sender’s key' });
  await expect(trust).toBeVisible({ timeout: 30_000 });
  await expect(trust.getByTestId('trust-fingerprint')).toHaveText(bundle.fingerprint);
  await expect(trust).toContainText('Compare this fingerprint with the sender out of band before you trust it');
  await expect(trust).toContainText('Demo — Northfield School District');
  await expectAccessible(page, 'trust-on-first-import dialog');
  await trust.getByRole('button', { name: 'Fingerprint matches: trust and import' }).click();
  const done = page.getByRole('dialog', { name: 'Bundle verified and imported' });
  await expect(done).toBeVisible({ timeout: 30_000 });
  const report = done.getByTestId('verification-report');
  await expect(report.locator('.audit-report__verdict')).toContainText('VALID');
  await expect(report.locator('.audit-report__verdict')).not.toContainText('REJECTED');
  await expect(report).toContainText(`Imported as bundle 1: ${bundle.events} events from Demo — Northfield School District`);
  await expect(report.getByTestId('fingerprint')).toHaveText(bundle.fingerprint);
  await expect(report.getByTestId('pin-status')).toContainText('New source: key pinned');
  await expect(report.getByRole('list', { name: 'Checks' }).getByRole('listitem')).toHaveCount(8);
  await expect(report.getByRole('list', { name: 'Checks' })).not.toContainText('failed');
  await checkScreen(page, '92-audit-import-verified');
  await done.getByRole('button', { name: 'Open bundle 1' }).click();
  await expect(done).toBeHidden();

  // The bundle: overview with verification and provenance.
  await expect(page.getByRole('heading', { name: 'Demo — Northfield School District · bundle 1', level: 1 })).toBeVisible();
  await expect(page.locator('.audit-head__title .badge')).toHaveText('Verified');
  await expect(page.getByTestId('bundle-verification').getByTestId('fingerprint')).toHaveText(bundle.fingerprint);
  await expect(page.getByTestId('bundle-provenance')).toContainText(bundle.sha256);
  await checkScreen(page, '93-audit-bundle-overview');

  // Events and charts, with the ledger viewer's filters; the charts follow the filters.
  await page.getByRole('tab', { name: /Events and charts/ }).click();
  const grid = page.getByRole('grid', { name: 'Events of this bundle, newest first' });
  await expect(grid.locator('[data-seq]').first()).toBeVisible();
  await expect(page.getByTestId('audit-count')).toHaveText(`${bundle.events} events`);
  for (const chart of ['audit-chart-time', 'audit-chart-outcome', 'audit-chart-actor', 'audit-chart-action']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
  }
  const actorChart = page.getByTestId('chart-audit-chart-actor').locator('figure');
  await expect(actorChart).toHaveAttribute('aria-label', /david\.okafor/);
  await page.getByLabel('Actor', { exact: true }).fill('maria.chen');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('maria.chen');
  await expect(page.getByTestId('audit-count')).toHaveText(/^\d+ events match$/);
  const matching = Number(((await page.getByTestId('audit-count').textContent()) ?? '').replace(/[^0-9]/g, ''));
  expect(matching).toBeGreaterThan(0);
  expect(matching).toBeLessThan(bundle.events);
  await expect(actorChart).not.toHaveAttribute('aria-label', /david\.okafor/);
  await expect(actorChart).toHaveAttribute('aria-label', new RegExp(`maria\\.chen ${matching}`));
  await expect.poll(async () => {
    const actors = await grid.locator('.lt__body [role="row"][data-seq] > [role="gridcell"]:nth-child(3)').allTextContents();
    return actors.length > 0 && actors.every((a) => a === 'maria.chen');
  }).toBe(true);
  await page.getByLabel('Action', { exact: true }).fill('records.*');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('records.*');
  await expect.poll(async () => {
    const actions = await grid.locator('.lt__body [role="row"][data-seq] > [role="gridcell"]:nth-child(4)').allTextContents();
    return actions.length > 0 && actions.every((a) => a.startsWith('records.'));
  }).toBe(true);
  await checkScreen(page, '94-audit-events-filtered');

  // A finding about one event, from its detail.
  await grid.locator('[data-seq]').first().click();
  const eventPane = page.getByTestId('audit-event-detail');
  await expect(eventPane.getByText('Event hash recomputed in this window')).toBeVisible();
  const seq = Number(await grid.locator('[data-seq]').first().getAttribute('data-seq'));
  await eventPane.getByRole('button', { name: 'Record a finding…' }).click();
  const finding = page.getByRole('dialog', { name: 'Add a finding' });
  await expect(finding.getByLabel('Event (optional)')).toHaveValue(String(seq));
  await finding.getByText('High', { exact: true }).click();
  await finding.getByLabel('Title').fill('Record views of S-10442 outside office hours');
  await finding.getByLabel('What you found').fill('maria.chen opened the directory record at night several times; ask the district why.');
  await checkScreen(page, '95-audit-add-finding');
  await finding.getByRole('button', { name: 'Record finding' }).click();
  await expect(finding).toBeHidden();

  // Findings and the sign-off.
  await page.getByRole('tab', { name: /Findings and review/ }).click();
  const list = page.getByRole('list', { name: 'Findings' });
  await expect(list).toContainText('Record views of S-10442 outside office hours');
  await expect(list).toContainText(`Event ${seq}`);
  await expect(list.locator('.badge')).toHaveText('High');
  await page.getByRole('button', { name: 'Mark reviewed…' }).first().click();
  const review = page.getByRole('dialog', { name: 'Mark bundle 1 reviewed' });
  await expect(review).toContainText('with 1 finding, 1 of them high');
  await review.getByLabel('Review note (optional)').fill('Sampled the night-time record views against the access log; one finding.');
  await checkScreen(page, '96-audit-review-dialog');
  await review.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(review).toBeHidden();
  await expect(page.getByTestId('review-status')).toContainText(`Reviewed by ${AUDITOR.username}`);
  await expect(page.locator('.audit-head__title .badge')).toHaveText('Reviewed');
  await expect(page.getByRole('button', { name: 'Mark reviewed…' })).toHaveCount(0);
  await checkScreen(page, '97-audit-findings-reviewed');

  // The verification report (PDF), written to the exports folder and handed to the browser.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Verification report (PDF)' }).click();
  await expect(page.getByText(/^Verification report saved as verification-report-import-1-/)).toBeVisible({ timeout: 30_000 });
  expect((await download).suggestedFilename()).toMatch(/^verification-report-import-1-\d{8}T\d{6}Z\.pdf$/);
  const exportsDir = join(custos.dir, 'exports');
  const pdfs = readdirSync(exportsDir).filter((f) => /^verification-report-import-1-.*\.pdf$/.test(f));
  expect(pdfs).toHaveLength(1);
  const text = execFileSync('pdftotext', ['-layout', join(exportsDir, pdfs[0]!), '-'], { encoding: 'utf8' });
  expect(text).toContain('Verification report');
  expect(text).toContain('VALID');
  expect(squeeze(text)).toContain(squeeze(bundle.fingerprint));
  expect(squeeze(text)).toContain(bundle.sha256);
  expect(text).toContain('Record views of S-10442 outside office hours');
  expect(text).toContain('Sampled the night-time record views against the access log; one finding.');

  // Back to the list: the bundle with its status, source and key.
  await page.getByRole('link', { name: 'All bundles' }).click();
  const table = page.getByTestId('imports-table');
  await expect(table.getByRole('row', { name: /Bundle 1/ })).toContainText('Reviewed');
  await expect(table).toContainText('Demo — Northfield School District');
  await expect(table).toContainText(bundle.fingerprint.split(' ').slice(0, 4).join(' '));
  await expect(page.getByRole('region', { name: 'Pinned source keys' })).toContainText(bundle.fingerprint);
  await checkScreen(page, '9a-audit-list');

  const session = await ok(custos.api<{ session: string }>('session.login', { username: AUDITOR.username, passphrase: AUDITOR.passphrase }));
  const imports = await ok(custos.api<{ items: { id: number; status: string; keyId: string }[] }>('imports.list', {}, session.session));
  expect(imports.items).toEqual([expect.objectContaining({ id: 1, status: 'reviewed', keyId: bundle.keyId })]);
  // The auditor confirmed the key, and the ledger says so.
  const pinned = await ok(custos.api<{ events: { action: string; actor: string; details: Record<string, unknown> }[] }>('ledger.query', { action: 'imports.pin', limit: 5 }, session.session));
  expect(pinned.events).toEqual([expect.objectContaining({ actor: AUDITOR.username, details: expect.objectContaining({ confirmed_by: AUDITOR.username, key_id: bundle.keyId }) })]);

  // Pinned keys: an auditor cannot revoke one; the administrator can, with a reason.
  await expect(page.getByRole('button', { name: /^Revoke the pinned key/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openAuditReview(page);
  await page.getByRole('button', { name: 'Revoke the pinned key of Demo — Northfield School District' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke the pinned key of Demo — Northfield School District' });
  await revoke.getByLabel('Reason').fill('The district rotated its key; confirm the new one by phone.');
  await revoke.getByRole('button', { name: 'Revoke pin' }).click();
  await expect(revoke).toBeHidden();
  await expect(page.getByTestId('revoked-pins')).toContainText('The district rotated its key; confirm the new one by phone.');
  await expect(page.getByRole('region', { name: 'Pinned source keys' })).toContainText('No key is pinned yet');
});

test('a tampered bundle is rejected with a clear reason, and nothing of it is imported', async ({ page, custos }) => {
  const bundle = await demoBundle(120);
  const bad = await tampered(bundle);
  await initAuditWorkspace(custos);
  const admin = await ok(custos.api<{ session: string }>('session.login', { username: ADMIN.username, passphrase: ADMIN.passphrase }));
  await ok(custos.api('users.create', { username: AUDITOR.username, displayName: AUDITOR.displayName, role: 'auditor', passphrase: AUDITOR.passphrase }, admin.session));
  await page.goto(custos.url);
  await signIn(page, AUDITOR.username, AUDITOR.passphrase);
  await openAuditReview(page);

  const dialog = await importFile(page, bad, 'northfield-ledger-edited.zip');
  await dialog.getByRole('button', { name: 'Verify and import' }).click();
  const rejected = page.getByRole('dialog', { name: 'Bundle rejected' });
  await expect(rejected).toBeVisible({ timeout: 30_000 });
  await expect(rejected.locator('.audit-report__verdict')).toContainText('INVALID');
  await expect(rejected.locator('.audit-report__verdict')).toContainText('REJECTED');
  const reason = rejected.getByTestId('reject-reason');
  // The verifier streams the events and stops at the first one whose hash no longer matches.
  await expect(reason).toHaveText(/^Event \d+ does not match its hash: .+\.$/);
  const sentence = ((await reason.textContent()) ?? '').trim();
  const seq = /^Event (\d+)/.exec(sentence)![1]!;
  const problem = rejected.getByTestId('problems').getByRole('row').nth(1);
  await expect(problem.getByRole('cell').nth(0)).toHaveText(seq);
  await expect(problem.getByRole('cell').nth(1)).toHaveText('hash-mismatch');
  await expect(rejected).toContainText('Nothing was imported from northfield-ledger-edited.zip.');
  await expect(rejected.getByTestId('fingerprint')).toHaveText(bundle.fingerprint);
  await checkScreen(page, '98-audit-rejected');
  await rejected.getByRole('button', { name: 'Close' }).click();
  await expect(rejected).toBeHidden();

  // The list stays empty; the rejection is shown with its reason (from the ledger).
  await expect(page.getByRole('heading', { name: 'No bundles imported yet' })).toBeVisible();
  await expect(page.getByTestId('rejected-list')).toContainText('northfield-ledger-edited.zip');
  await expect(page.getByTestId('rejected-list')).toContainText(sentence);
  await checkScreen(page, '99-audit-rejected-list');

  const session = await ok(custos.api<{ session: string }>('session.login', { username: AUDITOR.username, passphrase: AUDITOR.passphrase }));
  const list = await ok(custos.api<{ items: unknown[]; rejected: { fileName: string | null }[] }>('imports.list', {}, session.session));
  expect(list.items).toEqual([]);
  expect(list.rejected.map((r) => r.fileName)).toEqual(['northfield-ledger-edited.zip']);
});
