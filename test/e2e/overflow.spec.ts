import type { Page } from '@playwright/test';
import { ADMIN, apiSettled, expect, signIn, test } from './fixtures.js';

/**
 * Screens never overflow (issue 15, item 7): at 1280×720 and 1440×900, every area of the
 * navigation — as it opens, with its first item's detail open, and with each dialog of its header
 * open — has no page-level scroll, no list whose columns are cut off, and dialogs whose footer is
 * on screen with one scrolling part at most.
 */

test.use({ demoEvents: 3000 });

interface Overflow {
  page: string | null;
  grids: string[];
}

/** What overflows on the page now: the document itself, and any list wider than its box. */
async function overflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    const pageProblem =
      doc.scrollHeight > window.innerHeight + 1 || doc.scrollWidth > window.innerWidth + 1
        ? `document ${doc.scrollWidth}×${doc.scrollHeight} in a ${window.innerWidth}×${window.innerHeight} window`
        : null;
    const grids = Array.from(document.querySelectorAll<HTMLElement>('[role="grid"], table'))
      .filter((g) => g.offsetParent !== null && g.scrollWidth > g.clientWidth + 1)
      .map((g) => `${g.getAttribute('aria-label') ?? g.tagName}: content ${g.scrollWidth}px in ${g.clientWidth}px`);
    // A list/detail screen fills the window: its list and pane scroll, the content area does not.
    const content = document.querySelector<HTMLElement>('.frame__content');
    const fill = document.querySelector('.page--fill');
    const contentProblem =
      fill && content && content.scrollHeight > content.clientHeight + 1 ? `content area ${content.scrollHeight}px tall in ${content.clientHeight}px` : null;
    return { page: pageProblem ?? contentProblem, grids };
  });
}

/** The open dialog: its footer is inside the window, and at most one part of it scrolls. */
async function dialogProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const d = document.querySelector<HTMLElement>('[role="dialog"]');
    if (!d) return [];
    const out: string[] = [];
    const footer = d.querySelector<HTMLElement>('.dialog__footer');
    if (footer) {
      const r = footer.getBoundingClientRect();
      if (r.bottom > window.innerHeight + 1 || r.top < 0) out.push(`footer at ${Math.round(r.top)}–${Math.round(r.bottom)} in a ${window.innerHeight}px window`);
    }
    const scrolling = [d, ...Array.from(d.querySelectorAll<HTMLElement>('*'))].filter((el) => {
      const s = getComputedStyle(el);
      return /(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.getAttribute('role') !== 'listbox';
    });
    if (scrolling.length > 1) out.push(`${scrolling.length} nested scrolling parts: ${scrolling.map((e) => e.className || e.tagName).join(', ')}`);
    if (d.scrollWidth > d.clientWidth + 1) out.push(`content ${d.scrollWidth}px wide in ${d.clientWidth}px`);
    return out;
  });
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`no screen overflows at ${size.width}×${size.height}`, async ({ page, custos }) => {
    test.setTimeout(300_000);
    await page.setViewportSize(size);
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const areas = (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    expect(areas.length).toBeGreaterThan(10);
    const problems: string[] = [];
    const check = async (where: string) => {
      // Lists fit their columns when a ResizeObserver reports their width, a frame or more after a
      // pane opens (longer on a loaded machine): what is checked is the screen once it has settled.
      let o = await overflow(page);
      for (let tries = 0; tries < 20 && (o.page || o.grids.length > 0); tries++) {
        await page.waitForTimeout(100);
        o = await overflow(page);
      }
      if (o.page) problems.push(`${where}: ${o.page}`);
      for (const g of o.grids) problems.push(`${where}: ${g}`);
    };

    for (const area of areas) {
      await nav.getByRole('link', { name: area, exact: true }).click();
      await expect(page.locator('main h1').first()).toBeVisible();
      await apiSettled(page);
      await check(area);

      // With the first item's detail open beside the list.
      const row = page.locator('main [role="grid"] [role="row"][aria-rowindex="2"]').first();
      if (await row.isVisible()) {
        await row.click();
        await apiSettled(page);
        await check(`${area} with its detail open`);
      }

      // Each dialog the header opens (buttons that open none are left as they are).
      const buttons = page.locator('main .page__actions button:enabled');
      for (let i = 0; i < (await buttons.count()); i++) {
        const b = buttons.nth(i);
        const name = (await b.innerText()).trim();
        if (/^(Verify now|Lock|Download.*|Re-verify.*)$/.test(name)) continue;
        await b.click();
        const dialog = page.getByRole('dialog');
        if (!(await dialog.isVisible().catch(() => false))) continue;
        await check(`${area}, dialog “${name}”`);
        for (const p of await dialogProblems(page)) problems.push(`${area}, dialog “${name}”: ${p}`);
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }
    }

    // Exports › Scheduled is a tab of an area, not an area: its list, a schedule's detail and its dialog.
    await nav.getByRole('link', { name: 'Exports', exact: true }).click();
    await page.getByRole('navigation', { name: 'Exports' }).getByRole('link', { name: 'Scheduled' }).click();
    await expect(page.getByTestId('schedules-grid')).toBeVisible();
    await check('Exports › Scheduled');
    await page.getByTestId('schedules-grid').locator('[role="row"][aria-rowindex="2"]').click();
    await expect(page.getByTestId('schedule-detail')).toBeVisible();
    await check('Exports › Scheduled with its detail open');
    await page.locator('main .page__actions').getByRole('button', { name: 'New schedule' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await check('Exports › Scheduled, dialog “New schedule”');
    for (const p of await dialogProblems(page)) problems.push(`Exports › Scheduled, dialog “New schedule”: ${p}`);
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });
}
