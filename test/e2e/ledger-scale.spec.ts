import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ADMIN, expect, expectAccessible, focusGrid, makeDemo, screen, signIn, startServe, tempDir, test, type CustosServer } from './fixtures.js';

/**
 * The viewer over a large ledger: one workspace of 200,000 demo events, made once for this file.
 * Each test serves it afresh; they run one after another because they share the folder.
 */
test.describe.configure({ mode: 'serial' });

const EVENTS = 200_000;
let dir = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = tempDir('custos-e2e-large-');
  await makeDemo(dir, EVENTS);
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let server: CustosServer;
let stop: () => Promise<void>;

test.beforeEach(async () => {
  ({ server, stop } = await startServe(dir));
});

test.afterEach(async () => {
  await stop();
});

async function openLedger(page: Page): Promise<void> {
  await page.goto(server.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger' }).click();
  await expect(page.getByTestId('ledger-count')).toHaveText(/^2\d\d,\d{3} events$/);
}

/** How long the page's main thread takes to answer: a frozen page would not answer at all. */
async function roundTrip(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  return Date.now() - t0;
}

// First in the file: the demo was made by the CLI, which does not index, so this is the first unlock
// of the workspace by a host that stays open, and the free-text index starts from nothing.
test('a search while the free-text index catches up says so, and answers the same once it has', async ({ page }) => {
  test.setTimeout(240_000);
  await openLedger(page);
  await page.getByLabel('Search', { exact: true }).fill('S-10442');
  const status = page.getByTestId('ledger-index-status');
  await expect(status).toHaveText(/^Search index catching up \([\d,]+ of 2\d\d,\d{3} events\)$/);
  // At once, while the note shows: accessible (axe) and a screenshot.
  await expectAccessible(page, 'ledger search while the index catches up');
  await screen(page, '32-ledger-200k-search-catching-up-light');
  await expect(page.getByTestId('ledger-count')).toHaveText(/^[\d,]+ events? match$/, { timeout: 30_000 });
  const during = (await page.getByTestId('ledger-count').textContent()) ?? '';
  const grid = page.getByTestId('ledger-grid');
  await expect(grid.locator('.lt__body [role="row"][data-seq]').first()).toBeVisible();
  // The viewer keeps asking; the note goes once the index has reached the newest event.
  await expect(status).toBeHidden({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('ledger-count')).toHaveText(during);
  const resources = await grid.locator('.lt__body [role="row"][data-seq]').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
  expect(resources.length).toBeGreaterThan(0);
  expect(resources.every((r) => r.includes('S-10442') || r.includes('SUBJ-'))).toBe(true);
});

test('scrolls from the newest event to seq 1 without freezing', async ({ page }) => {
  await openLedger(page);
  const grid = page.getByTestId('ledger-grid');
  const total = Number(((await page.getByTestId('ledger-count').textContent()) ?? '').replace(/\D/g, ''));
  await expect(grid.locator(`[data-seq="${total}"]`)).toBeVisible();

  // Drag through the list like a person with the scrollbar: many jumps, each answered at once.
  const slowest: number[] = [];
  for (const f of [0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95]) {
    await grid.evaluate((el, frac) => {
      el.scrollTop = (el.scrollHeight - el.clientHeight) * frac;
    }, f);
    slowest.push(await roundTrip(page));
  }
  expect(Math.max(...slowest)).toBeLessThan(1000);

  // The bottom of the list is the first event ever recorded.
  await grid.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(grid.locator('[data-seq="1"]')).toBeVisible({ timeout: 10_000 });
  expect(await roundTrip(page)).toBeLessThan(1000);
  await screen(page, '30-ledger-200k-bottom-light');

  // Rows in the middle are where the arithmetic says (newest first, no gaps).
  await grid.evaluate((el) => {
    el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
  });
  const row = grid.locator('.lt__body [role="row"][data-seq]').nth(5);
  await expect(row).toBeVisible();
  // Both attributes in one read, once the virtualizer has settled on the new position (a row
  // element is reused while scrolling, so two separate reads could straddle a re-render).
  await expect
    .poll(async () =>
      row.evaluate((el) => {
        const index = Number(el.getAttribute('aria-rowindex')) - 2;
        return { index, seq: Number(el.getAttribute('data-seq')) };
      }).then(({ index, seq }) => index > total / 4 && index < (total * 3) / 4 && seq === total - index),
    )
    .toBe(true);

  // Keyboard: Home and End cross the whole list.
  await focusGrid(grid);
  await page.keyboard.press('End');
  await expect(grid.locator('[role="row"][aria-selected="true"]')).toHaveAttribute('data-seq', '1');
  await page.keyboard.press('Home');
  await expect(grid.locator('[role="row"][aria-selected="true"]')).toHaveAttribute('data-seq', String(total));
});

test('a filtered list pages deep on demand', async ({ page }) => {
  await openLedger(page);
  const grid = page.getByTestId('ledger-grid');
  await page.getByLabel('Outcome', { exact: true }).selectOption('denied');
  await expect(page.getByTestId('ledger-count')).toHaveText(/^[\d,]+ events match$/);
  const denied = Number(((await page.getByTestId('ledger-count').textContent()) ?? '').replace(/\D/g, ''));
  expect(denied).toBeGreaterThan(1000);
  await focusGrid(grid);
  await page.keyboard.press('End');
  const last = grid.locator('[role="row"][aria-selected="true"]');
  await expect(last).toHaveAttribute('aria-rowindex', String(denied + 1));
  await expect(last).toHaveAttribute('data-seq', /^\d+$/);
  await expect(last).toContainText('Denied');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('event-detail').getByText('Verified', { exact: true })).toBeVisible();
  await screen(page, '31-ledger-200k-filtered-detail-light');
});
