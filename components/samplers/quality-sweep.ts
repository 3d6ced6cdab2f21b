// Sample quality against cost: each sampler run at a ladder of step counts from one x_T, its
// samples scored by sliced Wasserstein distance to a fixed reference sample of the data.
import {slicedWasserstein} from "../math/metrics.js";
import {rngFromSeed} from "../math/random.js";
import {runOptions, type RunSettings} from "./sampling-plan.js";
import type {SamplerEntry, SamplerName, SamplerSteps} from "./index.js";
import type {Schedule} from "../math/schedules.js";
import type {Denoiser, Points} from "../math/types.js";
import {drain, yieldToPage} from "./paced.js";

/** Step counts tried for every sampler (before the NFE cap). */
export const STEP_LADDER: readonly number[] = [1, 2, 3, 5, 10, 20, 50, 100];

/** The ladder's step counts whose NFE is at most `maxNfe` (default T), so every curve spans the same cost range. */
export function sweepSteps(entry: SamplerEntry, schedule: Schedule, maxNfe = schedule.T): number[] {
  return STEP_LADDER.filter((s) => s <= schedule.T && entry.nfe(s) <= maxNfe);
}

/** Options for {@link swTo}. */
export interface QualityOptions {
  /** Random directions (default 64). */
  projections?: number;
  /** Seeds the directions; every call uses the same ones, so scores compare point by point. */
  seed?: number;
}

/**
 * A score function x ↦ SW₂(x, reference) (metrics.ts), with the same `projections` directions on
 * every call. reference: [m, 2].
 */
export function swTo(reference: Points, {projections = 64, seed = 5}: QualityOptions = {}): (x: Points) => number {
  return (x) => slicedWasserstein(x, reference, 2, {projections, rng: rngFromSeed(seed)});
}

/**
 * The score a perfect sampler gets: the mean of `score` over `samples` fresh draws from the data
 * itself (draw(k) returns the k-th). With 1,000 points per side the sliced Wasserstein distance
 * between two samples of one distribution is far from zero; this is the floor a chart shows.
 * Yields to the page between draws (one SW₂ of 1,000 by 1,000 points with 64 directions is ~15 ms).
 */
export async function dataBaseline(draw: (k: number) => Points, score: (x: Points) => number, samples = 5): Promise<number> {
  let total = 0;
  for (let k = 0; k < samples; ++k) {
    total += score(draw(k));
    await yieldToPage();
  }
  return total / samples;
}

/** One measured point. */
export interface SweepPoint {
  sampler: SamplerName;
  steps: number;
  nfe: number;
  /** The score (e.g. SW₂ to the data); NaN if the samples were not finite. */
  value: number;
  /** The samples themselves, [n, 2], for other measures. */
  x: Points;
}

/** What {@link qualitySweep} runs. */
export interface SweepSpec {
  samplers: readonly SamplerEntry[];
  denoiser: Denoiser;
  schedule: Schedule;
  /** The start shared by every run, [n, 2]. */
  xT: Points;
  score: (x: Points) => number;
  /** Seeds the noise of stochastic samplers (DDPM); DDIM runs at η = 0. */
  seed?: number;
  /** Largest NFE tried (default T). */
  maxNfe?: number;
  signal?: AbortSignal;
  /** Work per slice before yielding to the page, ms (default 12). */
  sliceMs?: number;
  /**
   * Runs a sampler somewhere else (e.g. in a trained network's worker, with the same states as
   * `entry.steps` on `denoiser`); default `entry.steps(denoiser, schedule, xT, runOptions(settings))`.
   * Only the final state is read.
   */
  run?: SweepRunner;
}

/** A sampler's run from x_T with the chapter's settings, as a step generator. */
export type SweepRunner = (entry: SamplerEntry, xT: Points, settings: RunSettings) => SamplerSteps;

/**
 * Runs every sampler at every step count of {@link sweepSteps}, cheapest first within a sampler,
 * yielding each point as soon as it is measured and giving the page its frames back between steps.
 * Stops quietly when `signal` aborts.
 */
export async function* qualitySweep(spec: SweepSpec): AsyncGenerator<SweepPoint, void, void> {
  const {samplers, denoiser, schedule, xT, score, seed = 0, signal, sliceMs} = spec;
  for (const entry of samplers) {
    for (const steps of sweepSteps(entry, schedule, spec.maxNfe)) {
      let last: Points | null = null, nfe = 0;
      const settings: RunSettings = {steps, eta: 0, variance: "betaTilde", seed};
      const states = spec.run ? spec.run(entry, xT, settings) : entry.steps(denoiser, schedule, xT, runOptions(settings));
      const complete = await drain(states, (s) => { last = s.x; nfe = s.nfe; }, {signal, sliceMs});
      if (!complete || !last) return;
      yield {sampler: entry.name, steps, nfe, value: finite(last) ? score(last) : NaN, x: last};
    }
  }
}

function finite(x: Points): boolean {
  for (const v of x) if (!Number.isFinite(v)) return false;
  return true;
}

/**
 * Root-mean-square distance between matched points, √(Σ_i |a_i − b_i|² / n): how far a sampler's
 * endpoints lie from a reference solution started from the same x_T. a, b: [n, d].
 */
export function rmsDistance(a: Points, b: Points, d = 2): number {
  if (a.length !== b.length || a.length % d) throw new RangeError(`rmsDistance: sizes ${a.length} and ${b.length} do not match as [n, ${d}]`);
  let s = 0;
  for (let k = 0; k < a.length; ++k) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s / (a.length / d));
}

/**
 * How wide the modes came out: the root-mean-square distance from each point to its nearest mode
 * centre, per coordinate, √(Σ_i min_k |x_i − μ_k|² / (2n)). For well-separated isotropic modes of
 * standard deviation s the data itself gives ≈ s (0.1 on the 8-Gaussian ring). x: [n, 2].
 */
export function modeWidth(x: Points, means: readonly (readonly [number, number])[]): number {
  const n = x.length / 2;
  let s = 0;
  for (let i = 0; i < n; ++i) {
    let best = Infinity;
    for (const [mx, my] of means) best = Math.min(best, (x[2 * i] - mx) ** 2 + (x[2 * i + 1] - my) ** 2);
    s += best;
  }
  return Math.sqrt(s / (2 * n));
}
