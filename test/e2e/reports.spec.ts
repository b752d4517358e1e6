import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalizeImport from 'canonicalize';
import { ADMIN, apiLogin, checkScreen, expect, signIn, test } from './fixtures.js';

// Issue 11, item 6 in Chromium: an officer makes a HIPAA report from the Reports screen with
// progress, downloads it, and its hash, text and anchor hold up: the root it prints is the RFC 6962
// root of the ledger's first events up to the size it prints, recomputed here from the events.

const OFFICER = { username: 'maria.chen', passphrase: ADMIN.passphrase };

test.use({ demoEvents: 3000 });

type Canonicalize = (input: unknown) => string | undefined;
// The package is CommonJS with an ES-style default typing (see electron/core/ledger/canonicalize.ts).
const canonicalize: Canonicalize = typeof canonicalizeImport === 'function' ? canonicalizeImport : (canonicalizeImport as { default: Canonicalize }).default;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** RFC 6962 Merkle tree hash of leaf hashes (largest power of two below n splits). */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256').update(Buffer.from([1])).update(mth(leaves.slice(0, k))).update(mth(leaves.slice(k))).digest();
}

test('reports: an officer generates a HIPAA report with progress, downloads it; hash, text and anchor check out; a viewer has no Reports', async ({ page, custos }) => {
  await page.goto(custos.url);
  await signIn(page, OFFICER.username, OFFICER.passphrase);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Reports', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  const kinds = page.getByRole('list', { name: 'Pre-built reports' }).getByRole('listitem');
  await expect(kinds).toHaveCount(11);
  for (const fw of ['GDPR', 'FERPA', 'HIPAA', 'SOX', 'CCPA', 'PCI DSS', 'Operations']) await expect(kinds.filter({ hasText: fw }).first()).toBeVisible();
  // The demo made three reports already (demo/reports.ts), listed from their ledger events.
  const grid = page.getByRole('grid', { name: 'Generated reports' });
  await expect(page.getByRole('heading', { name: 'Generated reports (3)' })).toBeVisible();
  for (const title of ['Audit-control review', 'Unauthorized attempts']) await expect(grid.getByText(title).first()).toBeVisible();
  await checkScreen(page, '60-reports-list');

  await page.getByRole('button', { name: 'Generate HIPAA Audit-control review' }).click();
  const dialog = page.getByRole('dialog', { name: 'HIPAA: Audit-control review' });
  await expect(dialog.getByLabel('From')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  // A period that ends before it starts is refused on screen, before anything runs.
  const to = await dialog.getByLabel('To').inputValue();
  await dialog.getByLabel('From').fill('2099-01-01');
  await expect(dialog.getByText('The period must start on or before the day it ends.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Generate report' })).toBeDisabled();
  await dialog.getByLabel('From').fill('2020-01-01');
  await checkScreen(page, '61-reports-dialog');
  await dialog.getByRole('button', { name: 'Generate report' }).click();

  const receipt = dialog.getByTestId('report-receipt');
  await expect(receipt).toBeVisible();
  const shown = ((await receipt.getByTestId('report-sha256').textContent()) ?? '').trim();
  const size = Number(((await receipt.getByTestId('report-size').textContent()) ?? '').trim());
  const root = ((await receipt.getByTestId('report-root').textContent()) ?? '').trim();
  expect(shown).toMatch(/^[0-9a-f]{64}$/);
  await checkScreen(page, '62-reports-receipt');

  // Download hands over the recorded bytes.
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download PDF' }).click();
  const download = await downloading;
  const bytes = readFileSync((await download.path()) ?? '');
  expect(sha256(bytes)).toBe(shown);
  await expect(page.getByText('its SHA-256 matches the record')).toBeVisible();
  const onDisk = join(custos.dir, 'exports', download.suggestedFilename());
  expect(execFileSync('sha256sum', [onDisk], { encoding: 'utf8' }).split(/\s+/)[0]).toBe(shown);
  const text = execFileSync('pdftotext', ['-layout', onDisk, '-'], { encoding: 'utf8' });
  expect(text).toMatch(new RegExp(`Tree size\\s+${size}\\b`));
  expect(text).toMatch(new RegExp(`Root hash\\s+${root}`));
  const toDay = new Date(`${to}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  expect(text).toMatch(new RegExp(`Period\\s+1 Jan 2020 to ${toDay}`));
  expect(text).toMatch(/Events in the period\s+[\d,]+/);

  // The root is the ledger's at that size: recomputed from the events (RFC 8785 bytes, RFC 6962 tree).
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const events: Record<string, unknown>[] = [];
  for (let before = size + 1; before > 1; ) {
    const r = await custos.api<{ events: (Record<string, unknown> & { seq: number })[] }>('ledger.query', { beforeSeq: before, limit: 500 }, session);
    if (!r.ok) throw new Error(r.error.message);
    events.push(...r.value.events);
    before = r.value.events.at(-1)!.seq;
  }
  events.sort((a, b) => (a.seq as number) - (b.seq as number));
  expect(events).toHaveLength(size);
  const leaves = events.map(({ hash: _hash, ...body }) => createHash('sha256').update(Buffer.from([0])).update(canonicalize(body) ?? '', 'utf8').digest());
  expect(mth(leaves).toString('hex')).toBe(root);
  const verified = await custos.api<{ valid: boolean }>('ledger.verify', {}, session);
  expect(verified.ok && verified.value.valid).toBe(true);

  // The generated report is listed with its hash and anchor; its detail copies and downloads.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('heading', { name: 'Generated reports (4)' })).toBeVisible();
  const mine = grid.locator(`[data-id="${download.suggestedFilename()}"]`);
  await expect(mine).toContainText('Audit-control review');
  await mine.getByText('Audit-control review').click();
  const detail = page.getByTestId('report-detail');
  await expect(detail).toContainText(shown);
  await expect(detail).toContainText(root);
  await expect(detail.getByRole('button', { name: 'Copy SHA-256' })).toBeVisible();
  await checkScreen(page, '63-reports-detail');

  // A viewer is not offered the area (and the core refuses the channels).
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, 'sam.wright', ADMIN.passphrase);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Reports', exact: true })).toHaveCount(0);
});
