import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, readClasses, CHANNEL_NAMES, type ChannelName } from '../../shared/contract.js';
import { RESTRICTED, RESTRICTED_CLASSES, type RestrictedClass } from '../../shared/data-classes.js';
import { ROLES, maySee, type Role } from '../../shared/roles.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { evaluateAlerts } from '../../electron/core/alerts/evaluate.js';
import { declaredPaths, replacementFor, schemaAt } from '../../electron/core/read-view.js';
import { ADMIN, PASSPHRASE, createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';
import { cosignerVerifierKey } from '../../electron/core/ledger/cosignature.js';
import { generateSigningKey, loadSigningKey } from '../../electron/core/ledger/signing.js';

// Every read channel of the contract × every role, on a workspace with the demo's casework and one
// more student whose every detail is a value found nowhere else: no answer may contain a value of a
// class the role does not see (shared/roles.ts ROLE_DATA_CLASSES), and a read channel without a
// declaration fails here, so a new one cannot ship undeclared.

const READ_CHANNELS = CHANNEL_NAMES.filter((c) => !contract[c].mutates);

/** Values of each class seeded into the workspace; filled by beforeAll. */
const seeded: Record<RestrictedClass, Set<string>> = { personal: new Set(), student_record: new Set(), security: new Set() };

interface Ids {
  caseId: string;
  subjectId: string;
  recordId: string;
  evidenceId: string;
  holdId: string;
  amendmentId: string;
  subpoenaId: string;
  disclosureId: string;
  workflowId: string;
  incidentId: string;
  privacyRequestId: string;
}

let t: TempWorkspace;
let ids: Ids;
/** An alert the demo's bursts fired. */
let alertId = '';
const sessions = new Map<Role, string>();

/** One valid request per read channel. */
const requests: Record<string, (i: Ids) => unknown> = {
  'workspace.status': () => ({}),
  'session.me': () => ({}),
  'users.list': () => ({}),
  'users.choices': () => ({}),
  'ledger.head': () => ({}),
  'ledger.query': () => ({ limit: 500 }),
  'ledger.event': () => ({ seq: 1 }),
  'ledger.facets': () => ({}),
  'ledger.stats': () => ({ days: 30 }),
  'jobs.cancel': () => ({ jobId: 'job-nothing-running' }),
  'cases.list': () => ({}),
  'cases.get': (i) => ({ id: i.caseId }),
  'cases.timeline': (i) => ({ id: i.caseId, limit: 500 }),
  'subjects.list': () => ({ limit: 500 }),
  'subjects.get': (i) => ({ id: i.subjectId }),
  'records.categories': () => ({}),
  'records.get': (i) => ({ id: i.recordId }),
  'records.list': () => ({ limit: 500 }),
  'evidence.list': () => ({}),
  'evidence.get': (i) => ({ id: i.evidenceId }),
  'evidence.content': (i) => ({ id: i.evidenceId, purpose: 'read-access test' }),
  'evidence.export': (i) => ({ id: i.evidenceId, purpose: 'read-access test' }),
  'evidence.custodyReport': (i) => ({ id: i.evidenceId, format: 'json' }),
  'holds.list': () => ({}),
  'holds.get': (i) => ({ id: i.holdId }),
  'holds.heldItems': (i) => ({ id: i.holdId }),
  'holds.due': () => ({ withinDays: 3650 }),
  'holds.check': (i) => ({ resourceType: 'subject', id: i.subjectId }),
  'amendments.list': () => ({}),
  'amendments.get': (i) => ({ id: i.amendmentId }),
  'subpoenas.list': () => ({}),
  'subpoenas.get': (i) => ({ id: i.subpoenaId }),
  'disclosures.list': () => ({}),
  'disclosures.get': (i) => ({ id: i.disclosureId }),
  'disclosures.accounting': (i) => ({ subjectId: i.subjectId, audience: 'internal' }),
  'consents.list': (i) => ({ subjectId: i.subjectId }),
  'ferpa.policy': () => ({}),
  'deadlines.list': () => ({}),
  'accessRequests.list': () => ({}),
  'imports.list': () => ({}),
  'imports.get': () => ({ id: 1 }),
  'imports.events': () => ({ importId: 1 }),
  'imports.stats': () => ({ importId: 1 }),
  'imports.findings': () => ({ importId: 1 }),
  'imports.pins': () => ({}),
  'files.pick': () => ({ purpose: 'evidence' }),
  'exports.list': () => ({}),
  'exports.profiles': () => ({}),
  'schedules.list': () => ({}),
  // The demo's scheduled export (demo/schedules.ts).
  'schedules.runs': () => ({ id: 'SCH-0001' }),
  'frameworks.list': () => ({}),
  'requirements.list': () => ({}),
  'requirements.get': () => ({ frameworkId: 'hipaa', requirementId: '§164.312(b)' }),
  'frameworks.history': () => ({ id: 'hipaa', days: 90 }),
  'workflows.templates': () => ({}),
  'workflows.list': () => ({}),
  'workflows.get': (i) => ({ id: i.workflowId }),
  'mfa.status': () => ({}),
  'mfa.policy': () => ({}),
  'sessions.list': () => ({}),
  'reports.kinds': () => ({}),
  'reports.list': () => ({}),
  'incidents.list': () => ({}),
  'incidents.get': (i) => ({ id: i.incidentId }),
  'privacyRequests.list': () => ({}),
  'privacyRequests.get': (i) => ({ id: i.privacyRequestId }),
  'retention.policies': () => ({}),
  'retention.preview': () => ({}),
  'alerts.list': () => ({}),
  'alerts.get': () => ({ id: alertId }),
  'alerts.risk': () => ({}),
  'alerts.perDay': () => ({ days: 30 }),
  'witness.identity': () => ({}),
  'witness.countersigns': () => ({ importId: 1 }),
  'witness.describeKey': () => ({ vkey: cosignerVerifierKey('custos-witness/sample', loadSigningKey(generateSigningKey()).publicKey) }),
  'witness.heads': () => ({}),
};

/** Channels whose sample names something this workspace does not have (no bundle was imported), or that need a host it does not have. */
const NOT_FOUND_OK = new Set(['imports.get', 'imports.events', 'imports.stats', 'imports.findings', 'witness.countersigns']);
/** files.pick answers `unavailable` without the desktop shell's own file dialog (tests run without it), or `forbidden` to a role that may not hand over a file of that purpose. */
const UNAVAILABLE_OK = new Set(['files.pick']);

const call = async <T>(channel: string, input: unknown, role: Role = 'admin'): Promise<T> => t.call<T>(channel as ChannelName, input, sessions.get(role));

function mark(cls: RestrictedClass, ...values: (string | null | undefined)[]): void {
  for (const v of values) if (v) seeded[cls].add(v);
}

beforeAll(async () => {
  t = await createTempWorkspace();
  sessions.set('admin', t.admin);
  // Display names of the staff are personal data; usernames are how the ledger names actors.
  const staff: [string, Role, string][] = [
    ['olga.officer', 'compliance_officer', 'Olga Pemberton-Officer'],
    ['lars.counsel', 'legal_counsel', 'Lars Quillfeather'],
    ['aud.itor', 'auditor', 'Audra Nightingale'],
    ['vik.viewer', 'viewer', 'Viktor Viewing'],
  ];
  for (const [username, role, displayName] of staff) {
    sessions.set(role, await t.addUser(username, role, displayName));
    if (role !== 'viewer') mark('personal', displayName);
  }
  await seedDemo(t.app.ws, { events: 0, admin: ADMIN, passphrase: PASSPHRASE, days: 30 });
  evaluateAlerts(t.app.ws);
  alertId = (t.app.ws.db.prepare('SELECT id FROM alerts ORDER BY id LIMIT 1').get() as { id: string }).id;

  // One student whose every detail is unique to it.
  const { subject } = await call<{ subject: { id: string } }>('subjects.create', {
    displayName: 'Quintessa Marlowe-Vane',
    email: 'q.marlowe.vane@students.example.edu',
    dateOfBirth: '2007-11-23',
    externalId: 'STU-884213',
    kind: 'student',
  });
  mark('student_record', 'Quintessa Marlowe-Vane', 'q.marlowe.vane@students.example.edu', '2007-11-23', 'STU-884213');
  const { record } = await call<{ record: { id: string } }>('records.create', {
    subjectId: subject.id,
    category: 'academic',
    title: 'Disciplinary hearing minutes Zephyrine',
    content: 'Minutes: Zephyrine content of the record.',
    source: 'registrar',
    recordDate: '2025-03-14',
  });
  mark('student_record', 'Disciplinary hearing minutes Zephyrine', 'Zephyrine content');
  const c = await call<{ case: { id: string } }>('cases.create', { title: 'Conduct review of Quintessa Marlowe-Vane', type: 'investigation', description: 'Narrative Halvorsen-7731 about the student.' });
  mark('student_record', 'Halvorsen-7731');
  const caseId = c.case.id;
  await call('cases.addNote', { id: caseId, body: 'Phoned the family; note Brightwater-5521.' });
  mark('student_record', 'Brightwater-5521');
  await call('cases.link', { id: caseId, itemType: 'subject', itemId: subject.id });
  await call('cases.link', { id: caseId, itemType: 'record', itemId: record.id });
  const { evidence } = await call<{ evidence: { id: string } }>('evidence.ingestContent', {
    fileName: 'Ravensholm-4471.txt',
    contentBase64: Buffer.from('Witness statement Ravensholm-content').toString('base64'),
    title: 'Statement Ravensholm-3310',
    description: 'Described Ravensholm-3311',
    source: 'Source Ravensholm-3312',
    collectedBy: 'Collector Ignatius Pell',
    custodian: 'Custodian Ottoline Vasque',
    caseId,
  });
  mark('student_record', 'Ravensholm-4471', 'Ravensholm-3310', 'Ravensholm-3311', 'Ravensholm-3312');
  mark('personal', 'Collector Ignatius Pell', 'Custodian Ottoline Vasque');
  await call('evidence.transfer', { id: evidence.id, to: 'Recipient Perpetua Xanthos', purpose: 'Purpose Ravensholm-9913' });
  mark('personal', 'Recipient Perpetua Xanthos');
  mark('student_record', 'Purpose Ravensholm-9913');
  const { hold } = await call<{ hold: { id: string } }>('holds.create', {
    caseId,
    title: 'Preserve what Quintessa Marlowe-Vane wrote',
    description: 'Hold text Wintermarch-6610.',
    custodians: [{ name: 'Harriet Custodian-Blom', email: 'h.blom@staff.example.edu' }],
    scope: { subjectIds: [subject.id], categories: [], dateFrom: null, dateTo: null, keywords: ['Wintermarch-6620'] },
  });
  mark('student_record', 'Wintermarch-6610', 'Wintermarch-6620');
  mark('personal', 'Harriet Custodian-Blom', 'h.blom@staff.example.edu');
  await call('holds.activate', { id: hold.id });
  await call('holds.issueNotices', { id: hold.id });
  const { amendment } = await call<{ amendment: { id: string } }>('amendments.receive', {
    recordId: record.id,
    matter: 'clerical_error',
    requestedChange: 'Change Thornbury-2209',
    reason: 'Reason Thornbury-2210',
  });
  mark('student_record', 'Thornbury-2209', 'Thornbury-2210');
  const { subpoena } = await call<{ subpoena: { id: string } }>('subpoenas.receive', {
    subjectId: subject.id,
    issuer: 'Judge Cordelia Stonebridge',
    type: 'court_order',
    requestedRecords: 'Records Calloway-5150.',
    servedAt: '2026-01-05',
    dueAt: '2099-02-05',
  });
  mark('student_record', 'Calloway-5150');
  mark('personal', 'Judge Cordelia Stonebridge');
  const { disclosure } = await call<{ disclosure: { id: string } }>('disclosures.record', {
    subjectId: subject.id,
    recordIds: [record.id],
    recipient: 'Recipient Ambrose Ashdown',
    basis: 'other_institution',
    basisDetail: 'Detail Fenwick-8080 (99.31(a)(2)).',
    purpose: 'Purpose Fenwick-8081',
  });
  mark('student_record', 'Fenwick-8080', 'Fenwick-8081');
  mark('personal', 'Recipient Ambrose Ashdown');
  const { consent } = await call<{ consent: { id: string } }>('consents.record', {
    subjectId: subject.id,
    givenBy: 'parent',
    signerName: 'Signer Quillon-7070',
    recipient: 'Recipient Marisol Vantongeren',
    purpose: 'Purpose Quillon-7071',
    categories: ['grades'],
    recordIds: [record.id],
    signedAt: '2026-01-05',
  });
  await call('consents.revoke', { id: consent.id, reason: 'Revoked Quillon-7072' });
  mark('student_record', 'Signer Quillon-7070', 'Purpose Quillon-7071', 'Revoked Quillon-7072');
  mark('personal', 'Recipient Marisol Vantongeren');
  await call('accessRequests.create', { subjectId: subject.id, requester: 'Requester Philippa Fennimore', description: 'Inspect Gallowmere-4040.' });
  mark('personal', 'Requester Philippa Fennimore');
  mark('student_record', 'Gallowmere-4040');

  const { incident } = await call<{ incident: { id: string } }>('incidents.create', {
    title: 'Mailbox breach',
    classification: 'data_breach',
    severity: 'high',
    description: 'Attachments of Quintessa Marlowe-Vane left, Orrinwood-7070.',
    caseId,
  });
  await call('incidents.completeTask', { id: incident.id, task: 'isolate', note: 'Isolated Orrinwood-7071.' });
  await call('incidents.addAction', { id: incident.id, text: 'Action Orrinwood-7072.' });
  await call('incidents.recordNotification', { id: incident.id, recipientType: 'student', recipient: 'Notified Beatrix Vollmer', method: 'letter', note: 'Letter Orrinwood-7073.' });
  await call('incidents.counselReview', { id: incident.id, note: 'Review Orrinwood-7074.' }, 'legal_counsel');
  mark('student_record', 'Orrinwood-7070', 'Orrinwood-7071', 'Orrinwood-7072', 'Orrinwood-7073', 'Orrinwood-7074');
  mark('personal', 'Notified Beatrix Vollmer');

  const { subject: privacySubject } = await call<{ subject: { id: string } }>('subjects.create', { kind: 'student', displayName: 'Privacy Marrowdale-6059' });
  await call('records.create', { subjectId: privacySubject.id, category: 'grades', title: 'Grades Marrowdale-6060', content: 'A', recordDate: '2026-01-05' });
  const { request: privacy } = await call<{ request: { id: string } }>('privacyRequests.create', {
    subjectId: privacySubject.id,
    regime: 'gdpr',
    right: 'erasure',
    requester: 'Requester Lucasta Pemberton-Hale',
    description: 'Request Marrowdale-6063.',
  });
  await call('privacyRequests.complete', { id: privacy.id, outcome: 'Outcome Marrowdale-6061.' });
  const { request: extended } = await call<{ request: { id: string } }>('privacyRequests.create', {
    subjectId: privacySubject.id,
    regime: 'ccpa',
    right: 'know',
    requester: 'Requester Lucasta Pemberton-Hale',
    description: 'Request Marrowdale-6064.',
  });
  await call('privacyRequests.extend', { id: extended.id, reason: 'Extension Marrowdale-6062.' });
  mark('student_record', 'Privacy Marrowdale-6059', 'Grades Marrowdale-6060', 'Outcome Marrowdale-6061', 'Extension Marrowdale-6062', 'Marrowdale-6063', 'Marrowdale-6064');
  mark('personal', 'Requester Lucasta Pemberton-Hale');

  // The demo's students and their records.
  const ws = t.app.ws;
  for (const s of ws.db.prepare('SELECT display_name, email, external_id FROM subjects').all() as { display_name: string; email: string | null; external_id: string | null }[]) {
    mark('student_record', s.display_name, s.email, s.external_id);
  }
  // A refused call with what a security review reads in it (where from, what was tried).
  ws.record({ actor: 'mallory', action: 'records.erase', resource_type: 'channel', resource_id: 'records.erase', outcome: 'denied', details: { reason: 'role', role: 'viewer', ip: '198.51.100.23', attempted: 'Denied-Kestrel-6161' } });
  mark('security', '198.51.100.23', 'Denied-Kestrel-6161');

  // A data-subject request whose title names the requester, with step data and a note about them.
  const { workflow } = await call<{ workflow: { id: string } }>('workflows.start', { templateId: 'gdpr-data-subject-request', title: 'Erasure request of Bartholomew Quince-Adeyemi', owner: ADMIN, caseId });
  await call('workflows.advance', { id: workflow.id, stepId: 'verify-identity', outcome: 'done', data: { method: 'Passport Quince-4411' }, note: 'Met Quince-4412 in person.' });
  mark('personal', 'Bartholomew Quince-Adeyemi', 'Passport Quince-4411', 'Quince-4412');
  ids = { caseId, subjectId: subject.id, recordId: record.id, evidenceId: evidence.id, holdId: hold.id, amendmentId: amendment.id, subpoenaId: subpoena.id, disclosureId: disclosure.id, workflowId: workflow.id, incidentId: incident.id, privacyRequestId: privacy.id };
}, 120_000);

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

describe('read channels: declarations', () => {
  it('every read channel declares its data classes and has a request in this test', () => {
    expect(READ_CHANNELS.filter((c) => !readClasses[c])).toEqual([]);
    expect(READ_CHANNELS.filter((c) => !requests[c])).toEqual([]);
    // Declarations name read channels only (a mutating channel's answer goes to the case workers who made it).
    expect(Object.keys(readClasses).filter((c) => contract[c as ChannelName].mutates)).toEqual([]);
  });

  it('every declared field exists in the response and can be restricted within its schema', () => {
    for (const c of READ_CHANNELS) {
      const decl = readClasses[c] ?? {};
      for (const path of declaredPaths(decl, RESTRICTED_CLASSES)) {
        const at = schemaAt(contract[c].response, path.split('.'));
        expect(at, `${c}: ${path}`).toBeDefined();
        expect(() => replacementFor(c, path, at)).not.toThrow();
      }
      for (const [cls, fields] of Object.entries(decl.searches ?? {})) {
        for (const f of fields) expect(schemaAt(contract[c].request, [f]), `${c}: search ${cls} ${f}`).toBeDefined();
      }
    }
  });
});

describe('read channels × roles', () => {
  it('fails closed: an undeclared read channel answers only roles that may see every class', async () => {
    const saved = readClasses['records.list'];
    delete readClasses['records.list'];
    try {
      const r = await t.result('records.list', {}, sessions.get('viewer'));
      expect(r.ok ? 'ok' : r.error.code).toBe('failure');
      expect((await t.result('records.list', {}, sessions.get('auditor'))).ok).toBe(true);
    } finally {
      readClasses['records.list'] = saved;
    }
  });

  it('seeded the values the answers are searched for', () => {
    for (const cls of RESTRICTED_CLASSES) expect(seeded[cls].size, cls).toBeGreaterThan(1);
  });

  it('no answer holds a value of a class the role may not see', async () => {
    const leaks: string[] = [];
    const seenByAdmin = new Set<string>();
    for (const role of ROLES) {
      for (const channel of READ_CHANNELS) {
        const make = requests[channel];
        if (!make) continue;
        const def = contract[channel];
        const r = await t.result(channel, make(ids), sessions.get(role));
        const allowed = def.access === 'public' || def.access.includes(role);
        if (!allowed) {
          expect(r.ok ? 'ok' : r.error.code, `${channel} as ${role}`).toBe('forbidden');
          continue;
        }
        if (!r.ok) {
          expect((NOT_FOUND_OK.has(channel) && r.error.code === 'not_found') || (UNAVAILABLE_OK.has(channel) && (r.error.code === 'unavailable' || r.error.code === 'forbidden')), `${channel} as ${role}: ${r.error.code} ${r.error.message}`).toBe(true);
          continue;
        }
        // What a role is given still satisfies the contract's response schema.
        expect(def.response.safeParse(r.value).success, `${channel} as ${role} parses`).toBe(true);
        const text = JSON.stringify(r.value);
        for (const cls of RESTRICTED_CLASSES) {
          for (const v of seeded[cls]) {
            if (!text.includes(v)) continue;
            if (role === 'admin') seenByAdmin.add(v);
            if (!maySee(role, cls)) leaks.push(`${channel} as ${role}: ${cls} "${v}"`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    // The search is meaningful: those who may see everything do find the seeded values.
    const unseen = RESTRICTED_CLASSES.flatMap((cls) => [...seeded[cls]].filter((v) => !seenByAdmin.has(v)));
    expect(unseen).toEqual([]);
  }, 120_000);

  it('a viewer sees the student records as restricted, not missing, and no denied events in ledger.stats', async () => {
    const { subject } = await call<{ subject: { displayName: string; email: string | null; dateOfBirth: string | null } }>('subjects.get', { id: ids.subjectId }, 'viewer');
    expect(subject).toMatchObject({ displayName: RESTRICTED, email: RESTRICTED, dateOfBirth: RESTRICTED });
    const stats = await call<{ recentDenied: unknown[]; perDay: { denied: number }[] }>('ledger.stats', { days: 30 }, 'viewer');
    expect(stats.recentDenied).toEqual([]);
    expect(stats.perDay.reduce((n, d) => n + d.denied, 0)).toBeGreaterThan(0);
    // An audit reviews the refused calls themselves.
    const asAuditor = await call<{ recentDenied: { details: Record<string, unknown> }[] }>('ledger.stats', { days: 30 }, 'auditor');
    expect(asAuditor.recentDenied.length).toBeGreaterThan(0);
    expect(asAuditor.recentDenied[0]?.details.reason).toBeTruthy();
  });

  it('refuses a search over data the role may not see, on every declared search, and ledgers the denial without the searched text', async () => {
    let refused = 0;
    for (const channel of READ_CHANNELS) {
      const searches = readClasses[channel]?.searches ?? {};
      for (const field of new Set(Object.values(searches).flat())) {
        const readsClasses = RESTRICTED_CLASSES.filter((cls) => searches[cls]?.includes(field));
        for (const role of ROLES) {
          const hidden = readsClasses.filter((cls) => !maySee(role, cls));
          if (hidden.length === 0) continue;
          const before = t.eventCount();
          const r = await t.result(channel, { ...(requests[channel]?.(ids) as object), [field]: 'Marlowe' }, sessions.get(role));
          expect(r.ok ? 'ok' : r.error.code, `${channel}.${field} as ${role}`).toBe('forbidden');
          expect(t.eventCount()).toBe(before + 1);
          const last = t.events().at(-1)!;
          expect(last).toMatchObject({ action: channel, outcome: 'denied', details: { reason: 'data-class', role, field } });
          expect(hidden).toContain(last.details.class);
          expect(JSON.stringify(last)).not.toContain('Marlowe');
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThanOrEqual(8);
    // An empty search box is no search.
    expect((await call<{ total: number }>('subjects.list', { search: '  ' }, 'viewer')).total).toBeGreaterThan(1);
    // The same search answers those who may see the data, and a viewer may still filter by id.
    expect((await call<{ total: number }>('subjects.list', { search: 'q.marlowe' }, 'auditor')).total).toBe(1);
    expect((await call<{ total: number }>('records.list', { subjectId: ids.subjectId }, 'viewer')).total).toBe(1);
  });
});
