import type { ChannelName, EventName } from '../../../shared/contract.js';
import type { GrantPurpose } from '../../../shared/contract/files.js';
import type { Result } from '../../../shared/result.js';

/** What a finished upload hands back: a one-time grant the channels take instead of a path. */
export interface UploadedFile {
  grant: string;
  fileName: string;
  bytes: number;
}

export interface UploadOptions {
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * How the client reaches the core: Electron IPC through the preload, or HTTP to the loopback host.
 * Both carry the same contract, so everything above this seam is host-agnostic.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  /** `inputAgoMs`: how long ago the person at the page last gave input (the core's idle time counts from it). */
  call(channel: ChannelName, input: unknown, sessionId: string | null, inputAgoMs?: number): Promise<Result<unknown>>;
  /** Where the page fetches a file handed over by `files.download` (a one-time ticket). */
  downloadUrl(ticket: string): string;
  /** Subscribes to a core event; returns its own unsubscribe function. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Browser only: streams a chosen file to the host (the desktop app picks files with its own dialog, `files.pick`). */
  upload?(purpose: GrantPurpose, file: File, sessionId: string | null, opts: UploadOptions): Promise<Result<UploadedFile>>;
  /** Told when the session changes, so pushed events follow the signed-in session. */
  sessionChanged?(sessionId: string | null): void;
}
