import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import type { Framework } from '../../shared/compliance-data.js';
import { assessRequirement, frameworkHistory, listRequirements, setFrameworkEnabled, summarize } from '../../electron/core/compliance/programs.js';
import { loadFrameworks } from '../../electron/core/compliance/framework-data.js';
import { createTempWorkspace, removeTempDirs, type Staff, type TempWorkspace } from './helpers/workspace.js';

// Issue 11, items 1–4 (core): frameworks switched on per workspace, requirements with their state,
// assessments (append-only, ledgered, with evidence that must exist), owners, and the two numbers.

let t: TempWorkspace;
let staff: Staff;
const hipaa = JSON.parse(readFileSync(new URL('../../resources/frameworks/hipaa.json', import.meta.url), 'utf8')) as Framework;
const AUDIT_CONTROLS = '§164.312(b)';
const DAY = 86_400_000;

type Summary = ResponseOf<'frameworks.list'>['items'][number];
const summaryOf = async (id: string, session = staff.viewer): Promise<Summary> =>
  (await t.call<ResponseOf<'frameworks.list'>>('frameworks.list', { limit: 50 }, session)).items.find((f) => f.id === id)!;

beforeAll(async () => {
  t = await createTempWorkspace();
  staff = await t.addStaff();
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

describe('frameworks', () => {
  it('lists the seven shipped frameworks, all switched off in a new workspace, with nothing assessed', async () => {
    const list = await t.call<ResponseOf<'frameworks.list'>>('frameworks.list', { limit: 50 }, staff.viewer);
    expect(list.total).toBe(7);
    expect(list.items.map((f) => f.id).sort()).toEqual(['ccpa-cpra', 'ferpa', 'gdpr', 'hipaa', 'iso27001-2022', 'pci-dss-4', 'sox-itgc']);
    const h = list.items.find((f) => f.id === 'hipaa')!;
    expect(h).toMatchObject({ enabled: false, requirements: hipaa.requirements.length, applicable: hipaa.requirements.length, compliantPct: 0, reviewedPct: 0, overdue: 0 });
    expect(h.counts.not_assessed).toBe(hipaa.requirements.length);
  });

  it('is switched on by an officer (ledgered), refused to a viewer and an auditor, and a repeat is a conflict that changes nothing', async () => {
    for (const session of [staff.viewer, staff.auditor]) {
      expect(await t.result('frameworks.setEnabled', { id: 'hipaa', enabled: true }, session)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const { framework } = await t.call<ResponseOf<'frameworks.setEnabled'>>('frameworks.setEnabled', { id: 'hipaa', enabled: true }, staff.officer);
    expect(framework.enabled).toBe(true);
    expect(t.lastEvent('frameworks.setEnabled')).toMatchObject({ actor: 'maria.chen', resource_id: 'hipaa', outcome: 'success', details: { enabled: true, requirements: hipaa.requirements.length } });
    const before = t.eventCount();
    expect(await t.result('frameworks.setEnabled', { id: 'hipaa', enabled: true }, staff.officer)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(t.eventCount()).toBe(before + 1);
    expect(await t.result('frameworks.setEnabled', { id: 'no-such-framework', enabled: true }, staff.officer)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('requirements and assessments', () => {
  it('lists the switched-on requirements with filters that agree with the framework file', async () => {
    const critical = hipaa.requirements.filter((r) => r.priority === 'critical').map((r) => r.requirementId);
    const page = await t.call<ResponseOf<'requirements.list'>>('requirements.list', { frameworkId: 'hipaa', priority: ['critical'], status: ['not_assessed'], limit: 500 }, staff.viewer);
    expect(page.total).toBe(critical.length);
    expect(page.items.map((r) => r.requirementId).sort()).toEqual([...critical].sort());
    const all = await t.call<ResponseOf<'requirements.list'>>('requirements.list', { limit: 500 }, staff.viewer);
    // Only HIPAA is switched on.
    expect(all.total).toBe(hipaa.requirements.length);
    expect(await t.result('requirements.list', { sort: 'nonsense' }, staff.viewer)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('records an assessment with evidence from the workspace: ledgered, on the timeline, and both numbers move', async () => {
    const seq = t.eventCount();
    const r = await t.call<ResponseOf<'requirements.assess'>>(
      'requirements.assess',
      { frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, status: 'compliant', implemented: true, notes: 'Every access and denial is ledgered; the chain verifies.', evidence: [{ type: 'event', id: String(seq) }] },
      staff.officer,
    );
    expect(r.requirement).toMatchObject({ status: 'compliant', implemented: true, overdue: false });
    expect(r.assessment).toMatchObject({ previousStatus: 'not_assessed', status: 'compliant', assessedBy: 'maria.chen', evidence: [{ type: 'event', id: String(seq) }] });
    expect(r.assessment.id).toMatch(/^ASM-\d{4}-0001$/);
    // The next assessment falls one interval later.
    expect(Date.parse(r.requirement.nextAssessmentAt!) - Date.parse(r.assessment.assessedAt)).toBe(hipaa.assessmentIntervalDays * DAY);
    const event = t.lastEvent('requirements.assess')!;
    expect(event).toMatchObject({ actor: 'maria.chen', resource_type: 'requirement', resource_id: `hipaa ${AUDIT_CONTROLS}`, details: { assessment: r.assessment.id, from: 'not_assessed', to: 'compliant', evidence: [`event:${seq}`] } });
    // The row and its event carry the same instant.
    expect(event.ts).toBe(r.assessment.assessedAt);

    const h = await summaryOf('hipaa');
    const pct = Math.round((1 / hipaa.requirements.length) * 1000) / 10;
    expect(h).toMatchObject({ compliantPct: pct, reviewedPct: pct, implemented: 1 });
    expect(h.counts.compliant).toBe(1);

    const detail = await t.call<ResponseOf<'requirements.get'>>('requirements.get', { frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS }, staff.viewer);
    expect(detail.assessments.map((a) => a.id)).toEqual([r.assessment.id]);
    // One control, many requirements: access logging also meets PCI DSS 10.2.1 and ISO A.8.15.
    const logging = detail.controls.find((c) => c.id === 'CTL-LOG-01')!;
    expect(logging.alsoMeets).toEqual(expect.arrayContaining([expect.objectContaining({ frameworkId: 'pci-dss-4', requirementId: '10.2.1', status: null }), expect.objectContaining({ frameworkId: 'iso27001-2022', requirementId: 'A.8.15' })]));
  });

  it('refuses evidence that does not exist, a past next date, a switched-off framework and unknown ids; each refusal changes nothing but one ledger event', async () => {
    const bad = [
      [{ frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, evidence: [{ type: 'evidence', id: 'EV-2026-9999' }] }, 'validation'],
      [{ frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, evidence: [{ type: 'event', id: String(10 ** 9) }] }, 'validation'],
      [{ frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, evidence: [{ type: 'report', id: '../custos.db' }] }, 'validation'],
      [{ frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, evidence: [{ type: 'export', id: 'EXP-2026-0042' }] }, 'validation'],
      [{ frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, nextAssessmentAt: '2001-01-01' }, 'validation'],
      [{ frameworkId: 'gdpr', requirementId: 'Art. 30' }, 'conflict'],
      [{ frameworkId: 'hipaa', requirementId: '§999.999' }, 'not_found'],
    ] as const;
    for (const [input, code] of bad) {
      const before = t.eventCount();
      const rows = t.app.ws.db.prepare('SELECT count(*) AS n FROM compliance_assessments').get() as { n: number };
      const r = await t.result('requirements.assess', { status: 'non_compliant', implemented: false, notes: 'Attempt.', ...input }, staff.officer);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code } });
      expect(t.eventCount()).toBe(before + 1);
      // Recorded under what it was about: the requirement (its framework, when that is switched off).
      const refusal = t.events().at(-1)!;
      expect([refusal.action, refusal.resource_type, refusal.resource_id], JSON.stringify(input)).toEqual(
        code === 'conflict' ? ['requirements.assess', 'framework', input.frameworkId] : ['requirements.assess', 'requirement', `${input.frameworkId} ${input.requirementId}`],
      );
      expect(t.app.ws.db.prepare('SELECT count(*) AS n FROM compliance_assessments').get()).toEqual(rows);
    }
    // Auditors and viewers read; they never assess.
    expect(await t.result('requirements.assess', { frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, status: 'compliant', implemented: true, notes: 'x' }, staff.auditor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('counts a requirement as overdue once its next date passes, and not-applicable ones in no percentage', async () => {
    const critical = '§164.312(a)(1)';
    const tomorrow = new Date(Date.now() + DAY).toISOString();
    await t.call('requirements.assess', { frameworkId: 'hipaa', requirementId: critical, status: 'non_compliant', implemented: false, notes: 'Unique user ids missing on the scanner station.', nextAssessmentAt: tomorrow }, staff.officer);
    await t.call('requirements.assess', { frameworkId: 'hipaa', requirementId: '§164.404', status: 'not_applicable', implemented: false, notes: 'No unsecured PHI is held here.' }, staff.counsel);
    const later = new Date(Date.now() + 2 * DAY);
    const f = loadFrameworks().find((x) => x.id === 'hipaa')!;
    const s = summarize(t.app.ws, f, later);
    expect(s.applicable).toBe(hipaa.requirements.length - 1);
    expect(s.overdue).toBe(1);
    expect(s.compliantPct).toBe(Math.round((1 / (hipaa.requirements.length - 1)) * 1000) / 10);
    const overdue = listRequirements(t.app.ws, { overdue: true, sort: 'framework', dir: 'asc', offset: 0, limit: 50 }, later);
    expect(overdue.items.map((r) => r.requirementId)).toEqual([critical]);
    expect(overdue.items[0]).toMatchObject({ status: 'non_compliant', overdue: true });
  });

  it('puts the re-assessments on the due list, overdue first once their date passes', async () => {
    const later = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const due = await t.call<ResponseOf<'deadlines.list'>>('deadlines.list', { asOf: later, kinds: ['assessment'], limit: 100 }, staff.viewer);
    const scanner = due.items.find((d) => d.refId === 'hipaa §164.312(a)(1)')!;
    expect(scanner).toMatchObject({ kind: 'assessment', refType: 'requirement', state: 'non_compliant', overdue: true });
    expect(due.items[0]).toEqual(scanner);
    // Not applicable requirements are never due; compliant ones are due a year on, not overdue.
    expect(due.items.some((d) => d.refId === 'hipaa §164.404')).toBe(false);
    expect(due.items.find((d) => d.refId === `hipaa ${AUDIT_CONTROLS}`)).toMatchObject({ overdue: false });
  });

  it('offers the workspace’s own proof: the last VALID verification of the ledger, the last recorded access', async () => {
    const ref = { frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS };
    const before = await t.call<ResponseOf<'requirements.get'>>('requirements.get', ref, staff.viewer);
    expect(before.proofs.find((p) => p.evidence === 'ledger-verified')).toMatchObject({ seq: null });
    await t.call('ledger.verify', {}, t.admin);
    const verified = t.lastEvent('ledger.verify')!;
    expect(verified.details.valid).toBe(true);
    const after = await t.call<ResponseOf<'requirements.get'>>('requirements.get', ref, staff.viewer);
    expect(after.proofs.map((p) => p.evidence).sort()).toEqual(['access-log', 'ledger-verified']);
    expect(after.proofs.find((p) => p.evidence === 'ledger-verified')).toMatchObject({ seq: verified.seq, ts: verified.ts, action: 'ledger.verify' });
    // A verification that found a problem proves nothing: only VALID ones count.
    t.app.ws.tx(() => t.app.ws.ledger.append({ actor: 'admin', action: 'ledger.verify', resource_type: 'ledger', resource_id: t.workspaceId, details: { valid: false, size: 1, problems: 1, root: 'x' } }));
    const again = await t.call<ResponseOf<'requirements.get'>>('requirements.get', ref, staff.viewer);
    expect(again.proofs.find((p) => p.evidence === 'ledger-verified')?.seq).toBe(verified.seq);
  });

  it('keeps assessments append-only, even to SQL inside Custos', () => {
    expect(() => t.app.ws.db.prepare("UPDATE compliance_assessments SET status = 'compliant'").run()).toThrow(/cannot be changed/);
    expect(() => t.app.ws.db.prepare('DELETE FROM compliance_assessments').run()).toThrow(/cannot be removed/);
  });

  it('assigns an owner who must be an active user; the owner is a person in the ledger', async () => {
    expect(await t.result('requirements.assign', { frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, assignee: 'nobody.here' }, staff.officer)).toMatchObject({ ok: false, error: { code: 'validation' } });
    const { requirement } = await t.call<ResponseOf<'requirements.assign'>>('requirements.assign', { frameworkId: 'hipaa', requirementId: AUDIT_CONTROLS, assignee: 'david.okafor' }, staff.officer);
    expect(requirement.assignedTo).toBe('david.okafor');
    expect(t.lastEvent('requirements.assign')).toMatchObject({ details: { from: null, to: 'david.okafor' } });
    const mine = await t.call<ResponseOf<'requirements.list'>>('requirements.list', { assignedTo: 'david.okafor' }, staff.officer);
    expect(mine.items.map((r) => r.requirementId)).toEqual([AUDIT_CONTROLS]);
  });

  it('keeps the state of a switched-off framework for when it is switched on again', async () => {
    const before = await summaryOf('hipaa');
    await t.call('frameworks.setEnabled', { id: 'hipaa', enabled: false }, staff.officer);
    expect((await t.call<ResponseOf<'requirements.list'>>('requirements.list', {}, staff.viewer)).total).toBe(0);
    await t.call('frameworks.setEnabled', { id: 'hipaa', enabled: true }, staff.officer);
    expect(await summaryOf('hipaa')).toEqual(before);
  });
});

describe('history of the two numbers', () => {
  it('replays the assessments: every point agrees with a query of the assessments as they stood, and the last is the card', async () => {
    const h = await createTempWorkspace();
    try {
      const ws = h.app.ws;
      const ferpa = loadFrameworks().find((x) => x.id === 'ferpa')!;
      const [a, b, c, d] = ferpa.requirements.map((r) => r.requirementId);
      const t0 = Date.now() + 400 * DAY;
      const at = (daysBefore: number) => ({ actor: 'admin', at: new Date(t0 - daysBefore * DAY) });
      setFrameworkEnabled(ws, at(300), 'ferpa', true);
      const assess = (daysBefore: number, requirementId: string, status: 'compliant' | 'non_compliant' | 'not_applicable') =>
        assessRequirement(ws, at(daysBefore), { frameworkId: 'ferpa', requirementId, status, implemented: status === 'compliant', notes: 'n', evidence: [] });
      assess(300, a!, 'compliant');
      assess(200, b!, 'non_compliant');
      assess(120, b!, 'compliant');
      assess(60, c!, 'not_applicable');
      assess(10, d!, 'compliant');

      const { points } = frameworkHistory(ws, 'ferpa', 365, new Date(t0));
      // It starts at the first assessment, steps evenly, and ends now.
      expect(points[0]!.at).toBe(at(300).at.toISOString());
      expect(points.at(-1)!.at).toBe(new Date(t0).toISOString());
      expect(points.length).toBeGreaterThan(50);
      const card = summarize(ws, ferpa, new Date(t0));
      expect(points.at(-1)).toMatchObject({ compliantPct: card.compliantPct, reviewedPct: card.reviewedPct, assessed: 5 });

      // Each point, recomputed independently from the table: the newest assessment per requirement at or before it.
      const interval = new Map(ferpa.requirements.map((r) => [r.requirementId, r.assessmentIntervalDays ?? ferpa.assessmentIntervalDays]));
      for (const p of points) {
        const rows = ws.db
          .prepare(
            `SELECT requirement_id AS id, status, assessed_at AS at FROM compliance_assessments x WHERE framework_id = 'ferpa' AND assessed_at <= ?
             AND rowid = (SELECT rowid FROM compliance_assessments y WHERE y.framework_id = x.framework_id AND y.requirement_id = x.requirement_id AND y.assessed_at <= ? ORDER BY assessed_at DESC, rowid DESC LIMIT 1)`,
          )
          .all(p.at, p.at) as { id: string; status: string; at: string }[];
        const applicable = ferpa.requirements.length - rows.filter((r) => r.status === 'not_applicable').length;
        const compliant = rows.filter((r) => r.status === 'compliant').length;
        const reviewed = rows.filter((r) => r.status !== 'not_applicable' && new Date(r.at).getTime() + interval.get(r.id)! * DAY >= new Date(p.at).getTime()).length;
        expect(p.compliantPct, p.at).toBe(Math.round((compliant / applicable) * 1000) / 10);
        expect(p.reviewedPct, p.at).toBe(Math.round((reviewed / applicable) * 1000) / 10);
      }
      // The numbers moved: one compliant at the start; b turned compliant 120 days before the end.
      expect(points[0]!.compliantPct).toBe(Math.round((1 / ferpa.requirements.length) * 1000) / 10);
      expect(points.at(-1)!.compliantPct).toBe(Math.round((3 / (ferpa.requirements.length - 1)) * 1000) / 10);

      // Over the channel: any role reads it; an unknown framework is not found.
      const staffH = await h.addStaff();
      const viaChannel = await h.call<ResponseOf<'frameworks.history'>>('frameworks.history', { id: 'ferpa', days: 30 }, staffH.viewer);
      expect(viaChannel.frameworkId).toBe('ferpa');
      expect(await h.result('frameworks.history', { id: 'nope', days: 30 }, staffH.viewer)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      h.app.shutdown();
    }
  });
});
