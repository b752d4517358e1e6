import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { Amendment, AmendmentDetail } from '../../../shared/contract/amendments.js';
import type { Deadline } from '../../../shared/contract/deadlines.js';
import type { Disclosure } from '../../../shared/contract/disclosures.js';
import type { Subpoena } from '../../../shared/contract/subpoenas.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

export type SubpoenaDetail = ResponseOf<'subpoenas.get'>;

export interface ListFilter {
  state?: string;
  text?: string;
}

/**
 * FERPA work: amendment requests, subpoenas, the record of disclosures and the due list. Lists and
 * the open item are fetched from the core and cached here; a change goes to the core first, and the
 * slice then reloads what it touched (never edited locally first).
 */
export interface FerpaSlice {
  amendments: Amendment[] | null;
  amendmentsError: string | null;
  amendmentFilter: ListFilter;
  amendment: AmendmentDetail | null;
  subpoenas: Subpoena[] | null;
  subpoenasError: string | null;
  subpoenaFilter: ListFilter;
  subpoena: SubpoenaDetail | null;
  disclosures: Disclosure[] | null;
  disclosuresError: string | null;
  disclosureFilter: ListFilter;
  disclosure: Disclosure | null;
  deadlines: Deadline[] | null;
  deadlinesError: string | null;

  loadAmendments(filter?: ListFilter): Promise<void>;
  openAmendment(id: string | null): Promise<void>;
  loadSubpoenas(filter?: ListFilter): Promise<void>;
  openSubpoena(id: string | null): Promise<void>;
  loadDisclosures(filter?: ListFilter): Promise<void>;
  openDisclosure(id: string | null): Promise<void>;
  loadDeadlines(): Promise<void>;
  /** Runs a FERPA mutation, then refreshes the lists, the open items and the due list. */
  ferpaMutate<C extends ChannelName>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
}

export const initialFerpaData = {
  amendments: null,
  amendmentsError: null,
  amendmentFilter: {},
  amendment: null,
  subpoenas: null,
  subpoenasError: null,
  subpoenaFilter: {},
  subpoena: null,
  disclosures: null,
  disclosuresError: null,
  disclosureFilter: {},
  disclosure: null,
  deadlines: null,
  deadlinesError: null,
} satisfies Partial<FerpaSlice>;

function clean(filter: ListFilter): { state?: string; text?: string } {
  return { ...(filter.state ? { state: filter.state } : {}), ...(filter.text?.trim() ? { text: filter.text.trim() } : {}) };
}

export const createFerpaSlice: SliceCreator<FerpaSlice> = (set, get) => ({
  ...initialFerpaData,

  async loadAmendments(filter) {
    const f = filter ?? get().amendmentFilter;
    set({ amendmentFilter: f });
    const r = await client.call('amendments.list', clean(f) as RequestOf<'amendments.list'>);
    if (r.ok) set({ amendments: r.value.items, amendmentsError: null });
    else set({ amendmentsError: r.error.message });
  },
  async openAmendment(id) {
    if (!id) return set({ amendment: null });
    const r = await client.call('amendments.get', { id });
    if (r.ok) set({ amendment: r.value });
    else get().notify('error', r.error.message);
  },

  async loadSubpoenas(filter) {
    const f = filter ?? get().subpoenaFilter;
    set({ subpoenaFilter: f });
    const r = await client.call('subpoenas.list', clean(f) as RequestOf<'subpoenas.list'>);
    if (r.ok) set({ subpoenas: r.value.items, subpoenasError: null });
    else set({ subpoenasError: r.error.message });
  },
  async openSubpoena(id) {
    if (!id) return set({ subpoena: null });
    const r = await client.call('subpoenas.get', { id });
    if (r.ok) set({ subpoena: r.value });
    else get().notify('error', r.error.message);
  },

  async loadDisclosures(filter) {
    const f = filter ?? get().disclosureFilter;
    set({ disclosureFilter: f });
    const text = f.text?.trim();
    const r = await client.call('disclosures.list', text ? { text } : {});
    if (r.ok) set({ disclosures: r.value.items, disclosuresError: null });
    else set({ disclosuresError: r.error.message });
  },
  async openDisclosure(id) {
    if (!id) return set({ disclosure: null });
    const r = await client.call('disclosures.get', { id });
    if (r.ok) set({ disclosure: r.value.disclosure });
    else get().notify('error', r.error.message);
  },

  async loadDeadlines() {
    const r = await client.call('deadlines.list', {});
    if (r.ok) set({ deadlines: r.value.items, deadlinesError: null });
    else set({ deadlinesError: r.error.message });
  },

  async ferpaMutate(channel, input) {
    const r = await client.call(channel, input);
    if (!r.ok) return r;
    const s = get();
    const area = channel.split('.')[0];
    const refresh: Promise<void>[] = [s.loadDeadlines()];
    if (area === 'amendments' || s.amendments) refresh.push(s.loadAmendments());
    if (area === 'subpoenas' || s.subpoenas) refresh.push(s.loadSubpoenas());
    if (s.disclosures) refresh.push(s.loadDisclosures());
    const value = r.value as Record<string, unknown>;
    const amendment = (value.amendment as { id?: string } | undefined)?.id ?? s.amendment?.amendment.id;
    const subpoena = (value.subpoena as { id?: string } | undefined)?.id ?? s.subpoena?.subpoena.id;
    const disclosure = (value.disclosure as { id?: string } | undefined)?.id ?? s.disclosure?.id;
    if (amendment && area === 'amendments') refresh.push(s.openAmendment(amendment));
    if (subpoena && area === 'subpoenas') refresh.push(s.openSubpoena(subpoena));
    if (disclosure && area === 'disclosures') refresh.push(s.openDisclosure(disclosure));
    await Promise.all(refresh);
    return r;
  },
});
