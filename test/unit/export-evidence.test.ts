import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../shared/contract/exports.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { isCustosError } from '../../electron/core/errors.js';
import { EVIDENCE_FILES_NOTE, writeExport, type ExportEvidenceItem, type ExportMeta } from '../../electron/core/exports/formats/index.js';
import { exportPolicy } from '../../electron/core/exports/requests.js';
import { exportedPath } from './helpers/outputs.js';
import { CallError, createTempWorkspace, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Export requests with the evidence register (includeEvidence) and without the audit trail
// (includeAuditTrail = false), on a real encrypted workspace with evidence under custody and a
// legal hold; request-time refusals; the progress total.

afterAll(removeTempDirs);

const XSD = resolve('resources/schemas/custos-events.xsd');

type R = { request: ExportRequest };

// People named by the fixture; a people-masking export must show none of them.
const PEOPLE = {
  collector: 'Officer Dana Reyes',
  analyst: 'Sgt. Lena Brandt',
  clerk: 'Tomas Vidal',
  officer: 'maria.chen',
  holdCustodian: 'Rita Registrar',
};

interface Fixture {
  t: TempWorkspace;
  officer: string;
  caseId: string;
  held: string;
  other: string;
  old: string;
  holdId: string;
  sha256: string;
  size: number;
}

let fx: Fixture;

/**
 * A case with one item (EV held: intake, two transfers, sealed; linked to the case, so the
 * case's active hold protects it), an item outside the case collected in January 2024, and one
 * collected in 2023 but transferred in January 2024.
 */
async function fixture(): Promise<Fixture> {
  const t = await createTempWorkspace();
  const officer = await t.addUser(PEOPLE.officer, 'compliance_officer');
  const kase = await t.call<{ case: { id: string } }>('cases.create', { title: 'Laptop misuse in room 114', type: 'investigation' }, officer);
  const caseId = kase.case.id;
  const content = Buffer.from('Disk image manifest: 3 partitions, 2 of them encrypted.\n');
  const ingest = (title: string, extra: Record<string, unknown>) =>
    t.call<{ evidence: { id: string; sha256: string; sizeBytes: number } }>(
      'evidence.ingestContent',
      { fileName: `${title.toLowerCase().replace(/\W+/g, '-')}.txt`, contentBase64: content.toString('base64'), title, ...extra },
      officer,
    );
  const held = await ingest('Laptop disk image', {
    description: `Laptop handed over by ${PEOPLE.collector} after the interview.`,
    source: 'Laptop seized from room 114',
    collectedBy: PEOPLE.collector,
    location: 'Evidence room A',
    caseId,
  });
  const id = held.evidence.id;
  await t.call('evidence.transfer', { id, to: PEOPLE.analyst, purpose: 'Forensic imaging', location: 'Digital forensics lab' }, officer);
  await t.call('evidence.transfer', { id, to: PEOPLE.clerk, purpose: 'Return for storage', location: 'Evidence room B' }, officer);
  await t.call('evidence.seal', { id, purpose: 'Sealed pending the hearing' }, officer);

  const other = await ingest('Badge log extract', { source: 'Facilities badge system', collectedBy: PEOPLE.clerk, collectedAt: '2024-01-10T09:00:00.000Z' });
  const old = await ingest('Visitor book scan', { source: 'Front desk', collectedBy: PEOPLE.clerk, collectedAt: '2023-05-01T09:00:00.000Z' });
  await t.call('evidence.transfer', { id: old.evidence.id, to: PEOPLE.analyst, purpose: 'Comparison with badge log', at: '2024-01-15T12:00:00.000Z' }, officer);

  const hold = await t.call<{ hold: { id: string } }>(
    'holds.create',
    { caseId, title: 'Preserve room 114 material', custodians: [{ name: PEOPLE.holdCustodian, email: 'rita@example.edu' }] },
    officer,
  );
  await t.call('holds.activate', { id: hold.hold.id }, officer);
  return { t, officer, caseId, held: id, other: other.evidence.id, old: old.evidence.id, holdId: hold.hold.id, sha256: held.evidence.sha256, size: held.evidence.sizeBytes };
}

beforeAll(async () => {
  fx = await fixture();
}, 60_000);

/** Requests and runs an export (approved by the administrator: the evidence register and unmasked data always need a second person); returns the request, the file and the last progress report. */
async function runExport(
  input: Record<string, unknown>,
): Promise<{ request: ExportRequest; path: string; progress: { done: number; total: number | null }[] }> {
  const { t, officer } = fx;
  const { request } = await t.call<R>('exports.request', { title: 'Room 114 export', type: 'INTERNAL', purpose: 'Hearing preparation', recipient: 'Hearing panel', ...input }, officer);
  if (request.status === 'pending') await t.call('exports.approve', { id: request.id, note: 'Approved for the hearing.' }, t.admin);
  const jobId = `job-${request.id}`;
  const progress: { done: number; total: number | null }[] = [];
  const off = t.app.onEvent((event, payload) => {
    const p = payload as { jobId: string; done: number; total: number | null };
    if (event === 'job.progress' && p.jobId === jobId) progress.push({ done: p.done, total: p.total });
  });
  try {
    const done = await t.call<R>('exports.execute', { id: request.id, jobId }, officer);
    expect(done.request.status).toBe('executed');
    return { request: done.request, path: exportedPath(t, done.request.fileName!), progress };
  } finally {
    off();
  }
}

/** The case's events, oldest first, as its timeline shows them (cases/case-scope.ts: the one scope of a case). */
async function eventsInCase(): Promise<LedgerEvent[]> {
  const r = await fx.t.call<{ events: LedgerEvent[] }>('cases.timeline', { id: fx.caseId, limit: 500 }, fx.t.admin);
  return r.events.reverse();
}

function pdfText(path: string, layout = true): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), path, '-'], { encoding: 'utf8' });
}

function xpath(path: string, expr: string): string {
  return execFileSync('xmllint', ['--xpath', expr, path], { encoding: 'utf8' }).replace(/\n$/, '');
}

/** The held item as the evidence register must show it. */
function expectHeldItem(item: ExportEvidenceItem): void {
  expect(item).toMatchObject({
    id: fx.held,
    title: 'Laptop disk image',
    source: 'Laptop seized from room 114',
    collected_by: PEOPLE.collector,
    sha256: fx.sha256,
    size_bytes: fx.size,
    status: 'sealed',
    custodian: PEOPLE.clerk,
    location: 'Evidence room B',
    integrity: 'ok',
    holds: [{ id: fx.holdId, title: 'Preserve room 114 material', case_id: fx.caseId }],
  });
  expect(item.custody.map((c) => [c.kind, c.from, c.to, c.purpose, c.location, c.recorded_by])).toEqual([
    ['intake', 'Laptop seized from room 114', PEOPLE.collector, 'Collected and ingested into the workspace', 'Evidence room A', PEOPLE.officer],
    ['transfer', PEOPLE.collector, PEOPLE.analyst, 'Forensic imaging', 'Digital forensics lab', PEOPLE.officer],
    ['transfer', PEOPLE.analyst, PEOPLE.clerk, 'Return for storage', 'Evidence room B', PEOPLE.officer],
    ['seal', PEOPLE.clerk, PEOPLE.clerk, 'Sealed pending the hearing', 'Evidence room B', PEOPLE.officer],
  ]);
  // Each entry names the ledger event that recorded it.
  const events = new Map(fx.t.events().map((e) => [e.seq, e]));
  for (const c of item.custody) {
    const e = events.get(c.ledger_seq)!;
    expect(e.resource_id).toBe(fx.held);
    expect(e.action).toMatch(/^evidence\./);
  }
  // The register replays status, custodian and location from the chain; with nothing after the checkpoint they match the record.
  const row = fx.t.app.ws.db.prepare('SELECT status, custodian, location FROM evidence WHERE id = ?').get(fx.held);
  expect(row).toEqual({ status: item.status, custodian: item.custodian, location: item.location });
}

describe('the evidence register in exports of a real workspace', () => {
  it('JSON: events keep their form, `evidence` holds the case\'s items with holds and custody chain; progress total = rows', async () => {
    const { request, path, progress } = await runExport({ format: 'json', caseId: fx.caseId, includeEvidence: true });
    const doc = JSON.parse(readFileSync(path, 'utf8')) as {
      format: string;
      meta: Record<string, unknown> & { checkpoint: { size: number } };
      events: LedgerEvent[];
      evidence: ExportEvidenceItem[];
    };
    expect(doc.format).toBe('custos-export/1');
    expect(doc.meta.includes).toEqual({ audit_trail: true, evidence: true });
    expect(doc.meta.evidence_files).toBe(EVIDENCE_FILES_NOTE);
    const expected = (await eventsInCase()).filter((e) => e.seq <= doc.meta.checkpoint.size);
    expect(doc.events).toEqual(expected);
    expect(request.rows).toBe(expected.length);
    // Only the item linked to the case.
    expect(doc.evidence.map((i) => i.id)).toEqual([fx.held]);
    expectHeldItem(doc.evidence[0]!);
    for (const c of doc.evidence[0]!.custody) expect(c.ledger_seq).toBeLessThanOrEqual(doc.meta.checkpoint.size);

    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.total).toBe(request.rows);
    expect(progress.at(-1)).toEqual({ done: request.rows, total: request.rows });

    const executed = fx.t.events().filter((e) => e.action === 'exports.execute' && e.resource_id === request.id);
    expect(executed.map((e) => [e.outcome, e.details.rows, e.details.evidence_items])).toEqual([['success', request.rows, 1]]);
  });

  it('NDJSON: canonical event lines first, then one line per item marked record_type "evidence"', async () => {
    const { request, path } = await runExport({ format: 'ndjson', caseId: fx.caseId, includeEvidence: true });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const firstEvidence = records.findIndex((r) => 'record_type' in r);
    expect(firstEvidence).toBe(request.rows);
    const events = records.slice(0, firstEvidence) as unknown as LedgerEvent[];
    expect(events.map((e) => e.seq)).toEqual((await eventsInCase()).slice(0, request.rows!).map((e) => e.seq));
    const evidence = records.slice(firstEvidence);
    expect(evidence.every((r) => r.record_type === 'evidence')).toBe(true);
    expect(evidence).toHaveLength(1);
    const { record_type: _type, ...item } = evidence[0]!;
    expectHeldItem(item as unknown as ExportEvidenceItem);
  });

  it('XML: an <evidence> element with <item>s and <transfer>s, well-formed and valid against the schema', async () => {
    const { path } = await runExport({ format: 'xml', caseId: fx.caseId, includeEvidence: true });
    expect(spawnSync('xmllint', ['--noout', path]).status).toBe(0);
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });
    expect(lint.stderr).toContain('validates');
    expect(xpath(path, 'string(/custos-export/meta/includes/@evidence)')).toBe('true');
    expect(xpath(path, 'string(/custos-export/meta/evidence_files)')).toBe(EVIDENCE_FILES_NOTE);
    expect(xpath(path, 'count(/custos-export/evidence/item)')).toBe('1');
    const item = `/custos-export/evidence/item[@id="${fx.held}"]`;
    expect(xpath(path, `string(${item}/@sha256)`)).toBe(fx.sha256);
    expect(xpath(path, `string(${item}/@status)`)).toBe('sealed');
    expect(xpath(path, `string(${item}/@collected_by)`)).toBe(PEOPLE.collector);
    expect(xpath(path, `string(${item}/title)`)).toBe('Laptop disk image');
    expect(xpath(path, `string(${item}/hold/@id)`)).toBe(fx.holdId);
    expect(xpath(path, `count(${item}/transfer)`)).toBe('4');
    expect(xpath(path, `string(${item}/transfer[@kind="transfer"][1]/@to)`)).toBe(PEOPLE.analyst);
    expect(xpath(path, `string(${item}/transfer[@kind="transfer"][2]/@from)`)).toBe(PEOPLE.analyst);
    expect(xpath(path, `string(${item}/transfer[@kind="transfer"][2]/@purpose)`)).toBe('Return for storage');
    expect(xpath(path, `string(${item}/transfer[@kind="transfer"][1]/@location)`)).toBe('Digital forensics lab');
  });

  it('PDF: "Evidence in scope" after the events table, fonts embedded, page numbers right', async () => {
    const { request, path } = await runExport({ format: 'pdf', caseId: fx.caseId, includeEvidence: true });
    expect(spawnSync('qpdf', ['--check', path]).status).toBe(0);
    const text = pdfText(path);
    const pages = Number(/Page 1 of (\d+)/.exec(text)![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);
    expect(text).not.toContain(`Page ${pages + 1} of`);
    // The events table comes first, then the register.
    const eventsAt = text.search(/Seq\s+Time\s+Actor/);
    const evidenceAt = text.indexOf('Evidence in scope');
    expect(eventsAt).toBeGreaterThan(0);
    expect(evidenceAt).toBeGreaterThan(eventsAt);
    const register = text.slice(evidenceAt);
    for (const s of [fx.held, 'Laptop disk image', fx.sha256, PEOPLE.collector, PEOPLE.analyst, PEOPLE.clerk, 'Forensic imaging', 'Digital forensics lab', 'Return for storage', fx.holdId, 'sealed']) {
      expect(register).toContain(s);
    }
    expect(register).toMatch(/Chain of custody/);
    expect(register).toMatch(/At\s+Kind\s+From\s+To\s+Purpose\s+Location\s+Recorded by\s+Seq/);
    expect(pdfText(path, false).replace(/\s+/g, ' ')).toContain('Evidence file contents are not part of this export');
    expect(text).toContain(`Events in this document`);
    expect(text).toMatch(new RegExp(`Evidence items in this document\\s+1`));
    expect(request.rows).toBe((await eventsInCase()).filter((e) => e.seq <= request.checkpointSize!).length);

    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/);
  }, 60_000);

  it('includeAuditTrail = false writes no events in any format, and the progress total is 0', async () => {
    const json = await runExport({ format: 'json', includeEvidence: true, includeAuditTrail: false });
    const doc = JSON.parse(readFileSync(json.path, 'utf8')) as { meta: { includes: unknown }; events: unknown[]; evidence: ExportEvidenceItem[] };
    expect(doc.events).toEqual([]);
    expect(doc.meta.includes).toEqual({ audit_trail: false, evidence: true });
    // No case: every item of the workspace.
    expect(doc.evidence.map((i) => i.id)).toEqual([fx.held, fx.other, fx.old].sort());
    expect(json.request.rows).toBe(0);
    expect(json.progress.at(-1)).toEqual({ done: 0, total: 0 });

    const nd = await runExport({ format: 'ndjson', includeEvidence: true, includeAuditTrail: false });
    const lines = readFileSync(nd.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.record_type === 'evidence')).toBe(true);

    const xml = await runExport({ format: 'xml', includeEvidence: true, includeAuditTrail: false });
    expect(spawnSync('xmllint', ['--noout', '--schema', XSD, xml.path]).status).toBe(0);
    expect(xpath(xml.path, 'count(/custos-export/events/event)')).toBe('0');
    expect(xpath(xml.path, 'count(/custos-export/evidence/item)')).toBe('3');

    const pdf = await runExport({ format: 'pdf', includeEvidence: true, includeAuditTrail: false });
    expect(spawnSync('qpdf', ['--check', pdf.path]).status).toBe(0);
    const text = pdfText(pdf.path);
    expect(text).toContain('the audit trail was not requested');
    expect(text).not.toMatch(/Seq\s+Time\s+Actor/);
    expect(text).not.toContain('No events matched the filters.');
    expect(text).toContain('Evidence in scope');
    const pages = Number(/Page 1 of (\d+)/.exec(text)![1]);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  }, 60_000);

  it('without includeEvidence the file is as before: no evidence member, element or section', async () => {
    const json = await runExport({ format: 'json', caseId: fx.caseId });
    const doc = JSON.parse(readFileSync(json.path, 'utf8')) as Record<string, unknown> & { meta: Record<string, unknown> };
    expect(Object.keys(doc)).toEqual(['format', 'meta', 'events']);
    expect(doc.meta.includes).toEqual({ audit_trail: true, evidence: false });
    expect(doc.meta.evidence_files).toBeUndefined();
    const xml = await runExport({ format: 'xml', caseId: fx.caseId });
    expect(xpath(xml.path, 'count(/custos-export/evidence)')).toBe('0');
  });

  it('a date range selects the items collected or transferred within it', async () => {
    const { path } = await runExport({ format: 'json', includeEvidence: true, filters: { from: '2024-01-01', to: '2024-01-31' } });
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { events: unknown[]; evidence: ExportEvidenceItem[] };
    // Collected on 2024-01-10, and collected in 2023 but transferred on 2024-01-15; not the item collected today.
    expect(doc.evidence.map((i) => i.id)).toEqual([fx.other, fx.old].sort());
    const old = doc.evidence.find((i) => i.id === fx.old)!;
    // The whole chain of an item in scope, not only the part in the range.
    expect(old.custody.map((c) => c.kind)).toEqual(['intake', 'transfer']);
    expect(old).toMatchObject({ status: 'transferred', custodian: PEOPLE.analyst, holds: [] });
  });

  it('masking applies to the people of the register too: no masked value appears in the bytes, tokens match the events', async () => {
    const secrets = Object.values(PEOPLE);
    for (const format of ['json', 'ndjson', 'xml', 'pdf'] as const) {
      // The whole workspace: every event (users, custody transfers, the hold's custodians) and every item.
      const { path } = await runExport({ format, includeEvidence: true, masking: 'pseudonymize-people' });
      const bytes = readFileSync(path);
      const text = format === 'pdf' ? pdfText(path, false) : bytes.toString('utf8');
      for (const s of secrets) {
        expect(bytes.includes(Buffer.from(s, 'utf8')), `${format}: ${s} in the bytes`).toBe(false);
        expect(text, `${format}: ${s}`).not.toContain(s);
      }
      expect(text).toContain(fx.sha256);
      expect(text).toMatch(/anon-[0-9a-f]{16}/);
      if (format === 'json') {
        const doc = JSON.parse(text) as { events: LedgerEvent[]; evidence: ExportEvidenceItem[] };
        const item = doc.evidence.find((i) => i.id === fx.held)!;
        // The free text keeps its words, the person in it becomes the same token as the collector.
        expect(item.description).toBe(`Laptop handed over by ${item.collected_by} after the interview.`);
        expect(item.collected_by).toMatch(/^anon-[0-9a-f]{16}$/);
        expect(item.source).toBe('Laptop seized from room 114');
        expect(item.custody[1]!.purpose).toBe('Forensic imaging');
        // One export, one key: the analyst has the same pseudonym in the register and in the events.
        expect(item.custody[1]!.to).toMatch(/^anon-[0-9a-f]{16}$/);
        // The transfer events of the ledger carry the same tokens as the register's chain.
        const transfers = doc.events.filter((e) => e.action === 'evidence.transfer' && e.resource_id === fx.held);
        expect(transfers.map((e) => [e.details.from, e.details.to])).toEqual(item.custody.filter((c) => c.kind === 'transfer').map((c) => [c.from, c.to]));
        expect(transfers[0]!.actor).toBe(item.custody[1]!.recorded_by);
        const intake = doc.events.find((e) => e.action === 'evidence.ingestContent' && e.resource_id === fx.held)!;
        expect(intake.details.collected_by).toBe(item.collected_by);
      }
      if (format === 'xml') expect(spawnSync('xmllint', ['--noout', '--schema', XSD, path]).status).toBe(0);
    }
  }, 90_000);
});

describe('refused at request time', () => {
  function requestCount(): number {
    return (fx.t.app.ws.db.prepare('SELECT count(*) AS n FROM export_requests').get() as { n: number }).n;
  }

  async function expectRefused(input: Record<string, unknown>, message: RegExp): Promise<void> {
    const { t, officer } = fx;
    const before = t.eventCount();
    const requests = requestCount();
    const r = await t.result('exports.request', { title: 'Refused export', type: 'INTERNAL', purpose: 'Hearing preparation', recipient: 'Hearing panel', ...input }, officer);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toMatch(message);
    // Exactly one ledger event, recording the rejection; nothing else changed.
    const after = t.events().slice(before);
    expect(after.map((e) => [e.action, e.outcome, e.actor, e.details.code])).toEqual([['exports.request', 'failure', PEOPLE.officer, 'validation']]);
    expect(after[0]!.details.message).toBe(r.error.message);
    expect(requestCount()).toBe(requests);
  }

  it('CSV with the evidence register, pointing to the formats that can carry it and to a signed bundle', async () => {
    await expectRefused({ format: 'csv', includeEvidence: true }, /CSV.*choose JSON, NDJSON, XML or PDF, or make a signed bundle\./);
  });

  it('neither the audit trail nor the evidence register: nothing to export', async () => {
    await expectRefused({ format: 'json', includeEvidence: false, includeAuditTrail: false }, /nothing to export/);
  });

  it('a PDF whose events in scope already exceed pdfMaxRows', async () => {
    const max = exportPolicy().pdfMaxRows;
    const t = await createTempWorkspace();
    const ws = t.app.ws;
    const room = max + 5 - t.eventCount();
    ws.tx(() => {
      for (let i = 0; i < room; i++) {
        ws.ledger.append({ actor: 'admin', action: 'ledger.query', resource_type: 'ledger', resource_id: 'events', details: { i } });
      }
    });
    const before = t.eventCount();
    const r = await t.result('exports.request', { title: 'Everything as PDF', type: 'INTERNAL', format: 'pdf', purpose: 'Print it', recipient: 'Archive' }, t.admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toBe(
      `A PDF export is limited to ${max.toLocaleString('en-US')} events and this request covers ${before.toLocaleString('en-US')}; ` +
        'narrow the filters, the dates or the case, or choose JSON, NDJSON, XML or CSV.',
    );
    expect(t.eventCount()).toBe(before + 1);
    // Narrowed below the limit it is accepted (unmasked, it waits for a second person); the audit trail left out, the limit does not apply.
    const narrow = await t.call<R>('exports.request', { title: 'Queries as PDF', type: 'INTERNAL', format: 'pdf', filters: { action: 'session.*' }, purpose: 'Print it', recipient: 'Archive' }, t.admin);
    expect(narrow.request.status).toBe('pending');
    const evidenceOnly = await t.call<R>(
      'exports.request',
      { title: 'Register as PDF', type: 'INTERNAL', format: 'pdf', includeEvidence: true, includeAuditTrail: false, purpose: 'Print it', recipient: 'Archive' },
      t.admin,
    );
    expect(evidenceOnly.request.status).toBe('pending');
  }, 60_000);

  it('a CSV request stored with the evidence flag (before the check) fails when run, ledgered once, leaving no file', async () => {
    const { t, officer } = fx;
    const { request } = await t.call<R>('exports.request', { title: 'Legacy CSV', type: 'INTERNAL', format: 'csv', purpose: 'Old request', recipient: 'me' }, officer);
    await t.call('exports.approve', { id: request.id }, t.admin);
    t.app.ws.db.prepare('UPDATE export_requests SET include_evidence = 1 WHERE id = ?').run(request.id);
    const before = t.eventCount();
    const err = await t.call('exports.execute', { id: request.id }, officer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect((err as CallError).code).toBe('validation');
    expect(t.events().slice(before).map((e) => [e.action, e.outcome])).toEqual([['exports.execute', 'failure']]);
    const row = t.app.ws.db.prepare('SELECT status, error FROM export_requests WHERE id = ?').get(request.id) as { status: string; error: string };
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/choose JSON, NDJSON, XML or PDF/);
  });
});

describe('writeExport with an evidence register', () => {
  const META: ExportMeta = {
    title: 'Register',
    workspaceName: 'WS',
    workspaceId: 'ws-1',
    generatedAt: '2025-03-01T10:00:00.000Z',
    filters: {},
    includes: { auditTrail: false, evidence: true },
  };
  const tricky: ExportEvidenceItem = {
    id: 'EV-2025-0001',
    title: 'Notes <draft> & "quotes"',
    description: 'line1\nline2\r\ttab \u0001 control',
    source: "O'Brien's </source> desk",
    original_name: 'notes & more.txt',
    media_type: 'text/plain',
    size_bytes: 12,
    sha256: 'ab'.repeat(32),
    collected_by: 'Zoë Ångström',
    collected_at: '2025-01-02T03:04:05.000Z',
    status: 'disposed',
    custodian: 'Vault "B"',
    location: '',
    integrity: 'ok',
    last_verified_at: null,
    holds: [],
    custody: [
      { ledger_seq: 3, kind: 'intake', at: '2025-01-02T03:04:05.000Z', from: 'desk & <drawer>', to: 'Zoë Ångström', purpose: 'Collected', location: '', recorded_by: 'admin' },
      { ledger_seq: 9, kind: 'dispose', at: '2025-02-02T03:04:05.000Z', from: 'Zoë Ångström', to: null, purpose: 'Retention ended', location: 'Shredder', recorded_by: 'admin' },
    ],
  };

  it('XML with awkward text stays valid and reads back; a disposal has no `to`', async () => {
    const path = join(tempDir(), 'tricky.xml');
    const res = await writeExport('xml', [], path, META, { evidence: [tricky] });
    expect(res).toMatchObject({ rows: 0, evidenceItems: 1 });
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });
    expect(lint.stderr).toContain('validates');
    expect(xpath(path, 'string(/custos-export/evidence/item/title)')).toBe(tricky.title);
    expect(xpath(path, 'string(/custos-export/evidence/item/source)')).toBe(tricky.source);
    expect(xpath(path, 'string(/custos-export/evidence/item/transfer[1]/@from)')).toBe('desk & <drawer>');
    expect(xpath(path, 'count(/custos-export/evidence/item/transfer[2]/@to)')).toBe('0');
  });

  it('CSV refuses it before writing anything', async () => {
    const path = join(tempDir(), 'x.csv');
    const err = await writeExport('csv', [], path, META, { evidence: [tricky] }).catch((e: unknown) => e);
    expect(isCustosError(err, 'validation')).toBe(true);
    expect(spawnSync('ls', [path]).status).not.toBe(0);
  });

  it('PDF refuses more evidence rows than its limit', async () => {
    const path = join(tempDir(), 'x.pdf');
    const err = await writeExport('pdf', [], path, META, { evidence: [tricky, { ...tricky, id: 'EV-2' }], pdfMaxRows: 5 }).catch((e: unknown) => e);
    expect(isCustosError(err, 'validation')).toBe(true);
    expect((err as Error).message).toMatch(/limited to 5 evidence rows/);
  });
});
