// Every diffusion loss in this project is a weighted sum over timesteps of ‖ε − ε̂‖²: the variational
// bound (ELBO), the simple loss DDPM trains with, the x0 and v losses, Min-SNR-γ. Written in ε units
// as functions of t, they can be drawn on one chart — and, following Kingma & Gao 2023, as a weighting
// over log-SNR λ, where the schedule's density of λ joins the weight.
import type {Schedule} from "./schedules.js";

/** The reverse variance the ELBO's Gaussian steps use: σ_t² = β_t or β̃_t. */
export type ElboVariance = "beta" | "betaTilde";

/**
 * The weight of ‖ε − ε_θ‖² in the ELBO's term L_{t−1} (Ho et al. 2020, eq. 12):
 *   w_t = β_t²/(2σ_t²·α_t·(1−ᾱ_t)),  σ_t² = β_t or β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t.
 * L_simple (their eq. 14) sets every w_t to 1. With σ² = β̃ it equals ½(SNR_{t−1}/SNR_t − 1), the
 * discrete-time bound of Kingma et al. 2021 (VDM, eq. 13 in ε units). At t = 0 the first step's
 * β̃ is 0 and the weight is infinite: Ho et al. replace that term by the decoder L_0. → [T]
 */
export function elboWeights(schedule: Schedule, variance: ElboVariance): Float64Array {
  const w = new Float64Array(schedule.T);
  for (let t = 0; t < schedule.T; ++t) {
    const beta = schedule.betas[t], oneMinusAb = schedule.sqrtOneMinusAlphaBar[t] ** 2;
    const oneMinusPrev = t === 0 ? 0 : schedule.sqrtOneMinusAlphaBar[t - 1] ** 2;
    const sigma2 = variance === "beta" ? beta : (oneMinusPrev / oneMinusAb) * beta;
    w[t] = sigma2 > 0 ? (beta * beta) / (2 * sigma2 * schedule.alphas[t] * oneMinusAb) : Infinity;
  }
  return w;
}

/** The three regression targets a network can be trained on (model/ names them the same way). */
export type Target = "eps" | "x0" | "v";

/**
 * The weight, in ε units, that an unweighted MSE on `target` puts on timestep t:
 *   ε: 1;  x0: 1/SNR_t (‖x0 − x̂0‖² = ‖ε − ε̂‖²/SNR);  v: 1 + 1/SNR_t = 1/ᾱ_t (‖v − v̂‖² = ‖ε − ε̂‖²/ᾱ,
 *   Salimans & Ho 2022, §4). → [T]
 */
export function targetWeights(schedule: Schedule, target: Target): Float64Array {
  const w = new Float64Array(schedule.T);
  for (let t = 0; t < schedule.T; ++t) {
    const snr = schedule.snr[t];
    w[t] = target === "eps" ? 1 : target === "x0" ? 1 / snr : 1 + 1 / snr;
  }
  return w;
}

/**
 * Min-SNR-γ (Hang et al. 2023, "Efficient Diffusion Training via Min-SNR Weighting Strategy", §3.4):
 * the x0 loss weighted by min(SNR_t, γ), which in ε units is min(SNR_t, γ)/SNR_t — 1 at low SNR,
 * γ/SNR above it. → [T]
 */
export function minSnrWeights(schedule: Schedule, gamma: number): Float64Array {
  if (!(gamma > 0)) throw new RangeError(`minSnrWeights: γ must be positive, got ${gamma}`);
  return schedule.snr.map((snr) => Math.min(snr, gamma) / snr);
}

/**
 * A per-t weight w_ε(t) seen as a weighting of the ELBO over log-SNR λ (Kingma & Gao 2023,
 * "Understanding Diffusion Objectives as the ELBO with Simple Data Augmentation", §2: the loss is
 * ½·E_{t~U(0,1)}[w(λ_t)·(−dλ/dt)·‖ε − ε̂‖²]). Drawing t uniformly and weighting by w_ε is the same as
 *   w(λ_t) = 2·w_ε(t)/(−dλ/du),   u = (t + 1)/T,
 * so the schedule's density of λ, 1/(−dλ/du), acts as a loss weight of its own; w ≡ 1 is the ELBO.
 * wEps weights a mean over uniformly drawn t, as training does: the ELBO's sum Σ_t w_t·‖ε − ε̂‖²
 * (elboWeights) is that mean with weights T·w_t.
 * −dλ/du is a central difference of schedule.logSnr (one-sided at the ends). For ε-MSE on the cosine
 * schedule it gives ((1 + s)/π)·sech(λ/2), and for v-MSE ((1 + s)/π)·2e^{−λ/2} (up to a
 * constant; they list these weightings in their Table 1). wEps: [T]; returns [T] (NaN where λ is infinite).
 */
export function lambdaWeighting(schedule: Schedule, wEps: ArrayLike<number>): Float64Array {
  const {T, logSnr} = schedule, out = new Float64Array(T);
  if (T < 2) throw new RangeError("lambdaWeighting: needs T ≥ 2");
  for (let t = 0; t < T; ++t) {
    const lo = Math.max(0, t - 1), hi = Math.min(T - 1, t + 1);
    const slope = ((logSnr[lo] - logSnr[hi]) * T) / (hi - lo);
    out[t] = Number.isFinite(slope) ? (2 * wEps[t]) / slope : NaN;
  }
  return out;
}
