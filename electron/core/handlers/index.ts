import type { Handlers } from '../dispatch.js';
import { bundleHandlers } from './bundles.js';
import { coreHandlers } from './core.js';
import { exportHandlers } from './exports.js';
import { ferpaHandlers } from './ferpa.js';

/** Every channel's implementation; the type makes a missing channel a compile error. */
export const handlers: Handlers = {
  ...coreHandlers,
  ...ferpaHandlers,
  ...bundleHandlers,
  ...exportHandlers,
};
