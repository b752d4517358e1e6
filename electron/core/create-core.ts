import { CustosApp } from './app.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import { handlers } from './handlers/index.js';
import { DEFAULT_WIRING, type CoreWiring } from './wiring.js';

/** One workspace folder's core: the app (sessions, jobs, the open workspace) and the dispatch both hosts call. */
export interface Core {
  app: CustosApp;
  dispatch: Dispatch;
}

export interface CoreOptions {
  /** Where unexpected errors go (the answer to the caller stays a generic sentence). */
  log?: (err: unknown) => void;
  /** The wiring between domains; the product's own by default. */
  wiring?: CoreWiring;
}

/**
 * Builds the core for a workspace folder. The Electron shell, the loopback host, the CLI, the demo
 * and the tests all start here, so they run the same wiring.
 */
export function createCore(dir: string, opts: CoreOptions = {}): Core {
  const app = new CustosApp(dir, opts.wiring ?? DEFAULT_WIRING);
  return { app, dispatch: createDispatch(app, handlers, opts.log) };
}
