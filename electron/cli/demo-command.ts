import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createCore } from '../core/create-core.js';
import { withSimulatedClock } from '../core/clock.js';
import { seedDemo } from '../core/demo/seed-demo.js';
import { CustosError } from '../core/errors.js';
import { inspectFolder, Workspace } from '../core/workspace.js';
import { progressBar } from './progress.js';
import { readPassphrase } from './prompt.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Create (or extend) a workspace with realistic sample data: users, cases, holds, disclosures and N ledger events.')
    .argument('<workspace>', 'workspace folder (created if new)')
    .option('--events <n>', 'total ledger events to reach', (v) => Number.parseInt(v, 10), 5000)
    .option('--user <name>', 'administrator username', 'admin')
    .option('--days <n>', 'spread activity over the last N days', (v) => Number.parseInt(v, 10), 180)
    .action(async (target: string, o: { events: number; user: string; days: number }) => {
      if (!Number.isInteger(o.events) || o.events < 0) throw new CustosError('validation', '--events must be a whole number.');
      const dir = resolve(target);
      const passphrase = await readPassphrase(`Passphrase for ${o.user}: `);
      const { app } = createCore(dir);
      const fresh = inspectFolder(dir).state === 'uninitialized';
      const bar = progressBar('demo');
      // A new demo workspace gets a history that ends now: its clock starts `days` ago (seedDemo paces it).
      const span = o.days * 86_400_000;
      const start = fresh ? new Date(Date.now() - span) : new Date();
      try {
        const { events, mfa } = await withSimulatedClock(start, 1, async (clock) => {
          if (fresh) {
            const { recoveryKey } = app.init({ workspaceName: 'Demo — Northfield School District', username: o.user, displayName: 'Alex Morgan', passphrase });
            process.stderr.write(`Created demo workspace at ${dir}; recovery key: ${recoveryKey}\n`);
          }
          app.login(o.user, passphrase);
          const ws: Workspace = app.ws;
          const opts = { events: o.events, admin: o.user, passphrase, days: o.days, onProgress: (d: number, t: number) => bar.update(d, t) };
          return seedDemo(ws, fresh ? { ...opts, clock, secondFactor: true } : opts);
        });
        bar.stop();
        process.stdout.write(`Demo workspace ready at ${dir}: ${events} ledger events. Demo users share the administrator's passphrase.\n`);
        if (mfa) {
          process.stdout.write(
            `${mfa.username} also has a second factor: add the key ${mfa.secret} to an authenticator app (or open ${mfa.otpauthUri}) and sign in with its 6-digit code.\n`,
          );
        }
      } finally {
        bar.stop();
        app.shutdown();
      }
    });
}
