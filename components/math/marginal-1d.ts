// The forward chapter's space–time grid of exact noised 1D densities.
import type {Dataset1DName} from "./datasets.js";
import {marginal1D} from "./mixture.js";

/**
 * q_t(x) on a grid [rows, cols]: column c is t = round(c·T/(cols−1)) steps (ᾱ from `alphaBarOf`),
 * row r is x from yMax (top) down to −yMax, at cell centres. Exact (mixture.ts marginal1D).
 */
export function marginalGrid(name: Dataset1DName, alphaBarOf: (t: number) => number, T: number, cols: number, rows: number, yMax: number): Float64Array {
  const values = new Float64Array(rows * cols);
  for (let c = 0; c < cols; ++c) {
    const ab = alphaBarOf(Math.round((c * T) / (cols - 1)));
    for (let r = 0; r < rows; ++r) values[r * cols + c] = marginal1D(name, ab, yMax - (2 * yMax * (r + 0.5)) / rows);
  }
  return values;
}

/**
 * Number of modes (strict local maxima) of q_t on a grid of `points` over [−yMax, yMax]. A flat top,
 * as the uniform data set has at t = 0, counts as none.
 */
export function modeCount(name: Dataset1DName, alphaBar: number, yMax = 4, points = 1601): number {
  let count = 0, before = marginal1D(name, alphaBar, -yMax), here = marginal1D(name, alphaBar, -yMax + (2 * yMax) / (points - 1));
  for (let i = 2; i < points; ++i) {
    const after = marginal1D(name, alphaBar, -yMax + (2 * yMax * i) / (points - 1));
    if (here > before && here > after) ++count;
    before = here;
    here = after;
  }
  return count;
}

/**
 * The first step k = 0..T after which q_k has at most one mode: where a multimodal data set's modes
 * have merged under the schedule `alphaBarOf` (k ↦ ᾱ after k steps). For ½N(−m, v) + ½N(m, v) this
 * is the first k with ᾱ_k·(m² − v + 1) ≤ 1 (two equal Gaussians σ apart are unimodal iff their
 * means are at most 2σ apart). 0 for data with a single mode (or none) to begin with.
 */
export function modesMergeAt(name: Dataset1DName, alphaBarOf: (k: number) => number, T: number): number {
  let k = 0;
  while (k < T && modeCount(name, alphaBarOf(k)) > 1) ++k;
  return k;
}
