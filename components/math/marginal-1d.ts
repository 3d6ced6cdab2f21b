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
