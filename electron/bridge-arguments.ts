/**
 * How the main process tells the sandboxed preload which channels and events exist.
 *
 * The names are written once, in shared/contract; main reads them from there and hands them
 * to the renderer process as `webPreferences.additionalArguments` (Electron's documented way to
 * pass small data to a preload). This keeps zod and every schema out of the preload bundle,
 * which then holds only this file, shared/bridge.ts's constants and the preload itself.
 */

const CHANNELS_FLAG = '--custos-channels=';
const EVENTS_FLAG = '--custos-events=';
/** Dotted lower-camel names such as `holds.release` or `job.progress`; anything else is refused. */
const NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;

export interface BridgeNames {
  channels: readonly string[];
  events: readonly string[];
}

function checked(kind: string, names: readonly string[]): readonly string[] {
  for (const name of names) {
    if (!NAME.test(name)) throw new Error(`The ${kind} name "${name}" is not a dotted contract name.`);
  }
  if (new Set(names).size !== names.length) throw new Error(`The ${kind} names contain a duplicate.`);
  return names;
}

/** The renderer arguments that carry the contract's channel and event names. */
export function encodeBridgeArguments(names: BridgeNames): string[] {
  return [
    `${CHANNELS_FLAG}${checked('channel', names.channels).join(',')}`,
    `${EVENTS_FLAG}${checked('event', names.events).join(',')}`,
  ];
}

/** Reads the names back from a renderer's argv; throws unless each flag appears exactly once and every name is well formed. */
export function decodeBridgeArguments(argv: readonly string[]): BridgeNames {
  const one = (flag: string, kind: string): readonly string[] => {
    const found = argv.filter((a) => a.startsWith(flag));
    if (found.length !== 1) throw new Error(`The preload expected one ${flag.slice(0, -1)} argument and found ${found.length}.`);
    const value = (found[0] as string).slice(flag.length);
    return checked(kind, value === '' ? [] : value.split(','));
  };
  return { channels: one(CHANNELS_FLAG, 'channel'), events: one(EVENTS_FLAG, 'event') };
}
