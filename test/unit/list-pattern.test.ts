import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type ChannelName } from '../../shared/contract.js';
import type { CaseSummary } from '../../shared/contract/cases.js';
import { isListRequest, isListResponse } from '../../shared/contract/list.js';
import { listAmendments } from '../../electron/core/amendments/amendments.js';
import { listPage } from '../../electron/core/db/list-page.js';
import { isCustosError } from '../../electron/core/errors.js';
import { createTempWorkspace, removeTempDirs, waitFor, type TempWorkspace } from './helpers/workspace.js';

const LIST_CHANNELS = (Object.keys(contract) as ChannelName[]).filter((c) => c.endsWith('.list'));

describe('every *.list channel uses the one list pattern', () => {
  it('finds the lists the brief names', () => {
    for (const name of ['cases.list', 'users.list', 'amendments.list', 'subpoenas.list', 'disclosures.list', 'deadlines.list', 'imports.list', 'exports.list', 'records.list'] as const) {
      expect(LIST_CHANNELS).toContain(name);
    }
  });

  it.each(LIST_CHANNELS)('%s: listRequest/listResponse, with search, sort, dir, offset, limit and {items, total}', (name) => {
    const def = contract[name];
    expect(isListRequest(def.request), `${name} request`).toBe(true);
    expect(isListResponse(def.response), `${name} response`).toBe(true);
    const parsed = def.request.parse({}) as { sort: string; dir: string; offset: number; limit: number };
    expect(parsed).toMatchObject({ offset: 0, limit: 100 });
    expect(['asc', 'desc']).toContain(parsed.dir);
    expect(typeof parsed.sort).toBe('string');
    expect(def.request.safeParse({ limit: 501 }).success).toBe(false);
    expect(def.request.safeParse({ sort: 'name; DROP TABLE users' }).success).toBe(false);
    expect(def.request.safeParse({ search: 'x' }).success).toBe(true);
    const shape = (def.response as unknown as z.ZodObject).shape;
    expect(Object.keys(shape)).toEqual(expect.arrayContaining(['items', 'total']));
  });
});

describe('list queries on a real workspace', () => {
  let t: TempWorkspace;
  beforeAll(async () => {
    t = await createTempWorkspace();
    for (let i = 0; i < 23; i++) await t.call('cases.create', { title: `Case ${String(i).padStart(2, '0')}`, type: 'audit' }, t.admin);
  });
  afterAll(() => {
    t.app.shutdown();
    removeTempDirs();
  });

  it('pages by offset and limit with the total, without overlap or gaps', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 30; offset += 10) {
      const page = await t.call<{ items: CaseSummary[]; total: number }>('cases.list', { sort: 'title', dir: 'asc', offset, limit: 10 }, t.admin);
      expect(page.total).toBe(23);
      expect(page.items).toHaveLength(Math.min(10, 23 - offset));
      seen.push(...page.items.map((c) => c.title));
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `Case ${String(i).padStart(2, '0')}`));
    const filtered = await t.call<{ items: CaseSummary[]; total: number }>('cases.list', { search: 'Case 1', limit: 3 }, t.admin);
    expect(filtered).toMatchObject({ total: 10 });
    expect(filtered.items).toHaveLength(3);
    const users = await t.call<{ items: { username: string }[]; total: number }>('users.list', { limit: 1 }, t.admin);
    expect(users).toMatchObject({ total: 1, items: [{ username: 'admin' }] });
  });

  it('refuses a sort column outside the whitelist, in the core too (nothing of the caller reaches SQL)', async () => {
    const r = await t.result('cases.list', { sort: 'title; DROP TABLE cases' }, t.admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
    let thrown: unknown = null;
    try {
      listAmendments(t.app.ws, { sort: 'received_at DESC; DROP TABLE amendment_requests --', dir: 'desc', offset: 0, limit: 10 });
    } catch (e) {
      thrown = e;
    }
    expect(isCustosError(thrown, 'validation')).toBe(true);
    expect((thrown as Error).message).toContain('cannot be sorted by');
    // "constructor" and other inherited names are not sort columns either.
    const source = { select: 'SELECT * FROM cases c', from: 'FROM cases c', sorts: { id: 'c.id' }, tiebreak: 'c.id' };
    expect(() => listPage(t.app.ws.db, source, { conds: [], params: [] }, { sort: 'constructor', dir: 'asc', offset: 0, limit: 1 })).toThrow(/cannot be sorted/);
    expect(listPage(t.app.ws.db, source, { conds: [], params: [] }, { sort: 'id', dir: 'asc', offset: 20, limit: 5 })).toMatchObject({ total: 23 });
  });

  it('ledger.appended names the resources appended since the last notice', async () => {
    const notices: { size: number; resources: { resource_type: string; resource_id: string }[] | null }[] = [];
    const off = t.app.onEvent((event, payload) => {
      if (event === 'ledger.appended') notices.push(payload as (typeof notices)[number]);
    });
    try {
      const { case: c } = await t.call<{ case: CaseSummary }>('cases.create', { title: 'Notice me', type: 'audit' }, t.admin);
      await waitFor(() => notices.some((n) => n.resources?.some((r) => r.resource_id === c.id)), 5000, 'a notice naming the new case');
      const notice = notices.find((n) => n.resources?.some((r) => r.resource_id === c.id))!;
      expect(notice.resources).toContainEqual({ resource_type: 'case', resource_id: c.id });
      expect(notice.size).toBe(t.eventCount());
    } finally {
      off();
    }
  });
});
