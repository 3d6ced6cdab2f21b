// Gaussian mixtures: the one family whose noised marginals q_t, scores ∇log q_t and denoisers
// E[x0 | x_t] are all exact, so the pages can show the ground truth a network is trying to learn.
import {MIXTURES_1D, RING, UNIFORM_1D, type Dataset1DName} from "./datasets.js";
import {normalFrom} from "./random.js";
import {alphaBarAt, type Schedule} from "./schedules.js";
import type {Denoiser, Points, Rng} from "./types.js";

/**
 * p(x) = Σ_k w_k N(x; μ_k, Σ_k) in 2D. Weights need not sum to 1 (they are normalised);
 * covs are [σxx, σxy, σyy] and must be positive definite.
 */
export interface Mixture {
  weights: number[];
  means: [number, number][];
  covs: [number, number, number][];
}

/** p(x) = Σ_k w_k N(x; μ_k, v_k) in 1D (v_k variances). */
export interface Mixture1D {
  weights: number[];
  means: number[];
  vars: number[];
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Per-component constants: log weight + Gaussian normaliser, and the precision matrix Σ⁻¹. */
interface Prepared {
  K: number;
  logC: Float64Array;
  mx: Float64Array;
  my: Float64Array;
  pxx: Float64Array;
  pxy: Float64Array;
  pyy: Float64Array;
}

function prepare(m: Mixture): Prepared {
  const K = m.weights.length;
  if (K === 0 || m.means.length !== K || m.covs.length !== K) {
    throw new RangeError("mixture: weights, means and covs must be non-empty and of equal length");
  }
  const total = m.weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || m.weights.some((w) => !(w >= 0))) throw new RangeError("mixture: weights must be ≥ 0 with a positive sum");
  const p: Prepared = {K, logC: new Float64Array(K), mx: new Float64Array(K), my: new Float64Array(K),
    pxx: new Float64Array(K), pxy: new Float64Array(K), pyy: new Float64Array(K)};
  for (let k = 0; k < K; ++k) {
    const [sxx, sxy, syy] = m.covs[k], det = sxx * syy - sxy * sxy;
    if (!(sxx > 0 && det > 0)) throw new RangeError(`mixture: cov ${k} is not positive definite`);
    p.logC[k] = Math.log(m.weights[k] / total) - LOG_2PI - 0.5 * Math.log(det);
    [p.mx[k], p.my[k]] = m.means[k];
    p.pxx[k] = syy / det;
    p.pxy[k] = -sxy / det;
    p.pyy[k] = sxx / det;
  }
  return p;
}

/** log w_k N(x; μ_k, Σ_k) for every k into `l`; returns their log-sum-exp, log p(x). */
function componentLogs(p: Prepared, x: number, y: number, l: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < p.K; ++k) {
    const dx = x - p.mx[k], dy = y - p.my[k];
    l[k] = p.logC[k] - 0.5 * (p.pxx[k] * dx * dx + 2 * p.pxy[k] * dx * dy + p.pyy[k] * dy * dy);
    if (l[k] > max) max = l[k];
  }
  if (max === -Infinity) return max;
  let sum = 0;
  for (let k = 0; k < p.K; ++k) sum += Math.exp(l[k] - max);
  return max + Math.log(sum);
}

/** Writes ∇log p at (x, y) into out[i], out[i+1]; `l` is scratch of length K. */
function scoreInto(p: Prepared, x: number, y: number, l: Float64Array, out: Float64Array, i: number): void {
  const logp = componentLogs(p, x, y, l);
  let gx = 0, gy = 0;
  for (let k = 0; k < p.K; ++k) {
    // Responsibilities r_k = exp(l_k − log p) never overflow: l_k ≤ log p.
    const r = Math.exp(l[k] - logp), dx = x - p.mx[k], dy = y - p.my[k];
    gx -= r * (p.pxx[k] * dx + p.pxy[k] * dy);
    gy -= r * (p.pxy[k] * dx + p.pyy[k] * dy);
  }
  out[i] = gx;
  out[i + 1] = gy;
}

/**
 * n draws from the mixture: a component k with probability w_k, then μ_k + L_k z with
 * L_k L_kᵀ = Σ_k (Cholesky) and z ~ N(0, I). Returns Points [n, 2].
 */
export function sampleMixture(m: Mixture, n: number, rng: Rng): Points {
  prepare(m);
  const total = m.weights.reduce((a, b) => a + b, 0), normal = normalFrom(rng);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; ++i) {
    let u = rng() * total, k = 0;
    while (k < m.weights.length - 1 && u >= m.weights[k]) u -= m.weights[k++];
    const [sxx, sxy, syy] = m.covs[k], a = Math.sqrt(sxx), b = sxy / a, c = Math.sqrt(syy - b * b);
    const z1 = normal(), z2 = normal();
    out[2 * i] = m.means[k][0] + a * z1;
    out[2 * i + 1] = m.means[k][1] + b * z1 + c * z2;
  }
  return out;
}

/**
 * The law q_t of x_t = √ᾱ·x0 + √(1−ᾱ)·ε when x0 follows the mixture: again a mixture, with the same
 * weights, means √ᾱ·μ_k and covariances ᾱ·Σ_k + (1−ᾱ)·I (a Gaussian convolved with a Gaussian).
 */
export function noiseMixture(m: Mixture, alphaBar: number): Mixture {
  const a = Math.sqrt(alphaBar), v = 1 - alphaBar;
  return {
    weights: m.weights.slice(),
    means: m.means.map(([x, y]) => [a * x, a * y]),
    covs: m.covs.map(([sxx, sxy, syy]) => [alphaBar * sxx + v, alphaBar * sxy, alphaBar * syy + v]),
  };
}

/** log p(x, y) = log Σ_k w_k N((x, y); μ_k, Σ_k), by log-sum-exp. */
export function logDensity(m: Mixture, x: number, y: number): number {
  const p = prepare(m);
  return componentLogs(p, x, y, new Float64Array(p.K));
}

/** log p at many points, each by log-sum-exp (as `logDensity`). points: [n, 2]; returns [n]. */
export function logDensityAt(m: Mixture, points: Points, out = new Float64Array(points.length / 2)): Float64Array {
  if (points.length % 2 !== 0 || out.length !== points.length / 2) throw new RangeError("logDensityAt: points must be [n, 2] and out [n]");
  const p = prepare(m), l = new Float64Array(p.K);
  for (let i = 0; i < out.length; ++i) out[i] = componentLogs(p, points[2 * i], points[2 * i + 1], l);
  return out;
}

/**
 * ∇log p(x, y) = −Σ_k r_k(x)·Σ_k⁻¹(x − μ_k), with responsibilities r_k = w_k N_k(x)/p(x)
 * computed by log-sum-exp, so it stays finite far from every component. out: length 2.
 */
export function score(m: Mixture, x: number, y: number, out = new Float64Array(2)): Float64Array {
  const p = prepare(m);
  scoreInto(p, x, y, new Float64Array(p.K), out, 0);
  return out;
}

/** ∇log p at many points. points, out: [n, 2] interleaved; out may alias points. */
export function scoreAt(m: Mixture, points: Points, out = new Float64Array(points.length)): Float64Array {
  if (points.length % 2 !== 0 || out.length !== points.length) throw new RangeError("scoreAt: points and out must be [n, 2]");
  const p = prepare(m), l = new Float64Array(p.K);
  for (let i = 0; i < points.length; i += 2) scoreInto(p, points[i], points[i + 1], l, out, i);
  return out;
}

/**
 * Tweedie's formula: E[x0 | x_t] = (x_t + (1−ᾱ)·∇log q_t(x_t))/√ᾱ, exact for the mixture's q_t
 * (Robbins 1956; Efron 2011, "Tweedie's formula and selection bias", eq. 1.4, with x_t/√ᾱ as the
 * observation). xt, out: [n, 2]; out may alias xt. Needs ᾱ > 0 (at ᾱ = 0, x_t says nothing of x0).
 */
export function tweedie(m: Mixture, alphaBar: number, xt: Points, out = new Float64Array(xt.length)): Float64Array {
  if (!(alphaBar > 0 && alphaBar <= 1)) throw new RangeError(`tweedie: alphaBar must be in (0, 1], got ${alphaBar}`);
  const s = scoreAt(noiseMixture(m, alphaBar), xt, new Float64Array(xt.length));
  const v = 1 - alphaBar, k = 1 / Math.sqrt(alphaBar);
  for (let i = 0; i < xt.length; ++i) out[i] = (xt[i] + v * s[i]) * k;
  return out;
}

/**
 * ε = −√(1−ᾱ)·∇log q_t(x_t): the noise prediction that minimises the DDPM loss, written through the
 * score (Song et al. 2021, "Score-Based Generative Modeling through SDEs", §3 and App. B; Ho et al. 2020, eq. 11).
 * score, out: same length; out may alias score.
 */
export function epsFromScore(score: Float64Array, alphaBar: number, out = new Float64Array(score.length)): Float64Array {
  const k = -Math.sqrt(1 - alphaBar);
  for (let i = 0; i < score.length; ++i) out[i] = k * score[i];
  return out;
}

/** ∇log q_t(x_t) = −ε/√(1−ᾱ), the inverse of `epsFromScore`; needs ᾱ < 1. eps, out: same length. */
export function scoreFromEps(eps: Float64Array, alphaBar: number, out = new Float64Array(eps.length)): Float64Array {
  if (!(alphaBar < 1)) throw new RangeError("scoreFromEps: alphaBar must be < 1");
  const k = -1 / Math.sqrt(1 - alphaBar);
  for (let i = 0; i < eps.length; ++i) out[i] = k * eps[i];
  return out;
}

/** [σxx, σxy, σyy] of R(angle)·diag(sMajor², sMinor²)·R(angle)ᵀ: an ellipse with the given axes. */
export function covFromAxes(sMajor: number, sMinor: number, angle: number): [number, number, number] {
  const c = Math.cos(angle), s = Math.sin(angle), a = sMajor * sMajor, b = sMinor * sMinor;
  return [a * c * c + b * s * s, (a - b) * c * s, a * s * s + b * c * c];
}

/** The ready-made mixtures in MIXTURES. */
export type MixtureName = "ring" | "two-modes" | "anisotropic";

/**
 * Ready-made mixtures, in display order.
 * ring: the 8-Gaussian data set exactly (RING from datasets.ts: radius √1.98, std 0.1, weights 1/8).
 * two-modes: weights 0.8/0.2 at (∓1.2, 0), std 0.3 — modes 8 std apart, so plain Langevin started
 *   from a broad cloud keeps the starting split instead of 80/20.
 * anisotropic: three elongated components with different orientations and weights.
 */
export const MIXTURES: readonly {name: MixtureName; label: string; mixture: Mixture}[] = [
  {
    name: "ring",
    label: "8 Gaussians",
    mixture: {
      weights: new Array(RING.count).fill(1 / RING.count),
      means: Array.from({length: RING.count}, (_, k): [number, number] => {
        const a = (2 * Math.PI * k) / RING.count;
        return [RING.radius * Math.cos(a), RING.radius * Math.sin(a)];
      }),
      covs: new Array(RING.count).fill(null).map((): [number, number, number] => [RING.std ** 2, 0, RING.std ** 2]),
    },
  },
  {
    name: "two-modes",
    label: "Two modes, 80/20",
    mixture: {weights: [0.8, 0.2], means: [[-1.2, 0], [1.2, 0]], covs: [[0.09, 0, 0.09], [0.09, 0, 0.09]]},
  },
  {
    name: "anisotropic",
    label: "Anisotropic",
    mixture: {
      weights: [0.45, 0.35, 0.2],
      means: [[-1, -0.6], [1, -0.4], [0, 1.1]],
      covs: [covFromAxes(0.5, 0.12, Math.PI / 6), covFromAxes(0.45, 0.1, -Math.PI / 3), covFromAxes(0.6, 0.15, 0)],
    },
  },
];

/** The ready-made mixture called `name`. */
export function mixtureByName(name: MixtureName): Mixture {
  const found = MIXTURES.find((m) => m.name === name);
  if (!found) throw new RangeError(`mixtureByName: unknown mixture ${String(name)}`);
  return found.mixture;
}

/**
 * The exact density of x_t = √ᾱ·x0 + √(1−ᾱ)·ε for a 1D mixture x0:
 * q_t(x) = Σ_k w_k N(x; √ᾱ·μ_k, ᾱ·v_k + 1 − ᾱ). Weights are normalised.
 */
export function density1D(m: Mixture1D, alphaBar: number, x: number): number {
  let total = 0, sum = 0;
  for (let k = 0; k < m.weights.length; ++k) {
    const v = alphaBar * m.vars[k] + 1 - alphaBar, d = x - Math.sqrt(alphaBar) * m.means[k];
    sum += m.weights[k] * Math.exp((-0.5 * d * d) / v) / Math.sqrt(2 * Math.PI * v);
    total += m.weights[k];
  }
  return sum / total;
}

/**
 * erfc(z) with fractional error < 1.2e-7 for all z: the Chebyshev-fitted exponential of
 * Press et al., Numerical Recipes (2nd ed., 1992), §6.2.
 */
function erfc(z: number): number {
  const a = Math.abs(z), t = 1 / (1 + 0.5 * a);
  const r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? r : 2 - r;
}

/** Φ(u) − Φ(v) for u ≥ v, through the tail on the side away from 0 so neither tail cancels. */
function normalMass(u: number, v: number): number {
  const s = Math.SQRT1_2;
  if (v >= 0) return 0.5 * (erfc(v * s) - erfc(u * s));
  if (u <= 0) return 0.5 * (erfc(-u * s) - erfc(-v * s));
  return 1 - 0.5 * erfc(u * s) - 0.5 * erfc(-v * s);
}

/**
 * The exact noised density q_t(x) of each 1D data set in datasets.ts, for the forward page's
 * space–time heatmap. Mixtures use `density1D`. For x0 ~ U[a, b]:
 *   q_t(x) = [Φ((x − √ᾱ a)/s) − Φ((x − √ᾱ b)/s)] / (√ᾱ (b − a)),  s = √(1−ᾱ);
 * when the scaled interval √ᾱ(b − a) is narrower than s (always as ᾱ → 0, where the ratio above is
 * 0/0 and a difference of nearly equal Φ's) it instead averages N(x; √ᾱ y, s²) over y ∈ [a, b] by
 * Simpson's rule on 32 panels (relative error < 1e-6 out to 5 s from the interval). At ᾱ = 1 it is
 * the uniform density itself. Elsewhere the error is that of erfc above (~1e-7 relative).
 */
export function marginal1D(name: Dataset1DName, alphaBar: number, x: number): number {
  if (name !== "uniform") {
    const m = MIXTURES_1D[name];
    if (!m) throw new RangeError(`marginal1D: unknown data set ${String(name)}`);
    return density1D(m, alphaBar, x);
  }
  const {low, high} = UNIFORM_1D, a = Math.sqrt(alphaBar), s = Math.sqrt(1 - alphaBar), width = a * (high - low);
  if (s === 0) return x >= low && x <= high ? 1 / (high - low) : 0;
  if (width > s) return normalMass((x - a * low) / s, (x - a * high) / s) / width;
  const panels = 32, h = (high - low) / panels;
  let sum = 0;
  for (let i = 0; i <= panels; ++i) {
    const d = (x - a * (low + i * h)) / s;
    sum += (i === 0 || i === panels ? 1 : i % 2 ? 4 : 2) * Math.exp(-0.5 * d * d);
  }
  return (sum * h) / 3 / (high - low) / (s * Math.sqrt(2 * Math.PI));
}

/**
 * The exact ε-predictor of a mixture under `schedule`: at fractional t, ᾱ = alphaBarAt(schedule, t),
 * ε̂(x_t, t) = −√(1−ᾱ)·∇log q_t(x_t) with q_t = noiseMixture(m, ᾱ). Implements Denoiser (d = 2),
 * so every sampler can run on the ground truth.
 */
export function exactDenoiser(m: Mixture, schedule: Schedule): Denoiser {
  prepare(m);
  return {
    d: 2,
    async eps(xt: Float64Array, t: number): Promise<Float64Array> {
      const alphaBar = alphaBarAt(schedule, t);
      return epsFromScore(scoreAt(noiseMixture(m, alphaBar), xt), alphaBar);
    },
  };
}
