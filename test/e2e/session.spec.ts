import { ADMIN, WORKSPACE_NAME, apiLogin, checkScreen, expect, initWorkspace, signIn, test } from './fixtures.js';

test.describe('sign-in, lock and unlock', () => {
  test('log in, lock with the top-bar button, unlock again', async ({ page, custos }) => {
    await initWorkspace(custos);
    await page.goto(custos.url);
    await expect(page.getByRole('heading', { name: WORKSPACE_NAME })).toBeVisible();
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByText('This workspace is locked. Sign in to unlock it.')).toBeVisible();
    await expect(page.getByText('Locked. A signed checkpoint now covers everything done so far.')).toBeVisible();
    // The core really is locked, not just the screen.
    const status = await custos.api<{ state: string }>('workspace.status');
    expect(status.ok && status.value.state).toBe('locked');
    // The username starts empty (a colleague at the screen types their own); one button brings back the previous user.
    await expect(page.getByLabel('Username')).toHaveValue('');
    await checkScreen(page, '04-locked');
    await page.getByRole('button', { name: `Continue as ${ADMIN.username}` }).click();
    await expect(page.getByLabel('Username')).toHaveValue(ADMIN.username);
    await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused();
    await expect(page.getByRole('button', { name: `Continue as ${ADMIN.username}` })).toHaveCount(0);

    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    // A reload keeps the session of this tab.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  });

  test('a wrong passphrase shows the core’s sentence, and repeated failures lock the account', async ({ page, custos }) => {
    await initWorkspace(custos);
    await page.goto(custos.url);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Passphrase', { exact: true }).fill('not the right passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('The username or passphrase is not correct.');
    await expect(page.getByLabel('Passphrase', { exact: true })).toHaveValue('');
    await checkScreen(page, '05-wrong-passphrase');

    // The policy allows 5 failures; the next attempt is refused even with the right passphrase.
    for (let i = 0; i < 4; i++) {
      await page.getByLabel('Passphrase', { exact: true }).fill(`wrong passphrase ${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    }
    await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('This account is locked after 5 failed sign-ins');
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });

  test('recover access with the recovery key, then sign in with the new passphrase', async ({ page, custos }) => {
    const { recoveryKey } = await initWorkspace(custos);
    await page.goto(custos.url);
    await page.getByRole('button', { name: 'Forgot your passphrase? Use the recovery key' }).click();
    const form = page.getByRole('form', { name: 'Recover access' });
    await form.getByLabel('Recovery key').fill('AAAAA-BBBBB-CCCCC-DDDDD');
    await form.getByLabel('Username').fill(ADMIN.username);
    await form.getByLabel('New passphrase', { exact: true }).fill('recovered passphrase 2024');
    await form.getByLabel('Confirm new passphrase').fill('recovered passphrase 2024');
    await form.getByRole('button', { name: 'Set new passphrase' }).click();
    await expect(page.getByRole('alert')).toHaveText('The recovery key is not correct.');
    await checkScreen(page, '06-recover-access');
    await form.getByLabel('Recovery key').fill(recoveryKey);
    await form.getByRole('button', { name: 'Set new passphrase' }).click();
    await expect(page.getByText('Your passphrase was replaced. Sign in with the new one.')).toBeVisible();
    await signIn(page, ADMIN.username, 'recovered passphrase 2024');
  });

  test('the UI returns to sign-in when another session locks the workspace', async ({ page, custos }) => {
    await initWorkspace(custos);
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    const other = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
    await custos.api('session.lock', {}, other);
    // The `session.locked` event arrives over SSE; no click needed.
    await expect(page.getByText('This workspace is locked. Sign in to unlock it.')).toBeVisible();
  });
});

test.describe('idle auto-lock', () => {
  test.use({ serveEnv: { CUSTOS_IDLE_LOCK_MINUTES: '0.05' } });

  test('the core locks after the idle time and the UI shows why', async ({ page, custos }) => {
    await initWorkspace(custos);
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await expect(page.getByText(/locked the workspace after 0\.05 minutes without activity/)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });
});
