// Long loops on the main thread that give the page its frames back: a sampler on the exact mixture
// denoiser never waits on anything but microtasks, so without an explicit yield a 100-step run
// would hold the thread until it ends.

/** Resolves on a later macrotask, after the browser has had the chance to paint and handle input. */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A clock that says when `sliceMs` of work has passed since the last yield, and yields then. */
export function pacer(sliceMs = 12): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await yieldToPage();
    since = performance.now();
  };
}

/** Options for {@link drain}. */
export interface DrainOptions {
  /** Work this long (ms) between yields; default 12, under a 60 Hz frame. */
  sliceMs?: number;
  /** Stops pulling (and closes the generator) once aborted. */
  signal?: AbortSignal;
}

/**
 * Pulls every value of an async generator, handing each to `onValue`, yielding to the page every
 * `sliceMs` of work. Resolves to true if it ran to the end, false if `signal` stopped it; the
 * generator is closed either way.
 */
export async function drain<S>(values: AsyncGenerator<S, void, void>, onValue: (value: S) => void, {sliceMs = 12, signal}: DrainOptions = {}): Promise<boolean> {
  const pace = pacer(sliceMs);
  try {
    for (;;) {
      if (signal?.aborted) return false;
      const next = await values.next();
      if (next.done) return true;
      if (signal?.aborted) return false;
      onValue(next.value);
      await pace();
    }
  } finally {
    await values.return();
  }
}
