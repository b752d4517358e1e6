import type { Locator } from '@playwright/test';
import { expect } from './fixtures.js';

/** The sentences the field's aria-describedby points to. */
async function describedBy(field: Locator): Promise<string[]> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const page = field.page();
  return Promise.all(ids.map(async (id) => (await page.locator(`[id="${id}"]`).innerText()).trim()));
}

/** The field labelled `label` in `dialog` carries `sentence` at itself, has the focus, and the dialog has no alert. */
export async function expectAtField(dialog: Locator, label: string, sentence: string): Promise<void> {
  const field = dialog.getByLabel(label, { exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expect.poll(() => describedBy(field)).toContain(sentence);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(dialog).not.toContainText(/expected|Too small|Too big|>=|Invalid input|request is not valid/);
}

