// DDIM: Song, Meng & Ermon 2021, "Denoising Diffusion Implicit Models", eq. 12 with σ from eq. 16.
// η = 0 is deterministic (the "implicit" model); η = 1 on the full grid is DDPM with σ² = β̃.

import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {collect, predictX0, type SampleResult, type SamplerSteps, type Start} from "./common.js";
import {affineStep, gridSteps, type AffineStep, type GridOptions, type GridRule} from "./grid.js";

/** Options for {@link ddim}. */
export interface DdimOptions extends GridOptions {
  /** Stochasticity η ≥ 0 of Song et al. eq. 16; default 0. */
  eta?: number;
}

/**
 * σ of a DDIM step from t to s (Song et al. 2021, eq. 16):
 *   σ = η·√((1−ᾱ_s)/(1−ᾱ_t))·√(1 − ᾱ_t/ᾱ_s).
 */
export function ddimSigma(alphaBarT: number, alphaBarS: number, eta: number): number {
  return eta * Math.sqrt(((1 - alphaBarS) / (1 - alphaBarT)) * (1 - alphaBarT / alphaBarS));
}

/**
 * One DDIM step from t to s (Song et al. 2021, eq. 12) in the form of {@link AffineStep}:
 *   x_s = √ᾱ_s·x̂0 + √(1−ᾱ_s−σ²)·ε̂ + σ·z.
 * The JS step and the tensor-resident loop of a trained network both take these coefficients.
 */
export function ddimCoefficients(alphaBarT: number, alphaBarS: number, eta: number): AffineStep {
  const sigma = ddimSigma(alphaBarT, alphaBarS, eta);
  // Rounding can push 1−ᾱ_s−σ² a hair below zero when η = 1 and ᾱ_s → 1.
  return {x0: Math.sqrt(alphaBarS), eps: Math.sqrt(Math.max(0, 1 - alphaBarS - sigma * sigma)), z: sigma};
}

/**
 * One DDIM step from t to s (Song et al. 2021, eq. 12): x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t, then
 * {@link ddimCoefficients}. z may be null when σ = 0. xt, eps, z: [n, d].
 */
export function ddimStep(
  xt: Points,
  eps: Float64Array,
  alphaBarT: number,
  alphaBarS: number,
  eta: number,
  z: Float64Array | null
): Points {
  const c = ddimCoefficients(alphaBarT, alphaBarS, eta);
  if (c.z > 0 && !z) throw new Error("a DDIM step with eta > 0 needs noise z");
  return affineStep(predictX0(xt, eps, alphaBarT), eps, c, z);
}

/** DDIM with stochasticity η as a grid rule: the coefficients of every step, noise wherever σ > 0. */
export function ddimRule(eta = 0): GridRule {
  if (!(eta >= 0)) throw new Error(`eta must be ≥ 0, got ${eta}`);
  return {step: (abT, abS) => ddimCoefficients(abT, abS, eta)};
}

/**
 * DDIM as a step generator over a timestep sub-grid (`spacing` "leading" | "trailing" |
 * "linspace" as in diffusers, see timesteps.ts, or "karras", see gridTimesteps), one ε̂ evaluation
 * per step; draws noise only when σ > 0.
 */
export function ddimSteps(denoiser: Denoiser, schedule: Schedule, xT: Start, options: DdimOptions): SamplerSteps {
  return gridSteps(denoiser, schedule, xT, options, ddimRule(options.eta ?? 0));
}

/** DDIM (Song et al. 2021, eq. 12) run to the end: {x, nfe, trajectory?}. */
export async function ddim(denoiser: Denoiser, schedule: Schedule, xT: Start, options: DdimOptions): Promise<SampleResult> {
  return collect(ddimSteps(denoiser, schedule, xT, options), options.trajectory);
}
