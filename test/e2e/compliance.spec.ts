import type { Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, test } from './fixtures.js';

const VIEWER = { username: 'vera.viewer', passphrase: 'viewer passphrase 2026' };

async function openCompliance(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
  await expect(page.getByRole('heading', { name: 'Compliance', level: 1 })).toBeVisible();
}

test('compliance: switch HIPAA on, filter, assess §164.312(b) with evidence; the numbers move; a viewer cannot act', async ({ page, custos }) => {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const viewer = await custos.api('users.create', { username: VIEWER.username, displayName: 'Vera Viewer', role: 'viewer', passphrase: VIEWER.passphrase }, session);
  expect(viewer.ok).toBe(true);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  // Every shipped framework has a card; none is on yet, so the list says how to start.
  await openCompliance(page);
  const cards = page.getByRole('list', { name: 'Frameworks' });
  await expect(cards.getByRole('listitem')).toHaveCount(7);
  await expect(page.getByText('No framework switched on')).toBeVisible();
  await checkScreen(page, '50-compliance-empty');

  await cards.getByRole('button', { name: 'Switch on HIPAA' }).click();
  const hipaa = page.getByTestId('framework-hipaa');
  await expect(hipaa.getByTestId('compliant-hipaa')).toHaveText('0%');
  await expect(hipaa).toContainText('36 not assessed');
  const grid = page.getByRole('grid', { name: 'Requirements' });
  const count = page.locator('.ferpa-toolbar__count');
  await expect(count).toHaveText('36 requirements');

  await page.getByRole('combobox', { name: 'Priority' }).selectOption('critical');
  await page.getByRole('combobox', { name: 'Status' }).selectOption('non_compliant');
  await expect(page.getByText('No requirement matches these filters')).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('not_assessed');
  await expect(count).toHaveText('11 requirements');
  await grid.getByText('§164.312(b)', { exact: true }).click();
  const detail = page.getByTestId('requirement-detail');
  await expect(detail.getByRole('heading', { name: '§164.312(b)' })).toBeVisible();
  await expect(detail.getByText('Audit controls')).toBeVisible();
  await expect(detail.getByText('ledger-verified')).toBeVisible();
  await expect(detail.getByText('Not assessed yet.')).toBeVisible();
  // The open requirement is in the route (percent-encoded), so it can be linked to.
  await expect(page).toHaveURL(/#\/compliance\/hipaa%20%C2%A7164\.312%28b%29$/);
  await checkScreen(page, '51-compliance-requirement');

  await detail.getByRole('button', { name: 'Assess…' }).click();
  const assess = page.getByRole('dialog', { name: 'Assess §164.312(b)' });
  await assess.getByLabel('Status').selectOption('compliant');
  await assess.getByLabel('The control is implemented').check();
  await assess.getByRole('button', { name: 'Add evidence link' }).click();
  await assess.getByLabel('Evidence 1 type').selectOption('event');
  await assess.getByLabel('Evidence 1 id').fill('9999');
  // Without notes the dialog says what is missing and records nothing.
  await assess.getByRole('button', { name: 'Record assessment' }).click();
  // …at the field it is about.
  await expect(assess.getByLabel('Notes')).toHaveAttribute('aria-invalid', 'true');
  await expect(assess.getByText('an assessment needs notes')).toBeVisible();
  await assess.getByLabel('Notes').fill('E2E-NOTE: the ledger verifies and every view of records is ledgered.');
  // Evidence that does not exist is refused by the core, and the dialog says so.
  await assess.getByRole('button', { name: 'Record assessment' }).click();
  await expect(assess.getByRole('alert')).toHaveText('The linked ledger event 9999 does not exist in this workspace.');
  await assess.getByLabel('Evidence 1 id').fill('1');
  await checkScreen(page, '52-compliance-assess-dialog');
  await assess.getByRole('button', { name: 'Record assessment' }).click();
  await expect(assess).toBeHidden();

  // The pane, the row and the card follow the server's answer.
  await expect(detail.locator('.detail__heading .badge')).toHaveText('Compliant');
  const timeline = detail.getByRole('list', { name: 'Assessments of §164.312(b)' });
  await expect(timeline.getByText('E2E-NOTE: the ledger verifies and every view of records is ledgered.')).toBeVisible();
  await expect(timeline.getByText('ledger event 1')).toBeVisible();
  await expect(hipaa.getByTestId('compliant-hipaa')).toHaveText(/^[1-9]\d*%$/);
  await expect(hipaa).toContainText('35 not assessed');
  // It no longer matches "not assessed": the filtered list drops it.
  await expect(count).toHaveText('10 requirements');
  await page.getByRole('combobox', { name: 'Status' }).selectOption('');
  await expect(grid.locator('[data-id="hipaa §164.312(b)"]')).toContainText('Compliant');
  await checkScreen(page, '53-compliance-assessed');
  // The controls it shares with other frameworks, and their status here.
  await detail.getByRole('heading', { name: /^Controls \(\d+\)$/ }).scrollIntoViewIfNeeded();
  await expect(detail.getByRole('list', { name: /^Also meets/ }).first()).toBeVisible();
  await checkScreen(page, '54-compliance-controls');

  // An owner, picked from the workspace's users.
  await detail.getByRole('button', { name: 'Assign owner…' }).click();
  const assign = page.getByRole('dialog', { name: 'Owner of §164.312(b)' });
  await assign.getByLabel('Owner').selectOption('admin');
  await assign.getByRole('button', { name: 'Save owner' }).click();
  await expect(assign).toBeHidden();
  await expect(detail.locator('.kv__pair', { hasText: 'Owner' })).toContainText('admin');

  // With no requirement open, the chosen framework shows itself: its numbers over time and by status.
  await detail.getByRole('button', { name: 'Close details' }).click();
  await hipaa.getByRole('button', { name: /^HIPAA: .*Show only its requirements$/ }).click();
  const pane = page.getByTestId('framework-detail');
  await expect(pane.getByRole('heading', { name: 'HIPAA', level: 2 })).toBeVisible();
  const compliantNow = (await hipaa.getByTestId('compliant-hipaa').textContent()) ?? '';
  await expect(pane.getByRole('figure')).toHaveAttribute('aria-label', new RegExp(`compliant [\\d.]+% → ${compliantNow.replace('.', '\\.')}`));
  await pane.getByRole('button', { name: 'Show compliant requirements: 1' }).click();
  await expect(count).toHaveText('1 requirement');
  await checkScreen(page, '56-compliance-framework');
  // The Dashboard's posture card carries the same numbers, and opens the framework's requirements.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  const posture = page.getByTestId('posture-hipaa');
  await expect(posture).toContainText(compliantNow);
  await posture.scrollIntoViewIfNeeded();
  await checkScreen(page, '57-dashboard-posture');
  await posture.getByRole('link', { name: 'HIPAA: open its requirements in Compliance' }).click();
  await expect(page.getByRole('heading', { name: 'Compliance', level: 1 })).toBeVisible();
  await expect(count).toHaveText('36 requirements');
  await page.getByRole('combobox', { name: 'Owner' }).selectOption('admin');
  await expect(count).toHaveText('1 requirement');
  await page.getByRole('combobox', { name: 'Owner' }).selectOption('');

  // Both changes are ledgered, and so is the refused attempt.
  const ledger = await custos.api<{ events: { action: string; resource_id: string; outcome: string }[] }>('ledger.query', { action: 'requirements.*', limit: 10 }, session);
  const events = ledger.ok ? ledger.value.events : [];
  expect(events.filter((e) => e.outcome === 'success').map((e) => `${e.action} ${e.resource_id}`).sort()).toEqual(['requirements.assess hipaa §164.312(b)', 'requirements.assign hipaa §164.312(b)']);
  expect(events.filter((e) => e.outcome !== 'success').map((e) => e.action)).toEqual(['requirements.assess']);

  // A viewer sees the numbers but no switch and no assess button.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, VIEWER.username, VIEWER.passphrase);
  await openCompliance(page);
  await expect(page.getByTestId('compliant-hipaa')).toHaveText(/^[1-9]\d*%$/);
  await expect(page.getByRole('button', { name: /^Switch (on|off) / })).toHaveCount(0);
  // Opened by its link, as the due list does.
  await page.evaluate(() => {
    window.location.hash = '#/compliance/hipaa%20%C2%A7164.312%28b%29';
  });
  await expect(page.getByTestId('requirement-detail').getByRole('heading', { name: '§164.312(b)' })).toBeVisible();
  await expect(page.getByTestId('requirement-detail').getByText('E2E-NOTE: the ledger verifies and every view of records is ledgered.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Assess…' })).toHaveCount(0);
  await checkScreen(page, '55-compliance-viewer');
});
