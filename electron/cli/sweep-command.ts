import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SweepHeld } from '../../shared/contract/retention.js';
import { call, withSession } from '../cli.js';

const heldJson = (h: SweepHeld) => ({ id: h.id, hold: h.holds[0] ?? null, holds: h.holds, category: h.category, action: h.action });

/**
 * `custos sweep WORKSPACE [--dry-run] [--json]`: the retention sweep through the same channels as
 * the Retention screen. A dry run lists what would be archived or deleted and what a legal hold
 * keeps; a run then does it (one retention.sweep event per item, a closing event with the counts).
 * Both also say what audit-log pruning would do or did (events older than the audit-log policy).
 */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('Retention sweep: archive or delete records whose retention period has run out (records under legal hold are skipped), and prune audit-log events older than the audit-log policy to their hashes.')
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in (an administrator or compliance officer)', 'admin')
    .option('--dry-run', 'list what would be archived or deleted, and what is held; change nothing')
    .option('--json', 'print JSON: {"candidates": [{"id", "category", "action"}], "held": [{"id", "hold"}], …}')
    .action(async (ws: string, o: { user: string; dryRun?: boolean; json?: boolean }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const plan = await call(dispatch, 'retention.preview', { limit: 200_000 }, session);
        const candidates = plan.candidates.map((c) => ({ id: c.id, category: c.category, action: c.action }));
        if (o.dryRun) {
          if (o.json) {
            process.stdout.write(`${JSON.stringify({ dry_run: true, as_of: plan.asOf, counts: plan.counts, candidates, held: plan.held.map(heldJson), ledger: plan.ledger ?? null }, null, 2)}\n`);
            return;
          }
          process.stdout.write(`Dry run as of ${plan.asOf}: ${plan.counts.archive} to archive, ${plan.counts.delete} to delete, ${plan.counts.held} kept under legal hold.\n`);
          for (const c of plan.candidates) process.stdout.write(`  ${c.action.padEnd(7)} ${c.id}  ${c.category} (retention ran out ${c.retentionUntil})\n`);
          for (const h of plan.held) process.stdout.write(`  held    ${h.id}  ${h.category}: under ${h.holds.join(', ')}\n`);
          if (plan.ledger) process.stdout.write(`Audit log: ${plan.ledger.summary}\n`);
          return;
        }
        const done = await call(dispatch, 'retention.sweep', { via: 'cli' }, session);
        if (o.json) {
          const out = { dry_run: false, as_of: done.run.asOf, run: done.run, candidates, held: done.held.map(heldJson), archived: done.archived, deleted: done.deleted, ledger: done.ledger ?? null };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `Sweep ${done.run.id} as of ${done.run.asOf}: ${done.run.archived} archived, ${done.run.deleted} deleted, ${done.run.held} skipped under legal hold.\n`,
        );
        if (done.ledger) {
          const l = done.ledger;
          const said = l.error ? `pruning failed: ${l.error}` : l.description ? `${l.description[0]!.toUpperCase()}${l.description.slice(1)}${l.vacuumed ? '; the database was compacted' : ''}.` : l.plan.summary;
          process.stdout.write(`Audit log: ${said}\n`);
        }
      });
    });
}
