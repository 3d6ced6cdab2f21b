// DDPM's reverse variance, compared: the σ² each choice gives at the timesteps a sampler visits, and
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
import {timesteps} from "./timesteps.js";

/** σ² of each choice at the steps a `steps`-step DDPM run takes (trailing spacing), by timestep. */
export interface VarianceCurves {
  /** The timestep each step starts from. */
  t: number[];
  beta: number[];
  betaTilde: number[];
  /** The rule's σ² (e.g. Analytic-DPM's optimal variance). */
  rule: number[];
  /** Bao et al. 2022 Theorem 2's upper bound on the optimal variance. */
  upper: number[];
}

/**
 * The variances of the steps t_i → t_{i+1} of a `steps`-step DDPM run (timesteps() with "trailing"
 * spacing), leaving out the last step to clean data, which draws no noise; at most `maxPoints` of them,
 * evenly spread. Gives the page its frames back between evaluations of `rule` (each may integrate).
 */
export async function varianceCurves(schedule: Schedule, steps: number, rule: VarianceRule, {maxPoints = 100, signal}: {maxPoints?: number; signal?: AbortSignal} = {}): Promise<VarianceCurves> {
  const ts = timesteps(schedule.T, steps, {spacing: "trailing"});
  const last = ts.length - 1, keep = Math.min(last, maxPoints), pace = pacer();
  const out: VarianceCurves = {t: [], beta: [], betaTilde: [], rule: [], upper: []};
  for (let j = 0; j < keep; ++j) {
    if (signal?.aborted) break;
    const i = keep === last ? j : Math.round((j * (last - 1)) / Math.max(1, keep - 1));
    const abT = alphaBarOf(schedule, ts[i]), abS = alphaBarOf(schedule, ts[i + 1]);
    out.t.push(ts[i]);
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
 * Runs DDPM with every choice at every step count from the same starts, one point per (choice,
 * steps) as soon as all its seeds are scored, yielding to the page between sampler steps. Stops
 * quietly when `signal` aborts. A run whose samples are not finite scores NaN.
 */
export async function* varianceSweep(spec: VarianceSweepSpec): AsyncGenerator<VariancePoint, void, void> {
  const {denoiser, schedule, choices, seeds, n, score, signal} = spec;
  for (const choice of choices) {
    for (const steps of spec.steps) {
      const values: number[] = [];
      for (const seed of seeds) {
        let last: Points | null = null;
        const states = ddpmSteps(denoiser, schedule, startNoise(n, seed), {steps, variance: choice.variance, rng: rngFromSeed(seed + 1)});
        if (!(await drain(states, (s) => (last = s.x), {signal})) || !last) return;
        values.push((last as Points).every(Number.isFinite) ? score(last) : NaN);
      }
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
      yield {key: choice.key, steps, nfe: steps, values, mean, sd};
    }
  }
}
