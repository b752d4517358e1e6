import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { CaseStatus, CaseSummary, CaseType } from '../../../shared/contract/cases.js';
import type { Evidence } from '../../../shared/contract/evidence.js';
import type { Hold } from '../../../shared/contract/holds.js';
import type { Subject } from '../../../shared/contract/subjects.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

export type CaseDetail = ResponseOf<'cases.get'>;
export type EvidenceDetail = ResponseOf<'evidence.get'>;
export type HoldDetail = ResponseOf<'holds.get'> & { items: ResponseOf<'holds.heldItems'> | null };
export type SubjectDetail = ResponseOf<'subjects.get'>;
export type RecordCategory = ResponseOf<'records.categories'>['categories'][number];

export interface CaseQuery {
  search: string;
  status: CaseStatus | '';
  type: CaseType | '';
  sort: RequestOf<'cases.list'>['sort'];
  dir: 'asc' | 'desc';
}
export interface EvidenceQuery {
  search: string;
  status: Evidence['status'] | '';
  integrity: Evidence['integrity'] | '';
}
export interface HoldQuery {
  search: string;
  status: Hold['status'] | '';
}
export interface SubjectQuery {
  search: string;
  /** '' any, 'out' opted out of directory information, 'in' not opted out. */
  directory: '' | 'out' | 'in';
}

const PAGE = 500;

/**
 * Case management: cases (list, open case, its timeline), evidence (list, open item with its
 * custody chain), legal holds (list, open hold with custodians, notices and held items) and the
 * subjects with their records (list, open subject with records, retention and holds). Lists
 * are fetched in pages of 500 with the total, for the virtualized tables; a change goes to the core
 * first, then the slice reloads what it touched (never edited locally first).
 */
export interface CaseworkSlice {
  cases: CaseSummary[] | null;
  casesTotal: number | null;
  casesError: string | null;
  caseQuery: CaseQuery;
  caseDetail: CaseDetail | null;
  caseTimeline: { events: LedgerEvent[]; total: number } | null;

  evidenceItems: Evidence[] | null;
  evidenceTotal: number | null;
  evidenceError: string | null;
  evidenceQuery: EvidenceQuery;
  evidenceDetail: EvidenceDetail | null;

  holds: Hold[] | null;
  holdsTotal: number | null;
  holdsError: string | null;
  holdQuery: HoldQuery;
  holdDetail: HoldDetail | null;

  subjects: Subject[] | null;
  subjectsTotal: number | null;
  subjectsError: string | null;
  subjectQuery: SubjectQuery;
  subjectDetail: SubjectDetail | null;
  /** The record categories of the retention policy (resources/policies/retention.json), fetched once. */
  recordCategories: RecordCategory[] | null;

  loadCases(query?: Partial<CaseQuery>, more?: boolean): Promise<void>;
  openCase(id: string | null): Promise<void>;
  loadCaseTimeline(id: string, more?: boolean): Promise<void>;
  loadEvidence(query?: Partial<EvidenceQuery>, more?: boolean): Promise<void>;
  openEvidence(id: string | null): Promise<void>;
  loadHolds(query?: Partial<HoldQuery>, more?: boolean): Promise<void>;
  openHold(id: string | null): Promise<void>;
  loadSubjects(query?: Partial<SubjectQuery>, more?: boolean): Promise<void>;
  openSubject(id: string | null): Promise<void>;
  loadRecordCategories(): Promise<void>;
  /** Runs a case, evidence, hold or record mutation, then refreshes the lists and open items it may have changed. */
  caseworkMutate<C extends ChannelName>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
}

export const initialCaseworkData = {
  cases: null,
  casesTotal: null,
  casesError: null,
  caseQuery: { search: '', status: '', type: '', sort: 'updated_at', dir: 'desc' } as CaseQuery,
  caseDetail: null,
  caseTimeline: null,
  evidenceItems: null,
  evidenceTotal: null,
  evidenceError: null,
  evidenceQuery: { search: '', status: '', integrity: '' } as EvidenceQuery,
  evidenceDetail: null,
  holds: null,
  holdsTotal: null,
  holdsError: null,
  holdQuery: { search: '', status: '' } as HoldQuery,
  holdDetail: null,
  subjects: null,
  subjectsTotal: null,
  subjectsError: null,
  subjectQuery: { search: '', directory: '' } as SubjectQuery,
  subjectDetail: null,
  recordCategories: null,
} satisfies Partial<CaseworkSlice>;

export const createCaseworkSlice: SliceCreator<CaseworkSlice> = (set, get) => ({
  ...initialCaseworkData,

  async loadCases(query, more) {
    const q = { ...get().caseQuery, ...query };
    const offset = more ? (get().cases?.length ?? 0) : 0;
    set({ caseQuery: q });
    const r = await client.call('cases.list', {
      ...(q.search.trim() ? { search: q.search.trim() } : {}),
      ...(q.status ? { status: [q.status] } : {}),
      ...(q.type ? { type: [q.type] } : {}),
      sort: q.sort,
      dir: q.dir,
      offset,
      limit: PAGE,
    });
    if (!r.ok) return set({ casesError: r.error.message });
    set({ cases: more ? [...(get().cases ?? []), ...r.value.items] : r.value.items, casesTotal: r.value.total, casesError: null });
  },
  async openCase(id) {
    if (!id) return set({ caseDetail: null, caseTimeline: null });
    const r = await client.call('cases.get', { id });
    if (!r.ok) return get().notify('error', r.error.message);
    set({ caseDetail: r.value });
    await get().loadCaseTimeline(id);
  },
  async loadCaseTimeline(id, more) {
    const offset = more ? (get().caseTimeline?.events.length ?? 0) : 0;
    const r = await client.call('cases.timeline', { id, offset, limit: 100 });
    if (!r.ok) return;
    set({ caseTimeline: { events: more ? [...(get().caseTimeline?.events ?? []), ...r.value.events] : r.value.events, total: r.value.total } });
  },

  async loadEvidence(query, more) {
    const q = { ...get().evidenceQuery, ...query };
    const offset = more ? (get().evidenceItems?.length ?? 0) : 0;
    set({ evidenceQuery: q });
    const r = await client.call('evidence.list', {
      ...(q.search.trim() ? { search: q.search.trim() } : {}),
      ...(q.status ? { status: [q.status] } : {}),
      ...(q.integrity ? { integrity: q.integrity } : {}),
      offset,
      limit: PAGE,
    });
    if (!r.ok) return set({ evidenceError: r.error.message });
    set({ evidenceItems: more ? [...(get().evidenceItems ?? []), ...r.value.items] : r.value.items, evidenceTotal: r.value.total, evidenceError: null });
  },
  async openEvidence(id) {
    if (!id) return set({ evidenceDetail: null });
    const r = await client.call('evidence.get', { id });
    if (r.ok) set({ evidenceDetail: r.value });
    else get().notify('error', r.error.message);
  },

  async loadHolds(query, more) {
    const q = { ...get().holdQuery, ...query };
    const offset = more ? (get().holds?.length ?? 0) : 0;
    set({ holdQuery: q });
    const r = await client.call('holds.list', {
      ...(q.search.trim() ? { search: q.search.trim() } : {}),
      ...(q.status ? { status: [q.status] } : {}),
      offset,
      limit: PAGE,
    });
    if (!r.ok) return set({ holdsError: r.error.message });
    set({ holds: more ? [...(get().holds ?? []), ...r.value.items] : r.value.items, holdsTotal: r.value.total, holdsError: null });
  },
  async openHold(id) {
    if (!id) return set({ holdDetail: null });
    const [r, items] = await Promise.all([client.call('holds.get', { id }), client.call('holds.heldItems', { id, limit: 1000 })]);
    if (r.ok) set({ holdDetail: { ...r.value, items: items.ok ? items.value : null } });
    else get().notify('error', r.error.message);
  },

  async loadSubjects(query, more) {
    const q = { ...get().subjectQuery, ...query };
    const offset = more ? (get().subjects?.length ?? 0) : 0;
    set({ subjectQuery: q });
    const r = await client.call('subjects.list', {
      ...(q.search.trim() ? { search: q.search.trim() } : {}),
      ...(q.directory ? { directoryOptOut: q.directory === 'out' } : {}),
      offset,
      limit: PAGE,
    });
    if (!r.ok) return set({ subjectsError: r.error.message });
    set({ subjects: more ? [...(get().subjects ?? []), ...r.value.items] : r.value.items, subjectsTotal: r.value.total, subjectsError: null });
  },
  async openSubject(id) {
    if (!id) return set({ subjectDetail: null });
    const r = await client.call('subjects.get', { id });
    if (r.ok) set({ subjectDetail: r.value });
    else get().notify('error', r.error.message);
  },
  async loadRecordCategories() {
    if (get().recordCategories) return;
    const r = await client.call('records.categories', {});
    if (r.ok) set({ recordCategories: r.value.categories });
  },

  async caseworkMutate(channel, input) {
    const r = await client.call(channel, input);
    if (!r.ok) return r;
    const s = get();
    const refresh: Promise<void>[] = [];
    // A hold or an evidence change can move a case's status and counts, and the other way round.
    if (s.cases) refresh.push(s.loadCases());
    if (s.evidenceItems) refresh.push(s.loadEvidence());
    if (s.holds) refresh.push(s.loadHolds());
    if (s.subjects) refresh.push(s.loadSubjects());
    if (s.subjectDetail) refresh.push(s.openSubject(s.subjectDetail.subject.id));
    if (s.caseDetail) refresh.push(s.openCase(s.caseDetail.case.id));
    if (s.evidenceDetail) refresh.push(s.openEvidence(s.evidenceDetail.evidence.id));
    if (s.holdDetail) refresh.push(s.openHold(s.holdDetail.hold.id));
    await Promise.all(refresh);
    return r;
  },
});
