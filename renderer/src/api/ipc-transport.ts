import type { CustosBridge } from '../../../shared/bridge.js';
import type { ChannelName, EventName } from '../../../shared/contract.js';
import type { Result } from '../../../shared/result.js';
import type { Transport } from './transport.js';

type LooseChannel = (input: unknown, sessionId?: string, inputAgoMs?: number) => Promise<Result<unknown>>;

/** Electron: every call goes through the frozen `window.custos` object the preload exposes. */
export function ipcTransport(bridge: CustosBridge): Transport {
  return {
    kind: 'ipc',
    async call(channel: ChannelName, input: unknown, sessionId: string | null, inputAgoMs?: number) {
      const fn = bridge.channels[channel] as unknown as LooseChannel | undefined;
      if (typeof fn !== 'function') {
        return { ok: false, error: { code: 'not_found', message: `This version of Custos has no channel named ${channel}.` } };
      }
      try {
        return await fn(input, sessionId ?? undefined, inputAgoMs);
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'The Custos core did not answer; restart the application.' } };
      }
    },
    downloadUrl(ticket: string) {
      // Served by the main process on our own scheme (electron/main.ts); Electron asks where to save.
      return `custos://app/download/${encodeURIComponent(ticket)}`;
    },
    on(event: EventName, listener: (payload: unknown) => void) {
      return bridge.on(event, listener as never);
    },
  };
}
