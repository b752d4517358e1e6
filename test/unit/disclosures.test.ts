import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOf, ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';
import { RESTRICTED } from '../../shared/data-classes.js';
import { exportedPath } from './helpers/outputs.js';

let f: FerpaFixture;
const AS_OF = '2026-03-01';

function yearsBefore(years: number, months = 0): string {
  const d = new Date(`${AS_OF}T12:00:00.000Z`);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

beforeAll(async () => {
  f = await ferpaFixture();
  f.addSubject({ id: 'STU-3001', name: 'Grace Okonkwo' });
  f.addSubject({ id: 'STU-3002', name: 'Henrik Solberg', optOut: true, optOutAt: '2019-08-01T00:00:00.000Z' });
  f.addRecord({ id: 'REC-31', subjectId: 'STU-3001', category: 'grades', title: 'Transcript' });
  f.addRecord({ id: 'REC-32', subjectId: 'STU-3001', category: 'health', title: 'Immunisation record' });
  f.addRecord({ id: 'REC-41', subjectId: 'STU-3002', category: 'grades', title: 'Transcript' });
});
afterAll(() => f.close());

describe('record of disclosures (FERPA 99.32, HIPAA 164.528)', () => {
  it('records date, recipient, basis, records and by whom, ledgered under disclosures.record', async () => {
    const { disclosure } = await f.call('disclosures.record', {
      subjectId: 'STU-3001',
      recordIds: ['REC-31'],
      recipient: 'Austin Community College, registrar',
      basis: 'other_institution',
      basisDetail: 'Student seeks to enrol; transcript requested by the registrar.',
      purpose: 'Transfer admission',
      disclosedAt: '2025-11-03',
      disclosedBy: 'registrar.lee',
    }, 'compliance_officer');
    expect(disclosure).toMatchObject({
      subjectId: 'STU-3001',
      subjectName: 'Grace Okonkwo',
      disclosedAt: '2025-11-03T00:00:00.000Z',
      recipient: 'Austin Community College, registrar',
      basis: 'other_institution',
      disclosedBy: 'registrar.lee',
      recordedBy: 'olivia.officer',
      subjectVisible: true,
      fileSha256: null,
    });
    expect(disclosure.records.map((r) => r.id)).toEqual(['REC-31']);
    const ev = eventsOf(f.ws(), 'disclosures.record').at(-1);
    expect(ev?.resource_id).toBe(disclosure.id);
    expect(ev?.details).toMatchObject({ subject_id: 'STU-3001', records: ['REC-31'], basis: 'other_institution' });
    // The entry itself is append-only.
    expect(() => f.ws().db.prepare('UPDATE disclosures SET recipient = ? WHERE id = ?').run('someone else', disclosure.id)).toThrow(/append-only/);
    expect(() => f.ws().db.prepare('DELETE FROM disclosures WHERE id = ?').run(disclosure.id)).toThrow(/append-only/);
  });

  it('refuses records of another subject, future dates, and no records outside directory information', async () => {
    const other = await f.result('disclosures.record', { subjectId: 'STU-3001', recordIds: ['REC-41'], recipient: 'X', basis: 'consent', basisDetail: 'Signed consent.' });
    expect(!other.ok && other.error.code).toBe('validation');
    const future = await f.result('disclosures.record', {
      subjectId: 'STU-3001', recordIds: ['REC-31'], recipient: 'X', basis: 'consent', basisDetail: 'Signed consent.', disclosedAt: '2999-01-01',
    });
    expect(!future.ok && future.error.code).toBe('validation');
    const none = await f.result('disclosures.record', { subjectId: 'STU-3001', recipient: 'X', basis: 'consent', basisDetail: 'Signed consent.' });
    expect(!none.ok && none.error.code).toBe('validation');
    for (const role of ['auditor', 'viewer'] as const) {
      const r = await f.result('disclosures.record', { subjectId: 'STU-3001', recordIds: ['REC-31'], recipient: 'X', basis: 'consent', basisDetail: 'Signed.' }, role);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
  });

  it('respects a directory-information opt-out: no directory disclosure after it, and no name in the accounting report', async () => {
    const refused = await f.result('disclosures.record', {
      subjectId: 'STU-3002',
      recipient: 'Yearbook publisher',
      basis: 'directory_information',
      basisDetail: 'Name and enrolment status for the yearbook.',
      disclosedAt: '2024-05-01',
    });
    expect(!refused.ok && refused.error.code).toBe('conflict');
    // Before the opt-out it was lawful, so it can be recorded.
    const earlier = await f.call('disclosures.record', {
      subjectId: 'STU-3002',
      recipient: 'Honor roll newsletter',
      basis: 'directory_information',
      basisDetail: 'Name on the honor roll.',
      disclosedAt: '2019-05-01',
    });
    expect(earlier.disclosure.records).toEqual([]);
    await f.call('disclosures.record', {
      subjectId: 'STU-3002',
      recordIds: ['REC-41'],
      recipient: 'Texas Higher Education Coordinating Board',
      basis: 'audit_evaluation',
      basisDetail: 'State audit of program outcomes.',
      disclosedAt: '2025-02-10',
    });
    const report = await f.call('disclosures.accountingReport', { subjectId: 'STU-3002', asOf: AS_OF });
    const out = exportedPath(f.ws(), report.fileName);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('STU-3002');
    expect(text).toContain('Texas Higher Education');
    expect(text).not.toContain('Henrik');
    expect(text).not.toContain('Solberg');
    const acc = await f.call('disclosures.accounting', { subjectId: 'STU-3002', asOf: AS_OF });
    expect(acc.subjectName).toBeNull();
    expect(acc.directoryOptOut).toBe(true);
  });

  it('makes a per-subject accounting PDF covering 6 years (policy) and not older disclosures', async () => {
    await f.call('disclosures.record', {
      subjectId: 'STU-3001', recordIds: ['REC-32'], recipient: 'OLDRECIPIENT County Health', basis: 'health_safety_emergency',
      basisDetail: 'Measles outbreak response.', disclosedAt: yearsBefore(7),
    });
    await f.call('disclosures.record', {
      subjectId: 'STU-3001', recordIds: ['REC-32'], recipient: 'EDGERECIPIENT County Health', basis: 'health_safety_emergency',
      basisDetail: 'Outbreak follow-up.', disclosedAt: yearsBefore(6, 1),
    });
    const { consent } = await f.call('consents.record', {
      subjectId: 'STU-3001', givenBy: 'student', signerName: 'Grace Okonkwo', recipient: 'RECENTRECIPIENT Scholarship Fund',
      purpose: 'Scholarship application.', categories: ['grades', 'health'], signedAt: '2022-01-02',
    });
    await f.call('disclosures.record', {
      subjectId: 'STU-3001', recordIds: ['REC-32', 'REC-31'], recipient: 'RECENTRECIPIENT Scholarship Fund', basis: 'consent',
      basisDetail: 'Signed consent of 2 Jan 2022.', disclosedAt: yearsBefore(4), consentId: consent.id,
    });
    await f.call('disclosures.record', {
      subjectId: 'STU-3001', recordIds: ['REC-31'], recipient: 'WITHHELDPD Police Department', basis: 'court_order',
      basisDetail: 'Ex parte court order in a law enforcement investigation.', disclosedAt: yearsBefore(1),
      withhold: { basis: '34 CFR 99.32(d)(5): non-disclosure order.' },
    });

    const r = await f.call('disclosures.accountingReport', { subjectId: 'STU-3001', asOf: AS_OF }, 'legal_counsel');
    expect(r.fileName).toMatch(/^accounting-STU-3001-subject-\d{8}T\d{6}Z\.pdf$/);
    const out = exportedPath(f.ws(), r.fileName);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(out);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Accounting of disclosures');
    expect(text).toContain('Grace Okonkwo');
    expect(text).toContain('1 Mar 2020 to 1 Mar 2026');
    expect(text).toContain('RECENTRECIPIENT');
    expect(text).toContain('Austin Community');
    expect(text).not.toContain('OLDRECIPIENT');
    // Older than 6 years by a month: outside the lookback.
    expect(text).not.toContain('EDGERECIPIENT');
    // Withheld under an order: not in the subject's copy, not even as a count.
    expect(text).not.toContain('WITHHELDPD');
    expect(r.entries).toBe(2);
    const ev = eventsOf(f.ws(), 'disclosures.accountingReport').at(-1);
    expect(ev?.details).toMatchObject({ sha256: r.sha256, audience: 'subject', file_name: r.fileName });

    // The internal copy shows the withheld entry with its flag; still nothing older than the lookback.
    const internal = await f.call('disclosures.accountingReport', { subjectId: 'STU-3001', asOf: AS_OF, audience: 'internal' });
    expect(internal.fileName).not.toBe(r.fileName);
    const internalPdf = exportedPath(f.ws(), internal.fileName);
    expect(createHash('sha256').update(readFileSync(internalPdf)).digest('hex')).toBe(internal.sha256);
    const internalText = execFileSync('pdftotext', ['-layout', internalPdf, '-'], { encoding: 'utf8' });
    expect(internalText).toContain('WITHHELDPD');
    expect(internalText).toContain('withheld');
    expect(internalText).not.toContain('OLDRECIPIENT');

    // No caller names a file (existing or not); only case workers make reports.
    const again = await f.result('disclosures.accountingReport', { subjectId: 'STU-3001', asOf: AS_OF, outPath: out });
    expect(!again.ok && again.error.code).toBe('validation');
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(r.sha256);
    const viewer = await f.result('disclosures.accountingReport', { subjectId: 'STU-3001', asOf: AS_OF }, 'viewer');
    expect(!viewer.ok && viewer.error.code).toBe('forbidden');
    const auditorRead = await f.call('disclosures.accounting', { subjectId: 'STU-3001', asOf: AS_OF }, 'auditor');
    expect(auditorRead.entries.map((e) => e.recipient).join()).toContain('RECENTRECIPIENT');
    // A viewer sees how many disclosures there were and when, not to whom (recipients may be people).
    const viewerRead = await f.call('disclosures.accounting', { subjectId: 'STU-3001', asOf: AS_OF }, 'viewer');
    expect(viewerRead.entries.map((e) => [e.id, e.disclosedAt])).toEqual(auditorRead.entries.map((e) => [e.id, e.disclosedAt]));
    expect(viewerRead.entries.every((e) => e.recipient === RESTRICTED)).toBe(true);
  });

  it('lists with filters', async () => {
    const all = await f.call('disclosures.list', {}, 'auditor');
    expect(all.items.length).toBeGreaterThanOrEqual(7);
    const byBasis = await f.call('disclosures.list', { basis: 'health_safety_emergency' });
    expect(byBasis.items.map((d) => d.recipient).sort()).toEqual(['EDGERECIPIENT County Health', 'OLDRECIPIENT County Health']);
    const byText = await f.call('disclosures.list', { search: 'scholarship' });
    expect(byText.items).toHaveLength(1);
    const range = await f.call('disclosures.list', { subjectId: 'STU-3001', from: '2025-01-01', to: '2025-12-31' });
    expect(range.items.map((d) => d.recipient)).toEqual(['Austin Community College, registrar', 'WITHHELDPD Police Department']);
  });
});
