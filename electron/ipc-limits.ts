import { contract, type ChannelName } from '../shared/contract.js';
import { maxBodyOf } from '../shared/contract/define.js';
import type { Result } from '../shared/result.js';

/**
 * The desktop shell's twin of the loopback host's body limit: a request that is larger, as JSON,
 * than its channel's `maxBody` (shared/contract/define.ts) is refused before the dispatch reads it,
 * as the host answers 413. A request that is not JSON at all (IPC's structured clone can carry
 * cycles) is refused too: no channel takes one.
 */
export function ipcRequestRefusal(channel: ChannelName, input: unknown): Result<never> | null {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(input ?? {}) ?? '', 'utf8');
  } catch {
    return { ok: false, error: { code: 'validation', message: 'The request is not valid JSON.' } };
  }
  if (size > maxBodyOf(contract[channel])) return { ok: false, error: { code: 'validation', message: 'The request body is too large.' } };
  return null;
}
