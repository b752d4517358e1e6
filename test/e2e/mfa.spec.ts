import { base32Decode, totp } from '../../electron/core/mfa/totp.js';
import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, test } from './fixtures.js';

// Issue 13: a second factor set up in the UI (the test computes the codes itself, RFC 6238), sign-in
// with the code, and an administrator ending someone else's session.

/** The code an authenticator app shows for the key on screen, `stepsAhead` 30-second steps from now. */
function code(secret: string, stepsAhead = 0): string {
  return totp(base32Decode(secret.replace(/\s/g, '')), new Date(Date.now() + stepsAhead * 30_000));
}

test.describe('second factor and sessions', () => {
  test('set up a second factor in Settings › Security, sign out, sign in with a code', async ({ page, custos }) => {
    await initWorkspace(custos);
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Security' }).click();
    const card = page.getByRole('region', { name: 'Second factor' });
    await expect(card.getByText('Off', { exact: true })).toBeVisible();
    // The administrator's role requires one by default: the card says so.
    await expect(card.getByText(/requires a second factor; set it up before/)).toBeVisible();
    await card.getByRole('button', { name: 'Set up second factor' }).click();
    await card.getByRole('button', { name: 'Set up second factor' }).click();
    await expect(card.getByRole('img', { name: /QR code for setting up admin/ })).toBeVisible();
    const secret = (await card.locator('.mfa-secret').textContent()) ?? '';
    expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    await expect(card.getByRole('list', { name: 'Backup codes' }).getByRole('listitem')).toHaveCount(10);
    await checkScreen(page, 'mfa-01-enrol');

    await card.getByLabel('6-digit code').fill(code(secret, 3));
    await card.getByRole('button', { name: 'Turn on second factor' }).click();
    await expect(card.getByRole('alert')).toContainText('That code does not match');
    await card.getByLabel('6-digit code').fill(code(secret));
    await card.getByRole('button', { name: 'Turn on second factor' }).click();
    await expect(card.getByText('On', { exact: true })).toBeVisible();
    await expect(card.getByText('10 of 10')).toBeVisible();
    await checkScreen(page, 'mfa-02-on');

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByText('This workspace is locked. Sign in to unlock it.')).toBeVisible();
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
    await checkScreen(page, 'mfa-03-code-step');
    await page.getByRole('textbox', { name: 'Code' }).fill('000000' === code(secret, 1) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('The code is not correct or was already used; enter the code your authenticator app shows now.');
    await expect(page.getByRole('textbox', { name: 'Code' })).toHaveValue('');
    // The confirming code's step is used up: the next step's code (inside the ±1 window) signs in.
    await page.getByRole('textbox', { name: 'Code' }).fill(code(secret, 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });

  test('an administrator sees who is signed in and ends a session; its next call is refused', async ({ page, custos }) => {
    await initWorkspace(custos);
    const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
    const created = await custos.api('users.create', { username: 'sam.wright', displayName: 'Sam Wright', role: 'viewer', passphrase: ADMIN.passphrase }, admin);
    expect(created.ok).toBe(true);
    const viewer = await apiLogin(custos, 'sam.wright', ADMIN.passphrase);
    expect((await custos.api('cases.list', {}, viewer)).ok).toBe(true);
    // Sam has a second factor (set up by script); the administrator will reset it below.
    const enrol = await custos.api<{ secret: string }>('mfa.enroll', {}, viewer);
    if (!enrol.ok) throw new Error(enrol.error.message);
    expect((await custos.api('mfa.confirm', { otp: code(enrol.value.secret) }, viewer)).ok).toBe(true);
    expect(await custos.api('session.login', { username: 'sam.wright', passphrase: ADMIN.passphrase })).toMatchObject({ ok: false, error: { code: 'mfa_required' } });

    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Security' }).click();
    const policy = page.getByRole('region', { name: 'Who must use a second factor' });
    await expect(policy.getByRole('row', { name: /Administrator/ })).toContainText('0 of 1');
    const sessions = page.getByRole('region', { name: 'Active sessions' });
    await expect(sessions.getByRole('row')).toHaveCount(4);
    await expect(sessions.getByRole('row', { name: /Sam Wright/ })).toContainText('Loopback: node');
    await expect(sessions.getByText('This session')).toBeVisible();
    await checkScreen(page, 'mfa-04-security-admin');

    await sessions.getByRole('button', { name: /End the session of Sam Wright/ }).click();
    const dialog = page.getByRole('dialog', { name: 'End this session' });
    await expect(dialog).toContainText('Sam Wright (Loopback: node');
    await dialog.getByRole('button', { name: 'End session' }).click();
    await expect(dialog).toBeHidden();
    await expect(sessions.getByRole('row', { name: /Sam Wright/ })).toHaveCount(0);
    const refused = await custos.api('cases.list', {}, viewer);
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });

    const reset = page.getByRole('region', { name: 'Reset someone’s second factor' });
    await reset.getByLabel('User').selectOption('sam.wright');
    await reset.getByRole('button', { name: 'Reset…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset second factor' });
    await confirm.getByRole('button', { name: 'Reset' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText('Sam Wright’s second factor was removed.')).toBeVisible();
    expect((await custos.api('session.login', { username: 'sam.wright', passphrase: ADMIN.passphrase })).ok).toBe(true);

    const events = await custos.api<{ events: { action: string; actor: string; details: Record<string, unknown> }[] }>('ledger.query', { action: 'sessions.revoke' }, admin);
    expect(events.ok && events.value.events).toMatchObject([{ action: 'sessions.revoke', actor: 'admin', details: { user: 'sam.wright' } }]);
  });

  test.describe('when the time to set it up has ended', () => {
    test.use({ serveEnv: { CUSTOS_MFA_GRACE_DAYS: '0' } });

    test('an administrator without a second factor can only set it up, then works', async ({ page, custos }) => {
      await initWorkspace(custos);
      await page.goto(custos.url);
      await page.getByLabel('Username').fill(ADMIN.username);
      await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Set up your second factor' })).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
      await page.getByRole('button', { name: 'Set up second factor' }).click();
      const secret = (await page.locator('.mfa-secret').textContent()) ?? '';
      await checkScreen(page, 'mfa-05-enrolment-required');
      await page.getByLabel('6-digit code').fill(code(secret));
      await page.getByRole('button', { name: 'Turn on second factor' }).click();
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    });
  });
});
