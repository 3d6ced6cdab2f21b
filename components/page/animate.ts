// Drives a step-by-step sampler at the page's frame rate without blocking it.

export interface PlayOptions {
  /** Stops the run when it resolves (pass a cell's `invalidation`). */
  invalidation?: Promise<unknown>;
  /** States consumed per frame (a 1,000-step Langevin run would take 17 s at one per frame). */
  perFrame?: number;
  /** false: draw only the first state and stop (for readers who prefer reduced motion). */
  autoplay?: boolean;
}

/**
 * Pulls states from an async generator, hands the newest one to `draw` once per animation frame,
 * and returns the last state. Ends early, closing the generator, when `invalidation` resolves or
 * the returned `stop()` is called.
 */
export function play<S>(states: AsyncGenerator<S, void, void>, draw: (state: S) => void, {invalidation, perFrame = 1, autoplay = true}: PlayOptions = {}): {done: Promise<S | undefined>; stop(): void} {
  let stopped = false;
  const stop = () => { stopped = true; };
  invalidation?.then(stop);
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const done = (async () => {
    let last: S | undefined;
    try {
      while (!stopped) {
        for (let i = 0; i < perFrame; ++i) {
          const next = await states.next();
          if (next.done) return last;
          last = next.value;
          if (!autoplay) {
            draw(last);
            stopped = true;
            return last;
          }
        }
        if (last !== undefined) draw(last);
        await frame();
      }
      return last;
    } finally {
      await states.return();
      if (last !== undefined && !stopped) draw(last);
    }
  })();
  return {done, stop};
}
