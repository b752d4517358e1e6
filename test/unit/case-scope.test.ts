import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../shared/contract/exports.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { bundleEvents, readEntries } from './helpers/bundles.js';
import { exportedPath, makeBundle } from './helpers/outputs.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// Issue 15 item 1: a case's timeline, its exports in every format, its bundle and the export
// dialog's live count are one set of events (cases/case-scope.ts), checked here on the demo's
// richest case: evidence with custody, legal holds with notices, a subpoena with its production.

const DAY = 86_400_000;
const DAYS = 30;

let t: TempWorkspace;
let officer: string;
let counsel: string;
let caseId: string;

beforeAll(async () => {
  t = await withSimulatedClock(new Date(Date.now() - DAYS * DAY), 1, async (clock) => {
    const made = await createTempWorkspace();
    await seedDemo(made.app.ws, { events: 800, admin: ADMIN, passphrase: PASSPHRASE, days: DAYS, clock });
    return made;
  });
  officer = await t.login('maria.chen', PASSPHRASE);
  counsel = await t.login('david.okafor', PASSPHRASE);
  const row = t.app.ws.db
    .prepare(
      `SELECT c.id FROM cases c
       WHERE EXISTS (SELECT 1 FROM subpoenas s WHERE s.case_id = c.id)
         AND EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id)
         AND EXISTS (SELECT 1 FROM case_links l WHERE l.case_id = c.id AND l.item_type = 'evidence')
       ORDER BY (SELECT count(*) FROM custody_events x JOIN case_links l ON l.item_id = x.evidence_id
                 WHERE l.case_id = c.id AND l.item_type = 'evidence' AND x.kind = 'transfer') DESC, c.id
       LIMIT 1`,
    )
    .get() as { id: string } | undefined;
  expect(row, 'the demo has a case with a subpoena, a hold and evidence').toBeDefined();
  caseId = row!.id;
}, 120_000);

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

/** Every event of the case's timeline, oldest first, read page by page as the screen does. */
async function timeline(): Promise<LedgerEvent[]> {
  const all: LedgerEvent[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await t.call<{ events: LedgerEvent[]; total: number }>('cases.timeline', { id: caseId, offset, limit: 500 }, officer);
    all.push(...page.events);
    if (all.length >= page.total) break;
  }
  return all.reverse();
}

/** What the export dialog shows as "N events match": ledger.query's total with the case. */
async function dialogCount(): Promise<number> {
  const r = await t.call<{ total: number }>('ledger.query', { caseId, limit: 1, withTotal: true }, officer);
  return r.total;
}

/** Requests, approves (another person) and runs a full, unmasked case export in `format`. */
async function exportCase(format: ExportRequest['format']): Promise<ExportRequest> {
  const { request } = await t.call<{ request: ExportRequest }>(
    'exports.request',
    { title: `Case file ${format}`, type: 'LEGAL', format, caseId, masking: 'none', purpose: 'Production to counsel', recipient: 'Outside counsel' },
    officer,
  );
  await t.call('exports.approve', { id: request.id, note: 'ok' }, counsel);
  const done = await t.call<{ request: ExportRequest }>('exports.execute', { id: request.id }, officer);
  return done.request;
}

const seqsUpTo = (events: LedgerEvent[], size: number): number[] => events.filter((e) => e.seq <= size).map((e) => e.seq);

describe('one scope per case', () => {
  it('holds the case, its evidence and custody, its holds and notices, its subpoena work, and every event that names it', async () => {
    const events = await timeline();
    const actions = new Set(events.map((e) => e.action));
    for (const prefix of ['cases.', 'evidence.', 'holds.', 'subpoenas.']) {
      expect([...actions].some((a) => a.startsWith(prefix)), `${prefix}* on the timeline`).toBe(true);
    }
    expect([...actions].some((a) => ['evidence.transfer', 'evidence.seal', 'evidence.release'].includes(a)), 'custody steps').toBe(true);
    expect([...actions].some((a) => a.startsWith('holds.') && a !== 'holds.create' && a !== 'holds.activate'), 'custodian notices').toBe(true);
    const onTimeline = new Set(events.map((e) => e.seq));
    const naming = t.events().filter((e) => e.details.case_id === caseId || e.details.case === caseId);
    expect(naming.length).toBeGreaterThan(0);
    for (const e of naming) expect(onTimeline.has(e.seq), `${e.seq} ${e.action} names the case`).toBe(true);
    expect(await dialogCount()).toBe(events.length);
  });

  it('gives the timeline, the dialog count, the CSV, JSON and PDF exports and the bundle the same events', async () => {
    const countBefore = await dialogCount();
    expect(countBefore).toBe((await timeline()).length);

    const csv = await exportCase('csv');
    const csvSeqs = readFileSync(exportedPath(t, csv.fileName!), 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .slice(1)
      .filter((l) => l.length > 0)
      .map((l) => Number(l.split(',')[0]));
    expect(csvSeqs).toEqual(seqsUpTo(await timeline(), csv.checkpointSize!));
    expect(csv.rows).toBe(csvSeqs.length);

    const json = await exportCase('json');
    const doc = JSON.parse(readFileSync(exportedPath(t, json.fileName!), 'utf8')) as { events: LedgerEvent[] };
    expect(doc.events.map((e) => e.seq)).toEqual(seqsUpTo(await timeline(), json.checkpointSize!));

    const pdf = await exportCase('pdf');
    const text = execFileSync('pdftotext', ['-layout', exportedPath(t, pdf.fileName!), '-'], { encoding: 'utf8' });
    const pdfSeqs = [...text.matchAll(/^\s*(\d+)\s+\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2}:\d{2} UTC/gm)].map((m) => Number(m[1]));
    const expected = seqsUpTo(await timeline(), pdf.checkpointSize!);
    expect(pdfSeqs).toEqual(expected);
    expect(pdf.rows).toBe(expected.length);
    // The exports of the case belong to it: their requests, approvals and runs are on its timeline.
    const after = await timeline();
    expect(after.filter((e) => e.resource_id === csv.id).map((e) => e.action)).toEqual(expect.arrayContaining(['exports.request', 'exports.approve', 'exports.execute']));

    const bundle = await makeBundle(t, { caseId }, officer);
    const inBundle = bundleEvents(await readEntries(bundle.path)).map((e) => e.seq);
    expect(inBundle).toEqual(seqsUpTo(await timeline(), bundle.treeSize));
    expect(await dialogCount()).toBe((await timeline()).length);
  });

  it('refuses an unknown case in the count, the timeline and a request instead of answering with nothing', async () => {
    for (const [channel, req] of [
      ['ledger.query', { caseId: 'CASE-1999-0001', limit: 1, withTotal: true }],
      ['cases.timeline', { id: 'CASE-1999-0001' }],
      ['exports.request', { title: 'Unknown case', type: 'LEGAL', format: 'csv', caseId: 'CASE-1999-0001', masking: 'none', purpose: 'A file for counsel', recipient: 'Counsel' }],
    ] as const) {
      const r = await t.result(channel, req, officer);
      expect(r.ok ? 'ok' : r.error.code, channel).toBe('not_found');
    }
  });
});
