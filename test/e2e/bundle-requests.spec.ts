import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, expectAccessible, initWorkspace, signIn, test, type CustosServer } from './fixtures.js';

/**
 * Issue 15.4: bundles follow the two-person rule. An auditor cannot make a bundle that carries
 * evidence files or students' names directly; they request it, another person approves, the
 * auditor makes it, and it is listed on Exports with its SHA-256 and its hand-overs. A bundle of
 * filtered events only is made at once, and is listed there too.
 */

const AUDITOR = { username: 'ada.auditor', displayName: 'Ada Auditor', role: 'auditor', passphrase: 'auditor passphrase 2026' };
const COUNSEL = { username: 'dana.counsel', displayName: 'Dana Counsel', role: 'legal_counsel', passphrase: 'counsel passphrase 2026' };

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

function zips(custos: CustosServer): string[] {
  try {
    return readdirSync(join(custos.dir, 'exports')).filter((f) => f.endsWith('.zip'));
  } catch {
    return [];
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

test('a case bundle: the auditor cannot make it directly, requests it, another person approves, the auditor makes it; listed with its SHA-256 and hand-overs', async ({ page, custos }) => {
  await initWorkspace(custos);
  const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  for (const u of [AUDITOR, COUNSEL]) await ok(custos.api('users.create', u, admin));
  const { case: kase } = await ok(custos.api<{ case: { id: string } }>('cases.create', { title: 'Complaint about records access', type: 'investigation' }, admin));
  await ok(
    custos.api(
      'evidence.ingestContent',
      { fileName: 'statement.txt', contentBase64: Buffer.from('Statement of the registrar').toString('base64'), title: 'Registrar statement', source: 'Registrar', caseId: kase.id },
      admin,
    ),
  );

  // The core refuses the auditor a direct case bundle (and a whole-ledger one): no file is written.
  const auditorApi = await apiLogin(custos, AUDITOR.username, AUDITOR.passphrase);
  for (const request of [{ caseId: kase.id }, {}]) {
    const direct = await custos.api('bundles.create', request, auditorApi);
    expect(!direct.ok && direct.error.code).toBe('forbidden');
  }
  expect(zips(custos)).toEqual([]);

  await page.goto(custos.url);
  await signIn(page, AUDITOR.username, AUDITOR.passphrase);
  await openExports(page);
  await page.getByRole('button', { name: 'Signed bundle…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New signed bundle' });
  // The whole ledger (no filter) and a case both need a second person; the dialog says why and asks for a request.
  await expect(dialog.getByTestId('bundle-approval-needed')).toContainText('whole ledger');
  await dialog.getByLabel('Case').fill(kase.id);
  await expect(dialog.getByTestId('bundle-approval-needed')).toContainText('evidence files');
  await expect(dialog.getByRole('button', { name: 'Create bundle' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Request bundle' }).click();
  await expect(dialog.getByText('Give the bundle a title of at least 3 characters.')).toBeVisible();
  await dialog.getByLabel('Title', { exact: true }).fill('Case bundle for the district counsel');
  await dialog.getByLabel('Type', { exact: true }).selectOption('LEGAL');
  await dialog.getByLabel('Recipient', { exact: true }).fill('District counsel, Hall & Brandt LLP');
  await dialog.getByLabel('Purpose', { exact: true }).fill('Counsel reviews the complaint with the evidence and its custody.');
  await checkScreen(page, 'b1-bundle-request-dialog');
  await dialog.getByRole('button', { name: 'Request bundle' }).click();
  await expect(dialog).toBeHidden();

  const d = detail(page);
  await expect(d.locator('.detail__heading .badge')).toHaveText('pending');
  const id = ((await d.locator('.detail__heading h2').textContent()) ?? '').trim();
  expect(id).toMatch(/^EXP-\d{4}-\d{4}$/);
  await expect(d).toContainText('Bundle');
  await expect(d.getByText('you cannot approve it yourself (separation of duties)')).toBeVisible();
  await expect(d.getByRole('button', { name: 'Make bundle…' })).toHaveCount(0);
  const early = await custos.api('exports.execute', { id }, await apiLogin(custos, AUDITOR.username, AUDITOR.passphrase));
  expect(!early.ok && early.error.code).toBe('conflict');
  await checkScreen(page, 'b2-bundle-request-pending');

  // Another person approves.
  await switchUser(page, COUNSEL);
  await page.getByRole('button', { name: '1 awaits your decision' }).click();
  await openRequest(page, id);
  await d.getByRole('button', { name: 'Approve…' }).click();
  const approve = page.getByRole('dialog', { name: `Approve ${id}` });
  await approve.getByLabel('Note (optional)').fill('For counsel only.');
  await approve.getByRole('button', { name: 'Approve export' }).click();
  await expect(approve).toBeHidden();
  await expect(d.locator('.detail__heading .badge')).toHaveText('approved');
  // Only the requester may make it.
  await expect(d.getByRole('button', { name: 'Make bundle…' })).toHaveCount(0);

  // The auditor makes it.
  await switchUser(page, AUDITOR);
  await openRequest(page, id);
  await d.getByRole('button', { name: 'Make bundle…' }).click();
  const run = page.getByRole('dialog', { name: `Run ${id}` });
  await expect(run).toContainText('signed bundle (ZIP)');
  await expectAccessible(page, 'make bundle dialog');
  await run.getByRole('button', { name: 'Make bundle' }).click();
  await expect(d.locator('.detail__heading .badge')).toHaveText('executed', { timeout: 30_000 });
  const shown = ((await d.getByTestId('export-sha256').textContent()) ?? '').trim();
  const fileName = ((await d.getByTestId('export-file').textContent()) ?? '').trim();
  expect(fileName).toMatch(/^bundle-.+\.zip$/);
  expect(zips(custos)).toEqual([fileName]);
  expect(shown).toBe(sha256(join(custos.dir, 'exports', fileName)));
  await expect(d.getByTestId('export-receipt')).toContainText('Events');

  // Hand-over: downloaded, hash-checked, and listed on the request.
  await expect(d.getByTestId('export-handovers')).toContainText('Not handed over yet');
  const downloading = page.waitForEvent('download');
  await d.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(fileName);
  expect(sha256((await download.path()) ?? '')).toBe(shown);
  await expect(d.getByTestId('export-handovers')).toContainText(`Handed over 1 time${AUDITOR.username}`);
  await checkScreen(page, 'b3-bundle-request-executed');

  // The ledger has the whole story of the request, and the hand-over of its file.
  const reader = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const story = await ok(custos.api<{ events: { action: string; actor: string; outcome: string }[] }>('ledger.query', { resourceType: 'export_request', resourceId: id, limit: 20 }, reader));
  expect(story.events.map((e) => `${e.action}:${e.actor}:${e.outcome}`).reverse()).toEqual([
    `exports.request:${AUDITOR.username}:success`,
    `exports.execute:${AUDITOR.username}:failure`,
    `exports.approve:${COUNSEL.username}:success`,
    `exports.execute:${AUDITOR.username}:success`,
  ]);
  const handed = await ok(custos.api<{ events: { actor: string }[] }>('ledger.query', { action: 'files.download', resourceId: fileName, limit: 5 }, reader));
  expect(handed.events.map((e) => e.actor)).toEqual([AUDITOR.username]);
});

test('a bundle of filtered events is made at once by an auditor and listed on Exports, decided by policy, with its SHA-256 and hand-overs', async ({ page, custos }) => {
  await initWorkspace(custos);
  const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  await ok(custos.api('users.create', AUDITOR, admin));
  await page.goto(custos.url);
  await signIn(page, AUDITOR.username, AUDITOR.passphrase);
  await openExports(page);
  await expect(page.getByText('No export requests yet')).toBeVisible();
  await page.getByRole('button', { name: 'Signed bundle…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New signed bundle' });
  await dialog.getByLabel('Action').fill('users.*');
  await expect(dialog.getByTestId('bundle-direct')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create bundle' }).click();
  const done = page.getByRole('dialog', { name: 'Signed bundle written' });
  await expect(done.getByTestId('bundle-result')).toBeVisible();
  const shown = ((await done.getByTestId('bundle-sha256').textContent()) ?? '').trim();
  await done.getByRole('button', { name: 'Close' }).click();

  const grid = page.getByRole('grid', { name: 'Export requests' });
  await expect(grid.locator('[role="row"][data-id]')).toHaveCount(1);
  await grid.getByText('Signed bundle of filtered ledger events').click();
  const d = detail(page);
  await expect(d.locator('.detail__heading .badge')).toHaveText('executed');
  await expect(d.getByTestId('export-sha256')).toHaveText(shown);
  await expect(d).toContainText('by policy');
  const fileName = ((await d.getByTestId('export-file').textContent()) ?? '').trim();
  expect(sha256(join(custos.dir, 'exports', fileName))).toBe(shown);
  const downloading = page.waitForEvent('download');
  await d.getByRole('button', { name: 'Download' }).click();
  await downloading;
  await expect(d.getByTestId('export-handovers')).toContainText(`Handed over 1 time${AUDITOR.username}`);
  await checkScreen(page, 'b4-direct-bundle-listed');
});
