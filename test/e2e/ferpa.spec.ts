import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, tempDir, test, type CustosServer } from './fixtures.js';

const VIEWER = { username: 'vera.viewer', passphrase: 'viewer passphrase 2026' };

/** A student with three records, made over the wire protocol as an administrator would. */
async function seedStudent(custos: CustosServer): Promise<{ session: string; subjectId: string; records: Record<string, string> }> {
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const subject = await custos.api<{ subject: { id: string } }>('subjects.create', { displayName: 'Jordan Alvarez', email: 'jordan@example.edu' }, session);
  if (!subject.ok) throw new Error(subject.error.message);
  const subjectId = subject.value.subject.id;
  const records: Record<string, string> = {};
  for (const [key, category, title, content] of [
    ['grades', 'grades', 'Fall 2025 grade report', 'TAX 201: C+ (E2E-CANARY-GRADE)'],
    ['attendance', 'attendance', 'Attendance, fall 2025', 'Absent 5 November (unexcused).'],
    ['health', 'health', 'Nurse visit notes', 'Not part of any subpoena.'],
  ] as const) {
    const r = await custos.api<{ record: { id: string } }>('records.create', { subjectId, category, title, content, recordDate: '2025-12-19' }, session);
    if (!r.ok) throw new Error(r.error.message);
    records[key] = r.value.record.id;
  }
  const viewer = await custos.api('users.create', { username: VIEWER.username, displayName: 'Vera Viewer', role: 'viewer', passphrase: VIEWER.passphrase }, session);
  if (!viewer.ok) throw new Error(viewer.error.message);
  return { session, subjectId, records };
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function nextStep(page: Page, button: string): Promise<void> {
  await page.getByRole('region', { name: /^(AMD|SUB|DIS)-/ }).getByRole('button', { name: button, exact: true }).click();
}

test('amendment → denial → statement, then a disclosure carries the statement; all in the ledger', async ({ page, custos }) => {
  await initWorkspace(custos);
  const { session, subjectId, records } = await seedStudent(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  await openArea(page, 'Amendments');
  await expect(page.getByText('No amendment requests yet')).toBeVisible();
  await checkScreen(page, '60-amendments-empty');
  await page.getByRole('button', { name: 'Log a request' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Log an amendment request' });
  await dialog.getByLabel('Subject').fill(subjectId);
  await dialog.getByRole('radio', { name: new RegExp(records.attendance as string) }).check();
  await dialog.getByLabel('Requested change').fill('Record 5 November as present.');
  await dialog.getByLabel('Reason given by the student').fill('I attended and spoke with the instructor.');
  await checkScreen(page, '61-amendment-log-dialog');
  await dialog.getByRole('button', { name: 'Log request' }).click();
  await expect(dialog).toBeHidden();

  const detail = page.getByTestId('amendment-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('received');
  await expect(detail.getByText(/^(\d+ days? left|due today)$/)).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Amendment requests' }).getByText('Jordan Alvarez')).toBeVisible();

  await nextStep(page, 'Start review');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('under review');
  await nextStep(page, 'Decide');
  const decide = page.getByRole('dialog');
  await decide.getByLabel('Reason').fill('Two sign-in sheets confirm the absence.');
  await decide.getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('denied');
  await nextStep(page, 'File statement');
  const statement = page.getByRole('dialog');
  await statement.getByLabel('Statement of the student').fill('E2E-STATEMENT: I was present on 5 November.');
  await statement.getByRole('button', { name: 'Save' }).click();
  await expect(detail.getByText('E2E-STATEMENT: I was present on 5 November.')).toBeVisible();
  await checkScreen(page, '62-amendment-detail');

  // A later disclosure of the record carries the statement automatically (99.21(c)).
  await openArea(page, 'Disclosures');
  await page.getByRole('button', { name: 'Record a disclosure' }).first().click();
  const rec = page.getByRole('dialog', { name: 'Record a disclosure' });
  await rec.getByRole('combobox', { name: 'Subject' }).fill(subjectId);
  await rec.getByRole('checkbox', { name: new RegExp(records.attendance as string) }).check();
  await rec.getByLabel('Recipient').fill('Riverside College admissions');
  await rec.getByLabel('Basis', { exact: true }).selectOption('other_institution');
  await rec.getByLabel('Legitimate interest or legal basis').fill('Transfer application.');
  await rec.getByRole('button', { name: 'Record disclosure' }).click();
  await expect(rec).toBeHidden();
  const dd = page.getByTestId('disclosure-detail');
  await expect(dd.getByRole('heading', { name: 'Statements attached (99.21(c))' })).toBeVisible();
  await expect(dd.getByText('E2E-STATEMENT: I was present on 5 November.')).toBeVisible();
  await checkScreen(page, '63-disclosures');

  const ledger = await custos.api<{ events: { action: string }[] }>('ledger.query', { action: 'amendments.*', limit: 50 }, session);
  expect(ledger.ok && ledger.value.events.map((e) => e.action).sort()).toEqual(['amendments.decide', 'amendments.fileStatement', 'amendments.receive', 'amendments.startReview']);
  const d = await custos.api<{ events: { action: string }[] }>('ledger.query', { action: 'disclosures.record', limit: 5 }, session);
  expect(d.ok && d.value.events).toHaveLength(1);
});

test('subpoena: verify, notice, scope, produce with Bates numbers, export; the due list and a viewer', async ({ page, custos }) => {
  await initWorkspace(custos);
  const { session, subjectId, records } = await seedStudent(custos);
  // One subpoena served 10 days ago and never verified: its notice is overdue on the due list.
  const late = await custos.api<{ subpoena: { id: string } }>(
    'subpoenas.receive',
    { subjectId, issuer: 'Ortiz Family Law PLLC', type: 'civil', requestedRecords: 'Transcript.', servedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(), dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString() },
    session,
  );
  expect(late.ok).toBe(true);
  // Seed 002, step 1: legitimacy is confirmed with legal counsel, whom the administrator names.
  const counsel = await custos.api('users.create', { username: 'david.okafor', displayName: 'David Okafor', role: 'legal_counsel', passphrase: 'counsel passphrase 2026' }, session);
  expect(counsel.ok).toBe(true);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  await openArea(page, 'Subpoenas');
  await page.getByRole('button', { name: 'Log a subpoena' }).first().click();
  const log = page.getByRole('dialog', { name: 'Log a subpoena' });
  await log.getByLabel('Subject (whose records are requested)').fill(subjectId);
  // Seed 002: records are produced only under a court order.
  await log.getByLabel('Type').selectOption('court_order');
  await log.getByLabel('Issued by').fill('Hon. Laura Kessler, District Judge');
  await log.getByLabel('Court').fill('District Court of Travis County');
  await log.getByLabel('Docket or reference').fill('D-1-GN-26-000417');
  await log.getByLabel('Response due').fill(new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10));
  await log.getByLabel('Records requested').fill('Grade reports for fall 2025.');
  await log.getByRole('button', { name: 'Log subpoena' }).click();
  await expect(log).toBeHidden();
  const detail = page.getByTestId('subpoena-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('received');
  const subpoenaId = (await detail.locator('.detail__heading h2').textContent())?.trim() ?? '';
  expect(subpoenaId).toMatch(/^SUB-/);

  // Producing before verification is not offered; the core would refuse it too.
  await expect(detail.getByRole('button', { name: 'Produce…' })).toHaveCount(0);
  await nextStep(page, 'Verify');
  const verify = page.getByRole('dialog');
  await verify.getByLabel('How it was verified').fill('Confirmed with the clerk of court.');
  // Without naming counsel the step is refused at the field.
  await verify.getByRole('button', { name: 'Save' }).click();
  await expect(verify.getByLabel('Legal counsel who confirmed it')).toHaveAttribute('aria-invalid', 'true');
  await expect(verify).toContainText('Name the legal counsel who confirmed the subpoena is legitimate');
  await verify.getByLabel('Legal counsel who confirmed it').selectOption('david.okafor');
  await verify.getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('verified');
  await expect(detail).toContainText('confirmed by counsel david.okafor');
  await nextStep(page, 'Record notice');
  await page.getByRole('dialog').getByLabel('How the subject was notified').fill('Certified letter');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('notice sent');
  await nextStep(page, 'Define scope');
  const scope = page.getByRole('dialog');
  await scope.getByRole('checkbox', { name: new RegExp(records.grades as string) }).check();
  await scope.getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('scoped');

  await nextStep(page, 'Produce…');
  const produce = page.getByRole('dialog');
  await expect(produce).toContainText('This cannot be undone');
  await produce.getByLabel('Bates prefix (optional)').fill('NSD');
  await checkScreen(page, '64-subpoena-produce-confirm');
  await produce.getByRole('button', { name: 'Produce' }).click();
  await expect(produce).toBeHidden({ timeout: 30_000 });
  await expect(detail.locator('.detail__heading .badge')).toHaveText('produced');
  await expect(detail.getByText(/NSD-000001 to NSD-\d{6}/)).toBeVisible();
  await checkScreen(page, '65-subpoena-produced');

  // Export the production and check it as a receiving party would.
  const out = tempDir('custos-e2e-production-');
  try {
    await nextStep(page, 'Export production…');
    const exp = page.getByRole('dialog');
    // No server folder is asked for: one ZIP goes to the workspace's exports folder, then a download hands it over.
    await expect(exp.getByRole('textbox')).toHaveCount(0);
    await exp.getByRole('button', { name: 'Export' }).click();
    const handOver = exp.getByTestId('file-hand-over');
    await expect(handOver).toBeVisible({ timeout: 30_000 });
    await checkScreen(page, '65a-production-hand-over');
    const [zip] = await Promise.all([page.waitForEvent('download'), handOver.getByRole('button', { name: 'Download production' }).click()]);
    const zipPath = join(out, zip.suggestedFilename());
    await zip.saveAs(zipPath);
    expect(createHash('sha256').update(readFileSync(zipPath)).digest('hex')).toBe((await handOver.getByTestId('file-hand-over-sha256').textContent())?.trim());
    execFileSync('unzip', ['-q', zipPath, '-d', out]);
    await exp.getByRole('button', { name: 'Close' }).click();
    await expect(exp).toBeHidden();
    const productionDir = join(out, (await page.getByTestId('subpoena-detail').getByText(/^PRD-/).first().textContent())?.trim() ?? '');
    expect(existsSync(join(productionDir, 'production.pdf'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(productionDir, 'manifest.json'), 'utf8')) as { pages: { page: number; bates: string; file: string; sha256: string }[] };
    for (const p of manifest.pages) {
      const text = execFileSync('pdftotext', ['-f', String(p.page), '-l', String(p.page), join(productionDir, 'production.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain(p.bates);
      expect(createHash('sha256').update(readFileSync(join(productionDir, p.file))).digest('hex')).toBe(p.sha256);
    }
    expect(execFileSync('pdftotext', [join(productionDir, 'production.pdf'), '-'], { encoding: 'utf8' })).toContain('E2E-CANARY-GRADE');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  // The production wrote its disclosure entry.
  await openArea(page, 'Disclosures');
  await expect(page.getByRole('grid', { name: 'Record of disclosures' }).getByText('Hon. Laura Kessler, District Judge, District Court of Travis County')).toBeVisible();

  // The due list highlights the overdue notice of the other subpoena.
  await openArea(page, 'Deadlines');
  const overdueRow = page.getByTestId('deadlines-table').locator('tr.is-overdue', { hasText: late.ok ? late.value.subpoena.id : 'x' });
  await expect(overdueRow).toContainText('Subpoena notice');
  await expect(overdueRow).toContainText(/\d+ days? overdue/);
  await checkScreen(page, '66-deadlines');

  // A viewer reads but cannot act, and the core refuses the call; who issued it and whose records it asks for are restricted.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, VIEWER.username, VIEWER.passphrase);
  await openArea(page, 'Subpoenas');
  await expect(page.getByRole('button', { name: 'Log a subpoena' })).toHaveCount(0);
  await expect(page.getByRole('grid', { name: 'Subpoenas' })).not.toContainText('Hon. Laura Kessler');
  await page.getByRole('grid', { name: 'Subpoenas' }).getByText(subpoenaId, { exact: true }).click();
  await expect(page.getByTestId('subpoena-detail').getByRole('heading', { name: 'Next step' })).toHaveCount(0);
  await expect(page.getByTestId('subpoena-detail')).not.toContainText('Grade reports for fall 2025.');
  const viewerSession = await apiLogin(custos, VIEWER.username, VIEWER.passphrase);
  const refused = await custos.api('subpoenas.receive', { subjectId, issuer: 'X', type: 'civil', requestedRecords: 'x', servedAt: '2026-01-01', dueAt: '2026-02-01' }, viewerSession);
  expect(!refused.ok && refused.error.code).toBe('forbidden');
});
