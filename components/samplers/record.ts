// One sampler run kept state by state, so a view can scrub back through it while it still computes.
import type {SamplerState, SamplerSteps} from "./index.js";
import {drain} from "./paced.js";

/** A run so far: every state in order; done once it reached data or stopped on an error. */
export interface Recording {
  states: SamplerState[];
  done: boolean;
  error: Error | null;
}

/**
 * Runs the generator `start()` returns to its end, keeping every state, and reports the growing
 * recording through `notify` (a new object each time, sharing one `states` array) at most once a
 * page slice (see `drain`). A generator that cannot start, or throws, ends the recording with its
 * error. Returns the function that stops the run (`Generators.observe` calls it on invalidation).
 */
export function recordRun(start: () => SamplerSteps, notify: (recording: Recording) => void): () => void {
  const states: SamplerState[] = [];
  let generator: SamplerSteps;
  try {
    generator = start();
  } catch (e) {
    notify({states, done: true, error: e as Error});
    return () => {};
  }
  const controller = new AbortController();
  notify({states, done: false, error: null});
  drain(generator, (s) => { states.push(s); notify({states, done: false, error: null}); }, {signal: controller.signal})
    .then((complete) => complete && notify({states, done: true, error: null}), (error) => notify({states, done: true, error}));
  return () => controller.abort();
}
