import type { Handlers } from '../dispatch.js';
import { coreHandlers } from './core.js';

/** Every channel's implementation; the type makes a missing channel a compile error. */
export const handlers: Handlers = {
  ...coreHandlers,
};
