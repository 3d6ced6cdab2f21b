// A cell that shows long work as it happens: it observes an async generator drained in time slices
// (samplers/paced.ts), so the page keeps its frames, and the generator is abandoned when the cell
// re-runs (Observable calls the returned cleanup on invalidation).
import {drain} from "../samplers/paced.js";

/** What an observing cell sees: the values so far (all of them, or only the latest), and whether the work ended. */
export interface Observed<T> {
  /** Every value so far, or with `latestOnly` just the last one. */
  values: T[];
  /** How many values arrived. */
  count: number;
  done: boolean;
  error: Error | null;
}

/** Options for {@link observeAll}. */
export interface ObserveOptions {
  /** Keep only the latest value (a sampler's newest state) rather than all of them. */
  latestOnly?: boolean;
  /** Work per slice before yielding to the page, ms (default 12). */
  sliceMs?: number;
  /**
   * Notify at most this often while running, ms (default 0: after every value). Every notification
   * re-runs the cells that read it, and a redraw can cost more than a sampler step: a run's picture
   * need not change 100 times a second. The last value and the end are always notified.
   */
  everyMs?: number;
  /**
   * Wait this long before starting, ms (default 0). A cell that a dragged slider re-runs every frame
   * is invalidated before then, so its run starts only once the slider rests and a drag spends no
   * time on runs it would abandon.
   */
  restMs?: number;
}

/**
 * For Generators.observe: drains `make()` in slices of `sliceMs` (after `restMs`), calling notify with
 * the values so far (at most every `everyMs`, and once at the start with none), and returns the
 * cleanup that stops it.
 * A generator that throws when made or while running ends with `error` set, so the cell can say why.
 */
export function observeAll<T>(make: () => AsyncGenerator<T, void, void>, notify: (state: Observed<T>) => void, {latestOnly = false, sliceMs = 12, everyMs = 0, restMs = 0}: ObserveOptions = {}): () => void {
  const controller = new AbortController(), values: T[] = [];
  let count = 0, last = -Infinity;
  const send = (done: boolean, error: Error | null) => notify({values: values.slice(), count, done, error});
  let generator: AsyncGenerator<T, void, void>;
  try {
    generator = make();
  } catch (e) {
    send(true, e instanceof Error ? e : new Error(String(e)));
    return () => {};
  }
  send(false, null);
  const rested = restMs > 0 ? new Promise((resolve) => setTimeout(resolve, restMs)) : Promise.resolve();
  rested.then(() => drain(generator, (value) => {
    if (latestOnly) values.length = 0;
    values.push(value);
    ++count;
    if (performance.now() - last < everyMs) return;
    last = performance.now();
    send(false, null);
  }, {signal: controller.signal, sliceMs})).then(
    (complete) => complete && send(true, null),
    (e) => send(true, e instanceof Error ? e : new Error(String(e))),
  );
  return () => controller.abort();
}
