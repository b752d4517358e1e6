import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Production, Subpoena } from '../../shared/contract/subpoenas.js';
import { daysAgo, eventsOf, ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';
import { exportedPath } from './helpers/outputs.js';

const CANARY = 'CANARY-7Q2X-ZEBRA-LANTERN';

let f: FerpaFixture;

beforeAll(async () => {
  f = await ferpaFixture();
  f.addSubject({ id: 'STU-2001', name: 'Priya Natarajan' });
  f.addSubject({ id: 'STU-2002', name: 'Tomas Berg' });
  f.addCase('CASE-2026-0001');
  const long = Array.from({ length: 140 }, (_, i) => `Session ${i + 1}: present, participated in the tax research workshop.`).join('\n');
  f.addRecord({ id: 'REC-G', subjectId: 'STU-2001', category: 'grades', title: 'Transcript 2025', content: `Accounting 101: A\nTax 201: B+\nReference ${CANARY}` });
  f.addRecord({ id: 'REC-A', subjectId: 'STU-2001', category: 'attendance', title: 'Attendance 2025', content: long });
  f.addRecord({ id: 'REC-H', subjectId: 'STU-2001', category: 'health', title: 'Nurse visit notes', content: 'Not requested by the subpoena.' });
  f.addRecord({ id: 'REC-T', subjectId: 'STU-2002', category: 'grades', title: 'Transcript', content: 'Another student.' });
});
afterAll(() => f.close());

function pdftotext(file: string, page?: number): string {
  const args = page ? ['-f', String(page), '-l', String(page), file, '-'] : [file, '-'];
  return execFileSync('pdftotext', args, { encoding: 'utf8' });
}

function sha256sum(files: string[], cwd: string): Map<string, string> {
  const out = execFileSync('sha256sum', files, { cwd, encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((l) => {
    const [hash, name] = l.split(/\s+\*?/);
    return [name as string, hash as string];
  }));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function received(type: 'civil' | 'grand_jury' | 'law_enforcement' | 'court_order', servedDaysAgo = 2): Promise<Subpoena> {
  const { subpoena } = await f.call('subpoenas.receive', {
    subjectId: 'STU-2001',
    issuer: 'Hall & Brandt LLP',
    court: 'District Court of Travis County',
    docket: 'D-1-GN-26-000417',
    type,
    requestedRecords: 'Transcript and attendance records for 2025.',
    servedAt: daysAgo(servedDaysAgo),
    dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    caseId: 'CASE-2026-0001',
  }, 'legal_counsel');
  return subpoena;
}

describe('subpoena responses', () => {
  let sub: Subpoena;
  let production: Production;
  const exportRoot = () => join(f.dir, 'out');

  it('logs receipt with the 3-day notice deadline from policy', async () => {
    const { subpoena } = await f.call('subpoenas.receive', {
      subjectId: 'STU-2001',
      issuer: 'Hall & Brandt LLP',
      court: 'District Court',
      docket: 'X-1',
      type: 'civil',
      requestedRecords: 'Transcript.',
      servedAt: '2026-01-05',
      dueAt: '2026-01-30',
    });
    expect(subpoena.state).toBe('received');
    expect(subpoena.servedAt).toBe('2026-01-05T00:00:00.000Z');
    expect(subpoena.noticeDueAt).toBe('2026-01-08T00:00:00.000Z');
    // Notice comes before compliance: a response due sooner than the 3 days pulls the notice date in.
    const { subpoena: rush } = await f.call('subpoenas.receive', {
      subjectId: 'STU-2001', issuer: 'DA', type: 'court_order', requestedRecords: 'All.', servedAt: '2026-01-05', dueAt: '2026-01-06',
    });
    expect(rush.noticeDueAt).toBe('2026-01-06T00:00:00.000Z');
    const bad = await f.result('subpoenas.receive', { subjectId: 'STU-2001', issuer: 'DA', type: 'civil', requestedRecords: 'x', servedAt: '2026-01-05', dueAt: '2026-01-01' });
    expect(!bad.ok && bad.error.code).toBe('validation');
  });

  it('goes received → verified → notice_sent → scoped, refusing steps out of order with conflict', async () => {
    sub = await received('civil');
    const early = await f.result('subpoenas.produce', { id: sub.id });
    expect(!early.ok && early.error.code).toBe('conflict');
    const earlyNotice = await f.result('subpoenas.sendNotice', { id: sub.id, method: 'letter' });
    expect(!earlyNotice.ok && earlyNotice.error.code).toBe('conflict');

    await f.call('subpoenas.verify', { id: sub.id, note: 'Counsel confirmed with the clerk of court.' }, 'legal_counsel');
    // A civil subpoena gives no ground to skip notice.
    const exempt = await f.result('subpoenas.exemptNotice', { id: sub.id, ground: 'nondisclosure_order', reason: 'None really.' });
    expect(!exempt.ok && exempt.error.code).toBe('conflict');
    const scopeEarly = await f.result('subpoenas.scope', { id: sub.id, recordIds: ['REC-G'] });
    expect(!scopeEarly.ok && scopeEarly.error.code).toBe('conflict');

    const noticed = await f.call('subpoenas.sendNotice', { id: sub.id, method: 'Letter and e-mail to the student' });
    expect(noticed.subpoena.state).toBe('notice_sent');
    expect(noticed.subpoena.noticeLate).toBe(false);

    // Scope only the subject's own records.
    const foreign = await f.result('subpoenas.scope', { id: sub.id, recordIds: ['REC-G', 'REC-T'] });
    expect(!foreign.ok && foreign.error.code).toBe('validation');
    await f.call('subpoenas.scope', { id: sub.id, recordIds: ['REC-G', 'REC-A', 'REC-H'] });
    // Re-scoping before production narrows it to what was requested.
    const scoped = await f.call('subpoenas.scope', { id: sub.id, recordIds: ['REC-G', 'REC-A'] });
    expect(scoped.subpoena.state).toBe('scoped');
    expect(scoped.subpoena.scope.map((r) => r.id)).toEqual(['REC-G', 'REC-A']);
    // Seed 002 refuses production on a civil subpoena (test/unit/ferpa-rules.test.ts); this institution honours lawful subpoenas.
    const refused = await f.call('subpoenas.get', { id: sub.id }, 'auditor');
    expect(refused.allowedActions).toEqual(['subpoenas.scope', 'subpoenas.quash', 'subpoenas.withdraw']);
    await f.call('ferpa.setPolicy', { productionRequires: 'court_order_or_lawful_subpoena', reason: 'Counsel advises honouring lawfully issued subpoenas.' });
    const detail = await f.call('subpoenas.get', { id: sub.id }, 'auditor');
    expect(detail.productionRefusal).toBeNull();
    expect(detail.allowedActions).toEqual(['subpoenas.scope', 'subpoenas.produce', 'subpoenas.quash', 'subpoenas.withdraw']);
  });

  it('auditor and viewer cannot produce', async () => {
    for (const role of ['auditor', 'viewer'] as const) {
      const r = await f.result('subpoenas.produce', { id: sub.id }, role);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
  });

  it('produces a Bates-numbered PDF and page files, with the disclosure written in the same transaction as the event', async () => {
    // A statement of disagreement on a produced record must travel with it (99.21(c)).
    const { amendment } = await f.call('amendments.receive', { recordId: 'REC-G', matter: 'clerical_error', requestedChange: 'Tax 201 should be A-.', reason: 'Rubric error.' });
    await f.call('amendments.startReview', { id: amendment.id });
    await f.call('amendments.decide', { id: amendment.id, decision: 'deny', reason: 'Rubric applied correctly.' });
    const { statement } = await f.call('amendments.fileStatement', { id: amendment.id, text: 'STATEMENT-MARK: I maintain the rubric was misapplied.' });

    const before = f.ws().ledger.head().size;
    const out = await f.call('subpoenas.produce', { id: sub.id, batesPrefix: 'NSD' }, 'compliance_officer');
    production = out.production;
    expect(out.subpoena.state).toBe('produced');
    expect(production.batesFirst).toBe('NSD-000001');
    expect(production.pageCount).toBeGreaterThanOrEqual(4); // cover, transcript, at least two attendance pages
    expect(production.batesLast).toBe(`NSD-${String(production.pageCount).padStart(6, '0')}`);
    expect(f.ws().ledger.head().size).toBe(before + 1);

    const ev = eventsOf(f.ws(), 'subpoenas.produce').at(-1);
    expect(ev?.resource_id).toBe(sub.id);
    expect(ev?.details).toMatchObject({ production_id: production.id, pdf_sha256: production.pdfSha256, manifest_sha256: production.manifestSha256 });

    const disclosure = await f.call('disclosures.get', { id: production.disclosureId as string });
    expect(disclosure.disclosure).toMatchObject({
      subjectId: 'STU-2001',
      subpoenaId: sub.id,
      productionId: production.id,
      fileSha256: production.pdfSha256,
      basis: 'subpoena',
      subjectVisible: true,
      disclosedBy: 'olivia.officer',
    });
    expect(disclosure.disclosure.records.map((r) => r.id).sort()).toEqual(['REC-A', 'REC-G']);
    expect(disclosure.disclosure.statements.map((s) => s.id)).toEqual([statement.id]);
    expect(ev?.details.disclosure_id).toBe(disclosure.disclosure.id);
    // Same transaction: the disclosure's recorded time is the production time and no other event came between.
    const seqs = f.ws().db.prepare("SELECT action FROM events WHERE seq > ? ORDER BY seq").all(before) as { action: string }[];
    expect(seqs.map((s) => s.action)).toEqual(['subpoenas.produce']);
  });

  it('exports the production as one ZIP in exports/; every page carries its Bates number in sequence and every hash checks out with sha256sum', async () => {
    const exported = await f.call('subpoenas.exportProduction', { productionId: production.id });
    expect(exported.fileName).toMatch(new RegExp(`^production-${production.id}-\\d{8}T\\d{6}Z\\.zip$`));
    const zip = exportedPath(f.ws(), exported.fileName);
    expect(statSync(zip).mode & 0o777).toBe(0o600);
    expect(createHash('sha256').update(readFileSync(zip)).digest('hex')).toBe(exported.sha256);
    expect(eventsOf(f.ws(), 'subpoenas.exportProduction').at(-1)).toMatchObject({
      resource_id: production.id,
      details: { file_name: exported.fileName, sha256: exported.sha256 },
    });
    mkdirSync(exportRoot(), { recursive: true });
    execFileSync('unzip', ['-q', zip, '-d', exportRoot()]);
    const dir = join(exportRoot(), production.id);

    const combined = join(dir, 'production.pdf');
    const info = execFileSync('pdfinfo', [combined], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(production.pageCount);
    for (let n = 1; n <= production.pageCount; n++) {
      const bates = `NSD-${String(n).padStart(6, '0')}`;
      const text = pdftotext(combined, n);
      expect(text, `page ${n}`).toContain(bates);
      // After the cover (which lists the ranges), a page shows its own Bates number and no other.
      if (n > 1) expect(new Set(text.match(/NSD-\d{6}/g))).toEqual(new Set([bates]));
      const single = join(dir, 'pages', `${bates}.pdf`);
      expect(existsSync(single)).toBe(true);
      expect(pdftotext(single)).toContain(bates);
    }
    const all = pdftotext(combined);
    expect(all).toContain(CANARY);
    expect(all).toContain('STATEMENT-MARK'); // the statement of disagreement is produced with its record
    expect(all).not.toContain('Not requested by the subpoena'); // only the scoped records

    // Page hashes: sha256sum of each single-page file equals the recorded page hash (DB and manifest).
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      page_hash_definition: string;
      pages: { page: number; bates: string; file: string; sha256: string }[];
      files: { path: string; sha256: string; bytes: number }[];
    };
    expect(manifest.page_hash_definition).toBe(production.pageHashDefinition);
    const pageFiles = manifest.pages.map((p) => p.file);
    const pageSums = sha256sum(pageFiles, dir);
    for (const p of manifest.pages) {
      expect(pageSums.get(p.file)).toBe(p.sha256);
      const recorded = production.files.find((x) => x.entry === p.file);
      expect(recorded?.sha256).toBe(p.sha256);
      expect(recorded?.bates).toBe(p.bates);
    }
    // File hashes: every file of the set, including the manifest itself (recorded in the DB and the ledger).
    const allFiles = production.files.map((x) => x.entry);
    const sums = sha256sum(allFiles, dir);
    for (const x of production.files) expect(sums.get(x.entry), x.entry).toBe(x.sha256);
    for (const m of manifest.files) expect(sums.get(m.path), m.path).toBe(m.sha256);
    expect(sums.get('manifest.json')).toBe(production.manifestSha256);
    expect(sums.get('production.pdf')).toBe(production.pdfSha256);
    expect(readFileSync(join(dir, 'VERIFY.txt'), 'utf8')).toContain('pdftotext -f N -l N production.pdf');

    // No caller names a folder; a second export is a new file beside the first.
    const again = await f.result('subpoenas.exportProduction', { productionId: production.id, outDir: exportRoot() });
    expect(!again.ok && again.error.code).toBe('validation');
    const second = await f.call('subpoenas.exportProduction', { productionId: production.id });
    expect(second.fileName).not.toBe(exported.fileName);
    expect(createHash('sha256').update(readFileSync(zip)).digest('hex')).toBe(exported.sha256);
  });

  it('keeps the retained copy encrypted: no plaintext of a produced record anywhere in the workspace but exports/', () => {
    const wsDir = f.ws().dir;
    // exports/ holds what was handed over on purpose (the production ZIPs above); nothing else may be plaintext.
    const files = walk(wsDir).filter((p) => !p.startsWith(join(wsDir, 'exports')));
    expect(files.some((p) => p.includes(`${join(wsDir, 'productions')}`))).toBe(true);
    const needles = [CANARY, '%PDF-', 'STATEMENT-MARK', 'Hall & Brandt', 'custos-production/1', 'Priya Natarajan'].map((s) => Buffer.from(s, 'utf8'));
    for (const p of files) {
      const data = readFileSync(p);
      for (const n of needles) expect(data.includes(n), `${n.toString()} in ${p}`).toBe(false);
    }
  });

  it('refuses to export a retained copy that was changed on disk', async () => {
    const folder = (f.ws().db.prepare('SELECT folder FROM productions WHERE id = ?').get(production.id) as { folder: string }).folder;
    const blob = join(f.ws().dir, 'productions', folder, '0002.bin');
    const original = readFileSync(blob);
    const bent = Buffer.from(original);
    bent[bent.length - 1] = (bent[bent.length - 1] as number) ^ 1;
    writeFileSync(blob, bent);
    const exportsBefore = readdirSync(join(f.ws().dir, 'exports'));
    const r = await f.result('subpoenas.exportProduction', { productionId: production.id });
    expect(!r.ok && r.error.code).toBe('integrity');
    // Nothing half-written is left behind.
    expect(readdirSync(join(f.ws().dir, 'exports'))).toEqual(exportsBefore);
    writeFileSync(blob, original);
  });

  it('closes a produced subpoena and refuses to quash it afterwards', async () => {
    const late = await f.result('subpoenas.quash', { id: sub.id, reason: 'Too late.' });
    expect(!late.ok && late.error.code).toBe('conflict');
    const closed = await f.call('subpoenas.close', { id: sub.id, note: 'Production delivered by courier.' });
    expect(closed.subpoena.state).toBe('closed');
    const reopen = await f.result('subpoenas.scope', { id: sub.id, recordIds: ['REC-G'] });
    expect(!reopen.ok && reopen.error.code).toBe('conflict');
  });

  it('continues Bates numbers across productions under the same prefix', async () => {
    const s2 = await received('court_order');
    await f.call('subpoenas.verify', { id: s2.id, note: 'Order certified.' }, 'legal_counsel');
    await f.call('subpoenas.sendNotice', { id: s2.id, method: 'Letter' });
    await f.call('subpoenas.scope', { id: s2.id, recordIds: ['REC-G'] });
    const out = await f.call('subpoenas.produce', { id: s2.id, batesPrefix: 'NSD' });
    expect(out.production.batesFirst).toBe(`NSD-${String(production.pageCount + 1).padStart(6, '0')}`);
    const d = await f.call('disclosures.get', { id: out.production.disclosureId as string });
    expect(d.disclosure.basis).toBe('court_order');
  });
});

describe('notice exemptions (99.31(a)(9)(ii)) and withheld disclosures (99.32(d)(5))', () => {
  it('records a grand jury non-disclosure exemption with its reason; the disclosure is kept but withheld from the subject until the order lapses', async () => {
    const s = await received('grand_jury');
    await f.call('subpoenas.verify', { id: s.id, note: 'AUSA confirmed.' }, 'legal_counsel');
    const wrongGround = await f.result('subpoenas.exemptNotice', { id: s.id, ground: 'ex_parte_order', reason: 'x' });
    expect(!wrongGround.ok && wrongGround.error.code).toBe('conflict');
    const until = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const exempt = await f.call('subpoenas.exemptNotice', {
      id: s.id,
      ground: 'nondisclosure_order',
      reason: 'The grand jury subpoena orders that its existence not be disclosed.',
      until,
    });
    expect(exempt.subpoena).toMatchObject({ state: 'notice_exempt', noticeExemptGround: 'nondisclosure_order' });
    expect(eventsOf(f.ws(), 'subpoenas.exemptNotice').at(-1)?.details).toMatchObject({ ground: 'nondisclosure_order' });
    await f.call('subpoenas.scope', { id: s.id, recordIds: ['REC-G'] });
    const { production } = await f.call('subpoenas.produce', { id: s.id });
    expect(production.batesFirst).toBe('PROD-000001');
    const d = (await f.call('disclosures.get', { id: production.disclosureId as string })).disclosure;
    expect(d.subjectVisible).toBe(false);
    expect(d.withheldUntil).toBe(`${until}T00:00:00.000Z`);
    expect(d.withholdingBasis).toContain('99.32(d)(5)');

    const subjectCopy = await f.call('disclosures.accounting', { subjectId: 'STU-2001', audience: 'subject' });
    expect(subjectCopy.entries.map((e) => e.id)).not.toContain(d.id);
    const internal = await f.call('disclosures.accounting', { subjectId: 'STU-2001', audience: 'internal' });
    expect(internal.entries.map((e) => e.id)).toContain(d.id);
    // After the order lapses the subject's accounting shows it.
    const later = new Date(Date.now() + 201 * 86_400_000).toISOString();
    const afterLapse = await f.call('disclosures.accounting', { subjectId: 'STU-2001', audience: 'subject', asOf: later });
    expect(afterLapse.entries.map((e) => e.id)).toContain(d.id);
  });

  it('is verified with legal counsel (seed 002, step 1): counsel verifies, or another case worker names the counsel who confirmed it', async () => {
    const s = await received('court_order');
    const size = f.ws().ledger.head().size;
    const missing = await f.result('subpoenas.verify', { id: s.id, note: 'Looks fine.' });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/^Name the legal counsel who confirmed/), details: { field: 'counsel' } });
    const notCounsel = await f.result('subpoenas.verify', { id: s.id, note: 'Looks fine.', counsel: 'admin' });
    expect(!notCounsel.ok && notCounsel.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/^admin is not an enabled legal counsel account/) });
    // Each refusal is one event; the subpoena is still received.
    expect(f.ws().ledger.head().size).toBe(size + 2);
    expect((await f.call('subpoenas.get', { id: s.id })).subpoena).toMatchObject({ state: 'received', verifiedWith: null });
    const named = await f.call('subpoenas.verify', { id: s.id, note: 'Counsel called the clerk.', counsel: 'leo.counsel' });
    expect(named.subpoena).toMatchObject({ state: 'verified', verifiedBy: 'admin', verifiedWith: 'leo.counsel' });
    expect(eventsOf(f.ws(), 'subpoenas.verify').at(-1)).toMatchObject({ resource_id: s.id, outcome: 'success', details: { counsel: 'leo.counsel' } });
    const own = await received('court_order');
    const byCounsel = await f.call('subpoenas.verify', { id: own.id, note: 'Certified copy received.' }, 'legal_counsel');
    expect(byCounsel.subpoena).toMatchObject({ verifiedBy: 'leo.counsel', verifiedWith: 'leo.counsel' });
  });

  it('quashes or withdraws before production', async () => {
    const a = await received('law_enforcement');
    const q = await f.call('subpoenas.quash', { id: a.id, reason: 'Motion to quash granted.' });
    expect(q.subpoena.state).toBe('quashed');
    const b = await received('civil');
    await f.call('subpoenas.verify', { id: b.id, note: 'ok' }, 'legal_counsel');
    const w = await f.call('subpoenas.withdraw', { id: b.id, reason: 'Parties settled.' });
    expect(w.subpoena.state).toBe('withdrawn');
    const after = await f.result('subpoenas.verify', { id: a.id, note: 'x' }, 'legal_counsel');
    expect(!after.ok && after.error.code).toBe('conflict');
  });

  it('flags a notice sent after the 3-day deadline as late', async () => {
    const s = await received('civil', 10);
    await f.call('subpoenas.verify', { id: s.id, note: 'ok' }, 'legal_counsel');
    const n = await f.call('subpoenas.sendNotice', { id: s.id, method: 'Letter' });
    expect(n.subpoena.noticeLate).toBe(true);
  });
});
