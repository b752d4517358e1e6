import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, test } from './fixtures.js';

const VIEWER = { username: 'sam.wright', displayName: 'Sam Wright', passphrase: 'viewer passphrase 2024' };

test('an admin manages users; a viewer sees no admin screens and the core denies the call', async ({ page, custos }) => {
  await initWorkspace(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  // Settings → Users (admins only): create a viewer through the dialog.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel('Name', { exact: true }).fill(VIEWER.displayName);
  await dialog.getByLabel('Username').fill(VIEWER.username);
  await dialog.getByLabel('Role').selectOption('viewer');
  await dialog.getByLabel('Initial passphrase').fill(VIEWER.passphrase);
  await dialog.getByLabel('Confirm passphrase').fill(VIEWER.passphrase);
  await checkScreen(page, '10-add-user-dialog');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Sam Wright/ });
  await expect(row).toBeVisible();
  await expect(row.getByLabel('Role of Sam Wright')).toHaveValue('viewer');

  // Change a role: asks first, then applies what the core answered.
  await row.getByLabel('Role of Sam Wright').selectOption('auditor');
  const confirm = page.getByRole('dialog', { name: 'Change Sam Wright’s role?' });
  await expect(confirm).toContainText('from Viewer to Auditor');
  await confirm.getByRole('button', { name: 'Change role' }).click();
  await expect(row.getByLabel('Role of Sam Wright')).toHaveValue('auditor');
  await row.getByLabel('Role of Sam Wright').selectOption('viewer');
  await page.getByRole('dialog').getByRole('button', { name: 'Change role' }).click();
  await expect(row.getByLabel('Role of Sam Wright')).toHaveValue('viewer');

  // Disable and enable.
  await row.getByRole('button', { name: 'Disable' }).click();
  await page.getByRole('dialog', { name: 'Disable Sam Wright?' }).getByRole('button', { name: 'Disable user' }).click();
  await expect(row.getByText('Disabled')).toBeVisible();
  const denied = await custos.api('session.login', { username: VIEWER.username, passphrase: VIEWER.passphrase });
  expect(denied.ok).toBe(false);
  await row.getByRole('button', { name: 'Enable' }).click();
  // Disabling deleted the keyslot, so enabling gives a passphrase again.
  const enable = page.getByRole('dialog', { name: 'Enable Sam Wright?' });
  await enable.getByLabel('New passphrase').fill(VIEWER.passphrase);
  await enable.getByRole('button', { name: 'Enable user' }).click();
  await expect(row.getByText('Active')).toBeVisible();
  await checkScreen(page, '11-settings-users');

  // The viewer: no Ledger in the navigation, no Users section in Settings, even by URL.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, VIEWER.username, VIEWER.passphrase);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Ledger' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Settings' }).click();
  const sections = page.getByRole('navigation', { name: 'Settings sections' });
  await expect(sections.getByRole('link', { name: 'Your account' })).toBeVisible();
  await expect(sections.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto(`${custos.origin}/#/settings/users`);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Users' })).toHaveCount(0);
  await page.goto(`${custos.origin}/#/ledger`);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await checkScreen(page, '12-viewer-dashboard');

  // And the core refuses the call itself, whatever the screen shows.
  const session = await apiLogin(custos, VIEWER.username, VIEWER.passphrase);
  const r = await custos.api('users.list', {}, session);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe('forbidden');
  const q = await custos.api('ledger.query', { limit: 10 }, session);
  expect(!q.ok && q.error.code).toBe('forbidden');
});

test('anyone can change their own passphrase; a wrong current passphrase is refused without signing out', async ({ page, custos }) => {
  await initWorkspace(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.goto(`${custos.origin}/#/settings/account`);
  const form = page.getByRole('form', { name: 'Change passphrase' });
  await form.getByLabel('Current passphrase').fill('definitely not it');
  await form.getByLabel('New passphrase', { exact: true }).fill('a new and longer passphrase');
  await form.getByLabel('Confirm new passphrase').fill('a new and longer passphrase');
  await form.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(form.getByRole('alert')).toHaveText('The current passphrase is not correct.');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await checkScreen(page, '13-settings-account');

  await form.getByLabel('Current passphrase').fill(ADMIN.passphrase);
  await form.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText('Your passphrase was changed.')).toBeVisible();
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, ADMIN.username, 'a new and longer passphrase');

  await page.goto(`${custos.origin}/#/settings/appearance`);
  await page.getByLabel(/^Dark/).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel(/^System/).check();
});
