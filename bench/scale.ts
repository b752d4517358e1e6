/**
 * `npm run bench -- --scale [--events N] [--json]` (N defaults to 1,000,000): exports and imports at
 * scale, through the product's own channels (the command line's path), each phase in a child process
 * of its own so that its peak RSS is its own:
 *
 *   csv            exports.execute of a CSV of the whole ledger (unmasked, approved by a second user)
 *   csv-baseline   the same rows read from the same database and written by csv-stringify alone
 *   bundle         exports.execute of an approved bundle request of the whole ledger (events, report.pdf, ZIP, signature)
 *   import         imports.run of that bundle into a second workspace (verify everything, then stage)
 *   zip-baseline   the same ZIP read with yauzl alone: every entry inflated and its bytes discarded
 *   pdf            exports.execute of a PDF of 10,000 events spread over the ledger
 *
 * The Custos phases write their files durably (fsync before the atomic rename) and the baselines do
 * not, so on a slow disk or a busy machine compare the CPU times (cpu_s) as well as the wall times.
 *
 * Targets (DESIGN §7): CSV of 1M ≤ 10 s and ≤ 200 MB; import + verify of 1M ≤ 20 s and ≤ 300 MB;
 * PDF of 10k rows ≤ 5 s. Ratios (Custos time / baseline time) come from the same run.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify';
import yauzl from 'yauzl';
import type { ChannelName, RequestOf, ResponseOf } from '../shared/contract.js';
import type { Core } from '../electron/core/create-core.js';

// The core is imported by the phases that use it, so the baselines' peak RSS is not the core's.
const createCore = async (dir: string): Promise<Core> => (await import('../electron/core/create-core.js')).createCore(dir);
const EXPORTS_DIR = 'exports';

const PASSPHRASE = 'bench-passphrase-123';
const SOURCE = 'source';
const TARGET = 'target';
/** Rows of the PDF phase: spread evenly over the ledger, told apart by their resource type. */
export const PDF_ROWS = 10_000;
const PDF_RESOURCE_TYPE = 'transcript';
const BATCH = 10_000;

const ACTORS = ['maria.chen', 'david.okafor', 'priya.raman', 'sam.wright', 'admin'];
const ACTIONS = ['records.view', 'records.view', 'records.view', 'session.login', 'ledger.query', 'evidence.access', 'holds.notice.send'];

type Phase = 'setup' | 'csv' | 'csv-baseline' | 'bundle' | 'import' | 'zip-baseline' | 'pdf';
const PHASES: readonly Phase[] = ['setup', 'csv', 'csv-baseline', 'bundle', 'import', 'zip-baseline', 'pdf'];

/** What a phase's child process reports on its last line of stdout. */
interface PhaseResult {
  seconds: number;
  /** CPU time (user + system) of the timed part: steadier than wall time on a busy machine. */
  cpu_s?: number;
  peak_rss_mb: number;
  rows?: number;
  bytes?: number;
  /** Bundle phase: the file and key fingerprint the import phase needs. */
  file?: string;
  fingerprint?: string;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Wall and CPU time of `fn`. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu_s: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, seconds: seconds(start), cpu_s: (used.user + used.system) / 1e6 };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function call<C extends ChannelName>(core: Core, channel: C, input: RequestOf<C>, sessionId?: string): Promise<ResponseOf<C>> {
  const { invoke } = await import('../electron/core/invoke.js');
  const r = await invoke(core.dispatch, channel, input, { sessionId });
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value;
}

async function login(core: Core, username: string): Promise<string> {
  return (await call(core, 'session.login', { username, passphrase: PASSPHRASE })).session;
}

/** The two workspaces: the source with N events (and an approver), the empty target of the import. */
async function setup(dir: string, events: number): Promise<PhaseResult> {
  const start = process.hrtime.bigint();
  for (const name of [SOURCE, TARGET]) {
    const core = await createCore(join(dir, name));
    await call(core, 'workspace.init', { workspaceName: `bench ${name}`, username: 'admin', displayName: 'Bench', passphrase: PASSPHRASE });
    if (name === SOURCE) {
      const admin = await login(core, 'admin');
      await call(core, 'users.create', { username: 'approver', displayName: 'Approver', role: 'compliance_officer', passphrase: PASSPHRASE }, admin);
      const ws = core.app.ws;
      const stride = Math.max(1, Math.floor(events / PDF_ROWS));
      const t0 = Date.now() - events;
      for (let i = 0; i < events; i += BATCH) {
        ws.tx(() => {
          for (let j = i; j < Math.min(i + BATCH, events); j++) {
            const student = `S-${10000 + (j % 5000)}`;
            ws.ledger.append(
              {
                actor: ACTORS[j % ACTORS.length]!,
                action: ACTIONS[j % ACTIONS.length]!,
                resource_type: j % stride === 0 && j / stride < PDF_ROWS ? PDF_RESOURCE_TYPE : 'record',
                resource_id: `${student}/academic`,
                outcome: j % 53 === 0 ? 'denied' : 'success',
                details: { subject: student, purpose: 'case review', n: j },
              },
              new Date(t0 + j),
            );
          }
        });
      }
    }
    core.app.shutdown();
  }
  return { seconds: seconds(start), peak_rss_mb: peakRssMb() };
}

/** Requests an export as admin, has the approver approve it, and times exports.execute alone. */
async function timedExport(dir: string, format: 'csv' | 'pdf', filters: RequestOf<'exports.request'>['filters']): Promise<PhaseResult> {
  const core = await createCore(join(dir, SOURCE));
  try {
    const admin = await login(core, 'admin');
    const approver = await login(core, 'approver');
    const { request } = await call(
      core,
      'exports.request',
      { title: `Bench ${format}`, type: 'INTERNAL', format, filters, includeEvidence: false, includeAuditTrail: true, masking: 'none', purpose: 'Benchmark', recipient: 'internal' },
      admin,
    );
    await call(core, 'exports.approve', { id: request.id, note: 'bench' }, approver);
    const t = await timed(() => call(core, 'exports.execute', { id: request.id }, admin));
    return { seconds: t.seconds, cpu_s: t.cpu_s, peak_rss_mb: peakRssMb(), rows: t.value.request.rows ?? 0, bytes: t.value.request.bytes ?? 0 };
  } finally {
    core.app.shutdown();
  }
}

/** The same rows as the CSV export, read from the same database and written by csv-stringify alone. */
async function csvBaseline(dir: string): Promise<PhaseResult> {
  const core = await createCore(join(dir, SOURCE));
  try {
    await login(core, 'admin');
    const db = core.app.ws.db;
    const out = join(dir, 'baseline.csv');
    let n = 0;
    const t = await timed(async () => {
      const rows = db
        .prepare('SELECT seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash FROM events ORDER BY seq')
        .raw()
        .iterate() as IterableIterator<unknown[]>;
      const counted = (function* () {
        for (const r of rows) {
          n++;
          yield r;
        }
      })();
      await pipeline(
        Readable.from(counted),
        stringify({ header: true, columns: ['seq', 'ts', 'actor', 'action', 'resource_type', 'resource_id', 'outcome', 'details', 'prev_hash', 'hash'], record_delimiter: 'windows' }),
        createWriteStream(out),
      );
    });
    return { seconds: t.seconds, cpu_s: t.cpu_s, peak_rss_mb: peakRssMb(), rows: n, bytes: statSync(out).size };
  } finally {
    core.app.shutdown();
  }
}

async function bundle(dir: string): Promise<PhaseResult> {
  const core = await createCore(join(dir, SOURCE));
  try {
    const admin = await login(core, 'admin');
    const approver = await login(core, 'approver');
    // The whole ledger carries students' names: requested, approved by a second user, then run (timed).
    const { request } = await call(
      core,
      'bundles.request',
      { title: 'Bench bundle', type: 'AUDIT', filters: {}, purpose: 'Benchmark', recipient: 'internal' },
      admin,
    );
    await call(core, 'exports.approve', { id: request.id, note: 'bench' }, approver);
    const t = await timed(() => call(core, 'exports.execute', { id: request.id }, admin));
    const made = t.value.bundle;
    if (!made) throw new Error('The bench bundle request did not run as a bundle.');
    return { seconds: t.seconds, cpu_s: t.cpu_s, peak_rss_mb: peakRssMb(), rows: made.events, bytes: made.bytes, file: join(dir, SOURCE, EXPORTS_DIR, made.fileName), fingerprint: made.fingerprint };
  } finally {
    core.app.shutdown();
  }
}

async function importPhase(dir: string, file: string, fingerprint: string): Promise<PhaseResult> {
  const core = await createCore(join(dir, TARGET));
  try {
    const admin = await login(core, 'admin');
    const { grant } = await core.app.fileGrants.grantPath(admin, 'bundle', file, core.app.dir);
    const t = await timed(() => call(core, 'imports.run', { grant, trustFingerprint: fingerprint }, admin));
    const r = t.value;
    if (!r.accepted || !r.import) throw new Error(`The bench bundle was not imported: ${r.reason ?? 'no reason given'}`);
    return { seconds: t.seconds, cpu_s: t.cpu_s, peak_rss_mb: peakRssMb(), rows: r.import.events, bytes: statSync(file).size };
  } finally {
    core.app.shutdown();
  }
}

/** Every entry of the ZIP inflated by yauzl and discarded: the floor under reading a bundle. */
async function zipBaseline(file: string): Promise<PhaseResult> {
  let bytes = 0;
  const t = await timed(() => new Promise<void>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          stream.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          stream.on('error', reject);
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  }));
  return { seconds: t.seconds, cpu_s: t.cpu_s, peak_rss_mb: peakRssMb(), bytes };
}

async function runPhase(phase: Phase, dir: string, events: number, extra: string[]): Promise<PhaseResult> {
  process.env.CUSTOS_SCRYPT_N ??= '16384';
  switch (phase) {
    case 'setup':
      return setup(dir, events);
    case 'csv':
      return timedExport(dir, 'csv', {});
    case 'csv-baseline':
      return csvBaseline(dir);
    case 'bundle':
      return bundle(dir);
    case 'import':
      return importPhase(dir, extra[0]!, extra[1]!);
    case 'zip-baseline':
      return zipBaseline(extra[0]!);
    case 'pdf':
      return timedExport(dir, 'pdf', { resourceType: PDF_RESOURCE_TYPE });
  }
}

/** Runs one phase in a child process of its own and reads its result. */
function child(phase: Phase, dir: string, events: number, extra: string[] = []): PhaseResult {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, script, '--phase', phase, dir, String(events), ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`The ${phase} phase failed (exit status ${r.status ?? r.signal}).`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as PhaseResult;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const cpu = (r: PhaseResult): string => `${(r.cpu_s ?? 0).toFixed(2)} s`;

/** The scale figures; `log` gets a line per phase as it finishes. */
export async function runScaleBench(events: number, log: (line: string) => void): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-scale-'));
  try {
    log(`Custos scale bench: ${events} events, node ${process.version} (each phase in its own process)`);
    const s = child('setup', dir, events);
    log(`setup (two workspaces, ${events} events appended)  ${s.seconds.toFixed(1)} s`);
    const csv = child('csv', dir, events);
    log(`CSV export                ${csv.seconds.toFixed(2)} s (cpu ${cpu(csv)})  peak ${csv.peak_rss_mb} MB  ${csv.rows} rows, ${((csv.bytes ?? 0) / 1e6).toFixed(0)} MB`);
    const csvBase = child('csv-baseline', dir, events);
    log(`  csv-stringify alone     ${csvBase.seconds.toFixed(2)} s (cpu ${cpu(csvBase)})  peak ${csvBase.peak_rss_mb} MB  (ratio ${(csv.seconds / csvBase.seconds).toFixed(2)}, by CPU ${((csv.cpu_s ?? 0) / (csvBase.cpu_s ?? 1)).toFixed(2)})`);
    const b = child('bundle', dir, events);
    log(`bundle create             ${b.seconds.toFixed(2)} s (cpu ${cpu(b)})  peak ${b.peak_rss_mb} MB  ${((b.bytes ?? 0) / 1e6).toFixed(0)} MB ZIP`);
    const imp = child('import', dir, events, [b.file!, b.fingerprint!]);
    log(`import + verify           ${imp.seconds.toFixed(2)} s (cpu ${cpu(imp)})  peak ${imp.peak_rss_mb} MB  ${imp.rows} events`);
    const zip = child('zip-baseline', dir, events, [b.file!]);
    log(`  yauzl alone             ${zip.seconds.toFixed(2)} s (cpu ${cpu(zip)})  peak ${zip.peak_rss_mb} MB  (ratio ${(imp.seconds / zip.seconds).toFixed(2)}, by CPU ${((imp.cpu_s ?? 0) / (zip.cpu_s ?? 1)).toFixed(2)})`);
    const pdf = child('pdf', dir, events);
    log(`PDF export                ${pdf.seconds.toFixed(2)} s (cpu ${cpu(pdf)})  peak ${pdf.peak_rss_mb} MB  ${pdf.rows} rows`);
    return {
      events,
      csv_export_s: round(csv.seconds),
      csv_export_cpu_s: round(csv.cpu_s ?? 0),
      csv_export_peak_rss_mb: csv.peak_rss_mb,
      csv_export_rows: csv.rows,
      csv_export_bytes: csv.bytes,
      csv_stringify_s: round(csvBase.seconds),
      csv_stringify_cpu_s: round(csvBase.cpu_s ?? 0),
      csv_stringify_peak_rss_mb: csvBase.peak_rss_mb,
      ratio_csv_vs_csv_stringify: round(csv.seconds / csvBase.seconds, 3),
      ratio_csv_vs_csv_stringify_cpu: round((csv.cpu_s ?? 0) / (csvBase.cpu_s ?? 1), 3),
      bundle_create_s: round(b.seconds),
      bundle_create_cpu_s: round(b.cpu_s ?? 0),
      bundle_create_peak_rss_mb: b.peak_rss_mb,
      bundle_bytes: b.bytes,
      import_verify_s: round(imp.seconds),
      import_verify_cpu_s: round(imp.cpu_s ?? 0),
      import_verify_peak_rss_mb: imp.peak_rss_mb,
      import_events: imp.rows,
      yauzl_read_s: round(zip.seconds),
      yauzl_read_cpu_s: round(zip.cpu_s ?? 0),
      yauzl_read_peak_rss_mb: zip.peak_rss_mb,
      ratio_import_vs_yauzl: round(imp.seconds / zip.seconds, 3),
      ratio_import_vs_yauzl_cpu: round((imp.cpu_s ?? 0) / (zip.cpu_s ?? 1), 3),
      pdf_export_s: round(pdf.seconds),
      pdf_export_cpu_s: round(pdf.cpu_s ?? 0),
      pdf_export_peak_rss_mb: pdf.peak_rss_mb,
      pdf_rows: pdf.rows,
      setup_s: round(s.seconds, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A child process of runScaleBench: `scale.js --phase NAME DIR EVENTS [ARGS…]`.
const argv = process.argv.slice(2);
if (argv[0] === '--phase') {
  const phase = argv[1] as Phase;
  if (!PHASES.includes(phase)) throw new Error(`Unknown bench phase ${argv[1]}.`);
  runPhase(phase, argv[2]!, Number(argv[3]), argv.slice(4))
    .then((r) => process.stdout.write(`\n${JSON.stringify(r)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`bench ${phase}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    });
}
