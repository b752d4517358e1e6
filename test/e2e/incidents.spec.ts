import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, checkScreen, expect, signIn, test, tempDir } from './fixtures.js';

// Issue 13 "done": in Chromium an officer opens the demo's incident, sees which 1/24/72-hour tasks
// are overdue, completes one, and downloads the incident report.

test.use({ demoEvents: 1500 });

test('incidents: the officer opens the demo breach, sees the overdue clock tasks, completes one and downloads the report', async ({ page, custos }) => {
  await page.goto(custos.url);
  // Demo users share the administrator's passphrase.
  await signIn(page, 'maria.chen', ADMIN.passphrase);

  // The overdue clock tasks are on the Dashboard's due list, and on Deadlines in hours.
  await expect(page.getByTestId('deadlines-table').getByText(/hour clock of INC-/).first()).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deadlines' }).click();
  const overdueTask = page.getByTestId('deadlines-table').locator('tr', { hasText: 'Assess data sensitivity' });
  await expect(overdueTask).toContainText(/\d+ hours? overdue/);
  await expect(overdueTask).toContainText('Breach clock task');
  await checkScreen(page, '62-deadlines-breach-clock');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
  await expect(page.getByRole('heading', { name: 'Incidents', level: 1 })).toBeVisible();
  const grid = page.getByTestId('incidents-grid');
  await expect(grid.getByText('Registrar mailbox compromise', { exact: false })).toBeVisible();
  await grid.getByText('Registrar mailbox compromise', { exact: false }).click();
  const detail = page.getByTestId('incident-detail');
  await expect(detail.getByRole('heading', { name: /^INC-\d{4}-\d{4}$/ })).toBeVisible();
  const clock = detail.getByTestId('incident-clock');
  const overdueRows = clock.locator('tbody tr.is-bad');
  const overdueBefore = await overdueRows.count();
  expect(overdueBefore).toBeGreaterThan(0);
  await expect(clock.locator('tr[data-task="isolate"]')).toContainText('done');
  await expect(clock.locator('tr[data-task="sensitivity"]')).toContainText('overdue');
  await checkScreen(page, '60-incidents-detail');

  // Complete an overdue task with a note.
  await clock.getByRole('button', { name: 'Complete: Assess data sensitivity' }).click();
  const dialog = page.getByRole('dialog', { name: 'Complete: Assess data sensitivity' });
  await dialog.getByLabel('What was done').fill('Transcripts and financial-aid forms with SSNs; highest sensitivity.');
  await checkScreen(page, '61-incidents-complete-task');
  await dialog.getByRole('button', { name: 'Mark done' }).click();
  await expect(dialog).toBeHidden();
  await expect(clock.locator('tr[data-task="sensitivity"]')).toContainText('done late');
  await expect(overdueRows).toHaveCount(overdueBefore - 1);

  // Closing before the response is finished: the dialog says what is missing, and the core refuses it.
  await detail.getByRole('button', { name: 'Close…' }).click();
  const closing = page.getByRole('dialog', { name: /^Close INC-/ });
  await expect(closing).toContainText(/The response is not finished\. An incident on the breach clock closes once its \d+ open clock tasks are done and legal counsel has recorded a review\./);
  await closing.getByRole('button', { name: 'Close incident' }).click();
  await expect(closing.getByRole('alert').filter({ hasText: /cannot be closed yet: \d+ breach-clock tasks are still open/ })).toBeVisible();
  await checkScreen(page, '63-incidents-close-refused');
  await closing.getByRole('button', { name: 'Cancel' }).click();
  await expect(detail.getByRole('heading', { name: /^INC-\d{4}-\d{4}$/ })).toBeVisible();

  // Download the report; it is the file the ledger recorded, and it says what was done.
  const download = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Download report' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^incident-report-INC-\d{4}-\d{4}-\d{8}T\d{6}Z\.pdf$/);
  const out = join(tempDir('custos-e2e-incident-'), file.suggestedFilename());
  await file.saveAs(out);
  const bytes = readFileSync(out);
  expect(bytes).toEqual(readFileSync(join(custos.dir, 'exports', file.suggestedFilename())));
  const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Transcripts and financial-aid forms with SSNs');
  expect(text).toContain('OVERDUE');
  expect(createHash('sha256').update(bytes).digest('hex')).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByText(/handed over; its SHA-256 matches the record/)).toBeVisible();
});
