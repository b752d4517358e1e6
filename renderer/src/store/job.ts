import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';

/**
 * A long job of the core as a slice tracks it: an id the renderer chose (so progress events can be
 * matched and the job cancelled before the call returns), its state, and how far it got.
 */
export interface Job {
  jobId: string;
  status: 'running' | 'cancelling' | 'done' | 'cancelled' | 'error';
  done: number;
  /** Known or estimated amount of work; null when the core cannot tell. */
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
}

/** True while the job runs or is being cancelled: another of its kind must wait, and it cannot be dismissed. */
export function isLive(job: Job | null): boolean {
  return job !== null && (job.status === 'running' || job.status === 'cancelling');
}

/** True when a progress event of `jobId` is about this job and the job is still live. */
export function takesProgress(job: Job, jobId: string): boolean {
  return job.jobId === jobId && isLive(job);
}

/** Marks a running job as cancelling (through `put`) and asks the core to stop it; anything else is left alone. */
export async function cancelJob<J extends Job>(job: J | null, put: (job: J) => void): Promise<void> {
  if (!job || job.status !== 'running') return;
  put({ ...job, status: 'cancelling' });
  await client.call('jobs.cancel', { jobId: job.jobId });
}

/**
 * The job as its call ended: done (with what `onDone` takes from the answer), cancelled (when the
 * core says so or cancelling was asked for), or failed with the core's sentence.
 */
export function endedJob<J extends Job, T>(job: J, r: Result<T>, onDone: (value: T) => Partial<J>): J {
  const finishedAt = Date.now();
  if (r.ok) return { ...job, ...onDone(r.value), status: 'done', finishedAt };
  if (r.error.code === 'cancelled' || job.status === 'cancelling') return { ...job, status: 'cancelled', finishedAt };
  return { ...job, status: 'error', error: r.error.message, finishedAt };
}

/** How far the job got in whole percent (at most 100); null while the amount of work is unknown. */
export function jobPercent(job: Pick<Job, 'done' | 'total'>): number | null {
  return job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : null;
}
