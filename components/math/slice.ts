// The exact answer to inpainting a 2D mixture: fix one coordinate, and the other follows a 1D
// mixture in closed form (each component's Gaussian conditional, reweighted by how well it explains
// the fixed value).
import {density1D, erfc, type Mixture, type Mixture1D} from "./mixture.js";
import {normalFrom} from "./random.js";
import type {Rng} from "./types.js";

/**
 * p(x_other | x_dim = value) for a 2D mixture, itself a 1D mixture. Component k's Gaussian conditional
 * (e.g. Bishop 2006, PRML §2.3.1, eq. 2.81–2.82), for dim = 0 and other = 1:
 *   mean μ_k2 + Σ_k12/Σ_k11·(value − μ_k1),  variance Σ_k22 − Σ_k12²/Σ_k11,
 * with weight ∝ w_k·N(value; μ_k1, Σ_k11) (normalised in log space, so a value far from every
 * component still gives finite weights). dim: the fixed coordinate, 0 (x₁) or 1 (x₂).
 */
export function sliceMixture(m: Mixture, dim: 0 | 1, value: number): Mixture1D {
  if (dim !== 0 && dim !== 1) throw new RangeError(`sliceMixture: dim must be 0 or 1, got ${dim}`);
  if (!Number.isFinite(value)) throw new RangeError(`sliceMixture: value must be finite, got ${value}`);
  const o = 1 - dim, total = m.weights.reduce((a, b) => a + b, 0);
  const logs = m.weights.map((w, k) => {
    const s = m.covs[k][dim === 0 ? 0 : 2], d = value - m.means[k][dim];
    return Math.log(w / total) - 0.5 * Math.log(2 * Math.PI * s) - (0.5 * d * d) / s;
  });
  const max = Math.max(...logs), weights = logs.map((l) => Math.exp(l - max)), sum = weights.reduce((a, b) => a + b, 0);
  return {
    weights: weights.map((w) => w / sum),
    means: m.means.map((mu, k) => mu[o] + (m.covs[k][1] / m.covs[k][dim === 0 ? 0 : 2]) * (value - mu[dim])),
    vars: m.covs.map(([sxx, sxy, syy]) => (dim === 0 ? syy - (sxy * sxy) / sxx : sxx - (sxy * sxy) / syy)),
  };
}

/** n draws from a 1D mixture: a component with probability ∝ weight, then its Gaussian. Returns [n]. */
export function sampleMixture1D(m: Mixture1D, n: number, rng: Rng): Float64Array {
  const total = m.weights.reduce((a, b) => a + b, 0), normal = normalFrom(rng), out = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    let u = rng() * total, k = 0;
    while (k < m.weights.length - 1 && u >= m.weights[k]) u -= m.weights[k++];
    out[i] = m.means[k] + Math.sqrt(m.vars[k]) * normal();
  }
  return out;
}

/**
 * W₁ between a sample and a 1D mixture: ∫|F̂(x) − F(x)| dx, the empirical CDF against the exact one,
 * integrated by the trapezoid rule on `points` nodes spanning the sample and the mixture's mass (±6 std of
 * every component), error well below the sampling noise (√(1/n)-sized) for the sizes used here. samples: [n].
 */
export function wasserstein1ToMixture(samples: Float64Array, m: Mixture1D, points = 4000): number {
  if (!samples.length) throw new RangeError("wasserstein1ToMixture: no samples");
  const sorted = Float64Array.from(samples).sort(), total = m.weights.reduce((a, b) => a + b, 0);
  let lo = sorted[0], hi = sorted[sorted.length - 1];
  m.means.forEach((mu, k) => {
    if (m.weights[k] > 0) {
      lo = Math.min(lo, mu - 6 * Math.sqrt(m.vars[k]));
      hi = Math.max(hi, mu + 6 * Math.sqrt(m.vars[k]));
    }
  });
  const h = (hi - lo) / (points - 1);
  let j = 0, sum = 0, prev = 0;
  for (let i = 0; i < points; ++i) {
    const x = lo + i * h;
    while (j < sorted.length && sorted[j] <= x) ++j;
    let F = 0;
    for (let k = 0; k < m.weights.length; ++k) F += (m.weights[k] / total) * normalCdf((x - m.means[k]) / Math.sqrt(m.vars[k]));
    const gap = Math.abs(j / sorted.length - F);
    if (i > 0) sum += 0.5 * (gap + prev) * h;
    prev = gap;
  }
  return sum;
}

/** Φ(z) = erfc(−z/√2)/2, the standard normal CDF (relative error of erfc < 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/**
 * The log-density level of a 1D mixture's highest-density region holding `mass`: the (1 − mass)-quantile
 * of log p(x) over n draws x ~ p (Monte Carlo, as class-metrics' hdrLevel in 2D).
 */
export function hdrLevel1D(m: Mixture1D, mass: number, rng: Rng, n = 20_000): number {
  if (!(mass > 0 && mass < 1)) throw new RangeError(`hdrLevel1D: mass must be in (0, 1), got ${mass}`);
  const logs = sampleMixture1D(m, n, rng).map((x) => Math.log(density1D(m, 1, x))).sort();
  return logs[Math.floor((1 - mass) * n)];
}

/** Fraction of the values [n] where log p(x) under the 1D mixture is below `level` (outside hdrLevel1D's region). */
export function fractionBelow1D(m: Mixture1D, x: Float64Array, level: number): number {
  let k = 0;
  for (const v of x) if (!(Math.log(density1D(m, 1, v)) >= level)) ++k;
  return x.length ? k / x.length : 0;
}
