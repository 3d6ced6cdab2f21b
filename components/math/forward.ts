// The forward (noising) process of DDPM and its Gaussian posterior, on flat Float64Arrays.
// Arrays are interleaved points ([n, d] row-major); every operation is elementwise, so any d works.
// Timesteps are diffusers-indexed (see schedules.ts): x_t for t = 0 is one step away from x0.
import {normalFrom} from "./random.js";
import type {Schedule} from "./schedules.js";
import type {Rng} from "./types.js";

function checkStep(schedule: Schedule, t: number, fn: string): void {
  if (!Number.isInteger(t) || t < 0 || t >= schedule.T) {
    throw new RangeError(`${fn}: t must be an integer in [0, ${schedule.T - 1}], got ${t}`);
  }
}

function checkSameLength(a: Float64Array, b: Float64Array, fn: string): void {
  if (a.length !== b.length) throw new RangeError(`${fn}: length mismatch ${a.length} vs ${b.length}`);
}

/**
 * x_t = √ᾱ·x0 + √(1−ᾱ)·ε, elementwise: the reparameterised q(x_t | x0) of Ho, Jain & Abbeel 2020,
 * eq. 4. x0, eps, out: same length ([n, d]). With `out` given it allocates nothing, so a page can
 * re-noise a fixed ε every frame; `out` may be x0 itself.
 */
export function noiseWith(x0: Float64Array, eps: Float64Array, alphaBar: number, out = new Float64Array(x0.length)): Float64Array {
  checkSameLength(x0, eps, "noiseWith");
  checkSameLength(x0, out, "noiseWith");
  const a = Math.sqrt(alphaBar), b = Math.sqrt(1 - alphaBar);
  for (let i = 0; i < x0.length; ++i) out[i] = a * x0[i] + b * eps[i];
  return out;
}

/**
 * One draw of x_t ~ q(x_t | x0) = N(√ᾱ_t·x0, (1−ᾱ_t)·I) (Ho et al. 2020, eq. 4), t = 0..T−1.
 * x0, out: [n, d].
 */
export function sampleForward(x0: Float64Array, t: number, schedule: Schedule, rng: Rng, out = new Float64Array(x0.length)): Float64Array {
  checkStep(schedule, t, "sampleForward");
  checkSameLength(x0, out, "sampleForward");
  const a = schedule.sqrtAlphaBar[t], b = schedule.sqrtOneMinusAlphaBar[t], normal = normalFrom(rng);
  for (let i = 0; i < x0.length; ++i) out[i] = a * x0[i] + b * normal();
  return out;
}

/**
 * One Markov step x_t ~ q(x_t | x_{t−1}) = N(√(1−β_t)·x_{t−1}, β_t·I) (Ho et al. 2020, eq. 2).
 * For t = 0, xPrev is the clean data x0. Applying steps t = 0, 1, …, k−1 in turn gives a draw with
 * the law of q(x_{k−1} | x0), i.e. ᾱ = alphaBarAfter(schedule, k). xPrev, out: [n, d]; out may be xPrev.
 */
export function markovStep(xPrev: Float64Array, t: number, schedule: Schedule, rng: Rng, out = new Float64Array(xPrev.length)): Float64Array {
  checkStep(schedule, t, "markovStep");
  checkSameLength(xPrev, out, "markovStep");
  const a = Math.sqrt(schedule.alphas[t]), b = Math.sqrt(schedule.betas[t]), normal = normalFrom(rng);
  for (let i = 0; i < xPrev.length; ++i) out[i] = a * xPrev[i] + b * normal();
  return out;
}

/** Coefficients of q(x_{t−1} | x_t, x0) = N(coefX0·x0 + coefXt·x_t, variance·I). */
export interface PosteriorCoefficients {
  coefX0: number;
  coefXt: number;
  /** β̃_t. */
  variance: number;
}

/**
 * The coefficients of q(x_s | x_t, x0) from the noise levels of the two states:
 *   coefX0 = √ᾱ_s·β/(1−ᾱ_t),  coefXt = √α·(1−ᾱ_s)/(1−ᾱ_t),  variance = (1−ᾱ_s)/(1−ᾱ_t)·β,
 * with α = ᾱ_t/ᾱ_s and β = 1 − α the single Gaussian step x_s → x_t (Ho et al. 2020, eqs. 6–7,
 * where s = t − 1). Callers pass 1−ᾱ and β directly so each can keep its own precision.
 */
function coefficients(alphaBarS: number, alpha: number, beta: number, oneMinusAbT: number, oneMinusAbS: number): PosteriorCoefficients {
  return {
    coefX0: (Math.sqrt(alphaBarS) * beta) / oneMinusAbT,
    coefXt: (Math.sqrt(alpha) * oneMinusAbS) / oneMinusAbT,
    variance: (oneMinusAbS / oneMinusAbT) * beta,
  };
}

/**
 * The forward-process posterior q(x_{t−1} | x_t, x0) (Ho et al. 2020, eqs. 6–7):
 *   coefX0 = √ᾱ_{t−1}·β_t/(1−ᾱ_t),  coefXt = √α_t·(1−ᾱ_{t−1})/(1−ᾱ_t),  β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t.
 * "x_{t−1}" for t = 0 is the clean data (ᾱ_{−1} = 1), so the posterior is a point mass at x0:
 * {coefX0: 1, coefXt: 0, variance: 0} — exactly what the formulas give in exact arithmetic.
 */
export function posteriorCoefficients(schedule: Schedule, t: number): PosteriorCoefficients {
  checkStep(schedule, t, "posteriorCoefficients");
  if (t === 0) return {coefX0: 1, coefXt: 0, variance: 0};
  // 1−ᾱ from the schedule's √(1−ᾱ), not 1 − ᾱ: it keeps full relative precision at small t.
  return coefficients(schedule.alphaBar[t - 1], schedule.alphas[t], schedule.betas[t],
    schedule.sqrtOneMinusAlphaBar[t] ** 2, schedule.sqrtOneMinusAlphaBar[t - 1] ** 2);
}

/**
 * The posterior q(x_s | x_t, x0) = N(coefX0·x0 + coefXt·x_t, variance·I) for any earlier state s of
 * the same chain, from ᾱ_t < ᾱ_s ≤ 1 (ᾱ_s = 1: s is the clean data, and the posterior is a point
 * mass at x0). It is `posteriorCoefficients` with the single step β_t replaced by the span's
 * β = 1 − ᾱ_t/ᾱ_s, as a sampler that skips timesteps needs (Song, Meng & Ermon 2021, eq. 7 with
 * σ² = β̃; diffusers' DDPMScheduler on a sub-grid).
 */
export function posteriorBetween(alphaBarT: number, alphaBarS: number): PosteriorCoefficients {
  if (!(alphaBarT >= 0 && alphaBarT < alphaBarS && alphaBarS <= 1)) {
    throw new RangeError(`posteriorBetween: need 0 ≤ ᾱ_t < ᾱ_s ≤ 1, got ᾱ_t = ${alphaBarT}, ᾱ_s = ${alphaBarS}`);
  }
  const alpha = alphaBarT / alphaBarS;
  return coefficients(alphaBarS, alpha, 1 - alpha, 1 - alphaBarT, 1 - alphaBarS);
}

/**
 * μ̃_t(x_t, x0) = coefX0·x0 + coefXt·x_t (Ho et al. 2020, eq. 7), elementwise.
 * x0, xt, out: [n, d]; out may alias either input.
 */
export function posteriorMean(x0: Float64Array, xt: Float64Array, t: number, schedule: Schedule, out = new Float64Array(x0.length)): Float64Array {
  checkSameLength(x0, xt, "posteriorMean");
  checkSameLength(x0, out, "posteriorMean");
  const {coefX0, coefXt} = posteriorCoefficients(schedule, t);
  for (let i = 0; i < x0.length; ++i) out[i] = coefX0 * x0[i] + coefXt * xt[i];
  return out;
}
