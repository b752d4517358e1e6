import type { ChannelName, EventName, EventPayload, RequestOf, ResponseOf } from './contract.js';
import type { Result } from './result.js';

/** IPC channel prefix: `custos:<channel>` for calls, `custos:event` for pushed events. */
export const IPC_PREFIX = 'custos:';
export const IPC_EVENT = 'custos:event';

/** What the Electron preload exposes as `window.custos`: exactly the contract's channels, plus `on`. */
export interface CustosBridge {
  /** `inputAgoMs`: how long ago the person at the page last gave input (the core's idle time counts from it). */
  channels: { [C in ChannelName]: (input: RequestOf<C>, sessionId?: string, inputAgoMs?: number) => Promise<Result<ResponseOf<C>>> };
  /** Subscribes to a core event; returns its own unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
