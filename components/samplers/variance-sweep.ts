// DDPM's reverse variance, compared: the σ² each choice gives a step of a given length, and
// the quality of the samples each one draws at every step count (several seeds, since DDPM is noisy).
import {posteriorBetween} from "../math/forward.js";
import {varianceBounds} from "../math/analytic-dpm.js";
import {rngFromSeed} from "../math/random.js";
import type {Schedule} from "../math/schedules.js";
import type {Denoiser, Points} from "../math/types.js";
import {alphaBarOf} from "./common.js";
import {ddpmSteps, type DdpmVariance, type VarianceRule} from "./ddpm.js";
import {drain, pacer} from "./paced.js";
import {startNoise} from "./sampling-plan.js";

/** σ² of each choice for a reverse step of fixed length, by the timestep it starts from. */
export interface VarianceCurves {
  /** The timestep each step starts from; it ends `stride` timesteps earlier. */
  t: number[];
  stride: number;
  beta: number[];
  betaTilde: number[];
  /** The rule's σ² (e.g. Analytic-DPM's optimal variance). */
  rule: number[];
  /** Bao et al. 2022 Theorem 2's upper bound on the optimal variance. */
  upper: number[];
}

/**
 * The variances of a step of stride = round(T/steps) timesteps (the size of each step of a
 * `steps`-step sampler), t → t − stride, for up to `points` start times t spread evenly over
 * [stride, T−1]. Gives the page its frames back between evaluations of `rule` (each may integrate).
 */
export async function varianceCurves(schedule: Schedule, steps: number, rule: VarianceRule, {points = 100, signal}: {points?: number; signal?: AbortSignal} = {}): Promise<VarianceCurves> {
  const {T} = schedule, stride = Math.round(T / steps);
  if (!(Number.isInteger(steps) && steps >= 1 && stride >= 1 && stride < T)) throw new RangeError(`varianceCurves: ${steps} steps leave no step inside a ${T}-step schedule`);
  const starts = [...new Set(Array.from({length: points}, (_, j) => Math.round(stride + ((T - 1 - stride) * j) / Math.max(1, points - 1))))];
  const out: VarianceCurves = {t: [], stride, beta: [], betaTilde: [], rule: [], upper: []}, pace = pacer();
  for (const t of starts) {
    if (signal?.aborted) break;
    const abT = alphaBarOf(schedule, t), abS = alphaBarOf(schedule, t - stride);
    out.t.push(t);
    out.beta.push(1 - abT / abS);
    out.betaTilde.push(posteriorBetween(abT, abS).variance);
    out.rule.push(rule(abT, abS));
    out.upper.push(varianceBounds(abT, abS).upper);
    await pace();
  }
  return out;
}

/** One variance choice on the chart. */
export interface VarianceChoice {
  key: string;
  label: string;
  variance: DdpmVariance;
}

/** Quality at one step count: the score of each seed's samples, their mean and standard deviation. */
export interface VariancePoint {
  key: string;
  steps: number;
  nfe: number;
  values: number[];
  mean: number;
  sd: number;
  /** The samples of the first seed, [n, 2]. */
  x: Points;
}

/** What {@link varianceSweep} runs. */
export interface VarianceSweepSpec {
  denoiser: Denoiser;
  schedule: Schedule;
  choices: readonly VarianceChoice[];
  steps: readonly number[];
  /** One run per seed: x_T from startNoise(n, seed), the steps' noise from seed + 1. */
  seeds: readonly number[];
  n: number;
  /** Lower is better (e.g. swTo(heldOut) from quality-sweep). */
  score: (x: Points) => number;
  signal?: AbortSignal;
}

/**
 * Runs DDPM with every choice at every step count (cheapest first, every choice at one count before
 * the next count) from the same starts, one point per (choice, steps) as soon as all its seeds are scored, yielding to the page between sampler steps. Stops
 * quietly when `signal` aborts. A run whose samples are not finite scores NaN.
 */
export async function* varianceSweep(spec: VarianceSweepSpec): AsyncGenerator<VariancePoint, void, void> {
  const {denoiser, schedule, choices, seeds, n, score, signal} = spec;
  for (const steps of spec.steps) {
    for (const choice of choices) {
      const values: number[] = [];
      let first: Points | null = null;
      for (const seed of seeds) {
        let last: Points | null = null;
        const states = ddpmSteps(denoiser, schedule, startNoise(n, seed), {steps, variance: choice.variance, rng: rngFromSeed(seed + 1)});
        if (!(await drain(states, (s) => (last = s.x), {signal})) || !last) return;
        first ??= last;
        values.push((last as Points).every(Number.isFinite) ? score(last) : NaN);
      }
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
      yield {key: choice.key, steps, nfe: steps, values, mean, sd, x: first!};
    }
  }
}
