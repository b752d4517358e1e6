import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, checkScreen, expect, signIn, test, tempDir } from './fixtures.js';

// Issue 12 item 4 and 8: in Chromium an officer opens the demo's requests, sees the completed
// erasure's kept categories with their reasons, extends an open GDPR request, rejects nothing
// more, and downloads the subject-rights audit; the pending requests are on Deadlines.

test.use({ demoEvents: 1500 });

test('requests: the officer reads the demo erasure, extends an open request once and downloads the subject-rights audit', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, 'maria.chen', ADMIN.passphrase);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Pending requests are on the Deadlines list with their kind.
  await nav.getByRole('link', { name: 'Deadlines' }).click();
  const due = page.getByTestId('deadlines-table').locator('tr', { hasText: 'Tomás Whitfield' });
  await expect(due.first()).toContainText('Privacy request (GDPR/CCPA)');
  await expect(due.first()).toContainText(/overdue/);

  await nav.getByRole('link', { name: 'Requests' }).click();
  await expect(page.getByRole('heading', { name: 'Requests', level: 1 })).toBeVisible();
  const grid = page.getByTestId('privacy-requests-grid');
  for (const state of ['open', 'extended', 'completed', 'rejected']) await expect(grid.getByText(state, { exact: true }).first()).toBeVisible();

  // The completed erasure lists what was erased and what the law kept, with the reason.
  await grid.getByText('GDPR · Erasure (Art. 17)').click();
  const detail = page.getByTestId('privacy-request-detail');
  await expect(detail.getByRole('heading', { name: /^PRV-\d{4}-\d{4}$/ })).toBeVisible();
  const erasure = detail.getByTestId('privacy-erasure');
  await expect(erasure.locator('tr[data-result="erased"]')).toHaveCount(1);
  await expect(erasure.locator('tr[data-result="kept"]')).toHaveCount(4);
  await expect(erasure.locator('tr[data-result="kept"]', { hasText: 'Communication records' })).toContainText(/must be kept until \d{4}-\d{2}-\d{2}/);
  await expect(erasure.locator('tr[data-result="kept"]', { hasText: 'Grade records' })).toContainText(/must be kept permanently/);
  await checkScreen(page, 'p1-requests-erasure');

  // Extend the open GDPR access request once, by keyboard-reachable dialog.
  await grid.getByText('GDPR · Access (Art. 15)').click();
  await detail.getByRole('button', { name: 'Extend deadline…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Extend the deadline of PRV-/ });
  await dialog.getByLabel('Reason for the extension (told to the requester)').fill('Records are spread over three systems; Lena was told today.');
  await checkScreen(page, 'p2-requests-extend');
  await dialog.getByRole('button', { name: 'Extend' }).click();
  await expect(dialog).toBeHidden();
  await expect(detail).toContainText('extended');
  await expect(detail).toContainText('Records are spread over three systems');
  await expect(detail.getByRole('button', { name: 'Extend deadline…' })).toHaveCount(0);

  // The subject-rights audit is the file the ledger recorded and lists the erasure.
  const download = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Subject-rights audit (PDF)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^subject-audit-SUBJ-\d+-\d{8}T\d{6}Z\.pdf$/);
  const out = join(tempDir('custos-e2e-privacy-'), file.suggestedFilename());
  await file.saveAs(out);
  expect(readFileSync(out)).toEqual(readFileSync(join(custos.dir, 'exports', file.suggestedFilename())));
  const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Subject-rights audit');
  expect(text).toContain('Lena Duarte');
  expect(text).toContain('records.erase');
});

test('requests: a viewer reads the list and is offered no action', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, 'sam.wright', ADMIN.passphrase);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
  await expect(page.getByRole('heading', { name: 'Requests', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New request' })).toHaveCount(0);
  await page.getByTestId('privacy-requests-grid').getByRole('row').nth(1).click();
  const detail = page.getByTestId('privacy-request-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('button', { name: /Complete|Extend|Reject|audit/ })).toHaveCount(0);
});
