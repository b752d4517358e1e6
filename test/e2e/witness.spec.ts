import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMIN, BASE_ENV, checkScreen, expect, makeDemo, signIn, startServe, tempDir, test } from './fixtures.js';

// Axe in two themes on each dialog is slow on small machines.
test.slow();

const CLI = resolve(import.meta.dirname, '..', '..', 'bin', 'custos.js');

/** Runs the CLI to its end; resolves with stdout. */
function cli(args: string[]): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...BASE_ENV, CUSTOS_PASSPHRASE: ADMIN.passphrase }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`custos ${args[0]} failed (${code}): ${err}`))));
  });
}

test('an auditor countersigns a verified bundle; the source trusts the witness, imports the cosignature and sees it proven on the Ledger', async ({ page, custos, browser }) => {
  // The source workspace and a bundle of its ledger, as the sender makes them.
  const srcDir = join(tempDir('custos-witness-src-'), 'ws');
  await makeDemo(srcDir, 150);
  const bundlePath = join(tempDir('custos-witness-bundle-'), 'northfield-ledger.zip');
  // The whole ledger carries students' names: requested, approved by the compliance officer, then written.
  const asked = await cli(['bundle', srcDir, '--out', bundlePath]).then(
    () => '',
    (err: Error) => err.message,
  );
  const requestId = /Recorded as request (EXP-\d{4}-\d{4})\./.exec(asked)?.[1];
  expect(requestId, asked).toBeDefined();
  await cli(['approve', srcDir, requestId!, '--user', 'maria.chen']);
  await cli(['bundle', srcDir, '--request', requestId!, '--out', bundlePath]);

  // The auditor's workspace imports and verifies it.
  const init = await custos.api('workspace.init', { workspaceName: 'Hartwell & Co. — External Audit', username: ADMIN.username, displayName: ADMIN.displayName, passphrase: ADMIN.passphrase });
  expect(init.ok).toBe(true);
  await page.goto(custos.url);
  await signIn(page, ADMIN.username, ADMIN.passphrase);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit review' }).click();
  await page.getByRole('button', { name: 'Import bundle…' }).click();
  const importDialog = page.getByRole('dialog', { name: 'Import a log bundle' });
  await importDialog.getByLabel('Bundle file').setInputFiles({ name: 'northfield-ledger.zip', mimeType: 'application/zip', buffer: readFileSync(bundlePath) });
  await importDialog.getByRole('button', { name: 'Verify and import' }).click();
  await page.getByRole('dialog', { name: 'Confirm the sender’s key' }).getByRole('button', { name: 'Fingerprint matches: trust and import' }).click({ timeout: 30_000 });
  const done = page.getByRole('dialog', { name: 'Bundle verified and imported' });
  await done.getByRole('button', { name: 'Open bundle 1' }).click({ timeout: 30_000 });

  // Countersign: the dialog shows the tree head and the witness key with its fingerprint.
  await page.getByRole('button', { name: 'Countersign…' }).click();
  const sign = page.getByRole('dialog', { name: /^Countersign the tree head of / });
  await expect(sign).toBeVisible();
  const vkey = (await sign.locator('.witness-key__text').textContent()) ?? '';
  expect(vkey).toMatch(/^custos-witness\/[^+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
  await checkScreen(page, '95-witness-countersign');
  const downloading = page.waitForEvent('download');
  await sign.getByRole('button', { name: 'Countersign and download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^cosignature-.*\.json$/);
  const fileText = readFileSync((await download.path()) ?? '', 'utf8');
  expect(JSON.parse(fileText)).toMatchObject({ format: 'custos-cosignature/1', witness: { vkey } });
  await expect(sign.getByTestId('countersigned')).toContainText('Countersigned already');
  await sign.getByRole('button', { name: 'Close' }).click();

  // The source workspace: Ledger › Witnesses, trust the key after comparing its fingerprint, import the file.
  const { server, stop } = await startServe(srcDir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const src = await context.newPage();
  try {
    await src.goto(server.url);
    await signIn(src, ADMIN.username, ADMIN.passphrase);
    await src.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger' }).click();
    await src.getByRole('button', { name: 'Witnesses' }).click();
    const w = src.getByRole('dialog', { name: 'Witnesses' });
    await expect(w.getByTestId('witness-empty')).toBeVisible();
    await w.getByLabel('Witness key').fill(vkey);
    await w.getByRole('button', { name: 'Check key' }).click();
    await expect(w.getByText(/Compare this fingerprint with the auditor/)).toBeVisible();
    await w.getByLabel('Who the witness is').fill('Hartwell & Co. (Avery Quinn)');
    await w.getByRole('button', { name: 'Trust this key' }).click();
    await expect(w.getByTestId('witness-keys')).toContainText('Hartwell & Co. (Avery Quinn)');
    await w.getByLabel('Import a cosignature file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(fileText) });
    const table = w.getByTestId('witness-cosignatures');
    await expect(table).toContainText('Hartwell & Co. (Avery Quinn)');
    await expect(table).toContainText("Extended by today's ledger");
    await checkScreen(src, '96-witness-ledger-dialog');
    await w.getByRole('button', { name: 'Close' }).click();
    await src.getByRole('button', { name: 'Verify now' }).click();
    await expect(src.getByTestId('verify-witnessed')).toHaveText('1 extended', { timeout: 30_000 });
    await checkScreen(src, '97-witness-verified');
  } finally {
    await context.close();
    await stop();
  }
});
