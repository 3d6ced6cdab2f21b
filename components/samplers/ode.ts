// The probability-flow ODE solved with Euler or Heun on the EDM noise grid: Karras, Aittala, Aila &
// Laine 2022, "Elucidating the Design Space of Diffusion-Based Generative Models", Algorithm 1 with
// no churn (S_churn = 0), σ(t) = t, s(t) = 1, and the σ grid of their eq. 5.

import type {Denoiser, Points} from "../math/types.js";
import {karrasSigmas, type Schedule} from "../math/schedules.js";
import {program, type SamplerProgram, type Stage} from "./program.js";
import {checkSteps, collect, counting, defaultSigmaMax, startPoints, timestepAt, type SampleResult, type SamplerOptions, type SamplerSteps, type Start} from "./common.js";

/** Options for {@link euler} and {@link heun}. */
export interface OdeOptions extends SamplerOptions {
  /** Smallest non-zero σ of the grid; default the schedule's σ at t = 0, √(β_0/(1−β_0)). */
  sigmaMin?: number;
  /** Largest σ, where sampling starts; default min(80, the schedule's largest finite σ): see defaultSigmaMax. */
  sigmaMax?: number;
  /** Grid warp ρ of Karras et al. eq. 5; default 7. */
  rho?: number;
}

/**
 * The EDM grid for `steps` steps: σ_i = (σmax^{1/ρ} + i/(steps−1)·(σmin^{1/ρ} − σmax^{1/ρ}))^ρ for
 * i < steps, then σ_steps = 0 (Karras et al. 2022, eq. 5). σmin defaults to the schedule's σ_0 and
 * σmax to min(80, its largest finite σ) (see defaultSigmaMax), so every σ but the final 0 is one the
 * denoiser was trained on (up to interpolation between integer timesteps). Below σ_0 a discrete
 * schedule has nothing to offer (t would clamp to 0), so going lower only repeats the same ε̂.
 */
export function edmSigmas(schedule: Schedule, steps: number, options: Omit<OdeOptions, "steps"> = {}): number[] {
  const sigmaMin = options.sigmaMin ?? schedule.sigma[0];
  const sigmaMax = options.sigmaMax ?? defaultSigmaMax(schedule);
  const rho = options.rho ?? 7;
  if (!(sigmaMin > 0 && sigmaMax >= sigmaMin)) throw new Error(`need 0 < sigmaMin ≤ sigmaMax, got ${sigmaMin}, ${sigmaMax}`);
  return Array.from(karrasSigmas(checkSteps(steps), {sigmaMin, sigmaMax, rho}));
}

/**
 * The Karras et al. denoiser D(y; σ) = y − σ·ε̂ in the variance-exploding variable y = x/√ᾱ, where
 * σ = √((1−ᾱ)/ᾱ) (so y = x0 + σ·ε). ε̂ comes from the ε-denoiser at x = y/√(1+σ²) and
 * t = timestepForSigma(schedule, σ). A σ outside the schedule's table is evaluated at the nearest
 * end of it (t = 0 or T−1): the network has never seen anything else. Returns ε̂ ([n, d]).
 * Between integer steps timestepForSigma interpolates log σ while alphaBarAt (which the exact
 * mixture denoiser uses) interpolates log ᾱ, so that denoiser reads a σ off by up to ~1e-3
 * relative at t < 5; on a Gaussian this moved Heun's endpoint by ~3e-5 (samplers-ode.test.ts).
 */
async function epsAtSigma(
  net: {eps: Denoiser["eps"]},
  schedule: Schedule,
  y: Points,
  sigma: number
): Promise<Float64Array> {
  const x = scaleBy(y, 1 / Math.sqrt(1 + sigma * sigma));
  return net.eps(x, timestepAt(schedule, sigma));
}

function scaleBy(v: Float64Array, c: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = c * v[k];
  return out;
}

/**
 * Euler (order 1) or Heun (order 2) on the probability-flow ODE dy/dσ = (y − D(y; σ))/σ = ε̂
 * (Karras et al. 2022, Alg. 1, lines 5–8, no churn). Heun's correction is skipped on the last step
 * to σ = 0, so Heun costs 2·steps − 1 evaluations and Euler `steps`.
 * x_T is on the variance-preserving scale at σmax (y = x_T·√(1+σmax²)); states are reported on
 * that scale too, x = y/√(1+σ²), so they compare with DDPM/DDIM trajectories.
 */
function odeSteps(
  denoiser: Denoiser,
  schedule: Schedule,
  xT: Start,
  options: OdeOptions,
  order: 1 | 2
): SamplerSteps {
  const sigmas = edmSigmas(schedule, options.steps, options);
  const x = startPoints(xT, denoiser.d, options.rng);
  return walk(counting(denoiser), x);

  async function* walk(net: ReturnType<typeof counting>, x: Points): SamplerSteps {
    const steps = sigmas.length - 1;
    const tOf = (sigma: number) => (sigma === 0 ? -1 : timestepAt(schedule, sigma));
    let y = scaleBy(x, Math.sqrt(1 + sigmas[0] * sigmas[0]));
    yield {i: 0, steps, t: tOf(sigmas[0]), sigma: sigmas[0], x, x0: null, nfe: 0};
    for (let i = 0; i < steps; i++) {
      const s = sigmas[i];
      const sNext = sigmas[i + 1];
      const h = sNext - s;
      const d = await epsAtSigma(net, schedule, y, s);
      const x0 = new Float64Array(y.length);
      const yNext = new Float64Array(y.length);
      for (let k = 0; k < y.length; k++) {
        x0[k] = y[k] - s * d[k];
        yNext[k] = y[k] + h * d[k];
      }
      if (order === 2 && sNext > 0) {
        const d2 = await epsAtSigma(net, schedule, yNext, sNext);
        for (let k = 0; k < y.length; k++) yNext[k] = y[k] + h * 0.5 * (d[k] + d2[k]);
      }
      y = yNext;
      const xNext = sNext === 0 ? y : scaleBy(y, 1 / Math.sqrt(1 + sNext * sNext));
      yield {i: i + 1, steps, t: tOf(sNext), sigma: sNext, x: xNext, x0, nfe: net.nfe};
    }
  }
}

/**
 * Euler (order 1) or Heun (order 2) as a {@link SamplerProgram} on the state x = y/√(1+σ²), with
 * k = √(1+σ_i²), k' = √(1+σ_{i+1}²), h = σ_{i+1} − σ_i and ε̂ evaluated at (x, timestepAt(σ_i)):
 *   Euler:  x' = (k·x + h·ε̂)/k',                      x̂0 = k·x − σ_i·ε̂;
 *   Heun:   x̃ = (k·x + h·ε̂₁)/k', p = ε̂₁, then x' = x̃ − h/(2k')·p + h/(2k')·ε̂(x̃, timestepAt(σ_{i+1})),
 * which is y' = y + h·(ε̂₁ + ε̂₂)/2 of {@link heunSteps} written in x; the last step (σ_{i+1} = 0) is Euler's.
 */
export function odeProgram(schedule: Schedule, options: OdeOptions, order: 1 | 2): SamplerProgram {
  const sigmas = edmSigmas(schedule, options.steps, options);
  const tOf = (sigma: number) => (sigma === 0 ? -1 : timestepAt(schedule, sigma));
  const stages: Stage[] = [];
  for (let i = 0; i + 1 < sigmas.length; i++) {
    const s = sigmas[i], sNext = sigmas[i + 1], h = sNext - s;
    const k = Math.sqrt(1 + s * s), kNext = Math.sqrt(1 + sNext * sNext);
    const euler = {x: k / kNext, eps: h / kNext};
    const x0 = {x: k, eps: -s};
    const state = {t: tOf(sNext), sigma: sNext};
    if (order === 1 || sNext === 0) {
      stages.push({t: timestepAt(schedule, s), x0, x: euler, state});
    } else {
      stages.push({t: timestepAt(schedule, s), x0, x: euler, p: {eps: 1}});
      stages.push({t: timestepAt(schedule, sNext), x: {x: 1, p: -h / (2 * kNext), eps: h / (2 * kNext)}, state});
    }
  }
  return program({t: tOf(sigmas[0]), sigma: sigmas[0]}, stages);
}

/** Euler on the probability-flow ODE over the EDM σ grid (Karras et al. 2022, Alg. 1 without the Heun correction), step by step. */
export function eulerSteps(denoiser: Denoiser, schedule: Schedule, xT: Start, options: OdeOptions): SamplerSteps {
  return odeSteps(denoiser, schedule, xT, options, 1);
}

/** Heun's 2nd-order method on the probability-flow ODE over the EDM σ grid (Karras et al. 2022, Alg. 1, S_churn = 0), step by step. */
export function heunSteps(denoiser: Denoiser, schedule: Schedule, xT: Start, options: OdeOptions): SamplerSteps {
  return odeSteps(denoiser, schedule, xT, options, 2);
}

/** Euler probability-flow ODE sampler run to the end: {x, nfe = steps, trajectory?}. */
export async function euler(denoiser: Denoiser, schedule: Schedule, xT: Start, options: OdeOptions): Promise<SampleResult> {
  return collect(eulerSteps(denoiser, schedule, xT, options), options.trajectory);
}

/** Heun probability-flow ODE sampler run to the end: {x, nfe = 2·steps − 1, trajectory?}. */
export async function heun(denoiser: Denoiser, schedule: Schedule, xT: Start, options: OdeOptions): Promise<SampleResult> {
  return collect(heunSteps(denoiser, schedule, xT, options), options.trajectory);
}
