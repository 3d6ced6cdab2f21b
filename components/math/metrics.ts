// Distances between two point clouds, for "how close are the samples to the data?" charts.
// Point sets are flat Float64Arrays of n points of dimension d, interleaved row-major.
import {normalFrom, rngFromSeed} from "./random.js";
import type {Points, Rng} from "./types.js";

function count(points: Points, d: number, fn: string): number {
  if (!Number.isInteger(d) || d < 1 || points.length % d !== 0) throw new RangeError(`${fn}: length ${points.length} is not a multiple of d = ${d}`);
  return points.length / d;
}

/**
 * Exact W_p^p between the empirical measures of two sorted 1D samples of sizes n and m (uniform weights):
 * ∫₀¹ |F⁻¹(q) − G⁻¹(q)|^p dq, integrating the two quantile step functions piece by piece, so unequal
 * sizes need no resampling. Breakpoints i/n and j/m are compared in integers to avoid round-off.
 */
function wassersteinPow1D(xa: Float64Array, xb: Float64Array, p: number): number {
  const n = xa.length, m = xb.length;
  if (n === m) {
    let s = 0;
    for (let i = 0; i < n; ++i) s += Math.abs(xa[i] - xb[i]) ** p;
    return s / n;
  }
  let i = 0, j = 0, at = 0, s = 0; // `at` is the current quantile times n·m
  while (i < n && j < m) {
    const nextA = (i + 1) * m, nextB = (j + 1) * n, next = Math.min(nextA, nextB);
    s += (next - at) * Math.abs(xa[i] - xb[j]) ** p;
    at = next;
    if (nextA === next) ++i;
    if (nextB === next) ++j;
  }
  return s / (n * m);
}

/** Options for `slicedWasserstein`. */
export interface SlicedWassersteinOptions {
  /** Number of random directions (default 128). */
  projections?: number;
  /** Source of the random directions. */
  rng: Rng;
  /** Order p ∈ {1, 2} (default 2). */
  p?: 1 | 2;
}

/**
 * Sliced Wasserstein distance SW_p(a, b) = (E_θ W_p^p(θ·a, θ·b))^{1/p} (Rabin, Peyré, Delon & Bernot 2011;
 * Bonneel, Rabin, Peyré & Pfister 2015, eq. 5), the expectation over θ uniform on the unit sphere
 * estimated with `projections` random directions (normalised Gaussian vectors). Each 1D W_p is exact
 * between the two empirical measures, matching quantile functions, so a and b may differ in size.
 * For a pure shift b = a + δ: SW_1 = |δ|·E|cos∠(θ, δ)| (= 2|δ|/π in 2D), SW_2 = |δ|/√d.
 * a: [n, d], b: [m, d], n, m ≥ 1.
 */
export function slicedWasserstein(a: Points, b: Points, d: number, {projections = 128, rng, p = 2}: SlicedWassersteinOptions): number {
  const n = count(a, d, "slicedWasserstein"), m = count(b, d, "slicedWasserstein");
  if (n === 0 || m === 0) throw new RangeError("slicedWasserstein: both point sets must be non-empty");
  if (!Number.isInteger(projections) || projections < 1) throw new RangeError("slicedWasserstein: projections must be a positive integer");
  const normal = normalFrom(rng), theta = new Float64Array(d), pa = new Float64Array(n), pb = new Float64Array(m);
  let total = 0;
  for (let k = 0; k < projections; ++k) {
    let norm = 0;
    do {
      norm = 0;
      for (let c = 0; c < d; ++c) norm += (theta[c] = normal()) ** 2;
    } while (norm === 0);
    norm = Math.sqrt(norm);
    for (let c = 0; c < d; ++c) theta[c] /= norm;
    for (let i = 0; i < n; ++i) {
      let s = 0;
      for (let c = 0; c < d; ++c) s += theta[c] * a[i * d + c];
      pa[i] = s;
    }
    for (let i = 0; i < m; ++i) {
      let s = 0;
      for (let c = 0; c < d; ++c) s += theta[c] * b[i * d + c];
      pb[i] = s;
    }
    total += wassersteinPow1D(pa.sort(), pb.sort(), p);
  }
  return (total / projections) ** (1 / p);
}

/** The fixed choices of `qualityYardstick`: every time-to-quality figure is measured with these. */
export const YARDSTICK = {
  /** Points per draw: samples, held-out points and each side of a reference pair. */
  n: 2000,
  /** Quality is reached at SW₂(samples, held-out) ≤ factor × reference. */
  factor: 1.5,
  /** Random directions of the sliced Wasserstein distance, the same ones on every call (drawn from directionSeed). */
  projections: 128,
  directionSeed: 12345,
  /** Pairs of independent data draws averaged for the reference: one pair's SW varies ~2× with how the modes' counts fall. */
  pairs: 5,
  /** Pair k is drawn from seeds pairSeed + 2k and pairSeed + 2k + 1. */
  pairSeed: 1000,
  /** Seed of the held-out points that samples are compared with. */
  heldSeed: 777,
} as const;

/** How far samples are from a data set, and how far is good enough: see `qualityYardstick`. */
export interface QualityYardstick {
  /** SW₂ between two independent draws of n data points (mean of YARDSTICK.pairs pairs): what a perfect model scores. */
  reference: number;
  /** factor × reference: samples at most this far from the held-out points count as "quality reached". */
  threshold: number;
  /** n held-out data points [n, d], drawn from YARDSTICK.heldSeed. */
  held: Points;
  /** SW₂(samples, held) with YARDSTICK's fixed directions. samples: [m, d]. */
  distance(samples: Points): number;
}

/**
 * The time-to-quality yardstick: a model has reached quality when SW₂ (slicedWasserstein, p = 2)
 * from its samples to n held-out data points, averaged over SCORE_DRAWS draws of samples
 * (qualityScore in math/quality-score.ts), is within `factor` × the SW₂ between two independent
 * n-point draws of the data (averaged over `pairs` pairs). Every seed is fixed and n and factor default to YARDSTICK's, so
 * scripts/ttq.ts and every bench section measure the same thing. draw(n, rng): n points [n, d] of
 * the data from rng.
 */
export function qualityYardstick(draw: (n: number, rng: Rng) => Points, {n = YARDSTICK.n, d = 2, factor = YARDSTICK.factor} = {}): QualityYardstick {
  const {projections, directionSeed, pairs, pairSeed, heldSeed} = YARDSTICK;
  const sw = (a: Points, b: Points) => slicedWasserstein(a, b, d, {projections, rng: rngFromSeed(directionSeed)});
  let reference = 0;
  for (let k = 0; k < pairs; ++k) reference += sw(draw(n, rngFromSeed(pairSeed + 2 * k)), draw(n, rngFromSeed(pairSeed + 2 * k + 1))) / pairs;
  const held = draw(n, rngFromSeed(heldSeed));
  return {reference, threshold: factor * reference, held, distance: (samples) => sw(samples, held)};
}

/** Largest number of points `medianBandwidth` looks at; beyond it, an evenly strided subset. */
const MEDIAN_MAX_POINTS = 1000;

/**
 * The median heuristic bandwidth: the median Euclidean distance between distinct points of `points`
 * (Gretton, Borgwardt, Rasch, Schölkopf & Smola 2012, §8). Above 1000 points it uses an evenly
 * strided subset of 1000, so it is deterministic and costs at most ~5e5 distances.
 * points: [n, d], n ≥ 2.
 */
export function medianBandwidth(points: Points, d: number): number {
  const n = count(points, d, "medianBandwidth");
  if (n < 2) throw new RangeError("medianBandwidth: needs at least 2 points");
  const use = Math.min(n, MEDIAN_MAX_POINTS), idx = (i: number) => Math.floor((i * n) / use);
  const dist = new Float64Array((use * (use - 1)) / 2);
  let k = 0;
  for (let i = 0; i < use; ++i) {
    for (let j = i + 1; j < use; ++j) {
      let s = 0;
      for (let c = 0; c < d; ++c) s += (points[idx(i) * d + c] - points[idx(j) * d + c]) ** 2;
      dist[k++] = Math.sqrt(s);
    }
  }
  dist.sort();
  const mid = dist.length >> 1;
  return dist.length % 2 ? dist[mid] : 0.5 * (dist[mid - 1] + dist[mid]);
}

/**
 * Unbiased squared maximum mean discrepancy MMD²_u (Gretton et al. 2012, eq. 3) with the Gaussian
 * kernel k(x, y) = exp(−|x − y|²/(2h²)):
 *   MMD²_u = Σ_{i≠i'} k(a_i, a_i')/(n(n−1)) + Σ_{j≠j'} k(b_j, b_j')/(m(m−1)) − 2 Σ_{i,j} k(a_i, b_j)/(nm).
 * Unbiased, so it fluctuates around 0 (and can be slightly negative) when a and b share a law.
 * bandwidth h defaults to `medianBandwidth` of the pooled points; pass a fixed h when comparing
 * values across a chart, or each value is measured with a different kernel.
 * Cost O((n + m)²·d). a: [n, d], b: [m, d], n, m ≥ 2.
 */
export function mmdRbf(a: Points, b: Points, d: number, {bandwidth}: {bandwidth?: number} = {}): number {
  const n = count(a, d, "mmdRbf"), m = count(b, d, "mmdRbf");
  if (n < 2 || m < 2) throw new RangeError("mmdRbf: each point set needs at least 2 points");
  const pooled = new Float64Array(a.length + b.length);
  pooled.set(a);
  pooled.set(b, a.length);
  const h = bandwidth ?? medianBandwidth(pooled, d);
  if (!(h > 0)) throw new RangeError(`mmdRbf: bandwidth must be positive, got ${h}`);
  const gamma = -1 / (2 * h * h);
  const aa = kernelSum(a, n, a, n, d, gamma, true), bb = kernelSum(b, m, b, m, d, gamma, true);
  const ab = kernelSum(a, n, b, m, d, gamma, false);
  return aa / (n * (n - 1)) + bb / (m * (m - 1)) - (2 * ab) / (n * m);
}

/** Σ_{i,j} exp(γ|x_i − y_j|²), over i ≠ j when `same` (x = y); the hot loop of mmdRbf. */
function kernelSum(x: Points, nx: number, y: Points, ny: number, d: number, gamma: number, same: boolean): number {
  let s = 0;
  if (d === 2) {
    // The common case, unrolled: about 3× faster than the generic loop in V8.
    for (let i = 0; i < nx; ++i) {
      const xi = x[2 * i], yi = x[2 * i + 1];
      for (let j = same ? i + 1 : 0; j < ny; ++j) {
        const dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
        s += Math.exp(gamma * (dx * dx + dy * dy));
      }
    }
  } else {
    for (let i = 0; i < nx; ++i) {
      for (let j = same ? i + 1 : 0; j < ny; ++j) {
        let r = 0;
        for (let c = 0; c < d; ++c) {
          const diff = x[i * d + c] - y[j * d + c];
          r += diff * diff;
        }
        s += Math.exp(gamma * r);
      }
    }
  }
  return same ? 2 * s : s; // each off-diagonal pair was visited once; the double sum counts it twice
}
