import type { RequestOf } from '../../shared/contract.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { call, withSession } from '../cli.js';
import { CustosError } from '../core/errors.js';
import { copyExportTo } from '../core/exports/requests.js';
import { progressBar } from './progress.js';

interface ExportOptions {
  format: string;
  out: string;
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  text?: string;
  case?: string;
  evidence?: boolean;
  auditTrail: boolean;
  mask: string;
  type: string;
  request?: string;
  title?: string;
  purpose: string;
  recipient: string;
  user: string;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Export ledger events (csv, json, ndjson, xml or pdf) and, with --evidence, the evidence register. Types that need approval run with --request ID once another user approved them.',
    )
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--out <file>', 'output file (must not exist)')
    .option('--format <format>', 'csv | json | ndjson | xml | pdf', 'csv')
    .option('--from <date>', 'events at or after this RFC 3339 time or date')
    .option('--to <date>', 'events at or before this time or date')
    .option('--actor <name>', 'only this actor')
    .option('--action <action>', 'only this action (a trailing * matches a prefix)')
    .option('--outcome <outcome>', 'success | denied | failure')
    .option('--text <text>', 'free-text search')
    .option('--case <id>', 'only what belongs to this case (its events; with --evidence, the evidence linked to it)')
    .option('--evidence', 'also export the evidence register in scope: items, holds and chains of custody, never file contents (not with csv)')
    .option('--no-audit-trail', 'leave the ledger events out (use with --evidence)')
    .option('--mask <profile>', 'masking profile (none, pseudonymize-people, redact-people, redact-details)', 'none')
    .option('--type <type>', 'REGULATORY | AUDIT | LEGAL | INTERNAL', 'INTERNAL')
    .option('--request <id>', 'run this approved export request instead of creating one')
    .option('--title <title>', 'title of the export')
    .option('--purpose <text>', 'why the export is made', 'Command-line export')
    .option('--recipient <who>', 'who receives it', 'internal')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (target: string, o: ExportOptions) => {
      const outPath = resolve(o.out);
      if (existsSync(outPath)) throw new CustosError('conflict', `${outPath} already exists; choose a new file name.`);
      await withSession(resolve(target), o.user, async ({ app, dispatch, session }) => {
        let id = o.request;
        if (!id) {
          const filters = Object.fromEntries(
            Object.entries({ from: o.from, to: o.to, actor: o.actor, action: o.action, outcome: o.outcome, text: o.text }).filter(([, v]) => v !== undefined),
          );
          const { request } = await call(
            dispatch,
            'exports.request',
            {
              title: o.title ?? `Export of ${o.format.toUpperCase()} from the command line`,
              // Options are strings: the dispatch checks them against the contract and answers in one sentence.
              type: o.type as RequestOf<'exports.request'>['type'],
              format: o.format as RequestOf<'exports.request'>['format'],
              filters,
              ...(o.case ? { caseId: o.case } : {}),
              includeEvidence: o.evidence === true,
              includeAuditTrail: o.auditTrail,
              masking: o.mask,
              purpose: o.purpose,
              recipient: o.recipient,
            },
            session,
          );
          if (request.status !== 'approved') {
            throw new CustosError('forbidden', `Export request ${request.id} needs approval by another user; run again with --request ${request.id} once it is approved.`);
          }
          id = request.id;
        }
        const bar = progressBar('export');
        const off = app.onEvent((event, payload) => {
          if (event === 'job.progress') {
            const p = payload as { done: number; total: number | null };
            bar.update(p.done, p.total);
          }
        });
        try {
          // The session channel writes into the workspace's exports/ only; the command line then copies
          // the file to --out through the core (owner-only, never over an existing file, hash-checked, ledgered).
          const { request } = await call(dispatch, 'exports.execute', { id }, session);
          bar.stop();
          const copy = await copyExportTo(app.ws, { actor: app.sessionUser(app.session(session)).username }, request.id, outPath);
          process.stdout.write(`${request.id}: ${request.rows} events → ${copy.path}\nsha256 ${request.sha256}  ${request.bytes} bytes; checkpoint at ${request.checkpointSize} events\n`);
        } finally {
          off();
          bar.stop();
        }
      });
    });
}

/**
 * `custos approve WORKSPACE ID [--note]` and `custos reject WORKSPACE ID --reason`: decide another
 * user's pending export or bundle request, as the Exports screen does (never your own).
 */
export function registerDecisionCommands(program: Command): void {
  program
    .command('approve')
    .description("Approve another user's pending export or bundle request (an approver role; never your own).")
    .argument('<workspace>', 'workspace folder')
    .argument('<id>', 'the request, e.g. EXP-2026-0001')
    .option('--note <text>', 'a note for the requester', '')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (ws: string, id: string, o: { note: string; user: string }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const { request } = await call(dispatch, 'exports.approve', { id, note: o.note }, session);
        process.stdout.write(`${request.id} approved by ${request.decidedBy ?? o.user}; ${request.requestedBy} may now run it.\n`);
      });
    });
  program
    .command('reject')
    .description("Reject another user's pending export or bundle request, with a reason.")
    .argument('<workspace>', 'workspace folder')
    .argument('<id>', 'the request, e.g. EXP-2026-0001')
    .requiredOption('--reason <text>', 'why it is rejected (the requester reads it)')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (ws: string, id: string, o: { reason: string; user: string }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const { request } = await call(dispatch, 'exports.reject', { id, reason: o.reason }, session);
        process.stdout.write(`${request.id} rejected by ${request.decidedBy ?? o.user}.\n`);
      });
    });
}
