/**
 * The core's clock. Real time, except while `withSimulatedClock` runs: `custos demo` uses it to
 * write a believable history (events spread over months, in order) through the real code paths.
 */
let source: () => Date = () => new Date();

/** The current time as the core sees it. */
export function now(): Date {
  return source();
}

/** Runs `fn` with a clock that starts at `start` and advances `stepMs` on every reading. */
export function withSimulatedClock<T>(start: Date, stepMs: number, fn: (clock: { set: (d: Date) => void }) => T): T {
  let t = start.getTime();
  const previous = source;
  source = () => {
    const d = new Date(t);
    t += stepMs;
    return d;
  };
  try {
    return fn({ set: (d) => (t = d.getTime()) });
  } finally {
    source = previous;
  }
}
