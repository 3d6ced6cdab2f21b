// The best isotropic variance of a Gaussian reverse step: Bao, Li, Zhu & Zhang 2022, "Analytic-DPM:
// an Analytic Estimate of the Optimal Reverse Variance in Diffusion Probabilistic Models" (ICLR).
// It needs one number per noise level, the expected squared score E‖∇log q_t‖², which for a
// Gaussian mixture is an integral we can do exactly.
import {posteriorBetween} from "./forward.js";
import {logDensityAt, noiseMixture, scoreAt, type Mixture} from "./mixture.js";
import {quadratureNodes} from "./quadrature.js";

/**
 * E_{x ~ q_t} ‖∇log q_t(x)‖² for the mixture data `m` noised to ᾱ (q_t = noiseMixture(m, ᾱ)), by the
 * midpoint rule on `quadratureNodes` (relative error below 1e-4). For Gaussian data N(0, s²I) in
 * d dimensions it is d/(ᾱs² + 1 − ᾱ) (the score is −x/(ᾱs² + 1 − ᾱ)).
 */
export function expectedSquaredScore(m: Mixture, alphaBar: number): number {
  if (!(alphaBar >= 0 && alphaBar <= 1)) throw new RangeError(`expectedSquaredScore: ᾱ must lie in [0, 1], got ${alphaBar}`);
  const qt = noiseMixture(m, alphaBar), {points, area} = quadratureNodes(qt);
  const lp = logDensityAt(qt, points), s = scoreAt(qt, points);
  let sum = 0;
  for (let i = 0; i < lp.length; ++i) sum += Math.exp(lp[i]) * (s[2 * i] ** 2 + s[2 * i + 1] ** 2);
  return sum * area;
}

/** What the optimal variance of a step is bracketed by. */
export interface VarianceBounds {
  /** λ² = β̃: the variance of q(x_s | x_t, x0), reached when x_t pins x0 down exactly. */
  lower: number;
  /** λ² + (√(β̄_t/α) − √(β̄_s − λ²))²: the value Theorem 1 gives at E‖∇log q_t‖² = 0. */
  upper: number;
}

/**
 * Bao et al. 2022, Theorem 2, for the DDPM case λ² = β̃ and a step t → s:
 *   λ² ≤ σ*² ≤ λ² + (√(β̄_t/α) − √(β̄_s − λ²))²,
 * with α = ᾱ_t/ᾱ_s the step's own α (the paper's α_n is per step) while β̄ = 1 − ᾱ is cumulative.
 * The upper bound is the optimal variance when E‖∇log q_t‖² = 0; with λ² = β̃ the square equals
 * β²/(α·β̄_t). (Their tighter bound for data in a box [a, b]^d does not apply to unbounded mixtures.)
 */
export function varianceBounds(alphaBarT: number, alphaBarS: number): VarianceBounds {
  const lambda2 = posteriorBetween(alphaBarT, alphaBarS).variance, alpha = alphaBarT / alphaBarS;
  const gap = Math.sqrt((1 - alphaBarT) / alpha) - Math.sqrt(Math.max(0, 1 - alphaBarS - lambda2));
  return {lower: lambda2, upper: lambda2 + gap * gap};
}

/**
 * The optimal isotropic variance of the Gaussian reverse step t → s (Bao et al. 2022, Theorem 1,
 * with λ² = β̃ as in DDPM):
 *   σ*² = λ² + (√(β̄_t/α) − √(β̄_s − λ²))²·(1 − β̄_t·E‖∇log q_t‖²/d),
 * α = ᾱ_t/ᾱ_s (per step), β̄ = 1 − ᾱ (cumulative). It is the average over x_t ~ q_t of the exact
 * reverse step's variance per dimension, E tr Cov[x_s | x_t]/d: the only isotropic Gaussian step that
 * keeps the total variance of q_s. With `clip` (default) the value is held to Theorem 2's bounds, as
 * Bao et al. do for a network's estimate of E‖∇log q_t‖². At high noise 1 − β̄_t·E‖∇log q_t‖²/d is a
 * small difference of numbers near 1, so an exact mixture uses `optimalVarianceFromPosterior`.
 * meanSquaredScore: E‖∇log q_t‖²; d: dimension.
 */
export function optimalVariance(alphaBarT: number, alphaBarS: number, meanSquaredScore: number, {d = 2, clip = true}: {d?: number; clip?: boolean} = {}): number {
  const {lower, upper} = varianceBounds(alphaBarT, alphaBarS);
  const raw = lower + (upper - lower) * (1 - ((1 - alphaBarT) * meanSquaredScore) / d);
  return clip ? Math.min(upper, Math.max(lower, raw)) : raw;
}

/**
 * Theorem 1 written through the clean data's posterior spread v = E tr Cov[x0 | x_t]/d, using
 * 1 − β̄_t·E‖∇log q_t‖²/d = E tr Cov[ε | x_t]/d = (ᾱ_t/β̄_t)·v (Tweedie: ε = (x_t − √ᾱ_t·x0)/√β̄_t):
 *   σ*² = β̃ + c²·v,   c = √ᾱ_s·β/β̄_t (the posterior's coefX0).
 * The same number as `optimalVariance`, without its cancellation at high noise.
 */
export function optimalVarianceFromPosterior(alphaBarT: number, alphaBarS: number, spread: number): number {
  const {coefX0, variance} = posteriorBetween(alphaBarT, alphaBarS);
  return variance + coefX0 * coefX0 * spread;
}

/**
 * E_{x_t ~ q_t} tr Cov[x0 | x_t]/2 for the mixture data `m` at noise level ᾱ ∈ (0, 1). Given x_t
 * the law of x0 is the mixture reverseKernel(m, ᾱ, 1, x_t): responsibilities r_k of q_t's components,
 * means μ_k + √ᾱ·Σ_k·S_k⁻¹·(x_t − √ᾱ·μ_k) and fixed covariances P_k = (1−ᾱ)·Σ_k·S_k⁻¹, with
 * S_k = ᾱΣ_k + (1−ᾱ)I; so tr Cov = Σ_k r_k·tr P_k + Σ_k r_k·‖m_k − m̄‖². That is evaluated at every
 * node of `quadratureNodes(q_t)` (the same algebra as reverseKernel, unrolled so that one noise level
 * costs milliseconds) and averaged by the midpoint rule. At ᾱ → 0 it tends to tr Cov[x0]/2.
 */
export function posteriorSpread(m: Mixture, alphaBar: number): number {
  if (!(alphaBar > 0 && alphaBar < 1)) throw new RangeError(`posteriorSpread: ᾱ must lie in (0, 1), got ${alphaBar}`);
  const qt = noiseMixture(m, alphaBar), {points, area} = quadratureNodes(qt), lp = logDensityAt(qt, points);
  const K = m.weights.length, a = Math.sqrt(alphaBar), total = m.weights.reduce((u, v) => u + v, 0);
  const logC = new Float64Array(K), tr = new Float64Array(K), inv = new Float64Array(3 * K), gain = new Float64Array(3 * K);
  for (let k = 0; k < K; ++k) {
    const [sxx, sxy, syy] = m.covs[k], [pxx, pxy, pyy] = qt.covs[k], det = pxx * pyy - pxy * pxy;
    const ixx = pyy / det, ixy = -pxy / det, iyy = pxx / det;
    inv.set([ixx, ixy, iyy], 3 * k);
    // Σ·S⁻¹ is symmetric (Σ and S = ᾱΣ + (1−ᾱ)I commute).
    const gxx = sxx * ixx + sxy * ixy, gxy = sxx * ixy + sxy * iyy, gyy = sxy * ixy + syy * iyy;
    gain.set([a * gxx, a * gxy, a * gyy], 3 * k);
    tr[k] = (1 - alphaBar) * (gxx + gyy);
    logC[k] = Math.log(m.weights[k] / total) - Math.log(2 * Math.PI) - 0.5 * Math.log(det);
  }
  const r = new Float64Array(K), mx = new Float64Array(K), my = new Float64Array(K);
  let sum = 0;
  for (let i = 0; i < lp.length; ++i) {
    const x = points[2 * i], y = points[2 * i + 1];
    let spread = 0, cx = 0, cy = 0;
    for (let k = 0; k < K; ++k) {
      const dx = x - qt.means[k][0], dy = y - qt.means[k][1], j = 3 * k;
      r[k] = Math.exp(logC[k] - 0.5 * (inv[j] * dx * dx + 2 * inv[j + 1] * dx * dy + inv[j + 2] * dy * dy) - lp[i]);
      mx[k] = m.means[k][0] + gain[j] * dx + gain[j + 1] * dy;
      my[k] = m.means[k][1] + gain[j + 1] * dx + gain[j + 2] * dy;
      spread += r[k] * tr[k];
      cx += r[k] * mx[k];
      cy += r[k] * my[k];
    }
    for (let k = 0; k < K; ++k) spread += r[k] * ((mx[k] - cx) ** 2 + (my[k] - cy) ** 2);
    sum += Math.exp(lp[i]) * spread;
  }
  return (sum * area) / 2;
}

/**
 * A DDPM variance rule (ᾱ_t, ᾱ_s) ↦ σ*² for the mixture `m` (the `variance` option of samplers/ddpm):
 * `optimalVarianceFromPosterior` with the exact posterior spread, computed once per noise level and
 * kept. Throws for ᾱ_t ∉ (0, 1).
 */
export function analyticVarianceRule(m: Mixture): (alphaBarT: number, alphaBarS: number) => number {
  const cache = new Map<number, number>();
  return (alphaBarT, alphaBarS) => {
    let spread = cache.get(alphaBarT);
    if (spread === undefined) cache.set(alphaBarT, (spread = posteriorSpread(m, alphaBarT)));
    return optimalVarianceFromPosterior(alphaBarT, alphaBarS, spread);
  };
}
