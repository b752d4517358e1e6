import type { Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, test, type CustosServer } from './fixtures.js';

// Consent on the subject, a disclosure relying on it, and the FERPA rules of seed 002 as a user meets them.

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function seed(custos: CustosServer): Promise<{ session: string; subjectId: string; records: Record<string, string> }> {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const { subject } = await ok(custos.api<{ subject: { id: string } }>('subjects.create', { displayName: 'Mei Tanaka', externalId: 'STU-F1002' }, session));
  const records: Record<string, string> = {};
  for (const [category, title, content] of [
    ['grades', 'Fall 2025 grade report', 'TAX 201: B'],
    ['attendance', 'Attendance, fall 2025', 'Present 40 of 42 sessions.'],
  ] as const) {
    const { record } = await ok(custos.api<{ record: { id: string } }>('records.create', { subjectId: subject.id, category, title, content, recordDate: '2025-12-19' }, session));
    records[category] = record.id;
  }
  return { session, subjectId: subject.id, records };
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

test('consent on the subject, then a consent-based disclosure naming it; directory information refuses grades', async ({ page, custos }) => {
  const { session, subjectId, records } = await seed(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.goto(`${custos.origin}/#/cases/subjects/${subjectId}`);
  const detail = page.getByTestId('subject-detail');
  await expect(detail.getByRole('heading', { name: 'Consents (0)' })).toBeVisible();
  await expect(detail.getByText('No written consent on file.')).toBeVisible();

  await detail.getByRole('button', { name: 'Record consent…' }).click();
  const dialog = page.getByRole('dialog', { name: `Record a consent of ${subjectId}` });
  await expect(dialog.getByLabel('Name of the signer')).toHaveValue('Mei Tanaka');
  await dialog.getByLabel('May be disclosed to').fill('Acme Tax Services, tuition program');
  await dialog.getByLabel('Purpose').fill('Tuition reimbursement by the employer.');
  await dialog.getByRole('group', { name: /^Record categories covered/ }).getByRole('checkbox', { name: 'Attendance records' }).check();
  await dialog.getByRole('checkbox', { name: new RegExp(records.grades as string) }).check();
  await checkScreen(page, '67-consent-record-dialog');
  await dialog.getByRole('button', { name: 'Record consent' }).click();
  await expect(dialog).toBeHidden();
  const consents = detail.getByTestId('subject-consents');
  await expect(consents).toContainText('Acme Tax Services, tuition program');
  await expect(consents.locator('.badge')).toHaveText('live');
  const consentId = ((await consents.locator('tr[data-consent]').first().getAttribute('data-consent')) ?? '').trim();
  expect(consentId).toMatch(/^CNS-\d{4}-\d{4}$/);
  await checkScreen(page, '68-subject-consents');

  // A disclosure on the ground of consent names it; the recipient comes from the consent.
  await openArea(page, 'Disclosures');
  await page.getByRole('button', { name: 'Record a disclosure' }).first().click();
  const rec = page.getByRole('dialog', { name: 'Record a disclosure' });
  await rec.getByRole('combobox', { name: 'Subject' }).fill(subjectId);
  await rec.getByRole('checkbox', { name: new RegExp(records.attendance as string) }).check();
  await rec.getByLabel('Basis', { exact: true }).selectOption('consent');
  await rec.getByLabel('Consent relied on').selectOption(consentId);
  await expect(rec.getByLabel('Recipient')).toHaveValue('Acme Tax Services, tuition program');
  await rec.getByLabel('Legitimate interest or legal basis').fill('Signed consent of the student.');
  await checkScreen(page, '69-disclosure-consent-dialog');
  await rec.getByRole('button', { name: 'Record disclosure' }).click();
  await expect(rec).toBeHidden();
  const dd = page.getByTestId('disclosure-detail');
  await expect(dd).toContainText(consentId);

  // Grades are not directory information: refused with the rule, nothing recorded.
  await page.getByRole('button', { name: 'Record a disclosure' }).first().click();
  await rec.getByRole('combobox', { name: 'Subject' }).fill(subjectId);
  await rec.getByRole('checkbox', { name: new RegExp(records.grades as string) }).check();
  await rec.getByLabel('Recipient').fill('Local newspaper');
  await rec.getByLabel('Basis', { exact: true }).selectOption('directory_information');
  await rec.getByLabel('Legitimate interest or legal basis').fill('Honor roll.');
  await rec.getByRole('button', { name: 'Record disclosure' }).click();
  await expect(rec.getByRole('alert')).toContainText('Directory information (34 CFR 99.3, 99.37)');
  await expect(rec.getByRole('alert')).not.toContainText(/seed/i);
  await rec.getByRole('button', { name: 'Cancel' }).click();
  const listed = await ok(custos.api<{ total: number }>('disclosures.list', { subjectId }, session));
  expect(listed.total).toBe(1);

  // Revoking it on the subject: the consent shows as revoked.
  await page.goto(`${custos.origin}/#/cases/subjects/${subjectId}`);
  await detail.getByRole('button', { name: `Revoke ${consentId}` }).click();
  const revoke = page.getByRole('dialog', { name: `Revoke consent ${consentId}` });
  await expect(revoke).toContainText('The 1 disclosure made under it before stands');
  await revoke.getByLabel('How and why it was revoked').fill('The student revoked it by e-mail.');
  await revoke.getByRole('button', { name: 'Revoke consent' }).click();
  await expect(revoke).toBeHidden();
  await expect(detail.getByTestId('subject-consents').locator('.badge')).toHaveText('revoked');
});

test('a subjective grade is answered, not heard; a civil subpoena shows why it is not produced', async ({ page, custos }) => {
  const { session, subjectId, records } = await seed(custos);
  const served = await ok(
    custos.api<{ subpoena: { id: string } }>(
      'subpoenas.receive',
      { subjectId, issuer: 'Whitaker Legal Group', type: 'civil', requestedRecords: 'Grade reports.', servedAt: new Date(Date.now() - 86_400_000).toISOString(), dueAt: new Date(Date.now() + 20 * 86_400_000).toISOString() },
      session,
    ),
  );
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);

  await openArea(page, 'Amendments');
  await page.getByRole('button', { name: 'Log a request' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Log an amendment request' });
  await dialog.getByLabel('Subject').fill(subjectId);
  await dialog.getByRole('radio', { name: new RegExp(records.grades as string) }).check();
  await dialog.getByLabel('What the request is about').selectOption('subjective_grade');
  await expect(dialog).toContainText('there is no hearing');
  await dialog.getByLabel('Requested change').fill('Raise the TAX 201 essay grade from C to B.');
  await dialog.getByLabel('Reason given by the student').fill('The essay deserved more credit.');
  await dialog.getByRole('button', { name: 'Log and answer' }).click();
  await expect(dialog).toBeHidden();
  const detail = page.getByTestId('amendment-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('closed');
  await expect(detail.getByRole('heading', { name: 'Answered: not amendable' })).toBeVisible();
  await expect(detail.getByTestId('amendment-answer')).toContainText('grade appeal process');
  await expect(detail.getByRole('heading', { name: 'Next step' })).toHaveCount(0);
  await checkScreen(page, '6a-amendment-not-amendable');

  // An agreed amendment of a record disclosed before notifies that recipient; the notice shows on both sides.
  const earlier = await ok(
    custos.api<{ disclosure: { id: string } }>(
      'disclosures.record',
      { subjectId, recordIds: [records.grades], recipient: 'Riverside College, registrar', basis: 'other_institution', basisDetail: 'Transfer application.', disclosedAt: new Date(Date.now() - 30 * 86_400_000).toISOString() },
      session,
    ),
  );
  await page.getByRole('button', { name: 'Log a request' }).first().click();
  await dialog.getByLabel('Subject').fill(subjectId);
  await dialog.getByRole('radio', { name: new RegExp(records.grades as string) }).check();
  await dialog.getByLabel('What the request is about').selectOption('grade_calculation');
  await dialog.getByLabel('Requested change').fill('TAX 201 final exam was added as 62 instead of 72.');
  await dialog.getByLabel('Reason given by the student').fill('Graded exam attached.');
  await dialog.getByRole('button', { name: 'Log request' }).click();
  await expect(dialog).toBeHidden();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('received');
  await page.getByRole('region', { name: /^AMD-/ }).getByRole('button', { name: 'Start review', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('under review');
  await page.getByRole('region', { name: /^AMD-/ }).getByRole('button', { name: 'Decide', exact: true }).click();
  const decide = page.getByRole('dialog');
  await decide.getByLabel('Decision').selectOption('amend');
  await decide.getByLabel('Reason').fill('Calculation error confirmed.');
  await decide.getByLabel('What was changed').fill('TAX 201 corrected from C+ to B-.');
  await decide.getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('amended');
  const notices = detail.getByTestId('amendment-notices');
  await expect(notices).toContainText(earlier.disclosure.id);
  await expect(notices).toContainText('Riverside College, registrar');
  await checkScreen(page, '6d-amendment-notices');
  await page.goto(`${custos.origin}/#/disclosures/${earlier.disclosure.id}`);
  await expect(page.getByTestId('disclosure-notice')).toContainText('TAX 201 corrected from C+ to B-.');

  await page.goto(`${custos.origin}/#/subpoenas/${served.subpoena.id}`);
  const sub = page.getByTestId('subpoena-detail');
  await expect(sub.getByTestId('production-refusal')).toContainText('Records are produced only under a court order');
  await checkScreen(page, '6b-subpoena-refusal');

  await page.goto(`${custos.origin}/#/settings/ferpa`);
  await expect(page.getByTestId('ferpa-production-rule')).toContainText('a court order (34 CFR 99.31(a)(9)) — the shipped rule.');
  await expect(page.getByTestId('ferpa-other-basis-rule')).toContainText('"Other legal basis" is refused — the shipped rule.');
  // The administrator allows another basis: the page says who changed it and when.
  await page.getByRole('radio', { name: 'Allow it, with the exception stated in words' }).check();
  await page.getByLabel('Reason for the change').fill('Board resolution: juvenile justice exception (99.31(a)(5)).');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByTestId('ferpa-other-basis-rule')).toContainText(/may name "Other legal basis".*changed .* by admin\./);
  await expect(page.getByTestId('ferpa-production-rule')).toContainText('— the shipped rule.');
  await checkScreen(page, '6c-settings-ferpa');
});
