// A learned reverse variance: Nichol & Dhariwal 2021, "Improved Denoising Diffusion Probabilistic
// Models" (ICML), §3.1. The network outputs, per coordinate, a weight ν between log β and log β̃, and
// is trained on the hybrid loss L_simple + λ·L_vlb, where L_vlb's Gaussian KL teaches ν only (the
// mean's gradient is stopped in it). The formulas, the KL and its slope in ν live here, free of tfjs,
// so the trainer's hand-written backward pass and its finite-difference test share one definition.
import {posteriorBetween} from "./forward.js";

/** λ of the hybrid loss L_simple + λ·L_vlb (Nichol & Dhariwal 2021, §3.1). */
export const HYBRID_LAMBDA = 0.001;

/**
 * ν from the network's raw variance output r: ν = (r + 1)/2. Nichol & Dhariwal's eq. 15 puts the
 * output v in the exponent directly; the shift makes a zero-initialised output layer start at ν = ½,
 * the geometric mean of β and β̃, as their released models do.
 */
export function nuFromOutput(raw: number): number {
  return (raw + 1) / 2;
}

/** log β and log β̃ of the step t → s: β = 1 − ᾱ_t/ᾱ_s, β̃ = (1−ᾱ_s)/(1−ᾱ_t)·β. Needs 0 < ᾱ_t < ᾱ_s < 1. */
export function logVarianceEnds(alphaBarT: number, alphaBarS: number): {logBeta: number; logBetaTilde: number} {
  if (!(alphaBarS < 1)) throw new RangeError(`logVarianceEnds: the step must end on a noisy state (ᾱ_s < 1), got ᾱ_s = ${alphaBarS}`);
  return {logBeta: Math.log(1 - alphaBarT / alphaBarS), logBetaTilde: Math.log(posteriorBetween(alphaBarT, alphaBarS).variance)};
}

/**
 * Σθ of the step t → s for the interpolation weight ν (Nichol & Dhariwal 2021, eq. 15):
 *   Σθ = exp(ν·log β + (1−ν)·log β̃),  with β, β̃ of that step.
 * On the training grid (s = t − 1) these are the schedule's β_t and β̃_t. For a coarser step the same ν
 * is applied to the β and β̃ of the whole stride, as Nichol & Dhariwal do when they respace a trained
 * model's timesteps (their §4): the network learned where between the two ends the variance lies,
 * and the ends are recomputed for the step actually taken. For ν ∈ [0, 1] the result lies in [β̃, β].
 */
export function learnedVariance(nu: number, alphaBarT: number, alphaBarS: number): number {
  const {logBeta, logBetaTilde} = logVarianceEnds(alphaBarT, alphaBarS);
  return Math.exp(nu * logBeta + (1 - nu) * logBetaTilde);
}

/**
 * KL(N(μ̃, β̃) ‖ N(μθ, Σ)) for one coordinate, the term of L_vlb (Ho et al. 2020, eq. 5):
 *   ½·(log Σ − log β̃ + (β̃ + (μ̃ − μθ)²)/Σ − 1).
 * gap2: (μ̃ − μθ)²; logSigma: log Σ.
 */
export function gaussianKl(gap2: number, betaTilde: number, logSigma: number): number {
  return 0.5 * (logSigma - Math.log(betaTilde) + (betaTilde + gap2) * Math.exp(-logSigma) - 1);
}

/**
 * ∂KL/∂ν of {@link gaussianKl} with log Σ = ν·log β + (1−ν)·log β̃ and μθ held fixed (the stop-gradient of
 * Nichol & Dhariwal's §3.1):
 *   ∂KL/∂log Σ = ½·(1 − (β̃ + (μ̃ − μθ)²)/Σ),   ∂log Σ/∂ν = log β − log β̃.
 * Zero where Σ = β̃ + (μ̃ − μθ)², the variance that best fits the posterior given the mean's error.
 */
export function klSlopeNu(gap2: number, nu: number, logBeta: number, logBetaTilde: number): number {
  const logSigma = nu * logBeta + (1 - nu) * logBetaTilde;
  return 0.5 * (1 - (Math.exp(logBetaTilde) + gap2) * Math.exp(-logSigma)) * (logBeta - logBetaTilde);
}

/** What the network predicts (the trainer's `prediction`): the noise, the clean point or v. */
export type Target = "eps" | "x0" | "v";

/**
 * c with (μ̃ − μθ)² = c·(out − target)² per coordinate, for a network predicting `target` at the step
 * t → s. Both means are the posterior mean (coefX0·x0 + coefXt·x_t), μθ with x̂0 in place of x0, so
 * μ̃ − μθ = coefX0·(x0 − x̂0), and x0 − x̂0 is the output error e times
 *   ε: √(1−ᾱ_t)/√ᾱ_t     x0: −1     v: √(1−ᾱ_t)
 * (from x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t, x̂0 itself, and x̂0 = √ᾱ_t·x_t − √(1−ᾱ_t)·v̂).
 */
export function meanGapScale(target: Target, alphaBarT: number, alphaBarS: number): number {
  const {coefX0} = posteriorBetween(alphaBarT, alphaBarS);
  const unit = target === "eps" ? (1 - alphaBarT) / alphaBarT : target === "x0" ? 1 : 1 - alphaBarT;
  return coefX0 * coefX0 * unit;
}
