import { ADMIN, apiSettled, checkScreen, expect, signIn, test } from './fixtures.js';

/**
 * Every area of the navigation, on a demo workspace: it opens, says what it is for (or shows its
 * content), passes axe in light and dark, and leaves a screenshot in test-results/screens/.
 */
const AREAS = ['Dashboard', 'Cases', 'Evidence', 'Holds', 'Amendments', 'Subpoenas', 'Disclosures', 'Exports', 'Audit review', 'Compliance', 'Reports', 'Settings', 'Incidents', 'Retention', 'Alerts', 'Requests'];

test.use({ demoEvents: 3000 });

for (const [i, area] of AREAS.entries()) {
  test(`screen: ${area}`, async ({ page, custos }) => {
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: area, exact: true });
    await link.click();
    await expect(link).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('main')).toBeVisible();
    await expect(page.locator('main h1').first()).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(`^${area} · Custos$`));
    if (area === 'Dashboard') {
      await expect(page.getByRole('figure', { name: /In the last 30 days: [\d,]+ successful/ })).toBeVisible();
      await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Recent denied actions' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Ledger integrity' })).toBeVisible();
      // The due card is fed by the real due list: the demo has overdue amendment and subpoena work.
      const due = page.getByRole('region', { name: 'Due and at risk' });
      await expect(due.getByTestId('deadlines-table').locator('li').first()).toBeVisible();
      await expect(due.getByText(/^[1-9]\d* overdue$/)).toBeVisible();
      await expect(due.locator('li.is-overdue').first()).toBeVisible();
    }
    // The screen's data has come (charts and late reads included), so axe and the screenshot see it settled.
    await apiSettled(page);
    await checkScreen(page, `4${String(i).padStart(2, '0')}-area-${area.toLowerCase().replace(/\s+/g, '-')}`);
  });
}
