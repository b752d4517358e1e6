import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

// Issue 13 item 6: the demo's incident, seeded as `custos demo` seeds a new workspace (on a clock
// that ends at the real present), is a breach whose clock is partly done with tasks overdue now.

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
  // The session made on the simulated clock has been idle for a month of it: sign in again.
  session = await t.login();
}, 120_000);

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

describe('custos demo: the security incident', () => {
  it('is one breach with some clock tasks done and at least one overdue, linked to the phishing case, its evidence and hold', async () => {
    const list = await t.call<ResponseOf<'incidents.list'>>('incidents.list', {}, session);
    const breaches = list.items.filter((i) => i.classification === 'data_breach');
    expect(breaches).toHaveLength(1);
    const inc = breaches[0]!;
    // Beside it, the incident the administrator escalated from the officer's bulk record views.
    const escalated = list.items.filter((i) => i.classification === 'unauthorized_access');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.description).toMatch(/^Escalated from alert ALR-/);
    expect(inc.clock.done).toBeGreaterThan(0);
    expect(inc.clock.overdue).toBeGreaterThan(0);
    expect(inc.clock.done + inc.clock.overdue).toBeLessThan(inc.clock.tasks);
    const detail = await t.call<ResponseOf<'incidents.get'>>('incidents.get', { id: inc.id }, session);
    expect(detail.links.map((l) => l.itemType)).toEqual(expect.arrayContaining(['case', 'evidence', 'hold']));
    expect(detail.links.find((l) => l.itemType === 'case')!.title).toMatch(/Phishing incident/);
    expect(detail.notifications.length).toBeGreaterThan(0);
    // The overdue tasks are on the due list (and so on the Dashboard).
    const due = await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['incident_task'], limit: 100 }, session);
    expect(due.items.filter((d) => d.refId === inc.id && d.overdue).length).toBe(inc.clock.overdue);
  });
});
