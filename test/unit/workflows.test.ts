import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { workflowTemplateSchema, type WorkflowTemplate } from '../../shared/workflow-data.js';
import { loadFrameworks } from '../../electron/core/compliance/framework-data.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { currentPeriod } from '../../electron/core/workflows/periods.js';
import { loadTemplates, templatesDir } from '../../electron/core/workflows/template-data.js';
import { ensureDueInstances } from '../../electron/core/workflows/workflows.js';
import { ADMIN, createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type Staff, type TempWorkspace } from './helpers/workspace.js';

// Issue 11, item 5: workflow templates as data, instances with owner, stakeholders, due date and
// case, steps recorded with their data and who/when, overdue steps on the due list, and the
// recurring instances a workspace creates when they are due.

let t: TempWorkspace;
let staff: Staff;
const DAY = 86_400_000;
const files = readdirSync(templatesDir()).filter((n) => n.endsWith('.json'));
const raw = (id: string) => JSON.parse(readFileSync(join(templatesDir(), `${id}.json`), 'utf8')) as WorkflowTemplate;

type Detail = ResponseOf<'workflows.get'>;
const detail = (id: string, session = staff.viewer) => t.call<Detail>('workflows.get', { id }, session);
const count = (table: string) => (t.app.ws.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** Every row of the workflow tables, to show that a refusal changed none of them. */
const state = () => JSON.stringify(['workflow_instances', 'workflow_steps', 'workflow_schedules'].map((n) => t.app.ws.db.prepare(`SELECT * FROM ${n} ORDER BY 1, 2`).all()));

beforeAll(async () => {
  t = await createTempWorkspace();
  staff = await t.addStaff();
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

describe('templates as data', () => {
  it('ships the five templates of the issue, each valid, with steps of its own and links to requirements that exist', () => {
    expect(files.map((f) => f.slice(0, -5)).sort()).toEqual(['access-review', 'gdpr-data-subject-request', 'monthly-compliance-tasks', 'quarterly-audit-checklist', 'year-end-retention-review']);
    const known = new Set(loadFrameworks().flatMap((f) => f.requirements.map((r) => `${f.id} ${r.requirementId}`)));
    for (const f of files) {
      const parsed = workflowTemplateSchema.parse(JSON.parse(readFileSync(join(templatesDir(), f), 'utf8')));
      for (const s of parsed.steps) for (const r of s.requirements ?? []) expect(known.has(`${r.framework} ${r.requirementId}`), `${f} ${s.id} → ${r.framework} ${r.requirementId}`).toBe(true);
    }
    // Seed 002: the quarterly checklist has five items each quarter (key rotation is checked every quarter).
    const q = raw('quarterly-audit-checklist');
    for (const quarter of [1, 2, 3, 4]) expect(q.steps.filter((s) => !s.quarters || s.quarters.includes(quarter)).length, `Q${quarter}`).toBeGreaterThanOrEqual(5);
    expect(raw('monthly-compliance-tasks').steps).toHaveLength(5);
  });

  it('refuses a broken template file, naming the file and the field', () => {
    const dir = tempDir('custos-workflows-');
    const bad = raw('access-review') as unknown as Record<string, unknown>;
    const steps = bad.steps as Record<string, unknown>[];
    steps[1] = { ...steps[1], id: steps[0]!.id };
    writeFileSync(join(dir, 'access-review.json'), JSON.stringify(bad));
    expect(() => loadTemplates(dir)).toThrow(/access-review\.json is invalid at steps\.1\.id: The step list-users appears twice/);
    const dir2 = tempDir('custos-workflows-');
    copyFileSync(join(templatesDir(), 'access-review.json'), join(dir2, 'renamed.json'));
    expect(() => loadTemplates(dir2)).toThrow(/id must equal its file name, renamed/);
    const dir3 = tempDir('custos-workflows-');
    mkdirSync(dir3, { recursive: true });
    const linked = raw('access-review');
    writeFileSync(join(dir3, 'access-review.json'), JSON.stringify({ ...linked, steps: [{ ...linked.steps[0], requirements: [{ framework: 'gdpr', requirementId: 'Art. 999' }] }] }));
    expect(() => loadTemplates(dir3)).toThrow(/links a requirement no shipped framework has at steps\.0\.requirements\.0: gdpr Art\. 999/);
  });

  it('answers the templates to every role, none scheduled in a new workspace', async () => {
    const { templates } = await t.call<ResponseOf<'workflows.templates'>>('workflows.templates', {}, staff.viewer);
    expect(templates.map((x) => x.id)).toEqual(files.map((f) => f.slice(0, -5)).sort());
    expect(templates.every((x) => !x.scheduled)).toBe(true);
  });
});

describe('instances', () => {
  let dsr: string;
  let dsrCase: string;

  it('starts an instance with owner, stakeholders, due date and case: ledgered in its transaction, steps due before it', async () => {
    const { case: c } = await t.call<ResponseOf<'cases.create'>>('cases.create', { title: 'Records request from a former student', type: 'investigation' }, staff.officer);
    const { workflow } = await t.call<ResponseOf<'workflows.start'>>(
      'workflows.start',
      { templateId: 'gdpr-data-subject-request', title: 'Access request, former student', owner: 'maria.chen', stakeholders: ['david.okafor', 'maria.chen'], caseId: c.id },
      staff.officer,
    );
    dsr = workflow.id;
    dsrCase = c.id;
    expect(workflow).toMatchObject({ templateId: 'gdpr-data-subject-request', owner: 'maria.chen', stakeholders: ['david.okafor'], caseId: c.id, state: 'open', steps: 5, finished: 0, period: null, overdue: false });
    expect(workflow.id).toMatch(/^WF-\d{4}-0001$/);
    const event = t.lastEvent('workflows.start')!;
    expect(event).toMatchObject({ actor: 'maria.chen', resource_type: 'workflow', resource_id: dsr, details: { template: 'gdpr-data-subject-request', owner: 'maria.chen', case_id: c.id, steps: 5 } });
    expect(event.ts).toBe(workflow.createdAt);
    // Due one month (the template's 30 days) later; each step its days before that.
    expect(Date.parse(workflow.dueAt) - Date.parse(workflow.createdAt)).toBe(30 * DAY);
    const d = await detail(dsr);
    const template = raw('gdpr-data-subject-request');
    expect(d.steps.map((s) => [s.id, s.status, Date.parse(workflow.dueAt) - Date.parse(s.dueAt)])).toEqual(template.steps.map((s) => [s.id, 'pending', s.daysBeforeDue * DAY]));
    expect(d.ordered).toBe(true);
  });

  it('records steps in order with their data and who/when; refuses missing data, the wrong order, and a second record', async () => {
    const refusals = [
      [{ stepId: 'scope', outcome: 'done', data: { right: 'access' } }, 'conflict', /record "Verify the requester's identity" first/],
      [{ stepId: 'verify-identity', outcome: 'done', data: {} }, 'validation', /give "How identity was verified"/],
      [{ stepId: 'verify-identity', outcome: 'done', data: { method: 'ID card', extra: 1 } }, 'validation', /has no field extra/],
      [{ stepId: 'verify-identity', outcome: 'skipped' }, 'validation', /needs a note/],
      [{ stepId: 'no-such-step', outcome: 'done' }, 'not_found', /has no step/],
    ] as const;
    for (const [input, code, message] of refusals) {
      const before = state();
      const size = t.eventCount();
      const r = await t.result('workflows.advance', { id: dsr, ...input }, staff.officer);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code } });
      expect(!r.ok && r.error.message).toMatch(message);
      expect(t.eventCount()).toBe(size + 1);
      expect(t.events().at(-1)).toMatchObject({ action: 'workflows.advance', outcome: 'failure', details: { code } });
      expect(state()).toBe(before);
    }
    // Counsel records a step; the row and the event carry the same instant.
    const { workflow } = await t.call<ResponseOf<'workflows.advance'>>('workflows.advance', { id: dsr, stepId: 'verify-identity', outcome: 'done', data: { method: 'Photo ID checked in person' } }, staff.counsel);
    expect(workflow).toMatchObject({ finished: 1, state: 'open' });
    const event = t.lastEvent('workflows.advance')!;
    expect(event).toMatchObject({ actor: 'david.okafor', outcome: 'success', details: { step: 'verify-identity', outcome: 'done', data: { method: 'Photo ID checked in person' }, completed: false } });
    const step = (await detail(dsr, staff.officer)).steps[0]!;
    expect(step).toMatchObject({ status: 'done', doneBy: 'david.okafor', doneAt: event.ts, data: { method: 'Photo ID checked in person' } });
    // The same step twice is a conflict that names who recorded it.
    expect(await t.result('workflows.advance', { id: dsr, stepId: 'verify-identity', outcome: 'done', data: { method: 'again' } }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/already recorded as done by david\.okafor/) } });
    // A count must be a whole number.
    await t.call('workflows.advance', { id: dsr, stepId: 'scope', outcome: 'done', data: { right: 'access (Art. 15)' } }, staff.officer);
    expect(await t.result('workflows.advance', { id: dsr, stepId: 'locate', outcome: 'done', data: { 'records-found': 2.5 } }, staff.officer)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('completes with its last step (one event), then refuses further records and a cancel', async () => {
    await t.call('workflows.advance', { id: dsr, stepId: 'locate', outcome: 'done', data: { 'records-found': 4 } }, staff.officer);
    await t.call('workflows.advance', { id: dsr, stepId: 'exemptions', outcome: 'skipped', note: 'No hold or retention duty applies.' }, staff.officer);
    const size = t.eventCount();
    const { workflow } = await t.call<ResponseOf<'workflows.advance'>>('workflows.advance', { id: dsr, stepId: 'respond', outcome: 'done', data: { 'sent-on': '2026-01-15' } }, staff.officer);
    expect(workflow).toMatchObject({ state: 'completed', finished: 5, nextDueAt: null });
    expect(t.eventsAfter(size).map((e) => [e.action, e.details.completed, e.details.from, e.details.to])).toEqual([['workflows.advance', true, 'open', 'completed']]);
    // The workflow's events are on its case's timeline.
    const timeline = await t.call<ResponseOf<'cases.timeline'>>('cases.timeline', { id: dsrCase, limit: 100 }, staff.officer);
    expect(timeline.events.filter((e) => e.resource_id === dsr && e.outcome === 'success').map((e) => e.action)).toEqual(['workflows.advance', 'workflows.advance', 'workflows.advance', 'workflows.advance', 'workflows.advance', 'workflows.start']);
    const skipped = (await detail(dsr, staff.officer)).steps.find((s) => s.id === 'exemptions')!;
    expect(skipped).toMatchObject({ status: 'skipped', note: 'No hold or retention duty applies.' });
    for (const [channel, input] of [
      ['workflows.advance', { id: dsr, stepId: 'respond', outcome: 'done', data: {} }],
      ['workflows.cancel', { id: dsr, reason: 'Too late.' }],
      ['workflows.assign', { id: dsr, owner: 'admin', stakeholders: [] }],
    ] as const) {
      const before = state();
      const n = t.eventCount();
      expect(await t.result(channel, input, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(t.eventCount()).toBe(n + 1);
      expect(state()).toBe(before);
    }
  });

  it('refuses a closed case, an unknown owner, a past due date and the roles that only read; each leaves nothing but its refusal event', async () => {
    const { case: c } = await t.call<ResponseOf<'cases.create'>>('cases.create', { title: 'Closed matter', type: 'audit' }, staff.officer);
    await t.call('cases.setStatus', { id: c.id, status: 'closed', reason: 'Done.' }, staff.officer);
    const base = { templateId: 'access-review', title: 'Review', owner: 'maria.chen' };
    const cases = [
      [{ ...base, caseId: c.id }, staff.officer, 'conflict'],
      [{ ...base, caseId: 'CASE-1999-0001' }, staff.officer, 'not_found'],
      [{ ...base, owner: 'nobody.here' }, staff.officer, 'validation'],
      [{ ...base, stakeholders: ['ghost'] }, staff.officer, 'validation'],
      [{ ...base, dueAt: '2001-01-01' }, staff.officer, 'validation'],
      [{ ...base, templateId: 'no-such-template' }, staff.officer, 'not_found'],
      [base, staff.viewer, 'forbidden'],
      [base, staff.auditor, 'forbidden'],
      [base, staff.counsel, 'forbidden'],
    ] as const;
    for (const [input, session, code] of cases) {
      const before = state();
      const n = t.eventCount();
      expect(await t.result('workflows.start', input, session), JSON.stringify(input)).toMatchObject({ ok: false, error: { code } });
      expect(t.eventCount()).toBe(n + 1);
      expect(t.events().at(-1)).toMatchObject({ action: 'workflows.start', outcome: code === 'forbidden' ? 'denied' : 'failure' });
      expect(state()).toBe(before);
    }
    // A viewer reads the list, but the titles (which may name a person) are restricted.
    const page = await t.call<ResponseOf<'workflows.list'>>('workflows.list', {}, staff.viewer);
    expect(page.total).toBe(1);
    expect(page.items[0]!.title).toBe('[restricted]');
  });

  it('assigns and cancels an open instance, ledgered; the list filters by state, template, owner and overdue', async () => {
    const { workflow: w } = await t.call<ResponseOf<'workflows.start'>>('workflows.start', { templateId: 'access-review', title: 'Spring access review', owner: 'maria.chen' }, staff.officer);
    const { workflow: a } = await t.call<ResponseOf<'workflows.assign'>>('workflows.assign', { id: w.id, owner: 'david.okafor', stakeholders: ['maria.chen', 'admin'] }, staff.officer);
    expect(a).toMatchObject({ owner: 'david.okafor', stakeholders: ['maria.chen', 'admin'] });
    expect(t.lastEvent('workflows.assign')).toMatchObject({ details: { from: 'maria.chen', to: 'david.okafor', stakeholders_from: [], stakeholders: ['maria.chen', 'admin'] } });
    expect(await t.result('workflows.assign', { id: w.id, owner: 'david.okafor', stakeholders: ['admin', 'maria.chen'] }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const list = (q: object) => t.call<ResponseOf<'workflows.list'>>('workflows.list', q, staff.officer);
    expect((await list({ owner: 'david.okafor' })).items.map((x) => x.id)).toEqual([w.id]);
    expect((await list({ templateId: 'gdpr-data-subject-request' })).items.map((x) => x.state)).toEqual(['completed']);
    expect((await list({ state: ['open'] })).total).toBe(1);
    expect((await list({ overdue: true })).total).toBe(0);
    const { workflow: c } = await t.call<ResponseOf<'workflows.cancel'>>('workflows.cancel', { id: w.id, reason: 'Merged into the annual review.' }, staff.officer);
    expect(c.state).toBe('cancelled');
    expect(t.lastEvent('workflows.cancel')).toMatchObject({ actor: 'maria.chen', details: { from: 'open', to: 'cancelled', reason: 'Merged into the annual review.', pending: 4 } });
    expect((await detail(w.id, staff.officer)).note).toBe('Merged into the annual review.');
  });
});

describe('deadlines', () => {
  it('puts pending steps of open instances on the due list, overdue once their date passes, and drops them once recorded', async () => {
    const { workflow } = await t.call<ResponseOf<'workflows.start'>>('workflows.start', { templateId: 'access-review', title: 'Quarter-end access review', owner: 'maria.chen', dueAt: new Date(Date.now() + 3 * DAY).toISOString() }, staff.officer);
    const due = (asOf?: string) => t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['workflow_step'], limit: 50, ...(asOf ? { asOf } : {}) }, staff.officer);
    const now = await due();
    const mine = now.items.filter((d) => d.refId === workflow.id);
    // Steps due 10 and 5 days before a due date 3 days away are given a day from the start.
    expect(mine.map((d) => d.title)).toEqual(['Produce the users-and-roles report (Quarter-end access review)', 'Confirm each role with its manager (Quarter-end access review)', 'Disable departed users and apply changes (Quarter-end access review)', 'Sign off the review (Quarter-end access review)']);
    expect(mine.every((d) => d.kind === 'workflow_step' && d.refType === 'workflow' && !d.overdue)).toBe(true);
    const later = await due(new Date(Date.now() + 5 * DAY).toISOString());
    expect(later.items.filter((d) => d.refId === workflow.id).every((d) => d.overdue)).toBe(true);
    const list = await t.call<ResponseOf<'workflows.list'>>('workflows.list', { overdue: false, state: ['open'] }, staff.officer);
    expect(list.items.map((x) => x.id)).toContain(workflow.id);
    await t.call('workflows.advance', { id: workflow.id, stepId: 'list-users', outcome: 'done', data: { accounts: 6 } }, staff.officer);
    expect((await due()).items.filter((d) => d.refId === workflow.id)).toHaveLength(3);
    await t.call('workflows.cancel', { id: workflow.id, reason: 'Test over.' }, staff.officer);
    expect((await due()).items.filter((d) => d.refId === workflow.id)).toHaveLength(0);
  });
});

describe('recurring instances', () => {
  it('computes the periods: quarter ends, month ends, and the year-end review opening 45 days before', () => {
    const q = currentPeriod({ every: 'quarterly' }, new Date('2026-05-10T12:00:00Z'));
    expect(q).toEqual({ key: '2026-Q2', label: 'Q2 2026', dueAt: '2026-06-30T23:59:59.999Z', opensAt: '2026-04-01T00:00:00.000Z' });
    expect(currentPeriod({ every: 'monthly' }, new Date('2028-02-03T00:00:00Z'))).toMatchObject({ key: '2028-02', dueAt: '2028-02-29T23:59:59.999Z' });
    const y = currentPeriod({ every: 'yearly', month: 12, day: 31, opensDaysBefore: 45 }, new Date('2026-03-01T00:00:00Z'));
    expect(y).toEqual({ key: '2026', label: '2026', dueAt: '2026-12-31T23:59:59.999Z', opensAt: '2026-11-16T23:59:59.999Z' });
    expect(currentPeriod({ every: 'yearly', month: 6, day: 30 }, new Date('2026-07-01T00:00:00Z')).key).toBe('2027');
  });

  it('creates the current period when a template is scheduled, idempotently, follows clock jumps, and catches up at unlock as the system', async () => {
    const ws = t.app.ws;
    const { started } = await t.call<ResponseOf<'workflows.schedule'>>('workflows.schedule', { templateId: 'quarterly-audit-checklist', scheduled: true }, staff.officer);
    expect(started).toHaveLength(1);
    const first = await detail(started[0]!, staff.officer);
    const period = currentPeriod({ every: 'quarterly' }, new Date());
    expect(first.workflow).toMatchObject({ period: period.key, dueAt: period.dueAt, owner: 'maria.chen', title: `Quarterly audit checklist ${period.label}` });
    const quarter = Number(period.key.slice(-1));
    expect(first.steps.map((s) => s.id)).toEqual(raw('quarterly-audit-checklist').steps.filter((s) => !s.quarters || s.quarters.includes(quarter)).map((s) => s.id));
    expect(t.lastEvent('workflows.start')).toMatchObject({ actor: 'maria.chen', details: { period: period.key, scheduled: true } });
    // Idempotent: nothing more for the same period, and no event.
    const n = t.eventCount();
    expect(ensureDueInstances(ws, { actor: 'system' })).toEqual([]);
    expect(t.eventCount()).toBe(n);
    // A year-end review scheduled in spring waits for its period to open.
    const spring = await withSimulatedClock(new Date('2027-03-01T09:00:00Z'), 1, () => t.call<ResponseOf<'workflows.schedule'>>('workflows.schedule', { templateId: 'year-end-retention-review', scheduled: true }, staff.officer));
    expect(spring.started).toEqual([]);
    await t.call('workflows.schedule', { templateId: 'year-end-retention-review', scheduled: false }, staff.officer);
    expect(await t.result('workflows.schedule', { templateId: 'access-review', scheduled: true }, staff.officer)).toMatchObject({ ok: false, error: { code: 'validation' } });

    // The clock jumps two quarters ahead: only the new current quarter is created (none for the one skipped).
    const jump = new Date(Date.parse(period.dueAt) + 100 * DAY);
    const ahead = currentPeriod({ every: 'quarterly' }, jump);
    const made = withSimulatedClock(jump, 1, () => ensureDueInstances(ws, { actor: 'system' }));
    const periods = made.map((id) => ws.db.prepare('SELECT template_id, period FROM workflow_instances WHERE id = ?').get(id) as { template_id: string; period: string });
    expect(periods).toContainEqual({ template_id: 'quarterly-audit-checklist', period: ahead.key });
    expect(periods.filter((p) => p.template_id === 'quarterly-audit-checklist')).toHaveLength(1);
    expect(withSimulatedClock(jump, 1, () => ensureDueInstances(ws, { actor: 'system' }))).toEqual([]);
    // Back to the present: nothing older than the newest period is created again.
    expect(ensureDueInstances(ws, { actor: 'system' })).toEqual([]);

    // Stopping the schedule stops new instances; scheduling a monthly template and locking:
    // the next unlock creates nothing new for the same period, and a later one does it as the system.
    await t.call('workflows.schedule', { templateId: 'quarterly-audit-checklist', scheduled: false }, staff.officer);
    const afterStop = withSimulatedClock(new Date(Date.parse(ahead.dueAt) + 10 * DAY), 1, () => ensureDueInstances(ws, { actor: 'system' }));
    expect(afterStop.map(templateOf)).not.toContain('quarterly-audit-checklist');
    const before = count('workflow_instances');
    await t.call('workflows.schedule', { templateId: 'monthly-compliance-tasks', scheduled: true }, staff.officer);
    expect(count('workflow_instances')).toBe(before + 1);
    t.lock();
    await t.login();
    expect(count('workflow_instances')).toBe(before + 1);
    t.lock();
    const next = new Date(Date.parse(currentPeriod({ every: 'monthly' }, new Date()).dueAt) + 2 * DAY);
    await withSimulatedClock(next, 1, () => t.login());
    const made2 = t.app.ws.db.prepare("SELECT id, created_by, period FROM workflow_instances WHERE template_id = 'monthly-compliance-tasks' ORDER BY id").all() as { created_by: string; period: string }[];
    expect(made2.map((r) => r.created_by)).toEqual(['maria.chen', 'system']);
    expect(made2[1]!.period).toBe(currentPeriod({ every: 'monthly' }, next).key);
    expect(t.lastEvent('workflows.start')).toMatchObject({ actor: 'system', details: { template: 'monthly-compliance-tasks', scheduled: true } });
  });

  it('ledgers a failure of the catch-up at sign-in without keeping anyone out', async () => {
    t.app.ws.db.exec("CREATE TRIGGER wf_injected BEFORE INSERT ON workflow_instances BEGIN SELECT RAISE(ABORT, 'injected: no new workflow'); END");
    const before = count('workflow_instances');
    t.lock();
    const later = new Date(Date.now() + 70 * DAY);
    const session = await withSimulatedClock(later, 1, () => t.login());
    expect(session).toBeTruthy();
    expect(count('workflow_instances')).toBe(before);
    expect(t.events().at(-1)).toMatchObject({ actor: 'system', action: 'workflows.start', outcome: 'failure', details: { message: 'The scheduled workflows did not start: the database reported SQLITE_CONSTRAINT_TRIGGER.' } });
    t.app.ws.db.exec('DROP TRIGGER wf_injected');
  });
});

describe('custos demo', () => {
  it('runs the recurring templates with the current quarter’s checklist, and leaves workflows in several states with an overdue step', async () => {
    const now = Date.now();
    const d = await withSimulatedClock(new Date(now - 30 * DAY), 1, async (clock) => {
      const made = await createTempWorkspace();
      await seedDemo(made.app.ws, { events: 600, admin: ADMIN, passphrase: PASSPHRASE, days: 30, clock });
      return made;
    });
    try {
      const session = await d.login('sam.wright', PASSPHRASE);
      const { items } = await d.call<ResponseOf<'workflows.list'>>('workflows.list', { limit: 50 }, session);
      expect(new Set(items.map((w) => w.state))).toEqual(new Set(['open', 'completed', 'cancelled']));
      const quarter = currentPeriod({ every: 'quarterly' }, new Date());
      expect(items.find((w) => w.templateId === 'quarterly-audit-checklist' && w.period === quarter.key)?.finished).toBeGreaterThanOrEqual(1);
      expect(items.filter((w) => w.overdue).map((w) => w.templateId)).toContain('gdpr-data-subject-request');
      const { templates } = await d.call<ResponseOf<'workflows.templates'>>('workflows.templates', {}, session);
      expect(templates.filter((x) => x.scheduled).map((x) => x.id).sort()).toEqual(['monthly-compliance-tasks', 'quarterly-audit-checklist', 'year-end-retention-review']);
      // The overdue step is on the due list.
      const due = await d.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['workflow_step'], limit: 200 }, d.admin);
      expect(due.items.some((x) => x.overdue && x.title.startsWith('Record the request and its scope'))).toBe(true);
    } finally {
      d.app.shutdown();
    }
  });
});

/** The template of an instance. */
function templateOf(id: string): string {
  return (t.app.ws.db.prepare('SELECT template_id FROM workflow_instances WHERE id = ?').get(id) as { template_id: string }).template_id;
}
