import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// Issue 12 item 9 (part): the demo, seeded as `custos demo` seeds a new workspace, has privacy-rights
// requests in each state, the pending ones on the Deadlines list, and a completed erasure that kept
// the categories the law keeps.

const DAY = 86_400_000;
const DAYS = 30;
let t: TempWorkspace;
let session: string;

beforeAll(async () => {
  t = await withSimulatedClock(new Date(Date.now() - DAYS * DAY), 1, async (clock) => {
    const made = await createTempWorkspace();
    await seedDemo(made.app.ws, { events: 1500, admin: ADMIN, passphrase: PASSPHRASE, days: DAYS, clock, secondFactor: true });
    return made;
  });
  session = await t.login();
});

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

describe('custos demo: privacy-rights requests', () => {
  it('has a request in each state, an open one due, an overdue one and an extended one on the Deadlines list', async () => {
    const { items } = await t.call<ResponseOf<'privacyRequests.list'>>('privacyRequests.list', { limit: 100 }, session);
    expect(new Set(items.map((r) => r.state))).toEqual(new Set(['open', 'extended', 'completed', 'rejected']));
    expect(items.some((r) => r.state === 'open' && r.overdue)).toBe(true);
    expect(items.some((r) => r.state === 'open' && !r.overdue && (r.daysRemaining ?? 0) > 0)).toBe(true);
    const due = (await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['privacy_request'], limit: 100 }, session)).items;
    expect(due.map((d) => d.refId).sort()).toEqual(items.filter((r) => r.state === 'open' || r.state === 'extended').map((r) => r.id).sort());
  });

  it('has a completed GDPR erasure that erased the communication past its 2 years and kept the recent one, grades, attendance and the disciplinary file by law', async () => {
    const { items } = await t.call<ResponseOf<'privacyRequests.list'>>('privacyRequests.list', { state: 'completed', limit: 100 }, session);
    const erasure = items.find((r) => r.right === 'erasure')!;
    const d = await t.call<ResponseOf<'privacyRequests.get'>>('privacyRequests.get', { id: erasure.id }, session);
    // An erased record keeps no title: the one erased is the communication past its 2 years.
    expect(d.items.filter((i) => i.result === 'erased').map((i) => i.category)).toEqual(['communications']);
    expect(d.items.filter((i) => i.result === 'kept').map((i) => `${i.category}:${i.keptBecause}`).sort()).toEqual(['attendance:law', 'communications:law', 'disciplinary:law', 'grades:law']);
  });
});
