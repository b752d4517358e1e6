import type { Page } from '@playwright/test';
import { ADMIN, apiLogin, expect, initWorkspace, signIn, test } from './fixtures.js';

/**
 * After a change, the screen updates from the changed object the channel answered and from the
 * resources `ledger.appended` names, not by reading every list it ever loaded. This counts the
 * calls (POST /api/<channel>) one hold activation makes, after the cases, evidence and subjects
 * lists have been visited, and bounds them.
 */

const MAX_CALLS_PER_ACTIVATION = 6;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

test('one hold activation: a bounded number of calls, and every visible part shows the change', async ({ page, custos }) => {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const { subject } = await ok(custos.api<{ subject: { id: string } }>('subjects.create', { displayName: 'Jordan Alvarez', externalId: 'S-10442' }, session));
  await ok(custos.api('records.create', { subjectId: subject.id, category: 'grades', title: 'Fall grade report', content: 'TAX 201: C+', recordDate: '2025-12-19' }, session));
  const { case: c } = await ok(custos.api<{ case: { id: string } }>('cases.create', { title: 'Alvarez v. Northfield School District', type: 'subpoena' }, session));
  await ok(custos.api('cases.link', { id: c.id, itemType: 'subject', itemId: subject.id }, session));
  const { hold } = await ok(
    custos.api<{ hold: { id: string } }>(
      'holds.create',
      { caseId: c.id, title: 'Preserve the student’s records', scope: { subjectIds: [subject.id], categories: [], dateFrom: null, dateTo: null, keywords: [] } },
      session,
    ),
  );

  // Every API call is timed from the start, so "settled" means no call for a while, not a guess at a sleep.
  const calls: string[] = [];
  let counting = false;
  let lastApiAt = Date.now();
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (req.method() !== 'POST' || !url.pathname.startsWith('/api/')) return;
    lastApiAt = Date.now();
    if (counting) calls.push(url.pathname.slice('/api/'.length));
  });
  /** Waits until no API call was made for `ms` (the ledger notice is throttled to 250 ms, the top bar's head to 1 s). */
  const settled = (ms: number) => expect.poll(() => Date.now() - lastApiAt, { timeout: 30_000, intervals: [100] }).toBeGreaterThan(ms);

  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  // Lists the store keeps once visited: before, each one was read again after every change.
  await openArea(page, 'Cases');
  await expect(page.getByRole('grid', { name: 'Cases' })).toContainText(c.id);
  await page.getByRole('navigation', { name: 'Case management' }).getByRole('link', { name: 'Subjects and records' }).click();
  await expect(page.getByText(subject.id).first()).toBeVisible();
  await openArea(page, 'Evidence');
  await page.goto(`${custos.origin}/#/holds/${hold.id}`);
  const detail = page.getByTestId('hold-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('draft');
  // Let the reads of opening the screen (and their ledger notices) settle before counting.
  await settled(1500);
  counting = true;
  await detail.getByRole('button', { name: 'Activate…', exact: true }).click();
  await page.getByRole('dialog', { name: `Activate ${hold.id}` }).getByRole('button', { name: 'Activate hold' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('active');
  await expect(page.getByRole('grid', { name: 'Holds' }).getByRole('row').filter({ hasText: hold.id })).toContainText('active');
  // Every call the change causes has been made once none came for longer than the slowest throttle.
  await settled(2000);

  console.log(`hold activation made ${calls.length} calls: ${calls.join(', ')}`);
  test.info().annotations.push({ type: 'calls', description: `${calls.length}: ${calls.join(', ')}` });
  expect(calls.filter((c) => c === 'holds.activate')).toHaveLength(1);
  expect(calls.length).toBeLessThanOrEqual(MAX_CALLS_PER_ACTIVATION);
  // Lists not on screen are not read.
  expect(calls).not.toContain('cases.list');
  expect(calls).not.toContain('evidence.list');
  expect(calls).not.toContain('subjects.list');
});
