import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ResponseOf } from '../../shared/contract.js';
import { call, withSession } from '../cli.js';

/**
 * `custos compliance WORKSPACE [--json] [--all]`: where the workspace stands against each
 * switched-on framework (reviewed %, compliant %, overdue), read through the same channel as the
 * Compliance screen (so the reading is ledgered like any other sign-in and read).
 */
export function registerComplianceCommand(program: Command): void {
  program
    .command('compliance')
    .description('Print the compliance posture of each switched-on framework: requirements, compliant %, reviewed %, overdue assessments.')
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in', 'admin')
    .option('--json', 'print JSON: [{framework, requirements, compliant_pct, reviewed_pct, overdue}]')
    .option('--all', 'include frameworks that are switched off')
    .action(async (ws: string, o: { user: string; json?: boolean; all?: boolean }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const { items } = await call(dispatch, 'frameworks.list', { limit: 100, ...(o.all ? {} : { enabled: true }) }, session);
        const rows = items.map((f: ResponseOf<'frameworks.list'>['items'][number]) => ({
          framework: f.id,
          name: f.shortName,
          version: f.version,
          enabled: f.enabled,
          requirements: f.requirements,
          applicable: f.applicable,
          compliant_pct: f.compliantPct,
          reviewed_pct: f.reviewedPct,
          overdue: f.overdue,
          counts: f.counts,
        }));
        if (o.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('No framework is switched on in this workspace (custos compliance --all lists the shipped ones).\n');
          return;
        }
        const pct = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)}%`);
        const table = [
          ['Framework', 'Requirements', 'Compliant', 'Reviewed', 'Non-compliant', 'Overdue'],
          ...rows.map((r) => [`${r.name} (${r.framework})`, String(r.requirements), pct(r.compliant_pct), pct(r.reviewed_pct), String(r.counts.non_compliant), String(r.overdue)]),
        ];
        const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
        for (const row of table) process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`);
      });
    });
}
