import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ResponseOf } from '../../shared/contract.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { evaluateAlerts } from '../../electron/core/alerts/evaluate.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import type { Workspace } from '../../electron/core/workspace.js';
import { ADMIN, CallError, PASSPHRASE, createTempWorkspace, removeTempDirs, type Staff, type TempWorkspace } from './helpers/workspace.js';

// Issue 13 item 4: alert rules over the ledger. Each rule fires exactly once per subject and window;
// evaluation is incremental and idempotent, runs outside the append transaction, catches up after
// unlock; an alert's own events never feed the rules; acknowledging and escalating are ledgered, and a
// refused one records exactly one event and changes nothing else.

const MINUTE = 60_000;
const DAY = 86_400_000;
const policy = JSON.parse(readFileSync(new URL('../../resources/policies/alerts.json', import.meta.url), 'utf8')) as {
  rules: Record<string, { windowMinutes: number; threshold?: number; minRows?: number; factor?: number; baselineDays?: number }>;
  riskWeights: { alert: Record<string, number>; denied: number; failedSignIn: number };
};
const FAILED = policy.rules.failed_sign_ins!;
const DENIED = policy.rules.denied_calls!;

type List = ResponseOf<'alerts.list'>;
type Alert = List['items'][number];

let t: TempWorkspace;
let staff: Staff;

beforeAll(async () => {
  t = await createTempWorkspace();
  staff = await t.addStaff();
  await t.call('workspace.setTimeZone', { timeZone: 'UTC' }, t.admin);
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

const ws = (): Workspace => t.app.ws;
const alertsOf = async (rule: string, subject?: string): Promise<Alert[]> =>
  (await t.call<List>('alerts.list', { rule, limit: 500 }, staff.officer)).items.filter((a) => subject === undefined || a.subject === subject);
const count = (sql: string, ...params: unknown[]): number => (ws().db.prepare(sql).get(...params) as { n: number }).n;

/** The start of the window after the one `ms` falls in, for a rule of `minutes`. */
function nextWindow(minutes: number, ms = Date.now()): number {
  const w = minutes * MINUTE;
  return (Math.floor(ms / w) + 1) * w;
}

/** Signs in with a wrong passphrase `n` times, one second apart from `start` on the core clock. */
async function failedSignIns(username: string, n: number, start: number): Promise<void> {
  await withSimulatedClock(new Date(start), 1000, async () => {
    for (let i = 0; i < n; i++) {
      const r = await t.result('session.login', { username, passphrase: 'not the passphrase' });
      expect(r.ok).toBe(false);
    }
  });
}

describe('a burst of failed sign-ins', () => {
  it('fires exactly one alert per window, ledgered as alerts.fire by the system', async () => {
    const w = nextWindow(FAILED.windowMinutes) + MINUTE;
    const before = t.eventCount();
    // Three times the threshold in one window: the account locks after five, the attempts go on.
    await failedSignIns('maria.chen', 3 * FAILED.threshold!, w);
    const run = evaluateAlerts(ws());
    expect(run.evaluated).toBeGreaterThanOrEqual(3 * FAILED.threshold!);
    expect(run.through).toBe(before + 3 * FAILED.threshold! + run.fired);
    const fired = await alertsOf('failed_sign_ins', 'maria.chen');
    expect(fired).toHaveLength(1);
    const a = fired[0]!;
    expect(a).toMatchObject({
      subject: 'maria.chen',
      count: FAILED.threshold,
      threshold: FAILED.threshold,
      status: 'open',
      windowStart: new Date(w - MINUTE).toISOString(),
      windowEnd: new Date(w - MINUTE + FAILED.windowMinutes * MINUTE).toISOString(),
    });
    const e = t.lastEvent('alerts.fire')!;
    expect(e).toMatchObject({ actor: 'system', resource_type: 'alert', resource_id: a.id, outcome: 'success' });
    expect(e.details).toMatchObject({ rule: 'failed_sign_ins', subject: 'maria.chen', count: FAILED.threshold, trigger_seq: a.triggerSeq });
    // The event that crossed the line is the threshold-th failure.
    expect(a.triggerSeq).toBe(before + FAILED.threshold!);
  });

  it('is idempotent: evaluating again, or more failures in the same window, fire nothing new', async () => {
    expect(evaluateAlerts(ws())).toMatchObject({ fired: 0 });
    const a = (await alertsOf('failed_sign_ins', 'maria.chen'))[0]!;
    const same = Date.parse(a.windowStart) + 5 * MINUTE;
    await failedSignIns('maria.chen', FAILED.threshold!, same);
    expect(evaluateAlerts(ws()).fired).toBe(0);
    expect(await alertsOf('failed_sign_ins', 'maria.chen')).toHaveLength(1);
  });

  it('fires again in the next window, and not for fewer failures than the threshold', async () => {
    const a = (await alertsOf('failed_sign_ins', 'maria.chen'))[0]!;
    const next = Date.parse(a.windowEnd) + MINUTE;
    await failedSignIns('maria.chen', FAILED.threshold!, next);
    await failedSignIns('david.okafor', FAILED.threshold! - 1, next + 10_000);
    expect(evaluateAlerts(ws()).fired).toBe(1);
    const both = await alertsOf('failed_sign_ins', 'maria.chen');
    expect(both.map((x) => x.windowStart).sort()).toEqual([a.windowStart, new Date(Date.parse(a.windowEnd)).toISOString()]);
    expect(await alertsOf('failed_sign_ins', 'david.okafor')).toEqual([]);
    // The database refuses a second alert of a rule for the same subject and window.
    expect(() =>
      ws().db.prepare(
        "INSERT INTO alerts (id, rule, subject, window_start, window_end, severity, summary, count, threshold, first_seq, trigger_seq, fired_at) VALUES ('X', 'failed_sign_ins', 'maria.chen', ?, ?, 'high', 's', 1, 1, 1, 1, ?)",
      ).run(a.windowStart, a.windowEnd, a.firedAt),
    ).toThrow(/UNIQUE/);
  });
});

describe('bursts of denied calls', () => {
  it('fire one alert for the user, however the burst falls across windows; an alert event never feeds a rule', async () => {
    const mallory = await t.addUser('mallory.viewer', 'viewer');
    // One short of twice the threshold: wherever a window boundary falls, exactly one window crosses it.
    for (let i = 0; i < 2 * DENIED.threshold! - 1; i++) {
      const r = await t.result('cases.create', { title: `Case ${i}`, type: 'other', description: 'x' }, mallory);
      expect(r.ok).toBe(false);
    }
    // Events of the alerts' own actions, even denied ones, never count.
    ws().tx(() => {
      for (let i = 0; i < 3 * DENIED.threshold!; i++) {
        ws().ledger.append({ actor: 'eve.alerts', action: 'alerts.fire', resource_type: 'alert', resource_id: `A-${i}`, outcome: 'denied', details: { code: 'forbidden', message: 'x' } });
      }
    });
    evaluateAlerts(ws());
    expect(await alertsOf('denied_calls', 'mallory.viewer')).toHaveLength(1);
    expect(await alertsOf('denied_calls', 'eve.alerts')).toEqual([]);
    expect(count("SELECT count(*) AS n FROM alert_counters WHERE subject = 'eve.alerts'")).toBe(0);
    // And alerts.fire events the evaluation wrote itself are read past without counting.
    expect(count("SELECT count(*) AS n FROM alert_counters WHERE subject = 'system'")).toBe(0);
  });
});

describe('handling an alert', () => {
  it('an officer acknowledges an open alert with a note; ledgered in the same transaction', async () => {
    const a = (await alertsOf('denied_calls', 'mallory.viewer'))[0]!;
    const r = await t.call<ResponseOf<'alerts.acknowledge'>>('alerts.acknowledge', { id: a.id, note: 'Viewer exploring the menus; talked to them.' }, staff.officer);
    expect(r.alert).toMatchObject({ status: 'acknowledged', handledBy: 'maria.chen', note: 'Viewer exploring the menus; talked to them.', incidentId: null });
    const e = t.lastEvent('alerts.acknowledge')!;
    expect(e).toMatchObject({ actor: 'maria.chen', resource_id: a.id, outcome: 'success', details: { rule: 'denied_calls', subject: 'mallory.viewer', note: 'Viewer exploring the menus; talked to them.' } });
  });

  it('refuses to handle an acknowledged alert again: one refusal event, nothing else changes', async () => {
    const a = (await alertsOf('denied_calls', 'mallory.viewer'))[0]!;
    const size = t.eventCount();
    const incidents = count('SELECT count(*) AS n FROM incidents');
    for (const [channel, input] of [
      ['alerts.acknowledge', { id: a.id, note: 'Again.' }],
      ['alerts.escalate', { id: a.id, note: 'Escalate after all.' }],
    ] as const) {
      const before = t.eventCount();
      const r = await t.result(channel, input, staff.officer);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('conflict');
      const added = t.eventsAfter(before);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ action: channel, outcome: 'failure', resource_type: 'alert', resource_id: a.id });
    }
    expect(t.eventCount()).toBe(size + 2);
    expect(count('SELECT count(*) AS n FROM incidents')).toBe(incidents);
    expect((await alertsOf('denied_calls', 'mallory.viewer'))[0]).toMatchObject({ status: 'acknowledged', note: 'Viewer exploring the menus; talked to them.' });
  });

  it('only administrators and compliance officers handle alerts; viewers cannot read them', async () => {
    const a = (await alertsOf('failed_sign_ins', 'maria.chen'))[0]!;
    for (const session of [staff.auditor, staff.counsel, staff.viewer]) {
      const before = t.eventCount();
      const r = await t.result('alerts.acknowledge', { id: a.id, note: 'Mine.' }, session);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('forbidden');
      expect(t.eventsAfter(before)).toMatchObject([{ action: 'alerts.acknowledge', outcome: 'denied' }]);
    }
    // The auditor reads alerts; the viewer does not.
    expect((await t.call<List>('alerts.list', {}, staff.auditor)).total).toBeGreaterThan(0);
    const v = await t.result('alerts.list', {}, staff.viewer);
    expect(v.ok).toBe(false);
    expect((await alertsOf('failed_sign_ins', 'maria.chen'))[0]!.status).toBe('open');
  });

  it('escalating creates an incident (unauthorized access) linked to the alert, both events in one transaction', async () => {
    const a = (await alertsOf('failed_sign_ins', 'maria.chen'))[0]!;
    // Nobody handles an alert about themselves: the officer it is about is refused (one event, no change).
    const refusedAt = t.eventCount();
    expect(await t.result('alerts.escalate', { id: a.id, note: 'Nothing to see.' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.result('alerts.acknowledge', { id: a.id, note: 'Nothing to see.' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(t.eventsAfter(refusedAt).map((e) => [e.action, e.outcome])).toEqual([
      ['alerts.escalate', 'denied'],
      ['alerts.acknowledge', 'denied'],
    ]);
    const admin = await t.login();
    const before = t.eventCount();
    const r = await t.call<ResponseOf<'alerts.escalate'>>('alerts.escalate', { id: a.id, note: 'Password guessing from a shared terminal.' }, admin);
    expect(r.alert).toMatchObject({ status: 'escalated', incidentId: r.incidentId, handledBy: 'admin' });
    const added = t.eventsAfter(before);
    expect(added.map((e) => e.action)).toEqual(['incidents.create', 'alerts.escalate']);
    expect(added[1]!.details).toMatchObject({ incident: r.incidentId, note: 'Password guessing from a shared terminal.' });
    const inc = await t.call<ResponseOf<'incidents.get'>>('incidents.get', { id: r.incidentId }, staff.officer);
    expect(inc.incident).toMatchObject({ classification: 'unauthorized_access', severity: a.severity, discoveredAt: a.firedAt });
    expect(inc.incident.description).toContain(a.id);
    const d = await t.call<ResponseOf<'alerts.get'>>('alerts.get', { id: a.id }, staff.auditor);
    expect(d.alert.incidentId).toBe(r.incidentId);
    // The detail lists the failed sign-ins the rule counted in the window.
    expect(d.events.length).toBeGreaterThanOrEqual(FAILED.threshold!);
    expect(d.events.every((e) => e.action === 'session.login' && e.outcome === 'failure')).toBe(true);
  });

  it('an unknown alert is not found, recorded once', async () => {
    const before = t.eventCount();
    const r = await t.result('alerts.escalate', { id: 'ALR-1999-0001', note: 'x' }, staff.officer);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('not_found');
    expect(t.eventsAfter(before)).toMatchObject([{ action: 'alerts.escalate', outcome: 'failure' }]);
    await expect(t.call('alerts.acknowledge', { id: 'ALR-1999-0001', note: '' }, staff.officer)).rejects.toBeInstanceOf(CallError);
  });
});

describe('risk scores and the chart', () => {
  it("weigh a user's alerts, denied calls and failed sign-ins over the window", async () => {
    const r = await t.call<ResponseOf<'alerts.risk'>>('alerts.risk', {}, staff.auditor);
    const maria = r.items.find((i) => i.subject === 'maria.chen')!;
    const failures = count("SELECT sum(count) AS n FROM alert_counters WHERE rule = 'failed_sign_ins' AND subject = 'maria.chen'");
    expect(maria.failedSignIns).toBe(failures);
    // Her two sign-in bursts, and (depending on the hour the test runs) activity outside working hours.
    const hers = (await t.call<List>('alerts.list', { limit: 500 }, staff.officer)).items.filter((a) => a.subject === 'maria.chen');
    expect(hers.filter((a) => a.rule === 'failed_sign_ins')).toHaveLength(2);
    expect(maria.alerts).toBe(hers.length);
    const weights = hers.reduce((s, a) => s + policy.riskWeights.alert[a.severity]!, 0);
    expect(maria.score).toBeCloseTo(weights + failures * policy.riskWeights.failedSignIn, 5);
    const mallory = r.items.find((i) => i.subject === 'mallory.viewer')!;
    expect(mallory.denied).toBeGreaterThanOrEqual(2 * DENIED.threshold! - 1);
    expect(r.items.map((i) => i.score)).toEqual([...r.items.map((i) => i.score)].sort((x, y) => y - x));
  });

  it('counts alerts per day by rule', async () => {
    const r = await t.call<ResponseOf<'alerts.perDay'>>('alerts.perDay', { days: 7 }, staff.officer);
    expect(r.days).toHaveLength(7);
    const all = await t.call<List>('alerts.list', { limit: 500 }, staff.officer);
    const today = r.days[r.days.length - 1]!;
    expect(r.total).toBe(all.items.filter((a) => Date.parse(a.windowStart) > Date.now() - 8 * DAY).length);
    expect(Object.values(today.counts).reduce((x, y) => x + y, 0) + r.days.slice(0, -1).reduce((s, d) => s + Object.values(d.counts).reduce((x, y) => x + y, 0), 0)).toBe(r.total);
  });
});

describe('catching up', () => {
  it('failed sign-ins while the workspace was locked fire after the next unlock, as the app runs the rules', async () => {
    const u = await createTempWorkspace({ login: false });
    try {
      u.app.runsSchedule = true;
      const admin = await u.login();
      await u.call('users.create', { username: 'lena.ortiz', displayName: 'Lena Ortiz', role: 'compliance_officer', passphrase: PASSPHRASE }, admin);
      u.lock();
      // Locked: the failures wait in keyslots.json; one short of twice the threshold, so one window crosses it.
      for (let i = 0; i < 2 * FAILED.threshold! - 1; i++) expect((await u.result('session.login', { username: 'lena.ortiz', passphrase: 'guess' })).ok).toBe(false);
      await u.login();
      // The rules run on a timer after the sign-in (never inside it): yield until they have read the ledger.
      const settled = () => {
        const c = u.app.ws.db.prepare('SELECT seq FROM alert_cursor').get() as { seq: number } | undefined;
        return c !== undefined && c.seq >= u.eventCount() - 2 && u.lastEvent('alerts.fire') !== undefined;
      };
      while (!settled()) await new Promise((r) => setTimeout(r, 10));
      // (A sign-in of this hour may also be outside working hours: that rule is not what is tested here.)
      const fired = u.events().filter((e) => e.action === 'alerts.fire' && e.details.rule === 'failed_sign_ins');
      expect(fired).toHaveLength(1);
      expect(fired[0]!.details).toMatchObject({ rule: 'failed_sign_ins', subject: 'lena.ortiz' });
      // The alert came after the sign-in's own transaction, not inside it.
      const login = u.events().filter((e) => e.action === 'session.login' && e.outcome === 'success').pop()!;
      expect(fired[0]!.seq).toBeGreaterThan(login.seq);
    } finally {
      u.app.shutdown();
    }
  });
});

describe('export volume, record views and working hours', () => {
  let v: TempWorkspace;
  beforeAll(async () => {
    v = await createTempWorkspace();
    await v.call('workspace.setTimeZone', { timeZone: 'UTC' }, v.admin);
  });
  afterAll(() => v.app.shutdown());

  /** Appends events at given times (after everything else: the ledger's time never goes back). */
  function append(events: { at: number; actor: string; action: string; details?: Record<string, unknown> }[]): void {
    const w = v.app.ws;
    w.tx(() => {
      for (const e of events) w.ledger.append({ actor: e.actor, action: e.action, resource_type: 'x', resource_id: 'x', details: e.details ?? {} }, new Date(e.at));
    });
  }

  it('export volume fires only far above the user’s own baseline, and at least the floor', async () => {
    const r = policy.rules.export_volume!;
    // A Monday 10:00 UTC some weeks ahead, so the history can be written after the workspace's first events.
    const monday = Date.UTC(2099, 0, 5, 10);
    const history: Parameters<typeof append>[0] = [];
    for (let d = r.baselineDays!; d >= 1; d--) {
      history.push({ at: monday - d * DAY, actor: 'heavy.user', action: 'exports.execute', details: { rows: 4000 } });
      history.push({ at: monday - d * DAY + 1, actor: 'light.user', action: 'exports.execute', details: { rows: 10 } });
    }
    append(history);
    append([
      { at: monday, actor: 'heavy.user', action: 'exports.execute', details: { rows: 8000 } },
      { at: monday + 1, actor: 'light.user', action: 'exports.execute', details: { rows: r.minRows! - 1 } },
      { at: monday + 2, actor: 'light.user', action: 'exports.execute', details: { rows: 1 } },
      { at: monday + 3, actor: 'light.user', action: 'exports.execute', details: { rows: 5000 } },
    ]);
    evaluateAlerts(v.app.ws);
    const list = await v.call<List>('alerts.list', { rule: 'export_volume', limit: 500 }, v.admin);
    const day = new Date(monday - (monday % DAY)).toISOString();
    // Heavy: 8000 is twice their habit, not five times. Light: fires once, at the floor, in that day's window.
    const that = list.items.filter((a) => a.windowStart === day);
    expect(that.map((a) => [a.subject, a.count])).toEqual([['light.user', r.minRows]]);
    expect(that[0]!.baseline).toBeCloseTo(10, 5);
    // While heavy's habit was still young (no baseline yet), their 4000 rows a day did stand out: the first days fired.
    const heavy = list.items.filter((a) => a.subject === 'heavy.user').map((a) => a.windowStart).sort();
    expect(heavy.length).toBeGreaterThan(0);
    expect(heavy.length).toBeLessThan(r.baselineDays! / 2);
    expect(heavy[0]).toBe(new Date(monday - r.baselineDays! * DAY - ((monday - r.baselineDays! * DAY) % DAY)).toISOString());
    expect(list.items.filter((a) => a.subject === 'light.user')).toHaveLength(1);
  });

  it('record views in bulk, and activity outside working hours once per user and day', async () => {
    const bulk = policy.rules.bulk_record_views!;
    const tuesday = Date.UTC(2099, 0, 6, 10);
    append(Array.from({ length: 2 * bulk.threshold! - 1 }, (_, i) => ({ at: tuesday + i * 1000, actor: 'nosy.user', action: 'records.view' })));
    // Saturday from 03:00 UTC (one more action than the threshold, and one the rule does not watch), and Wednesday in office hours.
    const saturday = Date.UTC(2099, 0, 10, 3);
    const late = policy.rules.outside_working_hours!.threshold!;
    append([
      { at: saturday, actor: 'night.owl', action: 'session.login' },
      ...Array.from({ length: late }, (_, i) => ({ at: saturday + 3_600_000 + i, actor: 'night.owl', action: 'records.view' })),
      { at: saturday + 3_700_000, actor: 'night.owl', action: 'cases.list' },
      { at: saturday + 3 * DAY, actor: 'early.bird', action: 'session.login' },
      ...Array.from({ length: late * 3 }, (_, i) => ({ at: saturday + 4 * DAY + 8 * 3_600_000 + i, actor: 'day.worker', action: 'records.view' })),
    ]);
    evaluateAlerts(v.app.ws);
    const views = await v.call<List>('alerts.list', { rule: 'bulk_record_views' }, v.admin);
    expect(views.items.map((a) => [a.subject, a.count])).toEqual([['nosy.user', bulk.threshold]]);
    const night = (await v.call<List>('alerts.list', { rule: 'outside_working_hours', limit: 500 }, v.admin)).items.filter((a) => ['night.owl', 'early.bird', 'day.worker'].includes(a.subject));
    expect(night.map((a) => [a.subject, a.count])).toEqual([['night.owl', policy.rules.outside_working_hours!.threshold]]);
    const d = await v.call<ResponseOf<'alerts.get'>>('alerts.get', { id: night[0]!.id }, v.admin);
    expect(d.events.map((e) => e.action)).toEqual(['session.login', ...Array.from({ length: policy.rules.outside_working_hours!.threshold! }, () => 'records.view')]);
  });
});

describe('the demo', () => {
  it('stages a brute-force burst and a bulk export that fire alerts', async () => {
    const d = await withSimulatedClock(new Date(Date.now() - 30 * DAY), 1, async (clock) => {
      const made = await createTempWorkspace();
      await seedDemo(made.app.ws, { events: 1500, admin: ADMIN, passphrase: PASSPHRASE, days: 30, clock, secondFactor: true });
      return made;
    });
    try {
      const session = await d.login();
      evaluateAlerts(d.app.ws);
      const list = await d.call<List>('alerts.list', { limit: 500 }, session);
      const rules = list.items.map((a) => `${a.rule}:${a.subject}`);
      expect(rules.filter((r) => r === 'failed_sign_ins:david.okafor')).toHaveLength(1);
      expect(rules.filter((r) => r === 'export_volume:maria.chen')).toHaveLength(1);
      expect(rules.filter((r) => r === 'bulk_record_views:maria.chen')).toHaveLength(1);
      // Routine history is office work: outside-hours alerts come only from what ran at night (the
      // last stretch up to a present that is night, the staged bursts): at most one per user and day.
      expect(rules.filter((r) => r.startsWith('outside_working_hours')).length).toBeLessThan(15);
    } finally {
      d.app.shutdown();
    }
  }, 120_000);
});
