import { randomInt } from 'node:crypto';
import type { Role } from '../../shared/roles.js';
import { createUser, findUser } from './auth/users.js';
import { seedCaseManagementDemo } from './cases/demo-seed.js';
import { seedFerpaDemo } from './disclosures/demo-seed.js';
import type { Workspace } from './workspace.js';

export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'maria.chen', displayName: 'Maria Chen', role: 'compliance_officer' },
  { username: 'david.okafor', displayName: 'David Okafor', role: 'legal_counsel' },
  { username: 'priya.raman', displayName: 'Priya Raman', role: 'auditor' },
  { username: 'sam.wright', displayName: 'Sam Wright', role: 'viewer' },
];

const STUDENTS = ['S-10442', 'S-10871', 'S-11203', 'S-11590', 'S-12007', 'S-12318', 'S-12764', 'S-13025'];
const CATEGORIES = ['academic', 'disciplinary', 'health', 'financial_aid', 'directory'];

/** Domain seeders (cases, holds, …) register here so `custos demo` grows with the product. */
export type DemoSeeder = (ws: Workspace, ctx: { users: typeof DEMO_USERS; admin: string; days: number }) => number;
export const demoSeeders: DemoSeeder[] = [];

/**
 * Fills a workspace with realistic activity: demo users, whatever the registered seeders create,
 * then routine access events (record views, searches, sign-ins, some denials) up to `events` in total.
 * Batches of 10,000 events per transaction keep a million events to seconds. Run it under
 * `withSimulatedClock` (as `custos demo` does) to spread the history over past months.
 */
export function seedDemo(
  ws: Workspace,
  opts: { events: number; admin: string; passphrase: string; days?: number; onProgress?: (done: number, total: number) => void },
): { events: number } {
  const days = opts.days ?? 180;
  for (const u of DEMO_USERS) {
    if (!findUser(ws, u.username)) createUser(ws, opts.admin, { ...u, passphrase: opts.passphrase });
  }
  for (const seeder of demoSeeders) seeder(ws, { users: DEMO_USERS, admin: opts.admin, days });
  const start = ws.ledger.head().size;
  const target = Math.max(opts.events, start);
  const people = DEMO_USERS.map((u) => u.username).concat(opts.admin);
  const batch = 10_000;
  for (let done = start; done < target; ) {
    const n = Math.min(batch, target - done);
    // Timestamps come from the core clock, which `custos demo` runs simulated over the chosen span.
    ws.tx(() => {
      for (let i = 0; i < n; i++) ws.ledger.append(routineEvent(people, done + i));
    });
    done += n;
    opts.onProgress?.(done, target);
  }
  ws.tx(() => ws.signCheckpoint('demo'));
  return { events: ws.ledger.head().size };
}

function pick<T>(xs: readonly T[]): T {
  return xs[randomInt(xs.length)] as T;
}

function routineEvent(people: string[], k: number) {
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
    resource_id: `${student}/${pick(CATEGORIES)}`,
    details: { subject: student, purpose: pick(['case review', 'amendment review', 'subpoena scoping', 'hold scoping']) },
  };
}

demoSeeders.push(seedCaseManagementDemo);
// FERPA work runs after the seeders that create subjects and records (registered above this line).
demoSeeders.push(seedFerpaDemo);
