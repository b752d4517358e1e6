/**
 * The core's clock. Real time, except while `withSimulatedClock` runs: `custos demo` uses it to
 * write a believable history (events spread over months, in order) through the real code paths.
 */
let source: () => Date = () => new Date();

/** The current time as the core sees it. */
export function now(): Date {
  return source();
}

/** Control over a running simulated clock. */
export interface SimulatedClock {
  /** Moves the clock to `d` (the next reading returns it). */
  set(d: Date): void;
  /** How far each reading advances the clock from now on. */
  setStep(ms: number): void;
  /** The time the next reading will return, without advancing the clock. */
  peek(): Date;
}

/**
 * Runs `fn` with a clock that starts at `start` and advances `stepMs` on every reading. When `fn`
 * returns a promise, the simulated clock stays in force until it settles (the demo's subpoena
 * production is asynchronous), so nothing else should run in the process meanwhile.
 */
export function withSimulatedClock<T>(start: Date, stepMs: number, fn: (clock: SimulatedClock) => T): T {
  let t = start.getTime();
  let step = stepMs;
  const previous = source;
  source = () => {
    const d = new Date(t);
    t += step;
    return d;
  };
  const clock: SimulatedClock = {
    set: (d) => (t = d.getTime()),
    setStep: (ms) => (step = Math.max(0, ms)),
    peek: () => new Date(t),
  };
  let result: T;
  try {
    result = fn(clock);
  } catch (err) {
    source = previous;
    throw err;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      source = previous;
    }) as T;
  }
  source = previous;
  return result;
}
