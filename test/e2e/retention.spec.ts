import type { Page } from '@playwright/test';
import { ADMIN, checkScreen, expect, focusGrid, signIn, test } from './fixtures.js';

test.use({ demoEvents: 1500 });

async function openRetention(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Retention' }).click();
  await expect(page.getByRole('heading', { name: 'Retention', level: 1 })).toBeVisible();
}

test('retention: policies, the dry run with held skips, an admin edit (ledgered) and a sweep that leaves held records alone', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openRetention(page);

  // Every category of retention.json is a row; the demo's last sweep ran at 02:00 as the schedule.
  const grid = page.getByRole('grid', { name: 'Retention policies' });
  await expect(page.locator('.ferpa-toolbar__count')).toHaveText('12 record categories');
  await expect(page.getByTestId('retention-schedule')).toContainText('daily schedule');
  // The dry run beside the list: candidates and the records a hold keeps.
  const preview = page.getByTestId('retention-preview');
  const toDo = preview.getByRole('table', { name: 'Records the sweep would archive or delete' });
  const held = preview.getByRole('table', { name: 'Expired records kept because of a legal hold' });
  await expect(toDo.locator('tbody tr').first()).toBeVisible();
  await expect(held.locator('tbody tr').first()).toContainText('HOLD-');
  const heldIds = (await held.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim());
  expect(heldIds.length).toBeGreaterThan(0);
  await checkScreen(page, '95-retention-preview');

  // An administrator changes a policy; the list says it was changed.
  await grid.getByText('Disciplinary records', { exact: true }).click();
  const pane = page.getByTestId('retention-policy');
  await expect(pane).toContainText('Always respected');
  await pane.getByRole('button', { name: 'Edit policy…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retention of disciplinary' });
  await dialog.getByLabel('Period', { exact: true }).fill('5');
  await dialog.getByLabel('When the period has run out').selectOption('archive');
  await checkScreen(page, '96-retention-edit');
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  await expect(dialog).toBeHidden();
  await expect(pane).toContainText('5 years from the record’s date');
  await expect(grid.locator('[role="row"]', { hasText: 'Disciplinary records' })).toContainText('Changed');
  await pane.getByRole('button', { name: 'Close details' }).click();

  // Run the sweep: the preview then has nothing to do, and the held records are still skipped.
  await page.getByRole('button', { name: 'Run sweep now…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Run the retention sweep now' });
  await expect(confirm).toContainText('skip');
  await confirm.getByRole('button', { name: 'Run sweep' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId('retention-schedule')).toContainText('run from this screen');
  await expect(preview).toContainText('Nothing has run out of retention.');
  for (const id of heldIds) await expect(held).toContainText(id);
  await checkScreen(page, '97-retention-after-sweep');
});

test('retention: a viewer reads the policies but cannot preview, run a sweep or edit', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, 'sam.wright', ADMIN.passphrase);
  await openRetention(page);
  const grid = page.getByRole('grid', { name: 'Retention policies' });
  await expect(grid.getByText('Attendance records', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run sweep now…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Preview sweep' })).toHaveCount(0);
  await expect(page.getByTestId('retention-preview')).toHaveCount(0);
  // Keyboard: the grid takes focus and the arrow keys open a policy beside it.
  await focusGrid(grid);
  await page.keyboard.press('ArrowDown');
  const pane = page.getByTestId('retention-policy');
  await expect(pane).toBeVisible();
  await expect(pane.getByRole('button', { name: 'Edit policy…' })).toHaveCount(0);
  await checkScreen(page, '98-retention-viewer');
});

test('retention: the audit log has its own policy; an administrator shortens it and a legal hold keeps the sweep from pruning', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openRetention(page);
  const section = page.getByTestId('retention-audit-log');
  await expect(section).toContainText('7 years, then pruned to their hashes');
  await expect(section).toContainText('Nothing: no further events are older than');
  await section.getByRole('button', { name: 'Edit audit-log policy…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retention of the audit log' });
  await dialog.getByLabel('Keep whole events for').fill('1');
  await dialog.getByLabel('Unit').selectOption('days');
  await checkScreen(page, '99-retention-audit-log-edit');
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  await expect(dialog).toBeHidden();
  // Shorter: only asked for (two-person rule); the administrator who asked cannot approve it.
  const pending = section.getByTestId('retention-audit-log-pending');
  await expect(pending).toContainText('admin asked on');
  await expect(pending).toContainText('for 1 day only');
  await expect(section).toContainText('7 years, then pruned to their hashes');
  await expect(pending.getByRole('button', { name: 'Approve shorter period' })).toHaveCount(0);
  await checkScreen(page, '99-retention-audit-log-pending');
  // A compliance officer is the second person.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, 'maria.chen', ADMIN.passphrase);
  await openRetention(page);
  await section.getByTestId('retention-audit-log-pending').getByRole('button', { name: 'Approve shorter period' }).click();
  await expect(page.getByText('Approved: audit-log events are now kept whole for 1 day.')).toBeVisible();
  await expect(section.getByTestId('retention-audit-log-pending')).toHaveCount(0);
  await expect(section).toContainText('1 day, then pruned to their hashes');
  // The demo keeps a subpoena's legal hold active: the older events wait for it.
  await expect(section).toContainText('but pruning waits while HOLD-');
  await checkScreen(page, '99-retention-audit-log');

  // Once every hold is released (here through the loopback API), the sweep prunes the older events.
  const login = await custos.api<{ session: string }>('session.login', { username: ADMIN.username, passphrase: ADMIN.passphrase });
  if (!login.ok) throw new Error(login.error.message);
  const holds = await custos.api<{ items: { id: string }[] }>('holds.list', { status: ['active'], limit: 100 }, login.value.session);
  if (!holds.ok) throw new Error(holds.error.message);
  for (const h of holds.value.items) {
    const r = await custos.api('holds.release', { id: h.id, reason: 'Matter closed for the test' }, login.value.session);
    if (!r.ok) throw new Error(r.error.message);
  }
  await page.getByRole('button', { name: 'Preview sweep' }).click();
  await expect(section).toContainText('Would prune events 1–');
  await page.getByRole('button', { name: 'Run sweep now…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Run the retention sweep now' });
  await expect(confirm).toContainText('audit-log events older than the audit-log policy to their hashes');
  await confirm.getByRole('button', { name: 'Run sweep' }).click();
  await expect(confirm).toBeHidden();
  await expect(section).toContainText(/Pruned so far\s*Events 1–/);

  // The Ledger screen's verification proves the rest and names the pruned prefix instead of a gap.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger' }).click();
  await page.getByRole('button', { name: 'Verify now' }).click();
  const panel = page.getByTestId('verify-panel');
  await expect(panel.getByText('VALID', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(panel).toContainText(/pruned on \d{1,2} \w+ \d{4} under policy 1 day/);
  await expect(panel.getByTestId('verify-pruned')).toContainText('Events 1–');
  await checkScreen(page, '99-ledger-verified-pruned');
});
