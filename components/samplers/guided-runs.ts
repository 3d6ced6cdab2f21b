// How the guidance chapter samples: which sampler a guided run uses, from which start, and a sweep
// over guidance weights that measures each run (time-sliced, so a page can run it beside its frames).
import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import type {LabelledMixture} from "../math/labelled.js";
import {measureClass, type ClassMeasure, type ClassYardstick} from "../math/class-metrics.js";
import {rngFromSeed} from "../math/random.js";
import {ddimSteps} from "./ddim.js";
import {ddpmSteps} from "./ddpm.js";
import {drain} from "./paced.js";
import {startNoise} from "./sampling-plan.js";
import {collect, type SamplerSteps} from "./common.js";

/** The two samplers the chapter compares guidance under. */
export type GuidedSampler = "ddim" | "ddpm";

/** In menu order. */
export const GUIDED_SAMPLERS: readonly {name: GuidedSampler; label: string}[] = [
  {name: "ddim", label: "DDIM (deterministic)"},
  {name: "ddpm", label: "DDPM (stochastic)"},
];

/**
 * A guided run: `denoiser` (already guided) from x_T = startNoise(n, seed), over every timestep of
 * `schedule` (T steps: with the exact conditional model, fewer DDIM steps narrow a 0.1-wide mode
 * by 5–10% before any guidance, measured on cosine T = 100), either DDIM with η = 0 (the
 * probability-flow ODE) or DDPM ancestral steps with σ² = β (β̃ narrowed the same mode by 13%), noise
 * from seed + 1. The same seed gives both samplers the same start. `steps` < T visits an evenly spaced
 * sub-grid (a preview: {@link guidedPreview}).
 */
export function guidedSteps(denoiser: Denoiser, schedule: Schedule, sampler: GuidedSampler, n: number, seed: number, steps = schedule.T): SamplerSteps {
  const start = startNoise(n, seed);
  if (sampler === "ddim") return ddimSteps(denoiser, schedule, start, {steps, eta: 0});
  if (sampler === "ddpm") return ddpmSteps(denoiser, schedule, start, {steps, variance: "beta", rng: rngFromSeed(seed + 1)});
  throw new RangeError(`unknown guided sampler "${String(sampler)}"`);
}

/**
 * A preview's size: 50 steps on an eighth of the points, 1/16 of the full run's work. Fewer DDIM
 * steps narrow the 8 Gaussians' 0.1-wide modes: at w = 0, 250 points had 0.75× the 100-step spread
 * after 20 steps and 0.93× after 50.
 */
export const PREVIEW = {steps: 50, share: 1 / 8} as const;

/**
 * A guided run small enough to answer a slider within the frame that moved it: the sampler over
 * `preview.steps` evenly spaced timesteps on the first `preview.share` of the points (startNoise draws
 * them in order, so they start where the full run's do). It never yields to the page (its steps
 * resolve as microtasks), so a cell that awaits it has the samples before the frame is drawn, where
 * a time-sliced run restarted by every new value would show only its first, still noisy, steps.
 * Returns the samples, [m, 2].
 */
export async function guidedPreview(denoiser: Denoiser, schedule: Schedule, sampler: GuidedSampler, n: number, seed: number, preview = PREVIEW): Promise<Points> {
  const points = Math.max(1, Math.round(n * preview.share)), steps = Math.min(preview.steps, schedule.T);
  return (await collect(guidedSteps(denoiser, schedule, sampler, points, seed, steps))).x;
}

/** One measured run of {@link guidanceSweep}. */
export interface GuidancePoint extends ClassMeasure {
  sampler: GuidedSampler;
  /** The weight the run used (w, s, or whatever `guide` reads). */
  w: number;
  /** The samples, [n, 2]. */
  x: Points;
}

/** What {@link guidanceSweep} runs. */
export interface GuidanceSweepSpec {
  /** The guided denoiser at weight w. */
  guide: (w: number) => Denoiser;
  schedule: Schedule;
  /** The labelled data the samples are classified by, the class they are measured for and its yardstick. */
  lm: LabelledMixture;
  c: number;
  yardstick: ClassYardstick;
  ws: readonly number[];
  samplers: readonly GuidedSampler[];
  n: number;
  seed: number;
  signal?: AbortSignal;
  /** Work per slice before yielding to the page, ms (default 12). */
  sliceMs?: number;
}

/**
 * Runs every sampler at every weight, in the order given, yielding each run as soon as it is measured
 * (measureClass for class c) and giving the page its frames back between steps. Stops quietly when
 * `signal` aborts.
 */
export async function* guidanceSweep(spec: GuidanceSweepSpec): AsyncGenerator<GuidancePoint, void, void> {
  const {guide, schedule, lm, c, yardstick, ws, samplers, n, seed, signal, sliceMs} = spec;
  for (const sampler of samplers) {
    for (const w of ws) {
      let last: Points | null = null;
      const complete = await drain(guidedSteps(guide(w), schedule, sampler, n, seed), (s) => { last = s.x; }, {signal, sliceMs});
      if (!complete || !last) return;
      yield {sampler, w, x: last, ...measureClass(lm, c, last, yardstick)};
    }
  }
}
