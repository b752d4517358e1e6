/**
 * `npm run bench [-- --events N] [--json]`: Custos against plain SQLite on the same rows, in one run.
 * `npm run bench -- --scale [--events N] [--json]`: exports and imports at scale instead (bench/scale.ts;
 * N defaults to 1,000,000 there): CSV export, bundle create, import + verify, PDF of 10k rows.
 * `npm run bench -- --append-floor [--events N] [--json]`: the append ratio of the ledger against the
 * floors any ledger with this hash definition can reach (bench/append-floor.ts).
 * Only ratios measured in the same run are trustworthy on a shared machine; absolute figures are context.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate, openEncryptedDb, type Db } from '../electron/core/db/open.js';
import { MIGRATIONS } from '../electron/core/db/migrations/index.js';
import { queryEvents } from '../electron/core/ledger/query.js';
import { catchUpTextIndex } from '../electron/core/ledger/text-index.js';
import { verifyWorkspaceDb } from '../electron/core/ledger/verify.js';
import { Workspace } from '../electron/core/workspace.js';
import { openSlot, readKeyslots } from '../electron/core/db/keyslots.js';
import { securityPolicy } from '../electron/core/policy.js';
import { runScaleBench } from './scale.js';
import { runAppendFloor } from './append-floor.js';

interface Row {
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: 'success' | 'denied' | 'failure';
  details: Record<string, unknown>;
}

const ACTORS = ['maria.chen', 'david.okafor', 'priya.raman', 'sam.wright', 'admin'];
const ACTIONS = ['records.view', 'records.view', 'records.view', 'session.login', 'ledger.query', 'evidence.access', 'holds.notice.send'];

function makeRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const student = `S-${10000 + (i % 5000)}`;
    rows.push({
      actor: ACTORS[i % ACTORS.length]!,
      action: ACTIONS[i % ACTIONS.length]!,
      resource_type: 'record',
      resource_id: `${student}/academic`,
      outcome: i % 53 === 0 ? 'denied' : 'success',
      details: { subject: student, purpose: 'case review', n: i },
    });
  }
  return rows;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** CPU seconds (user + system) used by this process since `since`: steadier than wall time when other work shares the cores. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

const BATCH = 10_000;
const PLACEHOLDER_HASH = '0'.repeat(64);
const PLACEHOLDER_LEAF = Buffer.alloc(32);

/** Same table and indexes as the ledger, same rows, no hashing or Merkle work. */
function insertPlain(db: Db, rows: Row[]): number {
  const stmt = db.prepare(
    `INSERT INTO events (seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash, leaf_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const t0 = Date.now() - rows.length;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += BATCH) {
    db.transaction(() => {
      for (let j = i; j < Math.min(i + BATCH, rows.length); j++) {
        const r = rows[j]!;
        stmt.run(j + 1, new Date(t0 + j).toISOString(), r.actor, r.action, r.resource_type, r.resource_id, r.outcome, JSON.stringify(r.details), PLACEHOLDER_HASH, PLACEHOLDER_HASH, PLACEHOLDER_LEAF);
      }
    })();
  }
  return seconds(start);
}

function sha256Throughput(blockBytes: number, totalBytes: number): number {
  const block = randomBytes(blockBytes);
  const n = Math.max(1, Math.floor(totalBytes / blockBytes));
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) createHash('sha256').update(block).digest();
  return (n * blockBytes) / 1e6 / seconds(start);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const scale = args.includes('--scale');
  const idx = args.indexOf('--events');
  const events = idx >= 0 ? Number.parseInt(args[idx + 1] ?? '', 10) : scale ? 1_000_000 : 200_000;
  if (!Number.isInteger(events) || events < 1000) throw new Error('--events must be a whole number of at least 1000.');
  const log = (s: string) => {
    if (!json) process.stderr.write(`${s}\n`);
  };
  if (args.includes('--append-floor')) {
    const result = runAppendFloor(makeRows(events), log);
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (scale) {
    const result = await runScaleBench(events, log);
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log('');
      log(`targets at 1M: CSV ≤ 10 s and ≤ 200 MB; import + verify ≤ 20 s and ≤ 300 MB; PDF of 10k rows ≤ 5 s`);
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-'));
  try {
    const rows = makeRows(events);
    log(`Custos bench: ${events} events, node ${process.version}`);

    // (a) plain SQLite (better-sqlite3 API, no key), same schema.
    const plain = new Database(join(dir, 'plain.db'));
    plain.pragma('journal_mode=WAL');
    plain.pragma('synchronous=NORMAL');
    migrate(plain, MIGRATIONS.slice(0, 1));
    const plainS = insertPlain(plain, rows);
    plain.close();
    log(`(a) plain insert        ${(events / plainS).toFixed(0)} rows/s`);

    // (b) SQLCipher, same rows, no ledger.
    const enc = openEncryptedDb(join(dir, 'enc.db'), randomBytes(32), { create: true });
    migrate(enc, MIGRATIONS.slice(0, 1));
    const encCpu0 = process.cpuUsage();
    const encS = insertPlain(enc, rows);
    const encCpu = cpuSeconds(encCpu0);
    enc.close();
    log(`(b) encrypted insert    ${(events / encS).toFixed(0)} rows/s`);

    // (c) Custos ledger append: encrypted + JCS + chained + Merkle.
    process.env.CUSTOS_SCRYPT_N ??= '16384';
    const wsDir = join(dir, 'ws');
    const { ws } = Workspace.create(wsDir, { workspaceName: 'bench', username: 'admin', displayName: 'Bench', passphrase: 'bench-passphrase-123' });
    const t0 = Date.now() - rows.length;
    const appendCpu0 = process.cpuUsage();
    let start = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += BATCH) {
      ws.tx(() => {
        for (let j = i; j < Math.min(i + BATCH, rows.length); j++) ws.ledger.append(rows[j]!, new Date(t0 + j));
      });
    }
    const appendS = seconds(start);
    const appendCpu = cpuSeconds(appendCpu0);
    ws.tx(() => ws.signCheckpoint('bench'));
    log(`(c) ledger append       ${(events / appendS).toFixed(0)} rows/s   c/b ${(encS / appendS).toFixed(2)} (by CPU time ${(encCpu / appendCpu).toFixed(2)})   c/a ${(plainS / appendS).toFixed(2)}`);

    // (d) full verification.
    const canonicalBytes = (ws.db.prepare('SELECT sum(length(details)) + count(*) * 330 AS b FROM events').get() as { b: number }).b;
    start = process.hrtime.bigint();
    const report = await verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey });
    const verifyS = seconds(start);
    if (!report.valid) throw new Error(`Bench workspace did not verify: ${report.summary}`);
    log(`(d) verify              ${(report.events_checked / verifyS).toFixed(0)} events/s   ${(canonicalBytes / 1e6 / verifyS).toFixed(1)} MB/s`);

    // (e) first page of filtered searches (the slowest of a few typical filters).
    const size = ws.ledger.head().size;
    const filters = [
      { actor: 'priya.raman', limit: 100 },
      { action: 'evidence.*', limit: 100 },
      { outcome: 'denied' as const, limit: 100 },
      { text: 'S-10042', limit: 100 },
    ];
    const searchMs: Record<string, number> = {};
    for (const f of filters) {
      start = process.hrtime.bigint();
      queryEvents(ws.db, f, size);
      searchMs[Object.keys(f)[0]!] = seconds(start) * 1000;
    }
    const searchFirstPageMs = Math.max(...Object.values(searchMs));
    log(`(e) filtered first page ${Object.entries(searchMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);

    // (f) the free-text index (migration 019): build rate, size, and a search's first page from it,
    // for a rare term (one event) and a common one (every event), without and with the total.
    const pages = () => ws.db.pragma('page_count', { simple: true }) as number;
    const pageSize = ws.db.pragma('page_size', { simple: true }) as number;
    const pagesBefore = pages();
    start = process.hrtime.bigint();
    catchUpTextIndex(ws.db, size);
    const indexS = seconds(start);
    const indexMb = ((pages() - pagesBefore) * pageSize) / 1e6;
    const dbMb = (pagesBefore * pageSize) / 1e6;
    log(`(f) text index build    ${(size / indexS).toFixed(0)} events/s   ${indexMb.toFixed(0)} MB (ledger database ${dbMb.toFixed(0)} MB before)`);
    const rare = `"n":${Math.floor(events / 2) + 7},`;
    const textSearches: Record<string, Parameters<typeof queryEvents>[1]> = {
      rare: { text: rare, limit: 100 },
      rare_with_total: { text: rare, limit: 100, withTotal: true },
      student: { text: 'S-10042', limit: 100 },
      common: { text: 'case review', limit: 100 },
      common_page_2: { text: 'case review', limit: 100, offset: 100 },
      common_denied: { text: 'academic', outcome: 'denied', limit: 100 },
      actor_common: { text: 'case review', actor: 'priya.raman', limit: 100 },
      short_term_scan: { text: 'S-', limit: 100 },
    };
    // Each search's first run (cold statement and pages) and the median of three runs.
    const textMs: Record<string, number> = {};
    const textFirstMs: Record<string, number> = {};
    for (const [name, f] of Object.entries(textSearches)) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        start = process.hrtime.bigint();
        const page = queryEvents(ws.db, f, size);
        runs.push(seconds(start) * 1000);
        if (page.events.length === 0) throw new Error(`The ${name} search found nothing.`);
      }
      textFirstMs[name] = runs[0]!;
      textMs[name] = [...runs].sort((x, y) => x - y)[1]!;
    }
    log(`(f) first run           ${Object.entries(textFirstMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
    log(`(f) median of 3        ${Object.entries(textMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
    // The totals the viewer asks for beside its first page (not part of the first page's time).
    const totalMs: Record<string, number> = {};
    for (const [name, f] of Object.entries({ student: { text: 'S-10042' }, common: { text: 'case review' }, common_denied: { text: 'academic', outcome: 'denied' as const } })) {
      start = process.hrtime.bigint();
      queryEvents(ws.db, { ...f, limit: 1, withTotal: true }, size);
      totalMs[name] = seconds(start) * 1000;
    }
    log(`(f) search total        ${Object.entries(totalMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
    ws.close();

    // Unlock at the production KDF cost.
    const policyN = securityPolicy();
    delete process.env.CUSTOS_SCRYPT_N;
    const prodParams = securityPolicy().scrypt;
    const unlockDir = join(dir, 'unlock');
    const created = Workspace.create(unlockDir, { workspaceName: 'u', username: 'admin', displayName: 'U', passphrase: 'bench-passphrase-123', scrypt: prodParams });
    created.ws.close();
    const slots = readKeyslots(unlockDir)!;
    start = process.hrtime.bigint();
    const key = openSlot(slots.workspaceId, slots.slots[0]!, 'bench-passphrase-123');
    if (!key) throw new Error('unlock failed');
    Workspace.open(unlockDir, key).close();
    const unlockMs = seconds(start) * 1000;
    void policyN;
    log(`unlock (scrypt N=${prodParams.N}, r=${prodParams.r}) ${unlockMs.toFixed(0)} ms`);

    const sha256Small = sha256Throughput(320, 64e6);
    const sha256Large = sha256Throughput(16384, 256e6);
    log(`node:crypto SHA-256     ${sha256Small.toFixed(0)} MB/s (320-byte blocks), ${sha256Large.toFixed(0)} MB/s (16 KiB blocks)`);

    const result = {
      events,
      plain_insert_per_s: Math.round(events / plainS),
      encrypted_insert_per_s: Math.round(events / encS),
      ledger_append_per_s: Math.round(events / appendS),
      ratio_append_vs_encrypted: Number((encS / appendS).toFixed(3)),
      ratio_append_vs_encrypted_cpu: Number((encCpu / appendCpu).toFixed(3)),
      ratio_append_vs_plain: Number((plainS / appendS).toFixed(3)),
      verify_per_s: Math.round(report.events_checked / verifyS),
      verify_mb_per_s: Number((canonicalBytes / 1e6 / verifyS).toFixed(1)),
      sha256_mb_per_s: Number(sha256Small.toFixed(1)),
      sha256_large_block_mb_per_s: Number(sha256Large.toFixed(1)),
      search_first_page_ms: Number(searchFirstPageMs.toFixed(2)),
      search_first_page_ms_by_filter: searchMs,
      text_index_build_per_s: Math.round(size / indexS),
      text_index_mb: Number(indexMb.toFixed(1)),
      database_mb_before_text_index: Number(dbMb.toFixed(1)),
      indexed_search_first_page_ms: Number(Math.max(...Object.values(textMs)).toFixed(2)),
      indexed_search_first_page_ms_by_search: textMs,
      indexed_search_first_run_ms_by_search: textFirstMs,
      indexed_search_total_ms_by_search: totalMs,
      unlock_ms: Math.round(unlockMs),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log('');
      log(`ratios: append/encrypted-insert (c/b) = ${result.ratio_append_vs_encrypted} (target ≥ 0.8); append/plain (c/a) = ${result.ratio_append_vs_plain}`);
      log(`verify: ${result.verify_per_s} events/s (target ≥ 200000); first filtered page ≤ ${result.search_first_page_ms} ms (target ≤ 100 ms at 1M)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
