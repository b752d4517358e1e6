import type { ChannelName } from '../../shared/contract.js';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result.js';
import { createTempWorkspace, removeTempDirs, type TempWorkspace } from './helpers/workspace.js';

/**
 * Random sequences of hold operations (create/activate holds scoped by subject, keyword, or record
 * category with a date range; link and unlink items; release holds) interleaved with every destructive path (dispose, purge by id,
 * retention purge of everything, erase, destructive edit). A small independent model says which
 * items are held; the property is that held items are never destroyed, every refusal is code
 * `held` and ledgered as denied, and once the last hold is released everything can be destroyed.
 */

const EVIDENCE = 3;
const RECORDS = 3;
const SUBJECTS = 2;
const CASES = 2;

/** Record categories and dates by index: both categories are past retention at these dates, so every path may destroy them. */
const RECORD_CATEGORIES = ['communications', 'attendance'] as const;
const RECORD_DATES = ['2010-01-01', '2012-06-01', '2014-03-01'];
type Range = [string | null, string | null] | null;

type Scope =
  | { kind: 'none' }
  | { kind: 'subject'; subject: number }
  | { kind: 'keyword'; target: 'evidence' | 'record'; index: number }
  | { kind: 'category'; category: (typeof RECORD_CATEGORIES)[number]; range: Range };

type Op =
  | { op: 'hold'; caseIdx: number; scope: Scope; activate: boolean }
  | { op: 'link'; caseIdx: number; type: 'evidence' | 'record'; index: number }
  | { op: 'unlink'; caseIdx: number; type: 'evidence' | 'record'; index: number }
  | { op: 'release'; holdIdx: number }
  | { op: 'dispose'; index: number }
  | { op: 'purge'; index: number }
  | { op: 'purgeAll' }
  | { op: 'erase'; index: number }
  | { op: 'edit'; index: number };

const scopeArb: fc.Arbitrary<Scope> = fc.oneof(
  fc.constant({ kind: 'none' } as const),
  fc.integer({ min: 0, max: SUBJECTS - 1 }).map((subject) => ({ kind: 'subject', subject }) as const),
  fc.record({ target: fc.constantFrom('evidence' as const, 'record' as const), index: fc.integer({ min: 0, max: 2 }) }).map((k) => ({ kind: 'keyword', ...k }) as const),
  // A category, optionally narrowed by a date range (open at either end): the record-category scope of seed 002.
  fc
    .record({
      category: fc.constantFrom(...RECORD_CATEGORIES),
      range: fc.constantFrom<Range>(null, ['2011-01-01', null], [null, '2012-12-31'], ['2012-01-01', '2013-01-01'], ['2015-01-01', null]),
    })
    .map((c) => ({ kind: 'category', ...c }) as const),
);
const typeArb = fc.constantFrom('evidence' as const, 'record' as const);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('hold' as const), caseIdx: fc.integer({ min: 0, max: CASES - 1 }), scope: scopeArb, activate: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('link' as const), caseIdx: fc.integer({ min: 0, max: CASES - 1 }), type: typeArb, index: fc.integer({ min: 0, max: 2 }) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('unlink' as const), caseIdx: fc.integer({ min: 0, max: CASES - 1 }), type: typeArb, index: fc.integer({ min: 0, max: 2 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('release' as const), holdIdx: fc.integer({ min: 0, max: 7 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('dispose' as const), index: fc.integer({ min: 0, max: EVIDENCE - 1 }) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('purge' as const), index: fc.integer({ min: 0, max: RECORDS - 1 }) }), weight: 2 },
  { arbitrary: fc.constant({ op: 'purgeAll' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('erase' as const), index: fc.integer({ min: 0, max: RECORDS - 1 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('edit' as const), index: fc.integer({ min: 0, max: RECORDS - 1 }) }), weight: 2 },
);

let t: TempWorkspace;
let counsel: string;
let run = 0;

beforeAll(async () => {
  t = await createTempWorkspace();
  counsel = await t.addUser('david.okafor', 'legal_counsel');
});
afterAll(() => {
  t.app.shutdown();
  removeTempDirs();
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  return t.call<T>(channel as ChannelName, input, counsel);
}

interface World {
  cases: string[];
  subjects: string[];
  evidence: { id: string; token: string; destroyed: boolean; blob: string }[];
  records: { id: string; token: string; subject: number; category: string; date: string; destroyed: boolean }[];
  links: Set<string>;
  holds: { id: string; caseIdx: number; scope: Scope; active: boolean }[];
}

async function setUp(): Promise<World> {
  run += 1;
  const tag = `${run}${randomBytes(2).toString('hex')}`;
  const cases: string[] = [];
  for (let i = 0; i < CASES; i++) cases.push((await call<{ case: { id: string } }>('cases.create', { title: `Run ${tag} case ${i}`, type: 'investigation' })).case.id);
  const subjects: string[] = [];
  for (let i = 0; i < SUBJECTS; i++) subjects.push((await call<{ subject: { id: string } }>('subjects.create', { displayName: `Run ${tag} subject ${i}` })).subject.id);
  const evidence: World['evidence'] = [];
  for (let i = 0; i < EVIDENCE; i++) {
    const token = `ev${tag}k${i}q`;
    const { evidence: e } = await call<{ evidence: { id: string } }>('evidence.ingestContent', {
      fileName: `${token}.txt`,
      contentBase64: randomBytes(64).toString('base64'),
      title: `Item ${token}`,
      source: 'Property test',
    });
    const blob = (t.app.ws.db.prepare('SELECT blob_name FROM evidence WHERE id = ?').get(e.id) as { blob_name: string }).blob_name;
    evidence.push({ id: e.id, token, destroyed: false, blob });
  }
  const records: World['records'] = [];
  for (let i = 0; i < RECORDS; i++) {
    const token = `rc${tag}k${i}q`;
    const subject = i % SUBJECTS;
    const category = RECORD_CATEGORIES[i % RECORD_CATEGORIES.length] as string;
    const date = RECORD_DATES[i % RECORD_DATES.length] as string;
    const { record } = await call<{ record: { id: string } }>('records.create', {
      subjectId: subjects[subject],
      category,
      title: `Record ${token}`,
      content: 'Body',
      recordDate: date,
    });
    records.push({ id: record.id, token, subject, category, date, destroyed: false });
  }
  return { cases, subjects, evidence, records, links: new Set(), holds: [] };
}

/** The model: whether an active hold covers an item (independent of hold-scope.ts). */
function modelHeld(w: World, type: 'evidence' | 'record', index: number): boolean {
  const item = type === 'evidence' ? w.evidence[index] : w.records[index];
  // Nothing is left of a destroyed item, so nothing protects it (a second destruction is a conflict).
  if (!item || item.destroyed) return false;
  return w.holds.some((h) => {
    if (!h.active) return false;
    if (w.links.has(`${h.caseIdx}:${type}:${index}`)) return true;
    if (h.scope.kind === 'subject') return type === 'record' && (item as World['records'][number]).subject === h.scope.subject;
    if (h.scope.kind === 'keyword') return h.scope.target === type && h.scope.index === index;
    if (h.scope.kind === 'category') {
      if (type !== 'record') return false;
      const r = item as World['records'][number];
      const [from, to] = h.scope.range ?? [null, null];
      return r.category === h.scope.category && (!from || r.date >= from) && (!to || r.date <= to);
    }
    return false;
  });
}

function keywordOf(w: World, s: Scope): string[] {
  if (s.kind !== 'keyword') return [];
  return [s.target === 'evidence' ? (w.evidence[s.index]?.token ?? '') : (w.records[s.index]?.token ?? '')];
}

async function expectRefusedHeld(r: Result<unknown>, action: string, resourceId: string, before: number): Promise<void> {
  expect(r.ok, `${action} ${resourceId} should be refused`).toBe(false);
  if (r.ok) return;
  expect(r.error.code, `${action} ${resourceId}: ${r.error.message}`).toBe('held');
  expect(r.error.message).toMatch(/under legal holds? HOLD-/);
  const events = t.events().slice(before);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ action, outcome: 'denied', resource_id: resourceId, details: { code: 'held' } });
}

async function apply(w: World, o: Op): Promise<void> {
  const before = t.eventCount();
  switch (o.op) {
    case 'hold': {
      const scope =
        o.scope.kind === 'subject'
          ? { subjectIds: [w.subjects[o.scope.subject]] }
          : o.scope.kind === 'keyword'
            ? { keywords: keywordOf(w, o.scope) }
            : o.scope.kind === 'category'
              ? { categories: [o.scope.category], dateFrom: o.scope.range?.[0] ?? null, dateTo: o.scope.range?.[1] ?? null }
              : {};
      const caseId = w.cases[o.caseIdx] as string;
      const r = await t.result('holds.create', { caseId, title: `Hold on ${caseId}`, scope }, counsel);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) return;
      const id = (r.value as { hold: { id: string } }).hold.id;
      w.holds.push({ id, caseIdx: o.caseIdx, scope: o.scope, active: false });
      if (o.activate) {
        await call('holds.activate', { id });
        (w.holds.at(-1) as World['holds'][number]).active = true;
      }
      return;
    }
    case 'link': {
      const item = o.type === 'evidence' ? w.evidence[o.index] : w.records[o.index];
      await call('cases.link', { id: w.cases[o.caseIdx], itemType: o.type, itemId: item?.id });
      w.links.add(`${o.caseIdx}:${o.type}:${o.index}`);
      return;
    }
    case 'unlink': {
      const key = `${o.caseIdx}:${o.type}:${o.index}`;
      const item = (o.type === 'evidence' ? w.evidence[o.index] : w.records[o.index]) as { id: string };
      const r = await t.result('cases.unlink', { id: w.cases[o.caseIdx], itemType: o.type, itemId: item.id }, counsel);
      const caseHeld = w.holds.some((h) => h.active && h.caseIdx === o.caseIdx);
      if (!w.links.has(key)) expect(r.ok ? 'ok' : r.error.code).toBe('not_found');
      else if (caseHeld) await expectRefusedHeld(r, 'cases.unlink', item.id, before);
      else {
        expect(r.ok).toBe(true);
        w.links.delete(key);
      }
      return;
    }
    case 'release': {
      const h = w.holds[o.holdIdx];
      if (!h) return;
      const r = await t.result('holds.release', { id: h.id, reason: 'Property test release' }, counsel);
      expect(r.ok).toBe(h.active);
      if (r.ok) h.active = false;
      return;
    }
    case 'dispose': {
      const e = w.evidence[o.index] as World['evidence'][number];
      const r = await t.result('evidence.dispose', { id: e.id, reason: 'Property test' }, counsel);
      if (modelHeld(w, 'evidence', o.index)) await expectRefusedHeld(r, 'evidence.dispose', e.id, before);
      else if (e.destroyed) expect(r.ok ? 'ok' : r.error.code).toBe('conflict');
      else {
        expect(r.ok, JSON.stringify(r)).toBe(true);
        e.destroyed = true;
      }
      return;
    }
    case 'purge':
    case 'erase':
    case 'edit': {
      const rec = w.records[o.index] as World['records'][number];
      const [channel, input] =
        o.op === 'purge'
          ? ['records.purgeExpired', { ids: [rec.id] }]
          : o.op === 'erase'
            ? ['records.erase', { id: rec.id, reason: 'Property test' }]
            : ['records.update', { id: rec.id, content: `Rewritten ${before}` }];
      const r = await t.result(channel as ChannelName, input, counsel);
      if (modelHeld(w, 'record', o.index)) await expectRefusedHeld(r, channel, rec.id, before);
      else if (rec.destroyed) expect(r.ok ? 'ok' : r.error.code).toBe('conflict');
      else {
        expect(r.ok, JSON.stringify(r)).toBe(true);
        if (o.op !== 'edit') rec.destroyed = true;
      }
      return;
    }
    case 'purgeAll': {
      const r = (await call<{ purged: string[]; held: { id: string }[] }>('records.purgeExpired', {})) as { purged: string[]; held: { id: string }[] };
      w.records.forEach((rec, i) => {
        const held = modelHeld(w, 'record', i);
        if (rec.destroyed) return;
        if (held) {
          expect(r.held.map((x) => x.id)).toContain(rec.id);
          expect(r.purged).not.toContain(rec.id);
        } else {
          expect(r.purged).toContain(rec.id);
          rec.destroyed = true;
        }
      });
      for (const h of r.held) {
        const denied = t.events().slice(before).filter((e) => e.resource_id === h.id && e.outcome === 'denied');
        expect(denied).toHaveLength(1);
        expect(denied[0]?.details).toMatchObject({ code: 'held' });
      }
      return;
    }
  }
}

/** The database agrees with the model: held-ness (holds.check) and destruction of every item. */
async function checkState(w: World): Promise<void> {
  for (const [type, list] of [
    ['evidence', w.evidence],
    ['record', w.records],
  ] as const) {
    for (let i = 0; i < list.length; i++) {
      const item = list[i] as { id: string; destroyed: boolean };
      const { holds } = await call<{ holds: unknown[] }>('holds.check', { resourceType: type, id: item.id });
      expect(holds.length > 0, `${type} ${item.id} held?`).toBe(modelHeld(w, type, i));
      const status = (t.app.ws.db.prepare(`SELECT status FROM ${type === 'evidence' ? 'evidence' : 'records'} WHERE id = ?`).get(item.id) as { status: string }).status;
      const destroyed = type === 'evidence' ? status === 'disposed' : status !== 'active';
      expect(destroyed, `${type} ${item.id} destroyed?`).toBe(item.destroyed);
    }
  }
  for (const e of w.evidence) expect(existsSync(join(t.dir, 'evidence', `${e.blob}.cev`))).toBe(!e.destroyed);
}

describe('legal holds under random operation sequences', () => {
  it('never lets a held item be destroyed, refuses with held (ledgered), and frees items after the last release', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 22 }), async (ops) => {
        const w = await setUp();
        for (const o of ops) {
          await apply(w, o);
          await checkState(w);
        }
        // Release every hold still active: from then on every destructive path works.
        for (const h of w.holds.filter((x) => x.active)) {
          await call('holds.release', { id: h.id, reason: 'End of sequence' });
          h.active = false;
        }
        for (const e of w.evidence.filter((x) => !x.destroyed)) {
          await call('evidence.dispose', { id: e.id, reason: 'All holds released' });
          e.destroyed = true;
        }
        for (const r of w.records.filter((x) => !x.destroyed)) {
          await call('records.erase', { id: r.id, reason: 'All holds released' });
          r.destroyed = true;
        }
        await checkState(w);
      }),
      { numRuns: Number(process.env.CUSTOS_PROPERTY_RUNS ?? 40), endOnFailure: true },
    );
  }, 600_000);
});
