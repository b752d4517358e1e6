import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, EVENT_NAMES as CONTRACT_EVENTS } from '../../shared/contract.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { EVENT_SHAPES } from '../../electron/core/event-catalog.js';
import { AMENDMENT_EVENTS } from '../../electron/core/amendments/events.js';
import { AUTH_EVENTS } from '../../electron/core/auth/events.js';
import { BUNDLE_EVENTS } from '../../electron/core/bundle/events.js';
import { CASE_EVENTS } from '../../electron/core/cases/events.js';
import { DEADLINE_EVENTS } from '../../electron/core/deadlines/events.js';
import { DISCLOSURE_EVENTS } from '../../electron/core/disclosures/events.js';
import { EVIDENCE_EVENTS } from '../../electron/core/evidence/events.js';
import { EXPORT_EVENTS } from '../../electron/core/exports/events.js';
import { FILE_EVENTS } from '../../electron/core/files/events.js';
import { COMPLIANCE_EVENTS } from '../../electron/core/compliance/events.js';
import { INCIDENT_EVENTS } from '../../electron/core/incidents/events.js';
import { RETENTION_EVENTS } from '../../electron/core/retention/events.js';
import { ALERT_EVENTS } from '../../electron/core/alerts/events.js';
import { PRIVACY_EVENTS } from '../../electron/core/privacy/events.js';
import { WITNESS_EVENTS } from '../../electron/core/witness/events.js';
import { HOLD_EVENTS } from '../../electron/core/holds/events.js';
import { LEDGER_EVENTS } from '../../electron/core/ledger/events.js';
import { MFA_EVENTS } from '../../electron/core/mfa/events.js';
import { REPORT_EVENTS } from '../../electron/core/reports/events.js';
import { SUBJECT_EVENTS } from '../../electron/core/subjects/events.js';
import { SUBPOENA_EVENTS } from '../../electron/core/subpoenas/events.js';
import { WORKFLOW_EVENTS } from '../../electron/core/workflows/events.js';
import { CONSENT_EVENTS } from '../../electron/core/consents/events.js';
import { FERPA_EVENTS } from '../../electron/core/ferpa/events.js';
import { SCHEDULE_EVENTS } from '../../electron/core/schedules/events.js';
import { createMasker, PSEUDONYM_PREFIX, REDACTED, getMaskingProfile } from '../../electron/core/exports/masking.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { undeclaredDetails } from './helpers/event-shapes.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs } from './helpers/workspace.js';

// Issue 9 §6: each action's details shape is declared once, beside the code that writes it, and
// masking reads the declaration. This file proves the declarations are complete (every action the
// core's source can emit, every field the demo emits; mutating-channels.test.ts checks every field
// each mutating channel emits) and that masking follows them.

afterAll(removeTempDirs);

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CORE = join(ROOT, 'electron/core');
const DOMAIN_SHAPES = [
  AUTH_EVENTS,
  LEDGER_EVENTS,
  CASE_EVENTS,
  SUBJECT_EVENTS,
  EVIDENCE_EVENTS,
  HOLD_EVENTS,
  AMENDMENT_EVENTS,
  SUBPOENA_EVENTS,
  DISCLOSURE_EVENTS,
  DEADLINE_EVENTS,
  EXPORT_EVENTS,
  BUNDLE_EVENTS,
  FILE_EVENTS,
  COMPLIANCE_EVENTS,
  WORKFLOW_EVENTS,
  MFA_EVENTS,
  CONSENT_EVENTS,
  FERPA_EVENTS,
  REPORT_EVENTS,
  INCIDENT_EVENTS,
  RETENTION_EVENTS,
  ALERT_EVENTS,
  PRIVACY_EVENTS,
  WITNESS_EVENTS,
  SCHEDULE_EVENTS,
];

function coreSources(): { file: string; text: string }[] {
  return readdirSync(CORE, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, 'utf8') }));
}

const EVENT_NAMES = new Set<string>(CONTRACT_EVENTS);
const READ_CHANNELS = new Set<string>(CHANNEL_NAMES.filter((c) => !contract[c].mutates));
/** Dotted literals of the core that are not actions, and why. */
const NOT_ACTIONS: Record<string, string> = {
  'evidence.download': 'a value of evidence.access details.via',
  'evidence.view': 'a value of evidence.access details.via',
  'subpoenas.productionRequires': 'the key of a FERPA setting (ferpa_settings)',
  'disclosures.otherBasis': 'the key of a FERPA setting (ferpa_settings)',
};
const FILE_NAME = /\.(json|ndjson|pdf|csv|xml|zip|txt|pem|sig|note|db)$/;
const NAMESPACES = new Set(Object.keys(EVENT_SHAPES).map((a) => a.split('.')[0]!));

describe('event shapes', () => {
  it('each action is declared by exactly one domain', () => {
    const all = DOMAIN_SHAPES.flatMap((s) => Object.keys(s));
    expect(all.filter((a, i) => all.indexOf(a) !== i)).toEqual([]);
    expect(Object.keys(EVENT_SHAPES).length).toBe(all.length);
  });

  it('every action named in the core source is declared', () => {
    const missing = new Set<string>();
    for (const { file, text } of coreSources()) {
      // Handlers are keyed by channel name; the events they write are checked where the services write them.
      if (file.endsWith('/events.ts') || file.endsWith('event-catalog.ts') || file.includes('/handlers/')) continue;
      // `action: 'x.y'` literals, and action names handed to a transition helper ('amendments.decide').
      for (const m of text.matchAll(/'([a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)+)'/g)) {
        const name = m[1]!;
        if (!NAMESPACES.has(name.split('.')[0]!)) continue;
        if (READ_CHANNELS.has(name) || EVENT_NAMES.has(name) || FILE_NAME.test(name) || Object.hasOwn(NOT_ACTIONS, name)) continue;
        if (Object.hasOwn(EVENT_SHAPES, name)) continue;
        // Template families (`evidence.${action}`) are declared by their members; a bare prefix is not an action.
        missing.add(`${name} (${file})`);
      }
      for (const m of text.matchAll(/action: `([a-zA-Z]+)\.\$\{/g)) expect(NAMESPACES.has(m[1]!), `${file}: action family ${m[1]}.*`).toBe(true);
    }
    expect([...missing]).toEqual([]);
  });

  it('every field of every event the demo writes is declared', { timeout: 180_000 }, async () => {
    const t = await createTempWorkspace();
    await seedDemo(t.app.ws, { events: 1500, admin: ADMIN, passphrase: PASSPHRASE, days: 30 });
    const events = t.events();
    expect(new Set(events.map((e) => e.action)).size).toBeGreaterThan(30);
    expect(undeclaredDetails(events)).toEqual([]);
  });

  it('finds an undeclared field and an undeclared action', () => {
    const base = { seq: 1, outcome: 'success' };
    expect(undeclaredDetails([{ ...base, action: 'cases.assign', details: { from: 'a', to: 'b', whom: 'c' } }])).toEqual(['1 cases.assign.whom']);
    expect(undeclaredDetails([{ ...base, action: 'cases.teleport', details: {} }])).toEqual(['1 cases.teleport (no declared shape)']);
    // A refusal of any channel carries the refusal fields only.
    expect(undeclaredDetails([{ ...base, outcome: 'denied', action: 'cases.list', details: { reason: 'role', role: 'viewer' } }])).toEqual([]);
  });
});

describe('masking follows the declarations', () => {
  const event = (action: string, details: Record<string, unknown>): LedgerEvent => ({
    seq: 7,
    ts: '2026-12-01T10:00:00.000Z',
    actor: 'maria.chen',
    action,
    resource_type: 'case',
    resource_id: 'CASE-2026-0001',
    outcome: 'success',
    details,
    prev_hash: '0'.repeat(64),
    hash: '1'.repeat(64),
  });

  it('pseudonymizes and redacts the assignee of cases.assign', () => {
    const assign = event('cases.assign', { from: 'david.okafor', to: 'priya.raman' });
    const pseudo = createMasker(getMaskingProfile('pseudonymize-people'), Buffer.alloc(32, 7))(assign);
    expect(pseudo.details.to).toMatch(new RegExp(`^${PSEUDONYM_PREFIX}[0-9a-f]{16}$`));
    expect(pseudo.details.from).toMatch(new RegExp(`^${PSEUDONYM_PREFIX}`));
    expect(JSON.stringify(pseudo)).not.toContain('priya.raman');
    const redacted = createMasker(getMaskingProfile('redact-people'), Buffer.alloc(32, 7))(assign);
    expect(redacted.details).toMatchObject({ from: REDACTED, to: REDACTED });
  });

  it('keeps what a declaration calls data: the states of cases.setStatus', () => {
    const status = event('cases.setStatus', { from: 'open', to: 'closed', reason: 'Resolved.' });
    const masked = createMasker(getMaskingProfile('pseudonymize-people'), Buffer.alloc(32, 7))(status);
    expect(masked.details).toMatchObject({ from: 'open', to: 'closed' });
  });

  it('masks the actor named inside ledger filters, and only that', () => {
    const query = event('ledger.query', { filter: { actor: 'sam.wright', action: 'evidence.*' } });
    const masked = createMasker(getMaskingProfile('redact-people'), Buffer.alloc(32, 7))(query);
    expect(masked.details.filter).toEqual({ actor: REDACTED, action: 'evidence.*' });
  });
});
