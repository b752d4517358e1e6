import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../electron/core/demo.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { ferpaFixture, PASS, type FerpaFixture } from './helpers/ferpa-workspace.js';

let f: FerpaFixture;

beforeAll(async () => {
  f = await ferpaFixture();
  seedDemo(f.ws(), { events: 0, admin: 'admin', passphrase: PASS, days: 30 });
});
afterAll(() => f.close());

describe('custos demo: FERPA work', () => {
  it('creates amendment requests in many states, subpoenas, disclosures and access requests', async () => {
    const amendments = (await f.call('amendments.list', {})).items;
    expect(new Set(amendments.map((a) => a.state))).toEqual(new Set(['received', 'under_review', 'denied', 'hearing_scheduled', 'closed']));
    expect(amendments.some((a) => a.statementCount > 0)).toBe(true);
    const subpoenas = (await f.call('subpoenas.list', {})).items;
    expect(new Set(subpoenas.map((s) => s.state))).toEqual(new Set(['received', 'verified', 'scoped', 'quashed', 'withdrawn']));
    expect(subpoenas.some((s) => s.noticeExemptGround === 'nondisclosure_order')).toBe(true);
    const disclosures = (await f.call('disclosures.list', {})).items;
    expect(disclosures.length).toBeGreaterThanOrEqual(7);
    expect(disclosures.some((d) => d.statements.length > 0)).toBe(true);
    expect(disclosures.some((d) => !d.subjectVisible)).toBe(true);
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
