import { mayCall, maySearch, type ChannelName } from '../../../shared/contract.js';
import { useAppStore } from '../store/index.js';

/**
 * True when the signed-in role may call `channel`, read from the contract's access list (the core
 * enforces it; this only hides what it would refuse). Signed out counts as the least role.
 */
export function useCan(channel: ChannelName): boolean {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  return mayCall(role, channel);
}

/** `useCan` for a list of channels known only at render time (e.g. a detail's allowed actions). */
export function useCanCall(): (channel: ChannelName) => boolean {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  return (channel) => mayCall(role, channel);
}

/** False when the role's search field `field` of `channel` would read data it may not see (the core refuses it; this hides the box). */
export function useMaySearch(channel: ChannelName, field = 'search'): boolean {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  return maySearch(role, channel, field);
}
