// Samplers that walk a descending list of training timesteps and end on clean data (DDPM, DDIM,
// DPM-Solver++): which timesteps, and the loop DDPM and DDIM share (evaluate ε̂ once per step, hand
// it to an update rule, report the new state).

import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import {timesteps, type Spacing, type TimestepOptions} from "./timesteps.js";
import {edmSigmas} from "./ode.js";
import {
  alphaBarOf,
  checkSteps,
  counting,
  needRng,
  predictX0,
  sigmaOf,
  startPoints,
  timestepAt,
  type SamplerOptions,
  type SamplerSteps,
  type Start
} from "./common.js";

/** diffusers' spacings, or "karras": the EDM σ grid mapped to (fractional) timesteps. */
export type GridSpacing = Spacing | "karras";

/** Options of samplers on a timestep grid. */
export interface GridOptions extends SamplerOptions, Omit<TimestepOptions, "spacing"> {
  /** Default "trailing". */
  spacing?: GridSpacing;
  /** "karras" only: σ range and warp of the grid, as for the ODE samplers (see edmSigmas). */
  sigmaMin?: number;
  sigmaMax?: number;
  rho?: number;
  /**
   * Explicit descending timesteps in [0, T−1] (fractional allowed), replacing `spacing`; its
   * length must equal `steps`. A sampler steps from each to the next and from the last to clean data.
   */
  timesteps?: readonly number[];
}

/**
 * The descending timesteps a grid sampler visits: `options.timesteps` checked; or for spacing
 * "karras", t = timestepForSigma(σ_i) for the `steps` non-zero σ's of Karras et al. 2022 eq. 5
 * (the final σ = 0 is the step to clean data every grid sampler ends with; as in diffusers'
 * `use_karras_sigmas`); or {@link timesteps}.
 */
export function gridTimesteps(schedule: Schedule, options: GridOptions): number[] {
  const steps = checkSteps(options.steps);
  const {spacing, offset} = options;
  const ts = options.timesteps
    ? [...options.timesteps]
    : spacing === "karras"
      ? edmSigmas(schedule, steps, options).slice(0, steps).map((sigma) => timestepAt(schedule, sigma))
      : timesteps(schedule.T, steps, {spacing, offset});
  if (ts.length !== steps) throw new Error(`timesteps has ${ts.length} entries but steps is ${steps}`);
  ts.forEach((t, k) => {
    if (!(t >= 0 && t <= schedule.T - 1)) throw new Error(`timestep ${t} is outside [0, ${schedule.T - 1}]`);
    if (k > 0 && !(t < ts[k - 1])) throw new Error("timesteps must be strictly decreasing");
  });
  // ε-prediction cannot recover x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t where ᾱ_t = 0 (zero terminal SNR).
  if (!(alphaBarOf(schedule, ts[0]) > 0)) {
    throw new Error(`ᾱ is 0 at timestep ${ts[0]} (zero terminal SNR): an ε-denoiser cannot predict x0 there; start from t ≤ ${schedule.T - 2}`);
  }
  return ts;
}

/**
 * One update x_t → x_s given ε̂ = eps at t, ᾱ_t, ᾱ_s (ᾱ_s = 1 on the last step) and standard-normal
 * noise z (null when the rule asked for none). Returns x_s; x̂0 is computed by the caller.
 */
export type GridUpdate = (
  xt: Points,
  eps: Float64Array,
  alphaBarT: number,
  alphaBarS: number,
  z: Float64Array | null
) => Points;

/**
 * Walks `gridTimesteps`, one denoiser evaluation per step. `noisy(ᾱ_t, ᾱ_s)` says whether a step
 * draws noise, so deterministic steps consume nothing from the rng. Options are checked and x_T
 * drawn when this is called, so bad input throws here rather than at the first `next()`.
 */
export function gridSteps(
  denoiser: Denoiser,
  schedule: Schedule,
  xT: Start,
  options: GridOptions,
  update: GridUpdate,
  noisy: (alphaBarT: number, alphaBarS: number) => boolean
): SamplerSteps {
  const ts = gridTimesteps(schedule, options);
  const abs = [...ts.map((t) => alphaBarOf(schedule, t)), 1];
  const rng = ts.some((_, i) => noisy(abs[i], abs[i + 1])) ? needRng(options.rng, "a stochastic sampler") : undefined;
  const x = startPoints(xT, denoiser.d, options.rng);
  return walk(counting(denoiser), x);

  async function* walk(net: ReturnType<typeof counting>, x: Points): SamplerSteps {
    const steps = ts.length;
    yield {i: 0, steps, t: ts[0], sigma: sigmaOf(abs[0]), x, x0: null, nfe: 0};
    for (let i = 0; i < steps; i++) {
      const s = i + 1 < steps ? ts[i + 1] : -1;
      const eps = await net.eps(x, ts[i]);
      const x0 = predictX0(x, eps, abs[i]);
      let z: Float64Array | null = null;
      if (rng && noisy(abs[i], abs[i + 1])) z = fillNormal(new Float64Array(x.length), rng);
      x = update(x, eps, abs[i], abs[i + 1], z);
      yield {i: i + 1, steps, t: s, sigma: s < 0 ? 0 : sigmaOf(abs[i + 1]), x, x0, nfe: net.nfe};
    }
  }
}
