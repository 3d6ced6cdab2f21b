// The true reverse step q(x_s | x_t) of a 2D Gaussian mixture, for any earlier state s: again a
// Gaussian mixture, in closed form. Beside it the Gaussian a DDPM sampler uses for the same step,
// and how far apart the two are (KL divergence).
import {posteriorBetween} from "./forward.js";
import {epsFromScore, logDensityAt, noiseMixture, score, type Mixture} from "./mixture.js";
import {meanFromEps} from "./parameterisation.js";
import {quadratureNodes, type QuadratureOptions} from "./quadrature.js";
import {alphaBarAfter, type Schedule} from "./schedules.js";

/** A 2D Gaussian: mean and covariance [σxx, σxy, σyy]. */
export interface Gaussian2 {
  mean: [number, number];
  cov: [number, number, number];
}

/**
 * q(x_s | x_t) ∝ q_s(x_s)·q(x_t | x_s) for the mixture data `m`, with ᾱ_t < ᾱ_s ≤ 1 (ᾱ_s = 1: the
 * law of the clean x0 given x_t). Write q_s = Σ_k w_k N(m_k, C_k) with m_k = √ᾱ_s·μ_k,
 * C_k = ᾱ_s·Σ_k + (1−ᾱ_s)·I (noiseMixture), and the forward kernel q(x_t | x_s) = N(a·x_s, b·I),
 * a = √(ᾱ_t/ᾱ_s), b = 1 − ᾱ_t/ᾱ_s. Each product N(x_s; m_k, C_k)·N(x_t; a·x_s, b·I) is a Gaussian
 * in x_s times N(x_t; a·m_k, S_k) with S_k = a²C_k + b·I = ᾱ_t·Σ_k + (1−ᾱ_t)·I (Bishop 2006, PRML
 * eqs. 2.113–2.117). So the result is the mixture with
 *   weights  w'_k ∝ w_k·N(x_t; √ᾱ_t·μ_k, S_k)            (the responsibilities of q_t at x_t)
 *   means    m'_k = m_k + a·C_k·S_k⁻¹·(x_t − a·m_k)
 *   covs     P_k  = C_k − a²·C_k·S_k⁻¹·C_k = b·C_k·S_k⁻¹  (C_k and S_k commute).
 * Weights are normalised (log-sum-exp). xt: one point.
 */
export function reverseKernel(m: Mixture, alphaBarT: number, alphaBarS: number, xt: readonly [number, number]): Mixture {
  posteriorBetween(alphaBarT, alphaBarS); // checks 0 ≤ ᾱ_t < ᾱ_s ≤ 1
  const a = Math.sqrt(alphaBarT / alphaBarS), b = 1 - alphaBarT / alphaBarS, total = m.weights.reduce((u, v) => u + v, 0);
  const at = noiseMixture(m, alphaBarT), logs: number[] = [], means: [number, number][] = [], covs: [number, number, number][] = [];
  m.weights.forEach((w, k) => {
    const [sxx, sxy, syy] = m.covs[k], [mx, my] = m.means[k];
    const cxx = alphaBarS * sxx + 1 - alphaBarS, cxy = alphaBarS * sxy, cyy = alphaBarS * syy + 1 - alphaBarS;
    const [pxx, pxy, pyy] = at.covs[k], det = pxx * pyy - pxy * pxy;
    const ixx = pyy / det, ixy = -pxy / det, iyy = pxx / det; // S_k⁻¹
    const dx = xt[0] - at.means[k][0], dy = xt[1] - at.means[k][1];
    logs.push(Math.log(w / total) - Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * (ixx * dx * dx + 2 * ixy * dx * dy + iyy * dy * dy));
    // G = C·S⁻¹ (symmetric, as C and S commute); mean m + a·G·(x_t − a·m); cov b·G.
    const gxx = cxx * ixx + cxy * ixy, gxy = cxx * ixy + cxy * iyy, gyy = cxy * ixy + cyy * iyy;
    const sa = Math.sqrt(alphaBarS);
    means.push([sa * mx + a * (gxx * dx + gxy * dy), sa * my + a * (gxy * dx + gyy * dy)]);
    covs.push([b * gxx, b * gxy, b * gyy]);
  });
  const max = Math.max(...logs);
  const raw = logs.map((l) => Math.exp(l - max)), sum = raw.reduce((u, v) => u + v, 0);
  return {weights: raw.map((r) => r / sum), means, covs};
}

/** Mean and covariance of a 2D mixture: Σ w_k μ_k and Σ w_k (Σ_k + μ_k μ_kᵀ) − mean meanᵀ. */
export function mixtureMoments(m: Mixture): Gaussian2 {
  const total = m.weights.reduce((a, b) => a + b, 0);
  let mx = 0, my = 0, exx = 0, exy = 0, eyy = 0;
  m.weights.forEach((w0, k) => {
    const w = w0 / total, [x, y] = m.means[k], [sxx, sxy, syy] = m.covs[k];
    mx += w * x; my += w * y;
    exx += w * (sxx + x * x); exy += w * (sxy + x * y); eyy += w * (syy + y * y);
  });
  return {mean: [mx, my], cov: [exx - mx * mx, exy - mx * my, eyy - my * my]};
}

/** Sample mean and covariance (divisor n) of points [n, 2], the counterpart of mixtureMoments for a point set. */
export function sampleMoments(points: Float64Array): Gaussian2 {
  const n = points.length / 2;
  if (!(n >= 1) || points.length % 2) throw new RangeError("sampleMoments: points must be [n, 2] with n ≥ 1");
  let mx = 0, my = 0, xx = 0, xy = 0, yy = 0;
  for (let i = 0; i < n; ++i) { mx += points[2 * i] / n; my += points[2 * i + 1] / n; }
  for (let i = 0; i < n; ++i) {
    const dx = points[2 * i] - mx, dy = points[2 * i + 1] - my;
    xx += dx * dx / n; xy += dx * dy / n; yy += dy * dy / n;
  }
  return {mean: [mx, my], cov: [xx, xy, yy]};
}

/** The variance of a DDPM step: β = 1 − ᾱ_t/ᾱ_s, β̃ = (1−ᾱ_s)/(1−ᾱ_t)·β (Ho et al. 2020, §3.2), or a given value. */
export type StepVariance = "beta" | "betaTilde" | number;

/**
 * The Gaussian N(μ, σ²I) a DDPM sampler takes for the step t → s on the mixture's exact denoiser:
 * μ = meanFromEps(x_t, ε) with ε = −√(1−ᾱ_t)·∇log q_t(x_t) (Ho et al. 2020, eq. 11; equal to the
 * mean of `reverseKernel` at every stride), and σ² from `variance`.
 */
export function ddpmGaussian(m: Mixture, alphaBarT: number, alphaBarS: number, xt: readonly [number, number], variance: StepVariance): Gaussian2 {
  const eps = epsFromScore(score(noiseMixture(m, alphaBarT), xt[0], xt[1]), alphaBarT);
  const mean = meanFromEps(Float64Array.from(xt), eps, alphaBarT, alphaBarS);
  const v = variance === "beta" ? 1 - alphaBarT / alphaBarS : variance === "betaTilde" ? posteriorBetween(alphaBarT, alphaBarS).variance : variance;
  if (!(v > 0)) throw new RangeError(`ddpmGaussian: the step's variance must be positive, got ${v}`);
  return {mean: [mean[0], mean[1]], cov: [v, 0, v]};
}

/** log N(x; g) at many points ([n, 2]); returns [n]. */
function gaussianLogs(g: Gaussian2, points: Float64Array): Float64Array {
  const [sxx, sxy, syy] = g.cov, det = sxx * syy - sxy * sxy;
  if (!(sxx > 0 && det > 0)) throw new RangeError("gaussianLogs: covariance is not positive definite");
  const c = -Math.log(2 * Math.PI) - 0.5 * Math.log(det), out = new Float64Array(points.length / 2);
  for (let i = 0; i < out.length; ++i) {
    const dx = points[2 * i] - g.mean[0], dy = points[2 * i + 1] - g.mean[1];
    out[i] = c - (0.5 * (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy)) / det;
  }
  return out;
}

/**
 * KL(p ‖ g) = ∫ p·(log p − log g) for a mixture p and a Gaussian g, in nats. No closed form exists
 * for a mixture, so it is integrated by the midpoint rule on `quadratureNodes(p)` (deterministic;
 * relative error below 1e-4 for the site's mixtures, see quadratureNodes).
 */
export function klMixtureToGaussian(p: Mixture, g: Gaussian2, options?: QuadratureOptions): number {
  const {points, area} = quadratureNodes(p, options);
  const lp = logDensityAt(p, points), lg = gaussianLogs(g, points);
  let kl = 0;
  for (let i = 0; i < lp.length; ++i) if (lp[i] > -Infinity) kl += Math.exp(lp[i]) * (lp[i] - lg[i]);
  return Math.max(0, kl * area);
}

/**
 * KL(N(μ₁, Σ₁) ‖ N(μ₂, Σ₂)) = ½[tr(Σ₂⁻¹Σ₁) + (μ₂−μ₁)ᵀΣ₂⁻¹(μ₂−μ₁) − d + log(det Σ₂/det Σ₁)], d = 2
 * (Kullback 1959; Bishop 2006, PRML ex. 2.13 solution).
 */
export function klGaussians(g1: Gaussian2, g2: Gaussian2): number {
  const [axx, axy, ayy] = g1.cov, [bxx, bxy, byy] = g2.cov;
  const d1 = axx * ayy - axy * axy, d2 = bxx * byy - bxy * bxy;
  const ixx = byy / d2, ixy = -bxy / d2, iyy = bxx / d2;
  const dx = g2.mean[0] - g1.mean[0], dy = g2.mean[1] - g1.mean[1];
  const trace = ixx * axx + 2 * ixy * axy + iyy * ayy;
  return 0.5 * (trace + ixx * dx * dx + 2 * ixy * dx * dy + iyy * dy * dy - 2 + Math.log(d2 / d1));
}

/** One reverse step of a sampler taking `steps` equal strides of a T-step schedule, from timestep t. */
export interface Stride {
  t: number;
  /** The timestep it lands on; −1 is the clean data. */
  s: number;
  alphaBarT: number;
  alphaBarS: number;
}

/**
 * The step from timestep t (0…T−1) of a sampler that covers the schedule in `steps` strides of T/steps:
 * s = t − round(T/steps), or −1 (clean data) when that falls below 0. steps = T is the one-step
 * chain of Ho et al.; smaller counts are the coarse steps of a fast sampler.
 */
export function strideFrom(schedule: Schedule, t: number, steps: number): Stride {
  if (!Number.isInteger(t) || t < 0 || t >= schedule.T) throw new RangeError(`strideFrom: t must be an integer in [0, ${schedule.T - 1}], got ${t}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > schedule.T) throw new RangeError(`strideFrom: steps must be an integer in [1, ${schedule.T}], got ${steps}`);
  const s = Math.max(-1, t - Math.round(schedule.T / steps));
  return {t, s, alphaBarT: alphaBarAfter(schedule, t + 1), alphaBarS: alphaBarAfter(schedule, s + 1)};
}

/** Everything a page shows of one reverse step t → s at a point x_t. */
export interface ReverseStep extends Stride {
  /** The exact q(x_s | x_t) (a mixture) and its mean and covariance. */
  exact: Mixture;
  moments: Gaussian2;
  /** DDPM's Gaussians for the step, with σ² = β̃ and σ² = β. */
  betaTilde: Gaussian2;
  beta: Gaussian2;
  /** KL(exact ‖ DDPM) for each, and KL(exact ‖ moments): what no Gaussian can remove. */
  klBetaTilde: number;
  klBeta: number;
  klBest: number;
  /** A square window around the step: the mean ± 3.5 of the widest standard deviation in sight. */
  center: [number, number];
  half: number;
}

/**
 * The exact reverse step of `strideFrom(schedule, t, steps)` at x_t beside DDPM's two Gaussians, with
 * their KL divergences. For any Gaussian g, KL(exact ‖ g) = KL(exact ‖ moments) + KL(moments ‖ g):
 * log(moments/g) is quadratic in x, and a quadratic has the same expectation under the exact step as
 * under the Gaussian with its mean and covariance. So KL(exact ‖ moments) is the part no Gaussian
 * removes (the step's shape), the rest a better σ² could. The step to clean data (s = −1) has β̃ = 0
 * and is left out: `steps` must keep s ≥ 0.
 */
export function reverseStep(m: Mixture, schedule: Schedule, t: number, steps: number, xt: readonly [number, number]): ReverseStep {
  const stride = strideFrom(schedule, t, steps);
  if (stride.s < 0) throw new RangeError(`reverseStep: from t = ${t}, ${steps} steps jump to clean data, where DDPM's β̃ is 0`);
  const {alphaBarT, alphaBarS} = stride;
  const exact = reverseKernel(m, alphaBarT, alphaBarS, xt), moments = mixtureMoments(exact);
  const betaTilde = ddpmGaussian(m, alphaBarT, alphaBarS, xt, "betaTilde"), beta = ddpmGaussian(m, alphaBarT, alphaBarS, xt, "beta");
  const spread = Math.sqrt(Math.max(moments.cov[0], moments.cov[2], beta.cov[0]));
  return {
    ...stride, exact, moments, betaTilde, beta,
    klBetaTilde: klMixtureToGaussian(exact, betaTilde), klBeta: klMixtureToGaussian(exact, beta), klBest: klMixtureToGaussian(exact, moments),
    center: [moments.mean[0], moments.mean[1]], half: 3.5 * spread,
  };
}
