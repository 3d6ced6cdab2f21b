// What every sampler shares: the option and result shapes, the step-by-step protocol, the starting
// noise, and the NFE counter. No DOM and no tfjs: a sampler only calls `denoiser.eps`.

import type {Denoiser, Points, Rng} from "../math/types.js";
import {alphaBarAt, timestepForSigma, type Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";

/** Where sampling starts: given points x_T ([n, d]), or n points drawn from N(0, I) with `options.rng`. */
export type Start = Points | {n: number};

/** Options every sampler accepts. */
export interface SamplerOptions {
  /** Number of sampler steps (not denoiser evaluations: Heun spends two per step). */
  steps: number;
  /** Uniform source for the starting noise (when `xT` is `{n}`) and for stochastic steps. */
  rng?: Rng;
  /** Keep every state and every x̂0 in `result.trajectory`. */
  trajectory?: boolean;
}

/**
 * One state of a running sampler. State 0 is the start (x_T, no prediction yet); state i is the
 * result of step i. Arrays are fresh for each state and never written again, so a page may keep them.
 */
export interface SamplerState {
  /** Steps taken so far, 0…steps. */
  i: number;
  /** Total number of steps. */
  steps: number;
  /** Timestep index of `x` on the schedule (fractional on σ grids); −1 once x is clean data. */
  t: number;
  /** Noise level of `x` in the variance-exploding sense, σ = √((1−ᾱ)/ᾱ); 0 once clean. */
  sigma: number;
  /** The state x_t, [n, d], on the variance-preserving scale (x_t = √ᾱ·x0 + √(1−ᾱ)·ε). */
  x: Points;
  /** x̂0 the step predicted from the state before it, [n, d]; null for the start. */
  x0: Points | null;
  /** Denoiser (or score) evaluations so far. */
  nfe: number;
}

/** Every state a run went through: `x` and `t` have steps+1 entries (start first), `x0` has steps. */
export interface Trajectory {
  t: number[];
  sigma: number[];
  x: Points[];
  x0: Points[];
}

/** What `run` resolves to: final samples x ([n, d]), evaluations spent, and the path if asked. */
export interface SampleResult {
  x: Points;
  nfe: number;
  trajectory?: Trajectory;
}

/**
 * The step-by-step form: an async generator of states, one per `next()`. A page animates with
 * `for await (const s of ddimSteps(...)) { chart.update(s.x); yield …; }` and stops on demand by
 * leaving the loop or calling `iterator.return()` (Observable does this on invalidation); nothing is
 * evaluated beyond the state asked for. The `*Steps` functions check options and draw x_T when
 * called, so bad input throws there; the run-to-the-end forms reject instead.
 */
export type SamplerSteps = AsyncGenerator<SamplerState, void, void>;

/** Runs a step generator to the end and gathers the result (and trajectory when asked). */
export async function collect(states: SamplerSteps, trajectory = false): Promise<SampleResult> {
  let last: SamplerState | undefined;
  const path: Trajectory | undefined = trajectory ? {t: [], sigma: [], x: [], x0: []} : undefined;
  for await (const s of states) {
    last = s;
    if (path) {
      path.t.push(s.t);
      path.sigma.push(s.sigma);
      path.x.push(s.x);
      if (s.x0) path.x0.push(s.x0);
    }
  }
  if (!last) throw new Error("sampler produced no state");
  return path ? {x: last.x, nfe: last.nfe, trajectory: path} : {x: last.x, nfe: last.nfe};
}

/** x_T: a copy of the given points, or n·d draws from N(0, I). */
export function startPoints(xT: Start, d: number, rng: Rng | undefined): Points {
  if (xT instanceof Float64Array) {
    if (xT.length % d !== 0) throw new Error(`x_T has ${xT.length} numbers, not a multiple of d = ${d}`);
    return Float64Array.from(xT);
  }
  if (!Number.isInteger(xT.n) || xT.n < 0) throw new Error(`n must be a non-negative integer, got ${xT.n}`);
  const x = new Float64Array(xT.n * d);
  fillNormal(x, needRng(rng, "drawing x_T"));
  return x;
}

/** The rng, or a clear error naming what needed it. */
export function needRng(rng: Rng | undefined, what: string): Rng {
  if (!rng) throw new Error(`options.rng is required for ${what}`);
  return rng;
}

/** A positive integer step count, or a clear error. */
export function checkSteps(steps: number): number {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  return steps;
}

/** ᾱ at timestep index t: 1 for t < 0 (clean data), else alphaBarAt (log ᾱ interpolated between integers). */
export function alphaBarOf(schedule: Schedule, t: number): number {
  return t < 0 ? 1 : alphaBarAt(schedule, t);
}

/**
 * The largest finite σ of the schedule: σ_{T−1}, or σ_{T−2} when a zero-terminal-SNR schedule
 * (ᾱ_{T−1} = 0) makes σ_{T−1} infinite.
 */
export function maxFiniteSigma(schedule: Schedule): number {
  const {sigma, T} = schedule;
  return Number.isFinite(sigma[T - 1]) || T < 2 ? sigma[T - 1] : sigma[T - 2];
}

/** EDM's σ_max for data of unit scale (Karras et al. 2022, Table 1). */
export const EDM_SIGMA_MAX = 80;

/**
 * Where σ-grid samplers start by default: min(80, largest finite σ of the schedule). Past σ ≈ 80
 * the site's unit-scale data is invisible under the noise (√ᾱ < 0.0125), so a longer range only
 * spends steps: the cosine schedule's σ_{T−1} ≈ 2·10⁴ would put 5 of 18 Heun steps above 80.
 * Linear (157) and sigmoid (159) schedules start at 80; scaled-linear (14.6) at its own end.
 */
export function defaultSigmaMax(schedule: Schedule): number {
  return Math.min(EDM_SIGMA_MAX, maxFiniteSigma(schedule));
}

/**
 * timestepForSigma clamped to the schedule's table: σ at or below σ_0 gives t = 0, at or above
 * σ_{T−1} gives T−1 (a denoiser has seen nothing outside that range).
 */
export function timestepAt(schedule: Schedule, sigma: number): number {
  if (sigma <= schedule.sigma[0]) return 0;
  if (sigma >= schedule.sigma[schedule.T - 1]) return schedule.T - 1;
  return timestepForSigma(schedule, sigma);
}

/** σ = √((1−ᾱ)/ᾱ), the variance-exploding noise level of ᾱ. */
export function sigmaOf(alphaBar: number): number {
  return Math.sqrt((1 - alphaBar) / alphaBar);
}

/** Tweedie / ε-parametrisation: x̂0 = (x_t − √(1−ᾱ_t)·ε̂) / √ᾱ_t (Ho et al. 2020, eq. 4 solved for x0). */
export function predictX0(xt: Points, eps: Float64Array, alphaBar: number): Points {
  const a = Math.sqrt(alphaBar);
  const s = Math.sqrt(1 - alphaBar);
  const x0 = new Float64Array(xt.length);
  for (let k = 0; k < xt.length; k++) x0[k] = (xt[k] - s * eps[k]) / a;
  return x0;
}

/** A denoiser that counts its calls: one call on a batch of n points is one evaluation (NFE). */
export function counting(denoiser: Denoiser): {eps: Denoiser["eps"]; readonly nfe: number} {
  let nfe = 0;
  return {
    eps(xt, t) {
      nfe++;
      return denoiser.eps(xt, t);
    },
    get nfe() {
      return nfe;
    }
  };
}
