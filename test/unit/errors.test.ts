import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { CustosError, failureSentence, failureText } from '../../electron/core/errors.js';
import { runSweep } from '../../electron/core/retention/sweep.js';
import { decideAuditLogPolicy, setAuditLogPolicy } from '../../electron/core/retention/ledger-prune.js';
import { createTempWorkspace, removeTempDirs, tempDir } from './helpers/workspace.js';

// A failure the core records in the ledger or answers with carries the core's own words: never an
// unexpected error's text, which can name server paths, SQL or stored values (the ledger travels in
// bundles; answers reach sessions, which never name a server file).

afterAll(removeTempDirs);

const SECRET = 'secret_7f3a';

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('failureText', () => {
  const dir = tempDir(`custos-errors-${SECRET}-`);
  const file = join(dir, `${SECRET}.txt`);
  writeFileSync(file, 'x');
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE t (${SECRET} TEXT UNIQUE); CREATE TRIGGER no BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'row ${SECRET} is protected'); END;`);
  db.prepare('INSERT INTO t VALUES (?)').run(SECRET);

  const cases: [string, unknown, RegExp][] = [
    ['a missing file', thrown(() => readFileSync(join(dir, SECRET, 'nothing'))), /^a file or folder it needed does not exist$/],
    ['a folder where a file should be', thrown(() => writeFileSync(dir, 'x')), /^a folder stands where a file was expected$/],
    ['a file where a folder should be', thrown(() => mkdirSync(join(file, 'sub'))), /^a file stands where a folder was expected$/],
    ['a file that exists', thrown(() => mkdirSync(dir)), /^a file of that name already exists$/],
    ['a database trigger', thrown(() => db.prepare('DELETE FROM t').run()), /^the database reported SQLITE_CONSTRAINT_TRIGGER$/],
    ['a database constraint', thrown(() => db.prepare('INSERT INTO t VALUES (?)').run(SECRET)), /^the database reported SQLITE_CONSTRAINT_UNIQUE$/],
    ['bad SQL', thrown(() => db.prepare(`SELECT nope_${SECRET} FROM t`)), /^the database reported SQLITE_ERROR$/],
    ['a programming error', thrown(() => (null as unknown as Record<string, string>)[SECRET]), /^an internal error$/],
    ['a thrown string', SECRET, /^an internal error$/],
    ['an object whose code is a path', { code: `/srv/${SECRET}`, message: SECRET }, /^an internal error$/],
    ['another system code', Object.assign(new Error(`read ECONNRESET ${SECRET}`), { code: 'ECONNRESET' }), /^the operating system reported ECONNRESET$/],
    ["a code of Node's own", Object.assign(new Error(`ERR_STREAM_DESTROYED ${SECRET}`), { code: 'ERR_STREAM_DESTROYED' }), /^an internal error$/],
    ["a code of zlib's", Object.assign(new Error(`invalid block type ${SECRET}`), { code: 'Z_DATA_ERROR' }), /^an internal error$/],
    ['nothing at all', undefined, /^an internal error$/],
  ];
  it.each(cases)('%s: says what kind of failure, not its text', (_what, err, expected) => {
    // The raw error does hold the secret (else this test could not fail)…
    if (err instanceof Error) expect(`${err.message}${(err as { path?: string }).path ?? ''}`).toContain(SECRET);
    // …and what the core says does not.
    expect(failureText(err)).toMatch(expected);
    expect(failureSentence('The thing was not done', err)).toBe(`The thing was not done: ${failureText(err)}.`);
  });

  it("keeps the core's own sentence", () => {
    const err = new CustosError('held', 'Record R-1 is under legal hold HOLD-1.');
    expect(failureText(err)).toBe(err.message);
    expect(failureSentence('Not done', err)).toBe(err.message);
  });
});

describe('ledgered failures', () => {
  it("a sweep whose audit-log pruning fails records and answers the kind of failure, not the database's text", async () => {
    const t = await createTempWorkspace();
    const ws = t.app.ws;
    for (let i = 0; i < 5; i++) await t.call('users.update', { username: 'admin', displayName: `Admin ${i}` }, t.admin);
    await t.addUser('second.person', 'compliance_officer');
    const asked = setAuditLogPolicy(ws, { actor: 'admin' }, { periodValue: 1, periodUnit: 'days' });
    decideAuditLogPolicy(ws, { actor: 'second.person' }, { requestId: asked.pending!.id, approve: true });
    ws.db.exec(`CREATE TEMP TRIGGER refuse_prune BEFORE UPDATE ON main.events BEGIN SELECT RAISE(ABORT, 'injected at /srv/${SECRET}/custos.db'); END`);
    const size = ws.ledger.head().size;
    let result;
    try {
      result = runSweep(ws, { actor: 'admin', at: new Date(Date.now() + 10 * 86_400_000) }, 'manual');
    } finally {
      ws.db.exec('DROP TRIGGER IF EXISTS temp.refuse_prune');
    }
    expect(result.ledger.prunedThrough).toBeNull();
    expect(result.ledger.error).toBe('The audit log was not pruned: the database reported SQLITE_CONSTRAINT_TRIGGER.');
    const failure = t.lastEvent('ledger.prune')!;
    expect(failure).toMatchObject({ outcome: 'failure', details: { message: result.ledger.error } });
    // Nothing was pruned; the sweep's own events and the failure are what was added.
    expect(ws.db.prepare("SELECT count(*) AS n FROM events WHERE action = ''").get()).toEqual({ n: 0 });
    const added = ws.db.prepare('SELECT details FROM events WHERE seq > ?').all(size) as { details: string }[];
    expect(added.length).toBeGreaterThan(0);
    for (const e of added) expect(e.details).not.toContain(SECRET);
    t.lock();
  });
});

describe('the core', () => {
  // Files that may quote an error's own text, and why. Everything else goes through failureText.
  const ALLOWED: Record<string, string> = {
    'errors.ts': 'defines failureText',
    'dispatch.ts': 'answers and records ResultErrors, which only toResultError makes (the core sentence or a fixed one)',
    'db/open.ts': 'tests the text of a wrong-key error, quotes none',
    'strict-json.ts': "JSON.parse's words about the caller's own input",
    'ledger/jcs.ts': "the serializer's words about the caller's own value",
    'zip/zip-read.ts': "the ZIP parser's words about the bundle being read (an operating-system failure goes through failureText)",
    'compliance/framework-data.ts': "reads the administrator's own framework files at start",
    'workflows/template-data.ts': "reads the administrator's own workflow templates at start",
  };
  const RAW = /instanceof Error \? \w+\.message|\(\w+ as [\w.]+\)\.message|String\(\(?\w+ as Error\)?\.message|\b(?:err|error|e|cause)\??\.message\b|\$\{(?:err|error|e)\}/;
  /** Where the code has just made sure the error is the core's own, its message is the core's sentence. */
  const NARROWED = /instanceof CustosError|isCustosError\(|instanceof Rejection/;

  it('quotes no raw error text outside the files allowed to, each for a reason', () => {
    const root = join(__dirname, '../../electron/core');
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          const rel = relative(root, p).split('\\').join('/');
          if (ALLOWED[rel]) continue;
          const lines = readFileSync(p, 'utf8').split('\n');
          lines.forEach((line, i) => {
            if (RAW.test(line) && !lines.slice(Math.max(0, i - 3), i + 1).some((l) => NARROWED.test(l))) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
    // The pattern bites on the forms it is for.
    for (const line of ['x: err instanceof Error ? err.message : String(err)', 'a ${(err as Error).message}', 'm: String((err as Error).message)', '(e as NodeJS.ErrnoException).message', 'reason: err?.message', 'why: `${err}`', 'text: error.message']) {
      expect(RAW.test(line), line).toBe(true);
    }
  });
});
