import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { retentionCategories } from '../../electron/core/domain/retention-policy.js';
import type { Workspace } from '../../electron/core/workspace.js';
import { exportedPath } from './helpers/outputs.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

const DAY = 86_400_000;
const DAYS = 180;

let t: TempWorkspace;
let ws: Workspace;
let startedAt: number;
let endedAt: number;
let seeded: number;

// As `custos demo` does for a new workspace: the workspace is created on a clock that starts DAYS
// ago, and seedDemo paces that clock so the history ends at the real present.
beforeAll(async () => {
  startedAt = Date.now();
  t = await withSimulatedClock(new Date(startedAt - DAYS * DAY), 1, async (clock) => {
    const made = await createTempWorkspace();
    await seedDemo(made.app.ws, { events: 2000, admin: ADMIN, passphrase: PASSPHRASE, days: DAYS, clock });
    return made;
  });
  endedAt = Date.now();
  ws = t.app.ws;
  seeded = ws.ledger.head().size;
}, 60_000);

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

const count = (sql: string, ...params: unknown[]) => (ws.db.prepare(sql).get(...params) as { n: number }).n;
const rows = <T>(sql: string, ...params: unknown[]) => ws.db.prepare(sql).all(...params) as T[];

describe('custos demo: case management seeder', () => {
  it('creates realistic cases, subjects, records, evidence, custody and holds through the real services', async () => {
    expect(count('SELECT count(*) AS n FROM cases')).toBeGreaterThanOrEqual(8);
    expect(count('SELECT count(DISTINCT type) AS n FROM cases')).toBe(5);
    expect(count('SELECT count(DISTINCT status) AS n FROM cases')).toBe(3);
    expect(count('SELECT count(*) AS n FROM subjects WHERE directory_opt_out = 1')).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM records WHERE retention_until IS NOT NULL AND retention_until < date('now')")).toBeGreaterThan(0);
    expect(count('SELECT count(DISTINCT status) AS n FROM legal_holds')).toBe(3);
    expect(count('SELECT count(DISTINCT notice_status) AS n FROM hold_custodians')).toBe(4);
    expect(count("SELECT count(*) AS n FROM hold_custodians WHERE notice_status = 'escalated'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM evidence WHERE status = 'disposed'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM evidence WHERE status = 'sealed'")).toBeGreaterThanOrEqual(2);
    expect(count("SELECT count(*) AS n FROM custody_events WHERE kind = 'transfer'")).toBeGreaterThanOrEqual(3);
    expect(count("SELECT count(*) AS n FROM events WHERE action = 'evidence.dispose' AND outcome = 'denied' AND json_extract(details, '$.code') = 'held'")).toBeGreaterThanOrEqual(1);
    // One student under two active holds (gradebook case and subpoena case): held until the last is released.
    expect(count("SELECT count(*) AS n FROM (SELECT s.subject_id FROM hold_subjects s JOIN legal_holds h ON h.id = s.hold_id WHERE h.status = 'active' GROUP BY s.subject_id HAVING count(*) >= 2)")).toBeGreaterThanOrEqual(1);
    const live = count('SELECT count(*) AS n FROM evidence WHERE blob_present = 1');
    expect(readdirSync(join(t.dir, 'evidence')).filter((f) => f.endsWith('.cev'))).toHaveLength(live);
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    expect(report.valid, report.summary).toBe(true);
    // Seeded evidence decrypts and verifies like any other.
    const officer = await t.login('maria.chen');
    const ids = rows<{ id: string }>("SELECT id FROM evidence WHERE status <> 'disposed'").map((r) => r.id);
    for (const id of ids) expect((await t.call<{ valid: boolean }>('evidence.verify', { id }, officer)).valid).toBe(true);
  });

  it('reaches exactly the requested number of events when that is more than the casework needs', () => {
    expect(seeded).toBe(2000);
  });
});

describe('custos demo: one clock for rows, dates and ledger events', () => {
  const ts = (seq: number) => (rows<{ ts: string }>('SELECT ts FROM events WHERE seq = ?', seq)[0] as { ts: string }).ts;

  it('spreads the history over the chosen days, in order, ending at the present', () => {
    const all = rows<{ ts: string }>('SELECT ts FROM events WHERE seq <= 2000 ORDER BY seq').map((r) => r.ts);
    expect(all.every((x, i) => i === 0 || x >= (all[i - 1] as string))).toBe(true);
    expect(Date.parse(all[0] as string)).toBeLessThan(startedAt - (DAYS - 1) * DAY);
    expect(Date.parse(all.at(-1) as string)).toBeLessThanOrEqual(endedAt);
    expect(new Set(all.map((x) => x.slice(0, 10))).size).toBeGreaterThan(DAYS / 2);
  });

  it('does the casework in the last days, so its deadlines and notices are current', () => {
    const real = rows<{ ts: string }>("SELECT ts FROM events WHERE action IN ('cases.create', 'holds.create', 'amendments.receive', 'subpoenas.receive', 'subpoenas.produce')");
    expect(real.length).toBeGreaterThan(10);
    for (const e of real) {
      expect(Date.parse(e.ts)).toBeGreaterThan(startedAt - 3 * DAY);
      expect(Date.parse(e.ts)).toBeLessThanOrEqual(endedAt);
    }
  });

  it('stamps every row with the instant of the ledger event that recorded it', () => {
    const pairs: [string, string][] = [
      ['SELECT c.created_at AS at, e.ts FROM cases c JOIN events e ON e.resource_id = c.id AND e.action = \'cases.create\'', 'cases'],
      ["SELECT h.created_at AS at, e.ts FROM legal_holds h JOIN events e ON e.resource_id = h.id AND e.action = 'holds.create'", 'holds'],
      ["SELECT a.created_at AS at, e.ts FROM amendment_requests a JOIN events e ON e.resource_id = a.id AND e.action = 'amendments.receive'", 'amendments'],
      ["SELECT p.created_at AS at, e.ts FROM subpoenas p JOIN events e ON e.resource_id = p.id AND e.action = 'subpoenas.receive'", 'subpoenas'],
      ["SELECT d.recorded_at AS at, e.ts FROM disclosures d JOIN events e ON e.resource_id = d.id AND e.action = 'disclosures.record'", 'disclosures'],
      ["SELECT x.produced_at AS at, e.ts FROM productions x JOIN events e ON e.resource_id = x.subpoena_id AND e.action = 'subpoenas.produce'", 'productions'],
      ["SELECT r.created_at AS at, e.ts FROM access_requests r JOIN events e ON e.resource_id = r.id AND e.action = 'accessRequests.create'", 'access requests'],
    ];
    for (const [sql, what] of pairs) {
      const found = rows<{ at: string; ts: string }>(sql);
      expect(found.length, what).toBeGreaterThan(0);
      for (const r of found) expect(r.at, what).toBe(r.ts);
    }
  });

  it('dates what happened before it was logged (service, receipt, collection) no later than the logging', () => {
    const checks: [string, string][] = [
      ['SELECT served_at AS before, created_at AS after FROM subpoenas', 'subpoena served'],
      ['SELECT received_at AS before, created_at AS after FROM amendment_requests', 'amendment received'],
      ['SELECT collected_at AS before, created_at AS after FROM evidence', 'evidence collected'],
      ['SELECT requested_at AS before, created_at AS after FROM access_requests', 'access requested'],
      ['SELECT disclosed_at AS before, recorded_at AS after FROM disclosures', 'disclosed'],
    ];
    const last = ts(count('SELECT max(seq) AS n FROM events'));
    for (const [sql, what] of checks) {
      for (const r of rows<{ before: string; after: string }>(sql)) {
        expect(r.before <= r.after, `${what}: ${r.before} after ${r.after}`).toBe(true);
        expect(r.after <= last, `${what}: ${r.after} after the last event ${last}`).toBe(true);
      }
    }
  });

  it('leaves a due list with overdue, due-soon and later items as of now', async () => {
    const items = (await t.call<{ items: { kind: string; overdue: boolean; dueSoon: boolean }[] }>('deadlines.list', {}, t.admin)).items;
    expect(items.some((d) => d.overdue)).toBe(true);
    expect(items.some((d) => d.dueSoon)).toBe(true);
    expect(items.some((d) => !d.overdue && !d.dueSoon)).toBe(true);
    expect(new Set(items.map((d) => d.kind)).has('hold_reminder')).toBe(true);
  });
});

describe('custos demo: record categories come from the retention policy', () => {
  it('uses only categories of resources/policies/retention.json, for records and for hold scopes', () => {
    const keys = new Set(retentionCategories().map((c) => c.key));
    const used = rows<{ category: string }>('SELECT DISTINCT category FROM records').map((r) => r.category);
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const c of used) expect(keys.has(c), c).toBe(true);
    for (const h of rows<{ categories: string }>('SELECT categories FROM legal_holds')) {
      for (const c of JSON.parse(h.categories) as string[]) expect(keys.has(c), c).toBe(true);
    }
    // Retention dates were computed from the policy for every record with a period.
    for (const r of rows<{ category: string; retention_until: string | null }>('SELECT category, retention_until FROM records')) {
      const period = retentionCategories().find((c) => c.key === r.category)?.period ?? null;
      expect(r.retention_until === null, r.category).toBe(period === null);
    }
  });
});

describe('custos demo: a subpoena produced end to end', () => {
  it('has a Bates-numbered production whose pages and files check out with pdftotext and sha256sum, and its disclosure entry', async () => {
    const produced = rows<{ id: string; production_id: string; subject_id: string; case_id: string | null }>("SELECT id, production_id, subject_id, case_id FROM subpoenas WHERE state = 'produced'");
    expect(produced).toHaveLength(1);
    const sub = produced[0] as (typeof produced)[number];
    expect(sub.case_id).not.toBeNull();
    const disclosure = rows<{ id: string; file_sha256: string; basis: string; subpoena_id: string }>('SELECT id, file_sha256, basis, subpoena_id FROM disclosures WHERE production_id = ?', sub.production_id);
    expect(disclosure).toHaveLength(1);
    expect(disclosure[0]).toMatchObject({ basis: 'court_order', subpoena_id: sub.id });
    const ev = rows<{ details: string }>("SELECT details FROM events WHERE action = 'subpoenas.produce' AND resource_id = ?", sub.id)[0];
    expect(JSON.parse(ev?.details ?? '{}')).toMatchObject({ production_id: sub.production_id, disclosure_id: disclosure[0]?.id, pdf_sha256: disclosure[0]?.file_sha256 });
    // The produced records carry the statement of disagreement filed earlier (99.21(c)).
    expect(count('SELECT count(*) AS n FROM disclosure_statements WHERE disclosure_id = ?', disclosure[0]?.id)).toBeGreaterThanOrEqual(1);

    const out = tempDir('custos-demo-production-');
    const counsel = await t.login('david.okafor');
    // The production leaves as one ZIP in the workspace's exports folder; unpacked here as a recipient would.
    const { fileName } = await t.call<{ fileName: string }>('subpoenas.exportProduction', { productionId: sub.production_id }, counsel);
    execFileSync('unzip', ['-q', exportedPath(t, fileName), '-d', out]);
    const exported = { dir: join(out, sub.production_id) };
    const manifest = JSON.parse(readFileSync(join(exported.dir, 'manifest.json'), 'utf8')) as { pages: { page: number; bates: string; file: string; sha256: string }[]; files: { path: string; sha256: string }[] };
    expect(manifest.pages.length).toBeGreaterThanOrEqual(3);
    const pdf = join(exported.dir, 'production.pdf');
    manifest.pages.forEach((p, i) => {
      expect(p.bates).toBe(`NSD-${String(i + 1).padStart(6, '0')}`);
      expect(execFileSync('pdftotext', ['-f', String(p.page), '-l', String(p.page), pdf, '-'], { encoding: 'utf8' })).toContain(p.bates);
      const sum = execFileSync('sha256sum', [p.file], { cwd: exported.dir, encoding: 'utf8' }).split(/\s+/)[0];
      expect(sum).toBe(p.sha256);
    });
    for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(exported.dir, f.path))).digest('hex'), f.path).toBe(f.sha256);
    expect(createHash('sha256').update(readFileSync(pdf)).digest('hex')).toBe(disclosure[0]?.file_sha256);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('I dispute the absence');
  });
});
