import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_KIND_IDS, REPORT_KINDS, type GeneratedReport, type ReportKindId } from '../../shared/contract/reports.js';
import type { ResponseOf } from '../../shared/contract.js';
import { daysUntil } from '../../shared/day-count.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { timeZoneOfDb } from '../../electron/core/time-zone.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { rootAt } from '../../electron/core/ledger/merkle.js';
import type { Db } from '../../electron/core/db/open.js';
import { exportedPath } from './helpers/outputs.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// Issue 11, item 6: every pre-built report is a valid PDF with its fonts embedded, anchored to a
// signed checkpoint whose root is the ledger's root at that size, ledgered with its SHA-256, and
// its figures are those that independent queries of the same data give.

const DAY = 86_400_000;

let t: TempWorkspace;
let officer: string;
let auditor: string;
let viewer: string;
let demoReports: number;
const made = new Map<ReportKindId, { report: GeneratedReport; text: string; path: string }>();

/** The figures a kind prints, computed here with queries of our own over the same data. */
type Window = {
  size: number;
  from: string;
  until: string;
  to: string;
};
type Expect = (db: Db, w: Window) => [label: string, value: number][];

const one = (db: Db, sql: string, params: Record<string, unknown> = {}): number => (db.prepare(sql).get(params) as { n: number }).n;
const events = (db: Db, w: Window, where: string) => one(db, `SELECT count(*) AS n FROM events WHERE seq <= @size AND ts >= @from AND ts < @until AND (${where})`, w);
/** Privacy-rights requests of one regime received in the period (the Requests register). */
const privacy = (db: Db, w: Window, regime: string, where: string) =>
  one(db, `SELECT count(*) AS n FROM privacy_requests WHERE regime = @regime AND received_at >= @from AND received_at < @until AND (${where})`, { ...w, regime });
const UNAUTHORIZED = "outcome = 'denied' OR (action = 'session.login' AND outcome <> 'success')";

const EXPECTED: Record<ReportKindId, Expect> = {
  'gdpr-art30': (db, w) => [
    ['Data subjects', one(db, 'SELECT count(*) AS n FROM subjects')],
    ['Active records', one(db, "SELECT count(*) AS n FROM records WHERE status = 'active'")],
    ['Disclosures in the period', one(db, 'SELECT count(*) AS n FROM disclosures WHERE disclosed_at >= @from AND disclosed_at < @until', w)],
    ['Ledger events up to the tree head', w.size],
  ],
  'gdpr-dsr': (db, w) => [
    ['Requests received', privacy(db, w, 'gdpr', '1')],
    ['Completed', privacy(db, w, 'gdpr', "state = 'completed'")],
    ['Extended', privacy(db, w, 'gdpr', 'extended_at IS NOT NULL')],
    ['Still open', privacy(db, w, 'gdpr', "state IN ('open', 'extended')")],
    ['Records erased on request', one(db, "SELECT count(*) AS n FROM records WHERE status = 'erased' AND destroyed_at >= @from AND destroyed_at < @until", w)],
    ['Subjects opted out at generation', one(db, 'SELECT count(*) AS n FROM subjects WHERE directory_opt_out = 1')],
  ],
  'ferpa-annual': (db, w) => [
    ['Disclosures in the period', one(db, 'SELECT count(*) AS n FROM disclosures WHERE disclosed_at >= @from AND disclosed_at < @until', w)],
    ['Amendment requests received', one(db, 'SELECT count(*) AS n FROM amendment_requests WHERE received_at >= @from AND received_at < @until', w)],
    ['Decided', one(db, 'SELECT count(*) AS n FROM amendment_requests WHERE decided_at IS NOT NULL AND received_at >= @from AND received_at < @until', w)],
    ['Access requests received', one(db, 'SELECT count(*) AS n FROM access_requests WHERE requested_at >= @from AND requested_at < @until', w)],
    ['Students and parents opted out at generation', one(db, 'SELECT count(*) AS n FROM subjects WHERE directory_opt_out = 1')],
  ],
  'hipaa-disclosures': (db, w) => [
    ['Disclosures in the period', one(db, 'SELECT count(*) AS n FROM disclosures WHERE disclosed_at >= @from AND disclosed_at < @until', w)],
    ['Records released', one(db, 'SELECT count(*) AS n FROM disclosure_records r JOIN disclosures d ON d.id = r.disclosure_id WHERE d.disclosed_at >= @from AND d.disclosed_at < @until', w)],
  ],
  'hipaa-audit-controls': (db, w) => [
    ['Events in the period', events(db, w, '1')],
    ['Succeeded', events(db, w, "outcome = 'success'")],
    ['Refused (denied)', events(db, w, "outcome = 'denied'")],
    ['Record reads', events(db, w, "action = 'records.view'")],
    ['Unauthorized attempts', events(db, w, UNAUTHORIZED)],
  ],
  'sox-itgc': (db, w) => [
    ['User accounts', one(db, 'SELECT count(*) AS n FROM users')],
    ['Enabled accounts', one(db, 'SELECT count(*) AS n FROM users WHERE disabled = 0')],
    ['Export requests in the period', one(db, 'SELECT count(*) AS n FROM export_requests WHERE requested_at >= @from AND requested_at < @until', w)],
    [
      'Privileged actions in the period',
      events(db, w, "outcome = 'success' AND action IN ('users.create', 'users.update', 'session.recover', 'workspace.rekey', 'workspace.dbKey', 'frameworks.setEnabled', 'exports.approve', 'exports.reject', 'imports.pins.revoke', 'ledger.checkpoint')"),
    ],
  ],
  'ccpa-requests': (db, w) => [
    ['Requests received', privacy(db, w, 'ccpa', '1')],
    ['Rejected', privacy(db, w, 'ccpa', "state = 'rejected'")],
    [
      'Open past their due date at generation',
      (db.prepare("SELECT due_at FROM privacy_requests WHERE regime = 'ccpa' AND state IN ('open', 'extended') AND received_at >= @from AND received_at < @until").all(w) as { due_at: string }[]).filter(
        (r) => daysUntil(r.due_at, new Date(), timeZoneOfDb(db).timeZone) < 0,
      ).length,
    ],
    ['Subjects opted out at generation', one(db, 'SELECT count(*) AS n FROM subjects WHERE directory_opt_out = 1')],
  ],
  'pci-req10': (db, w) => [
    ['Events in the period', events(db, w, '1')],
    ['Invalid access attempts (10.2.1.4)', events(db, w, UNAUTHORIZED)],
    ['Access to cardholder and student records (10.2.1.1)', events(db, w, "action = 'records.view'")],
    ['Events retained up to the tree head', w.size],
  ],
  'records-expiring': (db, w) => [
    ['Records expiring by the end of the period', one(db, "SELECT count(*) AS n FROM records WHERE status = 'active' AND retention_until <= @to", w)],
    ['Expiring during the period', one(db, "SELECT count(*) AS n FROM records WHERE status = 'active' AND retention_until <= @to AND retention_until >= substr(@from, 1, 10)", w)],
  ],
  'actions-30d': (db, w) => [
    ['Events in the period', events(db, w, '1')],
    ['Distinct actions', one(db, 'SELECT count(DISTINCT action) AS n FROM events WHERE seq <= @size AND ts >= @from AND ts < @until', w)],
    ['Refused (denied)', events(db, w, "outcome = 'denied'")],
  ],
  'unauthorized-attempts': (db, w) => [
    ['Unauthorized attempts', events(db, w, UNAUTHORIZED)],
    ['Failed sign-ins', events(db, w, "action = 'session.login' AND outcome <> 'success'")],
    ['Users involved', one(db, `SELECT count(DISTINCT actor) AS n FROM events WHERE seq <= @size AND ts >= @from AND ts < @until AND (${UNAUTHORIZED})`, w)],
  ],
};

/** A year-long period for the kinds whose default is short, so the demo's casework falls inside. */
const PERIODS: Partial<Record<ReportKindId, { from: string }>> = {
  'sox-itgc': { from: new Date(Date.now() - 365 * DAY).toISOString().slice(0, 10) },
  'records-expiring': { from: new Date(Date.now() - 365 * DAY).toISOString().slice(0, 10) },
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  t = await withSimulatedClock(new Date(Date.now() - 60 * DAY), 1, async (clock) => {
    const ws = await createTempWorkspace({ name: 'North Shore District' });
    await seedDemo(ws.app.ws, { events: 1500, admin: ADMIN, passphrase: PASSPHRASE, days: 60, clock });
    return ws;
  });
  officer = await t.login('maria.chen');
  auditor = await t.login('priya.raman');
  viewer = await t.login('sam.wright');
  // The demo made a few reports of its own (demo/reports.ts).
  demoReports = (await t.call<ResponseOf<'reports.list'>>('reports.list', {}, auditor)).total;
  expect(demoReports).toBeGreaterThan(0);
  for (const kind of REPORT_KIND_IDS) {
    // Officers and auditors both produce reports.
    const session = kind.startsWith('hipaa') ? officer : auditor;
    const { report } = await t.call<ResponseOf<'reports.generate'>>('reports.generate', { kind, ...PERIODS[kind] }, session);
    const path = exportedPath(t, report.fileName);
    made.set(kind, { report, path, text: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }) });
  }
}, 300_000);

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

describe('every report kind', () => {
  it('is listed by reports.kinds and made', async () => {
    const { kinds } = await t.call<ResponseOf<'reports.kinds'>>('reports.kinds', {}, auditor);
    expect(kinds.map((k) => k.id)).toEqual([...REPORT_KIND_IDS]);
    expect(new Set(kinds.map((k) => k.framework))).toEqual(new Set(['GDPR', 'FERPA', 'HIPAA', 'SOX', 'CCPA', 'PCI DSS', 'Operations']));
    expect([...made.keys()]).toEqual([...REPORT_KIND_IDS]);
  });

  it.each(REPORT_KIND_IDS)('%s passes qpdf --check and embeds its fonts', (kind) => {
    const { path } = made.get(kind)!;
    const check = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f, f).toMatch(/\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
  });

  it.each(REPORT_KIND_IDS)('%s prints the figures that independent queries of the same data give', (kind) => {
    const { report, text } = made.get(kind)!;
    const to = report.to;
    const w: Window = { size: report.checkpointSize, from: `${report.from}T00:00:00.000Z`, until: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY).toISOString(), to };
    const figures = EXPECTED[kind](t.app.ws.db, w);
    // A report with nothing but zeros would prove little: the demo gives each kind something to count.
    expect(figures.some(([, v]) => v > 0), `${kind}: every expected figure is 0`).toBe(true);
    for (const [label, value] of figures) expect(text, `${kind}: ${label}`).toMatch(new RegExp(`^\\s*${escape(label)}\\s+${escape(value.toLocaleString('en-US'))}\\s*$`, 'm'));
  });

  it.each(REPORT_KIND_IDS)('%s states its scope, period and anchor, and numbers its pages', (kind) => {
    const { report, text } = made.get(kind)!;
    const pages = text.split('\f').filter((p) => p.trim().length > 0);
    expect(pages).toHaveLength(report.pages);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`));
    const first = pages[0]!;
    // Days as people read them: "1 Dec 2026 to 2 Dec 2026".
    const day = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    expect(first).toMatch(new RegExp(`Period\\s+${day(report.from)} to ${day(report.to)}`));
    expect(first).toMatch(/Scope\s+The whole workspace "North Shore District"/);
    expect(first).toMatch(new RegExp(`Tree size\\s+${report.checkpointSize}\\b`));
    expect(first).toMatch(new RegExp(`Root hash\\s+${report.checkpointRoot}`));
    expect(first).toMatch(new RegExp(`Signing key\\s+${report.keyId}`));
    expect(first).toContain(REPORT_KINDS.find((k) => k.id === kind)!.title);
  });
});

describe('the anchor and the ledger', () => {
  it('the root printed in the HIPAA report is the ledger root at that size, a stored signed checkpoint, and the ledger verifies', async () => {
    const { report, text } = made.get('hipaa-audit-controls')!;
    const root = rootAt(t.app.ws.ledger.source, report.checkpointSize).toString('hex');
    expect(report.checkpointRoot).toBe(root);
    expect(text).toContain(root);
    const stored = t.app.ws.db.prepare('SELECT key_id FROM checkpoints WHERE size = ? AND root = ?').all(report.checkpointSize, root) as { key_id: string }[];
    expect(stored.map((c) => c.key_id)).toContain(report.keyId);
    const verified = await t.call<ResponseOf<'ledger.verify'>>('ledger.verify', {}, auditor);
    expect(verified.valid).toBe(true);
  });

  it('ledgers each report with the SHA-256 of the file it wrote, and lists them from the ledger', async () => {
    for (const [kind, { report, path }] of made) {
      const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
      expect(report.sha256, kind).toBe(sha);
      const event = t.events().find((e) => e.seq === report.seq)!;
      expect(event).toMatchObject({ action: 'reports.generate', outcome: 'success', resource_type: 'report', resource_id: report.fileName });
      expect(event.details).toMatchObject({ kind, sha256: sha, file_name: report.fileName, checkpoint_size: report.checkpointSize, checkpoint_root: report.checkpointRoot, from: report.from, to: report.to });
      // The figures cover the ledger up to the anchor: the event that records the report comes after it.
      expect(report.seq).toBeGreaterThan(report.checkpointSize);
    }
    const list = await t.call<ResponseOf<'reports.list'>>('reports.list', { limit: 100 }, auditor);
    expect(list.total).toBe(demoReports + REPORT_KIND_IDS.length);
    expect(list.items.slice(0, REPORT_KIND_IDS.length).map((r) => r.kind)).toEqual([...REPORT_KIND_IDS].reverse());
    expect(list.items[0]).toEqual(made.get('unauthorized-attempts')!.report);
    const hipaa = await t.call<ResponseOf<'reports.list'>>('reports.list', { kind: 'hipaa-disclosures' }, officer);
    expect(hipaa.items.map((r) => r.fileName)).toEqual([made.get('hipaa-disclosures')!.report.fileName]);
  });
});

describe('refusals', () => {
  it('refuses a viewer (ledgered as denied) and writes no file', async () => {
    const before = t.eventCount();
    expect(await t.result('reports.generate', { kind: 'sox-itgc' }, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.result('reports.list', {}, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const added = t.eventsAfter(before);
    expect(added.map((e) => [e.actor, e.action, e.outcome])).toEqual([
      ['sam.wright', 'reports.generate', 'denied'],
      ['sam.wright', 'reports.list', 'denied'],
    ]);
    expect((await t.call<ResponseOf<'reports.list'>>('reports.list', {}, auditor)).total).toBe(demoReports + REPORT_KIND_IDS.length);
  });

  it('refuses a period that ends before it starts, and a path or unknown field, ledgering the refusal', async () => {
    const before = t.eventCount();
    const backwards = await t.result('reports.generate', { kind: 'pci-req10', from: '2026-03-01', to: '2026-02-01' }, officer);
    expect(backwards).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(!backwards.ok && backwards.error.message).toMatch(/starts on 2026-03-01, after it ends on 2026-02-01/);
    expect(await t.result('reports.generate', { kind: 'pci-req10', outPath: '/tmp/x.pdf' }, officer)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await t.result('reports.generate', { kind: 'no-such-report' }, officer)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(t.eventsAfter(before).map((e) => [e.action, e.outcome])).toEqual([
      ['reports.generate', 'failure'],
      ['reports.generate', 'failure'],
      ['reports.generate', 'failure'],
    ]);
  });

  it('a report cancelled while it is laid out writes no file; its failure (cancelled) is ledgered', async () => {
    const before = t.eventCount();
    const files = readdirSync(join(t.dir, 'exports')).length;
    const running = t.result('reports.generate', { kind: 'pci-req10', jobId: 'job-report-cancel' }, officer);
    expect(await t.result('jobs.cancel', { jobId: 'job-report-cancel' }, officer)).toMatchObject({ ok: true, value: { cancelled: true } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(readdirSync(join(t.dir, 'exports'))).toHaveLength(files);
    const added = t.eventsAfter(before);
    expect(added.filter((e) => e.action === 'reports.generate').map((e) => [e.outcome, e.details.code])).toEqual([['failure', 'cancelled']]);
  });
});

describe('an empty period', () => {
  it('counts nothing and says so, still anchored to the tree head', async () => {
    const { report } = await t.call<ResponseOf<'reports.generate'>>('reports.generate', { kind: 'actions-30d', from: '2001-01-01', to: '2001-01-31' }, auditor);
    const text = execFileSync('pdftotext', ['-layout', exportedPath(t, report.fileName), '-'], { encoding: 'utf8' });
    expect(text).toMatch(/^\s*Events in the period\s+0\s*$/m);
    expect(text).toContain('Nothing was recorded in the period.');
    expect(text).toMatch(new RegExp(`Tree size\\s+${report.checkpointSize}\\b`));
  });
});
