import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, initWorkspace, signIn, tempDir, test, type CustosServer } from './fixtures.js';

/**
 * Issue 5, end to end in Chromium against `custos serve`: each area is created and acted on through
 * the screens, then found in the Ledger view; auditors and viewers cannot change anything; the
 * demo's produced subpoena checks out with pdftotext and sha256sum.
 */

const AUDITOR = { username: 'priya.raman', passphrase: 'auditor passphrase 2026' };
const DAY = 86_400_000;

type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

async function ok<T>(p: Promise<ApiResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function openArea(page: Page, name: string, heading = name): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
}

async function openSubjects(page: Page): Promise<void> {
  await openArea(page, 'Cases');
  await page.getByRole('navigation', { name: 'Case management' }).getByRole('link', { name: 'Subjects and records' }).click();
  await expect(page.getByRole('heading', { name: 'Subjects and records', level: 1 })).toBeVisible();
}

/** Opens the Ledger view filtered to one resource and waits until every action is listed. */
async function seeInLedger(page: Page, resourceId: string, actions: string[]): Promise<void> {
  await openArea(page, 'Ledger');
  const clear = page.getByRole('button', { name: 'Clear all' });
  if (await clear.isVisible()) await clear.click();
  await page.getByLabel('Resource id', { exact: true }).fill(resourceId);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText(resourceId);
  const grid = page.getByRole('grid', { name: 'Ledger events, newest first' });
  for (const action of actions) await expect(grid.locator('[data-seq]', { hasText: action }).first(), `${action} on ${resourceId}`).toBeVisible();
}

async function saved(download: Download, dir: string): Promise<string> {
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

/** Leaves the Cases area and comes back to a subject, which reloads it. */
async function reopenSubject(page: Page, origin: string, id: string): Promise<void> {
  await page.goto(`${origin}/#/dashboard`);
  await page.goto(`${origin}/#/cases/subjects/${id}`);
  await expect(page.getByTestId('subject-detail').locator('.detail__heading h2')).toHaveText(id);
}

async function admin(custos: CustosServer): Promise<string> {
  await initWorkspace(custos);
  return apiLogin(custos, ADMIN.username, ADMIN.passphrase);
}

test('subjects and records: opt-out, retention from policy, ledgered views; a hold stops erase and purge', async ({ page, custos }) => {
  const session = await admin(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openSubjects(page);
  await expect(page.getByText('No subjects yet')).toBeVisible();

  await page.getByRole('button', { name: 'New subject' }).first().click();
  const create = page.getByRole('dialog', { name: 'New subject' });
  await create.getByLabel('Name', { exact: true }).fill('Mei Tanaka');
  await create.getByLabel('Student or staff id (optional)').fill('S-10871');
  await create.getByRole('checkbox', { name: /Opted out of directory information/ }).check();
  await create.getByRole('button', { name: 'Add subject' }).click();
  await expect(create).toBeHidden();
  const detail = page.getByTestId('subject-detail');
  await expect(detail.locator('.detail__lead')).toHaveText('Mei Tanaka');
  await expect(detail.locator('.detail__heading')).toContainText('directory opt-out');
  const subjectId = (await detail.locator('.detail__heading h2').textContent())?.trim() ?? '';

  // Dependent status (IRS rules): not recorded until someone records it, with its evidence.
  await expect(detail).toContainText('Not recorded: parents need the student’s written consent');
  await detail.getByRole('button', { name: 'Dependent status…' }).click();
  const dependency = page.getByRole('dialog', { name: `Dependent status of ${subjectId}` });
  await dependency.getByRole('radio', { name: /^A dependent/ }).check();
  await dependency.getByLabel('Evidence').fill('Parents’ 2025 federal return names Mei as a dependent (copy in the registrar file).');
  await dependency.getByRole('button', { name: 'Record status' }).click();
  await expect(dependency).toBeHidden();
  await expect(detail).toContainText(/Dependent: parents may receive records \(34 CFR 99\.31\(a\)\(8\)\); since .*, on: Parents’ 2025 federal return/);

  // Two records; the core dates their retention from resources/policies/retention.json.
  const addRecord = async (category: string, date: string, title: string, content: string) => {
    await detail.getByRole('button', { name: 'Add record…' }).click();
    const d = page.getByRole('dialog', { name: 'Add a record for Mei Tanaka' });
    await d.getByLabel('Category').selectOption(category);
    await d.getByLabel('Record date').fill(date);
    await d.getByLabel('Title').fill(title);
    await d.getByLabel('Content').fill(content);
    await d.getByRole('button', { name: 'Add record' }).click();
    await expect(d).toBeHidden();
  };
  await addRecord('attendance', '2019-05-31', 'Attendance record 2018–19', 'Sessions attended: 37 (E2E-ATTENDANCE)');
  await expect(page.getByText(/kept until 2022-05-31 under the retention policy/)).toBeVisible();
  await addRecord('grades', '2025-12-19', 'Grade report, fall 2025', 'TAX 201: C+ (E2E-GRADES)');
  const records = detail.getByTestId('subject-records');
  const attendance = records.locator('tr', { hasText: 'Attendance record 2018–19' });
  const grades = records.locator('tr', { hasText: 'Grade report, fall 2025' });
  await expect(attendance).toContainText('2022-05-31');
  await expect(attendance).toContainText('past retention');
  await expect(grades).toContainText('permanently');
  const attendanceId = (await attendance.locator('td').first().locator('.mono').textContent())?.trim() ?? '';
  const gradesId = (await grades.locator('td').first().locator('.mono').textContent())?.trim() ?? '';
  const attendanceRow = records.locator(`tr[data-record="${attendanceId}"]`);

  // Viewing a record states a purpose and is ledgered.
  await grades.getByRole('button', { name: `View ${gradesId}` }).click();
  const view = page.getByRole('dialog', { name: `View ${gradesId}` });
  await view.getByLabel('Purpose').fill('Review for the amendment request');
  await view.getByRole('button', { name: 'View record' }).click();
  await expect(page.getByTestId('record-content')).toContainText('E2E-GRADES');
  await expect(detail.getByRole('heading', { name: 'Timeline' }).first()).toBeVisible();
  await expect(detail.locator('.ferpa-timeline').first()).toContainText('records.view');
  await checkScreen(page, '90-subject-detail');

  // A legal hold on the student (made over the wire, as another officer would) stops every destructive path.
  const { case: kase } = await ok(custos.api<{ case: { id: string } }>('cases.create', { title: 'Tanaka v. Northfield', type: 'subpoena' }, session));
  const { hold } = await ok(
    custos.api<{ hold: { id: string } }>(
      'holds.create',
      { caseId: kase.id, title: 'Preserve the student’s records', custodians: [{ name: 'Registrar office', email: 'registrar@example.edu' }], scope: { subjectIds: [subjectId] } },
      session,
    ),
  );
  await ok(custos.api('holds.activate', { id: hold.id }, session));
  await reopenSubject(page, custos.origin, subjectId);
  await expect(detail.locator('.alert--warn')).toContainText(`Under legal hold ${hold.id}`);
  await expect(attendance).toContainText(`held · ${hold.id}`);

  // The screen offers no destructive action on held records and says why…
  await expect(detail.getByRole('button', { name: /Purge expired/ })).toHaveCount(0);
  await expect(detail).toContainText(`1 record is past retention but kept: under legal hold ${hold.id}`);
  await expect(attendance.getByRole('button', { name: `Erase ${attendanceId}` })).toBeDisabled();
  await checkScreen(page, '91-subject-held');
  // …and the core refuses them anyway, naming the hold (code held), which the ledger records as denied.
  for (const [channel, input] of [
    ['records.purgeExpired', { ids: [attendanceId] }],
    ['records.erase', { id: attendanceId, reason: 'Student asked for erasure' }],
    ['records.update', { id: attendanceId, content: 'overwritten' }],
  ] as const) {
    const r = await custos.api(channel, input, session);
    expect(!r.ok && r.error, channel).toMatchObject({ code: 'held', message: `${attendanceId} is under legal hold ${hold.id}; release the hold first.` });
  }
  await expect(attendance).toContainText('Attendance record 2018–19');

  // After the release the purge goes through, and the whole story is in the ledger.
  await ok(custos.api('holds.release', { id: hold.id, reason: 'Matter settled.' }, session));
  await reopenSubject(page, custos.origin, subjectId);
  await expect(detail.locator('.alert--warn')).toHaveCount(0);
  // The dialog says what happens by the policy in force, and follows a change made meanwhile.
  const purgeDialog = page.getByRole('dialog', { name: 'Purge records past retention' });
  const setAttendance = (action: 'archive' | 'delete') =>
    ok(custos.api('retention.setPolicy', { category: 'attendance', periodValue: 3, periodUnit: 'years', action, classification: 'internal' }, session));
  await detail.getByRole('button', { name: 'Purge expired (1)…' }).click();
  await expect(purgeDialog).toContainText('content to be destroyed');
  await purgeDialog.getByRole('button', { name: 'Cancel' }).click();
  await setAttendance('archive');
  await detail.getByRole('button', { name: 'Purge expired (1)…' }).click();
  await expect(purgeDialog).toContainText('to be archived');
  await expect(purgeDialog).not.toContainText('content to be destroyed');
  await purgeDialog.getByRole('button', { name: 'Cancel' }).click();
  await setAttendance('delete');
  await detail.getByRole('button', { name: 'Purge expired (1)…' }).click();
  await expect(purgeDialog).toContainText('content to be destroyed');
  await purgeDialog.getByRole('button', { name: 'Purge 1 record' }).click();
  await expect(attendanceRow).toContainText('purged');
  await expect(attendanceRow).not.toContainText('Attendance record 2018–19');

  await seeInLedger(page, subjectId, ['subjects.create']);
  await seeInLedger(page, gradesId, ['records.create', 'records.view']);
  await seeInLedger(page, attendanceId, ['records.create', 'records.purgeExpired', 'records.erase', 'records.update']);
  const grid = page.getByRole('grid', { name: 'Ledger events, newest first' });
  await expect(grid.locator('[data-seq]', { hasText: 'records.erase' }).first()).toContainText(/denied/i);
  await checkScreen(page, '92-ledger-record-trail');
});

test('evidence downloads and custody exports are ledgered; the accounting PDF checks out with pdftotext', async ({ page, custos }) => {
  const session = await admin(custos);
  const { subject } = await ok(custos.api<{ subject: { id: string } }>('subjects.create', { displayName: 'Grace Okonkwo', externalId: 'S-12318' }, session));
  const { record } = await ok(
    custos.api<{ record: { id: string } }>('records.create', { subjectId: subject.id, category: 'grades', title: 'Transcript', content: 'ACC 101: A', recordDate: '2025-06-01' }, session),
  );
  await ok(
    custos.api(
      'disclosures.record',
      { subjectId: subject.id, recordIds: [record.id], recipient: 'E2E-RECIPIENT Riverside College', basis: 'other_institution', basisDetail: 'Transfer application.', disclosedAt: new Date(Date.now() - 30 * DAY).toISOString() },
      session,
    ),
  );
  const bytes = Buffer.from('timestamp,user,ip\n2026-01-06T22:41:09Z,registrar.staff3,203.0.113.77 (E2E-SIGNIN)\n');
  const { evidence } = await ok(
    custos.api<{ evidence: { id: string } }>('evidence.ingestContent', { fileName: 'signin-log.csv', contentBase64: bytes.toString('base64'), title: 'Mail sign-in log', source: 'Mail admin console', mediaType: 'text/csv' }, session),
  );
  const out = tempDir('custos-e2e-downloads-');
  try {
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await page.goto(`${custos.origin}/#/evidence/${evidence.id}`);
    const detail = page.getByTestId('evidence-detail');
    await expect(detail.locator('.detail__heading h2')).toHaveText(evidence.id);
    await detail.getByRole('button', { name: 'View content…' }).click();
    const view = page.getByRole('dialog', { name: `View ${evidence.id}` });
    await view.getByLabel('Purpose').fill('Incident timeline review');
    await view.getByRole('button', { name: 'View content' }).click();
    await expect(page.getByTestId('evidence-content')).toContainText('E2E-SIGNIN');

    // The download is asked of the core again, and so is on record.
    const [file] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: 'Download' }).click()]);
    expect(readFileSync(await saved(file, out))).toEqual(bytes);
    const chain = page.getByTestId('custody-chain');
    await expect(chain.locator('tbody tr td:nth-child(2)')).toHaveText(['intake', 'view', 'download']);
    await expect(chain.locator('tbody tr').nth(2)).toContainText('Incident timeline review');

    const [csv] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: 'Export CSV' }).click()]);
    const chainCsv = readFileSync(await saved(csv, out), 'utf8');
    expect(chainCsv.split('\n')[0]).toBe('ledger_seq,at,kind,actor,from,to,purpose,location,outcome');
    expect(chainCsv).toMatch(/,download,admin,.*Incident timeline review/);
    await checkScreen(page, '93-evidence-chain-download');
    await seeInLedger(page, evidence.id, ['evidence.ingestContent', 'evidence.access', 'evidence.custodyReport']);
    const grid = page.getByRole('grid', { name: 'Ledger events, newest first' });
    await expect(grid.locator('[data-seq]', { hasText: 'evidence.access' })).toHaveCount(2);

    // A copy at any size: written to the workspace's exports folder, then handed over by a download; no path is asked for.
    await page.goto(`${custos.origin}/#/evidence/${evidence.id}`);
    await expect(detail.locator('.detail__heading h2')).toHaveText(evidence.id);
    await detail.getByRole('button', { name: 'Export file…' }).click();
    const exported = page.getByRole('dialog', { name: `Export ${evidence.id}` });
    await expect(exported.getByRole('textbox')).toHaveCount(1);
    await exported.getByLabel('Purpose').fill('Produce to outside counsel');
    await exported.getByRole('button', { name: 'Export file' }).click();
    const copyHandOver = exported.getByTestId('file-hand-over');
    await expect(copyHandOver).toBeVisible({ timeout: 30_000 });
    const [copy] = await Promise.all([page.waitForEvent('download'), copyHandOver.getByRole('button', { name: 'Download file' }).click()]);
    expect(copy.suggestedFilename()).toBe(`evidence-${evidence.id}-signin-log.csv`);
    expect(readFileSync(await saved(copy, out))).toEqual(bytes);
    await exported.getByRole('button', { name: 'Close' }).click();
    await expect(exported).toBeHidden();
    await expect(chain.locator('tbody tr td:nth-child(2)')).toHaveText(['intake', 'view', 'download', 'custodyReport', 'export']);

    // The per-subject accounting (six-year lookback) as a PDF, through the screen.
    await openArea(page, 'Disclosures');
    await page.getByRole('button', { name: 'Accounting report' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accounting of disclosures' });
    await dialog.getByLabel('Subject').fill(subject.id);
    // No path is asked for: the PDF is written to the workspace's exports folder and handed over by a download.
    await dialog.getByRole('button', { name: 'Make PDF' }).click();
    const handOver = dialog.getByTestId('file-hand-over');
    await expect(handOver).toBeVisible({ timeout: 30_000 });
    const [pdf] = await Promise.all([page.waitForEvent('download'), handOver.getByRole('button', { name: 'Download PDF' }).click()]);
    const pdfPath = await saved(pdf, out);
    expect(pdf.suggestedFilename()).toMatch(new RegExp(`^accounting-${subject.id}-subject-\\d{8}T\\d{6}Z\\.pdf$`));
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('Accounting of disclosures');
    expect(text).toContain('E2E-RECIPIENT');
    expect(text).toContain('Transfer application.');
    expect(text).toContain('Grace Okonkwo');
    expect(text).toMatch(/Period\s+\d{1,2} \w{3,4} \d{4} to \d{1,2} \w{3,4} \d{4} \(6 years, 45 CFR 164\.528\)/);
    const sha = createHash('sha256').update(readFileSync(pdfPath)).digest('hex');
    await expect(handOver.getByTestId('file-hand-over-sha256')).toHaveText(sha);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await seeInLedger(page, subject.id, ['subjects.create', 'disclosures.accountingReport']);
    const events = await ok(custos.api<{ events: { details: { sha256?: string } }[] }>('ledger.query', { action: 'disclosures.accountingReport', limit: 5 }, session));
    expect(events.events[0]?.details.sha256).toBe(sha);
    const handovers = await ok(custos.api<{ events: { resource_id: string; details: { sha256?: string } }[] }>('ledger.query', { action: 'files.download', limit: 5 }, session));
    expect(handovers.events[0]).toMatchObject({ resource_id: pdf.suggestedFilename(), details: { sha256: sha } });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('an auditor reads every casework area but can change nothing; every refusal is in the ledger', async ({ page, custos }) => {
  const session = await admin(custos);
  await ok(custos.api('users.create', { username: AUDITOR.username, displayName: 'Priya Raman', role: 'auditor', passphrase: AUDITOR.passphrase }, session));
  const { subject } = await ok(custos.api<{ subject: { id: string } }>('subjects.create', { displayName: 'Samuel Osei', externalId: 'S-11203' }, session));
  const { record } = await ok(
    custos.api<{ record: { id: string } }>('records.create', { subjectId: subject.id, category: 'grades', title: 'Transcript', content: 'TAX 201: B', recordDate: '2025-06-01' }, session),
  );
  const { case: kase } = await ok(custos.api<{ case: { id: string } }>('cases.create', { title: 'Osei records request', type: 'investigation' }, session));
  await ok(custos.api('cases.link', { id: kase.id, itemType: 'subject', itemId: subject.id }, session));
  const { evidence } = await ok(
    custos.api<{ evidence: { id: string } }>('evidence.ingestContent', { fileName: 'memo.txt', contentBase64: Buffer.from('memo').toString('base64'), title: 'Memo', source: 'Upload', caseId: kase.id }, session),
  );
  const { hold } = await ok(
    custos.api<{ hold: { id: string } }>('holds.create', { caseId: kase.id, title: 'Preserve Osei records', custodians: [{ name: 'Registrar office', email: '' }], scope: { subjectIds: [subject.id] } }, session),
  );
  await ok(custos.api('holds.activate', { id: hold.id }, session));
  const { amendment } = await ok(custos.api<{ amendment: { id: string } }>('amendments.receive', { recordId: record.id, matter: 'clerical_error', requestedChange: 'A-', reason: 'Rubric.' }, session));
  const { subpoena } = await ok(
    custos.api<{ subpoena: { id: string } }>(
      'subpoenas.receive',
      { subjectId: subject.id, issuer: 'Hall & Brandt LLP', type: 'civil', requestedRecords: 'Transcript.', servedAt: new Date(Date.now() - DAY).toISOString(), dueAt: new Date(Date.now() + 10 * DAY).toISOString() },
      session,
    ),
  );

  await page.goto(custos.url);
  await signIn(page, AUDITOR.username, AUDITOR.passphrase);
  const noActions = async (testId: string) => {
    await expect(page.getByTestId(testId)).toBeVisible();
    await expect(page.getByTestId(testId).getByRole('heading', { name: 'Next step' })).toHaveCount(0);
  };
  await openArea(page, 'Cases');
  await expect(page.getByRole('button', { name: 'New case' })).toHaveCount(0);
  await page.goto(`${custos.origin}/#/cases/${kase.id}`);
  await noActions('case-detail');
  await page.goto(`${custos.origin}/#/cases/subjects/${subject.id}`);
  await noActions('subject-detail');
  await expect(page.getByRole('button', { name: 'New subject' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Erase ${record.id}` })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `View ${record.id}` })).toBeVisible();
  await page.goto(`${custos.origin}/#/evidence/${evidence.id}`);
  const ev = page.getByTestId('evidence-detail');
  // Auditors may read and re-verify evidence, never move or destroy it.
  await expect(ev.getByRole('button', { name: 'Re-verify' })).toBeVisible();
  for (const name of ['Transfer…', 'Seal…', 'Dispose…']) await expect(ev.getByRole('button', { name })).toHaveCount(0);
  await page.goto(`${custos.origin}/#/holds/${hold.id}`);
  await noActions('hold-detail');
  await page.goto(`${custos.origin}/#/amendments/${amendment.id}`);
  await noActions('amendment-detail');
  await page.goto(`${custos.origin}/#/subpoenas/${subpoena.id}`);
  await noActions('subpoena-detail');
  await openArea(page, 'Disclosures');
  await expect(page.getByRole('button', { name: 'Record a disclosure' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Accounting report' })).toHaveCount(0);

  // Whatever the screens show, the core refuses every change, and says so in the ledger.
  const auditor = await apiLogin(custos, AUDITOR.username, AUDITOR.passphrase);
  const attempts: [string, unknown][] = [
    ['cases.create', { title: 'x', type: 'audit' }],
    ['cases.setStatus', { id: kase.id, status: 'closed' }],
    ['subjects.create', { displayName: 'x' }],
    ['records.create', { subjectId: subject.id, category: 'grades', title: 'x', recordDate: '2025-01-01' }],
    ['records.erase', { id: record.id, reason: 'cleanup' }],
    ['evidence.transfer', { id: evidence.id, to: 'Me', purpose: 'take it' }],
    ['evidence.dispose', { id: evidence.id, reason: 'cleanup' }],
    ['holds.release', { id: hold.id, reason: 'done' }],
    ['amendments.decide', { id: amendment.id, decision: 'deny', reason: 'x' }],
    ['subpoenas.verify', { id: subpoena.id, note: 'x' }],
    ['disclosures.record', { subjectId: subject.id, recordIds: [record.id], recipient: 'x', basis: 'consent', basisDetail: 'x' }],
  ];
  for (const [channel, input] of attempts) {
    const r = await custos.api(channel, input, auditor);
    expect(!r.ok && r.error.code, channel).toBe('forbidden');
  }
  await openArea(page, 'Ledger');
  await page.getByLabel('Actor', { exact: true }).fill(AUDITOR.username);
  await page.getByLabel('Outcome', { exact: true }).selectOption('denied');
  await expect(page.getByTestId('ledger-count')).toHaveText(new RegExp(`^${attempts.length} events`));
  const grid = page.getByRole('grid', { name: 'Ledger events, newest first' });
  for (const [channel] of attempts) await expect(grid.locator('[data-seq]', { hasText: channel }).first()).toBeVisible();
  await checkScreen(page, '94-auditor-denials');
  // Nothing moved.
  expect((await ok(custos.api<{ evidence: { status: string } }>('evidence.get', { id: evidence.id }, session))).evidence.status).toBe('collected');
  expect((await ok(custos.api<{ hold: { status: string } }>('holds.get', { id: hold.id }, session))).hold.status).toBe('active');
});

test.describe('with the demo workspace', () => {
  test.use({ demoEvents: 1500 });

  test('`custos demo` produced a subpoena: Bates pages and hashes check out, its disclosure and ledger trail are there', async ({ page, custos }) => {
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await openArea(page, 'Subpoenas');
    const grid = page.getByRole('grid', { name: 'Subpoenas' });
    const rows = grid.locator('[role="row"][data-id]');
    await expect(rows.first()).toBeVisible();
    await page.getByLabel('State').selectOption('produced');
    // The filtered list has replaced the whole one (the old rows stay on screen until it comes).
    await expect(rows.filter({ hasNotText: 'produced' })).toHaveCount(0);
    await expect(rows.first()).toBeVisible();
    await grid.getByText('Hon. Laura Kessler, District Judge').first().click();
    const detail = page.getByTestId('subpoena-detail');
    await expect(detail.locator('.detail__heading .badge')).toHaveText('produced');
    await expect(detail.getByText(/NSD-000001 to NSD-\d{6}/)).toBeVisible();
    const subpoenaId = (await detail.locator('.detail__heading h2').textContent())?.trim() ?? '';
    await checkScreen(page, '95-demo-produced-subpoena');

    const out = tempDir('custos-e2e-demo-production-');
    try {
      await detail.getByRole('button', { name: 'Export production…', exact: true }).click();
      const exp = page.getByRole('dialog');
      await expect(exp.getByRole('textbox')).toHaveCount(0);
      await exp.getByRole('button', { name: 'Export' }).click();
      const handOver = exp.getByTestId('file-hand-over');
      await expect(handOver).toBeVisible({ timeout: 30_000 });
      const [zip] = await Promise.all([page.waitForEvent('download'), handOver.getByRole('button', { name: 'Download production' }).click()]);
      execFileSync('unzip', ['-q', await saved(zip, out), '-d', out]);
      await exp.getByRole('button', { name: 'Close' }).click();
      await expect(exp).toBeHidden();
      const productionId = subpoenaId.replace(/^SUB-/, 'PRD-');
      const dir = join(out, productionId);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { pages: { page: number; bates: string; file: string; sha256: string }[] };
      expect(manifest.pages.length).toBeGreaterThanOrEqual(3);
      for (const p of manifest.pages) {
        expect(execFileSync('pdftotext', ['-f', String(p.page), '-l', String(p.page), join(dir, 'production.pdf'), '-'], { encoding: 'utf8' })).toContain(p.bates);
        expect(execFileSync('sha256sum', [p.file], { cwd: dir, encoding: 'utf8' }).split(/\s+/)[0]).toBe(p.sha256);
      }
      const pdfSha = execFileSync('sha256sum', ['production.pdf'], { cwd: dir, encoding: 'utf8' }).split(/\s+/)[0] as string;

      // Its disclosure entry carries the PDF's hash, and its timeline is the subpoena's.
      await openArea(page, 'Disclosures');
      const disclosures = page.getByRole('grid', { name: 'Record of disclosures' });
      await disclosures.locator('[role="row"]', { hasText: 'production' }).first().click();
      const d = page.getByTestId('disclosure-detail');
      await expect(d).toContainText(subpoenaId);
      await expect(d.locator('.hash')).toHaveText(pdfSha);
      await expect(d.getByRole('heading', { name: `Timeline of ${subpoenaId} (its production wrote this entry)` })).toBeVisible();
      await expect(d.locator('.ferpa-timeline')).toContainText('subpoenas.produce');
      await seeInLedger(page, subpoenaId, ['subpoenas.receive', 'subpoenas.verify', 'subpoenas.sendNotice', 'subpoenas.scope', 'subpoenas.produce']);
      await seeInLedger(page, productionId, ['subpoenas.exportProduction']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }

    // The demo's students with their directory choices and records.
    await openSubjects(page);
    await expect(page.getByRole('grid', { name: 'Subjects' }).getByText('opted out').first()).toBeVisible();
    await page.getByRole('grid', { name: 'Subjects' }).getByText('Jordan Alvarez').click();
    const subject = page.getByTestId('subject-detail');
    await expect(subject.locator('.alert--warn')).toContainText('Under legal hold');
    await expect(subject.getByTestId('subject-records').locator('tr', { hasText: 'held ·' }).first()).toBeVisible();
    await checkScreen(page, '96-demo-subjects');
  });
});
