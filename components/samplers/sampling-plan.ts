// What the Sampling chapter runs: which samplers it offers, how many steps each may take on a
// schedule, and the options a run gets from the chapter's controls. No DOM and no tfjs.
import {samplerByName, type AnySamplerOptions, type DdpmVariance, type SamplerEntry, type SamplerName} from "./index.js";
import type {Schedule} from "../math/schedules.js";
import {fillNormal, rngFromSeed} from "../math/random.js";
import type {Points} from "../math/types.js";

/** The samplers that walk from x_T to data on a timestep or σ grid (Langevin dynamics are on /score). */
export const CHAPTER_SAMPLERS: readonly SamplerName[] = ["ddpm", "ddim", "euler", "heun", "dpm-solver++"];

/** One colour per sampler, the same in every view of the chapter (Observable's categorical palette). */
export const SAMPLER_COLORS: Readonly<Record<string, string>> = {
  "ddpm": "#e15759",
  "ddim": "#4269d0",
  "euler": "#efb118",
  "heun": "#3ca951",
  "dpm-solver++": "#a463f2",
};

/** The chapter's samplers as table rows, in menu order. */
export function chapterSamplers(): SamplerEntry[] {
  return CHAPTER_SAMPLERS.map(samplerByName);
}

/**
 * The most steps a sampler takes on `schedule`: T. DDPM and DDIM visit distinct integer timesteps,
 * so they cannot take more; the σ-grid samplers (Euler, Heun, DPM-Solver++) could, but past T their
 * grid is finer than the one the denoiser was trained on and buys nothing a reader could see.
 */
export function maxSteps(schedule: Schedule): number {
  return schedule.T;
}

/** A step count a run can use, and a reader-facing note when the request had to change. */
export interface ClampedSteps {
  steps: number;
  note: string | null;
}

/**
 * `requested` rounded and clamped to [1, maxSteps(schedule)]. The note says what changed and why,
 * e.g. DDPM's customary 1000 steps on the shipped T = 100 schedule.
 */
export function clampSteps(entry: SamplerEntry, requested: number, schedule: Schedule): ClampedSteps {
  const max = maxSteps(schedule);
  const whole = Number.isFinite(requested) ? Math.round(requested) : entry.defaultSteps;
  if (whole > max) return {steps: max, note: `${entry.label} can take at most T = ${max} steps on this schedule; running ${max}.`};
  if (whole < 1) return {steps: 1, note: `${entry.label} needs at least one step; running 1.`};
  return {steps: whole, note: null};
}

/** The sampler's customary step count, clamped to the schedule (DDPM: 1000 → T). */
export function defaultSteps(entry: SamplerEntry, schedule: Schedule): number {
  return clampSteps(entry, entry.defaultSteps, schedule).steps;
}

/** The chapter's controls that shape a run. */
export interface RunSettings {
  steps: number;
  /** DDIM's η (ignored by the others). */
  eta: number;
  /** DDPM's reverse variance (ignored by the others). */
  variance: DdpmVariance;
  /** Seeds x_T (see startNoise) and, through seed + 1, the noise stochastic steps draw. */
  seed: number;
}

/**
 * Sampler options for a run: every sampler reads the fields it knows. The rng is fresh for each
 * call, so two runs with the same settings draw the same noise along the way.
 */
export function runOptions(settings: RunSettings): AnySamplerOptions {
  return {steps: settings.steps, eta: settings.eta, variance: settings.variance, rng: rngFromSeed(settings.seed + 1)};
}

/** x_T: n points of N(0, I) in 2D drawn from `seed`, the same for every sampler given the seed. */
export function startNoise(n: number, seed: number): Points {
  return fillNormal(new Float64Array(2 * n), rngFromSeed(seed));
}

/** k indices spread evenly over 0…n−1 (the points whose paths a view draws). */
export function evenlySpaced(n: number, k: number): number[] {
  const m = Math.min(n, k);
  return Array.from({length: m}, (_, j) => Math.floor(((j + 0.5) * n) / m));
}

/** How many of the points [n, 2] lie outside the square [−extent, extent]² (or are not finite). */
export function countOutside(points: Points, extent: number): number {
  let k = 0;
  for (let i = 0; i + 1 < points.length; i += 2) if (!(Math.abs(points[i]) <= extent && Math.abs(points[i + 1]) <= extent)) ++k;
  return k;
}
