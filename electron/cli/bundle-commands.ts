import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RequestOf, ResponseOf } from '../../shared/contract.js';
import { call, printReport, withSession } from '../cli.js';
import type { CustosApp } from '../core/app.js';
import type { Dispatch } from '../core/dispatch.js';
import { bundleContentReasons } from '../core/bundle/bundle-requests.js';
import { CustosError } from '../core/errors.js';
import { copyOut } from '../core/files/export-file.js';
import { EXPORTS_DIR } from '../core/workspace.js';
import { progressBar } from './progress.js';

interface BundleOptions {
  out: string;
  case?: string;
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: string;
  request?: string;
  type: string;
  title?: string;
  purpose: string;
  recipient: string;
  user: string;
  json?: boolean;
}

type Made = ResponseOf<'bundles.create'> & { path: string };

/**
 * `custos bundle WORKSPACE --out FILE.zip [--case ID] [--from --to --actor --action …] [--request ID]`.
 * A bundle of filtered events is made at once. A bundle of a case or of the whole ledger carries
 * evidence files or students' names, so it follows the two-person rule (resources/policies/bundles.json):
 * the first run records the request and says so; another user approves it (`custos approve`, or the
 * Exports screen); the requester then runs it with `--request ID`.
 */
export function registerBundleCommand(program: Command): void {
  program
    .command('bundle')
    .description(
      'Write a signed, self-verifying bundle (ZIP) of the ledger, or of the events a case or filters select. A case or whole-ledger bundle is first requested; run it with --request ID once another user approved it.',
    )
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--out <file.zip>', 'bundle file to write (must not exist)')
    .option('--case <id>', 'only the events of this case')
    .option('--from <date>', 'events at or after this date or time (RFC 3339)')
    .option('--to <date>', 'events up to this date (a bare date includes the whole day)')
    .option('--actor <name>', 'events by this user')
    .option('--action <name>', 'events of this action (a trailing * matches a prefix, e.g. evidence.*)')
    .option('--resource-type <type>', 'events about this kind of resource')
    .option('--resource-id <id>', 'events about this resource')
    .option('--outcome <outcome>', 'success, denied or failure')
    .option('--request <id>', 'run this approved bundle request (yours) instead of making a new bundle')
    .option('--type <type>', 'of a new request: REGULATORY | AUDIT | LEGAL | INTERNAL', 'AUDIT')
    .option('--title <title>', 'of a new request: its title')
    .option('--purpose <text>', 'of a new request: why the bundle leaves the workspace', 'Command-line bundle')
    .option('--recipient <who>', 'of a new request: who receives it', 'not stated')
    .option('--user <name>', 'who signs in', 'admin')
    .option('--json', 'print the result as JSON')
    .action(async (ws: string, o: BundleOptions) => {
      const out = resolve(o.out);
      checkOutFile(out);
      await withSession(resolve(ws), o.user, async ({ app, dispatch, session }) => {
        const filters = {
          from: o.from,
          to: o.to,
          actor: o.actor,
          action: o.action,
          resourceType: o.resourceType,
          resourceId: o.resourceId,
          // Options are strings: the dispatch checks them against the contract and answers in one sentence.
          outcome: o.outcome as RequestOf<'bundles.create'>['outcome'],
        };
        let id = o.request;
        if (!id && bundleContentReasons({ caseId: o.case, filters }).length === 0) {
          // Filtered events only: made at once, recorded on Exports as decided by policy.
          const made = await asJob(app, dispatch, session, (jobId) => call(dispatch, 'bundles.create', { ...filters, caseId: o.case, jobId }, session));
          return printBundle(await handOver(app, dispatch, session, made, out), o.json === true);
        }
        if (!id) {
          const definedFilters = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
          const { request } = await call(
            dispatch,
            'bundles.request',
            {
              title: o.title ?? (o.case ? `Signed bundle of case ${o.case}` : 'Signed bundle of the whole ledger'),
              type: o.type as RequestOf<'bundles.request'>['type'],
              filters: definedFilters,
              ...(o.case ? { caseId: o.case } : {}),
              purpose: o.purpose,
              recipient: o.recipient,
            },
            session,
          );
          if (request.status !== 'approved') {
            throw new CustosError(
              'forbidden',
              `This bundle carries ${o.case ? `the evidence files and disclosures of case ${o.case}` : "every disclosure with students' names"}, so another user must approve it. ` +
                `Recorded as request ${request.id}. Once another user with an approver role approved it (custos approve ${ws} ${request.id} --user NAME, or the Exports screen), ` +
                `run: custos bundle ${ws} --request ${request.id} --out ${o.out}`,
              { requestId: request.id },
            );
          }
          id = request.id;
        }
        const requestId = id;
        const ran = await asJob(app, dispatch, session, (jobId) => call(dispatch, 'exports.execute', { id: requestId, jobId }, session));
        if (!ran.bundle) throw new CustosError('conflict', `Export request ${requestId} is a ${ran.request.format.toUpperCase()} export, not a bundle; run it with custos export --request ${requestId}.`);
        printBundle(await handOver(app, dispatch, session, { ...ran.bundle, requestId }, out), o.json === true);
      });
    });
}

/** Hands the bundle over (ledgered, as a download is) and copies it to --out, which this local user chose. */
async function handOver(app: CustosApp, dispatch: Dispatch, session: string, made: ResponseOf<'bundles.create'>, out: string): Promise<Made> {
  const handed = await call(dispatch, 'files.download', { fileName: made.fileName }, session);
  if (handed.sha256 !== made.sha256) {
    throw new CustosError('integrity', `${made.fileName} changed on disk after it was written, so it was not copied to ${out}; make the bundle again.`);
  }
  await copyOut(join(app.ws.dir, EXPORTS_DIR, made.fileName), out, made.sha256);
  return { ...made, path: out };
}

function printBundle(r: Made, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const what = r.complete ? `all ${r.events} events of the ledger` : `${r.events} selected event${r.events === 1 ? '' : 's'}, each with an inclusion proof`;
  process.stdout.write(
    `Wrote ${r.path} (${r.bytes} bytes) with ${what}; listed on Exports as ${r.requestId}.\n` +
      `  signed tree head: ${r.treeSize} events, root ${r.root}, at ${r.checkpointTs}\n` +
      `  signing key fingerprint: ${r.fingerprint}\n` +
      `  sha256 of the bundle: ${r.sha256}\n` +
      `Anyone can check it with the commands in its VERIFY.txt, or with: custos verify ${r.path}\n`,
  );
}

/** `custos import WORKSPACE BUNDLE`: verify, then import for review; exit 0 only when imported. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Verify a bundle and, only if everything holds, import its events for review; prints the verification report.')
    .argument('<workspace>', 'workspace folder to import into')
    .argument('<bundle>', 'bundle .zip file')
    .option('--user <name>', 'who signs in', 'admin')
    .option('--trust-fingerprint <fingerprint>', "the source workspace's key fingerprint, compared with the sender out of band (needed for its first bundle)")
    .option('--json', 'print the result as JSON')
    .action(async (ws: string, bundle: string, o: { user: string; json?: boolean; trustFingerprint?: string }) => {
      const path = resolve(bundle);
      await withSession(resolve(ws), o.user, async ({ app, dispatch, session }) => {
        // The CLI runs as the local user, so it names the file itself: it grants its own session the path, then imports by grant.
        const { grant } = await app.fileGrants.grantPath(session, 'bundle', path, app.dir);
        const trust = o.trustFingerprint !== undefined ? { trustFingerprint: o.trustFingerprint } : {};
        const r = await asJob(app, dispatch, session, (jobId) =>
          call(dispatch, 'imports.run', { grant, jobId, ...trust }, session),
        ).catch((err: unknown) => {
          if (err instanceof CustosError && err.code === 'confirmation_required' && typeof err.details?.fingerprint === 'string') {
            throw new CustosError(
              'confirmation_required',
              `${err.message}\n  fingerprint: ${err.details.fingerprint}\nCompare this fingerprint with the sender out of band before you trust it; then run again with --trust-fingerprint "${err.details.fingerprint}".`,
              err.details,
            );
          }
          throw err;
        });
        for (const w of r.warnings) process.stderr.write(`Warning: ${w}\n`);
        if (o.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else printReport(r.report, false);
        if (!r.accepted || !r.import) {
          const reason = r.reason ?? 'it did not verify.';
          throw new CustosError('integrity', reason.startsWith('The bundle ') ? reason : `The bundle was not imported: ${lowerFirst(reason)}`);
        }
        process.exitCode = 0;
        if (!o.json) {
          const imp = r.import;
          process.stdout.write(
            `Imported ${imp.events} events from workspace "${imp.sourceWorkspaceName}" (${imp.sourceWorkspaceId}) as import ${imp.id}.\n` +
              `  signing key fingerprint: ${imp.fingerprint} (${r.pinned ? 'pinned now, at the first import from this workspace' : 'the key pinned for this workspace'})\n`,
          );
        }
      });
    });
}

/** Refuses a --out that could not be written, before a bundle is made (the copy itself never replaces a file either). */
function checkOutFile(out: string): void {
  if (!/\.zip$/i.test(out)) throw new CustosError('validation', 'The bundle file name must end in .zip.');
  const parent = dirname(out);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    throw new CustosError('validation', `The folder ${parent} does not exist; create it or choose another place for the bundle.`);
  }
  if (existsSync(out)) throw new CustosError('conflict', `The file ${out} already exists; choose another name (Custos never overwrites a bundle).`);
}

function lowerFirst(s: string): string {
  // Keep "Event 5 …" readable after a colon, but leave names such as "VERIFY.txt" or "manifest.sig" alone.
  return /^[A-Z][a-z]/.test(s) ? `${s[0]!.toLowerCase()}${s.slice(1)}` : s;
}

/** Runs a long call as a cancellable job: a progress bar per phase on a terminal, Ctrl+C cancels it cleanly. */
async function asJob<T>(app: CustosApp, dispatch: Dispatch, session: string, run: (jobId: string) => Promise<T>): Promise<T> {
  const jobId = `cli-${randomBytes(8).toString('hex')}`;
  let phase = '';
  let bar: ReturnType<typeof progressBar> | null = null;
  const off = app.onEvent((event, payload) => {
    if (event !== 'job.progress') return;
    const p = payload as { jobId: string; phase: string; done: number; total: number | null };
    if (p.jobId !== jobId || p.total === null) return;
    if (p.phase !== phase) {
      bar?.stop();
      bar = progressBar(p.phase);
      phase = p.phase;
    }
    bar?.update(p.done, p.total);
  });
  const onInterrupt = (): void => {
    process.stderr.write('\nCancelling…\n');
    void dispatch('jobs.cancel', { jobId }, { sessionId: session });
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await run(jobId);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    off();
    (bar as ReturnType<typeof progressBar> | null)?.stop();
  }
}
