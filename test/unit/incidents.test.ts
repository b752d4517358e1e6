import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { createTempWorkspace, removeTempDirs, type Staff, type TempWorkspace } from './helpers/workspace.js';
import { exportedPath } from './helpers/outputs.js';

// Issue 13 items 3 and 6: security incidents, the 1/24/72-hour breach clock of seed 002 (tasks on the
// due list, overdue flagged), notifications, links, counsel review and the anchored incident report.

const HOUR = 3_600_000;
const policy = JSON.parse(readFileSync(new URL('../../resources/policies/breach-clock.json', import.meta.url), 'utf8')) as {
  phases: { hours: number; tasks: { key: string; title: string; when?: string }[] }[];
};
const POLICY_TASKS = policy.phases.flatMap((p) => p.tasks.map((t) => ({ ...t, hours: p.hours })));

type Detail = ResponseOf<'incidents.get'>;
type Created = ResponseOf<'incidents.create'>;

let t: TempWorkspace;
let staff: Staff;

beforeAll(async () => {
  t = await createTempWorkspace();
  staff = await t.addStaff();
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

const get = (id: string, session = staff.officer) => t.call<Detail>('incidents.get', { id }, session);

async function breach(hoursAgo: number, extra: Record<string, unknown> = {}): Promise<{ id: string; discoveredAt: string }> {
  const discoveredAt = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  const r = await t.call<Created>(
    'incidents.create',
    { title: 'Registrar mailbox compromise', classification: 'data_breach', severity: 'high', discoveredAt, systemsAffected: ['Registrar mailbox', 'Mail tenant'], ...extra },
    staff.officer,
  );
  return { id: r.incident.id, discoveredAt };
}

describe('the breach clock', () => {
  it('starts when a data breach is recorded: one task per step of the policy, due 1, 24 and 72 hours after discovery; ledgered', async () => {
    const { id, discoveredAt } = await breach(2);
    expect(id).toMatch(/^INC-\d{4}-\d{4}$/);
    const d = await get(id);
    expect(d.tasks.map((x) => x.key)).toEqual(POLICY_TASKS.map((x) => x.key));
    for (const task of d.tasks) {
      const def = POLICY_TASKS.find((x) => x.key === task.key)!;
      expect(Date.parse(task.dueAt) - Date.parse(discoveredAt)).toBe(def.hours * HOUR);
      expect(task.title).toBe(def.title);
    }
    // SSNs not exposed: identity monitoring does not apply.
    expect(d.tasks.find((x) => x.key === 'identity_monitoring')!.state).toBe('not_applicable');
    // Two hours in: the 1-hour tasks are overdue, the others are not.
    expect(d.tasks.filter((x) => x.overdue).map((x) => x.hours)).toEqual([1, 1, 1, 1]);
    expect(d.incident.clock).toMatchObject({ tasks: POLICY_TASKS.length - 1, done: 0, overdue: 4 });
    expect(t.lastEvent('incidents.create')).toMatchObject({
      actor: 'maria.chen',
      resource_type: 'incident',
      resource_id: id,
      outcome: 'success',
      details: { classification: 'data_breach', discovered_at: discoveredAt, clock_tasks: POLICY_TASKS.length },
    });
  });

  it('puts every open task on the due list, overdue ones flagged; a completed task leaves it', async () => {
    const { id } = await breach(2);
    const due = async () => (await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['incident_task'], limit: 500 }, staff.officer)).items.filter((x) => x.refId === id);
    const before = await due();
    expect(before).toHaveLength(POLICY_TASKS.length - 1);
    expect(before.every((x) => x.refType === 'incident' && x.kind === 'incident_task')).toBe(true);
    expect(before.filter((x) => x.overdue).map((x) => x.title)).toEqual(expect.arrayContaining([expect.stringContaining('Isolate affected systems')]));
    expect(before.filter((x) => x.overdue)).toHaveLength(4);
    const r = await t.call<ResponseOf<'incidents.completeTask'>>('incidents.completeTask', { id, task: 'isolate', note: 'Mailbox disconnected.' }, staff.officer);
    expect(r.task).toMatchObject({ state: 'done', doneBy: 'maria.chen', note: 'Mailbox disconnected.', overdue: false, late: true });
    expect(r.incident.clock).toMatchObject({ done: 1, overdue: 3 });
    expect(t.lastEvent('incidents.completeTask')).toMatchObject({ resource_id: id, details: { task: 'isolate', late: true, note: 'Mailbox disconnected.' } });
    const after = await due();
    expect(after).toHaveLength(POLICY_TASKS.length - 2);
    expect(after.some((x) => x.title.includes('Isolate affected systems'))).toBe(false);
  });

  it('refuses to complete a task twice, an unknown task, or one done in the future: one refusal event each, nothing changed', async () => {
    const { id } = await breach(2);
    await t.call('incidents.completeTask', { id, task: 'contact_it', note: 'Called.', doneAt: new Date(Date.now() - HOUR).toISOString() }, staff.officer);
    const cases: [Record<string, unknown>, string][] = [
      [{ id, task: 'contact_it', note: 'Again.' }, 'conflict'],
      [{ id, task: 'no_such_task', note: 'x' }, 'not_found'],
      [{ id, task: 'scope', note: 'x', doneAt: new Date(Date.now() + 3 * HOUR).toISOString() }, 'validation'],
      [{ id, task: 'scope', note: 'x', doneAt: new Date(Date.now() - 5 * HOUR).toISOString() }, 'validation'],
    ];
    for (const [input, code] of cases) {
      const snapshot = JSON.stringify(await get(id));
      const n = t.eventCount();
      expect(await t.result('incidents.completeTask', input, staff.officer)).toMatchObject({ ok: false, error: { code } });
      expect(t.eventCount()).toBe(n + 1);
      expect(t.events().at(-1)).toMatchObject({ action: 'incidents.completeTask', outcome: code === 'forbidden' ? 'denied' : 'failure' });
      expect(JSON.stringify(await get(id))).toBe(snapshot);
    }
  });

  it('an incident that is not a breach has no clock until it is reclassified as one; a running clock cannot be reclassified away', async () => {
    const r = await t.call<Created>('incidents.create', { title: 'Phishing wave', classification: 'phishing', severity: 'medium', discoveredAt: new Date(Date.now() - 30 * HOUR).toISOString() }, staff.counsel);
    expect((await get(r.incident.id)).tasks).toEqual([]);
    expect(r.incident.clock).toMatchObject({ tasks: 0, overdue: 0 });
    const u = await t.call<ResponseOf<'incidents.update'>>('incidents.update', { id: r.incident.id, classification: 'data_breach' }, staff.counsel);
    // Counted from discovery, 30 hours ago: the 1- and 24-hour tasks are already overdue.
    expect(u.incident.clock).toMatchObject({ tasks: POLICY_TASKS.length - 1, overdue: 8 });
    expect(t.lastEvent('incidents.update')).toMatchObject({ details: { changed: ['classification'], from: { classification: 'phishing' }, to: { classification: 'data_breach' }, clock_tasks: POLICY_TASKS.length } });
    const n = t.eventCount();
    expect(await t.result('incidents.update', { id: r.incident.id, classification: 'malware' }, staff.counsel)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(t.eventCount()).toBe(n + 1);
    expect((await get(r.incident.id)).incident.classification).toBe('data_breach');
  });

  it('identity monitoring applies exactly while SSNs are recorded as exposed', async () => {
    const { id } = await breach(1, { ssnExposed: true });
    const state = async () => (await get(id)).tasks.find((x) => x.key === 'identity_monitoring')!.state;
    expect(await state()).toBe('open');
    await t.call('incidents.update', { id, ssnExposed: false }, staff.officer);
    expect(await state()).toBe('not_applicable');
    await t.call('incidents.update', { id, ssnExposed: true }, staff.officer);
    expect(await state()).toBe('open');
    await t.call('incidents.completeTask', { id, task: 'identity_monitoring', note: 'Two years of credit monitoring offered.' }, staff.officer);
    await t.call('incidents.update', { id, ssnExposed: false }, staff.officer);
    // Done stays done.
    expect(await state()).toBe('done');
  });
});

describe('who may do what', () => {
  it('viewers and auditors read incidents but may not record or change them; only counsel records the counsel review', async () => {
    const { id } = await breach(1);
    for (const session of [staff.viewer, staff.auditor]) {
      const n = t.eventCount();
      expect(await t.result('incidents.create', { title: 'x', classification: 'other', severity: 'low' }, session)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await t.result('incidents.completeTask', { id, task: 'isolate', note: 'x' }, session)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(t.eventCount()).toBe(n + 2);
      expect((await get(id, session)).incident.id).toBe(id);
    }
    expect(await t.result('incidents.counselReview', { id, note: 'x' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const r = await t.call<ResponseOf<'incidents.counselReview'>>('incidents.counselReview', { id, note: 'Timing of notices reviewed.' }, staff.counsel);
    expect(r.incident).toMatchObject({ counselReviewedBy: 'david.okafor' });
    // Written once: a second review is refused (one event), and the first one stands.
    const before = t.eventCount();
    expect(await t.result('incidents.counselReview', { id, note: 'Overwrite attempt.' }, staff.counsel)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(t.events().slice(before).map((e) => [e.action, e.outcome])).toEqual([['incidents.counselReview', 'failure']]);
  });

  it('a viewer sees the clock but not the free text or who was notified', async () => {
    const { id } = await breach(1, { description: 'Transcripts of Quinn Example left the tenant.' });
    await t.call('incidents.recordNotification', { id, recipientType: 'student', recipient: 'Quinn Example', method: 'letter' }, staff.officer);
    const seen = JSON.stringify(await get(id, staff.viewer));
    expect(seen).not.toContain('Quinn Example');
    expect(JSON.parse(seen).tasks.length).toBe(POLICY_TASKS.length);
    expect(JSON.stringify(await get(id, staff.officer))).toContain('Quinn Example');
  });
});

describe('notifications, actions, links and status', () => {
  it('records who was told, when and how; response actions; links to a case, evidence and a hold; refuses a missing item', async () => {
    const { id, discoveredAt } = await breach(3);
    const notifiedAt = new Date(Date.parse(discoveredAt) + HOUR).toISOString();
    const n = await t.call<ResponseOf<'incidents.recordNotification'>>(
      'incidents.recordNotification',
      { id, recipientType: 'department_of_education', recipient: 'Student Privacy Policy Office', method: 'email', notifiedAt, note: 'Reference SPPO-1' },
      staff.officer,
    );
    expect(n.notification).toMatchObject({ recipient: 'Student Privacy Policy Office', method: 'email', notifiedAt, recordedBy: 'maria.chen' });
    expect(t.lastEvent('incidents.recordNotification')).toMatchObject({ details: { recipient: 'Student Privacy Policy Office', method: 'email', notified_at: notifiedAt } });
    expect(await t.result('incidents.recordNotification', { id, recipientType: 'student', recipient: 'x', method: 'email', notifiedAt: new Date(Date.parse(discoveredAt) - HOUR).toISOString() }, staff.officer)).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    await t.call('incidents.addAction', { id, text: 'Forwarding rule removed.' }, staff.officer);

    const c = await t.call<{ case: { id: string } }>('cases.create', { title: 'Mailbox breach', type: 'breach', description: 'Breach case.' }, staff.officer);
    const e = await t.call<{ evidence: { id: string } }>(
      'evidence.ingestContent',
      { fileName: 'signin.csv', contentBase64: Buffer.from('ts,user\n').toString('base64'), title: 'Sign-in log', source: 'Mail admin console', caseId: c.case.id },
      staff.officer,
    );
    const h = await t.call<{ hold: { id: string } }>('holds.create', { caseId: c.case.id, title: 'Preserve logs', custodians: [{ name: 'IT', email: '' }] }, staff.officer);
    for (const [itemType, itemId] of [['case', c.case.id], ['evidence', e.evidence.id], ['hold', h.hold.id]] as const) {
      const l = await t.call<ResponseOf<'incidents.link'>>('incidents.link', { id, itemType, itemId }, staff.officer);
      expect(l.link).toMatchObject({ itemType, itemId, linkedBy: 'maria.chen' });
    }
    expect(await t.result('incidents.link', { id, itemType: 'case', itemId: c.case.id }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.result('incidents.link', { id, itemType: 'evidence', itemId: 'EV-NOPE' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The incident's events are on the linked case's timeline.
    const timeline = await t.call<ResponseOf<'cases.timeline'>>('cases.timeline', { id: c.case.id, limit: 100 }, staff.officer);
    expect(timeline.events.filter((ev) => ev.resource_type === 'incident' && ev.resource_id === id).map((ev) => ev.action)).toEqual(
      expect.arrayContaining(['incidents.create', 'incidents.recordNotification', 'incidents.addAction', 'incidents.link']),
    );
    const d = await get(id);
    expect(d.links.map((l) => [l.itemType, l.title])).toEqual([['case', 'Mailbox breach'], ['evidence', 'Sign-in log'], ['hold', 'Preserve logs']]);
    expect(d.actions.map((a) => a.text)).toEqual(['Forwarding rule removed.']);
    expect(d.notifications).toHaveLength(1);
  });

  it('goes open → contained → closed once the response is finished; a closed incident takes no more work and leaves the due list', async () => {
    const { id } = await breach(2);
    await t.call('incidents.update', { id, status: 'contained' }, staff.officer);
    expect(await t.result('incidents.update', { id, status: 'open' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await get(id)).incident.counselReviewRequired).toBe(true);
    const close = () => t.result('incidents.update', { id, status: 'closed' }, staff.officer);
    const refusedWith = async (message: RegExp) => {
      const before = t.eventCount();
      const incident = (await get(id)).incident;
      expect(await close()).toMatchObject({ ok: false, error: { code: 'conflict', message } });
      // Refused: one failure event, the incident unchanged.
      expect(t.events().slice(before).map((e) => [e.action, e.outcome, e.resource_id])).toEqual([['incidents.update', 'failure', id]]);
      expect((await get(id)).incident).toEqual(incident);
    };
    // Every applicable task open (identity monitoring does not apply: no SSNs), and no counsel review.
    const applicable = POLICY_TASKS.filter((x) => !x.when);
    await refusedWith(new RegExp(`${applicable.length} breach-clock tasks are still open \\(Isolate affected systems;.*Notify U\\.S\\. Department of Education.*\\), and legal counsel has not reviewed`));
    for (const task of applicable.slice(0, -1)) await t.call('incidents.completeTask', { id, task: task.key, note: 'Done.' }, staff.officer);
    const last = applicable.at(-1)!;
    await refusedWith(new RegExp(`^Incident ${id} cannot be closed yet: 1 breach-clock task is still open \\(${last.title}\\), and legal counsel`));
    await t.call('incidents.completeTask', { id, task: last.key, note: 'Not applicable: no regulator investigation was opened.' }, staff.officer);
    await refusedWith(/cannot be closed yet: legal counsel has not reviewed the response\./);
    // SSNs turn out to have been exposed: identity monitoring applies again and holds the close back.
    await t.call('incidents.update', { id, ssnExposed: true }, staff.officer);
    await t.call('incidents.counselReview', { id, note: 'Notices within the 72 hours.' }, staff.counsel);
    await refusedWith(/cannot be closed yet: 1 breach-clock task is still open \(Offer identity monitoring \(SSNs exposed\)\)\. Complete each task/);
    await t.call('incidents.completeTask', { id, task: 'identity_monitoring', note: 'Two years of monitoring offered.' }, staff.officer);
    const closed = await t.call<ResponseOf<'incidents.update'>>('incidents.update', { id, status: 'closed' }, staff.officer);
    expect(closed.incident.closedAt).not.toBeNull();
    expect(await t.result('incidents.completeTask', { id, task: 'isolate', note: 'late' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const due = await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { kinds: ['incident_task'], limit: 500 }, staff.officer);
    expect(due.items.some((x) => x.refId === id)).toBe(false);
  });

  it('a change that starts the clock or reopens a task cannot close the incident in the same call', async () => {
    // Every task done and counsel's review in: closing while SSNs turn out exposed reopens identity monitoring, so it is refused.
    const { id } = await breach(3);
    for (const task of POLICY_TASKS.filter((x) => !x.when)) await t.call('incidents.completeTask', { id, task: task.key, note: 'Done.' }, staff.officer);
    await t.call('incidents.counselReview', { id, note: 'Reviewed.' }, staff.counsel);
    const before = (await get(id)).incident;
    expect(await t.result('incidents.update', { id, status: 'closed', ssnExposed: true }, staff.officer)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/1 breach-clock task is still open \(Offer identity monitoring/) },
    });
    expect((await get(id)).incident).toEqual(before);
    // A phishing report reclassified as a breach and closed at once: the clock it starts is all open.
    const r = await t.call<Created>('incidents.create', { title: 'Phish that got in', classification: 'phishing', severity: 'medium', discoveredAt: new Date(Date.now() - HOUR).toISOString() }, staff.officer);
    expect(await t.result('incidents.update', { id: r.incident.id, classification: 'data_breach', status: 'closed' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await get(r.incident.id)).incident).toMatchObject({ status: 'open', classification: 'phishing', clock: { tasks: 0 } });
  });

  it('an incident without the clock closes without tasks or a counsel review', async () => {
    const r = await t.call<Created>('incidents.create', { title: 'Phishing attempt, no access', classification: 'phishing', severity: 'low', discoveredAt: new Date(Date.now() - HOUR).toISOString() }, staff.officer);
    expect(r.incident.counselReviewRequired).toBe(false);
    const closed = await t.call<ResponseOf<'incidents.update'>>('incidents.update', { id: r.incident.id, status: 'closed' }, staff.officer);
    expect(closed.incident.closedAt).not.toBeNull();
  });
});

describe('the incident report', () => {
  it('is a PDF anchored to a freshly signed checkpoint, with date, time, systems, the clock, notifications, timeline and counsel review; its hash ledgered', async () => {
    const { id, discoveredAt } = await breach(30, { ssnExposed: true, systemsAffected: ['Registrar mailbox', 'Financial-aid share'] });
    await t.call('incidents.completeTask', { id, task: 'isolate', note: 'Mailbox disconnected.', doneAt: new Date(Date.parse(discoveredAt) + HOUR / 2).toISOString() }, staff.officer);
    await t.call('incidents.recordNotification', { id, recipientType: 'it_security', recipient: 'Kwame Mensah', method: 'phone' }, staff.officer);
    await t.call('incidents.addAction', { id, text: 'Session tokens revoked for the mailbox.' }, staff.officer);
    await t.call('incidents.counselReview', { id, note: 'Notices within the 72 hours; approved.' }, staff.counsel);
    const before = t.eventCount();
    const r = await t.call<ResponseOf<'incidents.report'>>('incidents.report', { id }, staff.officer);
    // The anchor is the head before the report's own event.
    expect(r.checkpoint.size).toBe(before);
    const stored = t.app.ws.db.prepare('SELECT size, root, reason FROM checkpoints ORDER BY id DESC LIMIT 1').get() as { size: number; root: string; reason: string };
    expect(stored).toEqual({ size: r.checkpoint.size, root: r.checkpoint.root, reason: `incident:${id}` });
    const path = exportedPath(t, r.fileName);
    const bytes = readFileSync(path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
    expect(t.lastEvent('incidents.report')).toMatchObject({ resource_id: id, details: { sha256: r.sha256, bytes: bytes.length, through_seq: before, root: r.checkpoint.root, file_name: r.fileName } });

    expect(spawnSync('qpdf', ['--check', path], { encoding: 'utf8' }).status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Incident report ${id}`);
    // Date and time of discovery, as people read them ("2 Dec 2026, 01:22 UTC").
    const at = new Date(discoveredAt);
    expect(flat).toContain(`Discovered ${at.getUTCDate()} ${at.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${at.getUTCFullYear()}, ${discoveredAt.slice(11, 16)} UTC`);
    expect(flat).toContain('Registrar mailbox, Financial-aid share');
    for (const task of POLICY_TASKS) expect(flat).toContain(task.title);
    expect(flat).toContain('OVERDUE');
    expect(flat).toContain('Kwame Mensah');
    expect(flat).toContain('Session tokens revoked for the mailbox.');
    expect(flat).toContain('Notices within the 72 hours; approved.');
    expect(flat).toContain(String(r.checkpoint.size));
    // The root is printed whole (it may wrap inside its cell).
    expect(text.replace(/\s+/g, '')).toContain(r.checkpoint.root);
  });

  it('says so when counsel has not reviewed; a missing incident is not_found and signs nothing', async () => {
    const { id } = await breach(1);
    const r = await t.call<ResponseOf<'incidents.report'>>('incidents.report', { id }, staff.counsel);
    const text = execFileSync('pdftotext', [exportedPath(t, r.fileName), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('NOT YET REVIEWED');
    const checkpoints = () => (t.app.ws.db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
    const n = checkpoints();
    expect(await t.result('incidents.report', { id: 'INC-1999-0001' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(checkpoints()).toBe(n);
  });
});
