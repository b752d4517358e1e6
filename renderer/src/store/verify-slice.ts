import type { VerificationReport } from '../../../shared/ledger-types.js';
import { client } from '../api/client.js';
import { newJobId } from '../lib/job-id.js';
import type { SliceCreator } from './types.js';

export interface VerifyJob {
  jobId: string;
  status: 'running' | 'cancelling' | 'done' | 'cancelled' | 'error';
  phase: string;
  done: number;
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
  report: VerificationReport | null;
  error: string | null;
}

export interface VerifyData {
  verify: VerifyJob | null;
}

export const initialVerifyData: VerifyData = { verify: null };

/** "Verify now": a long job with a client-chosen id, progress events, and cancel. */
export interface VerifySlice extends VerifyData {
  startVerify(): Promise<void>;
  cancelVerify(): Promise<void>;
  jobProgress(p: { jobId: string; phase: string; done: number; total: number | null }): void;
  dismissVerify(): void;
}

export const createVerifySlice: SliceCreator<VerifySlice> = (set, get) => ({
  ...initialVerifyData,
  async startVerify() {
    const current = get().verify;
    if (current && (current.status === 'running' || current.status === 'cancelling')) return;
    const jobId = newJobId('verify');
    set({ verify: { jobId, status: 'running', phase: 'verify', done: 0, total: get().head?.size ?? null, startedAt: Date.now(), finishedAt: null, report: null, error: null } });
    const r = await client.call('ledger.verify', { jobId });
    const job = get().verify;
    if (!job || job.jobId !== jobId) return;
    const finishedAt = Date.now();
    if (r.ok) {
      set({ verify: { ...job, status: 'done', report: r.value as VerificationReport, done: r.value.events_checked, finishedAt } });
    } else if (r.error.code === 'cancelled' || job.status === 'cancelling') {
      set({ verify: { ...job, status: 'cancelled', finishedAt } });
    } else {
      set({ verify: { ...job, status: 'error', error: r.error.message, finishedAt } });
    }
    // Verification appends its own ledger event and updates the top bar's state.
    void get().loadHead();
  },
  async cancelVerify() {
    const job = get().verify;
    if (!job || job.status !== 'running') return;
    set({ verify: { ...job, status: 'cancelling' } });
    await client.call('jobs.cancel', { jobId: job.jobId });
  },
  jobProgress(p) {
    const job = get().verify;
    if (!job || job.jobId !== p.jobId || (job.status !== 'running' && job.status !== 'cancelling')) return;
    set({ verify: { ...job, phase: p.phase, done: p.done, total: p.total } });
  },
  dismissVerify() {
    const job = get().verify;
    if (job && (job.status === 'running' || job.status === 'cancelling')) return;
    set({ verify: null });
  },
});
