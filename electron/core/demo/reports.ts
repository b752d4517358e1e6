import { generateReport, listReports } from '../reports/reports.js';
import type { DemoSeeder } from './seed-demo.js';

/**
 * `custos demo`: the compliance officer has produced the HIPAA audit-controls report and the FERPA
 * annual report, and the auditor the unauthorized-attempts view, each anchored to the checkpoint
 * signed when it was made (so the Reports screen has a history and each report can be checked
 * against the ledger). Made through the reports service, dated from the core clock.
 */
export const seedReportsDemo: DemoSeeder = async (ws, ctx) => {
  if (listReports(ws, { sort: 'generated_at', dir: 'desc', offset: 0, limit: 1 }).total > 0) return 0;
  const start = ws.ledger.head().size;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  const auditor = ctx.users.find((u) => u.role === 'auditor')?.username ?? ctx.admin;
  await generateReport(ws, { actor: officer, role: 'compliance_officer' }, { kind: 'hipaa-audit-controls' });
  await generateReport(ws, { actor: officer, role: 'compliance_officer' }, { kind: 'ferpa-annual' });
  await generateReport(ws, { actor: auditor, role: 'auditor' }, { kind: 'unauthorized-attempts' });
  return ws.ledger.head().size - start;
};
