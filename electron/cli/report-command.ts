import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { REPORT_KINDS, type ReportKindId } from '../../shared/contract/reports.js';
import { call, withSession } from '../cli.js';
import { CustosError } from '../core/errors.js';
import { copyReportTo } from '../core/reports/reports.js';
import { progressBar } from './progress.js';

interface ReportOptions {
  kind?: string;
  from?: string;
  to?: string;
  out?: string;
  list?: boolean;
  user: string;
}

function printKinds(): void {
  const width = Math.max(...REPORT_KINDS.map((k) => k.id.length));
  for (const k of REPORT_KINDS) process.stdout.write(`${k.id.padEnd(width)}  ${k.framework}: ${k.title} (${k.reference}; default ${k.defaultDays} days)\n`);
}

/**
 * `custos report WORKSPACE --kind KIND [--from --to] --out FILE.pdf`: makes a pre-built report
 * through the same channel as the Reports screen (anchored, ledgered), then copies it to --out
 * (never over a file, hash-checked, ledgered). `custos report --list` names the kinds; with a
 * workspace it also lists the reports generated there.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Make a pre-built compliance report (PDF) anchored to a signed checkpoint; --list names the kinds.')
    .argument('[workspace]', 'workspace folder')
    .option('--kind <kind>', 'which report (see --list)')
    .option('--from <date>', 'first day of the period, YYYY-MM-DD (default: the kind\'s default period)')
    .option('--to <date>', 'last day of the period, YYYY-MM-DD (default: today, UTC)')
    .option('--out <file>', 'where to write the PDF (must not exist)')
    .option('--list', 'list the report kinds; with a workspace, also the reports generated in it')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (target: string | undefined, o: ReportOptions) => {
      if (o.list) {
        printKinds();
        if (!target) return;
        await withSession(resolve(target), o.user, async ({ dispatch, session }) => {
          const { items, total } = await call(dispatch, 'reports.list', { limit: 500 }, session);
          process.stdout.write(`\n${total} report${total === 1 ? '' : 's'} generated in this workspace:\n`);
          for (const r of items) {
            process.stdout.write(`${r.generatedAt}  ${r.kind}  ${r.from}..${r.to}  tree ${r.checkpointSize}  sha256 ${r.sha256}  ${r.fileName}\n`);
          }
        });
        return;
      }
      if (!target) throw new CustosError('validation', 'Name the workspace folder, or use --list to see the report kinds.');
      if (!o.kind) throw new CustosError('validation', 'Choose a report with --kind (custos report --list names them).');
      if (!REPORT_KINDS.some((k) => k.id === o.kind)) throw new CustosError('validation', `There is no report kind ${o.kind}; custos report --list names them.`);
      if (!o.out) throw new CustosError('validation', 'Say where to write the report with --out FILE.pdf.');
      const outPath = isAbsolute(o.out) ? o.out : resolve(o.out);
      if (existsSync(outPath)) throw new CustosError('conflict', `${outPath} already exists; choose a new file name.`);
      await withSession(resolve(target), o.user, async ({ app, dispatch, session }) => {
        const bar = progressBar('report');
        const off = app.onEvent((event, payload) => {
          if (event === 'job.progress') {
            const p = payload as { done: number; total: number | null };
            bar.update(p.done, p.total);
          }
        });
        try {
          const { report } = await call(
            dispatch,
            'reports.generate',
            // Options are strings: the dispatch checks the dates against the contract and answers in one sentence.
            { kind: o.kind as ReportKindId, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) },
            session,
          );
          bar.stop();
          await copyReportTo(app.ws, { actor: app.sessionUser(app.session(session)).username }, report, outPath);
          process.stdout.write(
            `${report.framework}: ${report.title}, ${report.from} to ${report.to} → ${outPath}\n` +
              `sha256 ${report.sha256}  ${report.bytes} bytes, ${report.pages} pages; anchored to tree size ${report.checkpointSize}, root ${report.checkpointRoot}\n`,
          );
        } finally {
          off();
          bar.stop();
        }
      });
    });
}
