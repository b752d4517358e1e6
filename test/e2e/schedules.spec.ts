import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, test } from './fixtures.js';

// Each screen and dialog is checked by axe in two themes, which is slow on small machines.
test.slow();

const COUNSEL = { username: 'lena.counsel', displayName: 'Lena Counsel', passphrase: 'counsel passphrase 2026' };

test('scheduled exports: empty state, create a weekly schedule, see it listed with its cadence and approval, approve it as another user', async ({ page, custos }) => {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  expect((await custos.api('users.create', { ...COUNSEL, role: 'legal_counsel' }, session)).ok).toBe(true);
  expect((await custos.api('workspace.setTimeZone', { timeZone: 'Europe/Berlin' }, session)).ok).toBe(true);

  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' }).click();
  await page.getByRole('navigation', { name: 'Exports' }).getByRole('link', { name: 'Scheduled' }).click();
  await expect(page.getByRole('navigation', { name: 'Exports' }).getByRole('link', { name: 'Scheduled' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('No scheduled exports')).toBeVisible();
  await checkScreen(page, '87-schedules-empty');

  await page.getByRole('button', { name: 'New schedule' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New scheduled export' });
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Check the');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Weekly access log for the state audit');
  await dialog.getByLabel('Runs', { exact: true }).selectOption('weekly');
  await dialog.getByLabel('On', { exact: true }).selectOption({ label: 'Friday' });
  await dialog.getByLabel('At', { exact: true }).fill('06:30');
  await dialog.getByText('Audit', { exact: true }).click();
  await dialog.getByLabel('Recipient', { exact: true }).fill('State Department of Education');
  await dialog.getByLabel('Purpose', { exact: true }).fill('Weekly evidence of access reviews for the state audit.');
  await expect(dialog.getByText('Every Friday at 06:30')).toBeVisible();
  await checkScreen(page, '88-schedules-dialog');
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await expect(dialog).toBeHidden();

  const grid = page.getByTestId('schedules-grid');
  await expect(grid).toBeVisible();
  const detail = page.getByTestId('schedule-detail');
  await expect(detail.getByRole('heading', { name: 'Weekly access log for the state audit' })).toBeVisible();
  await expect(detail).toContainText('Every Friday at 06:30 (Europe/Berlin)');
  // An audit export needs a second person: the owner cannot approve it.
  await expect(detail).toContainText('Waiting for another approver.');
  await expect(detail.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await expect(detail).toContainText('No run yet.');
  await checkScreen(page, '89-schedules-detail');

  // Closed, the list shows every column: cadence in words, next run, last run, approval, owner.
  await detail.getByRole('button', { name: 'Close details' }).click();
  const row = grid.getByRole('row').nth(1);
  await expect(row).toContainText('Weekly access log for the state audit');
  await expect(row).toContainText('Every Friday at 06:30');
  await expect(row).toContainText('After approval');
  await expect(row).toContainText('Never');
  await expect(row).toContainText('Pending');
  await checkScreen(page, '90-schedules-list');

  // Counsel approves it once; then it has a next run.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, COUNSEL.username, COUNSEL.passphrase);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' }).click();
  await page.getByRole('navigation', { name: 'Exports' }).getByRole('link', { name: 'Scheduled' }).click();
  await page.getByTestId('schedules-grid').getByRole('row').nth(1).click();
  await page.getByTestId('schedule-detail').getByRole('button', { name: 'Approve…' }).click();
  const approve = page.getByRole('dialog', { name: /^Approve / });
  await expect(approve).toContainText('Your approval covers every run of this schedule');
  await approve.getByRole('button', { name: 'Approve schedule' }).click();
  await expect(approve).toBeHidden();
  await expect(page.getByTestId('schedule-detail')).toContainText('Approved by lena.counsel');
  await expect(page.getByTestId('schedule-detail').getByRole('button', { name: 'Approve…' })).toHaveCount(0);
});

test.describe('the demo', () => {
  test.use({ demoEvents: 3000 });

  test("the demo's daily schedule missed runs: one run caught them up, the missed ones are recorded as skipped, and opening the demo finds nothing more due", async ({ page, custos }) => {
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' }).click();
    await page.getByRole('navigation', { name: 'Exports' }).getByRole('link', { name: 'Scheduled' }).click();
    const grid = page.getByTestId('schedules-grid');
    const daily = grid.getByRole('row', { name: /Daily disclosure log for the registrar/ });
    await expect(daily).toContainText('Written');
    await expect(daily).not.toContainText('missed');
    await expect(grid.getByRole('row', { name: /Weekly subpoena activity/ })).toContainText('Pending');
    await daily.click();
    const runs = page.getByTestId('schedule-runs');
    await expect(runs.getByRole('listitem')).toHaveCount(2);
    await expect(runs.getByRole('listitem').nth(0)).toContainText('Written');
    await expect(runs.getByRole('listitem').nth(1)).toContainText(/\d+ missed, skipped/);
    await checkScreen(page, '91-schedules-demo-caught-up');
    // The run links to its export request on the Requests tab, with its SHA-256.
    await runs.getByRole('link', { name: /^EXP-/ }).click();
    await expect(page.getByRole('navigation', { name: 'Exports' }).getByRole('link', { name: 'Requests' })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('main')).toContainText('Daily disclosure log for the registrar (scheduled');
  });
});

test('activating a legal hold with the snapshot box requests a signed bundle of its case, waiting for another approver on Exports', async ({ page, custos }) => {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const kase = await custos.api<{ case: { id: string } }>('cases.create', { title: 'Grade dispute, spring term', type: 'investigation' }, session);
  if (!kase.ok) throw new Error(kase.error.message);
  const hold = await custos.api<{ hold: { id: string } }>('holds.create', { caseId: kase.value.case.id, title: 'Preserve the gradebook' }, session);
  if (!hold.ok) throw new Error(hold.error.message);
  const holdId = hold.value.hold.id;

  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Holds' }).click();
  await page.getByRole('grid').getByRole('row', { name: /Preserve the gradebook/ }).click();
  await page.getByTestId('hold-detail').getByRole('button', { name: 'Activate…', exact: true }).click();
  const activate = page.getByRole('dialog', { name: `Activate ${holdId}` });
  await activate.getByLabel(/Snapshot the held scope into a signed bundle/).check();
  await checkScreen(page, '92-hold-activate-snapshot');
  await activate.getByRole('button', { name: 'Activate hold' }).click();
  await expect(activate).toBeHidden();
  await expect(page.getByText(/Snapshot bundle EXP-\d{4}-\d{4} was requested/)).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' }).click();
  const row = page.getByTestId('exports-grid').getByRole('row', { name: new RegExp(`Snapshot of legal hold ${holdId}`) });
  await expect(row).toContainText('pending');
  // The request says where its scope ends: the activation's last event.
  await row.click();
  await expect(page.locator('main')).toContainText(/Up to event\s*\d+/);
  await checkScreen(page, '93-hold-snapshot-request');
});
