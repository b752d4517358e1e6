import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { renderPdf } from '../../electron/core/pdf/fonts.js';
import { cell, docDefinition, hashCell, note, section, subsection, table, titleBlock, utcCellText } from '../../electron/core/pdf/layout.js';
import type { ResponseOf } from '../../shared/contract.js';
import { makeBundle, exportedPath } from './helpers/outputs.js';
import { pathGrant } from './helpers/grants.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

const DAY = 86_400_000;

/** The text of each page of a PDF, as `pdftotext -layout` gives it. */
function pageTexts(path: string): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1]);
  return Array.from({ length: pages }, (_, i) => execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), path, '-'], { encoding: 'utf8' }));
}

afterAll(removeTempDirs);

describe('the PDF layout kit', () => {
  let path: string;
  let pages: string[];
  const ROWS = 400;

  beforeAll(async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => [
      String(i + 1),
      cell(i === 5 ? `resource-${'x'.repeat(120)}` : `row ${i + 1} of the ledger`),
      hashCell('ab'.repeat(32)),
      cell(i === 7 ? 'Zoë Ångström signed it.\tTabbed\u0007' : 'ok'),
    ]);
    const pdf = await renderPdf(
      docDefinition({
        title: 'Kit report',
        workspace: 'Kit District',
        generatedAt: '2026-01-02T03:04:05.000Z',
        reference: 'tree head 42',
        content: [
          ...titleBlock({ title: 'Kit report', subtitle: 'A test of the layout kit', facts: [['Workspace', 'Kit District'], ['Generated', '2026-01-02T03:04:05.000Z by admin']] }),
          note('What the table lists.'),
          section('Rows', { newPage: true }),
          table({
            columns: [
              { header: 'Number', width: 50, align: 'right' },
              { header: 'Resource name', width: '*' },
              { header: 'Hash value', width: 120 },
              { header: 'Remark', width: 100 },
            ],
            rows,
            empty: 'No rows.',
          }),
          section('Nothing'),
          table({ columns: [{ header: 'Lonely column', width: '*' }, { header: 'Other', width: 60 }], rows: [], empty: 'Nothing matched the filters.' }),
        ],
      }),
    );
    path = join(tempDir('custos-pdf-kit-'), 'kit.pdf');
    writeFileSync(path, pdf);
    pages = pageTexts(path);
  });

  it('numbers every page "Page N of M" next to the document\'s identity, the title on page 1', () => {
    expect(pages.length).toBeGreaterThan(4);
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text, `page ${i + 1}`).toMatch(/Kit report · Kit District · generated 2 Jan 2026, 03:04 UTC · tree head 42/);
    });
    expect(pages[0]).toMatch(/^\s*Kit report\s*$/m);
    expect(pages[0]).toContain('A test of the layout kit');
    expect(pages[0]).toMatch(/Workspace\s+Kit District/);
    expect(pages[0]).not.toContain('Resource name');
  });

  it('repeats the table header on every page of the table, and shows every row once', () => {
    const tablePages = pages.slice(1);
    for (const [i, text] of tablePages.entries()) expect(text, `page ${i + 2}`).toMatch(/Number\s+Resource name\s+Hash value\s+Remark/);
    const all = pages.join('\n');
    for (const n of [1, 200, ROWS]) expect(all).toMatch(new RegExp(`^\\s*${n}\\s+row ${n} of the ledger`, 'm'));
    expect(all.match(/row \d+ of the ledger/g)).toHaveLength(ROWS - 1);
    // A 120-character word wraps inside its column instead of running over the next one.
    const runs = all.match(/x{5,}/g) ?? [];
    expect(runs.length).toBeGreaterThan(1);
    expect(Math.max(...runs.map((r) => r.length))).toBeLessThan(60);
    expect(runs.join('')).toBe('x'.repeat(120));
    expect(all).toContain('Zoë Ångström signed it.');
  });

  it('says what an empty table would have held', () => {
    const last = pages.at(-1) ?? '';
    expect(last).toMatch(/Lonely column\s+Other/);
    expect(last).toContain('Nothing matched the filters.');
  });

  it('passes qpdf --check and embeds every font', () => {
    const check = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f, f).toMatch(/\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
  });
});

const ELECTRON = resolve(fileURLToPath(new URL('../../electron', import.meta.url)));

describe('headings and table headers at the foot of a page', () => {
  it('never end a page without what they head, wherever the page break falls', async () => {
    // A spacer pushes the heading down the page a few points at a time, across the page's foot.
    for (let push = 560; push <= 740; push += 6) {
      const pdf = await renderPdf(
        docDefinition({
          title: 'Foot test',
          workspace: 'Kit District',
          generatedAt: '2026-01-02T03:04:05.000Z',
          content: [
            { text: 'Spacer', margin: [0, push, 0, 0] },
            subsection('Heading of the table'),
            table({ columns: [{ header: 'Column A', width: '*' }, { header: 'Column B', width: 80 }], rows: [['first row', '1'], ['second row', '2'], ['third row', '3']], empty: 'None.' }),
          ],
        }),
      );
      const file = join(tempDir('custos-pdf-foot-'), `foot-${push}.pdf`);
      writeFileSync(file, pdf);
      const pages = pageTexts(file);
      const on = (text: string) => pages.findIndex((p) => p.includes(text));
      expect(on('Heading of the table'), `spacer ${push}`).toBe(on('first row'));
      expect(on('Column A'), `spacer ${push}`).toBe(on('first row'));
    }
  });

  it('a first row taller than a page is printed whole (it is not kept with the header, which would cut it)', async () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    const pdf = await renderPdf(
      docDefinition({
        title: 'Tall row',
        workspace: 'Kit District',
        generatedAt: '2026-01-02T03:04:05.000Z',
        content: [
          { text: 'Spacer', margin: [0, 600, 0, 0] },
          table({ columns: [{ header: 'Statement', width: 120 }, { header: 'Other', width: '*' }], rows: [[cell(words), 'x'], ['second row', 'y']], empty: 'None.' }),
        ],
      }),
    );
    const file = join(tempDir('custos-pdf-tall-'), 'tall.pdf');
    writeFileSync(file, pdf);
    const text = pageTexts(file).join('\n');
    for (const w of ['word0', 'word700', 'word1499', 'second row']) expect(text).toMatch(new RegExp(`\\b${w}\\b`));
  });

  it('a date and time in a table cell wraps only after its comma, never leaving "UTC" alone', () => {
    expect(utcCellText('2026-12-03T09:57:12.000Z')).toBe('3\u00a0Dec\u00a02026, 09:57\u00a0UTC');
    expect(utcCellText('2026-12-03T09:57:12.000Z', { seconds: true })).toBe('3\u00a0Dec\u00a02026, 09:57:12\u00a0UTC');
    expect(utcCellText(null)).toBe('—');
  });
});

/** The files of electron/ (outside core/pdf) that build or render a pdfmake document, with their text. */
function pdfSources(): { file: string; text: string; definesDocument: boolean }[] {
  return readdirSync(ELECTRON, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith(join('core', 'pdf')))
    .map((file) => ({ file: file.split(sep).join('/'), text: readFileSync(join(ELECTRON, file), 'utf8') }))
    .filter((f) => /from 'pdfmake|\brenderPdf\(|createPdfKitDocument\(/.test(f.text))
    .map((f) => ({ ...f, definesDocument: /from 'pdfmake/.test(f.text) }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

describe('every PDF Custos makes', () => {
  let t: TempWorkspace;
  const made = new Map<string, string>();

  beforeAll(async () => {
    t = await withSimulatedClock(new Date(Date.now() - 60 * DAY), 1, async (clock) => {
      const ws = await createTempWorkspace({ name: 'North Shore District' });
      await seedDemo(ws.app.ws, { events: 400, admin: ADMIN, passphrase: PASSPHRASE, days: 60, clock });
      return ws;
    });
    const out = tempDir('custos-pdf-walk-');
    const db = t.app.ws.db;

    // The production of the demo's produced subpoena, and the accounting of its student's disclosures.
    const sub = db.prepare("SELECT production_id, subject_id FROM subpoenas WHERE state = 'produced'").get() as { production_id: string; subject_id: string };
    const counsel = await t.login('david.okafor');
    const production = await t.call<{ fileName: string }>('subpoenas.exportProduction', { productionId: sub.production_id }, counsel);
    execFileSync('unzip', ['-q', exportedPath(t, production.fileName), '-d', join(out, 'production')]);
    made.set('production', join(out, 'production', sub.production_id, 'production.pdf'));
    const accounting = await t.call<{ fileName: string }>('disclosures.accountingReport', { subjectId: sub.subject_id }, counsel);
    made.set('accounting', exportedPath(t, accounting.fileName));

    // An export of the audit trail and the evidence register, asked for by the officer and approved by the administrator.
    const officer = await t.login('maria.chen');
    const { request } = await t.call<ResponseOf<'exports.request'>>(
      'exports.request',
      { title: 'Audit trail and evidence', type: 'INTERNAL', format: 'pdf', includeEvidence: true, purpose: 'Annual audit', recipient: 'External auditor' },
      officer,
    );
    if (request.status === 'pending') await t.call('exports.approve', { id: request.id, note: 'For the audit.' }, t.admin);
    const executed = await t.call<ResponseOf<'exports.execute'>>('exports.execute', { id: request.id, jobId: 'pdf-walk' }, officer);
    made.set('export', exportedPath(t, executed.request.fileName!));

    // The incident report of the demo's breach.
    const incident = db.prepare('SELECT id FROM incidents').get() as { id: string };
    const incidentReport = await t.call<ResponseOf<'incidents.report'>>('incidents.report', { id: incident.id }, officer);
    made.set('incident report', exportedPath(t, incidentReport.fileName));

    // The subject-rights audit of the demo's student whose erasure request was completed.
    const privacy = db.prepare("SELECT subject_id FROM privacy_requests WHERE state = 'completed'").get() as { subject_id: string };
    const subjectAudit = await t.call<ResponseOf<'privacyRequests.subjectAudit'>>('privacyRequests.subjectAudit', { subjectId: privacy.subject_id }, officer);
    made.set('subject audit', exportedPath(t, subjectAudit.fileName));

    // A signed bundle (its report.pdf), imported by an auditor elsewhere, who makes the verification report.
    const bundle = await makeBundle(t, {}, t.admin);
    execFileSync('unzip', ['-q', bundle.path, 'report.pdf', '-d', join(out, 'bundle')]);
    made.set('bundle report', join(out, 'bundle', 'report.pdf'));
    const aud = await createTempWorkspace({ name: 'Audit firm' });
    const auditor = await aud.addUser('avery.auditor', 'auditor', 'Avery Auditor');
    const imported = await aud.call<ResponseOf<'imports.run'>>('imports.run', { grant: await pathGrant(aud, auditor, 'bundle', bundle.path), trustFingerprint: bundle.fingerprint }, auditor);
    const review = await aud.call<ResponseOf<'imports.report'>>('imports.report', { id: imported.import!.id }, auditor);
    made.set('verification report', exportedPath(aud, review.fileName));

    // A pre-built compliance report, made by the officer.
    const { report } = await t.call<ResponseOf<'reports.generate'>>('reports.generate', { kind: 'hipaa-audit-controls' }, officer);
    made.set('compliance report', exportedPath(t, report.fileName));

    // To look at them (pdftoppm -png): CUSTOS_KEEP_PDFS=/some/dir npx vitest run test/unit/pdf-layout.test.ts
    const keep = process.env.CUSTOS_KEEP_PDFS;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      for (const [name, path] of made) copyFileSync(path, join(keep, `${name.replace(/ /g, '-')}.pdf`));
    }
  }, 120_000);

  it('are all built on the layout kit', () => {
    const sources = pdfSources();
    // The PDFs these files make are the ones walked below: a new one belongs in both places.
    expect(sources.map((s) => s.file)).toEqual([
      'core/bundle/report-part.ts',
      'core/disclosures/accounting-pdf.ts',
      'core/exports/formats/pdf.ts',
      'core/imports/review-report-pdf.ts',
      'core/imports/review-report.ts',
      'core/incidents/incident-report-pdf.ts',
      'core/incidents/incident-report.ts',
      'core/privacy/subject-audit-pdf.ts',
      'core/privacy/subject-audit.ts',
      'core/reports/report-kit.ts',
      'core/reports/reports.ts',
      'core/subpoenas/production-pdf.ts',
    ]);
    for (const s of sources.filter((x) => x.definesDocument)) expect(s.text, s.file).toMatch(/import \{[^}]*\bdocDefinition\b[^}]*\} from '(\.\.\/)+pdf\/layout\.js'/);
  });

  it('numbers every page "Page N of M" with the right M', () => {
    expect([...made.keys()].sort()).toEqual(['accounting', 'bundle report', 'compliance report', 'export', 'incident report', 'production', 'subject audit', 'verification report']);
    for (const [name, path] of made) {
      const pages = pageTexts(path);
      expect(pages.length, name).toBeGreaterThan(0);
      pages.forEach((text, i) => expect(text, `${name}, page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`));
      expect(pages.join('\n'), name).not.toContain(`Page ${pages.length + 1} of`);
    }
  });

  it('pass qpdf --check and embed their one font', () => {
    for (const [name, path] of made) {
      const check = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
      expect(check.status, `${name}: ${check.stdout}${check.stderr}`).toBe(0);
      const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(fonts.length, name).toBeGreaterThan(0);
      for (const f of fonts) expect(f, `${name}: ${f}`).toMatch(/\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
    }
  });
});
