import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerFilter } from '../../shared/contract/core.js';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { likePattern } from '../../electron/core/domain/like.js';
import { matchTrigrams, queryEvents } from '../../electron/core/ledger/query.js';
import { catchUpTextIndex, forgetIndexedText, indexedThrough, indexStep, resetTextIndex } from '../../electron/core/ledger/text-index.js';
import { verifyWorkspaceDb } from '../../electron/core/ledger/verify.js';
import { ADMIN, CallError, createTempWorkspace, PASSPHRASE, removeTempDirs, waitFor, type TempWorkspace } from './helpers/workspace.js';

// Issue 14 item 3: the ledger's free-text search reads a derived FTS5 index for the events it covers
// and scans the rest. The index may make a search faster; it must never change its answer. Every
// expectation below is the plain LIKE scan the search was before the index (the reference).

type Page = { events: LedgerEvent[]; total: number | null; index?: { indexedThrough: number; size: number } };

let t: TempWorkspace;
let auditor: string;

/** Events that put unicode, punctuation, quotes and FTS5 syntax into every searchable column. */
const ODD_DETAILS: Record<string, unknown>[] = [
  { note: 'Zoë Ångström signed the naïve café form', who: 'ÉCOLE normale', lower: 'école normale' },
  { note: 'emoji 😀 in a detail, then 100% and under_score', path: 'C:\\records\\x' },
  { note: 'She said "hold on" and left', q: "O'Brien" },
  { note: 'NEAR(alpha beta) OR gamma AND NOT delta', col: 'actor_text:admin', star: 'pre*', caret: '^start' },
  { note: 'Straße und İstanbul und Kelvin K', dash: '-minus +plus' },
  { note: 'line\u2028separator and tab\tinside', only: 'zzqx-only-in-details' },
];

beforeAll(async () => {
  t = await withSimulatedClock(new Date(Date.now() - 20 * 86_400_000), 1, async (clock) => {
    const made = await createTempWorkspace();
    await seedDemo(made.app.ws, { events: 900, admin: ADMIN, passphrase: PASSPHRASE, days: 20, clock });
    return made;
  });
  auditor = await t.addUser('ida.auditor', 'auditor');
  t.app.ws.tx(() => {
    ODD_DETAILS.forEach((details, i) =>
      t.app.ws.ledger.append({ actor: i % 2 ? 'Zoë.Ångström' : 'o.brien', action: 'records.view', resource_type: 'record', resource_id: `ÉCOLE-${i}/100%_x`, details }),
    );
  });
}, 180_000);

afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

/** The reference: the LIKE scan over the same four columns, newest first. */
function reference(text: string, extra = '', params: (string | number)[] = []): number[] {
  const like = likePattern(text);
  const rows = t.app.ws.db
    .prepare(
      `SELECT seq FROM events WHERE (actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\' OR resource_id LIKE ? ESCAPE '\\' OR details LIKE ? ESCAPE '\\')${extra} ORDER BY seq DESC`,
    )
    .all(like, like, like, like, ...params) as { seq: number }[];
  return rows.map((r) => r.seq);
}

/** Every match, read page by page through the channel as the viewer does, and the first page's total. */
async function searchAll(filter: LedgerFilter & { caseId?: string }, limit = 40): Promise<{ seqs: number[]; total: number | null; first: Page }> {
  const seqs: number[] = [];
  let first: Page | null = null;
  for (let offset = 0; ; offset += limit) {
    const page = await t.call<Page>('ledger.query', { ...filter, offset, limit, withTotal: offset === 0 }, auditor);
    first ??= page;
    seqs.push(...page.events.map((e) => e.seq));
    if (page.events.length < limit) break;
  }
  return { seqs, total: first!.total, first: first! };
}

const size = () => t.app.ws.ledger.head().size;

const TERMS = [
  'maria.chen', 'MARIA', 'records.view', 'hold', 'Hold', 'evidence.custody', 'case', '"', '":"', '{', '%', '_', '100%_', '\\',
  'a', 'ab', 'é', 'Zoë', 'zoë', 'ZOË', 'ÉCOLE', 'école', 'École', 'Ångström', 'naïve café', '😀', 'emoji 😀 in', 'Straße', 'İstanbul',
  'kelvin k', 'K', '"hold on"', "O'Brien", 'zzqx-only-in-details', 'separator', '\u2028', 'tab\tinside', 'S-1', 'no such text anywhere',
];

describe('indexed free-text search', () => {
  it('finds exactly what the LIKE scan finds, for every term, with the index empty, half built and complete', async () => {
    resetTextIndex(t.app.ws.db);
    const stages = [0, Math.floor(size() / 2), size()];
    for (const stage of stages) {
      catchUpTextIndex(t.app.ws.db, stage, 97);
      expect(indexedThrough(t.app.ws.db)).toBe(stage);
      for (const text of TERMS) {
        const expected = reference(text);
        const got = await searchAll({ text });
        expect(got.seqs, `"${text}" with the index through ${stage}`).toEqual(expected);
        expect(got.total, `total of "${text}" with the index through ${stage}`).toBe(expected.length);
        // The answer says how far the index reached.
        expect(got.first.index).toEqual({ indexedThrough: stage, size: size() });
      }
    }
    // The demo's common terms are really answered in number (so the comparisons above are not of empty lists).
    expect(reference('maria.chen').length).toBeGreaterThan(50);
    expect(reference('zzqx-only-in-details')).toHaveLength(1);
  });

  it('combines the text with the other filters and a case scope exactly as the scan does', async () => {
    catchUpTextIndex(t.app.ws.db, size());
    const denied = await searchAll({ text: 'maria', outcome: 'denied' }, 7);
    expect(denied.seqs).toEqual(reference('maria', " AND outcome = 'denied'"));
    // An actor, an exact action or a resource with few events: those are checked directly, same answer.
    const byActor = await searchAll({ text: 'hold', actor: 'maria.chen' }, 7);
    expect(byActor.seqs).toEqual(reference('hold', ' AND actor = ?', ['maria.chen']));
    expect(byActor.seqs.length).toBeGreaterThan(0);
    const byAction = await searchAll({ text: 'maria', action: 'records.view' }, 7);
    expect(byAction.seqs).toEqual(reference('maria', ' AND action = ?', ['records.view']));
    expect((await searchAll({ text: '100%_', resourceType: 'record', resourceId: 'ÉCOLE-1/100%_x' })).seqs).toEqual(
      reference('100%_', ' AND resource_type = ? AND resource_id = ?', ['record', 'ÉCOLE-1/100%_x']),
    );
    const holds = await searchAll({ text: 'case', action: 'holds.*' }, 7);
    expect(holds.seqs).toEqual(reference('case', " AND action LIKE 'holds.%'"));
    expect(holds.seqs.length).toBeGreaterThan(0);
    const caseId = (t.app.ws.db.prepare("SELECT id FROM cases ORDER BY id LIMIT 1").get() as { id: string }).id;
    const scanned = queryEvents(t.app.ws.db, { caseId, limit: 500, withTotal: true } as never, size());
    const inCase = await searchAll({ caseId, text: 'records' }, 5);
    const expectedInCase = (await searchAll({ caseId }, 500)).seqs.filter((s) => reference('records').includes(s));
    expect(inCase.seqs).toEqual(expectedInCase);
    expect(scanned.total).toBeGreaterThan(0);
    // Paging by beforeSeq (the timeline's "older" link) across the point where the index stops.
    resetTextIndex(t.app.ws.db);
    catchUpTextIndex(t.app.ws.db, size() - 5);
    const expected = reference('records');
    const paged: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await t.call<Page>('ledger.query', { text: 'records', limit: 3, withTotal: true, ...(before ? { beforeSeq: before } : {}) }, auditor);
      // The total is of every match, whichever page was asked for (as the scan's total is).
      expect(page.total).toBe(expected.length);
      paged.push(...page.events.map((e) => e.seq));
      if (page.events.length < 3) break;
      before = page.events[page.events.length - 1]!.seq;
    }
    expect(paged).toEqual(expected);
  });

  it('finds events appended after the index (the tail is scanned) and catches up in short steps', async () => {
    catchUpTextIndex(t.app.ws.db, size());
    const marker = `fresh-${randomBytes(6).toString('hex')}`;
    await t.call('users.create', { username: 'fresh.user', displayName: `Fresh ${marker}`, role: 'viewer', passphrase: PASSPHRASE }, t.admin);
    const behind = await searchAll({ text: marker });
    expect(behind.seqs).toEqual(reference(marker));
    expect(behind.seqs.length).toBeGreaterThan(0);
    expect(behind.first.index!.indexedThrough).toBeLessThan(behind.first.index!.size);
    // The head says the same, cheaply (the viewer asks it while the index catches up).
    const head = await t.call<{ textIndex: { indexedThrough: number; size: number } }>('ledger.head', {}, auditor);
    expect(head.textIndex).toEqual({ indexedThrough: indexedThrough(t.app.ws.db), size: size() });
    // A step indexes at most its batch, in its own transaction, and says whether more remain.
    const from = indexedThrough(t.app.ws.db);
    const step = indexStep(t.app.ws.db, size(), 1);
    expect(step.through).toBe(from + 1);
    expect(step.more).toBe(size() > from + 1);
    catchUpTextIndex(t.app.ws.db, size());
    const caught = await searchAll({ text: marker });
    expect(caught.seqs).toEqual(behind.seqs);
    expect(caught.first.index!.indexedThrough).toBe(size());
    // The index is never written inside someone else's transaction.
    expect(() => t.app.ws.tx(() => indexStep(t.app.ws.db, size()))).toThrow(/outside other transactions/);
  });

  it('takes hostile text literally: FTS5 operators, quotes, column filters, NEAR, stars, control characters, long text', async () => {
    catchUpTextIndex(t.app.ws.db, size());
    const hostile = [
      '" OR 1', '"""', '""', 'NEAR(alpha beta)', 'alpha OR gamma', 'NOT delta', 'actor_text:admin', '{actor_text details_text}:adm', 'pre*', '*',
      '^start', '-minus', '+plus', '(((', ')', 'a:b:c', "'; DROP TABLE events; --", 'x\u0000y', '\u0000\u0000\u0000', '"'.repeat(200), 'é'.repeat(200),
      'ledger_text MATCH', 'rank', 'rowid', 'AND', '   ', '\\%_',
    ];
    for (const text of hostile) {
      const got = await searchAll({ text });
      expect(got.seqs, JSON.stringify(text)).toEqual(reference(text));
      expect(got.total, JSON.stringify(text)).toBe(reference(text).length);
    }
    expect(matchTrigrams('a"B OR c')).toBe('"a""b" AND """b " AND "b o" AND " or" AND "or " AND "r c"');
    // A long text asks for a bounded number of its trigrams (the re-check against the events does the rest).
    expect(matchTrigrams('abcdefghijklmnopqrstuvwxyz0123456789').split(' AND ')).toHaveLength(16);
    // Longer than the contract allows: refused before any query runs.
    const err = await t.call('ledger.query', { text: 'x'.repeat(201), limit: 10 }, auditor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect((err as CallError).code).toBe('validation');
  });

  it('rebuilds from nothing (and from a cursor beyond the ledger) with the same answers; verification never needs it', async () => {
    catchUpTextIndex(t.app.ws.db, size());
    const before = await searchAll({ text: 'maria.chen' });
    resetTextIndex(t.app.ws.db);
    expect(indexedThrough(t.app.ws.db)).toBe(0);
    expect((t.app.ws.db.prepare('SELECT count(*) AS n FROM ledger_text WHERE ledger_text MATCH ?').get(matchTrigrams('maria')) as { n: number }).n).toBe(0);
    expect((await searchAll({ text: 'maria.chen' })).seqs).toEqual(before.seqs);
    // A cursor past the end (a database restored from an older copy) starts the index over.
    t.app.ws.db.prepare('UPDATE ledger_text_cursor SET indexed_through = ? WHERE id = 1').run(size() + 1000);
    expect(indexStep(t.app.ws.db, size()).through).toBe(0);
    expect(catchUpTextIndex(t.app.ws.db, size())).toBe(size());
    expect((await searchAll({ text: 'maria.chen' })).seqs).toEqual(before.seqs);
    // Emptied again, the ledger still verifies: the index is no part of the evidence.
    resetTextIndex(t.app.ws.db);
    const report = await verifyWorkspaceDb(t.app.ws.db, t.app.ws.dir, { id: t.app.ws.id, publicKey: t.app.ws.signingKey.publicKey });
    expect(report.valid).toBe(true);
    catchUpTextIndex(t.app.ws.db, size());
  });

  it('forgets the text of events by seq (pruning), and a stale index entry never shows an event that no longer matches', async () => {
    catchUpTextIndex(t.app.ws.db, size());
    const all = reference('maria.chen');
    const cut = all[Math.floor(all.length / 2)]!;
    forgetIndexedText(t.app.ws.db, cut);
    const direct = t.app.ws.db.prepare('SELECT rowid FROM ledger_text WHERE ledger_text MATCH ? AND rowid <= ?').all(matchTrigrams('maria.chen'), cut);
    expect(direct).toEqual([]);
    // The index no longer finds the older ones (it only ever narrows candidates: the search re-checks every hit).
    const got = (await searchAll({ text: 'maria.chen' })).seqs;
    expect(got).toEqual(all.filter((s) => s > cut));
    // A hit the index still holds but the event does not match is dropped by the re-check.
    t.app.ws.db.prepare('INSERT INTO ledger_text (rowid, actor_text, action_text, resource_id_text, details_text) VALUES (?, ?, ?, ?, ?)').run(1, 'ghost-term', '', '', '');
    expect((await searchAll({ text: 'ghost-term' })).seqs).toEqual([]);
    resetTextIndex(t.app.ws.db);
    catchUpTextIndex(t.app.ws.db, size());
  });
});

describe('the index in a running app', () => {
  it('catches up at unlock and after appends in the background, in the hosts that stay open', async () => {
    const w = await createTempWorkspace();
    w.app.runsSchedule = true;
    const marker = `bg-${randomBytes(5).toString('hex')}`;
    for (let i = 0; i < 30; i++) w.app.ws.record({ actor: ADMIN, action: 'records.view', resource_type: 'record', resource_id: `R-${i}`, details: { marker } });
    // This workspace was opened before runsSchedule was set: lock and sign in again (the unlock catch-up).
    w.lock();
    const admin = await w.login();
    const db = () => w.app.ws.db;
    await waitFor(() => indexedThrough(db()) === w.app.ws.ledger.head().size, 10_000, 'the index to catch up at unlock');
    const page = await w.call<Page>('ledger.query', { text: marker, limit: 100, withTotal: true }, admin);
    expect(page.total).toBe(30);
    expect(page.index).toEqual({ indexedThrough: w.app.ws.ledger.head().size, size: w.app.ws.ledger.head().size });
    w.app.ws.record({ actor: ADMIN, action: 'records.view', resource_type: 'record', resource_id: 'R-late', details: { marker } });
    await waitFor(() => indexedThrough(db()) === w.app.ws.ledger.head().size, 10_000, 'the index to catch up after an append');
    expect((await w.call<Page>('ledger.query', { text: marker, limit: 100, withTotal: true }, admin)).total).toBe(31);
    w.app.shutdown();
  });

  it('keeps the indexed text inside the encrypted database: none of its bytes appear in any file', async () => {
    const w = await createTempWorkspace();
    const canary = `Index-Canary-${randomBytes(8).toString('hex')}-naïve`;
    for (let i = 0; i < 50; i++) w.app.ws.record({ actor: ADMIN, action: 'records.view', resource_type: 'record', resource_id: `${canary}-${i}`, details: { canary } });
    catchUpTextIndex(w.app.ws.db, w.app.ws.ledger.head().size);
    expect((await w.call<Page>('ledger.query', { text: canary, limit: 100, withTotal: true }, w.admin)).total).toBe(50);
    // What the index would write if it were not encrypted: its segment blobs, cut into 16-byte pieces.
    const blobs = w.app.ws.db.prepare('SELECT block FROM ledger_text_data WHERE length(block) > 64').all() as { block: Buffer }[];
    expect(blobs.length).toBeGreaterThan(0);
    const pieces: Buffer[] = [];
    for (const { block } of blobs) for (let i = 0; i + 16 <= block.length && pieces.length < 400; i += 16) {
      const piece = block.subarray(i, i + 16);
      if (piece.toString('latin1').match(/[a-z0-9]{3}/)) pieces.push(piece);
    }
    expect(pieces.length).toBeGreaterThan(10);
    const needles = [...pieces, Buffer.from(canary), Buffer.from(canary.toLowerCase())];
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    const leaking = (paths: string[]) => paths.filter((p) => {
      const bytes = readFileSync(p);
      return needles.some((n) => bytes.includes(n));
    });
    const open = files(w.dir);
    expect(open.some((p) => p.endsWith('custos.db-wal'))).toBe(true);
    expect(leaking(open)).toEqual([]);
    w.lock();
    expect(leaking(files(w.dir))).toEqual([]);
    // The check can fail: the same pieces are found where they are written in the clear.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(w.dir, 'exports', 'leak.bin'), Buffer.concat([Buffer.from('x'), pieces[0]!]));
    expect(leaking(files(w.dir))).toEqual([join(w.dir, 'exports', 'leak.bin')]);
    w.app.shutdown();
  });
});
