import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, expectAccessible, focusGrid, initWorkspace, screen, signIn, test, type CustosServer } from './fixtures.js';

/**
 * The Exports screen: request → (not by the requester) approve → run with progress → the SHA-256
 * of what left matches the file; reject with a reason; signed bundles; cancelled runs leave nothing.
 */

const OFFICER = { username: 'casey.officer', displayName: 'Casey Officer', role: 'compliance_officer', passphrase: 'officer passphrase 2026' };
const COUNSEL = { username: 'dana.counsel', displayName: 'Dana Counsel', role: 'legal_counsel', passphrase: 'counsel passphrase 2026' };
const VIEWER = { username: 'vera.viewer', displayName: 'Vera Viewer', role: 'viewer', passphrase: 'viewer passphrase 2026' };

// Each screen is checked by axe in two themes, which is slow on small machines.
test.slow();

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function openExports(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Exports', level: 1 })).toBeVisible();
}

async function switchUser(page: Page, user: { username: string; passphrase: string }): Promise<void> {
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, user.username, user.passphrase);
  await openExports(page);
}

function detail(page: Page): Locator {
  return page.getByTestId('export-detail');
}

async function openRequest(page: Page, id: string): Promise<void> {
  await page.getByRole('grid', { name: 'Export requests' }).getByText(id, { exact: true }).click();
  await expect(detail(page).getByRole('heading', { name: id, level: 2 })).toBeVisible();
}

function exportsDir(custos: CustosServer): string[] {
  try {
    return readdirSync(join(custos.dir, 'exports'));
  } catch {
    return [];
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function seed(custos: CustosServer): Promise<{ admin: string; officer: string; caseId: string }> {
  await initWorkspace(custos);
  const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  for (const u of [OFFICER, COUNSEL, VIEWER]) await ok(custos.api('users.create', u, admin));
  const { case: c } = await ok(custos.api<{ case: { id: string } }>('cases.create', { title: 'State audit of records access, fall term', type: 'audit' }, admin));
  await ok(custos.api('cases.addNote', { id: c.id, body: 'Auditor asked for the access log of the term.' }, admin));
  const officer = await apiLogin(custos, OFFICER.username, OFFICER.passphrase);
  return { admin, officer, caseId: c.id };
}

test('exports: request, no self-approval, a second approver approves, run, the SHA-256 matches the file; reject with a reason', async ({ page, custos }) => {
  const { officer, admin } = await seed(custos);
  const scope = { from: '2020-01-01', outcome: 'success', action: 'users.*' };
  const inScope = await ok(custos.api<{ total: number }>('ledger.query', { ...scope, limit: 1, withTotal: true }, admin));
  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);
  await openExports(page);
  await expect(page.getByText('No export requests yet')).toBeVisible();
  await checkScreen(page, '80-exports-empty');

  // The request dialog checks its fields inline before anything reaches the core.
  await page.getByRole('button', { name: 'New export request' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New export request' });
  await expect(dialog.getByRole('radio', { name: /^pseudonymize-people/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Request export' }).click();
  await expect(dialog.getByText('Check the 3 fields marked below.')).toBeVisible();
  await expect(dialog.getByText('Enter a title for the export.')).toBeVisible();
  await expect(dialog.getByText('Enter who receives the export.')).toBeVisible();
  await expect(dialog.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');

  await dialog.getByLabel('Title').fill('Access log for the state audit');
  await dialog.getByRole('radio', { name: /^Audit/ }).check();
  await dialog.getByRole('radio', { name: 'CSV', exact: true }).check();
  await dialog.getByLabel('From').fill(scope.from);
  await dialog.getByLabel('Outcome').selectOption(scope.outcome);
  await dialog.getByLabel('Action').fill(scope.action);
  await expect(dialog.getByTestId('scope-count')).toHaveText(`${inScope.total} events match these filters now.`);
  await dialog.getByRole('radio', { name: /^pseudonymize-people/ }).check();
  await dialog.getByLabel('Recipient', { exact: true }).fill('State Department of Education, audit unit');
  await dialog.getByLabel('Purpose', { exact: true }).fill('Annual audit of who was given access to student records.');
  await checkScreen(page, '81-export-request-dialog');
  await dialog.getByRole('button', { name: 'Request export' }).click();
  await expect(dialog).toBeHidden();

  const d = detail(page);
  await expect(d.locator('.detail__heading .badge')).toHaveText('pending');
  const id = ((await d.locator('.detail__heading h2').textContent()) ?? '').trim();
  expect(id).toMatch(/^EXP-\d{4}-\d{4}$/);
  await expect(d.getByRole('list', { name: `Filters of ${id}` })).toContainText('users.*');
  await expect(d.getByText('pseudonymize-people')).toBeVisible();

  // The requester is not offered the decision, and the core refuses it too.
  await expect(d.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await expect(d.getByText('you cannot approve it yourself (separation of duties)')).toBeVisible();
  const self = await custos.api('exports.approve', { id, note: 'mine' }, officer);
  expect(!self.ok && self.error.code).toBe('forbidden');
  expect(!self.ok && self.error.message).toContain('separation of duties');
  await checkScreen(page, '82-export-pending');

  // A second approver sees it waiting for them and approves with a note.
  await switchUser(page, COUNSEL);
  await page.getByRole('button', { name: '1 awaits your decision' }).click();
  await openRequest(page, id);
  await d.getByRole('button', { name: 'Approve…' }).click();
  const approve = page.getByRole('dialog', { name: `Approve ${id}` });
  await expect(approve).toContainText('pseudonymize-people');
  await approve.getByLabel('Note (optional)').fill('Approved for the annual audit; masked names only.');
  await checkScreen(page, '83-export-approve-dialog');
  await approve.getByRole('button', { name: 'Approve export' }).click();
  await expect(approve).toBeHidden();
  await expect(d.locator('.detail__heading .badge')).toHaveText('approved');
  await expect(d.getByTestId('decision-note')).toHaveText('Approved for the annual audit; masked names only.');

  // The requester runs it, after a confirmation that says what will happen.
  await switchUser(page, OFFICER);
  await openRequest(page, id);
  await d.getByRole('button', { name: 'Run export…' }).click();
  const run = page.getByRole('dialog', { name: `Run ${id}` });
  await expect(run).toContainText('records the file’s SHA-256');
  await expectAccessible(page, 'run export dialog');
  await run.getByRole('button', { name: 'Run export' }).click();
  await expect(d.locator('.detail__heading .badge')).toHaveText('executed');
  const shown = ((await d.getByTestId('export-sha256').textContent()) ?? '').trim();
  const fileName = ((await d.getByTestId('export-file').textContent()) ?? '').trim();
  expect(fileName.startsWith(id)).toBe(true);
  const onDisk = join(custos.dir, 'exports', fileName);
  const sum = execFileSync('sha256sum', [onDisk], { encoding: 'utf8' }).split(/\s+/)[0];
  expect(shown).toBe(sum);
  expect(shown).toBe(sha256(onDisk));
  const csv = readFileSync(onDisk, 'utf8');
  expect(csv).toContain('users.create');
  expect(csv).not.toContain(COUNSEL.username);
  await expect(d.getByTestId('export-receipt')).toContainText('Rows');

  // Download hands the same bytes over, and the hand-over is recorded.
  await expect(d.getByTestId('export-handovers')).toContainText('Not handed over yet');
  const downloading = page.waitForEvent('download');
  await d.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(fileName);
  expect(sha256((await download.path()) ?? '')).toBe(sum);
  await expect(page.getByText('its SHA-256 matches the record')).toBeVisible();
  await expect(d.getByTestId('export-handovers')).toContainText(`Handed over 1 time${OFFICER.username}`);
  await checkScreen(page, '84-export-executed');
  await d.locator('.detail__body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(d.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  await expect(d.locator('.ferpa-timeline')).toContainText('exports.execute');
  await screen(page, '84-export-executed-history-light');

  // A second request is rejected with a reason. (Locking ended the earlier API sessions.)
  const officerAgain = await apiLogin(custos, OFFICER.username, OFFICER.passphrase);
  const second = await ok(
    custos.api<{ request: { id: string } }>(
      'exports.request',
      { title: 'Full ledger for opposing counsel', type: 'LEGAL', format: 'json', purpose: 'Discovery request in Doe v. District.', recipient: 'Hall & Brandt LLP' },
      officerAgain,
    ),
  );
  await switchUser(page, COUNSEL);
  await openRequest(page, second.request.id);
  await d.getByRole('button', { name: 'Reject…' }).click();
  const reject = page.getByRole('dialog', { name: `Reject ${second.request.id}` });
  await reject.getByRole('button', { name: 'Reject export' }).click();
  await expect(reject.getByText('Enter a reason for the requester.')).toBeVisible();
  await reject.getByLabel('Reason').fill('Unmasked full ledger is out of scope; ask for the case only, masked.');
  await expectAccessible(page, 'reject dialog');
  await reject.getByRole('button', { name: 'Reject export' }).click();
  await expect(reject).toBeHidden();
  await expect(d.locator('.detail__heading .badge')).toHaveText('rejected');
  await expect(d.getByTestId('decision-note')).toHaveText('Unmasked full ledger is out of scope; ask for the case only, masked.');

  // The list filters by status and walks by keyboard.
  await page.getByRole('radio', { name: /^Rejected/ }).click();
  const grid = page.getByRole('grid', { name: 'Export requests' });
  await expect(grid.locator('[role="row"][data-id]')).toHaveCount(1);
  await page.getByRole('radio', { name: /^All/ }).click();
  await expect(grid.locator('[role="row"][data-id]')).toHaveCount(2);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('radio', { name: /^Failed/ })).toBeChecked();
  await expect(page.getByText('No export requests are failed.')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: /^All/ })).toBeChecked();
  await focusGrid(grid);
  await page.keyboard.press('End');
  await expect(d.getByRole('heading', { name: id, level: 2 })).toBeVisible();
  await page.keyboard.press('Home');
  await expect(d.getByRole('heading', { name: second.request.id, level: 2 })).toBeVisible();
  await checkScreen(page, '85-export-rejected');
  await d.getByRole('button', { name: 'Close details' }).click();
  await checkScreen(page, '86-exports-list');

  // The ledger has the whole story of the first request.
  const auditor = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const events = await ok(custos.api<{ events: { action: string; actor: string }[] }>('ledger.query', { resourceType: 'export_request', resourceId: id, limit: 20 }, auditor));
  expect(events.events.map((e) => `${e.action}:${e.actor}`).reverse()).toEqual([
    `exports.request:${OFFICER.username}`,
    `exports.approve:${OFFICER.username}`,
    `exports.approve:${COUNSEL.username}`,
    `exports.execute:${OFFICER.username}`,
  ]);
});

test('signed bundle from the Exports screen: scope, result with SHA-256, tree head and key fingerprint', async ({ page, custos }) => {
  const { caseId } = await seed(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openExports(page);
  await page.getByRole('button', { name: 'Signed bundle…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New signed bundle' });
  await dialog.getByLabel('Case').fill('CASE-0000-9999');
  await dialog.getByRole('button', { name: 'Request bundle' }).click();
  await expect(dialog.getByText('There is no case CASE-0000-9999; pick one from the list.')).toBeVisible();
  await dialog.getByLabel('Case').fill(caseId);
  await expect(dialog.locator('.field__hint', { hasText: 'State audit of records access, fall term' })).toBeVisible();
  // A case bundle carries its evidence files and disclosures: it is requested, not made at once (issue 15.4; bundle-requests.spec.ts).
  await expect(dialog.getByTestId('bundle-approval-needed')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Request bundle' })).toBeVisible();
  await dialog.getByLabel('Case').fill('');
  await dialog.getByLabel('Action').fill('cases.*');
  await expect(dialog.getByTestId('bundle-direct')).toBeVisible();
  await checkScreen(page, '87-bundle-dialog');
  await dialog.getByRole('button', { name: 'Create bundle' }).click();

  const done = page.getByRole('dialog', { name: 'Signed bundle written' });
  await expect(done.getByTestId('bundle-result')).toBeVisible();
  const shown = ((await done.getByTestId('bundle-sha256').textContent()) ?? '').trim();
  const zips = exportsDir(custos).filter((f) => f.endsWith('.zip'));
  expect(zips).toHaveLength(1);
  const file = join(custos.dir, 'exports', zips[0] as string);
  expect(shown).toBe(execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]);
  await expect(done).toContainText(zips[0] as string);
  await expect(done).toContainText('Selection with proofs');
  await expect(done.getByRole('list', { name: 'Scope of the bundle' })).toContainText('cases.*');
  const head = await ok(custos.api<{ keyId: string }>('ledger.head', {}, await apiLogin(custos, ADMIN.username, ADMIN.passphrase)));
  const fingerprint = ((await done.getByTestId('bundle-fingerprint').textContent()) ?? '').replace(/[^0-9a-f]/gi, '').toLowerCase();
  expect(head.keyId.startsWith(fingerprint.slice(0, 16))).toBe(true);
  await checkScreen(page, '88-bundle-result');

  const downloading = page.waitForEvent('download');
  await done.getByRole('button', { name: 'Download bundle' }).click();
  expect(sha256((await (await downloading).path()) ?? '')).toBe(shown);
  await done.getByRole('button', { name: 'Close' }).click();
  await expect(done).toBeHidden();
  // Every bundle is listed on Exports, decided by policy, with its SHA-256.
  await expect(page.getByRole('grid', { name: 'Export requests' })).toContainText('Signed bundle of filtered ledger events');

  // A viewer may not read export requests: no Exports in the navigation, even by URL, and the core refuses.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, VIEWER.username, VIEWER.passphrase);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports', exact: true })).toHaveCount(0);
  await page.goto(`${custos.origin}/#/exports`);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  const refused = await custos.api('exports.list', {}, await apiLogin(custos, VIEWER.username, VIEWER.passphrase));
  expect(!refused.ok && refused.error.code).toBe('forbidden');
});

test.describe('long runs', () => {
  test.use({ demoEvents: 300_000 });
  test.describe.configure({ timeout: 240_000 });

  test('a run and a bundle show progress and cancel; a cancelled job leaves no file', async ({ page, custos }) => {
    const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
    // Masked INTERNAL exports without the evidence register need no second approval (resources/policies/exports.json).
    const { request } = await ok(
      custos.api<{ request: { id: string; status: string } }>(
        'exports.request',
        { title: 'Whole ledger, masked, for the internal review', type: 'INTERNAL', format: 'xml', masking: 'pseudonymize-people', purpose: 'Quarterly internal review.', recipient: 'Internal audit' },
        admin,
      ),
    );
    expect(request.status).toBe('approved');
    const before = exportsDir(custos);

    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await openExports(page);
    await openRequest(page, request.id);
    const d = detail(page);
    // The run's progress bar is determinate once the events in scope are counted.
    await expect(d.locator('.kv__pair', { hasText: 'Events now' })).toContainText(/\d{3},\d{3}/);
    await d.getByRole('button', { name: 'Run export…' }).click();
    await page.getByRole('dialog', { name: `Run ${request.id}` }).getByRole('button', { name: 'Run export' }).click();

    const progress = d.getByTestId('export-progress');
    await expect(progress).toContainText(/Writing events · [1-9][\d,]* of [\d,]+ events/);
    await expect(progress.getByRole('progressbar', { name: `Running ${request.id} progress` })).toBeVisible();
    await screen(page, '89-export-running-light');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(d.getByText(/Run cancelled after [\d,]+ events\. No file was written/)).toBeVisible({ timeout: 30_000 });
    await expect(d.locator('.detail__heading .badge')).toHaveText('approved');
    expect(exportsDir(custos).filter((f) => !before.includes(f))).toEqual([]);

    // The same for a bundle of (nearly) every event: filtered by date, so it is made at once (the whole ledger is requested).
    await page.getByRole('button', { name: 'Signed bundle…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New signed bundle' });
    await dialog.getByLabel('From').fill('2000-01-01');
    await dialog.getByRole('button', { name: 'Create bundle' }).click();
    const bundleProgress = dialog.getByTestId('bundle-progress');
    await expect(bundleProgress).toContainText(/[1-9][\d,]* of [\d,]+ events/);
    await expectAccessible(page, 'bundle in progress');
    await screen(page, '89-bundle-running-light');
    await bundleProgress.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.getByText('Bundle cancelled. No file was written.')).toBeVisible({ timeout: 30_000 });
    expect(exportsDir(custos).filter((f) => !before.includes(f))).toEqual([]);
  });
});
