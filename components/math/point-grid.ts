// Regular grids over the square [−extent, extent]², for densities and arrow fields (no DOM).
import {logDensityAt, type Mixture} from "./mixture.js";
import type {Points} from "./types.js";

/** Centres of a k×k grid of cells, [k², 2], row by row from the top (y = +extent) down. */
export function gridPoints(k: number, extent: number): Points {
  const out = new Float64Array(2 * k * k), h = (2 * extent) / k;
  for (let r = 0; r < k; ++r) {
    for (let c = 0; c < k; ++c) {
      out[2 * (r * k + c)] = -extent + (c + 0.5) * h;
      out[2 * (r * k + c) + 1] = extent - (r + 0.5) * h;
    }
  }
  return out;
}

/** q(x) of a mixture at each cell centre of a k×k grid: [k, k] row-major, row 0 at the top. */
export function densityGrid(m: Mixture, k: number, extent: number): Float64Array {
  // One batched call: logDensity per point would rebuild the mixture's precisions k² times.
  return logDensityAt(m, gridPoints(k, extent)).map(Math.exp);
}
