import type { ComplianceStatus } from '../../../shared/contract/compliance.js';
import { now as clockNow } from '../clock.js';
import { loadFrameworks } from '../compliance/framework-data.js';
import { assessRequirement, assignRequirement, setFrameworkEnabled } from '../compliance/programs.js';
import type { DemoSeeder } from './seed-demo.js';

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
  if ((ws.db.prepare('SELECT count(*) AS n FROM compliance_frameworks').get() as { n: number }).n > 0) return 0;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const counsel = ctx.users.find((u) => u.role === 'legal_counsel')?.username ?? ctx.admin;
  const by = (actor: string) => ({ actor, at: clockNow() });
  const evidenceEvent = String(Math.max(1, start));
  for (const f of loadFrameworks().filter((x) => ENABLED.includes(x.id))) {
    setFrameworkEnabled(ws, by(officer), f.id, true);
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
