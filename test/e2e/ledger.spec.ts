import type { Locator, Page } from '@playwright/test';
import { ADMIN, checkScreen, expect, focusGrid, signIn, test } from './fixtures.js';

test.use({ demoEvents: 3000 });
// Each screen is checked by axe in two themes, which is slow on small machines.
test.slow();

function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Ledger events, newest first' });
}

/** The loaded rows' values of one column (1-based, like the grid's columns). */
async function column(page: Page, n: number): Promise<string[]> {
  return grid(page).locator(`.lt__body [role="row"][data-seq] > [role="gridcell"]:nth-child(${n})`).allTextContents();
}

/** True when rows are loaded and every one passes (an empty list, as while a filter reloads, is not yet an answer). */
function everyRow(values: string[], ok: (value: string) => boolean): boolean {
  return values.length > 0 && values.every(ok);
}

async function count(page: Page): Promise<number> {
  const text = (await page.getByTestId('ledger-count').textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
}

/**
 * Waits until a filtered list has settled: the count is below `all` and above zero, and the loaded
 * rows are there and all pass `ok` on column `n` (while the page loads, the count reads 0 and the
 * rows are the old ones or none). Returns the settled count.
 */
async function settledFilter(page: Page, all: number, n: number, ok: (value: string) => boolean): Promise<number> {
  await expect
    .poll(async () => {
      const c = await count(page);
      const values = await column(page, n);
      return c > 0 && c < all && everyRow(values, ok);
    })
    .toBe(true);
  return count(page);
}

async function openLedger(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger' }).click();
  await expect(page.getByRole('heading', { name: 'Ledger', level: 1 })).toBeVisible();
  await expect(page.getByTestId('ledger-count')).toHaveText(/^[\d,]+ events$/);
  await expect(grid(page).locator('[data-seq]').first()).toBeVisible();
}

test('ledger viewer: filters, chips and facets narrow the list', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openLedger(page);
  const all = await count(page);
  expect(all).toBeGreaterThanOrEqual(3000);
  await checkScreen(page, '20-ledger');

  // Action prefix with `*`.
  await page.getByLabel('Action', { exact: true }).fill('session.*');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('session.*');
  const sessions = await settledFilter(page, all, 4, (a) => a.startsWith('session.'));

  // Outcome applies at once and combines with the action.
  await page.getByLabel('Outcome', { exact: true }).selectOption('failure');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('failure');
  const failures = await settledFilter(page, sessions + 1, 6, (o) => o === 'Failure');
  expect(failures).toBeLessThan(sessions);

  // Removing a chip removes that filter only.
  await page.getByRole('button', { name: 'Remove filter Outcome: failure' }).click();
  await expect.poll(() => count(page)).toBeGreaterThan(failures);
  await expect(page.getByLabel('Outcome', { exact: true })).toHaveValue('');
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect.poll(() => count(page)).toBe(all);

  // Denied only.
  await page.getByLabel('Outcome', { exact: true }).selectOption('denied');
  await expect.poll(async () => everyRow(await column(page, 6), (o) => o === 'Denied')).toBe(true);
  await page.getByLabel('Outcome', { exact: true }).selectOption('');

  // Actor (suggested by the facets) and free text (debounced).
  const actors = await page.locator('datalist').first().locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(actors).toContain('maria.chen');
  await page.getByLabel('Actor', { exact: true }).fill('maria.chen');
  await expect.poll(async () => everyRow(await column(page, 3), (a) => a === 'maria.chen')).toBe(true);
  await page.getByLabel('Search', { exact: true }).fill('S-10442');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('S-10442');
  // Free text also matches details: the demo's subjects.create of SUBJ-… names the student id S-10442 there.
  await expect.poll(async () => everyRow(await column(page, 5), (r) => r.includes('S-10442') || r.includes('SUBJ-'))).toBe(true);
  await checkScreen(page, '21-ledger-filtered');
});

test('ledger deep links: the filters and the open event are in the route; the Dashboard opens a denied action among its kind', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  // The Dashboard's denied action opens that event in the Ledger, filtered to refusals of the same action.
  const denied = page.getByRole('region', { name: 'Recent denied actions' }).getByRole('link').first();
  const action = ((await denied.textContent()) ?? '').trim();
  await denied.click();
  await expect(page.getByRole('heading', { name: 'Ledger', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Outcome', { exact: true })).toHaveValue('denied');
  await expect(page.getByLabel('Action', { exact: true })).toHaveValue(action);
  await expect(page).toHaveURL(new RegExp(`#/ledger/\\d+/outcome/denied/action/${action.replace('.', '\\.')}$`));
  const seq = /#\/ledger\/(\d+)\//.exec(page.url())![1]!;
  await expect(page.getByTestId('event-detail').getByRole('heading', { name: `Event ${Number(seq).toLocaleString('en-US')}` })).toBeVisible();
  await expect.poll(async () => everyRow(await column(page, 6), (o) => o === 'Denied')).toBe(true);

  // Filters typed here are written to the route; a reload shows the same view.
  await page.getByLabel('Actor', { exact: true }).fill('sam.wright');
  await expect(page).toHaveURL(/\/actor\/sam\.wright(\/|$)/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Ledger', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Actor', { exact: true })).toHaveValue('sam.wright');
  await expect(page.getByLabel('Outcome', { exact: true })).toHaveValue('denied');
  await expect(page.getByTestId('event-detail').getByRole('heading', { name: `Event ${Number(seq).toLocaleString('en-US')}` })).toBeVisible();
  await expect.poll(async () => everyRow(await column(page, 3), (a) => a === 'sam.wright')).toBe(true);
});

test('ledger viewer: no match, and a date range', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openLedger(page);
  const all = await count(page);

  // A filter that matches nothing says so and offers the way out.
  await page.getByLabel('Resource id', { exact: true }).fill('no-such-resource');
  await expect(page.getByRole('heading', { name: 'No events match these filters' })).toBeVisible();
  await checkScreen(page, '22-ledger-no-match');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => count(page)).toBe(all);
  await expect(page.getByLabel('Search', { exact: true })).toHaveValue('');

  // Date range: "from today" holds only today's events (this sign-in); "to yesterday" none of them.
  const today = new Date().toISOString().slice(0, 10);
  const times = () => grid(page).locator('.lt__body [data-seq] > :nth-child(2)').evaluateAll((cells) => cells.map((c) => c.getAttribute('title') ?? ''));
  await page.getByLabel('From', { exact: true }).fill(today);
  // The count reads 0 for a moment while the filtered page loads: wait for the settled answer.
  await expect.poll(async () => { const n = await count(page); return n > 0 && n < all; }).toBe(true);
  const fromToday = await count(page);
  for (const t of await times()) expect(t >= today).toBe(true);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await page.getByRole('button', { name: /^Remove filter From/ }).click();
  await page.getByLabel('To', { exact: true }).fill(yesterday);
  await expect.poll(() => count(page)).toBe(all - fromToday);
  for (const t of await times()) expect(t < today).toBe(true);
});

test('ledger viewer: keyboard selection, event detail and a verified inclusion proof', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openLedger(page);

  // Keyboard: focus the grid, arrows move the selection, Enter opens the detail beside the list.
  await focusGrid(grid(page));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const selected = grid(page).locator('[role="row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toHaveAttribute('aria-rowindex', '4');
  await page.keyboard.press('ArrowUp');
  await expect(selected).toHaveAttribute('aria-rowindex', '3');
  const seq = Number(await selected.getAttribute('data-seq'));
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('event-detail');
  await expect(detail.getByRole('heading', { name: `Event ${seq.toLocaleString('en-US')}` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // An older event is inside the demo's signed checkpoint: its proof verifies, in the core and here.
  await page.getByLabel('Action', { exact: true }).fill('records.view');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('records.view');
  await grid(page).locator('[data-seq]').nth(20).click();
  await expect(detail.getByText('Verified', { exact: true })).toBeVisible();
  await expect(detail.getByRole('heading', { name: 'Hash chain' })).toBeVisible();
  for (const label of ['Hash', 'Previous hash', 'Leaf hash']) {
    await expect(detail.locator('dt', { hasText: new RegExp(`^${label}$`) })).toBeVisible();
  }
  await expect(detail.getByRole('list', { name: /^Audit path, \d+ hashes$/ })).toBeVisible();
  for (const check of ['Event hash', 'Leaf hash', 'Root from audit path']) {
    await expect(detail.getByRole('listitem').filter({ hasText: `${check}: matches` })).toHaveClass(/check--ok/);
  }
  await expect(detail.locator('.check--bad')).toHaveCount(0);
  await checkScreen(page, '23-ledger-detail');

  // The newest event (this sign-in) is after the checkpoint until one is signed.
  await page.getByRole('button', { name: 'Clear all' }).click();
  await grid(page).locator('[data-seq]').first().click();
  await expect(detail.getByText('Not yet checkpointed')).toBeVisible();
  await detail.getByRole('button', { name: 'Sign a checkpoint now' }).click();
  await expect(detail.getByText('Verified', { exact: true })).toBeVisible();

  // Pivot: events of this resource.
  await detail.getByRole('button', { name: 'Events of this resource' }).click();
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Resource type');
});

test('Verify now shows progress and a VALID report, and the top bar follows', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await expect(page.getByTestId('ledger-status')).toContainText('Not verified yet');
  await openLedger(page);
  await page.getByRole('button', { name: 'Verify now' }).click();
  const panel = page.getByTestId('verify-panel');
  await expect(panel.getByText('VALID', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(panel).toContainText('Events checked');
  await expect(panel.getByRole('table')).toHaveCount(0);
  await expect(page.getByTestId('ledger-status')).toContainText('Ledger valid');
  await checkScreen(page, '24-ledger-verified');

  // The verification is itself ledgered: the list offers the newer event.
  const before = await count(page);
  await page.getByRole('button', { name: '1 newer event · Show' }).click();
  await expect.poll(() => count(page)).toBe(before + 1);
  await expect(grid(page).locator('[data-seq]').first().locator('[role="gridcell"]').nth(3)).toHaveText('ledger.verify');
});
