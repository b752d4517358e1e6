import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CustosApp } from './core/app.js';
import { createCore } from './core/create-core.js';
import type { Dispatch } from './core/dispatch.js';
import { invoke } from './core/invoke.js';
import type { ChannelName, RequestOf, ResponseOf } from '../shared/contract.js';
import { CustosError } from './core/errors.js';
import { setLockHolderName } from './core/db/workspace-lock.js';
import { formatReport } from './core/ledger/verify.js';
import { RENDERER_DIST } from './core/paths.js';
import type { VerificationReport } from '../shared/ledger-types.js';
import { MAX_COSIGNATURE_FILE } from '../shared/contract/witness.js';
import { readPassphrase } from './cli/prompt.js';
import { progressBar } from './cli/progress.js';
import { startLoopbackServer } from './server.js';
import { registerExtraCommands } from './cli/commands.js';

/** Runs a typed dispatch call (core/invoke.ts) and unwraps its Result, throwing the CustosError it carries. */
export async function call<C extends ChannelName>(dispatch: Dispatch, channel: C, input: RequestOf<C>, sessionId?: string): Promise<ResponseOf<C>> {
  const r = await invoke(dispatch, channel, input, { sessionId });
  if (!r.ok) throw new CustosError(r.error.code, r.error.message, r.error.details);
  return r.value;
}

/** Signs in to a workspace for one command, runs `fn`, and locks again (writing a checkpoint). */
export async function withSession<T>(
  dir: string,
  username: string,
  fn: (ctx: { app: CustosApp; dispatch: Dispatch; session: string }) => Promise<T>,
): Promise<T> {
  const { app, dispatch } = createCore(dir, { log: logUnexpected });
  if (app.status().state === 'uninitialized') throw new CustosError('not_found', `There is no Custos workspace at ${dir}.`);
  const passphrase = await readPassphrase(`Passphrase for ${username}: `);
  const { session } = await signInFromCli(dispatch, username, passphrase);
  try {
    return await fn({ app, dispatch, session });
  } finally {
    app.shutdown();
  }
}

/** Signs in as the command line; an account with a second factor is asked for its code (or CUSTOS_OTP gives it). */
async function signInFromCli(dispatch: Dispatch, username: string, passphrase: string): Promise<ResponseOf<'session.login'>> {
  const meta = { host: 'Command line' };
  const first = await invoke(dispatch, 'session.login', { username, passphrase }, meta);
  if (first.ok) return first.value;
  if (first.error.code !== 'mfa_required') throw new CustosError(first.error.code, first.error.message, first.error.details);
  const otp = await readPassphrase('Code from your authenticator app (or a backup code): ', { envVar: 'CUSTOS_OTP', what: 'second-factor code' });
  const second = await invoke(dispatch, 'session.login', { username, passphrase, otp }, meta);
  if (!second.ok) throw new CustosError(second.error.code, second.error.message, second.error.details);
  return second.value;
}

function logUnexpected(err: unknown): void {
  if (process.env.CUSTOS_DEBUG) console.error(err);
}

function workspaceDir(arg: string): string {
  return resolve(arg);
}

/** Prints a verification report (text or JSON) and sets the exit status. */
/** Prints a report (as JSON with `--json`, then with the speed when it was timed) and sets the exit status. */
export function printReport(report: VerificationReport, json: boolean, seconds?: number): void {
  const timed = seconds === undefined ? report : { ...report, events_per_s: Math.round(report.events_checked / Math.max(seconds, 1e-6)) };
  process.stdout.write(json ? `${JSON.stringify(timed, null, 2)}\n` : formatReport(report));
  process.exitCode = report.valid ? 0 : 1;
}

/** A cosignature file named on the command line, read whole once its size shows it can be one. */
function readCosignatureFile(file: string): string {
  const path = resolve(file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new CustosError('not_found', `There is no file ${path}.`);
  if (stat.size > MAX_COSIGNATURE_FILE) throw new CustosError('validation', `${path} is too large to be a cosignature file.`);
  return readFileSync(path, 'utf8');
}

/** Seconds since `start` (from process.hrtime.bigint()). */
function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('custos')
    .description('Custos: an offline compliance workstation with an encrypted workspace and a tamper-evident ledger.')
    .showHelpAfterError('(run custos --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) })
    // Names this process in the workspace lock, so a second opener is told which command holds it.
    .hook('preAction', (_program, action) => setLockHolderName(`custos ${action.name()}`));

  program
    .command('init')
    .description('Create a workspace with a first administrator and print its recovery key once.')
    .argument('<workspace>', 'folder to create (must be new or empty)')
    .option('--user <name>', 'username of the first administrator', 'admin')
    .option('--display-name <name>', 'display name of the first administrator', 'Administrator')
    .option('--name <name>', 'workspace name', 'Custos workspace')
    .action(async (ws: string, o: { user: string; displayName: string; name: string }) => {
      const dir = workspaceDir(ws);
      const passphrase = await readPassphrase(`New passphrase for ${o.user}: `, { confirm: true });
      const { dispatch } = createCore(dir, { log: logUnexpected });
      const res = await call(dispatch, 'workspace.init', {
        workspaceName: o.name,
        username: o.user,
        displayName: o.displayName,
        passphrase,
      });
      process.stdout.write(
        `Created workspace ${res.workspaceId} at ${dir}\n` +
          `Recovery key (shown once; store it offline): ${res.recoveryKey}\n`,
      );
    });

  program
    .command('serve')
    .description('Serve the app in a browser on 127.0.0.1; prints the URL with its access token on the first line.')
    .argument('<workspace>', 'workspace folder (created from the browser if it does not exist)')
    .option('--port <n>', 'port (default: a random free port)', (v) => Number.parseInt(v, 10))
    .action(async (ws: string, o: { port?: number }) => {
      const dir = workspaceDir(ws);
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CustosError('validation', `${dir} is not a folder.`);
      const { app, dispatch } = createCore(dir, { log: logUnexpected });
      app.runsSchedule = true;
      const server = await startLoopbackServer(app, dispatch, { port: o.port, rendererDir: RENDERER_DIST });
      process.stdout.write(`${server.url}\n`);
      process.stderr.write(`Custos is serving ${dir} on 127.0.0.1 only. Press Ctrl+C to stop.\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          app.shutdown();
          void server.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('db-key')
    .description('Print the raw database key (after signing in), for official SQLCipher tools.')
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (ws: string, o: { user: string }) => {
      await withSession(workspaceDir(ws), o.user, async ({ dispatch, session }) => {
        const { key } = await call(dispatch, 'workspace.dbKey', {}, session);
        process.stdout.write(`x'${key}'\n`);
      });
    });

  program
    .command('verify')
    .description('Verify a workspace ledger (or a bundle) and print the report; exit 0 only when valid.')
    .argument('<target>', 'workspace folder or bundle .zip')
    .option('--user <name>', 'who signs in (workspaces only)', 'admin')
    .option('--json', 'print the report as JSON')
    .option('--cosignature <file>', "a witness's cosignature file: the ledger must extend its tree head (workspaces only; repeatable)", (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (target: string, o: { user: string; json?: boolean; cosignature: string[] }) => {
      const path = resolve(target);
      if (existsSync(path) && statSync(path).isFile()) {
        const { verifyBundleFile } = await import('./core/bundle/verify-bundle.js');
        const bar = progressBar('verify');
        const start = process.hrtime.bigint();
        const report = await verifyBundleFile(path, { onProgress: (d, t) => bar.update(d, t) }).finally(() => bar.stop());
        printReport(report, o.json === true, secondsSince(start));
        return;
      }
      await withSession(path, o.user, async ({ app, dispatch, session }) => {
        const bar = progressBar('verify');
        const off = app.onEvent((event, payload) => {
          if (event === 'job.progress') {
            const p = payload as { done: number; total: number | null };
            bar.update(p.done, p.total);
          }
        });
        try {
          const start = process.hrtime.bigint();
          const cosignatures = o.cosignature.map(readCosignatureFile);
          const report = await call(dispatch, 'ledger.verify', cosignatures.length > 0 ? { cosignatures } : {}, session);
          printReport(report, o.json === true, secondsSince(start));
        } finally {
          off();
          bar.stop();
        }
      });
    });

  registerExtraCommands(program);
  return program;
}

/** Entry point: parses argv, prints one-sentence errors on stderr, sets the exit status. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof CustosError) {
      process.stderr.write(`custos: ${err.message}\n`);
    } else {
      process.stderr.write(`custos: ${err instanceof Error ? err.message : String(err)}\n`);
      if (process.env.CUSTOS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    }
    process.exitCode = 1;
  }
}
