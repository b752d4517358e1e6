import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, apiLogin, expect, expectAccessible, focusGrid, screen, signIn, test, type CustosServer } from './fixtures.js';
import { expectAtField } from './field-errors.js';

/**
 * Issue 15 items 8 and 9, one journey per role on the demo: the officer works a case, the counsel
 * reviews a subpoena and decides an export, the auditor follows a refusal into the Ledger and reads
 * it by keyboard. Each asserts the corrected answers — dates in the one format, counts in words with
 * their plural, errors at their field, links that carry the filter — and runs axe on every screen.
 */

test.use({ demoEvents: 1200 });
test.slow();

const OFFICER = { username: 'maria.chen', passphrase: ADMIN.passphrase };
const AUDITOR = { username: 'priya.raman', passphrase: ADMIN.passphrase };
// The demo's counsel signs in with a second factor (mfa.spec covers that); this journey's counsel is added for it.
const COUNSEL = { username: 'lee.counsel', displayName: 'Lee Counsel', passphrase: 'counsel journey passphrase 7' };

/** An instant as people read it everywhere: "2 Dec 2026, 07:04". */
const INSTANT = /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}\b/;
/** What no screen shows any more: ISO dates, zero-padded days with seconds, "(s)" plurals, counts of one in the plural. */
const RAW_DATE = /\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?\b/;
const WRONG_PLURAL = /\b1 (events|failures|records|steps|pages|files|days|findings)\b|\w\(s\)/;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** The text a person reads in `where`, without what sits in tooltips and machine attributes. */
async function visibleText(where: Locator): Promise<string> {
  return where.innerText();
}

async function expectPlainDates(where: Locator): Promise<void> {
  const text = await visibleText(where);
  expect(text, 'no ISO date is shown to people').not.toMatch(RAW_DATE);
  expect(text, 'counts of one read in the singular, no "(s)"').not.toMatch(WRONG_PLURAL);
}

async function seen(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screen(page, `journey-${name}`);
}

/** Locks; the lock screen offers to continue as the same person or, its username empty, to switch user. */
async function lock(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(`^Continue as ${username.replace(/\./g, '\\.')}`) })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue('');
}

test('officer: a deadline from the Dashboard, a case by keyboard with its timeline, a hold, an export request', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);

  // Dashboard: the due list opens its item; plurals and dates read as people write them.
  const main = page.locator('main');
  await expect(page.getByTestId('deadlines-table')).toBeVisible();
  await expectPlainDates(main);
  await seen(page, 'officer-dashboard');
  const due = page.getByTestId('deadlines-table').locator('.deadlines__link').first();
  await due.click();
  await expect(page.locator('.ferpa-detail, [data-testid$="-detail"]').first()).toBeVisible();
  await seen(page, 'officer-deadline-item');

  // Deadlines: a row opens its item the same way.
  await openArea(page, 'Deadlines');
  await expectPlainDates(page.getByTestId('deadlines-table'));
  await seen(page, 'officer-deadlines');
  const row = page.getByTestId('deadlines-table').locator('.deadlines__link').first();
  const refId = ((await row.textContent()) ?? '').trim();
  await row.click();
  await expect(page.locator('.ferpa-detail').first()).toContainText(refId.split(' ')[0]!);

  // Cases: one tab stop, arrows move, the detail follows and opens at its top; Enter keeps it.
  await openArea(page, 'Cases');
  const grid = page.getByTestId('cases-grid');
  await focusGrid(grid);
  await page.keyboard.press('ArrowDown');
  const pane = page.getByTestId('case-detail');
  await expect(pane).toBeVisible();
  const first = (await pane.getByRole('heading', { level: 2 }).textContent()) ?? '';
  await pane.locator('.detail__body').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByRole('heading', { level: 2 })).not.toHaveText(first);
  await expect(grid).toBeFocused();
  await expect.poll(() => pane.locator('.detail__body').evaluate((el) => el.scrollTop)).toBe(0);
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(pane.getByRole('heading', { level: 2 })).toHaveText(first);
  // Its timeline: a count with its noun, each entry dated in the one format.
  const timeline = pane.getByRole('heading', { name: /^Timeline \([\d,]+ events?\)$/ });
  await expect(timeline).toBeVisible();
  await expect(pane).toContainText(INSTANT);
  await expectPlainDates(pane);
  await seen(page, 'officer-case');

  // A legal hold for this case: the scope's subjects are picked, not typed as ids; an empty title is refused at its field.
  const caseId = first.trim().split(/\s/)[0]!;
  await openArea(page, 'Holds');
  await page.getByRole('button', { name: 'New hold' }).click();
  const hold = page.getByRole('dialog', { name: 'Create a legal hold' });
  await hold.getByLabel('Case', { exact: true }).fill(caseId);
  await expect(hold.getByLabel('Subjects', { exact: true })).toBeVisible();
  await hold.getByRole('button', { name: 'Create draft hold' }).click();
  await expectAtField(hold, 'Title', 'Enter a title.');
  await seen(page, 'officer-hold-field-error');
  await hold.getByLabel('Title', { exact: true }).fill('Preserve the journey records');
  await hold.getByRole('button', { name: 'Create draft hold' }).click();
  await expect(hold).toBeHidden();
  await expect(page.getByTestId('hold-detail')).toContainText('Preserve the journey records');

  // An export request: its own form speaks at the field too.
  await openArea(page, 'Exports');
  await page.getByRole('button', { name: 'New export request' }).first().click();
  const exp = page.getByRole('dialog', { name: 'New export request' });
  await exp.getByRole('button', { name: 'Request export' }).click();
  const title = exp.getByLabel('Title', { exact: true });
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(exp).not.toContainText(/expected|Too small|>=/);
  await title.fill('Journey export for the board');
  await exp.getByLabel('Recipient', { exact: true }).fill('School board');
  await exp.getByLabel('Purpose', { exact: true }).fill('Quarterly review of record access.');
  await exp.getByRole('button', { name: 'Request export' }).click();
  await expect(exp).toBeHidden();
  const detail = page.getByTestId('export-detail');
  await expect(detail).toContainText('Journey export for the board');
  await expect(detail).toContainText(INSTANT);
  await expectPlainDates(detail);
  await seen(page, 'officer-export');
});

async function addCounsel(custos: CustosServer): Promise<void> {
  const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  await ok(custos.api('users.create', { username: COUNSEL.username, displayName: COUNSEL.displayName, role: 'legal_counsel', passphrase: COUNSEL.passphrase }, admin));
}

test('counsel: reviews a subpoena, sees a refusal at its field in plain words, approves an export', async ({ page, custos }) => {
  await addCounsel(custos);
  const officer = await apiLogin(custos, OFFICER.username, OFFICER.passphrase);
  const req = await ok(
    custos.api<{ request: { id: string; status: string } }>(
      'exports.request',
      { title: 'Litigation production for counsel', type: 'LEGAL', format: 'csv', purpose: 'Production to opposing counsel under the protective order.', recipient: 'Opposing counsel' },
      officer,
    ),
  );
  expect(req.request.status).toBe('pending');

  await page.goto(custos.url);
  await signIn(page, COUNSEL.username, COUNSEL.passphrase);

  // A subpoena: its dates read "2 Dec 2026", its day counts in words.
  await openArea(page, 'Subpoenas');
  const subpoenas = page.getByTestId('subpoenas-grid');
  await focusGrid(subpoenas);
  await page.keyboard.press('Enter');
  const sp = page.getByTestId('subpoena-detail');
  await expect(sp).toBeVisible();
  await expect(sp).toContainText(INSTANT);
  await expectPlainDates(sp);
  await seen(page, 'counsel-subpoena');

  // The export waiting for a second person: a rejection without a reason is refused at the field.
  await openArea(page, 'Exports');
  await page.getByTestId('exports-grid').getByRole('row').filter({ hasText: req.request.id }).click();
  const detail = page.getByTestId('export-detail');
  await expect(detail).toContainText('Litigation production for counsel');
  await detail.getByRole('button', { name: /^Reject/ }).click();
  const reject = page.getByRole('dialog', { name: `Reject ${req.request.id}` });
  await reject.getByRole('button', { name: /^Reject/ }).click();
  const reason = reject.getByLabel('Reason', { exact: true });
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(reject).toContainText('Enter a reason for the requester.');
  await expect(reject).not.toContainText(/expected|Too small|>=/);
  await seen(page, 'counsel-reject-field-error');
  await reject.getByRole('button', { name: 'Cancel' }).click();

  await detail.getByRole('button', { name: /^Approve/ }).click();
  const approve = page.getByRole('dialog', { name: `Approve ${req.request.id}` });
  await approve.getByRole('button', { name: /^Approve/ }).click();
  await expect(approve).toBeHidden();
  await expect(detail).toContainText(/Approved/i);
  await expect(detail).toContainText(INSTANT);
  await expectPlainDates(detail);
  await seen(page, 'counsel-approved');
});

test('auditor: a denied action from the Dashboard opens in the Ledger with its filter in the URL; arrows and Enter browse; verify; a bundle reviewed', async ({ page, custos }) => {
  const admin = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  // Filtered by date (every event), so it is made at once; a whole-ledger bundle would wait for a second person.
  const made = await ok(custos.api<{ fileName: string }>('bundles.create', { from: '2000-01-01' }, admin));

  await page.goto(custos.url);
  await signIn(page, AUDITOR.username, AUDITOR.passphrase);

  // Dashboard → the refusal, in the Ledger, among the refusals of the same action.
  const denied = page.getByRole('region', { name: 'Recent denied actions' });
  await expect(denied.getByRole('link').first()).toBeVisible();
  await expectPlainDates(page.locator('main'));
  await seen(page, 'auditor-dashboard');
  const link = denied.getByRole('link').first();
  const action = ((await link.textContent()) ?? '').trim();
  const seq = /event (\d+)/.exec((await link.getAttribute('aria-label')) ?? '')?.[1];
  expect(seq).toBeDefined();
  await link.click();
  await expect(page.getByRole('heading', { name: 'Ledger', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/ledger/${seq}/outcome/denied/action/${action.replace(/\./g, '\\.')}`));
  const detail = page.getByTestId('event-detail');
  await expect(detail.getByRole('heading', { name: `Event ${Number(seq).toLocaleString('en-US')}` })).toBeVisible();
  await expect(detail).toContainText(INSTANT);
  await expect(page.getByTestId('ledger-count')).toHaveText(/^(1 event matches|[\d,]+ events match)$/);
  await seen(page, 'auditor-denied-in-ledger');

  // The same link reloaded is the same view (deep link).
  await page.reload();
  await expect(page.getByTestId('event-detail').getByRole('heading', { name: `Event ${Number(seq).toLocaleString('en-US')}` })).toBeVisible();

  // Keyboard: the grid is one tab stop; arrows move, Enter opens, the URL follows the open event.
  const grid = page.getByRole('grid', { name: 'Ledger events, newest first' });
  await page.getByRole('button', { name: 'Clear all', exact: true }).click();
  await expect(page).not.toHaveURL(/outcome\/denied/);
  // The unfiltered list has loaded (keys pressed while it reloads would move over the old rows).
  await expect(page.getByTestId('ledger-count')).toHaveText(/^[\d,]+ events$/);
  await expect(grid.locator('[data-seq]').first()).toBeVisible();
  await focusGrid(grid);
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const rowSeq = await grid.locator('[aria-selected="true"]').getAttribute('data-seq');
  await expect(page.getByTestId('event-detail').getByRole('heading', { name: `Event ${Number(rowSeq).toLocaleString('en-US')}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/ledger/${rowSeq}(/|$)`));
  await page.keyboard.press('ArrowDown');
  await expect(grid).toBeFocused();
  const nextSeq = await grid.locator('[aria-selected="true"]').getAttribute('data-seq');
  expect(Number(nextSeq)).toBe(Number(rowSeq) - 1);
  await expect(page.getByTestId('event-detail').getByRole('heading', { name: `Event ${Number(nextSeq).toLocaleString('en-US')}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/ledger/${nextSeq}(/|$)`));
  await seen(page, 'auditor-ledger-keyboard');

  // Verify the ledger.
  await page.getByRole('button', { name: 'Verify now' }).click();
  const panel = page.getByTestId('verify-panel');
  await expect(panel.getByText('VALID', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expectPlainDates(panel);
  await seen(page, 'auditor-verified');

  // Audit review: the workspace's own bundle is verified and called valid (and not imported).
  await openArea(page, 'Audit review');
  await page.getByRole('button', { name: 'Import bundle…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a log bundle' });
  await dialog.getByLabel('Bundle file').setInputFiles({ name: 'own-ledger.zip', mimeType: 'application/zip', buffer: readFileSync(join(custos.dir, 'exports', made.fileName)) });
  await dialog.getByRole('button', { name: 'Verify and import' }).click();
  const result = page.getByRole('dialog', { name: 'Bundle valid, not imported' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(result.locator('.audit-report__verdict')).toContainText('VALID');
  await expectPlainDates(result);
  await seen(page, 'auditor-bundle');
  await result.getByRole('button', { name: 'Close' }).click();
  await expect(result).toBeHidden();
  await lock(page, AUDITOR.username);
});
