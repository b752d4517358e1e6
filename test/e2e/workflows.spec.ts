import type { Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, test } from './fixtures.js';

// Each screen and dialog is checked by axe in two themes, which is slow on small machines.
test.slow();

const OFFICER = { username: 'olive.officer', displayName: 'Olive Officer', passphrase: 'officer passphrase 2026' };
const VIEWER = { username: 'vera.viewer', displayName: 'Vera Viewer', passphrase: 'viewer passphrase 2026' };

async function openWorkflows(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
  await expect(page.getByRole('heading', { name: 'Compliance', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Compliance' }).getByRole('link', { name: 'Workflows' }).click();
  await expect(page.getByRole('link', { name: 'Workflows' })).toHaveAttribute('aria-current', 'page');
}

test('workflows: start an access review, record steps with their data, schedule the quarterly checklist; a viewer cannot act', async ({ page, custos }) => {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  for (const [u, role] of [
    [OFFICER, 'compliance_officer'],
    [VIEWER, 'viewer'],
  ] as const) {
    expect((await custos.api('users.create', { username: u.username, displayName: u.displayName, role, passphrase: u.passphrase }, session)).ok).toBe(true);
  }
  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);
  await openWorkflows(page);
  await expect(page.getByText('No open workflow')).toBeVisible();
  await checkScreen(page, '60-workflows-empty');

  // Start: template, title, owner and a stakeholder.
  await page.getByRole('button', { name: 'Start workflow…' }).click();
  const start = page.getByRole('dialog', { name: 'Start a workflow' });
  await start.getByLabel('Template').selectOption('access-review');
  await expect(start).toContainText('4 steps, recorded in order');
  await start.getByRole('button', { name: 'Start workflow' }).click();
  await expect(start.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(start.getByText(/^Give the workflow a title/)).toBeVisible();
  await start.getByLabel('Title').fill('Winter access review E2E');
  // An officer cannot list the users (administrators do): owner and stakeholders are typed.
  await expect(start.getByLabel('Owner')).toHaveValue(OFFICER.username);
  await start.getByLabel('Stakeholders').fill('admin');
  await checkScreen(page, '61-workflows-start');
  await start.getByRole('button', { name: 'Start workflow' }).click();
  await expect(start).toBeHidden();

  const detail = page.getByTestId('workflow-detail');
  await expect(detail.getByText('Winter access review E2E')).toBeVisible();
  await expect(detail.locator('.kv__pair', { hasText: 'Stakeholders' })).toContainText('admin');
  const steps = detail.getByRole('list', { name: /^Steps of WF-/ });
  await expect(steps.getByRole('listitem')).toHaveCount(4);
  // Ordered: only the first step can be recorded.
  await expect(steps.getByRole('button', { name: /^Record:/ })).toHaveCount(1);

  // Record the first step: its count is required, and the core says so.
  await steps.getByRole('button', { name: 'Record: Produce the users-and-roles report' }).click();
  const record = page.getByRole('dialog', { name: 'Produce the users-and-roles report' });
  await record.getByRole('button', { name: 'Record as done' }).click();
  await expect(record.getByRole('alert')).toHaveText('To record "Produce the users-and-roles report" as done, give "Accounts listed".');
  await record.getByLabel('Accounts listed (required)').fill('3');
  await record.getByLabel('Note (optional)').fill('E2E-NOTE three accounts, all in use.');
  await checkScreen(page, '62-workflows-record');
  await record.getByRole('button', { name: 'Record as done' }).click();
  await expect(record).toBeHidden();
  const first = detail.getByTestId('step-list-users');
  await expect(first).toContainText(`Done by ${OFFICER.username}`);
  await expect(first).toContainText('Accounts listed3');
  await expect(first).toContainText('E2E-NOTE three accounts, all in use.');
  await expect(detail.getByRole('heading', { name: 'Steps (1/4)' })).toBeVisible();

  // Skip the next one, with the reason.
  await steps.getByRole('button', { name: 'Record: Confirm each role with its manager' }).click();
  const skip = page.getByRole('dialog', { name: 'Confirm each role with its manager' });
  await skip.getByLabel('Skipped (does not apply this time)').check();
  await skip.getByLabel('Why it is skipped').fill('Managers confirmed in the autumn review.');
  await skip.getByRole('button', { name: 'Record as skipped' }).click();
  await expect(skip).toBeHidden();
  await expect(detail.getByTestId('step-confirm-roles')).toContainText('Skipped by');
  const grid = page.getByRole('grid', { name: 'Workflows' });
  await expect(grid.getByRole('row', { name: /Winter access review E2E/ })).toContainText('2/4');
  await checkScreen(page, '63-workflows-detail');

  // Schedule the quarterly checklist: this quarter's instance appears at once.
  await page.getByRole('button', { name: /^Recurring \(0\)…$/ }).click();
  const schedule = page.getByRole('dialog', { name: 'Recurring workflows' });
  await schedule.getByRole('checkbox', { name: /Quarterly audit checklist/ }).check();
  await checkScreen(page, '64-workflows-schedule');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect(schedule).toBeHidden();
  await expect(page.getByRole('button', { name: /^Recurring \(1\)…$/ })).toBeVisible();
  await expect(grid.getByText(/^Quarterly audit checklist Q[1-4] \d{4}$/)).toBeVisible();

  // Every change is ledgered, and so is the refused record.
  const ledger = await custos.api<{ events: { action: string; outcome: string }[] }>('ledger.query', { action: 'workflows.*', limit: 20 }, session);
  const events = ledger.ok ? ledger.value.events : [];
  expect(events.filter((e) => e.outcome === 'success').map((e) => e.action).sort()).toEqual(['workflows.advance', 'workflows.advance', 'workflows.schedule', 'workflows.start', 'workflows.start']);
  expect(events.filter((e) => e.outcome !== 'success').map((e) => e.action)).toEqual(['workflows.advance']);

  // A viewer reads the list (titles restricted) but has nothing to act with.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, VIEWER.username, VIEWER.passphrase);
  await openWorkflows(page);
  await expect(page.locator('.ferpa-toolbar__count')).toHaveText('2 workflows');
  await expect(page.getByRole('grid', { name: 'Workflows' }).getByText('Restricted').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start workflow…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Recurring/ })).toHaveCount(0);
  await page.getByRole('grid', { name: 'Workflows' }).getByText(/^WF-\d{4}-0001$/).click();
  const seen = page.getByTestId('workflow-detail');
  await expect(seen.getByRole('list', { name: /^Steps of WF-/ })).toBeVisible();
  await expect(seen.getByRole('button', { name: /^Record:/ })).toHaveCount(0);
  await expect(seen.getByRole('button', { name: 'Cancel workflow…' })).toHaveCount(0);
  await checkScreen(page, '65-workflows-viewer');
});

test.describe('with the demo workspace', () => {
  test.use({ demoEvents: 600 });

  test('an overdue workflow step shows on Deadlines and opens its workflow', async ({ page, custos }) => {
    await page.goto(custos.url);
    await signIn(page, 'maria.chen', ADMIN.passphrase);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deadlines' }).click();
    const row = page.locator('tr.is-overdue', { hasText: 'Record the request and its scope' });
    await expect(row).toContainText('Workflow step');
    await expect(row).toContainText(/\d+ days? overdue|due today/);
    await row.getByRole('button', { name: /Record the request and its scope/ }).click();

    const detail = page.getByTestId('workflow-detail');
    await expect(detail.getByText('Access request from an exchange student (Art. 15)')).toBeVisible();
    const overdue = detail.getByTestId('step-scope');
    await expect(overdue).toHaveClass(/is-overdue/);
    await expect(detail.getByTestId('step-verify-identity')).toContainText('Done by maria.chen');
    await checkScreen(page, '66-workflows-overdue');
    // The list's overdue filter finds it too.
    await page.getByRole('combobox', { name: 'Overdue' }).selectOption('yes');
    await expect(page.getByRole('grid', { name: 'Workflows' }).getByText('Access request from an exchange student (Art. 15)')).toBeVisible();
  });
});
