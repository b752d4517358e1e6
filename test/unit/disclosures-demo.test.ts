import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../electron/core/auth/users.js';
import { DEMO_USERS, seedDemo } from '../../electron/core/demo/seed-demo.js';
import { seedFerpaDemo } from '../../electron/core/demo/ferpa.js';
import { retentionCategories } from '../../electron/core/domain/retention-policy.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { eventsOf, ferpaFixture, PASS, type FerpaFixture } from './helpers/ferpa-workspace.js';

let f: FerpaFixture;

beforeAll(async () => {
  f = await ferpaFixture();
  await seedDemo(f.ws(), { events: 0, admin: 'admin', passphrase: PASS, days: 30 });
});
afterAll(() => f.close());

function count(sql: string): number {
  return (f.ws().db.prepare(sql).get() as { n: number }).n;
}

describe('custos demo: FERPA work', () => {
  it('creates amendment requests in many states, subpoenas, disclosures and access requests', async () => {
    const amendments = (await f.call('amendments.list', {})).items;
    expect(new Set(amendments.map((a) => a.state))).toEqual(new Set(['received', 'under_review', 'amended', 'denied', 'hearing_scheduled', 'closed']));
    expect(amendments.some((a) => a.statementCount > 0)).toBe(true);
    // Seed 002: a subjective grade and an attendance entry answered, not amended; an agreed amendment notified its earlier recipient.
    expect(new Set(amendments.filter((a) => a.outcome === 'not_amendable').map((a) => a.matter))).toEqual(new Set(['subjective_grade', 'attendance']));
    const agreed = amendments.find((a) => a.state === 'amended');
    expect((await f.call('amendments.get', { id: agreed?.id ?? '' })).notices.length).toBeGreaterThan(0);
    // Only a court order was produced; the other subpoenas say why they are not.
    const civil = (await f.call('subpoenas.list', { type: 'civil' })).items.find((s) => s.state === 'verified');
    expect((await f.call('subpoenas.get', { id: civil?.id ?? '' })).productionRefusal).toMatch(/court order/);
    // The consent-based disclosure names a live consent that covers it; a revoked and an expired consent are kept.
    const byConsent = (await f.call('disclosures.list', { basis: 'consent' })).items;
    expect(byConsent.length).toBeGreaterThan(0);
    for (const d of byConsent) {
      const consents = (await f.call('consents.list', { subjectId: d.subjectId })).items;
      expect(consents.find((c) => c.id === d.consentId)?.state).toBe('live');
    }
    expect(count("SELECT count(*) AS n FROM consents WHERE revoked_at IS NOT NULL")).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM consents WHERE expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")).toBeGreaterThan(0);
    const subpoenas = (await f.call('subpoenas.list', {})).items;
    expect(new Set(subpoenas.map((s) => s.state))).toEqual(new Set(['received', 'verified', 'scoped', 'produced', 'quashed', 'withdrawn']));
    expect(subpoenas.some((s) => s.noticeExemptGround === 'nondisclosure_order')).toBe(true);
    const produced = subpoenas.find((s) => s.state === 'produced');
    expect(produced?.productionId).toMatch(/^PRD-/);
    const disclosures = (await f.call('disclosures.list', {})).items;
    expect(disclosures.length).toBeGreaterThanOrEqual(7);
    expect(disclosures.some((d) => d.statements.length > 0)).toBe(true);
    expect(disclosures.some((d) => !d.subjectVisible)).toBe(true);
    // The production wrote its own disclosure entry, with the PDF's hash and the statement of disagreement.
    const fromProduction = disclosures.find((d) => d.productionId === produced?.productionId);
    expect(fromProduction).toMatchObject({ basis: 'court_order', subpoenaId: produced?.id });
    expect(fromProduction?.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fromProduction?.statements.length).toBeGreaterThan(0);
    const deadlines = (await f.call('deadlines.list', {})).items;
    expect(deadlines.some((d) => d.overdue)).toBe(true);
    expect(deadlines.some((d) => d.dueSoon)).toBe(true);
    expect(deadlines.some((d) => !d.overdue && !d.dueSoon)).toBe(true);
    expect((await f.call('accessRequests.list', {})).items).toHaveLength(3);
  });

  it('leaves a ledger that verifies', async () => {
    const ws = f.ws();
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
  });
});

describe('custos demo: FERPA seeder on its own', () => {
  it('makes its own students and records through the services, with categories and retention from the policy', async () => {
    const g = await ferpaFixture();
    try {
      // The demo's people exist, as `custos demo` makes them first (its counsel verifies the subpoenas).
      for (const u of DEMO_USERS) createUser(g.ws(), { actor: 'admin' }, { ...u, passphrase: PASS });
      const appended = await seedFerpaDemo(g.ws(), { users: DEMO_USERS, admin: 'admin', days: 30 });
      expect(appended).toBeGreaterThan(50);
      const keys = new Set(retentionCategories().map((c) => c.key));
      const records = g.ws().db.prepare('SELECT category, retention_until FROM records').all() as { category: string; retention_until: string | null }[];
      expect(records.length).toBeGreaterThanOrEqual(24);
      for (const r of records) expect(keys.has(r.category), r.category).toBe(true);
      expect(records.find((r) => r.category === 'attendance')?.retention_until).toBe('2028-12-19');
      expect(eventsOf(g.ws(), 'records.create')).toHaveLength(records.length);
      expect((await g.call('subpoenas.list', { state: 'produced' })).items).toHaveLength(1);
      // Running it again changes nothing.
      expect(await seedFerpaDemo(g.ws(), { users: DEMO_USERS, admin: 'admin', days: 30 })).toBe(0);
    } finally {
      g.close();
    }
  });
});
