// DDPM ancestral sampling: Ho, Jain & Abbeel 2020, "Denoising Diffusion Probabilistic Models",
// Algorithm 2, with the variance choices of their §3.2.

import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {posteriorBetween} from "../math/forward.js";
import {collect, predictX0, type SampleResult, type SamplerSteps, type Start} from "./common.js";
import {affineStep, gridSteps, type AffineStep, type GridOptions, type GridRule} from "./grid.js";

/**
 * A reverse variance computed per step: σ² of the step from ᾱ_t to ᾱ_s, e.g. the optimal variance of
 * Analytic-DPM (Bao et al. 2022; math/analytic-dpm.ts `analyticVarianceRule`). Must return a finite σ² ≥ 0.
 */
export type VarianceRule = (alphaBarT: number, alphaBarS: number) => number;

/**
 * σ_t² of the reverse step: β_t ("beta", Ho et al.'s σ_t² = β_t), β̃_t ("betaTilde", their eq. 7), or
 * a {@link VarianceRule}.
 */
export type DdpmVariance = "beta" | "betaTilde" | VarianceRule;

/** Options for {@link ddpm}. */
export interface DdpmOptions extends GridOptions {
  /** Default "betaTilde" (diffusers' "fixed_small"). */
  variance?: DdpmVariance;
}

/**
 * One ancestral step from timestep t to the previous visited timestep s (Ho et al. 2020, Alg. 2):
 *   x_s = (x_t − β/√(1−ᾱ_t)·ε̂) / √α + σ·z,   α = ᾱ_t/ᾱ_s,  β = 1 − α,
 *   σ² = β  or  β̃ = (1−ᾱ_s)/(1−ᾱ_t)·β.
 * On the full grid s = t−1 and α, β are the schedule's α_t, β_t; on a sub-grid they are those of
 * the skipped span (as diffusers' DDPMScheduler does). z = null means no noise (Alg. 2's final step).
 * xt, eps, z: [n, d].
 */
export function ddpmStep(
  xt: Points,
  eps: Float64Array,
  alphaBarT: number,
  alphaBarS: number,
  variance: DdpmVariance,
  z: Float64Array | null
): Points {
  const c = ddpmCoefficients(alphaBarT, alphaBarS, variance);
  return affineStep(predictX0(xt, eps, alphaBarT), eps, z ? c : {...c, z: 0}, z);
}

/**
 * The coefficients of {@link ddpmStep} in the form of {@link AffineStep}: substituting
 * x_t = √ᾱ_t·x̂0 + √(1−ᾱ_t)·ε̂ into (x_t − β/√(1−ᾱ_t)·ε̂)/√α gives
 *   x_s = √ᾱ_s·x̂0 + √α·(1−ᾱ_s)/√(1−ᾱ_t)·ε̂ + σ·z
 * (1 − ᾱ_t − β = α·(1 − ᾱ_s)). σ is √variance even on the last step; {@link ddpmRule} drops it there.
 */
export function ddpmCoefficients(alphaBarT: number, alphaBarS: number, variance: DdpmVariance): AffineStep {
  const alpha = alphaBarT / alphaBarS;
  return {
    x0: Math.sqrt(alphaBarS),
    eps: (Math.sqrt(alpha) * (1 - alphaBarS)) / Math.sqrt(1 - alphaBarT),
    z: Math.sqrt(ddpmVariance(alphaBarT, alphaBarS, variance)),
  };
}

/** DDPM as a grid rule: fresh noise on every step but the last, which returns the posterior mean. */
export function ddpmRule(variance: DdpmVariance = "betaTilde"): GridRule {
  if (variance !== "beta" && variance !== "betaTilde" && typeof variance !== "function") throw new Error(`unknown DDPM variance "${String(variance)}"`);
  return {step: (abT, abS) => (abS < 1 ? ddpmCoefficients(abT, abS, variance) : {...ddpmCoefficients(abT, abS, variance), z: 0})};
}

/**
 * σ² of {@link ddpmStep}: β = 1 − ᾱ_t/ᾱ_s, β̃ = (1−ᾱ_s)/(1−ᾱ_t)·β (Ho et al. 2020, eq. 7; the
 * variance of math/forward's posteriorBetween), or what a rule returns (checked).
 */
export function ddpmVariance(alphaBarT: number, alphaBarS: number, variance: DdpmVariance): number {
  if (variance === "beta") return 1 - alphaBarT / alphaBarS;
  if (variance === "betaTilde") return posteriorBetween(alphaBarT, alphaBarS).variance;
  const v = variance(alphaBarT, alphaBarS);
  if (!(v >= 0 && Number.isFinite(v))) throw new Error(`the DDPM variance rule gave σ² = ${v} for ᾱ_t = ${alphaBarT}, ᾱ_s = ${alphaBarS}; it must be finite and ≥ 0`);
  return v;
}

/**
 * DDPM ancestral sampling as a step generator: one ε̂ evaluation per step, fresh noise on every
 * step but the last (which returns the posterior mean, i.e. x̂0). steps = T visits T−1…0 (T NFE).
 */
export function ddpmSteps(denoiser: Denoiser, schedule: Schedule, xT: Start, options: DdpmOptions): SamplerSteps {
  return gridSteps(denoiser, schedule, xT, options, ddpmRule(options.variance ?? "betaTilde"));
}

/** DDPM ancestral sampling (Ho et al. 2020, Alg. 2) run to the end: {x, nfe, trajectory?}. */
export async function ddpm(denoiser: Denoiser, schedule: Schedule, xT: Start, options: DdpmOptions): Promise<SampleResult> {
  return collect(ddpmSteps(denoiser, schedule, xT, options), options.trajectory);
}
