// Principal component analysis of a small set of vectors (the autoencoder's latents), for a 2D
// view of the latent space and a grid decoded along its two main directions. Power iteration on
// the covariance with deflation (Golub & Van Loan, Matrix Computations, §8.2): the top few axes of
// a 64-dimensional set need no more.
import type {Rng} from "./types.js";

export interface Principal {
  /** Mean of the vectors, [d]. */
  mean: Float64Array;
  /** Unit principal axes, largest variance first, each [d]. */
  axes: Float64Array[];
  /** Standard deviation of the data along each axis. */
  sd: number[];
}

/** The top `k` principal axes of n vectors x [n, d], from `iterations` power iterations each. */
export function principalAxes(x: ArrayLike<number>, d: number, k: number, rng: Rng, iterations = 200): Principal {
  const n = Math.floor(x.length / d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; ++i) for (let j = 0; j < d; ++j) mean[j] += x[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; ++i) {
    for (let a = 0; a < d; ++a) {
      const u = x[i * d + a] - mean[a];
      for (let b = 0; b < d; ++b) cov[a * d + b] += (u * (x[i * d + b] - mean[b])) / n;
    }
  }
  const axes: Float64Array[] = [], sd: number[] = [];
  for (let c = 0; c < k; ++c) {
    let v = Float64Array.from({length: d}, () => rng() - 0.5);
    let lambda = 0;
    for (let it = 0; it < iterations; ++it) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; ++a) for (let b = 0; b < d; ++b) w[a] += cov[a * d + b] * v[b];
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((e) => e / norm);
    }
    // Deflate: remove the found direction so the next iteration finds the next one.
    for (let a = 0; a < d; ++a) for (let b = 0; b < d; ++b) cov[a * d + b] -= lambda * v[a] * v[b];
    axes.push(v);
    sd.push(Math.sqrt(lambda));
  }
  return {mean, axes, sd};
}

/** Coordinates of x [n, d] on the axes, in units of each axis's standard deviation, [n, k]. */
export function project(x: ArrayLike<number>, p: Principal): Float64Array {
  const d = p.mean.length, k = p.axes.length, n = Math.floor(x.length / d);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; ++i)
    for (let c = 0; c < k; ++c) {
      let s = 0;
      for (let j = 0; j < d; ++j) s += (x[i * d + j] - p.mean[j]) * p.axes[c][j];
      out[i * k + c] = s / (p.sd[c] || 1);
    }
  return out;
}

/** The vectors mean + a·sd₀·axis₀ + b·sd₁·axis₁ for a, b on an m×m grid over [−span, span], b down the rows. [m², d] */
export function axisGrid(p: Principal, m: number, span: number): Float32Array {
  const d = p.mean.length, out = new Float32Array(m * m * d);
  for (let r = 0; r < m; ++r)
    for (let c = 0; c < m; ++c) {
      const a = -span + (2 * span * c) / (m - 1), b = span - (2 * span * r) / (m - 1);
      for (let j = 0; j < d; ++j) out[(r * m + c) * d + j] = p.mean[j] + a * p.sd[0] * p.axes[0][j] + b * p.sd[1] * p.axes[1][j];
    }
  return out;
}
