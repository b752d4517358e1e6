import type { RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { ExportRequest } from '../../../shared/contract/exports.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import { newJobId } from '../lib/job-id.js';
import { cancelJob, endedJob, isLive, takesProgress, type Job } from './job.js';
import type { SliceCreator } from './types.js';

export type ExportStatus = ExportRequest['status'];
export interface MaskingProfileInfo {
  name: string;
  description: string;
}
export type BundleResult = ResponseOf<'bundles.create'>;
export type BundleInput = Omit<RequestOf<'bundles.create'>, 'jobId' | 'out'>;

/** A long job of this screen (running an export, writing a bundle): progress events, cancel, outcome. */
export interface ExportsJob extends Job {
  phase: string;
}
export interface ExecuteJob extends ExportsJob {
  requestId: string;
}
export interface BundleJob extends ExportsJob {
  scope: BundleInput;
  result: BundleResult | null;
}

export interface ExportsData {
  maskingProfiles: MaskingProfileInfo[] | null;
  executeJob: ExecuteJob | null;
  bundleJob: BundleJob | null;
}

export const initialExportsData: ExportsData = {
  maskingProfiles: null,
  executeJob: null,
  bundleJob: null,
};

/**
 * Export requests and signed bundles: decisions (the request list is `exportList`, lists.ts), and the two long jobs with client-chosen ids so progress events can
 * be matched and the job cancelled before the call returns. Changes go to the core first; the list
 * is reloaded afterwards, never edited locally.
 */
export interface ExportsSlice extends ExportsData {
  loadMaskingProfiles(): Promise<void>;
  requestExport(input: RequestOf<'exports.request'>): Promise<Result<ExportRequest>>;
  decideExport(id: string, decision: 'approve' | 'reject', text: string): Promise<Result<ExportRequest>>;
  /** Runs an approved request; `estimate` (events in scope) makes the progress bar determinate. */
  executeExport(id: string, estimate: number | null): Promise<void>;
  cancelExecute(): Promise<void>;
  dismissExecute(): void;
  /** Asks for a bundle that needs a second person (a case or the whole ledger): an export request of format 'bundle'. */
  requestBundle(input: RequestOf<'bundles.request'>): Promise<Result<ExportRequest>>;
  createBundle(input: BundleInput, estimate: number | null): Promise<void>;
  cancelBundle(): Promise<void>;
  resetBundle(): void;
}

export const createExportsSlice: SliceCreator<ExportsSlice> = (set, get) => ({
  ...initialExportsData,

  async loadMaskingProfiles() {
    if (get().maskingProfiles) return;
    const r = await client.call('exports.profiles', {});
    if (r.ok) set({ maskingProfiles: r.value.profiles });
  },

  async requestExport(input) {
    const r = await client.call('exports.request', input);
    if (r.ok) await get().listRefresh('exportList');
    return r.ok ? { ok: true, value: r.value.request } : r;
  },

  async decideExport(id, decision, text) {
    const r = decision === 'approve' ? await client.call('exports.approve', { id, note: text }) : await client.call('exports.reject', { id, reason: text });
    // A refusal can still change what the list should show (someone else decided first).
    await get().listRefresh('exportList');
    return r.ok ? { ok: true, value: r.value.request } : r;
  },

  async executeExport(id, estimate) {
    if (isLive(get().executeJob)) return;
    const jobId = newJobId('export');
    set({ executeJob: { jobId, requestId: id, status: 'running', phase: 'export', done: 0, total: estimate, startedAt: Date.now(), finishedAt: null, error: null } });
    const off = client.on('job.progress', (p) => {
      const job = get().executeJob;
      if (!job || !takesProgress(job, p.jobId)) return;
      set({ executeJob: { ...job, phase: p.phase, done: p.done, total: p.total ?? job.total } });
    });
    let r: Result<ResponseOf<'exports.execute'>>;
    try {
      r = await client.call('exports.execute', { id, jobId });
    } finally {
      off();
    }
    const job = get().executeJob;
    if (job && job.jobId === jobId) set({ executeJob: endedJob(job, r, (value) => ({ done: value.request.rows ?? job.done })) });
    await get().listRefresh('exportList');
    // Running an export signs checkpoints; the top bar shows the new head.
    void get().loadHead();
  },

  async cancelExecute() {
    await cancelJob(get().executeJob, (executeJob) => set({ executeJob }));
  },

  dismissExecute() {
    if (!isLive(get().executeJob)) set({ executeJob: null });
  },

  async requestBundle(input) {
    const r = await client.call('bundles.request', input);
    if (r.ok) await get().listRefresh('exportList');
    return r.ok ? { ok: true, value: r.value.request } : r;
  },

  async createBundle(input, estimate) {
    if (isLive(get().bundleJob)) return;
    const jobId = newJobId('bundle');
    set({ bundleJob: { jobId, scope: input, status: 'running', phase: 'prepare', done: 0, total: estimate, startedAt: Date.now(), finishedAt: null, error: null, result: null } });
    const off = client.on('job.progress', (p) => {
      const job = get().bundleJob;
      if (!job || !takesProgress(job, p.jobId)) return;
      set({ bundleJob: { ...job, phase: p.phase, done: p.done, total: p.total } });
    });
    let r: Result<BundleResult>;
    try {
      r = await client.call('bundles.create', { ...input, jobId });
    } finally {
      off();
    }
    const job = get().bundleJob;
    if (job && job.jobId === jobId) set({ bundleJob: endedJob(job, r, (result) => ({ result })) });
    // Every bundle is listed on Exports (an export request decided by policy), with its hash and hand-overs.
    void get().listRefresh('exportList');
    void get().loadHead();
  },

  async cancelBundle() {
    await cancelJob(get().bundleJob, (bundleJob) => set({ bundleJob }));
  },

  resetBundle() {
    if (!isLive(get().bundleJob)) set({ bundleJob: null });
  },
});
