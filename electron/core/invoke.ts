import type { ChannelName, RequestOf, ResponseOf } from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
import type { CallMeta, Dispatch } from './dispatch.js';

/**
 * A typed call through the dispatch, for the core's own callers (the CLI, the tests): the channel is
 * a name of the contract and the request its input type, so a misspelt channel or a wrong field does
 * not compile. The dispatch still validates everything at run time, as it does for the hosts.
 */
export async function invoke<C extends ChannelName>(dispatch: Dispatch, channel: C, request: RequestOf<C>, meta: CallMeta = {}): Promise<Result<ResponseOf<C>>> {
  return (await dispatch(channel, request, meta)) as Result<ResponseOf<C>>;
}
