import type { CaseStatus, CaseType } from '../../../shared/contract/cases.js';
import type { Evidence } from '../../../shared/contract/evidence.js';
import type { Hold } from '../../../shared/contract/holds.js';
import type { ResponseOf } from '../../../shared/contract.js';
import type { AmendmentDetail } from '../../../shared/contract/amendments.js';
import type { Disclosure } from '../../../shared/contract/disclosures.js';
import type { ComplianceStatus } from '../../../shared/contract/compliance.js';
import type { Priority } from '../../../shared/compliance-data.js';
import type { WorkflowState } from '../../../shared/contract/workflows.js';
import { client } from '../api/client.js';
import { createListSlice, defineList, initialListData, type ListActions, type ListsData } from './list-slice.js';

export type CaseDetail = ResponseOf<'cases.get'>;
export type EvidenceDetail = ResponseOf<'evidence.get'>;
export type HoldDetail = ResponseOf<'holds.get'> & { items: ResponseOf<'holds.heldItems'> | null };
export type SubjectDetail = ResponseOf<'subjects.get'>;
export type SubpoenaDetail = ResponseOf<'subpoenas.get'>;
export type RequirementDetail = ResponseOf<'requirements.get'>;
export type WorkflowDetail = ResponseOf<'workflows.get'>;
export type IncidentDetail = ResponseOf<'incidents.get'>;
export type AlertDetail = ResponseOf<'alerts.get'>;
export type PrivacyRequestDetail = ResponseOf<'privacyRequests.get'>;

export interface CaseQuery {
  search: string;
  status: CaseStatus | '';
  type: CaseType | '';
  sort: 'id' | 'title' | 'type' | 'status' | 'assignee' | 'created_at' | 'updated_at';
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
export interface RequirementQuery {
  search: string;
  /** '' every switched-on framework. */
  frameworkId: string;
  status: ComplianceStatus | '';
  priority: Priority | '';
  /** '' any, 'yes' past its next assessment date, 'no' not. */
  overdue: '' | 'yes' | 'no';
  assignedTo: string;
}
export interface WorkflowQuery {
  search: string;
  state: WorkflowState | '';
  templateId: string;
  owner: string;
  /** '' any, 'yes' with a step past its due date, 'no' not. */
  overdue: '' | 'yes' | 'no';
}
/** The search box and state filter of the FERPA lists. */
export interface FerpaQuery {
  search: string;
  state: string;
}

/** The Alerts list's filters. */
export interface AlertQuery {
  search: string;
  state: string;
  rule: string;
}

const top = (route: string) => route.split('/')[0] ?? '';
const search = (text: string) => (text.trim() ? { search: text.trim() } : {});

/** Every list of the renderer, by key: each declares its channel, request, detail and the ledger resources it shows. */
export const LISTS = {
  caseList: defineList({
    channel: 'cases.list',
    query: { search: '', status: '', type: '', sort: 'updated_at', dir: 'desc' } as CaseQuery,
    request: (q) => ({ ...search(q.search), ...(q.status ? { status: [q.status] } : {}), ...(q.type ? { type: [q.type] } : {}), sort: q.sort, dir: q.dir }),
    idOf: (c) => c.id,
    async detail(id, store) {
      const r = await client.call('cases.get', { id });
      if (r.ok) void store.loadCaseTimeline(id);
      return r;
    },
    itemKey: 'case',
    patchDetail: (d: CaseDetail, c) => ({ ...d, case: c }),
    resource: 'case',
    // A hold or an evidence change moves a case's status and counts; links name records and subjects.
    related: ['hold', 'evidence', 'record', 'subject'],
    visible: (route) => top(route) === 'cases' && route.split('/')[1] !== 'subjects',
  }),
  evidenceList: defineList({
    channel: 'evidence.list',
    query: { search: '', status: '', integrity: '' } as EvidenceQuery,
    request: (q) => ({ ...search(q.search), ...(q.status ? { status: [q.status] } : {}), ...(q.integrity ? { integrity: q.integrity } : {}) }),
    idOf: (e) => e.id,
    detail: (id) => client.call('evidence.get', { id }),
    itemKey: 'evidence',
    patchDetail: (d: EvidenceDetail, e) => ({ ...d, evidence: e }),
    resource: 'evidence',
    related: ['hold'],
    visible: (route) => top(route) === 'evidence',
  }),
  holdList: defineList({
    channel: 'holds.list',
    query: { search: '', status: '' } as HoldQuery,
    request: (q) => ({ ...search(q.search), ...(q.status ? { status: [q.status] } : {}) }),
    idOf: (h) => h.id,
    async detail(id) {
      const [r, items] = await Promise.all([client.call('holds.get', { id }), client.call('holds.heldItems', { id, limit: 1000 })]);
      return r.ok ? { ok: true as const, value: { ...r.value, items: items.ok ? items.value : null } } : r;
    },
    itemKey: 'hold',
    patchDetail: (d: HoldDetail, h) => ({ ...d, hold: h }),
    resource: 'hold',
    related: [],
    visible: (route) => top(route) === 'holds',
  }),
  subjectList: defineList({
    channel: 'subjects.list',
    query: { search: '', directory: '' } as SubjectQuery,
    request: (q) => ({ ...search(q.search), ...(q.directory ? { directoryOptOut: q.directory === 'out' } : {}) }),
    idOf: (s) => s.id,
    detail: (id) => client.call('subjects.get', { id }),
    itemKey: 'subject',
    patchDetail: (d: SubjectDetail, s) => ({ ...d, subject: s }),
    resource: 'subject',
    related: ['record', 'hold'],
    visible: (route) => route.startsWith('cases/subjects'),
  }),
  amendmentList: defineList({
    channel: 'amendments.list',
    query: { search: '', state: '' } as FerpaQuery,
    request: (q) => ({ ...search(q.search), ...(q.state ? { state: q.state as never } : {}) }),
    idOf: (a) => a.id,
    detail: (id) => client.call('amendments.get', { id }),
    itemKey: 'amendment',
    patchDetail: (d: AmendmentDetail, a) => ({ ...d, amendment: a }),
    resource: 'amendment',
    related: [],
    visible: (route) => top(route) === 'amendments',
  }),
  subpoenaList: defineList({
    channel: 'subpoenas.list',
    query: { search: '', state: '' } as FerpaQuery,
    request: (q) => ({ ...search(q.search), ...(q.state ? { state: q.state as never } : {}) }),
    idOf: (p) => p.id,
    detail: (id) => client.call('subpoenas.get', { id }),
    itemKey: 'subpoena',
    patchDetail: (d: SubpoenaDetail, p) => ({ ...d, subpoena: p }),
    resource: 'subpoena',
    related: ['production', 'disclosure'],
    visible: (route) => top(route) === 'subpoenas',
  }),
  disclosureList: defineList({
    channel: 'disclosures.list',
    query: { search: '', state: '' } as FerpaQuery,
    request: (q) => search(q.search),
    idOf: (d) => d.id,
    async detail(id) {
      const r = await client.call('disclosures.get', { id });
      return r.ok ? { ok: true as const, value: r.value.disclosure } : r;
    },
    itemKey: 'disclosure',
    patchDetail: (_d: Disclosure, d) => d,
    resource: 'disclosure',
    related: ['amendment'],
    visible: (route) => top(route) === 'disclosures',
  }),
  frameworkList: defineList({
    channel: 'frameworks.list',
    query: {} as Record<never, never>,
    request: () => ({}),
    idOf: (f) => f.id,
    itemKey: 'framework',
    resource: 'framework',
    // An assessment or a new owner moves a framework's numbers.
    related: ['requirement'],
    visible: (route) => top(route) === 'compliance',
  }),
  requirementList: defineList({
    channel: 'requirements.list',
    query: { search: '', frameworkId: '', status: '', priority: '', overdue: '', assignedTo: '' } as RequirementQuery,
    request: (q) => ({
      ...search(q.search),
      ...(q.frameworkId ? { frameworkId: q.frameworkId } : {}),
      ...(q.status ? { status: [q.status] } : {}),
      ...(q.priority ? { priority: [q.priority] } : {}),
      ...(q.overdue ? { overdue: q.overdue === 'yes' } : {}),
      ...(q.assignedTo ? { assignedTo: q.assignedTo } : {}),
    }),
    idOf: (r) => `${r.frameworkId} ${r.requirementId}`,
    async detail(id) {
      const sp = id.indexOf(' ');
      return client.call('requirements.get', { frameworkId: id.slice(0, sp), requirementId: id.slice(sp + 1) });
    },
    itemKey: 'requirement',
    patchDetail: (d: RequirementDetail, r) => ({ ...d, requirement: r }),
    resource: 'requirement',
    // Switching a framework on or off adds or removes its requirements.
    related: ['framework'],
    visible: (route) => top(route) === 'compliance',
  }),
  userList: defineList({
    channel: 'users.list',
    query: {} as Record<never, never>,
    request: () => ({}),
    idOf: (u) => u.username,
    itemKey: 'user',
    resource: 'user',
    related: [],
    visible: (route) => top(route) === 'settings',
  }),
  exportList: defineList({
    // Filtered and counted on screen: every request, newest first (one row per request ever made).
    channel: 'exports.list',
    query: {} as Record<never, never>,
    request: () => ({}),
    idOf: (r) => r.id,
    itemKey: 'request',
    resource: 'export_request',
    related: [],
    visible: (route) => top(route) === 'exports',
  }),
  workflowList: defineList({
    channel: 'workflows.list',
    query: { search: '', state: 'open', templateId: '', owner: '', overdue: '' } as WorkflowQuery,
    request: (q) => ({
      ...search(q.search),
      ...(q.state ? { state: [q.state] } : {}),
      ...(q.templateId ? { templateId: q.templateId } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
      ...(q.overdue ? { overdue: q.overdue === 'yes' } : {}),
    }),
    idOf: (w) => w.id,
    detail: (id) => client.call('workflows.get', { id }),
    itemKey: 'workflow',
    patchDetail: (d: WorkflowDetail, w) => ({ ...d, workflow: w }),
    resource: 'workflow',
    // Scheduling a template creates its instance.
    related: ['workflow_template'],
    visible: (route) => route.startsWith('compliance/workflows'),
  }),
  incidentList: defineList({
    channel: 'incidents.list',
    query: { search: '', state: '' } as FerpaQuery,
    request: (q) => ({ ...search(q.search), ...(q.state ? { status: q.state as never } : {}) }),
    idOf: (i) => i.id,
    detail: (id) => client.call('incidents.get', { id }),
    itemKey: 'incident',
    patchDetail: (d: IncidentDetail, i) => ({ ...d, incident: i }),
    resource: 'incident',
    related: [],
    visible: (route) => top(route) === 'incidents',
  }),
  alertList: defineList({
    channel: 'alerts.list',
    query: { search: '', state: 'open', rule: '' } as AlertQuery,
    request: (q) => ({ ...search(q.search), ...(q.state ? { status: q.state as never } : {}), ...(q.rule ? { rule: q.rule as never } : {}) }),
    idOf: (a) => a.id,
    detail: (id) => client.call('alerts.get', { id }),
    itemKey: 'alert',
    patchDetail: (d: AlertDetail, a) => ({ ...d, alert: a }),
    resource: 'alert',
    // Escalating files an incident.
    related: ['incident'],
    visible: (route) => top(route) === 'alerts',
  }),
  privacyRequestList: defineList({
    channel: 'privacyRequests.list',
    query: { search: '', state: '' } as FerpaQuery,
    request: (q) => ({ ...search(q.search), ...(q.state ? { state: q.state as never } : {}) }),
    idOf: (r) => r.id,
    detail: (id) => client.call('privacyRequests.get', { id }),
    itemKey: 'request',
    patchDetail: (d: PrivacyRequestDetail, r) => ({ ...d, request: r }),
    resource: 'privacy_request',
    // An erasure erases records.
    related: ['record'],
    visible: (route) => top(route) === 'requests',
  }),
  deadlineList: defineList({
    channel: 'deadlines.list',
    query: {} as Record<never, never>,
    request: () => ({}),
    idOf: (d) => `${d.kind}:${d.refId}`,
    itemKey: 'deadline',
    resource: 'access_request',
    // The due list gathers amendments, subpoenas, holds and access requests.
    related: ['amendment', 'subpoena', 'hold', 'workspace', 'workflow', 'incident', 'privacy_request'],
    visible: (route) => top(route) === 'deadlines' || top(route) === '' || top(route) === 'dashboard',
  }),
  reportList: defineList({
    // The reports generated here, newest first, read from their reports.generate events.
    channel: 'reports.list',
    query: {} as Record<never, never>,
    request: () => ({}),
    idOf: (r) => r.fileName,
    itemKey: 'report',
    resource: 'report',
    related: [],
    visible: (route) => top(route) === 'reports',
  }),
  importList: defineList({
    // Audit review's overview: the imported bundles, newest first, with the pinned sources and the
    // recent rejections the channel answers beside them (`extra`). A bundle opens as its own page.
    channel: 'imports.list',
    query: {} as Record<never, never>,
    request: () => ({}),
    idOf: (i) => String(i.id),
    itemKey: 'import',
    resource: 'import',
    // A refused import adds a rejection (under its bundle); a revoked pin changes the sources.
    related: ['bundle', 'import_source'],
    visible: (route) => route === 'audit',
    pageSize: 100,
  }),
};

export type Lists = typeof LISTS;
export type ListsSlice = ListsData<Lists> & ListActions<Lists>;

export const createListsSlice = createListSlice(LISTS);

/** Every list empty, as after sign-out. */
export function initialListsData(): ListsData<Lists> {
  return Object.fromEntries(Object.entries(LISTS).map(([k, def]) => [k, initialListData(def.query)])) as ListsData<Lists>;
}
