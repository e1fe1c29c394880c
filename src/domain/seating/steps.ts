/**
 * Work that can pause: a generator that yields where its caller may let other work
 * run, and returns the work's result. The domain never decides when to pause (it
 * has no clock); its callers do.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to their end without pausing. */
export function allSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
