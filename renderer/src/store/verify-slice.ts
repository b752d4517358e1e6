import type { VerificationReport } from '../../../shared/ledger-types.js';
import { client } from '../api/client.js';
import { newJobId } from '../lib/job-id.js';
import { cancelJob, endedJob, isLive, takesProgress, type Job } from './job.js';
import type { SliceCreator } from './types.js';

export interface VerifyJob extends Job {
  phase: string;
  report: VerificationReport | null;
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
    if (isLive(get().verify)) return;
    const jobId = newJobId('verify');
    set({ verify: { jobId, status: 'running', phase: 'verify', done: 0, total: get().head?.size ?? null, startedAt: Date.now(), finishedAt: null, report: null, error: null } });
    const r = await client.call('ledger.verify', { jobId });
    const job = get().verify;
    if (!job || job.jobId !== jobId) return;
    set({ verify: endedJob(job, r, (report) => ({ report: report as VerificationReport, done: report.events_checked })) });
    // Verification appends its own ledger event and updates the top bar's state.
    void get().loadHead();
  },
  async cancelVerify() {
    await cancelJob(get().verify, (verify) => set({ verify }));
  },
  jobProgress(p) {
    const job = get().verify;
    if (!job || !takesProgress(job, p.jobId)) return;
    set({ verify: { ...job, phase: p.phase, done: p.done, total: p.total } });
  },
  dismissVerify() {
    if (!isLive(get().verify)) set({ verify: null });
  },
});
