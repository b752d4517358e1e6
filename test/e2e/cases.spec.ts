import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN, apiLogin, checkScreen, expect, focusGrid, initWorkspace, signIn, test, type CustosServer } from './fixtures.js';

const VIEWER = { username: 'vera.viewer', passphrase: 'viewer passphrase 2026' };

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function step(page: Page, detail: string, button: string | RegExp): Promise<void> {
  await page.getByTestId(detail).getByRole('button', { name: button, exact: typeof button === 'string' }).click();
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function seed(custos: CustosServer): Promise<{ session: string; subjectId: string }> {
  await initWorkspace(custos);
  const session = await apiLogin(custos, ADMIN.username, ADMIN.passphrase);
  const { subject } = await ok(custos.api<{ subject: { id: string } }>('subjects.create', { displayName: 'Jordan Alvarez', externalId: 'S-10442' }, session));
  await ok(custos.api('records.create', { subjectId: subject.id, category: 'grades', title: 'Fall grade report', content: 'TAX 201: C+', recordDate: '2025-12-19' }, session));
  await ok(custos.api('users.create', { username: VIEWER.username, displayName: 'Vera Viewer', role: 'viewer', passphrase: VIEWER.passphrase }, session));
  return { session, subjectId: subject.id };
}

test('cases: open, note, link, timeline from the ledger, search and keyboard; a viewer only reads', async ({ page, custos }) => {
  const { session, subjectId } = await seed(custos);
  for (let i = 0; i < 30; i++) await ok(custos.api('cases.create', { title: `Routine records request ${String(i).padStart(2, '0')}`, type: 'audit' }, session));
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openArea(page, 'Cases');
  await expect(page.getByRole('grid', { name: 'Cases' })).toBeVisible();
  await expect(page.getByText('30 cases')).toBeVisible();

  await page.getByRole('button', { name: 'New case' }).click();
  const dialog = page.getByRole('dialog', { name: 'New case' });
  await dialog.getByLabel('Title').fill('Gradebook tampering allegation — TAX 201');
  await dialog.getByLabel('Type').selectOption('investigation');
  await dialog.getByLabel('Description').fill('A midterm grade changed after the deadline.');
  await dialog.getByRole('button', { name: 'Open case' }).click();
  await expect(dialog).toBeHidden();
  const detail = page.getByTestId('case-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('open');
  const caseId = (await detail.locator('.detail__heading h2').textContent())?.trim() ?? '';
  expect(caseId).toMatch(/^CASE-\d{4}-\d{4}$/);

  await step(page, 'case-detail', 'Add note');
  const note = page.getByRole('dialog', { name: `Add a note to ${caseId}` });
  await note.getByLabel('Note').fill('Registrar confirms the paper exam shows 72.');
  await note.getByRole('button', { name: 'Add note' }).click();
  await expect(detail.getByText('Registrar confirms the paper exam shows 72.')).toBeVisible();

  await step(page, 'case-detail', 'Link item');
  const link = page.getByRole('dialog', { name: `Link to ${caseId}` });
  await link.getByRole('combobox', { name: 'Subject' }).fill(subjectId);
  await link.getByRole('button', { name: 'Link' }).click();
  await expect(link).toBeHidden();
  await expect(detail.getByText('Linked items (1)')).toBeVisible();
  await expect(detail.getByText('Jordan Alvarez')).toBeVisible();
  const timeline = detail.getByRole('list', { name: 'Case timeline' });
  await expect(timeline).toContainText(`cases.link · ${caseId}`);
  await expect(timeline).toContainText(`cases.addNote · ${caseId}`);
  await expect(timeline).toContainText(`subjects.create · ${subjectId}`);
  await checkScreen(page, '70-cases');

  await step(page, 'case-detail', 'Close case');
  const close = page.getByRole('dialog', { name: `Close case: ${caseId}` });
  await expect(close).toContainText('cannot be reopened');
  await close.getByRole('button', { name: 'Cancel' }).click();

  // Search and the status filter narrow the list; the keyboard walks it.
  await page.getByLabel('Search').fill('Routine records request 1');
  await expect(page.getByText('10 cases')).toBeVisible();
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Type').selectOption('investigation');
  await expect(page.getByText('1 case', { exact: true })).toBeVisible();
  await page.getByLabel('Type').selectOption('');
  await expect(page.getByText('31 cases')).toBeVisible();
  await page.getByLabel('Sort').selectOption('title:asc');
  const grid = page.getByRole('grid', { name: 'Cases' });
  // The keyboard walks the list as shown: wait until the sorted rows are on screen.
  await expect(grid.getByRole('row').nth(2)).toContainText('Routine records request 00');
  await focusGrid(grid);
  await page.keyboard.press('Home');
  await expect(detail.locator('.detail__lead')).toHaveText('Gradebook tampering allegation — TAX 201');
  await page.keyboard.press('ArrowDown');
  await expect(detail.locator('.detail__lead')).toHaveText('Routine records request 00');

  const events = await ok(custos.api<{ events: { action: string }[] }>('ledger.query', { resourceType: 'case', resourceId: caseId, limit: 20 }, session));
  expect(events.events.map((e) => e.action).sort()).toEqual(['cases.addNote', 'cases.create', 'cases.link']);

  // A viewer sees the case but no actions, and the core refuses a mutation.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, VIEWER.username, VIEWER.passphrase);
  await openArea(page, 'Cases');
  await expect(page.getByRole('button', { name: 'New case' })).toHaveCount(0);
  // Case titles and notes may name students: a viewer finds the case by its id and sees neither.
  await expect(page.getByRole('grid', { name: 'Cases' })).not.toContainText('Gradebook tampering allegation');
  await page.getByRole('grid', { name: 'Cases' }).getByText(caseId, { exact: true }).click();
  await expect(page.getByTestId('case-detail').getByRole('heading', { name: 'Next step' })).toHaveCount(0);
  await expect(page.getByTestId('case-detail')).not.toContainText('Registrar confirms the paper exam shows 72.');
  const viewerSession = await apiLogin(custos, VIEWER.username, VIEWER.passphrase);
  const refused = await custos.api('cases.addNote', { id: caseId, body: 'x' }, viewerSession);
  expect(!refused.ok && refused.error.code).toBe('forbidden');
});

test('evidence: ingest from a file input, view (ledgered), transfer, seal, release, dispose; re-verify flags tampering', async ({ page, custos }) => {
  const { session } = await seed(custos);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await openArea(page, 'Evidence');
  await expect(page.getByText('No evidence yet')).toBeVisible();

  const bytes = Buffer.from('2025-10-29T03:14:55Z lms-sync: UPDATE grade 72 -> 62 (E2E-EVIDENCE-LOG)\n');
  const sha = createHash('sha256').update(bytes).digest('hex');
  await page.getByRole('button', { name: 'Ingest evidence' }).first().click();
  const ingest = page.getByRole('dialog', { name: 'Ingest evidence' });
  await ingest.getByLabel('File').setInputFiles({ name: 'lms-audit.log', mimeType: 'text/plain', buffer: bytes });
  await ingest.getByLabel('Title').fill('LMS audit log');
  await ingest.getByLabel('Source').fill('LMS application server lms-prod-02');
  await ingest.getByLabel('Location').fill('IT secure storage');
  await checkScreen(page, '71-evidence-ingest');
  await ingest.getByRole('button', { name: 'Ingest' }).click();
  await expect(ingest).toBeHidden();
  const detail = page.getByTestId('evidence-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('collected');
  await expect(detail.locator('.hash')).toHaveAttribute('title', sha);
  const id = (await detail.locator('.detail__heading h2').textContent())?.trim() ?? '';

  // The file was uploaded (not sent inline) and ingested by its one-time grant; the plaintext is nowhere in the workspace folder.
  const ingested = await custos.api<{ events: { action: string; details: { file_name?: string } }[] }>('ledger.query', { action: 'evidence.ingestFile', limit: 5 }, session);
  expect(ingested.ok && ingested.value.events.map((e) => e.details.file_name)).toEqual(['lms-audit.log']);
  for (const e of readdirSync(custos.dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) expect(readFileSync(join(e.parentPath, e.name)).includes('E2E-EVIDENCE-LOG'), e.name).toBe(false);
  }

  await step(page, 'evidence-detail', 'View content…');
  const view = page.getByRole('dialog', { name: `View ${id}` });
  await view.getByLabel('Purpose').fill('Review for the grade appeal');
  await view.getByRole('button', { name: 'View content' }).click();
  await expect(page.getByTestId('evidence-content')).toContainText('E2E-EVIDENCE-LOG');

  await step(page, 'evidence-detail', 'Transfer…');
  const transfer = page.getByRole('dialog', { name: `Transfer ${id}` });
  await transfer.getByLabel('To').fill('Forensics lab (J. Park)');
  await transfer.getByLabel('Purpose').fill('Timeline analysis');
  await transfer.getByLabel('Location').fill('Forensics lab, room 2');
  await transfer.getByRole('button', { name: 'Record transfer' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('transferred');
  await expect(page.getByTestId('custody-chain')).toContainText('admin → Forensics lab (J. Park)');

  await step(page, 'evidence-detail', 'Seal…');
  const seal = page.getByRole('dialog', { name: `Seal ${id}` });
  await seal.getByLabel('Seal reference or purpose').fill('Bag 2025-117');
  await seal.getByRole('button', { name: 'Seal' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('sealed');
  await expect(detail.getByRole('button', { name: 'Dispose…' })).toBeDisabled();
  await step(page, 'evidence-detail', 'Release…');
  const release = page.getByRole('dialog', { name: `Release ${id}` });
  await release.getByLabel('Purpose').fill('Counsel review');
  await release.getByRole('button', { name: 'Release' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('released');
  await checkScreen(page, '72-evidence-detail');

  await step(page, 'evidence-detail', 'Dispose…');
  const dispose = page.getByRole('dialog', { name: `Dispose of ${id}` });
  await expect(dispose).toContainText('This cannot be undone');
  await expect(dispose).toContainText('lms-audit.log');
  await dispose.getByLabel('Reason (recorded in the ledger)').fill('Duplicate of the registrar copy');
  await dispose.getByRole('button', { name: 'Dispose permanently' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('disposed');
  expect(readdirSync(join(custos.dir, 'evidence')).filter((f) => f.endsWith('.cev'))).toEqual([]);

  const ledger = await ok(custos.api<{ events: { action: string; outcome: string }[] }>('ledger.query', { resourceType: 'evidence', resourceId: id, limit: 50 }, session));
  expect(ledger.events.map((e) => e.action).reverse()).toEqual(['evidence.ingestFile', 'evidence.access', 'evidence.transfer', 'evidence.seal', 'evidence.release', 'evidence.dispose']);

  // A tampered ciphertext fails re-verification loudly.
  const { evidence } = await ok(custos.api<{ evidence: { id: string } }>('evidence.ingestContent', { fileName: 'memo.txt', contentBase64: Buffer.from('memo').toString('base64'), title: 'Memo', source: 'Upload' }, session));
  const file = readdirSync(join(custos.dir, 'evidence')).find((f) => f.endsWith('.cev')) as string;
  const raw = readFileSync(join(custos.dir, 'evidence', file));
  raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 0xff;
  writeFileSync(join(custos.dir, 'evidence', file), raw);
  await page.goto(`${custos.origin}/#/evidence/${evidence.id}`);
  await expect(detail.locator('.detail__heading h2')).toHaveText(evidence.id);
  await step(page, 'evidence-detail', 'Re-verify');
  await expect(detail.getByRole('alert')).toContainText('Integrity check FAILED');
  await expect(page.getByRole('grid', { name: 'Evidence' }).getByText('FAILED')).toBeVisible();
  await checkScreen(page, '73-evidence-integrity-failed');
});

test('holds: create from a case, activate, notices, acknowledgement, held evidence cannot be disposed, release', async ({ page, custos }) => {
  const { session, subjectId } = await seed(custos);
  const { case: c } = await ok(custos.api<{ case: { id: string } }>('cases.create', { title: 'Alvarez v. Northfield School District', type: 'subpoena' }, session));
  await ok(custos.api('cases.link', { id: c.id, itemType: 'subject', itemId: subjectId }, session));
  const { evidence } = await ok(
    custos.api<{ evidence: { id: string } }>('evidence.ingestContent', { fileName: 'gradebook.csv', contentBase64: Buffer.from('a,b\n1,2\n').toString('base64'), title: 'Gradebook export', source: 'LMS', caseId: c.id }, session),
  );
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.goto(`${custos.origin}/#/cases/${c.id}`);
  await expect(page.getByTestId('case-detail').locator('.detail__heading h2')).toHaveText(c.id);

  await step(page, 'case-detail', 'Create legal hold');
  const create = page.getByRole('dialog', { name: 'Create a legal hold' });
  await expect(create.getByRole('list', { name: 'Subjects: chosen' })).toContainText(subjectId);
  await create.getByLabel('Title', { exact: true }).fill('Preserve records of the subpoenaed student');
  await create.getByLabel('Custodians').fill('Rita Lindqvist <r.lindqvist@example.edu>\nRegistrar office <registrar@example.edu>');
  await checkScreen(page, '74-hold-create');
  await create.getByRole('button', { name: 'Create draft hold' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Holds', level: 1 })).toBeVisible();
  const detail = page.getByTestId('hold-detail');
  await expect(detail.locator('.detail__heading .badge')).toHaveText('draft');
  const holdId = (await detail.locator('.detail__heading h2').textContent())?.trim() ?? '';
  await expect(detail.getByText('Would protect')).toBeVisible();
  await expect(detail.getByText(evidence.id)).toBeVisible();

  await step(page, 'hold-detail', 'Activate…');
  const activate = page.getByRole('dialog', { name: `Activate ${holdId}` });
  await expect(activate).toContainText('1 evidence item and 1 record');
  await activate.getByRole('button', { name: 'Activate hold' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('active');

  await step(page, 'hold-detail', 'Issue notices (2)');
  await expect(detail.getByText('Notices (2)')).toBeVisible();
  await detail.getByRole('button', { name: 'Record ack from Rita Lindqvist' }).click();
  const ack = page.getByRole('dialog', { name: 'Acknowledgement from Rita Lindqvist' });
  await ack.getByLabel('How it was acknowledged').selectOption('signed');
  await ack.getByRole('button', { name: 'Record acknowledgement' }).click();
  await expect(detail.locator('tr', { hasText: 'Rita Lindqvist' }).locator('.badge').first()).toHaveText('acknowledged');
  const notice = detail.locator('details', { hasText: 'Registrar office' });
  await notice.locator('summary').click();
  await expect(notice.getByText(`LEGAL HOLD NOTICE — ${holdId}`)).toBeVisible();
  await checkScreen(page, '75-hold-detail');

  // The case is on hold; its evidence cannot be disposed (the button says why, the core refuses and ledgers it).
  const kase = await ok(custos.api<{ case: { status: string } }>('cases.get', { id: c.id }, session));
  expect(kase.case.status).toBe('on_hold');
  await detail.getByRole('button', { name: evidence.id }).click();
  const ev = page.getByTestId('evidence-detail');
  await expect(ev.getByText(`Under legal hold ${holdId} (Preserve records of the subpoenaed student)`)).toBeVisible();
  await expect(ev.getByRole('button', { name: 'Dispose…' })).toBeDisabled();
  const refused = await custos.api('evidence.dispose', { id: evidence.id, reason: 'cleanup' }, session);
  expect(!refused.ok && refused.error).toMatchObject({ code: 'held', message: `${evidence.id} is under legal hold ${holdId}; release the hold first.` });
  const denied = await ok(custos.api<{ events: { outcome: string }[] }>('ledger.query', { action: 'evidence.dispose', outcome: 'denied', limit: 5 }, session));
  expect(denied.events).toHaveLength(1);

  await page.goto(`${custos.origin}/#/holds/${holdId}`);
  await expect(detail.locator('.detail__heading h2')).toHaveText(holdId);
  await step(page, 'hold-detail', 'Release…');
  const release = page.getByRole('dialog', { name: `Release ${holdId}` });
  await expect(release).toContainText('A release notice is issued to 2 notified custodians');
  await release.getByLabel('Reason for the release').fill('Production complete; the matter settled.');
  await release.getByRole('button', { name: 'Release hold' }).click();
  await expect(detail.locator('.detail__heading .badge')).toHaveText('released');
  await expect(detail.getByText('Notices (4)')).toBeVisible();
  const after = await ok(custos.api<{ case: { status: string } }>('cases.get', { id: c.id }, session));
  expect(after.case.status).toBe('open');
  const disposed = await ok(custos.api<{ evidence: { status: string } }>('evidence.dispose', { id: evidence.id, reason: 'Hold released' }, session));
  expect(disposed.evidence.status).toBe('disposed');
});

test.describe('with the demo workspace', () => {
  test.use({ demoEvents: 2000 });

  test('cases, evidence and holds from `custos demo` are listed and readable', async ({ page, custos }) => {
    await page.goto(custos.url);
    await signIn(page, ADMIN.username, ADMIN.passphrase);
    await openArea(page, 'Cases');
    const cases = page.getByRole('grid', { name: 'Cases' });
    await cases.getByText('Gradebook tampering allegation — TAX 201, fall term').click();
    const detail = page.getByTestId('case-detail');
    await expect(detail.locator('.detail__heading .badge')).toHaveText('on hold');
    await expect(detail.getByRole('list', { name: 'Case timeline' })).toContainText('evidence.dispose');
    await checkScreen(page, '76-cases-demo');

    await openArea(page, 'Evidence');
    await page.getByRole('grid', { name: 'Evidence' }).getByText('LMS audit log, 29 October').click();
    await expect(page.getByTestId('evidence-detail').locator('.detail__heading .badge')).toHaveText('sealed');
    await expect(page.getByTestId('custody-chain')).toContainText('Forensics lab (J. Park)');
    await checkScreen(page, '77-evidence-demo');

    await openArea(page, 'Holds');
    await page.getByRole('grid', { name: 'Legal holds' }).getByText('Preserve residence life records and communications').click();
    const hold = page.getByTestId('hold-detail');
    await expect(hold.locator('tr', { hasText: 'Marcus Bell' }).locator('.badge').first()).toHaveText('escalated');
    await checkScreen(page, '78-holds-demo');
  });
});
