// Samplers that walk a descending list of training timesteps and end on clean data (DDPM, DDIM,
// DPM-Solver++): which timesteps, and the loop DDPM and DDIM share (evaluate ε̂ once per step, hand
// it to an update rule, report the new state).

import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import {timesteps, type Spacing, type TimestepOptions} from "./timesteps.js";
import {edmSigmas} from "./ode.js";
import {mix, program, x0Combo, type SamplerProgram} from "./program.js";
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
 * One grid step as a linear combination of the denoiser's two readings of the state and fresh noise:
 *   x_s = x0·x̂0 + eps·ε̂ + z·z,   x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t,
 * the form in which Song et al. (2021) write DDIM's eq. 12. DDPM and DDIM are such steps with
 * coefficients set by ᾱ_t and ᾱ_s, so a loop that keeps x_t elsewhere (as a tensor beside a trained
 * network) runs the very same rule; a step to clean data with x0 = 1, eps = 0 returns x̂0 exactly.
 */
export interface AffineStep {
  x0: number;
  eps: number;
  /** The noise's scale; 0 means the step draws no noise. */
  z: number;
}

/** A grid sampler's update rule: the step from t to s given ᾱ_t and ᾱ_s (ᾱ_s = 1 on the last step). */
export interface GridRule {
  step(alphaBarT: number, alphaBarS: number): AffineStep;
}

/** x_s = c.x0·x̂0 + c.eps·ε̂ + c.z·z, elementwise; z is read only when c.z ≠ 0.  x0, eps, z: [n, d]. */
export function affineStep(x0: Points, eps: Float64Array, c: AffineStep, z: Float64Array | null): Points {
  const x = new Float64Array(x0.length);
  if (c.z !== 0) {
    if (!z) throw new Error("this step draws noise: z is required");
    for (let k = 0; k < x0.length; k++) x[k] = c.x0 * x0[k] + c.eps * eps[k] + c.z * z[k];
  } else {
    for (let k = 0; k < x0.length; k++) x[k] = c.x0 * x0[k] + c.eps * eps[k];
  }
  return x;
}

/** What a grid walk visits: the timesteps, ᾱ at each and 1 after the last, and each step's coefficients. */
export interface GridPlan {
  ts: number[];
  alphaBars: number[];
  steps: AffineStep[];
  /** Whether any step draws noise (then options.rng is required). */
  noisy: boolean;
}

/** The plan of a grid sampler: `gridTimesteps`, ᾱ along them, and `rule`'s coefficients for each step. */
export function gridPlan(schedule: Schedule, options: GridOptions, rule: GridRule): GridPlan {
  const ts = gridTimesteps(schedule, options);
  const alphaBars = [...ts.map((t) => alphaBarOf(schedule, t)), 1];
  const steps = ts.map((_, i) => rule.step(alphaBars[i], alphaBars[i + 1]));
  return {ts, alphaBars, steps, noisy: steps.some((c) => c.z > 0)};
}

/**
 * A grid plan as a {@link SamplerProgram}: at each visited t, x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t and
 * x_s = c.x0·x̂0 + c.eps·ε̂ + c.z·z, the step {@link gridSteps} takes.
 */
export function gridProgram(plan: GridPlan): SamplerProgram {
  const {ts, alphaBars: abs, steps} = plan;
  return program({t: ts[0], sigma: sigmaOf(abs[0])}, ts.map((t, i) => {
    const x0 = x0Combo(abs[i]), c = steps[i];
    const s = i + 1 < ts.length ? ts[i + 1] : -1;
    return {t, x0, x: mix(c.x0, x0, 1, {eps: c.eps, z: c.z}), state: {t: s, sigma: s < 0 ? 0 : sigmaOf(abs[i + 1])}};
  }));
}

/**
 * Walks `gridTimesteps` with `rule`, one denoiser evaluation per step; only steps whose noise
 * scale is non-zero draw from the rng, so deterministic steps consume nothing. Options are checked
 * and x_T drawn when this is called, so bad input throws here rather than at the first `next()`.
 */
export function gridSteps(denoiser: Denoiser, schedule: Schedule, xT: Start, options: GridOptions, rule: GridRule): SamplerSteps {
  const {ts, alphaBars: abs, steps: coefficients, noisy} = gridPlan(schedule, options, rule);
  const rng = noisy ? needRng(options.rng, "a stochastic sampler") : undefined;
  const x = startPoints(xT, denoiser.d, options.rng);
  return walk(counting(denoiser), x);

  async function* walk(net: ReturnType<typeof counting>, x: Points): SamplerSteps {
    const steps = ts.length;
    yield {i: 0, steps, t: ts[0], sigma: sigmaOf(abs[0]), x, x0: null, nfe: 0};
    for (let i = 0; i < steps; i++) {
      const s = i + 1 < steps ? ts[i + 1] : -1;
      const eps = await net.eps(x, ts[i]);
      const x0 = predictX0(x, eps, abs[i]);
      const c = coefficients[i];
      const z = rng && c.z > 0 ? fillNormal(new Float64Array(x.length), rng) : null;
      x = affineStep(x0, eps, c, z);
      yield {i: i + 1, steps, t: s, sigma: s < 0 ? 0 : sigmaOf(abs[i + 1]), x, x0, nfe: net.nfe};
    }
  }
}
