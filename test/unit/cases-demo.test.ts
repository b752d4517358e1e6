import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs } from './helpers/workspace.js';

afterAll(() => removeTempDirs());

describe('custos demo: case management seeder', () => {
  it('creates realistic cases, subjects, records, evidence, custody and holds through the real services', async () => {
    const t = await createTempWorkspace();
    const ws = t.app.ws;
    const days = 180;
    const span = days * 86_400_000;
    withSimulatedClock(new Date(Date.now() - span), Math.floor(span / 2100), () => seedDemo(ws, { events: 2000, admin: ADMIN, passphrase: PASSPHRASE, days }));
    const count = (sql: string) => (ws.db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM cases')).toBeGreaterThanOrEqual(8);
    expect(count("SELECT count(DISTINCT type) AS n FROM cases")).toBe(5);
    expect(count("SELECT count(DISTINCT status) AS n FROM cases")).toBe(3);
    expect(count('SELECT count(*) AS n FROM subjects WHERE directory_opt_out = 1')).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM records WHERE retention_until IS NOT NULL AND retention_until < date('now')")).toBeGreaterThan(0);
    expect(count("SELECT count(DISTINCT status) AS n FROM legal_holds")).toBe(3);
    expect(count("SELECT count(DISTINCT notice_status) AS n FROM hold_custodians")).toBe(4);
    expect(count("SELECT count(*) AS n FROM hold_custodians WHERE notice_status = 'escalated'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM evidence WHERE status = 'disposed'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM evidence WHERE status = 'sealed'")).toBeGreaterThanOrEqual(2);
    expect(count("SELECT count(*) AS n FROM custody_events WHERE kind = 'transfer'")).toBeGreaterThanOrEqual(3);
    expect(count("SELECT count(*) AS n FROM events WHERE action = 'evidence.dispose' AND outcome = 'denied' AND json_extract(details, '$.code') = 'held'")).toBeGreaterThanOrEqual(1);
    const live = count('SELECT count(*) AS n FROM evidence WHERE blob_present = 1');
    expect(readdirSync(join(t.dir, 'evidence')).filter((f) => f.endsWith('.cev'))).toHaveLength(live);
    const tsOrdered = ws.db.prepare('SELECT ts FROM events ORDER BY seq').all() as { ts: string }[];
    expect(tsOrdered.every((r, i) => i === 0 || r.ts >= (tsOrdered[i - 1] as { ts: string }).ts)).toBe(true);
    expect((tsOrdered.at(-1)?.ts ?? '').slice(0, 10) <= new Date().toISOString().slice(0, 10)).toBe(true);
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    expect(report.valid, report.summary).toBe(true);
    // Seeded evidence decrypts and verifies like any other.
    const officer = await t.login('maria.chen');
    const ids = (ws.db.prepare("SELECT id FROM evidence WHERE status <> 'disposed'").all() as { id: string }[]).map((r) => r.id);
    for (const id of ids) expect((await t.call<{ valid: boolean }>('evidence.verify', { id }, officer)).valid).toBe(true);
    t.app.shutdown();
  });
});
