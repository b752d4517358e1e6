import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ResponseOf } from '../../shared/contract.js';
import { call, withSession } from '../cli.js';
import { progressBar } from './progress.js';

/** `custos rekey WORKSPACE`: a new random database key, handed to every remaining keyslot; ledgered. */
export function registerRekeyCommand(program: Command): void {
  program
    .command('rekey')
    .description('Give the database a new random key (after signing in as an administrator); every keyslot is re-wrapped, old copies keep the old key.')
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in (an administrator)', 'admin')
    .action(async (ws: string, o: { user: string }) => {
      await withSession(resolve(ws), o.user, async ({ app, dispatch, session }) => {
        const bar = progressBar('rekey');
        const off = app.onEvent((event, payload) => {
          if (event === 'job.progress') {
            const p = payload as { done: number; total: number | null };
            bar.update(p.done, p.total);
          }
        });
        let res: ResponseOf<'workspace.rekey'>;
        try {
          res = await call(dispatch, 'workspace.rekey', {}, session);
        } finally {
          off();
          bar.stop();
        }
        process.stdout.write(
          `Re-keyed the database: key generation ${res.generation} at ${res.rotatedAt}; ${res.slotsKept} keyslot(s) carried over` +
            (res.slotsRemoved > 0 ? `, ${res.slotsRemoved} old-format keyslot(s) dropped (those users need a new passphrase via the recovery key)` : '') +
            '.\n' +
            (res.recoveryKey ? `New recovery key (the old one no longer works; shown once, store it offline): ${res.recoveryKey}\n` : ''),
        );
      });
    });
}
