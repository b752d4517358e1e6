import type { ChannelName, EventName } from '../../../shared/contract.js';
import type { Result } from '../../../shared/result.js';

/**
 * How the client reaches the core: Electron IPC through the preload, or HTTP to the loopback host.
 * Both carry the same contract, so everything above this seam is host-agnostic.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  call(channel: ChannelName, input: unknown, sessionId: string | null): Promise<Result<unknown>>;
  /** Where the page fetches a file handed over by `files.download` (a one-time ticket). */
  downloadUrl(ticket: string): string;
  /** Subscribes to a core event; returns its own unsubscribe function. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}
