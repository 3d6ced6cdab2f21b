// DDPM ancestral sampling: Ho, Jain & Abbeel 2020, "Denoising Diffusion Probabilistic Models",
// Algorithm 2, with the variance choices of their §3.2.

import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {posteriorBetween} from "../math/forward.js";
import {collect, type SampleResult, type SamplerSteps, type Start} from "./common.js";
import {gridSteps, type GridOptions} from "./grid.js";

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
  const alpha = alphaBarT / alphaBarS;
  const beta = 1 - alpha;
  const c = beta / Math.sqrt(1 - alphaBarT);
  const sd = z ? Math.sqrt(ddpmVariance(alphaBarT, alphaBarS, variance)) : 0;
  const a = Math.sqrt(alpha);
  const x = new Float64Array(xt.length);
  for (let k = 0; k < xt.length; k++) x[k] = (xt[k] - c * eps[k]) / a + (z ? sd * z[k] : 0);
  return x;
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
  const variance = options.variance ?? "betaTilde";
  if (variance !== "beta" && variance !== "betaTilde" && typeof variance !== "function") throw new Error(`unknown DDPM variance "${String(variance)}"`);
  return gridSteps(
    denoiser,
    schedule,
    xT,
    options,
    (xt, eps, abT, abS, z) => ddpmStep(xt, eps, abT, abS, variance, z),
    (_abT, abS) => abS < 1
  );
}

/** DDPM ancestral sampling (Ho et al. 2020, Alg. 2) run to the end: {x, nfe, trajectory?}. */
export async function ddpm(denoiser: Denoiser, schedule: Schedule, xT: Start, options: DdpmOptions): Promise<SampleResult> {
  return collect(ddpmSteps(denoiser, schedule, xT, options), options.trajectory);
}
