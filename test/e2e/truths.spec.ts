import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { dayCountLabel } from '../../shared/day-count.js';
import { ADMIN, apiLogin, checkScreen, expect, signIn, test, type CustosServer } from './fixtures.js';

/**
 * Issue 15 items 1, 2, 3 and 5 on the demo: a case export's dialog counts what the case holds and
 * its detail names the case as its scope; day counts read the same everywhere; a bundle brought
 * back into the workspace that made it is called valid.
 */

test.use({ demoEvents: 1500 });
test.slow();

const OFFICER = { username: 'maria.chen', passphrase: ADMIN.passphrase };

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** The demo's civil subpoena case (evidence, a hold with notices, a subpoena) and how many events its timeline holds. */
async function subpoenaCase(custos: CustosServer, session: string): Promise<{ id: string; total: number }> {
  const cases = await ok(custos.api<{ items: { id: string; type: string }[] }>('cases.list', { limit: 100 }, session));
  const c = cases.items.find((x) => x.type === 'subpoena');
  expect(c, 'the demo has a subpoena case').toBeDefined();
  const tl = await ok(custos.api<{ total: number }>('cases.timeline', { id: c!.id, limit: 1 }, session));
  return { id: c!.id, total: tl.total };
}

test('a case export counts every event of the case, warns only when that is too many, and its detail names the case as its scope', async ({ page, custos }) => {
  const session = await apiLogin(custos, OFFICER.username, OFFICER.passphrase);
  const kase = await subpoenaCase(custos, session);
  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);
  await openArea(page, 'Exports');
  await page.getByRole('button', { name: 'New export request' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New export request' });
  await dialog.locator('label.exp-segment', { hasText: 'PDF' }).click();
  await expect(dialog.getByRole('radio', { name: 'PDF', exact: true })).toBeChecked();
  await dialog.getByLabel('Case', { exact: true }).fill(kase.id);
  // The live count is the case's own (its timeline's), not the whole ledger's, and a case this size raises no PDF warning.
  await expect(dialog.getByTestId('scope-count')).toHaveText(`${kase.total} events match the case now.`);
  await expect(dialog.getByText(/would likely fail/)).toHaveCount(0);
  await checkScreen(page, 't1-export-dialog-case');
  await dialog.getByLabel('Title', { exact: true }).fill('Subpoena case file for counsel');
  await dialog.getByLabel('Recipient', { exact: true }).fill('Outside counsel');
  await dialog.getByLabel('Purpose', { exact: true }).fill('Production to outside counsel for the subpoena response.');
  await dialog.getByRole('button', { name: 'Request export' }).click();
  await expect(dialog).toBeHidden();

  const detail = page.getByTestId('export-detail');
  await expect(detail).toContainText(kase.id);
  await expect(detail).not.toContainText('Whole ledger');
  await expect(detail).toContainText('None: every event of the case');
  // The request itself now belongs to the case: one more event than before.
  const now = await ok(custos.api<{ total: number }>('cases.timeline', { id: kase.id, limit: 1 }, session));
  expect(now.total).toBe(kase.total + 1);
  await expect(detail.getByText(String(now.total), { exact: true })).toBeVisible();
  await checkScreen(page, 't2-export-detail-case');
});

test('day counts are calendar days in the same words on the Deadlines screen, the Dashboard and the details pane', async ({ page, custos }) => {
  const session = await apiLogin(custos, OFFICER.username, OFFICER.passphrase);
  const list = await ok(
    custos.api<{ items: { kind: string; refType: string; refId: string; daysRemaining: number; dueDate: string }[] }>('deadlines.list', { limit: 200 }, session),
  );
  const response = list.items.find((d) => d.kind === 'subpoena_response');
  expect(response, 'the demo has an open subpoena').toBeDefined();
  const words = dayCountLabel(response!.daysRemaining);

  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);
  const dashboardList = page.getByTestId('deadlines-table');
  await expect(dashboardList).toBeVisible();
  await expect(dashboardList).not.toContainText(/\d d (left|overdue)/);

  await openArea(page, 'Deadlines');
  const row = page.getByTestId('deadlines-table').locator('tr', { hasText: `Subpoena response` }).filter({ hasText: response!.refId });
  // The date as people read it ("2 Dec 2026"); the machine-readable day stays in the <time> element.
  const written = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${response!.dueDate}T00:00:00Z`));
  await expect(row).toContainText(written);
  await expect(row.locator(`time[datetime="${response!.dueDate}"]`)).toBeVisible();
  await expect(row).toContainText(words);
  await expect(page.getByTestId('deadlines-table')).not.toContainText(/\d d (left|overdue)/);
  await checkScreen(page, 't3-deadlines-words');

  await page.goto(`${custos.origin}/#/subpoenas/${response!.refId}`);
  const pane = page.getByTestId('subpoena-detail');
  await expect(pane).toContainText(response!.refId);
  await expect(pane.getByText(words, { exact: true }).first()).toBeVisible();
  // The same badge in the list's "Response due" column.
  await expect(page.getByTestId('subpoenas-grid').getByRole('row').filter({ hasText: response!.refId }).getByText(words, { exact: true })).toBeVisible();
  await checkScreen(page, 't3b-subpoena-due');
});

test('a valid bundle brought back into its own workspace is called valid and not imported, not malformed', async ({ page, custos }) => {
  const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  // Filtered by date (every event), so it is made at once; a whole-ledger bundle would wait for a second person.
  const made = await ok(custos.api<{ fileName: string }>('bundles.create', { from: '2000-01-01' }, admin));
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openArea(page, 'Audit review');
  await page.getByRole('button', { name: 'Import bundle…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a log bundle' });
  await dialog.getByLabel('Bundle file').setInputFiles({ name: 'own-ledger.zip', mimeType: 'application/zip', buffer: readFileSync(join(custos.dir, 'exports', made.fileName)) });
  await expect(dialog.getByText(/^own-ledger\.zip, \d/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Verify and import' }).click();
  const result = page.getByRole('dialog', { name: 'Bundle valid, not imported' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  const verdict = result.locator('.audit-report__verdict');
  await expect(verdict).toContainText('VALID');
  await expect(verdict).toContainText('NOT IMPORTED');
  await expect(verdict).not.toContainText('INVALID');
  await expect(verdict).not.toContainText('REJECTED');
  await expect(result.getByTestId('reject-reason')).toContainText('This bundle is valid');
  await expect(result.getByTestId('reject-reason')).toContainText('cannot import its own bundles');
  await expect(result).not.toContainText('malformed');
  await expect(result.getByTestId('pin-status')).toContainText('This workspace');
  await expect(result.getByRole('list', { name: 'Checks' })).not.toContainText('failed');
  await checkScreen(page, 't4-own-bundle');
});
