import { ADMIN, WORKSPACE_NAME, checkScreen, expect, signIn, test } from './fixtures.js';

test('first run: create the workspace, see the recovery key once, then sign in', async ({ page, custos }) => {
  await page.goto(custos.url);
  await expect(page.getByRole('heading', { name: 'Create your workspace' })).toBeVisible();
  // The host token leaves the visible URL at once.
  expect(page.url()).not.toContain('token=');
  await checkScreen(page, '01-create-workspace');

  // Validation speaks in sentences next to the fields.
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('Enter a name for the workspace.')).toBeVisible();
  await expect(page.getByText('Enter a passphrase.')).toBeVisible();

  await page.getByLabel('Workspace name').fill(WORKSPACE_NAME);
  await page.getByLabel('Your name').fill(ADMIN.displayName);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Passphrase', { exact: true }).fill('short');
  await expect(page.getByText('Too short.')).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
  await expect(page.getByText(/^(Good|Strong)\./)).toBeVisible();
  await page.getByLabel('Confirm passphrase').fill('something else entirely');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('The two passphrases are not the same.')).toBeVisible();
  await page.getByLabel('Confirm passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Create workspace' }).click();

  // The recovery key, shown once, with copy and an explicit acknowledgement.
  await expect(page.getByRole('heading', { name: 'Store your recovery key' })).toBeVisible();
  const key = (await page.getByTestId('recovery-key').textContent())?.trim() ?? '';
  expect(key.length).toBeGreaterThan(20);
  await expect(page.getByRole('button', { name: 'Copy recovery key' })).toBeVisible();
  const next = page.getByRole('button', { name: 'Continue to sign in' });
  await expect(next).toBeDisabled();
  await checkScreen(page, '02-recovery-key');
  await page.getByLabel('I have stored the recovery key somewhere safe.').check();
  await next.click();

  // Sign-in: the new admin is prefilled and the key is gone from the screen for good.
  await expect(page.getByRole('heading', { name: WORKSPACE_NAME })).toBeVisible();
  await expect(page.getByText('Your workspace is ready.')).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(ADMIN.username);
  await expect(page.getByText(key)).toHaveCount(0);
  await checkScreen(page, '03-sign-in');
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  // The app frame: workspace name, user and role, every area in the navigation.
  await expect(page.getByRole('banner').getByText(WORKSPACE_NAME)).toBeVisible();
  await expect(page.getByRole('group', { name: /Signed in as Alex Morgan, Administrator/ })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const area of ['Dashboard', 'Cases', 'Evidence', 'Holds', 'Amendments', 'Subpoenas', 'Disclosures', 'Incidents', 'Alerts', 'Requests', 'Ledger', 'Exports', 'Audit review', 'Compliance', 'Reports', 'Retention', 'Settings']) {
    await expect(nav.getByRole('link', { name: area, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();

  // The recovery key works: it is accepted by the core (checked over the wire protocol).
  const r = await custos.api('session.recover', { recoveryKey: key, username: ADMIN.username, newPassphrase: 'a brand new passphrase 42' });
  expect(r.ok).toBe(true);
});
