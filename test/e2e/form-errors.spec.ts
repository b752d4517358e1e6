import type { Locator, Page } from '@playwright/test';
import { expectAtField } from './field-errors.js';
import { ADMIN, expect, expectAccessible, screen, signIn, test } from './fixtures.js';

/**
 * Issue 15.8 as a class: over a list of dialogs, a submit with an empty or bad value shows a plain
 * sentence under the field it is about (the input's aria-describedby names it, aria-invalid is set,
 * the focus is there), never the schema's wording and never only in the dialog's alert.
 */

test.use({ demoEvents: 400 });

const OFFICER = { username: 'maria.chen', passphrase: ADMIN.passphrase };

async function openArea(page: Page, route: string, heading: string): Promise<void> {
  await page.goto(`${page.url().split('#')[0]}#/${route}`);
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
}

interface Case {
  name: string;
  route: string;
  heading: string;
  /** Opens the dialog from the screen. */
  open: (page: Page) => Promise<void>;
  dialog: string;
  /** Fills what must be wrong, if an empty form is not enough. */
  fill?: (dialog: Locator) => Promise<void>;
  submit: string;
  label: string;
  sentence: string;
}

const DIALOGS: Case[] = [
  {
    name: 'new case, empty',
    route: 'cases',
    heading: 'Cases',
    open: (p) => p.getByRole('button', { name: 'New case' }).click(),
    dialog: 'New case',
    submit: 'Open case',
    label: 'Title',
    sentence: 'Enter a title.',
  },
  {
    name: 'new case, title too long',
    route: 'cases',
    heading: 'Cases',
    open: (p) => p.getByRole('button', { name: 'New case' }).click(),
    dialog: 'New case',
    fill: (d) => d.getByLabel('Title', { exact: true }).fill('x'.repeat(201)),
    submit: 'Open case',
    label: 'Title',
    sentence: 'A title takes at most 200 characters.',
  },
  {
    name: 'note on a case',
    route: 'cases',
    heading: 'Cases',
    open: async (p) => {
      await p.getByTestId('cases-grid').getByRole('row').nth(1).click();
      await p.getByRole('button', { name: 'Add note' }).click();
    },
    dialog: 'Add a note to',
    submit: 'Add note',
    label: 'Note',
    sentence: 'Enter a note.',
  },
  {
    name: 'new incident',
    route: 'incidents',
    heading: 'Incidents',
    open: (p) => p.getByRole('button', { name: 'New incident' }).click(),
    dialog: 'Record a security incident',
    submit: 'Record incident',
    label: 'Title',
    sentence: 'Enter a title.',
  },
  {
    name: 'subpoena without its due date (the form’s own check)',
    route: 'subpoenas',
    heading: 'Subpoenas',
    open: (p) => p.getByRole('button', { name: 'Log a subpoena' }).click(),
    dialog: 'Log a subpoena',
    submit: 'Log subpoena',
    label: 'Response due',
    sentence: 'Give the date the response is due.',
  },
  {
    name: 'subpoena without its subject (a picker)',
    route: 'subpoenas',
    heading: 'Subpoenas',
    open: (p) => p.getByRole('button', { name: 'Log a subpoena' }).click(),
    dialog: 'Log a subpoena',
    fill: (d) => d.getByLabel('Response due', { exact: true }).fill('2027-01-15'),
    submit: 'Log subpoena',
    label: 'Subject (whose records are requested)',
    sentence: 'Enter a subject.',
  },
  {
    name: 'new workflow (the form’s own check)',
    route: 'compliance/workflows',
    heading: 'Compliance',
    open: (p) => p.getByRole('button', { name: 'Start workflow…' }).click(),
    dialog: 'Start a workflow',
    submit: 'Start workflow',
    label: 'Title',
    sentence: 'Give the workflow a title, e.g. who the request is from or which period it covers.',
  },
];

test('errors appear at the field they are about, in plain words, over every kind of dialog', async ({ page, custos }) => {
  test.slow();
  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);
  let n = 0;
  for (const c of DIALOGS) {
    await test.step(c.name, async () => {
      await openArea(page, c.route, c.heading);
      await c.open(page);
      const dialog = page.getByRole('dialog', { name: c.dialog });
      await expect(dialog).toBeVisible();
      await c.fill?.(dialog);
      await dialog.getByRole('button', { name: c.submit, exact: true }).click();
      await expectAtField(dialog, c.label, c.sentence);
      if (n === 0) {
        await expectAccessible(page, `field error: ${c.name}`);
        await screen(page, 'fe-new-case-empty');
      }
      // Typing in a text field takes its error away.
      if (!c.label.startsWith('Response due')) {
        await dialog.getByLabel(c.label, { exact: true }).press('End');
        await dialog.getByLabel(c.label, { exact: true }).pressSequentially('1');
        await expect(dialog.getByLabel(c.label, { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
      }
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
      n++;
    });
  }
  expect(n).toBe(DIALOGS.length);
});
