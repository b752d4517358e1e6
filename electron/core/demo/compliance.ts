import type { ComplianceStatus } from '../../../shared/contract/compliance.js';
import { now as clockNow } from '../clock.js';
import { frameworkEnabled } from '../compliance/compliance-store.js';
import { loadFrameworks } from '../compliance/framework-data.js';
import { assessRequirement, assignRequirement, setFrameworkEnabled } from '../compliance/programs.js';
import type { DemoSeeder } from './seed-demo.js';
import { frameworkRowCount, ownedRequirementCount } from './demo-store.js';

type DemoUsers = Parameters<DemoSeeder>[1];

const DAY = 86_400_000;
/** The frameworks a school district's records office would track. */
const ENABLED = ['ferpa', 'hipaa', 'gdpr', 'sox-itgc'];

/** How the assessments of the demo fall, by the requirement's position in its framework (a fixed, varied pattern). */
const PATTERN: readonly (Exclude<ComplianceStatus, 'not_assessed'> | null)[] = ['compliant', 'compliant', 'partially_compliant', 'compliant', null, 'non_compliant', 'compliant', 'not_applicable', 'compliant', null];

/**
 * `custos demo`: switches on the frameworks of a records office, assesses about four in five of their
 * requirements through the service (compliant, partially, non-compliant, not applicable; every
 * assessment ledgered), makes owners of the officer and counsel, and schedules a few re-assessments
 * for the next day, so that by the time the demo opens they are overdue. Dated from the core clock.
 */
export const seedComplianceDemo: DemoSeeder = (ws, ctx) => {
  const start = ws.ledger.head().size;
  // The owners are named in this, the last round: a workspace that has them was seeded before.
  if (ownedRequirementCount(ws.db) > 0) return 0;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const counsel = ctx.users.find((u) => u.role === 'legal_counsel')?.username ?? ctx.admin;
  const by = (actor: string) => ({ actor, at: clockNow() });
  const evidenceEvent = String(Math.max(1, start));
  for (const f of loadFrameworks().filter((x) => ENABLED.includes(x.id))) {
    if (!frameworkEnabled(ws.db, f.id)) setFrameworkEnabled(ws, by(officer), f.id, true);
    f.requirements.forEach((r, i) => {
      const status = PATTERN[i % PATTERN.length] ?? null;
      const ref = { frameworkId: f.id, requirementId: r.requirementId };
      if (i % 3 === 0) assignRequirement(ws, by(i % 2 === 0 ? officer : counsel), { ...ref, assignee: i % 2 === 0 ? officer : counsel });
      if (status === null) return;
      const soon = i % 7 === 5;
      assessRequirement(ws, by(status === 'non_compliant' ? counsel : officer), {
        ...ref,
        status,
        implemented: status === 'compliant' || status === 'partially_compliant',
        notes: NOTES[status],
        evidence: r.custosEvidence?.includes('ledger-verified') || r.custosEvidence?.includes('access-log') ? [{ type: 'event', id: evidenceEvent }] : [],
        // A few are due again the next day: overdue by the time the demo is opened.
        ...(soon ? { nextAssessmentAt: new Date(clockNow().getTime() + DAY).toISOString() } : {}),
      });
    });
  }
  return ws.ledger.head().size - start;
};

const NOTES: Record<Exclude<ComplianceStatus, 'not_assessed'>, string> = {
  compliant: 'Control in place and tested on a sample; the ledger shows it operating over the period.',
  partially_compliant: 'Procedure exists but is not applied everywhere; two departments still keep paper logs.',
  non_compliant: 'No documented procedure; remediation plan due with the next quarterly checklist.',
  not_applicable: 'Out of scope for this office: no such data or processing here.',
};

/**
 * The program's earlier rounds, run by `seedDemo` between stretches of routine history so the two
 * numbers have a past to chart: the frameworks are switched on in the first round, and each round
 * assesses a growing share of the requirements, more of them compliant as the program matures
 * (the last round, `seedComplianceDemo`, sets today's state). Null when the workspace already has a
 * compliance program (a demo run again over an existing workspace adds no history).
 */
export function complianceHistory(ws: Parameters<DemoSeeder>[0], ctx: DemoUsers): ((round: number, rounds: number) => void) | null {
  if (frameworkRowCount(ws.db) > 0) return null;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  return (round, rounds) => {
    const by = { actor: officer, at: clockNow() };
    for (const f of loadFrameworks().filter((x) => ENABLED.includes(x.id))) {
      if (round === 0) setFrameworkEnabled(ws, by, f.id, true);
      f.requirements.forEach((r, i) => {
        // Round k reaches the first (k + 1) / rounds of the requirements, in a varied order.
        const final = PATTERN[i % PATTERN.length];
        // Requirements still unassessed today were never assessed.
        if (final === null || (i * 7) % rounds > round) return;
        const score = (i * 37 + round * 11) % 100;
        const status = final === 'not_applicable' ? 'not_applicable' : score < 20 + (50 * round) / rounds ? 'compliant' : score < 70 ? 'partially_compliant' : 'non_compliant';
        assessRequirement(ws, { actor: officer, at: clockNow() }, {
          frameworkId: f.id,
          requirementId: r.requirementId,
          status,
          implemented: status !== 'non_compliant' && status !== 'not_applicable',
          notes: NOTES[status],
          evidence: [],
        });
      });
    }
  };
}
