import { randomInt } from 'node:crypto';
import type { Role } from '../../../shared/roles.js';
import { createUser, findUser } from '../auth/users.js';
import { seedCaseManagementDemo } from './casework.js';
import { complianceHistory, seedComplianceDemo } from './compliance.js';
import type { SimulatedClock } from '../clock.js';
import { seedFerpaDemo } from './ferpa.js';
import { seedIncidentDemo } from './incidents.js';
import { seedMfaDemo } from './mfa.js';
import { seedReportsDemo } from './reports.js';
import { seedRetentionDemo } from './retention.js';
import { seedPrivacyDemo } from './privacy.js';
import { catchUpSchedulesDemo, seedSchedulesDemo } from './schedules.js';
import { retentionCategories } from '../domain/retention-policy.js';
import type { Workspace } from '../workspace.js';
import { seedOverdueRequestDemo, seedWorkflowsDemo } from './workflows.js';
import { escalateDemoAlert, seedAlertsDemo, workingTimes } from './alerts.js';
import { now as clockNow } from '../clock.js';
import { workspaceTimeZone } from '../time-zone.js';

export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'maria.chen', displayName: 'Maria Chen', role: 'compliance_officer' },
  { username: 'david.okafor', displayName: 'David Okafor', role: 'legal_counsel' },
  { username: 'priya.raman', displayName: 'Priya Raman', role: 'auditor' },
  { username: 'sam.wright', displayName: 'Sam Wright', role: 'viewer' },
];

const STUDENTS = ['S-10442', 'S-10871', 'S-11203', 'S-11590', 'S-12007', 'S-12318', 'S-12764', 'S-13025'];

const DAY = 86_400_000;
/** About as many events as the seeders append; routine history fills the rest of `--events`. */
const CASEWORK_RESERVE = 450;
/**
 * The casework happens in the last stretch of the history, with readings of the clock this far apart.
 * Just over two days: what starts first (an overdue data-subject request, demo/workflows.ts) is then
 * overdue at whatever hour the demo is made or opened.
 */
const CASEWORK_SPAN_MS = 2 * DAY + 60 * 60_000;
const CASEWORK_STEP_MS = 90_000;
/** Earlier rounds of the compliance program in the routine history, and about as many events as they append. */
const HISTORY_ROUNDS = 4;
const HISTORY_RESERVE = 300;
/** Events kept for the end of the history, after the scheduled exports' catch-up (a skip, a request, its run). */
const SCHEDULE_RESERVE = 10;

/**
 * Domain seeders (cases, holds, …) are listed in DEMO_SEEDERS so `custos demo` grows with the product. A seeder
 * dates everything it makes from the core clock (clock.ts), never from `Date.now()`, so its rows,
 * the dates inside them and their ledger events all tell the same story. It may be asynchronous
 * (producing a subpoena renders PDFs).
 */
export type DemoSeeder = (ws: Workspace, ctx: { users: typeof DEMO_USERS; admin: string; days: number }) => number | Promise<number>;

/**
 * The domain seeders, in order: the compliance program first (its re-assessments scheduled for the
 * next day are overdue by the end of the casework window), then casework, then FERPA work, which
 * uses the subjects and records casework creates, then workflows, then the reports that read it all.
 */
const DEMO_SEEDERS: readonly DemoSeeder[] = [
  // First: a request whose step is overdue at any hour the demo opens (it needs the casework's first hour).
  seedOverdueRequestDemo,
  // Then: the scheduled exports were defined when the casework began, so they have missed runs by now.
  seedSchedulesDemo,
  seedComplianceDemo,
  seedCaseManagementDemo,
  seedFerpaDemo,
  seedIncidentDemo,
  seedWorkflowsDemo,
  seedReportsDemo,
  seedRetentionDemo,
  seedPrivacyDemo,
  seedAlertsDemo,
];

export interface DemoOptions {
  events: number;
  admin: string;
  passphrase: string;
  days?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * The simulated clock `custos demo` runs a new workspace under (clock.ts). With it the history
   * ends at the real present: routine activity spread over the past `days`, then the casework in
   * its last two days (so deadlines, reminders and notices are current whenever the demo is opened),
   * then routine activity up to now.
   */
  clock?: SimulatedClock;
  /**
   * `custos demo` of a new workspace: one demo user enrols a second factor (its secret is returned
   * for the command to print) and the administrator's grace to enrol restarts (demo/mfa.ts).
   */
  secondFactor?: boolean;
}

/**
 * Fills a workspace with realistic activity: demo users, whatever the registered seeders create,
 * and routine access events (record views, searches, sign-ins, some denials) up to `events` in total.
 * Batches of 10,000 events per transaction keep a million events to seconds.
 */
export async function seedDemo(ws: Workspace, opts: DemoOptions): Promise<{ events: number; mfa: ReturnType<typeof seedMfaDemo> }> {
  const days = opts.days ?? 180;
  const end = Date.now();
  const clock = opts.clock;
  for (const u of DEMO_USERS) {
    if (!findUser(ws, u.username)) createUser(ws, { actor: opts.admin }, { ...u, passphrase: opts.passphrase });
  }
  const target = Math.max(opts.events, ws.ledger.head().size);
  const people = DEMO_USERS.map((u) => u.username).concat(opts.admin);
  const categories = retentionCategories().map((c) => c.key);
  const zone = workspaceTimeZone(ws).timeZone;
  const routine = (upTo: number, until: number) => {
    const from = ws.ledger.head().size;
    if (clock && upTo > from) clock.setStep(Math.max(1, Math.floor((until - clock.peek().getTime()) / (upTo - from + 1))));
    const atWork = workingTimes(clock?.peek().getTime() ?? Date.now(), until, upTo - from, zone);
    for (let done = from; done < upTo; ) {
      const n = Math.min(10_000, upTo - done);
      ws.tx(() => {
        for (let i = 0; i < n; i++) ws.ledger.append(routineEvent(people, categories, done + i), atWork(done + i - from, clockNow()));
      });
      done += n;
      opts.onProgress?.(done, target);
    }
  };

  // 1. Routine history up to where the casework begins, with the compliance program's earlier
  // rounds at even stretches of it (so its numbers have a history).
  const caseworkFrom = end - Math.min(CASEWORK_SPAN_MS, (days * DAY) / 2);
  const history = complianceHistory(ws, { users: DEMO_USERS, admin: opts.admin, days });
  const historyFrom = ws.ledger.head().size;
  const historyTo = Math.max(historyFrom, target - CASEWORK_RESERVE - (history ? HISTORY_RESERVE : 0));
  const startMs = clock?.peek().getTime() ?? end;
  for (let r = 0; history && r < HISTORY_ROUNDS; r++) {
    const share = (r + 1) / (HISTORY_ROUNDS + 1);
    routine(Math.floor(historyFrom + (historyTo - historyFrom) * share), startMs + (caseworkFrom - startMs) * share);
    clock?.setStep(CASEWORK_STEP_MS);
    history(r, HISTORY_ROUNDS);
  }
  routine(historyTo, caseworkFrom);
  // 2. The casework, through the real services.
  if (clock) {
    clock.set(new Date(Math.max(clock.peek().getTime(), caseworkFrom)));
    clock.setStep(CASEWORK_STEP_MS);
  }
  for (const seeder of DEMO_SEEDERS) await seeder(ws, { users: DEMO_USERS, admin: opts.admin, days });
  // A new workspace's history is made up: its administrator's grace to enrol starts at their first real sign-in.
  const mfa = opts.secondFactor ? seedMfaDemo(ws, opts.admin) : null;
  // 3. Routine activity up to the present.
  // A new workspace's alert rules read its history once, and one alert is already escalated.
  if (clock) escalateDemoAlert(ws, DEMO_USERS, opts.admin);
  // A minute before the present, the scheduled exports that missed runs catch up, as a host's first
  // unlock would (demo/schedules.ts); its few events are inside the requested count.
  routine(Math.max(ws.ledger.head().size, target - SCHEDULE_RESERVE), end - 60_000);
  if (clock) {
    clock.set(new Date(Math.max(clock.peek().getTime(), end - 60_000)));
    clock.setStep(1);
  }
  await catchUpSchedulesDemo(ws);
  routine(target, end);
  ws.tx(() => ws.signCheckpoint('demo'));
  return { events: ws.ledger.head().size, mfa };
}

function pick<T>(xs: readonly T[]): T {
  return xs[randomInt(xs.length)] as T;
}

function routineEvent(people: string[], categories: readonly string[], k: number) {
  const actor = pick(people);
  const roll = k % 97;
  if (roll === 0) {
    return { actor, action: 'evidence.dispose', resource_type: 'evidence', resource_id: `EV-${1000 + (k % 400)}`, outcome: 'denied' as const, details: { code: 'held', reason: 'under legal hold' } };
  }
  if (roll < 4) {
    return { actor: 'sam.wright', action: 'cases.update', resource_type: 'channel', resource_id: 'cases.update', outcome: 'denied' as const, details: { reason: 'role', role: 'viewer' } };
  }
  if (roll < 14) return { actor, action: 'session.login', resource_type: 'user', resource_id: actor, details: {} };
  if (roll < 20) return { actor, action: 'ledger.query', resource_type: 'ledger', resource_id: 'events', details: { filter: { action: pick(['evidence.*', 'holds.*', 'disclosures.*']) } } };
  const student = pick(STUDENTS);
  return {
    actor,
    action: 'records.view',
    resource_type: 'record',
    resource_id: `${student}/${pick(categories)}`,
    details: { subject: student, purpose: pick(['case review', 'amendment review', 'subpoena scoping', 'hold scoping']) },
  };
}
